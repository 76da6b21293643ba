#include "sigv4/canonical.h"

#include <gtest/gtest.h>

#include "sigv4/amz_date.h"

namespace signoff::sigv4 {
namespace {

TEST(CanonicalUri, NormalizesAndDoubleEncodesForNonS3) {
  EXPECT_EQ(canonical_uri("", false), "/");
  EXPECT_EQ(canonical_uri("/", false), "/");
  EXPECT_EQ(canonical_uri("/a/./b/../c//d/", false), "/a/c/d/");
  EXPECT_EQ(canonical_uri("/../..", false), "/");
  EXPECT_EQ(canonical_uri("/functions/arn%3Aaws%20x", false), "/functions/arn%253Aaws%2520x");
  EXPECT_EQ(canonical_uri("/a b~c", false), "/a%20b~c");
}

TEST(CanonicalUri, S3PathsAreSignedAsSent) {
  EXPECT_EQ(canonical_uri("/bucket/a/./b%20c//d", true), "/bucket/a/./b%20c//d");
}

TEST(CanonicalQuery, SortsByEncodedNameThenValueAndReencodes) {
  EXPECT_EQ(canonical_query(parse_query("z=2&a=3&a=1&empty=&flag")), "a=1&a=3&empty=&flag=&z=2");
  // '+' is a literal plus (SDKs send spaces as %20) and lowercase escapes are re-encoded upper.
  EXPECT_EQ(canonical_query(parse_query("k=a+b%2fc%7E%20")), "k=a%2Bb%2Fc~%20");
  EXPECT_EQ(canonical_query(parse_query("&&b=1&")), "b=1");
  EXPECT_EQ(canonical_query(parse_query("X-Amz-Signature=ab&A=1"), "X-Amz-Signature"), "A=1");
  // A stray '%' stays a literal percent sign.
  EXPECT_EQ(canonical_query(parse_query("p=100%&q=%zz")), "p=100%25&q=%25zz");
}

TEST(CanonicalHeaders, TrimsCollapsesAndJoinsRepeatedValues) {
  EXPECT_EQ(trim_all("  a   b \t c  "), "a b c");
  EXPECT_EQ(trim_all(""), "");
  std::vector<Header> headers = {{"Host", "example.com"},
                                 {"X-Multi", "  one   two "},
                                 {"x-multi", "three"},
                                 {"X-Other", "unsigned"}};
  EXPECT_EQ(canonical_headers(headers, {"host", "x-missing", "x-multi"}),
            "host:example.com\nx-missing:\nx-multi:one two,three\n");
}

TEST(AmzDate, ParsesOnlyTheBasicFormat) {
  EXPECT_EQ(parse_amz_date("19700101T000000Z"), 0);
  EXPECT_EQ(parse_amz_date("20150830T123600Z"), 1440938160);
  EXPECT_EQ(parse_amz_date("20240229T235959Z"), 1709251199);
  EXPECT_FALSE(parse_amz_date("20230229T000000Z"));
  EXPECT_FALSE(parse_amz_date("2015-08-30T12:36:00Z"));
  EXPECT_FALSE(parse_amz_date("20150830T123600"));
  EXPECT_FALSE(parse_amz_date("20150830T246000Z"));
  EXPECT_FALSE(parse_amz_date("Sun, 30 Aug 2015 12:36:00 GMT"));
  EXPECT_EQ(format_amz_date(1440938160), "20150830T123600Z");
  EXPECT_EQ(format_amz_date(1709251199), "20240229T235959Z");
}

}  // namespace
}  // namespace signoff::sigv4
