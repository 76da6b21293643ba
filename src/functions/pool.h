// The warm workers of one function version (one configuration and code): reused while they
// live, scaled up to max_workers, invocations queued beyond that. A worker that dies is dropped
// and the next invocation starts a fresh one.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "functions/worker.h"

namespace signoff::functions {

struct PoolSpec {
  WorkerSpec worker;  // log_stream is chosen per worker
  size_t max_workers = 10;
  std::function<std::string()> new_stream_name;
};

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  Pool(PoolSpec spec, RuntimeListenerFactory& listeners, LogWriter log, const Clock& clock);
  ~Pool();

  void submit(Invocation invocation, InvokeDone done);
  // Stops every worker; queued invocations fail. Idempotent.
  void shutdown();
  size_t workers() const;
  size_t idle_workers() const;

 private:
  struct Entry {
    std::shared_ptr<Worker> worker;
    bool busy = false;
  };
  struct Pending {
    Invocation invocation;
    InvokeDone done;
  };
  // Called with mu_ held: runs p on an idle worker or a new one; false when at the limit.
  bool dispatch_locked(Pending& p, std::vector<std::function<void()>>& after);
  void done_on(Worker* w, InvokeDone done, InvokeOutcome outcome);
  void exited(Worker* w);

  PoolSpec spec_;
  RuntimeListenerFactory& listeners_;
  LogWriter log_;
  const Clock& clock_;
  mutable std::mutex mu_;
  bool shut_ = false;
  std::vector<Entry> entries_;
  std::deque<Pending> queue_;
};

// The outcome a pool reports when a worker cannot be started.
InvokeOutcome service_failure(const std::string& message);

}  // namespace signoff::functions
