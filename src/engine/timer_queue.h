// One thread that fires deadlines in order: Wait states, retry back-off, task timeouts and
// heartbeats, activity long polls. A pending timer is a 48-byte heap entry (no std::function,
// no allocation beyond the heap's own growth), so a million pending timers cost about 48 MB.
// Cancelling is lazy: whoever receives a stale firing ignores it, which the interpreter already
// does for ids it no longer waits on.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "common/clock.h"

namespace signoff::engine {

struct TimerEntry {
  int64_t due_ms = 0;
  uint64_t seq = 0;
  uint32_t kind = 0;
  uint64_t id = 0;
  std::shared_ptr<void> target;
};

class TimerQueue {
 public:
  using FireFn = std::function<void(TimerEntry&&)>;

  TimerQueue(const Clock& clock, FireFn fire);
  ~TimerQueue();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  void start();
  void stop();
  void add(int64_t due_ms, uint32_t kind, uint64_t id, std::shared_ptr<void> target);
  size_t size() const;

 private:
  struct Later {
    bool operator()(const TimerEntry& a, const TimerEntry& b) const {
      return a.due_ms != b.due_ms ? a.due_ms > b.due_ms : a.seq > b.seq;
    }
  };
  void loop();

  const Clock& clock_;
  FireFn fire_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, Later> heap_;
  uint64_t seq_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace signoff::engine
