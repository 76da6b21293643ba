#include "functions/runtime_api.h"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace signoff::functions {
namespace {

struct Harness {
  std::vector<RuntimeResult> results;
  std::vector<RuntimeResult> init_errors;
  int first_polls = 0;
  RuntimeSession session{RuntimeCallbacks{
      [this] { ++first_polls; }, [this](RuntimeResult r) { results.push_back(std::move(r)); },
      [this](RuntimeResult r) {
        init_errors.push_back(std::move(r));
      }}};

  std::optional<RuntimeHttpResponse> call(std::string method, std::string path,
                                          std::string body = {},
                                          std::vector<std::pair<std::string, std::string>> h = {}) {
    auto out = std::make_shared<std::optional<RuntimeHttpResponse>>();
    RuntimeHttpRequest req{std::move(method), std::move(path), std::move(h), std::move(body)};
    last = out;
    session.handle(std::move(req), [out](RuntimeHttpResponse r) { *out = std::move(r); });
    return *out;
  }
  std::shared_ptr<std::optional<RuntimeHttpResponse>> last;
};

std::string header(const RuntimeHttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return "";
}

Invocation inv(const std::string& id) {
  Invocation i;
  i.request_id = id;
  i.payload = R"({"a":1})";
  i.deadline_ms = 12345;
  i.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
  return i;
}

TEST(RuntimeApi, PollThenAssignThenRespond) {
  Harness h;
  EXPECT_FALSE(h.call("GET", "/2018-06-01/runtime/invocation/next"));  // long poll waits
  auto poll = h.last;
  EXPECT_EQ(h.first_polls, 1);
  EXPECT_TRUE(h.session.initialized());
  ASSERT_TRUE(h.session.assign(inv("r1")));
  ASSERT_TRUE(poll->has_value());
  EXPECT_EQ((*poll)->status, 200);
  EXPECT_EQ((*poll)->body, R"({"a":1})");
  EXPECT_EQ(header(**poll, "Lambda-Runtime-Aws-Request-Id"), "r1");
  EXPECT_EQ(header(**poll, "Lambda-Runtime-Deadline-Ms"), "12345");
  EXPECT_FALSE(h.session.assign(inv("r2")));  // busy
  auto done = h.call("POST", "/2018-06-01/runtime/invocation/r1/response", "42");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 202);
  ASSERT_EQ(h.results.size(), 1u);
  EXPECT_EQ(h.results[0].request_id, "r1");
  EXPECT_FALSE(h.results[0].function_error);
  EXPECT_EQ(h.results[0].payload, "42");
  EXPECT_TRUE(h.session.assign(inv("r2")));  // free again
}

TEST(RuntimeApi, AssignBeforeFirstPollIsDeliveredOnPoll) {
  Harness h;
  ASSERT_TRUE(h.session.assign(inv("r1")));
  EXPECT_FALSE(h.session.initialized());
  auto r = h.call("GET", "/2018-06-01/runtime/invocation/next");
  ASSERT_TRUE(r);
  EXPECT_EQ(header(*r, "Lambda-Runtime-Aws-Request-Id"), "r1");
  EXPECT_EQ(h.first_polls, 1);
}

TEST(RuntimeApi, ErrorsAndWrongIds) {
  Harness h;
  h.session.assign(inv("r1"));
  h.call("GET", "/2018-06-01/runtime/invocation/next");
  auto wrong = h.call("POST", "/2018-06-01/runtime/invocation/zzz/response", "1");
  EXPECT_EQ(wrong->status, 400);
  EXPECT_NE(wrong->body.find("InvalidRequestID"), std::string::npos);
  auto again = h.call("GET", "/2018-06-01/runtime/invocation/next");
  EXPECT_EQ(again->status, 403);  // next before answering the current event
  auto err = h.call("POST", "/2018-06-01/runtime/invocation/r1/error",
                    R"({"errorMessage":"boom","errorType":"ValueError"})",
                    {{"Lambda-Runtime-Function-Error-Type", "ValueError"}});
  EXPECT_EQ(err->status, 202);
  ASSERT_EQ(h.results.size(), 1u);
  EXPECT_TRUE(h.results[0].function_error);
  EXPECT_EQ(h.results[0].error_type, "ValueError");
  // A second answer for the same event is refused.
  EXPECT_EQ(h.call("POST", "/2018-06-01/runtime/invocation/r1/response", "1")->status, 400);
  EXPECT_EQ(h.call("GET", "/2018-06-01/runtime/nowhere")->status, 404);
}

TEST(RuntimeApi, InitErrorAndClose) {
  Harness h;
  auto r = h.call("POST", "/2018-06-01/runtime/init/error", R"({"errorType":"Runtime.X"})",
                  {{"lambda-runtime-function-error-type", "Runtime.ImportModuleError"}});
  EXPECT_EQ(r->status, 202);
  ASSERT_EQ(h.init_errors.size(), 1u);
  EXPECT_EQ(h.init_errors[0].error_type, "Runtime.ImportModuleError");
  EXPECT_FALSE(h.call("GET", "/2018-06-01/runtime/invocation/next"));
  auto poll = h.last;
  h.session.close();
  ASSERT_TRUE(poll->has_value());
  EXPECT_EQ((*poll)->status, 410);  // answered so the listener can stop at once
  EXPECT_FALSE(h.session.assign(inv("r9")));
}

TEST(RuntimeApi, OversizedResponseFails) {
  Harness h;
  h.session.assign(inv("r1"));
  h.call("GET", "/2018-06-01/runtime/invocation/next");
  h.call("POST", "/2018-06-01/runtime/invocation/r1/response",
         std::string(RuntimeSession::kMaxResponseBytes + 1, 'x'));
  ASSERT_EQ(h.results.size(), 1u);
  EXPECT_TRUE(h.results[0].function_error);
  EXPECT_EQ(h.results[0].error_type, "Function.ResponseSizeTooLarge");
}

}  // namespace
}  // namespace signoff::functions
