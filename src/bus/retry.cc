#include "bus/retry.h"

#include <algorithm>

namespace signoff::bus {

namespace {
constexpr int64_t kBaseMs = 1000;
constexpr int64_t kCapMs = 8 * 60 * 1000;
}  // namespace

int64_t backoff_ms(int64_t retry, double jitter) {
  int64_t delay = kCapMs;
  if (retry >= 1 && retry <= 20) {
    delay = std::min(kCapMs, kBaseMs << (retry - 1));
  }
  jitter = std::clamp(jitter, 0.0, 1.0);
  return delay / 2 + static_cast<int64_t>(jitter * static_cast<double>(delay / 2));
}

std::optional<int64_t> next_attempt_ms(const RetryPolicy& policy, int64_t attempts,
                                       int64_t event_time_ms, int64_t now_ms, double jitter) {
  int64_t retry = attempts;  // the first attempt is not a retry
  if (retry > policy.maximum_retry_attempts) {
    return std::nullopt;
  }
  int64_t at = now_ms + backoff_ms(retry, jitter);
  if (at - event_time_ms > policy.maximum_event_age_seconds * 1000) {
    return std::nullopt;
  }
  return at;
}

}  // namespace signoff::bus
