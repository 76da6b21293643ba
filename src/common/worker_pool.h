// A fixed pool of threads running posted work in order of arrival. The engine uses one for
// timer firings and integration completions; the API edge uses a larger one for operations that
// wait on a commit (many threads waiting is what fills a group commit).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace signoff {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();  // stops
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Ignored once stopping. An exception escaping fn is logged; the thread lives on.
  void post(std::function<void()> fn);
  // Runs what is queued, then joins the threads.
  void stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace signoff
