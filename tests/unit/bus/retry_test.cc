#include "bus/retry.h"

#include <gtest/gtest.h>

namespace signoff::bus {
namespace {

TEST(Retry, BackoffDoublesToACapWithEqualJitter) {
  EXPECT_EQ(backoff_ms(1, 0.0), 500);
  EXPECT_EQ(backoff_ms(1, 0.999999), 999);
  EXPECT_EQ(backoff_ms(2, 0.0), 1000);
  EXPECT_EQ(backoff_ms(5, 0.0), 8000);
  EXPECT_EQ(backoff_ms(20, 0.0), 240000);
  EXPECT_EQ(backoff_ms(185, 0.0), 240000);
  EXPECT_EQ(backoff_ms(185, 1.0), 480000);
}

TEST(Retry, DefaultsSpanAboutADay) {
  RetryPolicy p;
  EXPECT_EQ(p.maximum_retry_attempts, 185);
  EXPECT_EQ(p.maximum_event_age_seconds, 86400);
  int64_t total = 0;
  for (int64_t r = 1; r <= 185; ++r) {
    total += backoff_ms(r, 0.5);
  }
  EXPECT_GT(total, 12 * 3600 * 1000LL);
  EXPECT_LT(total, 36 * 3600 * 1000LL);
}

TEST(Retry, GivesUpOnAttemptsOrAge) {
  RetryPolicy p;
  p.maximum_retry_attempts = 2;
  p.maximum_event_age_seconds = 60;
  EXPECT_EQ(next_attempt_ms(p, 1, 0, 1000, 0.0), 1500);
  EXPECT_EQ(next_attempt_ms(p, 2, 0, 1000, 0.0), 2000);
  EXPECT_FALSE(next_attempt_ms(p, 3, 0, 1000, 0.0));  // two retries done
  p.maximum_retry_attempts = 185;
  EXPECT_FALSE(next_attempt_ms(p, 1, 0, 59'900, 0.0));  // would be older than 60 s
  RetryPolicy none;
  none.maximum_retry_attempts = 0;
  EXPECT_FALSE(next_attempt_ms(none, 1, 0, 0, 0.0));  // no retries at all
}

}  // namespace
}  // namespace signoff::bus
