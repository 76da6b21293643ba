// Time is injected: services read it from a Clock so tests can drive it. RealClock is the only
// place that reads the system clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace signoff {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, milliseconds since the Unix epoch.
  virtual int64_t now_ms() const = 0;
  // Wall-clock time, nanoseconds since the Unix epoch (history timestamps).
  virtual int64_t now_ns() const = 0;
};

class RealClock final : public Clock {
 public:
  int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t now_ns() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace signoff
