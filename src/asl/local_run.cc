#include "asl/local_run.h"

#include <queue>

namespace signoff::asl {

namespace {

struct PendingTimer {
  EpochNanos fire_at;
  uint64_t seq;
  uint64_t id;
  bool operator>(const PendingTimer& o) const {
    return fire_at != o.fire_at ? fire_at > o.fire_at : seq > o.seq;
  }
};

}  // namespace

LocalRunResult run_local(std::shared_ptr<const Program> program, ExecutionInfo info,
                         const TaskHandler& tasks, const LocalRunOptions& options) {
  LocalRunResult result;
  SeededEntropy entropy(options.seed);
  StepEnvironment env;
  env.now = options.start_time;
  env.entropy = &entropy;
  info.start_time = options.start_time;
  Execution exec(std::move(program), std::move(info));
  std::priority_queue<PendingTimer, std::vector<PendingTimer>, std::greater<>> timers;
  std::deque<Input> inputs;
  uint64_t seq = 0;
  Transition t;
  inputs.push_back(Input{});
  EpochNanos deadline = options.start_time + options.max_virtual_seconds * 1'000'000'000LL;

  while (exec.status() == ExecutionStatus::Running) {
    if (inputs.empty()) {
      if (timers.empty() || timers.top().fire_at > deadline) {
        break;  // waiting forever (a callback that never comes)
      }
      PendingTimer timer = timers.top();
      timers.pop();
      if (options.on_advance && timer.fire_at > env.now) {
        options.on_advance(env.now, timer.fire_at);
      }
      env.now = std::max(env.now, timer.fire_at);
      Input in;
      in.kind = Input::Kind::TimerFired;
      in.id = timer.id;
      inputs.push_back(std::move(in));
    }
    Input in = std::move(inputs.front());
    inputs.pop_front();
    t.clear();
    exec.step(in, env, t);
    for (HistoryEvent& e : t.events) {
      if (e.state != nullptr && e.type.size() > 7 &&
          e.type.substr(e.type.size() - 7) == "Entered") {
        ++result.states_entered;
      }
    }
    if (options.keep_history) {
      for (HistoryEvent& e : t.events) {
        result.history.push_back(std::move(e));
      }
    }
    for (Command& c : t.commands) {
      if (c.kind == Command::Kind::StartTimer) {
        timers.push(PendingTimer{c.timer.fire_at, seq++, c.timer.timer_id});
      } else if (c.kind == Command::Kind::RunTask) {
        std::optional<TaskAnswer> answer;
        if (tasks) {
          answer = tasks(c.task);
        }
        if (!answer) {
          if (c.task.timeout_seconds) {
            // No answer: the task times out as AWS would time it out.
            Input timeout;
            timeout.kind = Input::Kind::TaskTimedOut;
            timeout.id = c.task.task_id;
            timeout.error = "States.Timeout";
            inputs.push_back(std::move(timeout));
          }
          continue;
        }
        Input done;
        done.id = c.task.task_id;
        if (answer->ok) {
          done.kind = Input::Kind::TaskSucceeded;
          done.output = std::move(answer->output);
        } else {
          done.kind = Input::Kind::TaskFailed;
          done.error = std::move(answer->error);
          done.cause = std::move(answer->cause);
        }
        inputs.push_back(std::move(done));
      }
    }
  }
  result.status = exec.status();
  result.output = exec.output();
  result.error = exec.error();
  result.cause = exec.cause();
  return result;
}

}  // namespace signoff::asl
