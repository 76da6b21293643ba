#include "engine/timer_queue.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace signoff::engine {
namespace {

// A clock the test moves; the queue re-reads it at least every second, and on every add.
class ManualClock final : public Clock {
 public:
  int64_t now_ms() const override { return ms_.load(); }
  int64_t now_ns() const override { return ms_.load() * 1'000'000; }
  void set(int64_t ms) { ms_.store(ms); }

 private:
  std::atomic<int64_t> ms_{1000};
};

TEST(TimerQueue, FiresInDueOrderOnlyWhenDue) {
  ManualClock clock;
  std::mutex mu;
  std::vector<uint64_t> fired;
  TimerQueue q(clock, [&](TimerEntry&& e) {
    std::lock_guard lock(mu);
    fired.push_back(e.id);
  });
  q.start();
  q.add(3000, 1, 3, nullptr);
  q.add(2000, 1, 2, nullptr);
  q.add(2000, 1, 22, nullptr);  // same due time: insertion order
  q.add(500, 1, 1, nullptr);    // already due
  auto wait_for = [&](size_t n) {
    for (int i = 0; i < 400; ++i) {
      {
        std::lock_guard lock(mu);
        if (fired.size() >= n) {
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  wait_for(1);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(fired, std::vector<uint64_t>({1}));
  }
  clock.set(2500);
  q.add(100000, 1, 99, nullptr);  // wakes the queue to re-read the clock
  wait_for(3);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(fired, std::vector<uint64_t>({1, 2, 22}));
  }
  EXPECT_EQ(q.size(), 2u);
  q.stop();
}

TEST(TimerQueue, ManyPendingTimersAreCheap) {
  ManualClock clock;
  TimerQueue q(clock, [](TimerEntry&&) {});
  for (uint64_t i = 0; i < 200000; ++i) {
    q.add(10'000'000 + static_cast<int64_t>(i % 977), 1, i, nullptr);
  }
  EXPECT_EQ(q.size(), 200000u);
  EXPECT_LE(sizeof(TimerEntry), 48u);
}

}  // namespace
}  // namespace signoff::engine
