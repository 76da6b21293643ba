#include "patterns/values.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "patterns/compiler.h"

namespace signoff::patterns {
namespace {

struct NumberCase {
  const char* text;
  NumberStatus status;
  int64_t scaled;
};

class NumberTest : public ::testing::TestWithParam<NumberCase> {};

TEST_P(NumberTest, Parses) {
  const NumberCase& c = GetParam();
  ScaledNumber n = parse_scaled(c.text);
  EXPECT_EQ(n.status, c.status) << c.text;
  if (c.status == NumberStatus::Ok) {
    EXPECT_EQ(n.value, c.scaled) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, NumberTest,
    ::testing::Values(
        NumberCase{"0", NumberStatus::Ok, 0}, NumberCase{"-0", NumberStatus::Ok, 0},
        NumberCase{"300", NumberStatus::Ok, 300000000},
        NumberCase{"300.0", NumberStatus::Ok, 300000000},
        NumberCase{"3e2", NumberStatus::Ok, 300000000},
        NumberCase{"3.018e2", NumberStatus::Ok, 301800000},
        NumberCase{"-1.5", NumberStatus::Ok, -1500000}, NumberCase{"0.000001", NumberStatus::Ok, 1},
        NumberCase{"1e-6", NumberStatus::Ok, 1}, NumberCase{"1.2500000", NumberStatus::Ok, 1250000},
        NumberCase{"5000000000", NumberStatus::Ok, 5000000000LL * 1000000},
        NumberCase{"-5e9", NumberStatus::Ok, -5000000000LL * 1000000},
        NumberCase{"5000000000.000001", NumberStatus::OutOfRange, 0},
        NumberCase{"1e20", NumberStatus::OutOfRange, 0},
        NumberCase{"123456789012", NumberStatus::OutOfRange, 0},
        NumberCase{"0.0000001", NumberStatus::TooPrecise, 0},
        NumberCase{"37.807807921694092", NumberStatus::TooPrecise, 0},
        NumberCase{"1e-999999999999", NumberStatus::TooPrecise, 0},
        NumberCase{"1e999999999999", NumberStatus::OutOfRange, 0},
        NumberCase{"01", NumberStatus::NotANumber, 0},
        NumberCase{"1.", NumberStatus::NotANumber, 0},
        NumberCase{"+1", NumberStatus::NotANumber, 0},
        NumberCase{"1e", NumberStatus::NotANumber, 0}, NumberCase{"", NumberStatus::NotANumber, 0},
        NumberCase{"abc", NumberStatus::NotANumber, 0}));

struct IpCase {
  const char* text;
  bool ok;
  int size;
};

class IpTest : public ::testing::TestWithParam<IpCase> {};

TEST_P(IpTest, Parses) {
  const IpCase& c = GetParam();
  IpAddress ip;
  EXPECT_EQ(parse_ip(c.text, ip), c.ok) << c.text;
  if (c.ok) {
    EXPECT_EQ(ip.size, c.size) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, IpTest,
    ::testing::Values(IpCase{"10.0.0.1", true, 4}, IpCase{"255.255.255.255", true, 4},
                      IpCase{"256.0.0.1", false, 0}, IpCase{"10.0.0", false, 0},
                      IpCase{"10.0.0.1.2", false, 0}, IpCase{"a.b.c.d", false, 0},
                      IpCase{"::", true, 16}, IpCase{"::1", true, 16},
                      IpCase{"2001:db8::", true, 16}, IpCase{"2001:db8:1234:1a00::", true, 16},
                      IpCase{"1:2:3:4:5:6:7:8", true, 16}, IpCase{"1:2:3:4:5:6:7:8:9", false, 0},
                      IpCase{"1::2::3", false, 0}, IpCase{"::ffff:1.2.3.4", true, 16},
                      IpCase{"xxxx:db8:1234:1a00::", false, 0}, IpCase{"1:2:3:4:5:6:7:", false, 0},
                      IpCase{"", false, 0}));

TEST(ValuesTest, FoldCase) {
  EXPECT_EQ(fold_case("HeLLo"), "hello");
  EXPECT_EQ(fold_case("ÉTÉ Ü"), "été ü");
  EXPECT_EQ(fold_case("ΣΑΣ"), "σασ");
  EXPECT_EQ(fold_case("ПРИВЕТ"), "привет");
  EXPECT_EQ(fold_case("🚀X"), "🚀x");
  EXPECT_TRUE(is_folded_ascii("abc-1"));
  EXPECT_FALSE(is_folded_ascii("aBc"));
}

struct GlobCase {
  const char* glob;
  const char* text;
  bool match;
};

class GlobTest : public ::testing::TestWithParam<GlobCase> {};

TEST_P(GlobTest, Matches) {
  const GlobCase& c = GetParam();
  ASSERT_FALSE(check_wildcard(c.glob).has_value()) << c.glob;
  EXPECT_EQ(glob_match(compile_glob(c.glob), c.text), c.match) << c.glob << " ~ " << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, GlobTest,
    ::testing::Values(GlobCase{"abc", "abc", true}, GlobCase{"abc", "abcd", false},
                      GlobCase{"*", "", true}, GlobCase{"a*", "a", true},
                      GlobCase{"*a", "ba", true}, GlobCase{"*a*", "xax", true},
                      GlobCase{"a*b*c", "abc", true}, GlobCase{"a*b*c", "acb", false},
                      GlobCase{"a*a", "a", false}, GlobCase{"a*aa*a", "aaaa", true},
                      GlobCase{"a*aa*a", "aaa", false}, GlobCase{"\\*", "*", true},
                      GlobCase{"\\\\*", "\\x", true}));

TEST(ValuesTest, WildcardComplexity) {
  std::vector<std::string> ok{"arn:aws:events:us-east-1:*:event-bus/*"};
  EXPECT_LE(wildcard_complexity(ok), kMaxWildcardComplexity);
  std::vector<std::string> repeating{"/Users/*/dir/dir/dir/dir/dir/doc.txt"};
  EXPECT_LE(wildcard_complexity(repeating), kMaxWildcardComplexity);
  std::vector<std::string> complex{"*:*:*:*:*:event-bus/*"};
  EXPECT_GT(wildcard_complexity(complex), kMaxWildcardComplexity);
}

TEST(ValuesTest, CidrErrors) {
  CidrBlock b;
  EXPECT_EQ(parse_cidr("10.0.0.0/", b).value_or(""), "Malformed CIDR, one '/' required");
  EXPECT_EQ(parse_cidr("/24", b).value_or(""), "Nonstandard IP address: ");
  EXPECT_EQ(parse_cidr("10.0.0.0/-1", b).value_or(""),
            "Malformed CIDR, mask bits must not be negative");
  EXPECT_EQ(parse_cidr("::/128", b).value_or(""), "IPv6 mask bits must be < 128");
  EXPECT_FALSE(parse_cidr("10.0.0.0/+8", b).has_value());
  EXPECT_EQ(b.bits, 8);
}

TEST(CompilerTest, SplitsPathsAtDots) {
  CompileResult r = compile_pattern(R"({"a":{"b.c":["x"]},"$or":[{"d":[1]},{"e":[2]}]})");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.pattern.subrules.size(), 2u);
  ASSERT_EQ(r.pattern.subrules[0].fields.size(), 2u);
  EXPECT_EQ(r.pattern.subrules[0].fields[0].path, "a.b.c");
  EXPECT_EQ(r.pattern.subrules[0].fields[0].segments, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(CompilerTest, BoundsHostilePatterns) {
  std::string deep;
  for (int i = 0; i < 100; ++i) {
    deep += "{\"a\":";
  }
  EXPECT_FALSE(compile_pattern(deep).ok());
  std::string ors = "{";
  for (int i = 0; i < 10; ++i) {
    ors += "\"$or\":[{\"a" + std::to_string(i) + "\":[1]},{\"b" + std::to_string(i) + "\":[1]}],";
  }
  ors += "\"z\":[1]}";
  EXPECT_FALSE(compile_pattern(ors).ok());
}

}  // namespace
}  // namespace signoff::patterns
