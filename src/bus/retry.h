// A target's RetryPolicy and the back-off between delivery attempts. Pure: the jitter draw and
// the times are passed in.
#pragma once

#include <cstdint>
#include <optional>

namespace signoff::bus {

struct RetryPolicy {
  // EventBridge's defaults: 185 retries within 24 hours.
  int64_t maximum_retry_attempts = 185;       // 0..185
  int64_t maximum_event_age_seconds = 86400;  // 60..86400
};

// The wait before retry number `retry` (1 for the first retry): exponential from 1 s, doubling,
// capped at 8 minutes (so 185 retries span about a day), with "equal jitter": half the delay is
// fixed and half is jitter * delay (jitter in [0, 1)), so concurrent failures spread out.
int64_t backoff_ms(int64_t retry, double jitter);

// When to make the next attempt after `attempts` attempts failed (retryably), or nullopt when the
// policy is spent: too many retries, or the event would be older than its maximum age by then.
std::optional<int64_t> next_attempt_ms(const RetryPolicy& policy, int64_t attempts,
                                       int64_t event_time_ms, int64_t now_ms, double jitter);

}  // namespace signoff::bus
