// Private to src/engine/: the engine's in-memory state. The store is the truth; this is the
// cache of running executions (their interpreter state) and what is waiting on them.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "asl/definition.h"
#include "asl/interpreter.h"
#include "common/worker_pool.h"
#include "engine/engine.h"
#include "engine/task_tokens.h"
#include "engine/timer_queue.h"

namespace signoff::engine {

// Timer kinds in the TimerQueue.
enum TimerKind : uint32_t {
  kStateTimer = 1,   // Wait states, retry back-off, execution TimeoutSeconds
  kTaskTimeout = 2,  // a task's TimeoutSeconds
  kHeartbeat = 3,    // a task's HeartbeatSeconds
  kPollExpiry = 4,   // an activity long poll ends empty
};

// A task the execution is waiting on.
struct LiveTask {
  std::string resource;
  std::string token;  // the task token (callbacks, activities); "" otherwise
  int64_t heartbeat_seconds = 0;
  int64_t heartbeat_due_ms = 0;
};

struct Live {
  std::mutex mu;
  store::ExecutionRecord rec;
  std::string region;
  std::unique_ptr<asl::Execution> exec;
  asl::SeededEntropy entropy{0};
  int64_t journal_seq = 0;
  std::unordered_map<uint64_t, LiveTask> tasks;
  std::unordered_set<uint64_t> timers;
  bool done = false;
  bool durable = true;  // EXPRESS executions are not persisted
  std::function<void(const store::ExecutionRecord&)> on_done;  // EXPRESS sync callers
};

using LivePtr = std::shared_ptr<Live>;

struct ActivityWaiter {
  uint64_t id = 0;
  std::string worker_name;
  std::function<void(Result<std::optional<ActivityTask>>)> done;
};

struct QueuedActivityTask {
  std::weak_ptr<Live> live;
  uint64_t task_id = 0;
  std::string token;
  std::string input;
};

struct ActivityQueue {
  std::deque<QueuedActivityTask> tasks;
  std::deque<ActivityWaiter> waiters;
};

struct Engine::Impl {
  Impl(store::Store& s, const Clock& c, const EngineOptions& o);

  store::Store& store;
  const Clock& clock;
  EngineOptions opts;
  std::unique_ptr<TaskTokens> tokens;
  TimerQueue timers;
  WorkerPool pool;

  std::mutex integrations_mu;
  std::vector<TaskIntegrationPtr> integrations;

  std::mutex live_mu;
  std::unordered_map<std::string, LivePtr> live;

  // Parsed programs and shared machine facts per (machine ARN, revision).
  struct MachineVersion {
    std::shared_ptr<const asl::Program> program;
    std::shared_ptr<const asl::MachineInfo> info;
    bool express = false;
  };
  std::mutex versions_mu;
  std::unordered_map<std::string, MachineVersion> versions;

  std::mutex activities_mu;
  std::unordered_map<std::string, ActivityQueue> activities;
  uint64_t next_waiter_id = 1;

  // --- executions (live.cc)
  Result<MachineVersion> machine_version(const std::string& machine_arn,
                                         const std::string& revision_id);
  Result<StartExecutionResponse> start(const StartExecutionRequest& r, bool durable,
                                       std::function<void(const store::ExecutionRecord&)> on_done);
  // Feeds one input to a live execution and persists the transition; returns false when the
  // execution is no longer running. Caller must not hold live->mu.
  bool deliver(const LivePtr& live, asl::Input input);
  void deliver_locked(const LivePtr& live, asl::Input input);
  void plan_commands(Live& live, const std::vector<asl::Command>& commands, int64_t now_ns,
                     store::TransitionWrite& write);
  void carry_out(const LivePtr& live, std::vector<asl::Command>& commands);
  void dispatch_task(const LivePtr& live, const asl::RunTaskCommand& cmd, bool redispatch);
  void finished(const LivePtr& live);
  void on_timer(TimerEntry&& e);
  void recover();
  LivePtr find_live(const std::string& arn);

  // --- activities (activities.cc)
  void enqueue_activity(const std::string& activity_arn, QueuedActivityTask task);
  // A worker took the task: claimed (not offered again after a restart) and recorded.
  void hand_to_worker(const LivePtr& live, uint64_t task_id, const std::string& worker);
};

// Helpers shared by the engine's files.
std::string region_of_arn(std::string_view arn);
int64_t ns_to_ms(int64_t ns);
std::string execution_status_text(asl::ExecutionStatus s);
// Checks a Step Functions resource name (state machine, execution, activity): 1-80 characters,
// none of whitespace, brackets, wildcards, special or control characters.
bool valid_resource_name(std::string_view name);
std::string uuid_v4(uint64_t a, uint64_t b);
std::string random_uuid();

}  // namespace signoff::engine
