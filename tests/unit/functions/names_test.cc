#include "functions/names.h"

#include <gtest/gtest.h>

namespace signoff::functions {
namespace {

TEST(Names, Forms) {
  auto r = parse_function_ref("demo", "", "us-east-1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "demo");
  EXPECT_EQ(r->qualifier, "");
  r = parse_function_ref("demo:live", "", "us-east-1");
  EXPECT_EQ(r->qualifier, "live");
  r = parse_function_ref("arn:aws:lambda:eu-west-1:123456789012:function:demo:3", "", "us-east-1");
  EXPECT_EQ(r->region, "eu-west-1");
  EXPECT_EQ(r->account, "123456789012");
  EXPECT_EQ(r->qualifier, "3");
  r = parse_function_ref("123456789012:function:demo", "$LATEST", "us-east-1");
  EXPECT_EQ(r->name, "demo");
  EXPECT_EQ(r->qualifier, "$LATEST");
}

TEST(Names, Errors) {
  EXPECT_EQ(parse_function_ref("demo:1", "2", "r").error().type, "InvalidParameterValueException");
  EXPECT_EQ(parse_function_ref("bad name", "", "r").error().type, "ValidationException");
  EXPECT_FALSE(parse_function_ref("", "", "r").ok());
  EXPECT_FALSE(parse_function_ref("a:b:c:d:e", "", "r").ok());
}

}  // namespace
}  // namespace signoff::functions
