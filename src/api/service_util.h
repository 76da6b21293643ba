// What every service's API file shares: domain errors as AWS errors, and a pool of threads for
// operations that wait on the store, so the I/O threads never block on a commit.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "api/aws_error.h"
#include "common/result.h"

namespace signoff::api {

inline AwsError to_aws(const signoff::Error& e) {
  return AwsError{e.status, e.type, e.message};
}

// Many threads on purpose: they spend their time waiting for group commits, and more of them
// waiting means more writes share each fsync.
class BlockingPool {
 public:
  explicit BlockingPool(unsigned threads);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  void run(std::function<void()> fn);
  void stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Runs fn on the pool; an exception escaping it becomes a 500 for the waiting client instead
// of a reply that never comes.
template <typename ReplyT, typename F>
void offload(BlockingPool& pool, ReplyT reply, F fn) {
  pool.run([reply, fn = std::move(fn)]() mutable {
    try {
      fn();
    } catch (const std::exception& e) {
      reply.fail(internal_failure(e.what()));
    }
  });
}

}  // namespace signoff::api
