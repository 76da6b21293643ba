#include "bus/schedule.h"

#include <gtest/gtest.h>

namespace signoff::bus {
namespace {

// 2026-12-01T07:32:21Z, a Tuesday.
constexpr int64_t kNow = 1796110341000;
constexpr int64_t kMin = 60'000;

int64_t at(const char* expr, int64_t after = kNow, int64_t anchor = kNow) {
  auto s = parse_schedule(expr);
  EXPECT_TRUE(s.has_value()) << expr;
  if (!s) {
    return -1;
  }
  return next_fire(*s, after, anchor).value_or(-2);
}

TEST(Schedule, RateUnitsFollowEventBridgeGrammar) {
  EXPECT_TRUE(parse_schedule("rate(1 minute)"));
  EXPECT_TRUE(parse_schedule("rate(5 minutes)"));
  EXPECT_TRUE(parse_schedule("rate(1 hour)"));
  EXPECT_TRUE(parse_schedule("rate(2 days)"));
  EXPECT_FALSE(parse_schedule("rate(1 minutes)"));  // singular for 1
  EXPECT_FALSE(parse_schedule("rate(5 minute)"));   // plural otherwise
  EXPECT_FALSE(parse_schedule("rate(0 minutes)"));
  EXPECT_FALSE(parse_schedule("rate(-1 minutes)"));
  EXPECT_FALSE(parse_schedule("rate(1 second)"));
  EXPECT_FALSE(parse_schedule("rate(1minute)"));
  EXPECT_FALSE(parse_schedule("every 5 minutes"));
  EXPECT_FALSE(parse_schedule(""));
}

TEST(Schedule, RateKeepsItsPhase) {
  EXPECT_EQ(at("rate(1 minute)"), kNow + kMin);
  EXPECT_EQ(at("rate(5 minutes)", kNow + 7 * kMin), kNow + 10 * kMin);
  // After three hours of downtime, the next firing is the next one on the original grid.
  EXPECT_EQ(at("rate(1 hour)", kNow + 3 * 60 * kMin + 1), kNow + 4 * 60 * kMin);
}

TEST(Schedule, CronFieldsAndRestrictions) {
  EXPECT_TRUE(parse_schedule("cron(0 12 * * ? *)"));
  EXPECT_TRUE(parse_schedule("cron(15 10 ? * 6L 2026-2030)"));
  EXPECT_TRUE(parse_schedule("cron(0/15 * * * ? *)"));
  EXPECT_TRUE(parse_schedule("cron(0 8 1 JAN,JUL ? *)"));
  EXPECT_TRUE(parse_schedule("cron(0 9 ? * MON-FRI *)"));
  EXPECT_TRUE(parse_schedule("cron(0 9 ? * 2#1 *)"));
  EXPECT_TRUE(parse_schedule("cron(0 9 L * ? *)"));
  EXPECT_TRUE(parse_schedule("cron(0 9 15W * ? *)"));
  EXPECT_FALSE(parse_schedule("cron(0 12 * * * *)"));    // one of dom/dow must be ?
  EXPECT_FALSE(parse_schedule("cron(0 12 ? * ? *)"));    // but not both
  EXPECT_FALSE(parse_schedule("cron(0 12 * * ?)"));      // six fields
  EXPECT_FALSE(parse_schedule("cron(60 12 * * ? *)"));   // minute range
  EXPECT_FALSE(parse_schedule("cron(0 24 * * ? *)"));    // hour range
  EXPECT_FALSE(parse_schedule("cron(0 12 32 * ? *)"));   // day range
  EXPECT_FALSE(parse_schedule("cron(0 12 ? * 8 *)"));    // weekday range
  EXPECT_FALSE(parse_schedule("cron(0 12 * FOO ? *)"));  // month name
}

TEST(Schedule, CronNextFire) {
  // Noon every day: today at 12:00.
  EXPECT_EQ(at("cron(0 12 * * ? *)"), 1796126400000);  // 2026-12-01T12:00:00Z
  // Every 15 minutes: 07:45.
  EXPECT_EQ(at("cron(0/15 * * * ? *)"), 1796111100000);
  // Weekdays at 07:00: tomorrow (Wednesday).
  EXPECT_EQ(at("cron(0 7 ? * MON-FRI *)"), 1796194800000);  // 2026-12-02T07:00:00Z
  // Saturdays (7) at 00:00: 2026-12-05.
  EXPECT_EQ(at("cron(0 0 ? * 7 *)"), 1796428800000);
  // The last day of the month at 00:00: 2026-12-31.
  EXPECT_EQ(at("cron(0 0 L * ? *)"), 1798675200000);
  // The first Monday of the month at 09:00: 2026-12-07; the one after, 2027-01-04.
  EXPECT_EQ(at("cron(0 9 ? * 2#1 *)"), 1796634000000);
  EXPECT_EQ(at("cron(0 9 ? * 2#1 *)", 1796634000000), 1799053200000);
  // A year that is over never fires again.
  EXPECT_EQ(at("cron(0 0 1 1 ? 2020)"), -2);
  // Strictly after: at exactly 12:00 the next is tomorrow's.
  EXPECT_EQ(at("cron(0 12 * * ? *)", 1796126400000), 1796126400000 + 86'400'000);
}

}  // namespace
}  // namespace signoff::bus
