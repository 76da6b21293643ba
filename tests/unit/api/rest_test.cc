#include "api/protocol/rest.h"

#include <gtest/gtest.h>

namespace signoff::api {
namespace {

TEST(PathTemplate, CompileRejectsMalformedPatterns) {
  const char* bad[] = {"", "no-slash", "/a/{", "/a/{}", "/a/{x}y", "/{x+}/tail", "/a}b", "/{+}"};
  for (const char* p : bad) {
    EXPECT_FALSE(PathTemplate::compile(p)) << p;
  }
  EXPECT_TRUE(PathTemplate::compile("/2015-03-31/functions/{FunctionName}/invocations"));
  EXPECT_TRUE(PathTemplate::compile("/2017-03-31/tags/{ARN+}"));
}

TEST(PathTemplate, Matching) {
  struct {
    const char* pattern;
    const char* path;
    bool matches;
    PathLabels labels;
  } cases[] = {
      {"/2015-03-31/functions/{FunctionName}/invocations",
       "/2015-03-31/functions/my-fn/invocations",
       true,
       {{"FunctionName", "my-fn"}}},
      {"/2015-03-31/functions/{FunctionName}",
       "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af%3A1",
       true,
       {{"FunctionName", "arn:aws:lambda:us-east-1:1:function:f:1"}}},
      {"/2015-03-31/functions/{FunctionName}",
       "/2015-03-31/functions/a+b",
       true,
       {{"FunctionName", "a+b"}}},  // '+' is literal in paths
      {"/2015-03-31/functions", "/2015-03-31/functions/", true, {}},
      {"/2015-03-31/functions/{FunctionName}", "/2015-03-31/functions/", false, {}},
      {"/2015-03-31/functions/{FunctionName}", "/2015-03-31/functions/a/b", false, {}},
      {"/2015-03-31/functions/{FunctionName}/invocations",
       "/2015-03-31/functions//invocations",
       false,
       {}},
      {"/2017-03-31/tags/{ARN+}", "/2017-03-31/tags/a/b%2Fc", true, {{"ARN", "a/b/c"}}},
      {"/2017-03-31/tags/{ARN+}", "/2017-03-31/tags", false, {}},
      {"/a/b", "/a/%62", true, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.pattern) + " vs " + c.path);
    auto t = PathTemplate::compile(c.pattern);
    ASSERT_TRUE(t);
    PathLabels labels;
    EXPECT_EQ(t->match(c.path, labels), c.matches);
    if (c.matches) {
      EXPECT_EQ(labels, c.labels);
    }
  }
}

TEST(RestResponse, Json) {
  RestResponse r =
      RestResponse::json(json::Value::object({{"Functions", json::Value::array()}}), 201);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"({"Functions":[]})");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].value, "application/json");
}

}  // namespace
}  // namespace signoff::api
