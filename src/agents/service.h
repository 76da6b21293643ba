// Agent approvers: IAM roles whose decisions Signoff obtains on their behalf when an aws:approve
// lists them. Three kinds: policy (rules over the approval's context), model (an
// OpenAI-compatible chat-completions endpoint) and webhook (a signed POST to an external agent
// that answers through SendAutomationSignal itself).
//
// Durability: agents are store documents ("agents.agent", key: name); each (approval, agent)
// evaluation is a job ("agents.job") written when the approval starts waiting, carried out by
// worker threads after commit; its outcome ("agents.decision", key: EXECUTION/STEP/AGENT) is
// written with the job's deletion. A crash repeats an evaluation; a repeated Approve is audited
// but not counted by the automation service.
//
// Responses are json::Values in the API's shapes (docs/COMPATIBILITY.md, "Signoff agents").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agents/ports.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "store/store.h"

namespace signoff::agents {

struct AgentsOptions {
  std::string account = "000000000000";
  std::string region = "us-east-1";
  int64_t job_poll_ms = 200;
  unsigned workers = 4;  // evaluations at once (a model call may take its whole timeout)
};

// An approval that started waiting (from the automation service, through app/).
struct ApprovalRequest {
  std::string execution_id;
  std::string step_execution_id;
  std::string step_name;
  std::string document_name;
  std::string executed_by;
  std::string message;
  std::vector<std::string> approvers;
  int64_t min_required = 1;
  json::Value parameters;
  std::vector<std::pair<std::string, std::string>> signoff_tags;
};

class AgentsService {
 public:
  AgentsService(store::Store& store, const Clock& clock, Ports ports, AgentsOptions options);
  ~AgentsService();
  AgentsService(const AgentsService&) = delete;
  AgentsService& operator=(const AgentsService&) = delete;

  void start();
  void stop();

  // The API. Requests are the decoded JSON bodies; validation errors are ValidationException.
  Result<json::Value> create_agent(const json::Value& request);
  Result<json::Value> update_agent(const json::Value& request);
  Result<json::Value> describe_agent(const std::string& name);
  Result<json::Value> list_agents(const std::string& next_token, size_t max_results);
  Result<Unit> delete_agent(const std::string& name);
  // Suspended agents decide nothing from the moment this returns: evaluations not yet signalled
  // abstain.
  Result<json::Value> set_suspended(const std::string& name, bool suspended);
  Result<json::Value> list_decisions(const std::string& agent_name, const std::string& execution_id,
                                     const std::string& next_token, size_t max_results);

  // Writes one evaluation job per agent among the approvers (idempotent).
  Result<Unit> approval_waiting(const ApprovalRequest& approval);

  // Tests: runs due evaluations now on the caller's thread.
  void run_due_jobs();

  std::string agent_arn(const std::string& name) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::agents
