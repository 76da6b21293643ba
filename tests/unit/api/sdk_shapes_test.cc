#include "api/protocol/sdk_shapes.h"

#include <gtest/gtest.h>

namespace signoff::api {
namespace {

json::Value parse(const char* text) {
  auto r = json::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.value;
}

TEST(SdkShapes, KeysChangeCaseRecursivelyValuesStay) {
  json::Value v =
      parse(R"({"stateMachineArn":"a","tags":[{"key":"k","value":"v"}],"input":"{\"x\":1}"})");
  EXPECT_EQ(json::dump(keys_to_pascal(v)),
            R"({"StateMachineArn":"a","Tags":[{"Key":"k","Value":"v"}],"Input":"{\"x\":1}"})");
  EXPECT_EQ(json::dump(keys_to_camel(keys_to_pascal(v))), json::dump(v));
}

struct FlattenCase {
  const char* params;
  std::vector<std::pair<std::string, std::string>> expected;
};

TEST(SdkShapes, FlattensAsTheQueryProtocolDoes) {
  const FlattenCase cases[] = {
      {R"({"TopicArn":"t","Message":"m"})", {{"TopicArn", "t"}, {"Message", "m"}}},
      {R"({"Parameters":[{"ParameterKey":"A","ParameterValue":"1"}],"Capabilities":["CAPABILITY_IAM"]})",
       {{"Parameters.member.1.ParameterKey", "A"},
        {"Parameters.member.1.ParameterValue", "1"},
        {"Capabilities.member.1", "CAPABILITY_IAM"}}},
      {R"({"Attributes":{"RawMessageDelivery":"true"},"ReturnSubscriptionArn":true})",
       {{"Attributes.entry.1.key", "RawMessageDelivery"},
        {"Attributes.entry.1.value", "true"},
        {"ReturnSubscriptionArn", "true"}}},
      {R"({"MessageAttributes":{"kind":{"DataType":"String","StringValue":"x"}}})",
       {{"MessageAttributes.entry.1.Name", "kind"},
        {"MessageAttributes.entry.1.Value.DataType", "String"},
        {"MessageAttributes.entry.1.Value.StringValue", "x"}}},
      {R"({"DurationSeconds":900})", {{"DurationSeconds", "900"}}},
  };
  for (const FlattenCase& c : cases) {
    EXPECT_EQ(flatten_query_params(parse(c.params)), c.expected) << c.params;
  }
}

struct XmlCase {
  const char* xml;
  const char* expected;  // JSON, or nullptr: not a query response
};

TEST(SdkShapes, ReadsQueryResultsAsTheSdkShapesThem) {
  const XmlCase cases[] = {
      {R"(<?xml version="1.0"?><PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>)",
       R"({"MessageId":"m-1"})"},
      {R"(<ListTopicsResponse><ListTopicsResult><Topics><member><TopicArn>a</TopicArn></member><member><TopicArn>b &amp; c</TopicArn></member></Topics></ListTopicsResult></ListTopicsResponse>)",
       R"({"Topics":[{"TopicArn":"a"},{"TopicArn":"b & c"}]})"},
      {R"(<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes><entry><key>Owner</key><value>1</value></entry></Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>)",
       R"({"Attributes":{"Owner":"1"}})"},
      {R"(<DeleteTopicResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteTopicResponse>)",
       R"({})"},
      {R"(<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>x&#x41;&#66;</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>)",
       R"({"Arn":"xAB"})"},
      {R"(<ErrorResponse><Error><Code>NotFound</Code></Error></ErrorResponse>)", nullptr},
      {R"(<A><B></A>)", nullptr},
      {"", nullptr},
      {"<", nullptr},
  };
  for (const XmlCase& c : cases) {
    auto got = query_result_to_json(c.xml);
    if (c.expected == nullptr) {
      EXPECT_FALSE(got.has_value()) << c.xml;
    } else {
      ASSERT_TRUE(got.has_value()) << c.xml;
      EXPECT_EQ(json::dump(*got), c.expected) << c.xml;
    }
  }
}

TEST(SdkShapes, ReadsQueryErrors) {
  auto e = query_error_of(
      R"(<ErrorResponse xmlns="x"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>)");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, "NotFound");
  EXPECT_EQ(e->message, "Topic does not exist");
  EXPECT_FALSE(query_error_of("<PublishResponse/>").has_value());
}

}  // namespace
}  // namespace signoff::api
