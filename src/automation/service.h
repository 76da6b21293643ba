// SSM Automation: documents and their versions, automation executions and their steps, the
// aws:approve quorum, and the audit log of decisions.
//
// Durability: every step transition is one store batch (execution document, step document,
// jobs created and consumed); side effects (events, notifications, calls to other services,
// timers) exist only as committed jobs of kind "ssm.job" that one job thread carries out after
// commit. A restart therefore resumes from the store alone: waiting approvals stay waiting, and a
// timeout job that fell due while the server was down is simply due on start.
//
// Responses are json::Values already in AWS's shapes (the service owns the stored shapes and they
// are the wire shapes); the API edge validates requests and wraps envelopes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "automation/approval.h"
#include "automation/parameters.h"
#include "automation/ports.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "store/store.h"

namespace signoff::automation {

struct AutomationOptions {
  std::string account = "000000000000";
  std::string region = "us-east-1";
  std::string public_url = "http://127.0.0.1:8765";  // approval links in notifications
  // Beyond AWS: the principal that started an automation may not approve it (every
  // automation in the account); a document opts in alone with the tag
  // signoff:separation-of-duties=true.
  bool forbid_self_approval = false;
  int64_t job_poll_ms = 100;
};

inline constexpr const char* kSeparationOfDutiesTag = "signoff:separation-of-duties";

struct DocumentTag {
  std::string key;
  std::string value;
};

struct CreateDocumentRequest {
  std::string name;
  std::string content;
  std::string document_type = "Automation";
  std::string document_format = "JSON";
  std::string version_name;
  std::string display_name;
  std::string target_type;
  std::vector<DocumentTag> tags;
};

struct UpdateDocumentRequest {
  std::string name;
  std::string content;
  std::string document_version;  // "" | $LATEST | N
  std::string document_format = "JSON";
  std::string version_name;
  std::string display_name;
  std::string target_type;
};

struct DocumentSelector {
  std::string name;
  std::string version;       // "" | $LATEST | $DEFAULT | N
  std::string version_name;  // ""
};

struct ListFilter {
  std::string key;
  std::vector<std::string> values;
};

struct StartRequest {
  std::string document_name;
  std::string document_version;  // "" | $LATEST | $DEFAULT | N
  WireParameters parameters;
  std::string mode = "Auto";
  std::string client_token;
  std::vector<DocumentTag> tags;
  std::string parent_execution_id;  // aws:executeAutomation
};

struct Signal {
  std::string execution_id;
  std::string type;  // Approve | Reject | Resume | StartStep | StopStep
  std::map<std::string, std::vector<std::string>> payload;
};

// The approval an execution is waiting on (agent approvers read it just before deciding).
struct ApprovalState {
  bool waiting = false;  // the current step is an aws:approve in Waiting
  std::string step_execution_id;
  std::string step_name;
  int64_t min_required = 1;
  std::vector<std::string> approvers;
  std::vector<Decision> decisions;  // counted ones, in order
};

class AutomationService {
 public:
  AutomationService(store::Store& store, const Clock& clock, Ports ports,
                    AutomationOptions options);
  ~AutomationService();
  AutomationService(const AutomationService&) = delete;
  AutomationService& operator=(const AutomationService&) = delete;

  // Starts the job thread (which first carries out whatever jobs the store holds).
  void start();
  void stop();
  const AutomationOptions& options() const { return options_; }
  // Before start(): the server's URL is known only once it listens.
  void set_public_url(const std::string& url);

  // Documents. Results are DocumentDescription / GetDocument / list shapes.
  Result<json::Value> create_document(const CreateDocumentRequest& r, const Principal& caller);
  Result<json::Value> update_document(const UpdateDocumentRequest& r);
  Result<json::Value> update_default_version(const std::string& name, const std::string& version);
  Result<json::Value> describe_document(const DocumentSelector& s);
  Result<json::Value> get_document(const DocumentSelector& s, const std::string& format);
  Result<json::Value> list_documents(const std::vector<ListFilter>& filters,
                                     const std::string& next_token, size_t max_results);
  Result<json::Value> list_document_versions(const std::string& name, const std::string& next_token,
                                             size_t max_results);
  Result<Unit> delete_document(const DocumentSelector& s, bool force);
  Result<Unit> add_document_tags(const std::string& name, const std::vector<DocumentTag>& tags);
  Result<Unit> remove_document_tags(const std::string& name, const std::vector<std::string>& keys);
  Result<std::vector<DocumentTag>> document_tags(const std::string& name);

  // Executions.
  Result<std::string> start_execution(const StartRequest& r, const Principal& caller);
  Result<json::Value> get_execution(const std::string& id);
  Result<json::Value> describe_executions(const std::vector<ListFilter>& filters,
                                          const std::string& next_token, size_t max_results);
  Result<json::Value> describe_step_executions(const std::string& id,
                                               const std::vector<ListFilter>& filters, bool reverse,
                                               const std::string& next_token, size_t max_results);
  // The decision is committed (with its audit record) before this returns.
  Result<Unit> send_signal(const Signal& s, const Principal& caller);
  Result<Unit> stop_execution(const std::string& id, const std::string& type);
  Result<ApprovalState> approval_state(const std::string& execution_id);

  // The audit log (Signoff's own API, see api/audit_api.cc): one page of records in append
  // order, each with its stored text's hash, and the whole chain checked as
  // `signoff audit verify` checks it, while the server runs.
  Result<json::Value> list_audit_records(const std::string& next_token, size_t max_results);
  Result<json::Value> verify_audit_chain();

  // Test and console hooks: runs due jobs now on the caller's thread.
  void run_due_jobs();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  AutomationOptions options_;
};

}  // namespace signoff::automation
