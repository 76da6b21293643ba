#include "api/protocol/json_protocol.h"

#include <gtest/gtest.h>

namespace signoff::api {
namespace {

json::Value parse(std::string_view text) {
  return json::parse(text).value;
}

TEST(JsonProtocol, DecodeBody) {
  struct {
    const char* body;
    bool ok;
  } cases[] = {
      {"", true},      {"  \n", true},        {"{}", true},     {R"({"a":[1,{"b":null}]})", true},
      {"{", false},    {"[]", false},         {"\"s\"", false}, {"null", false},
      {"{} x", false}, {"{\"a\":1,}", false}, {"\xff", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    Result<json::Value> r = decode_json_body(c.body);
    EXPECT_EQ(r.ok(), c.ok);
    if (r.ok()) {
      EXPECT_TRUE(r->is_object());
    } else {
      EXPECT_EQ(r.error().type, "SerializationException");
      EXPECT_EQ(r.error().status, 400);
    }
  }
  // Deep nesting is refused as a value, not by running out of stack.
  EXPECT_FALSE(decode_json_body(std::string(100000, '[')).ok());
}

TEST(JsonProtocol, ReaderTypedMembers) {
  json::Value body = parse(
      R"({"name":"n","max":10,"flag":true,"obj":{"k":1},"list":["a","b"],"nul":null,"dbl":3.0})");
  JsonReader in(body);
  EXPECT_EQ(in.required_string("name"), "n");
  EXPECT_EQ(in.optional_string("missing"), std::nullopt);
  EXPECT_EQ(in.optional_string("nul"), std::nullopt);  // null reads as absent
  EXPECT_EQ(in.optional_int("max"), 10);
  EXPECT_EQ(in.optional_int("dbl"), 3);
  EXPECT_EQ(in.optional_bool("flag"), true);
  EXPECT_TRUE(in.optional_object("obj")->is_object());
  EXPECT_EQ(in.optional_string_list("list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(in.ok());
  EXPECT_FALSE(in.error());
}

TEST(JsonProtocol, ValidationMessagesAsAwsWritesThem) {
  struct {
    const char* body;
    const char* message;
  } cases[] = {
      {"{}",
       "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy "
       "constraint: Member must not be null"},
      {R"({"stateMachineArn":"","maxResults":1001})",
       "2 validation errors detected: Value '' at 'stateMachineArn' failed to satisfy "
       "constraint: Member must have length greater than or equal to 1; Value '1001' at "
       "'maxResults' failed to satisfy constraint: Member must have value less than or equal to "
       "1000"},
      {R"({"stateMachineArn":"a","name":"ééé"})",
       "1 validation error detected: Value 'ééé' at 'name' failed to satisfy constraint: Member "
       "must have length less than or equal to 2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    json::Value body = parse(c.body);
    JsonReader in(body);
    in.required_string("stateMachineArn", {.min = 1, .max = 256});
    in.optional_string("name", {.max = 2});
    in.optional_int("maxResults", {.min = 0, .max = 1000});
    auto error = in.error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->type, "ValidationException");
    EXPECT_EQ(error->message, c.message);
  }
}

TEST(JsonProtocol, WrongTypesAreSerializationErrors) {
  const char* bodies[] = {R"({"s":1})",      R"({"i":"1"})",     R"({"i":1.5})",
                          R"({"b":"true"})", R"({"l":["a",2]})", R"({"o":[]})"};
  for (const char* text : bodies) {
    SCOPED_TRACE(text);
    json::Value body = parse(text);
    JsonReader in(body);
    in.optional_string("s");
    in.optional_int("i");
    in.optional_bool("b");
    in.optional_string_list("l");
    in.optional_object("o");
    in.required_string("absent");  // a violation too, but the serialization error wins
    ASSERT_TRUE(in.error());
    EXPECT_EQ(in.error()->type, "SerializationException");
  }
}

TEST(JsonProtocol, NestedReaderPathsAndCustomViolations) {
  json::Value body = parse(R"({"loggingConfiguration":{"level":"LOUD"}})");
  JsonReader outer(body);
  JsonReader inner(*outer.optional_object("loggingConfiguration"), "loggingConfiguration");
  std::string level = *inner.optional_string("level");
  inner.add_violation("level", "'" + level + "'",
                      "Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]");
  EXPECT_EQ(inner.error()->message,
            "1 validation error detected: Value 'LOUD' at 'loggingConfiguration.level' failed to "
            "satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]");
}

TEST(JsonProtocol, SuccessResponse) {
  HttpResponse r = json_response(parse(R"({"a":[1,"x"]})"), JsonVersion::V1_1, "rid");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"a":[1,"x"]})");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].value, "application/x-amz-json-1.1");
  EXPECT_EQ(r.headers[1].name, "x-amzn-RequestId");
  EXPECT_EQ(r.headers[1].value, "rid");
}

}  // namespace
}  // namespace signoff::api
