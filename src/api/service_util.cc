#include "api/service_util.h"

#include <cstdio>

namespace signoff::api {

BlockingPool::BlockingPool(unsigned threads) {
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      std::unique_lock lock(mu_);
      for (;;) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) {
          return;
        }
        auto fn = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
          fn();
        } catch (const std::exception& e) {
          // The operation's reply is lost with it; the client sees its connection time out
          // rather than the server going down.
          std::fprintf(stderr, "signoff: blocking operation failed: %s\n", e.what());
        }
        lock.lock();
      }
    });
  }
}

BlockingPool::~BlockingPool() {
  stop();
}

void BlockingPool::run(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      return;
    }
    queue_.push_back(std::move(fn));
  }
  cv_.notify_one();
}

void BlockingPool::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) {
      t.join();
    }
  }
  threads_.clear();
}

}  // namespace signoff::api
