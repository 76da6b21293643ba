// The ASL interpreter as a deterministic step function.
//
// An Execution holds everything about one run: where each thread of control (the execution, a
// Parallel branch, a Map iteration) stands, variables, retry counters and what it waits for.
// step() takes one input event (start, a task's result or failure, a timer firing, a stop request)
// and the current time, advances every thread as far as it can go without waiting, and appends to
// a Transition the history events AWS would record and the commands to carry out (run a task,
// start a timer). It performs no I/O, never sleeps and reads no clock: time, randomness and task
// tokens are injected, so a saved sequence of inputs replays to the same state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asl/definition.h"
#include "asl/entropy.h"
#include "asl/outcome.h"
#include "asl/timestamp.h"
#include "common/json.h"

namespace signoff::asl {

// One history event, in GetExecutionHistory's vocabulary. State entered/exited events (the hot
// path) keep their parts typed; others carry their AWS details object prebuilt.
struct HistoryEvent {
  std::string_view type;  // AWS's name, e.g. "PassStateEntered", "TaskScheduled"
  int64_t id = 0;
  int64_t previous_event_id = 0;
  EpochNanos timestamp = 0;
  const State* state = nullptr;  // entered/exited events: the state (its name)
  json::Value payload;           // entered: input; exited: output
  json::Value assigned;          // exited: assignedVariables (name → JSON text), or null
  json::Value details;           // other events: the xxxEventDetails object, or null for none
};

// The AWS JSON of an event: {"id", "previousEventId", "timestamp", "type", "<x>EventDetails"}.
// Payloads inside details are JSON text, as the API returns them, unless parsed_payloads.
json::Value event_to_json(const HistoryEvent& e, bool parsed_payloads);

struct RunTaskCommand {
  uint64_t task_id = 0;
  std::string resource;
  json::Value parameters;
  std::optional<int64_t> timeout_seconds;
  std::optional<int64_t> heartbeat_seconds;
  bool wait_for_token = false;  // the .waitForTaskToken pattern: completion comes by SendTask*
  std::string task_token;       // set when wait_for_token
  json::Value credentials;
  const State* state = nullptr;
};

struct StartTimerCommand {
  uint64_t timer_id = 0;
  EpochNanos fire_at = 0;
};

struct Command {
  enum class Kind : uint8_t { RunTask, StartTimer, CancelTask, CancelTimer };
  Kind kind = Kind::RunTask;
  RunTaskCommand task;
  StartTimerCommand timer;
};

struct Transition {
  std::vector<HistoryEvent> events;
  std::vector<Command> commands;
  void clear() {
    events.clear();
    commands.clear();
  }
};

// What step() consumes.
struct Input {
  // TaskSubmitted: a .sync / .waitForTaskToken call was accepted (output: its response);
  // ActivityStarted: a worker took an activity task. Both leave the task outstanding.
  enum class Kind : uint8_t {
    Start,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    TimerFired,
    Stop,
    TaskSubmitted,
    ActivityStarted,
  };
  Kind kind = Kind::Start;
  uint64_t id = 0;          // task_id or timer_id
  json::Value output;       // TaskSucceeded, TaskSubmitted
  std::string worker_name;  // ActivityStarted
  std::string error;        // TaskFailed / TaskTimedOut / Stop
  std::string cause;
};

enum class ExecutionStatus : uint8_t { Running, Succeeded, Failed, TimedOut, Aborted };
std::string_view execution_status_name(ExecutionStatus s);

// Facts shared by every execution of one state machine version.
struct MachineInfo {
  std::string arn = "arn:aws:states:us-east-1:000000000000:stateMachine:machine";
  std::string name = "machine";
  std::string role_arn = "arn:aws:iam::000000000000:role/machine";
};

// Fixed facts about one execution (the context object's Execution and StateMachine parts). The
// machine's part is shared and the execution's ARN derived, so a parked execution stays small.
struct ExecutionInfo {
  std::shared_ptr<const MachineInfo> machine = std::make_shared<const MachineInfo>();
  std::string name = "execution";
  bool express = false;  // express ARNs: ...:express:MACHINE:NAME
  EpochNanos start_time = 0;
  json::Value input;

  // arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME (or :express:).
  std::string arn() const;
};

// Issues task tokens for .waitForTaskToken tasks; the durable engine makes them authenticated.
class TokenMinter {
 public:
  virtual ~TokenMinter() = default;
  virtual std::string mint(uint64_t task_id) = 0;
};

struct StepEnvironment {
  EpochNanos now = 0;
  Entropy* entropy = nullptr;
  TokenMinter* tokens = nullptr;  // null: tokens are random hex from entropy
};

class Execution {
 public:
  Execution(std::shared_ptr<const Program> program, ExecutionInfo info);
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  // Advances the execution by one input. Appends to out (does not clear it).
  void step(const Input& input, const StepEnvironment& env, Transition& out);

  ExecutionStatus status() const { return status_; }
  const json::Value& output() const { return output_; }
  const std::string& error() const { return error_; }
  const std::string& cause() const { return cause_; }
  const ExecutionInfo& info() const { return info_; }
  int64_t last_event_id() const { return next_event_id_ - 1; }

  struct Frame;
  struct VarScope;

 private:
  enum class Action : uint8_t { Enter, Execute };
  struct Work {
    int32_t frame;
    Action action;
  };

  void run(const StepEnvironment& env, Transition& out);
  void push_work(Work w) { work_.push_back(w); }
  HistoryEvent& emit(Transition& out, std::string_view type, Frame* frame,
                     const StepEnvironment& env);
  void enter_state(int32_t f, const StepEnvironment& env, Transition& out);
  void execute_state(int32_t f, const StepEnvironment& env, Transition& out);
  void finish_state(int32_t f, json::Value result, const StepEnvironment& env, Transition& out);
  void complete_state(int32_t f, json::Value effective_result, const StepEnvironment& env,
                      Transition& out);
  void transition(int32_t f, uint32_t next, json::Value output, json::Value assigned,
                  const StepEnvironment& env, Transition& out);
  // failed_event (MapStateFailed, ParallelStateFailed) is recorded only when the failure is
  // final for the state, i.e. not retried.
  void fail_state(int32_t f, Failure failure, const StepEnvironment& env, Transition& out,
                  std::string_view failed_event = {});
  void runtime_error(int32_t f, std::string detail, const StepEnvironment& env, Transition& out);
  void frame_succeeded(int32_t f, json::Value output, const StepEnvironment& env, Transition& out);
  void frame_failed(int32_t f, Failure failure, const StepEnvironment& env, Transition& out);
  void child_done(int32_t parent, int32_t child, bool ok, json::Value output, Failure failure,
                  const StepEnvironment& env, Transition& out);
  void start_parallel(int32_t f, const StepEnvironment& env, Transition& out);
  void start_map(int32_t f, const StepEnvironment& env, Transition& out);
  void launch_map_iterations(int32_t f, const StepEnvironment& env, Transition& out);
  void abort_children(int32_t f);
  void start_task(int32_t f, const StepEnvironment& env, Transition& out);
  void start_wait(int32_t f, const StepEnvironment& env, Transition& out);
  void on_task_result(const Input& in, const StepEnvironment& env, Transition& out);
  void on_timer(const Input& in, const StepEnvironment& env, Transition& out);
  void finish_execution(ExecutionStatus status, json::Value output, Failure failure,
                        const StepEnvironment& env, Transition& out);
  json::Value context_object(const Frame& frame, const StepEnvironment& env) const;
  std::string map_run_arn(const State& s, const StepEnvironment& env) const;
  Outcome<json::Value> apply_input_path(const Frame& frame, const State& s,
                                        const json::Value& input, const json::Value* context);
  Outcome<json::Value> apply_result_path(const Frame& fr, const OptionalPath& result_path,
                                         json::Value result);
  Outcome<json::Value> apply_output_path(const Frame& fr, const State& s, json::Value output,
                                         const json::Value* context);
  Outcome<json::Value> assign_variables(int32_t f, const PayloadTemplate* assign,
                                        const json::Value& dollar, const json::Value* context,
                                        const StepEnvironment& env);
  // JSONata query language (interpreter_jsonata.cc).
  void execute_jsonata(int32_t f, const StepEnvironment& env, Transition& out);
  // Evaluates Assign and Output (both see the variables as they were before the state) and
  // leaves the state for `next`. `catchable` is false inside a Catch clause, whose own failure
  // ends the thread.
  void complete_jsonata(int32_t f, uint32_t next, const json::Value* result,
                        const json::Value* error_output, const JsonataTemplate* assign,
                        const JsonataTemplate* output, json::Value default_output, bool catchable,
                        const StepEnvironment& env, Transition& out);
  // Records EvaluationFailed (with the field's location when known) and fails the state.
  void evaluation_failed(int32_t f, Failure failure, const std::string& location,
                         const StepEnvironment& env, Transition& out,
                         std::string_view failed_event = {}, bool catchable = true);
  // Evaluates a field of the current state with $states.input (and the context when the state
  // reads it); a failure is reported and gives nullopt.
  std::optional<json::Value> eval_jsonata(int32_t f, const JsonataTemplate& t,
                                          const json::Value* result, const json::Value* context,
                                          const StepEnvironment& env, Transition& out,
                                          std::string_view failed_event = {});
  // A JSONata numeric field (TimeoutSeconds, MaxConcurrency, ...): nullopt after reporting a
  // failure; `integer` requires a whole number, `min`/`max` bound it.
  std::optional<double> eval_jsonata_number(int32_t f, const JsonataTemplate& t, bool integer,
                                            double min, double max, const StepEnvironment& env,
                                            Transition& out, std::string_view failed_event = {});
  int32_t new_frame(const Program* program, int32_t parent, uint32_t slot);
  void release_frame(int32_t f);
  std::string token_for(uint64_t task_id, const StepEnvironment& env);

  std::shared_ptr<const Program> program_;
  ExecutionInfo info_;
  ExecutionStatus status_ = ExecutionStatus::Running;
  json::Value output_;
  std::string error_;
  std::string cause_;
  int64_t next_event_id_ = 1;
  uint64_t next_wait_id_ = 1;
  std::vector<std::unique_ptr<Frame>> frames_;
  std::vector<int32_t> free_frames_;
  // FIFO of pending actions: a vector and a head index, because a parked execution must hold
  // next to nothing (std::deque keeps a 512-byte block).
  std::vector<Work> work_;
  size_t work_head_ = 0;
  // Events of a distributed Map's iterations belong to its map run, not to this history.
  std::unique_ptr<HistoryEvent> discarded_;
};

// Default task-failure text for a task whose handler is missing in in-memory runs.
inline constexpr std::string_view kTimeoutError = "States.Timeout";

}  // namespace signoff::asl
