#include "api/protocol/query_protocol.h"

#include <gtest/gtest.h>

#include "api/protocol/url.h"
#include "api/protocol/xml.h"

namespace signoff::api {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(QueryProtocol, FormDecoding) {
  struct {
    const char* form;
    Pairs expected;
  } cases[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&&b=&c", {{"a", "1"}, {"b", ""}, {"c", ""}}},
      {"Message=hi+%26+%3Cx%3E", {{"Message", "hi & <x>"}}},
      {"k%2Bey=v%2bx", {{"k+ey", "v+x"}}},
      {"a=%zz&b=%4", {{"a", "%zz"}, {"b", "%4"}}},  // lenient: bad escapes stay as written
      {"a=%00b", {{"a", std::string("\0b", 2)}}},
      {"=v&a==", {{"", "v"}, {"a", "="}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.form);
    EXPECT_EQ(decode_form(c.form), c.expected);
  }
  EXPECT_EQ(percent_decode("a+b%2Fc", false), "a+b/c");
}

TEST(QueryProtocol, Flattening) {
  // As botocore sends SNS CreateTopic, Publish and CloudFormation CreateStack.
  QueryParams p = QueryParams::parse(
      "Action=CreateTopic&Name=t&Attributes.entry.2.key=Policy&Attributes.entry.2.value=%7B%7D"
      "&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=d"
      "&Tags.member.1.Key=a&Tags.member.1.Value=b&Tags.member.2.Key=c"
      "&TopicArns.member.10=ten&TopicArns.member.2=two&TopicArns.member.1=one"
      "&MessageAttributes.entry.1.Name=k&MessageAttributes.entry.1.Value.DataType=String"
      "&MessageAttributes.entry.1.Value.StringValue=v"
      "&Ids.1=x&Ids.2=y&Bad.member.0=z&Bad.member.01=z&Bad.member.x=z&Bad.member.=z"
      "&Bad.member.1234567890=z");
  EXPECT_EQ(p.get_or("Action"), "CreateTopic");
  EXPECT_EQ(p.get("Nope"), nullptr);
  EXPECT_EQ(p.map("Attributes"), (Pairs{{"DisplayName", "d"}, {"Policy", "{}"}}));
  auto tags = p.structs("Tags");
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].get_or("Key"), "a");
  EXPECT_EQ(tags[0].get_or("Value"), "b");
  EXPECT_EQ(tags[1].get_or("Key"), "c");
  EXPECT_EQ(tags[1].get("Value"), nullptr);
  EXPECT_EQ(p.list("TopicArns"), (std::vector<std::string>{"one", "two", "ten"}));
  EXPECT_EQ(p.list("Ids", ""), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(p.list("Bad").empty());
  auto attrs = p.structs("MessageAttributes", "entry");
  ASSERT_EQ(attrs.size(), 1u);
  EXPECT_EQ(attrs[0].get_or("Name"), "k");
  EXPECT_EQ(attrs[0].structs("Value", "").size(), 0u);
  EXPECT_EQ(attrs[0].get_or("Value.StringValue"), "v");
}

TEST(QueryProtocol, RequestParamsMergeQueryAndForm) {
  HttpRequest r;
  r.method = "POST";
  r.query = "Action=Publish";
  r.body = "Message=m&Version=2010-03-31";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  QueryParams p = query_request_params(r);
  EXPECT_EQ(p.get_or("Action"), "Publish");
  EXPECT_EQ(p.get_or("Message"), "m");
  r.headers = {{"Content-Type", "application/json"}};
  EXPECT_EQ(query_request_params(r).get("Message"), nullptr);
}

TEST(QueryProtocol, XmlEscaping) {
  struct {
    std::string text;
    const char* xml;
  } cases[] = {
      {"plain", "plain"},
      {"<a href=\"x\">&'</a>", "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"},
      {"tab\tnl\ncr\r", "tab\tnl\ncr&#13;"},
      {std::string("nul\0bell\x07", 9), "nulbell"},
      {"é€😀", "é€😀"},
      {"bad\xff\xc3(utf8\xed\xa0\x80", "bad(utf8"},  // stray, truncated and surrogate bytes
  };
  for (const auto& c : cases) {
    EXPECT_EQ(xml_escape(c.text), c.xml);
  }
  XmlWriter w;
  w.open("A", "urn:x").element("B", "1 < 2").open("C").raw("<D/>");
  EXPECT_EQ(w.finish(), "<A xmlns=\"urn:x\"><B>1 &lt; 2</B><C><D/></C></A>");
}

TEST(QueryProtocol, SuccessEnvelope) {
  HttpResponse r = query_response("GetCallerIdentity", query_namespace("sts"),
                                  "<Account>123456789012</Account>", "rid");
  EXPECT_EQ(r.body,
            "<?xml version=\"1.0\"?><GetCallerIdentityResponse "
            "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Account>"
            "123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>rid</"
            "RequestId></ResponseMetadata></GetCallerIdentityResponse>");
  EXPECT_EQ(query_namespace("iam"), "https://iam.amazonaws.com/doc/2010-05-08/");
  EXPECT_EQ(query_namespace("cloudformation"),
            "http://cloudformation.amazonaws.com/doc/2010-05-15/");
  EXPECT_EQ(query_namespace("sns"), "http://sns.amazonaws.com/doc/2010-03-31/");
  EXPECT_EQ(query_namespace("states"), "");
}

}  // namespace
}  // namespace signoff::api
