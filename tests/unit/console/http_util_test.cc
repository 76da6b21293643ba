// Cookies, origins and the AWS error extraction the console relies on; data-driven.
#include "console/http_util.h"

#include <gtest/gtest.h>

#include "console/calls.h"

namespace signoff::console {
namespace {

TEST(Cookies, ParsesWhatBrowsersSendAndSkipsNoise) {
  struct Case {
    std::string header;
    std::vector<std::pair<std::string, std::string>> want;
  };
  const Case cases[] = {
      {"a=1; b=2", {{"a", "1"}, {"b", "2"}}},
      {"  a = 1 ;b=\"quoted\"", {{"a", "1"}, {"b", "quoted"}}},
      {"novalue; =x; c=", {{"c", ""}}},
      {"", {}},
      {";;;", {}},
      {"x=a=b", {{"x", "a=b"}}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(parse_cookies(c.header), c.want) << c.header;
  }
  api::HttpRequest r;
  r.headers = {{"cookie", "other=1"}, {"Cookie", "signoff_console=abc; z=2"}};
  EXPECT_EQ(cookie(r, kSessionCookie).value_or(""), "abc");
  EXPECT_FALSE(cookie(r, "missing"));
}

TEST(Cookies, SessionCookieIsSecureHttpOnlyStrict) {
  std::string c = session_cookie("v", 60);
  EXPECT_EQ(c, "signoff_console=v; Path=/console; Max-Age=60; Secure; HttpOnly; SameSite=Strict");
}

TEST(Origin, OnlyThisServersOwnOriginMayPost) {
  struct Case {
    std::vector<api::Header> headers;
    std::string public_url;
    bool want;
  };
  const Case cases[] = {
      {{{"Host", "127.0.0.1:8765"}, {"Origin", "http://127.0.0.1:8765"}}, "", true},
      {{{"Host", "127.0.0.1:8765"}, {"Origin", "http://evil.example"}}, "", false},
      {{{"Host", "127.0.0.1:8765"}}, "", false},  // no Origin and no Referer
      {{{"Host", "127.0.0.1:8765"}, {"Referer", "http://127.0.0.1:8765/console/x"}}, "", true},
      {{{"Host", "internal:1"}, {"Origin", "https://signoff.example"}},
       "https://signoff.example/base",
       true},
      {{{"Host", "127.0.0.1:8765"}, {"Origin", "http://127.0.0.1:8765.evil"}}, "", false},
      {{{"Origin", "http://127.0.0.1:8765"}}, "", false},  // no Host to compare with
  };
  for (const Case& c : cases) {
    api::HttpRequest r;
    r.headers = c.headers;
    EXPECT_EQ(same_origin(r, c.public_url), c.want) << c.headers.back().value;
  }
}

TEST(AwsErrors, FromBothProtocols) {
  Answer json{400, "application/x-amz-json-1.1",
              R"({"__type":"com.amazonaws.ssm#AccessDeniedException","message":"no"})"};
  Error e = error_of(json);
  EXPECT_EQ(e.type, "AccessDeniedException");
  EXPECT_EQ(e.message, "no");
  EXPECT_EQ(e.status, 400);
  Answer xml{403, "text/xml",
             "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
             "<Message>User: a &amp; b</Message></Error></ErrorResponse>"};
  e = error_of(xml);
  EXPECT_EQ(e.type, "AccessDenied");
  EXPECT_EQ(e.message, "User: a & b");
  EXPECT_EQ(error_of(Answer{500, "", "garbage"}).type, "InternalFailure");
  EXPECT_EQ(xml_text("<a><b>x&lt;y&#1;</b></a>", "b"), "x<y&#1;");
  EXPECT_EQ(xml_text("<b>unclosed", "b"), "");
  EXPECT_EQ(json_version("AWSStepFunctions.ListExecutions"), "1.0");
  EXPECT_EQ(json_version("AmazonSSM.GetAutomationExecution"), "1.1");
}

}  // namespace
}  // namespace signoff::console
