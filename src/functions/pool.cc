#include "functions/pool.h"

#include "common/json.h"

namespace signoff::functions {

InvokeOutcome service_failure(const std::string& message) {
  InvokeOutcome o;
  o.function_error = true;
  o.error_type = "ServiceException";
  std::string payload = R"({"errorType":"ServiceException","errorMessage":)";
  json::quote_to(message, payload);
  o.payload = payload + "}";
  return o;
}

Pool::Pool(PoolSpec spec, RuntimeListenerFactory& listeners, LogWriter log, const Clock& clock)
    : spec_(std::move(spec)), listeners_(listeners), log_(std::move(log)), clock_(clock) {}

Pool::~Pool() {
  shutdown();
}

void Pool::submit(Invocation invocation, InvokeDone done) {
  std::vector<std::function<void()>> after;
  {
    std::lock_guard lock(mu_);
    if (shut_) {
      after.push_back([done] { done(service_failure("Signoff is shutting down")); });
    } else {
      Pending p{std::move(invocation), std::move(done)};
      if (!dispatch_locked(p, after)) {
        queue_.push_back(std::move(p));
      }
    }
  }
  for (auto& f : after) {
    f();
  }
}

bool Pool::dispatch_locked(Pending& p, std::vector<std::function<void()>>& after) {
  std::weak_ptr<Pool> weak = weak_from_this();
  for (Entry& e : entries_) {
    if (!e.busy && e.worker->alive()) {
      Worker* w = e.worker.get();
      InvokeDone done = p.done;
      if (e.worker->invoke(p.invocation, [weak, w, done](InvokeOutcome o) {
            if (auto self = weak.lock()) {
              self->done_on(w, done, std::move(o));
            } else {
              done(std::move(o));
            }
          })) {
        e.busy = true;
        return true;
      }
    }
  }
  if (entries_.size() >= spec_.max_workers) {
    return false;
  }
  WorkerSpec ws = spec_.worker;
  ws.log_stream = spec_.new_stream_name ? spec_.new_stream_name() : "worker";
  // The exit callback cannot name the worker before it exists; it looks itself up by pointer.
  auto holder = std::make_shared<Worker*>(nullptr);
  auto started = Worker::start(
      std::move(ws), listeners_, log_,
      [weak, holder] {
        if (auto self = weak.lock()) {
          self->exited(*holder);
        }
      },
      clock_);
  if (!started.ok()) {
    InvokeDone done = p.done;
    std::string message = started.error().message;
    after.push_back([done, message] { done(service_failure(message)); });
    return true;
  }
  std::shared_ptr<Worker> worker = *started;
  *holder = worker.get();
  Worker* w = worker.get();
  InvokeDone done = p.done;
  entries_.push_back(Entry{worker, true});
  if (!worker->invoke(p.invocation, [weak, w, done](InvokeOutcome o) {
        if (auto self = weak.lock()) {
          self->done_on(w, done, std::move(o));
        } else {
          done(std::move(o));
        }
      })) {
    after.push_back([done] { done(service_failure("The worker died before it started")); });
  }
  return true;
}

void Pool::done_on(Worker* w, InvokeDone done, InvokeOutcome outcome) {
  std::vector<std::function<void()>> after;
  {
    std::lock_guard lock(mu_);
    for (Entry& e : entries_) {
      if (e.worker.get() == w) {
        e.busy = false;
      }
    }
    while (!queue_.empty() && !shut_) {
      if (!dispatch_locked(queue_.front(), after)) {
        break;
      }
      queue_.pop_front();
    }
  }
  done(std::move(outcome));
  for (auto& f : after) {
    f();
  }
}

void Pool::exited(Worker* w) {
  std::vector<std::function<void()>> after;
  std::shared_ptr<Worker> gone;
  {
    std::lock_guard lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->worker.get() == w) {
        gone = std::move(it->worker);
        entries_.erase(it);
        break;
      }
    }
    while (!queue_.empty() && !shut_) {
      if (!dispatch_locked(queue_.front(), after)) {
        break;
      }
      queue_.pop_front();
    }
  }
  for (auto& f : after) {
    f();
  }
}

void Pool::shutdown() {
  std::vector<std::shared_ptr<Worker>> workers;
  std::deque<Pending> queued;
  {
    std::lock_guard lock(mu_);
    shut_ = true;
    for (Entry& e : entries_) {
      workers.push_back(e.worker);
    }
    queued.swap(queue_);
  }
  for (Pending& p : queued) {
    p.done(service_failure("Signoff is shutting down"));
  }
  for (auto& w : workers) {
    w->stop();
  }
  std::lock_guard lock(mu_);
  entries_.clear();
}

size_t Pool::workers() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

size_t Pool::idle_workers() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const Entry& e : entries_) {
    n += e.busy ? 0 : 1;
  }
  return n;
}

}  // namespace signoff::functions
