// The EventBridge API edge: request validation with AWS's camelCase member paths, and answers in
// AWS's shapes.
#include "api/events_api.h"

#include <filesystem>
#include <future>

#include <gtest/gtest.h>
#include <unistd.h>

namespace signoff::api {
namespace {

class EventsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("signoff-events-api-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = store::open_sqlite_store(dir.string());
    events =
        std::make_unique<bus::EventsService>(*store, clock, bus::BusPorts{}, bus::BusOptions{});
    events->start();
    register_events_api(router, *events, pool);
  }
  void TearDown() override {
    pool.stop();
    events.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  // Status and parsed body.
  std::pair<int, json::Value> call(const std::string& op, const std::string& body) {
    HttpRequest r;
    r.method = "POST";
    r.target = "/";
    r.path = "/";
    r.headers = {{"X-Amz-Target", "AWSEvents." + op},
                 {"Content-Type", "application/x-amz-json-1.1"}};
    r.body = body;
    r.remote_address = "127.0.0.1";
    std::promise<HttpResponse> p;
    router.dispatch(std::move(r), [&](HttpResponse resp) { p.set_value(std::move(resp)); });
    HttpResponse resp = p.get_future().get();
    return {resp.status, json::parse(resp.body).value};
  }
  static std::string message(const json::Value& v) {
    const json::Value* m = v.find("message");
    if (m == nullptr) {
      m = v.find("Message");
    }
    return m ? std::string(m->as_string()) : json::dump(v);
  }

  std::filesystem::path dir;
  RealClock clock;
  store::StorePtr store;
  std::unique_ptr<bus::EventsService> events;
  Router router;
  BlockingPool pool{2};
};

TEST_F(EventsApiTest, ValidationMessagesUseCamelCasePaths) {
  auto [status, body] = call("PutRule", R"({"Name":"bad name!"})");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(message(body),
            "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  auto [s2, b2] = call("PutRule", R"({"Name":"r","State":"ON","EventPattern":"{}"})");
  EXPECT_EQ(s2, 400);
  EXPECT_NE(message(b2).find("at 'state' failed to satisfy constraint: Member must satisfy enum"),
            std::string::npos);
  auto [s3, b3] = call("DescribeRule", "{}");
  EXPECT_EQ(s3, 400);
  EXPECT_NE(message(b3).find("Value null at 'name'"), std::string::npos);
}

TEST_F(EventsApiTest, RuleLifecycleShapes) {
  auto [s, b] = call("PutRule", R"({"Name":"r1","EventPattern":"{\"source\":[\"a\"]}"})");
  ASSERT_EQ(s, 200) << json::dump(b);
  EXPECT_EQ(b.find("RuleArn")->as_string(), "arn:aws:events:us-east-1:000000000000:rule/r1");
  auto [s2, d] = call("DescribeRule", R"({"Name":"r1"})");
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(d.find("State")->as_string(), "ENABLED");
  EXPECT_EQ(d.find("EventBusName")->as_string(), "default");
  EXPECT_EQ(d.find("Targets"), nullptr);
  auto [s3, nf] = call("DescribeRule", R"({"Name":"zz"})");
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(nf.find("__type")->as_string(), "ResourceNotFoundException");
  EXPECT_EQ(message(nf), "Rule zz does not exist on EventBus default.");
  auto [s4, t] = call("PutTargets", R"({"Rule":"r1","Targets":[{"Id":"bad id","Arn":"x"}]})");
  EXPECT_EQ(s4, 400);
  EXPECT_NE(message(t).find("targets.1.member.id"), std::string::npos) << message(t);
  auto [s5, ok] = call("PutTargets", R"({"Rule":"r1","Targets":[{"Id":"t","Arn":"arn:aws:sns:)"
                                     R"(us-east-1:000000000000:x","RetryPolicy":)"
                                     R"({"MaximumRetryAttempts":186}}]})");
  EXPECT_EQ(s5, 400);
  EXPECT_NE(message(ok).find("maximumRetryAttempts"), std::string::npos) << message(ok);
  auto [s6, lr] = call("ListRules", R"({"NamePrefix":"r"})");
  ASSERT_EQ(s6, 200);
  EXPECT_EQ(lr.find("Rules")->size(), 1u);
}

TEST_F(EventsApiTest, PutEventsShapes) {
  auto [s, b] = call("PutEvents", R"({"Entries":[{"Source":"a","DetailType":"t","Detail":"{}"},)"
                                  R"({"Source":"a","DetailType":"t","Detail":"nope"}]})");
  ASSERT_EQ(s, 200) << json::dump(b);
  EXPECT_EQ(b.find("FailedEntryCount")->as_int(), 1);
  EXPECT_EQ(b.find("Entries")->at(0)->find("EventId")->as_string().size(), 36u);
  EXPECT_EQ(b.find("Entries")->at(1)->find("ErrorCode")->as_string(), "MalformedDetail");
  auto [s2, b2] = call("PutEvents", R"({"Entries":[]})");
  EXPECT_EQ(s2, 400);
  EXPECT_NE(message(b2).find("at 'entries'"), std::string::npos);
  auto [s3, b3] = call("TestEventPattern", R"({"EventPattern":"{\"source\":[]}","Event":"{}"})");
  EXPECT_EQ(s3, 400);
}

}  // namespace
}  // namespace signoff::api
