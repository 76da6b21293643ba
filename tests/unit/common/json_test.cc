#include "common/json.h"

#include <cmath>

#include <gtest/gtest.h>

namespace signoff::json {
namespace {

TEST(Json, RoundTripsCompactText) {
  const char* cases[] = {"null",
                         "true",
                         "false",
                         "0",
                         "-12",
                         "1.5",
                         "\"x\"",
                         "[]",
                         "{}",
                         "[1,[2,{\"a\":null}]]",
                         "{\"a\":1,\"b\":\"a long string over the inline limit\"}",
                         "\"tab\\there\\u0001\"",
                         "9223372036854775807",
                         "1.0E20",
                         "-2.5E-7"};
  for (const char* text : cases) {
    ParseResult r = parse(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error;
    EXPECT_EQ(dump(r.value), text);
    EXPECT_EQ(dumped_size(r.value), std::string(text).size()) << text;
  }
}

TEST(Json, RejectsMalformedTextWithOffset) {
  const char* cases[] = {"", "{", "[1,]", "{\"a\" 1}", "tru", "01x", "\"\\x\"", "[1] 2", "-", "1."};
  for (const char* text : cases) {
    ParseResult r = parse(text);
    EXPECT_FALSE(r.ok()) << text;
  }
  EXPECT_FALSE(parse(std::string(1000, '['), 512).ok());
}

TEST(Json, DecodesSurrogatePairs) {
  ParseResult r = parse("\"\\ud83d\\ude00\"");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.as_string(), "\xF0\x9F\x98\x80");
}

TEST(Json, NumbersCompareByValueObjectsByContent) {
  EXPECT_EQ(parse("1").value, parse("1.0").value);
  EXPECT_EQ(parse("{\"a\":1,\"b\":2}").value, parse("{\"b\":2,\"a\":1}").value);
  EXPECT_NE(parse("[1,2]").value, parse("[2,1]").value);
  EXPECT_NE(parse("\"1\"").value, parse("1").value);
  EXPECT_EQ(parse("1e400").value.as_double(), HUGE_VAL);
}

TEST(Json, CopyOnWriteLeavesSharedCopiesAlone) {
  Value a = parse("{\"k\":[1,2],\"s\":\"a string longer than fourteen\"}").value;
  Value b = a;
  EXPECT_FALSE(a.unique());
  b.set("k", Value(3));
  b.set("new", Value("v"));
  EXPECT_EQ(dump(a), "{\"k\":[1,2],\"s\":\"a string longer than fourteen\"}");
  EXPECT_EQ(dump(b), "{\"k\":3,\"s\":\"a string longer than fourteen\",\"new\":\"v\"}");
  EXPECT_TRUE(b.erase("k"));
  EXPECT_FALSE(b.erase("k"));
  EXPECT_EQ(a.find("k")->size(), 2u);
}

TEST(Json, FormatsDoublesLikeTheJvm) {
  auto fmt = [](double d) {
    std::string s;
    format_double(d, s);
    return s;
  };
  EXPECT_EQ(fmt(1.0), "1.0");
  EXPECT_EQ(fmt(0.1), "0.1");
  EXPECT_EQ(fmt(1e20), "1.0E20");
  EXPECT_EQ(fmt(1.5e-7), "1.5E-7");
  EXPECT_EQ(fmt(-3.25), "-3.25");
}

}  // namespace
}  // namespace signoff::json
