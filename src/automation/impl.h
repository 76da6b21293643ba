// Private to src/automation/: the service's state and the helpers its files share.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "automation/document.h"
#include "automation/service.h"

namespace signoff::automation {

inline constexpr const char* kDocumentKind = "ssm.document";
inline constexpr const char* kVersionKind = "ssm.document-version";
inline constexpr const char* kExecutionKind = "ssm.execution";
inline constexpr const char* kStepKind = "ssm.step";
inline constexpr const char* kJobKind = "ssm.job";
inline constexpr const char* kClientTokenKind = "ssm.client-token";

// One transition of one execution being assembled: the execution document, the step documents
// it touches and the jobs it creates or consumes. commit() writes them as one batch.
struct Tx {
  int64_t now_ms = 0;
  std::string exec_key;
  int64_t exec_version = store::kMustNotExist;
  json::Value exec;
  struct Step {
    std::string key;
    int64_t version = store::kMustNotExist;
    json::Value doc;
  };
  std::vector<Step> steps;
  std::vector<store::DocumentWrite> extra;  // audit records, client tokens, ...
  std::vector<store::JobRecord> jobs_to_put;
  std::vector<std::string> jobs_to_delete;

  Step* step(const std::string& key);
  json::Value& step_doc(const std::string& key) { return step(key)->doc; }
};

struct AutomationService::Impl {
  Impl(store::Store& s, const Clock& c, Ports p, AutomationOptions o)
      : store(s), clock(c), ports(p), opts(std::move(o)), rng(std::random_device{}()) {}

  store::Store& store;
  const Clock& clock;
  Ports ports;
  AutomationOptions opts;

  std::mutex locks_mu;
  std::unordered_map<std::string, std::shared_ptr<std::mutex>> locks;
  std::mutex docs_mu;   // document versions are numbered under it
  std::mutex audit_mu;  // audit appends (read head, write record + head) under it

  std::mutex rng_mu;
  std::mt19937_64 rng;

  std::mutex job_mu;
  std::condition_variable job_cv;
  bool stopping = false;
  bool kicked = false;
  std::thread job_thread;
  std::mutex run_mu;  // one pass over due jobs at a time

  std::shared_ptr<std::mutex> lock_for(const std::string& exec_id);
  std::string uuid();
  void kick();

  // --- transitions (runner.cc)
  std::optional<Tx> load(const std::string& exec_id);
  // Writes the batch; false when a version moved (the caller retries or gives up).
  bool commit(Tx& tx);
  // Runs the execution forward until it waits or ends.
  void advance(Tx& tx, const Document& doc);
  void start_step(Tx& tx, const Document& doc, int index);
  void complete_step(Tx& tx, const Document& doc, const std::string& step_key,
                     const std::string& status, const json::Value& outputs,
                     const std::string& failure_message, const std::string& failure_type = "");
  void set_exec_status(Tx& tx, const std::string& status);
  void finish(Tx& tx, const std::string& status, const std::string& failure_message);
  void step_event(Tx& tx, const json::Value& step);
  void exec_event(Tx& tx);
  void put_job(Tx& tx, const std::string& id, int64_t due_ms, json::Value payload);
  Result<Document> document_of(const Tx& tx);

  // --- jobs (jobs.cc)
  void job_loop();
  void run_jobs_once();
  void handle_job(const store::JobRecord& job);
  void handle_step_job(const store::JobRecord& job, const json::Value& payload);
  void tell_agents(const store::JobRecord& job, const json::Value& payload);
  void run_action(const store::JobRecord& job, const json::Value& payload);
  void poll_child(const store::JobRecord& job, const json::Value& payload);
  void retry_later(const store::JobRecord& job, const std::string& why);

  // --- executions (executions.cc)
  Result<std::string> start_execution(const StartRequest& r, const Principal& caller);
  // aws:executeAutomation: a child run as the parent's caller.
  Result<std::string> start_child(const StartRequest& r);

  // --- signals (signals.cc)
  Result<Unit> decide(Tx& tx, const Document& doc, const Signal& s, const Principal& caller);
};

// Helpers shared by the files.
std::string step_key(const std::string& exec_id, int64_t seq);
std::string version_key(const std::string& name, int64_t version);
bool terminal_status(std::string_view status);
json::Value epoch_seconds(int64_t ms);
// "Nov 29, 2024 7:43:25 PM" (UTC), the form SSM's events use.
std::string event_time(int64_t ms);
std::string iso_time(int64_t ms);
// ISO 8601 duration (PT1H30M, P1D, PT5S) in seconds, or -1.
int64_t parse_iso_duration(std::string_view s);
// ISO 8601 UTC timestamp (2024-01-01T10:00:00Z) in ms, or -1.
int64_t parse_iso_timestamp(std::string_view s);
std::string text_of(const json::Value& v, std::string_view key);
int64_t int_of(const json::Value& v, std::string_view key, int64_t fallback = 0);
// A JSONPath-like selector ($.a.b[0]) applied to a value.
std::optional<json::Value> select(const json::Value& root, std::string_view selector);
// Outputs map (name -> list of strings) as AWS reports them, from typed values.
json::Value wire_outputs(const json::Value& typed);
// Step outputs declared with Name/Selector/Type, taken from an action's response.
json::Value declared_outputs(const StepDef& step, const json::Value& response);

}  // namespace signoff::automation
