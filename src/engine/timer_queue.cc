#include "engine/timer_queue.h"

#include <chrono>

namespace signoff::engine {

TimerQueue::TimerQueue(const Clock& clock, FireFn fire) : clock_(clock), fire_(std::move(fire)) {}

TimerQueue::~TimerQueue() {
  stop();
}

void TimerQueue::start() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable()) {
    stopping_ = false;
    thread_ = std::thread([this] { loop(); });
  }
}

void TimerQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void TimerQueue::add(int64_t due_ms, uint32_t kind, uint64_t id, std::shared_ptr<void> target) {
  bool earliest;
  {
    std::lock_guard lock(mu_);
    earliest = heap_.empty() || due_ms < heap_.top().due_ms;
    heap_.push(TimerEntry{due_ms, seq_++, kind, id, std::move(target)});
  }
  if (earliest) {
    cv_.notify_one();
  }
}

size_t TimerQueue::size() const {
  std::lock_guard lock(mu_);
  return heap_.size();
}

void TimerQueue::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (heap_.empty()) {
      cv_.wait(lock);
      continue;
    }
    int64_t now = clock_.now_ms();
    int64_t due = heap_.top().due_ms;
    if (due > now) {
      // Bounded waits keep the queue honest if the wall clock jumps.
      cv_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(due - now, 1000)));
      continue;
    }
    TimerEntry e = std::move(const_cast<TimerEntry&>(heap_.top()));
    heap_.pop();
    lock.unlock();
    fire_(std::move(e));
    lock.lock();
  }
}

}  // namespace signoff::engine
