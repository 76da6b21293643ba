#include <gtest/gtest.h>

#include "policy/glob.h"
#include "policy/ip.h"
#include "policy/timestamps.h"

namespace signoff::policy {
namespace {

bool arn(std::string_view pattern, std::string_view value) {
  return arn_match(literal_pattern(pattern, true), value);
}

TEST(Glob, WholeTextAndCase) {
  EXPECT_TRUE(glob_match(literal_pattern("sTates:*", true), "states:StartExecution", true));
  EXPECT_FALSE(glob_match(literal_pattern("sTates:*", true), "states:StartExecution", false));
  EXPECT_TRUE(glob_match(literal_pattern("*", true), "", false));
  EXPECT_TRUE(glob_match(literal_pattern("a*b*c", true), "a:b:xc", false));
  EXPECT_FALSE(glob_match(literal_pattern("a?c", true), "ac", false));
  EXPECT_TRUE(glob_match(literal_pattern("a*", false), "a*", false));
  EXPECT_FALSE(glob_match(literal_pattern("a*", false), "ab", false));
}

TEST(Glob, ArnSegments) {
  EXPECT_TRUE(arn("*", "arn:aws:states:us-east-1:1:stateMachine:x"));
  EXPECT_TRUE(arn("arn:aws:states:*:*:*", "arn:aws:states:us-east-1:1:stateMachine:x"));
  EXPECT_TRUE(arn("arn:aws:s3:::b/*", "arn:aws:s3:::b/a:b/c"));
  EXPECT_FALSE(arn("arn:aws:states:us-east-1:1:st*x", "arn:aws:states:us-east-1:1:stateMachine:x"));
  EXPECT_TRUE(arn("arn:aws:states:us-east-1:1:st*:x", "arn:aws:states:us-east-1:1:stateMachine:x"));
  EXPECT_FALSE(arn("arn:aws:states:us-east-?:1:x", "arn:aws:states:us-east-:1:x"));
}

TEST(Ip, ParsesAndContains) {
  EXPECT_TRUE(parse_ip("0.0.0.0"));
  EXPECT_FALSE(parse_ip("1.2.3"));
  EXPECT_FALSE(parse_ip("1.2.3.256"));
  EXPECT_FALSE(parse_ip("01.2.3.4"));
  EXPECT_TRUE(parse_ip("::"));
  EXPECT_TRUE(parse_ip("::ffff:192.0.2.1"));
  EXPECT_TRUE(parse_ip("2001:db8:0:0:0:0:2:1"));
  EXPECT_FALSE(parse_ip("2001:db8::2::1"));
  EXPECT_FALSE(parse_ip("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
  auto b = parse_cidr("10.1.0.0/15");
  ASSERT_TRUE(b);
  EXPECT_TRUE(cidr_contains(*b, *parse_ip("10.0.255.1")));
  EXPECT_FALSE(cidr_contains(*b, *parse_ip("10.2.0.0")));
  EXPECT_TRUE(cidr_contains(*parse_cidr("0.0.0.0/0"), *parse_ip("8.8.8.8")));
  EXPECT_TRUE(cidr_contains(*parse_cidr("2001:db8::/127"), *parse_ip("2001:db8::1")));
  EXPECT_FALSE(cidr_contains(*parse_cidr("2001:db8::/128"), *parse_ip("2001:db8::1")));
}

TEST(Dates, Forms) {
  EXPECT_EQ(parse_policy_date("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_policy_date("1970-01-01"), 0);
  EXPECT_EQ(parse_policy_date("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(parse_policy_date("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_policy_date("1970-01-01T00:00Z"), 0);
  EXPECT_EQ(parse_policy_date("86400"), 86400000);
  EXPECT_FALSE(parse_policy_date("1970-13-01"));
  EXPECT_FALSE(parse_policy_date("yesterday"));
  EXPECT_FALSE(parse_policy_date("1970-01-01T00:00:00Q"));
}

}  // namespace
}  // namespace signoff::policy
