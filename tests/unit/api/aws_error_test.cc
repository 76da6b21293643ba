#include "api/aws_error.h"

#include <gtest/gtest.h>

namespace signoff::api {
namespace {

std::string header(const HttpResponse& r, std::string_view name) {
  for (const Header& h : r.headers) {
    if (h.name == name) {
      return h.value;
    }
  }
  return "<none>";
}

TEST(AwsError, JsonRendering) {
  struct {
    AwsError error;
    const char* ns;
    JsonVersion version;
    const char* body;
  } cases[] = {
      {{400, "StateMachineDoesNotExist", "State Machine Does Not Exist: 'a'"},
       "com.amazonaws.swf.service.v2.model",
       JsonVersion::V1_0,
       R"({"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: 'a'"})"},
      {validation_error("bad"), "com.amazonaws.swf.service.v2.model", JsonVersion::V1_0,
       R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})"},
      {serialization_error("x"), "com.amazonaws.swf.service.v2.model", JsonVersion::V1_0,
       R"({"__type":"com.amazon.coral.service#SerializationException","message":"x"})"},
      // Services without a namespace (SSM, EventBridge, Logs) send bare names.
      {{400, "InvalidDocument", "Document x does not exist"},
       "",
       JsonVersion::V1_1,
       R"({"__type":"InvalidDocument","message":"Document x does not exist"})"},
      {{400, "already#qualified", "m"},
       "ns",
       JsonVersion::V1_1,
       R"({"__type":"already#qualified","message":"m"})"},
      {internal_failure(), "", JsonVersion::V1_1,
       R"({"__type":"InternalFailure","message":"An internal error occurred"})"},
      {{400, "T", "quote \" and \n newline"},
       "",
       JsonVersion::V1_1,
       R"({"__type":"T","message":"quote \" and \n newline"})"},
  };
  for (const auto& c : cases) {
    HttpResponse r = render_json_error(c.error, c.version, "req-1", c.ns);
    EXPECT_EQ(r.status, c.error.status);
    EXPECT_EQ(r.body, c.body);
    EXPECT_EQ(header(r, "Content-Type"), json_content_type(c.version));
    EXPECT_EQ(header(r, "x-amzn-RequestId"), "req-1");
  }
}

TEST(AwsError, QueryRendering) {
  HttpResponse r = render_query_error({404, "NotFound", "Topic <a&b> does not exist"},
                                      "http://sns.amazonaws.com/doc/2010-03-31/", "req-2");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body,
            "<?xml version=\"1.0\"?><ErrorResponse "
            "xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</"
            "Type><Code>NotFound</Code><Message>Topic &lt;a&amp;b&gt; does not "
            "exist</Message></Error><RequestId>req-2</RequestId></ErrorResponse>");
  EXPECT_EQ(header(r, "Content-Type"), "text/xml");
  HttpResponse server = render_query_error(internal_failure(), "ns", "r");
  EXPECT_NE(server.body.find("<Type>Receiver</Type>"), std::string::npos);
}

TEST(AwsError, RestJsonRendering) {
  HttpResponse r =
      render_rest_json_error({404, "ResourceNotFoundException", "Function not found: f"}, "r3");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"Type":"User","message":"Function not found: f"})");
  EXPECT_EQ(header(r, "x-amzn-ErrorType"), "ResourceNotFoundException");
  EXPECT_EQ(header(r, "Content-Type"), "application/json");
  EXPECT_EQ(render_rest_json_error({500, "ServiceException", "m"}, "r").body,
            R"({"Type":"Service","message":"m"})");
}

TEST(AwsError, ResultHoldsEitherSide) {
  Result<int> ok = 3;
  Result<int> bad = validation_error("v");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error().type, "ValidationException");
  EXPECT_EQ(unknown_operation("Foo").message, "The operation Foo is not supported.");
}

}  // namespace
}  // namespace signoff::api
