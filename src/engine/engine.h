// The Step Functions service: state machines, durable executions, task tokens, activities.
//
// Every execution runs on the pure interpreter (asl::Execution). A transition — one input
// consumed — is one store transaction holding the execution's new version, its history events,
// the journal entry and a job for each side effect; side effects start only after the commit.
// On start, running executions are rebuilt by replaying their journals and their jobs re-armed.
// Methods are thread-safe; inputs to one execution are serialized, different executions run in
// parallel and share group commits.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "engine/ports.h"
#include "store/store.h"

namespace signoff::engine {

struct EngineOptions {
  std::string account = "000000000000";
  std::string default_region = "us-east-1";
  unsigned task_threads = 4;  // threads running integrations' completions and timers' inputs
};

struct TagList {
  std::vector<store::Tag> tags;
};

struct CreateStateMachineRequest {
  std::string region;
  std::string name;
  std::string definition;
  std::string role_arn;
  std::string type;                   // "" → STANDARD
  std::string logging_configuration;  // JSON text or ""
  std::string tracing_configuration;  // JSON text or ""
  std::string description;
  std::vector<store::Tag> tags;
};

struct CreateStateMachineResponse {
  std::string state_machine_arn;
  int64_t creation_date_ms = 0;
};

struct UpdateStateMachineRequest {
  std::string state_machine_arn;
  std::optional<std::string> definition;
  std::optional<std::string> role_arn;
  std::optional<std::string> logging_configuration;
  std::optional<std::string> tracing_configuration;
};

struct UpdateStateMachineResponse {
  int64_t update_date_ms = 0;
  std::string revision_id;
};

struct StartExecutionRequest {
  std::string state_machine_arn;
  std::string name;                  // "" → a UUID
  std::optional<std::string> input;  // JSON text; absent → "{}"
  std::string trace_header;
  std::string parent;  // set by states:startExecution from another execution
};

struct StartExecutionResponse {
  std::string execution_arn;
  int64_t start_date_ms = 0;
};

struct SyncExecutionResult {
  store::ExecutionRecord execution;  // status, output, error, cause, dates
  std::string state_machine_arn;
};

struct HistoryRequest {
  std::string execution_arn;
  bool reverse = false;
  int64_t after_or_before_id = 0;
  size_t limit = 100;
};

struct ActivityTask {
  std::string task_token;
  std::string input;  // JSON text
};

struct ValidationResult {
  std::string result;       // OK | FAIL
  json::Value diagnostics;  // array of {severity, code, message, location}
};

class Engine {
 public:
  Engine(store::Store& store, const Clock& clock, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Rebuilds running executions from the store and re-arms their jobs, then starts the timer
  // and task threads.
  void start();
  void stop();
  void add_integration(TaskIntegrationPtr integration);

  const EngineOptions& options() const { return options_; }

  // State machines.
  Result<CreateStateMachineResponse> create_state_machine(const CreateStateMachineRequest& r);
  Result<store::StateMachineRecord> describe_state_machine(const std::string& arn);
  Result<UpdateStateMachineResponse> update_state_machine(const UpdateStateMachineRequest& r);
  Result<Unit> delete_state_machine(const std::string& arn);
  Result<store::Page<store::StateMachineRecord>> list_state_machines(const std::string& next_token,
                                                                     size_t limit);
  ValidationResult validate_definition(const std::string& definition, const std::string& type);

  // Executions.
  Result<StartExecutionResponse> start_execution(const StartExecutionRequest& r);
  // EXPRESS machines only: runs to completion (in memory, no history kept) and calls done.
  void start_sync_execution(const StartExecutionRequest& r,
                            std::function<void(Result<SyncExecutionResult>)> done);
  Result<store::ExecutionRecord> describe_execution(const std::string& arn);
  Result<store::StateMachineRevision> describe_state_machine_for_execution(const std::string& arn,
                                                                           std::string* name_out);
  Result<store::Page<store::ExecutionRecord>> list_executions(const std::string& machine_arn,
                                                              const std::string& status_filter,
                                                              const std::string& next_token,
                                                              size_t limit);
  Result<std::vector<store::HistoryEventRecord>> history(const HistoryRequest& r);
  Result<int64_t> stop_execution(const std::string& arn, const std::string& error,
                                 const std::string& cause);

  // Callbacks.
  Result<Unit> send_task_success(const std::string& token, const std::string& output);
  Result<Unit> send_task_failure(const std::string& token, const std::string& error,
                                 const std::string& cause);
  Result<Unit> send_task_heartbeat(const std::string& token);
  // The execution a task token was minted for (its MAC checked), or nullopt.
  std::optional<std::string> execution_of_task_token(const std::string& token) const;

  // Activities.
  Result<store::ActivityRecord> create_activity(const std::string& region, const std::string& name,
                                                const std::vector<store::Tag>& tags);
  Result<store::ActivityRecord> describe_activity(const std::string& arn);
  Result<Unit> delete_activity(const std::string& arn);
  Result<store::Page<store::ActivityRecord>> list_activities(const std::string& next_token,
                                                             size_t limit);
  // Long poll: done gets a task, or nullopt after `wait_seconds` with none.
  void get_activity_task(const std::string& activity_arn, const std::string& worker_name,
                         int wait_seconds,
                         std::function<void(Result<std::optional<ActivityTask>>)> done);

  // Tags.
  Result<Unit> tag_resource(const std::string& arn, const std::vector<store::Tag>& tags);
  Result<Unit> untag_resource(const std::string& arn, const std::vector<std::string>& keys);
  Result<std::vector<store::Tag>> list_tags(const std::string& arn);

  // Counts for tests and metrics.
  size_t running_in_memory() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  EngineOptions options_;
};

}  // namespace signoff::engine
