// Runs an execution to completion in memory: tasks are answered by a callback, timers fire on a
// virtual clock (no sleeping). Used by `signoff run-local`, the conformance runner and benchmarks;
// the durable engine drives the same Execution::step with real time and real tasks instead.
#pragma once

#include <functional>
#include <optional>

#include "asl/interpreter.h"

namespace signoff::asl {

struct TaskAnswer {
  bool ok = true;
  json::Value output;
  std::string error;
  std::string cause;
};

// Returns the task's answer; nullopt leaves the task pending (for a callback that never comes).
using TaskHandler = std::function<std::optional<TaskAnswer>(const RunTaskCommand&)>;

struct LocalRunOptions {
  EpochNanos start_time = 1'700'000'000'000'000'000;
  uint64_t seed = 42;
  bool keep_history = true;
  // Stop after this much virtual time (an execution stuck on a Wait forever ends here).
  int64_t max_virtual_seconds = 400LL * 24 * 3600;
  // Called before the virtual clock jumps forward to a timer; `signoff run-local --real-time`
  // sleeps here. The core itself never sleeps.
  std::function<void(EpochNanos from, EpochNanos to)> on_advance;
};

struct LocalRunResult {
  ExecutionStatus status = ExecutionStatus::Running;
  json::Value output;
  std::string error;
  std::string cause;
  std::vector<HistoryEvent> history;
  uint64_t states_entered = 0;
};

LocalRunResult run_local(std::shared_ptr<const Program> program, ExecutionInfo info,
                         const TaskHandler& tasks, const LocalRunOptions& options = {});

}  // namespace signoff::asl
