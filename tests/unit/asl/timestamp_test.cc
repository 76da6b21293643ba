#include "asl/timestamp.h"

#include <limits>

#include <gtest/gtest.h>

#include "asl/timestamp_internal.h"

namespace signoff::asl {
namespace {

constexpr int64_t kSec = 1'000'000'000;

struct ValidCase {
  const char* text;
  EpochNanos nanos;
};

TEST(Timestamp, ParsesWhatStepFunctionsAccepts) {
  const ValidCase cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2016-03-14T01:59:00Z", 1457920740 * kSec},
      {"2016-03-14T01:59:00.123Z", 1457920740 * kSec + 123'000'000},
      {"2016-03-14T01:59:00.1Z", 1457920740 * kSec + 100'000'000},
      {"2016-03-14T01:59:00.123456789Z", 1457920740 * kSec + 123'456'789},
      // Digits past nanoseconds are accepted and ignored.
      {"2016-03-14T01:59:00.1234567891234Z", 1457920740 * kSec + 123'456'789},
      {"2016-03-14T03:59:00+02:00", 1457920740 * kSec},
      {"2016-03-13T23:29:00-02:30", 1457920740 * kSec},
      {"2016-03-14T01:59:00+00:00", 1457920740 * kSec},
      {"2016-03-14T01:59:00-00:00", 1457920740 * kSec},
      {"2012-10-09T19:00:55Z", 1349809255 * kSec},
      {"2012-10-09T19:00:55+01:00", 1349805655 * kSec},
      {"2000-02-29T00:00:00Z", 951782400 * kSec},
      {"1969-12-31T23:59:59.5Z", -kSec / 2},
      {"1900-01-01T00:00:00Z", -2208988800LL * kSec},
  };
  for (const ValidCase& c : cases) {
    auto t = parse_timestamp(c.text);
    ASSERT_TRUE(t.has_value()) << c.text;
    EXPECT_EQ(*t, c.nanos) << c.text;
  }
}

TEST(Timestamp, RejectsWhatStepFunctionsRejects) {
  const char* cases[] = {
      "",
      "2016-13-05T21:29:29Z",        // month 13 (recorded on AWS)
      "05-12-2016T21:29:29Z",        // day first (recorded on AWS)
      "2016-12-05T25:29:29Z",        // hour 25 (recorded on AWS)
      "2016-12-05T21:29:29",         // no offset (recorded on AWS)
      "2016-12-05 21:29:29Z",        // space separator
      "2016-12-05t21:29:29Z",        // lowercase t
      "2016-12-05T21:29:29z",        // lowercase z
      "2016-02-30T00:00:00Z",        // no such day
      "2015-02-29T00:00:00Z",        // not a leap year
      "1900-02-29T00:00:00Z",        // century, not a leap year
      "2016-00-10T00:00:00Z",        // month 0
      "2016-01-00T00:00:00Z",        // day 0
      "2016-01-01T24:00:00Z",        // hour 24
      "2016-01-01T00:60:00Z",        // minute 60
      "2016-01-01T00:00:60Z",        // leap second
      "2016-01-01T00:00:00.Z",       // empty fraction
      "2016-01-01T00:00:00+0100",    // offset without colon
      "2016-01-01T00:00:00+01",      // short offset
      "2016-01-01T00:00:00+24:00",   // offset hour
      "2016-01-01T00:00:00+01:60",   // offset minute
      "2016-01-01T00:00:00ZZ",       // trailing text
      "2016-01-01T00:00:00Z ",       // trailing space
      " 2016-01-01T00:00:00Z",       // leading space
      "2016-1-01T00:00:00Z",         // short month
      "16-01-01T00:00:00Z",          // short year
      "+2016-01-01T00:00:00Z",       // signed year
      "2016-01-01",                  // date only
      "2023-02-24 12:15:56.832957",  // Python's str(datetime) (recorded on AWS as no match)
      "2016-01-01T00:00Z",           // no seconds
      "2016-01-01T00:00:00.12a3Z",   // junk in fraction
  };
  for (const char* c : cases) {
    EXPECT_FALSE(parse_timestamp(c).has_value()) << c;
  }
}

TEST(Timestamp, FarYearsSaturateButStayValid) {
  EXPECT_EQ(parse_timestamp("9999-12-31T23:59:59Z"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parse_timestamp("0000-01-01T00:00:00Z"), std::numeric_limits<int64_t>::min());
  auto far = parse_instant("9999-12-31T23:59:59.999999999Z");
  auto farther = parse_instant("9999-12-31T23:59:59.999999999-01:00");
  ASSERT_TRUE(far && farther);
  EXPECT_LT(*far, *farther);
  EXPECT_EQ(far->seconds, 253402300799);
}

TEST(Timestamp, InstantsCompareAcrossOffsets) {
  auto a = parse_instant("2012-10-09T19:00:55Z");
  auto b = parse_instant("2012-10-09T20:00:55+01:00");
  auto c = parse_instant("2012-10-09T19:00:55.000000001Z");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_LT(*a, *c);
}

TEST(Timestamp, FormatsLikeAwsHistories) {
  struct Case {
    EpochNanos t;
    const char* text;
  };
  const Case cases[] = {
      {0, "1970-01-01T00:00:00.000Z"},
      {1457920740 * kSec + 123'456'789, "2016-03-14T01:59:00.123Z"},
      {1457920740 * kSec, "2016-03-14T01:59:00.000Z"},
      {951782400 * kSec + 86399 * kSec + 999'999'999, "2000-02-29T23:59:59.999Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {-2208988800LL * kSec, "1900-01-01T00:00:00.000Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(format_timestamp(c.t), c.text);
  }
}

TEST(Timestamp, FormatThenParseRoundTripsToTheMillisecond) {
  for (int64_t t = -5'000'000'000'000'000'000LL; t < 5'000'000'000'000'000'000LL;
       t += 123'456'789'012'345'677LL) {
    auto back = parse_timestamp(format_timestamp(t));
    ASSERT_TRUE(back.has_value()) << t;
    const int64_t millis_floor = (t >= 0 ? t : t - 999'999) / 1'000'000 * 1'000'000;
    EXPECT_EQ(*back, millis_floor) << t;
  }
}

}  // namespace
}  // namespace signoff::asl
