// The service on a real (temporary) SQLite store with fake ports: validation answers, matching,
// durable deliveries, retries and dead letters, schedules.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "bus/events.h"

namespace signoff::bus {
namespace {

class TestClock final : public Clock {
 public:
  int64_t now_ms() const override { return ms.load(); }
  int64_t now_ns() const override { return ms.load() * 1'000'000; }
  std::atomic<int64_t> ms{1796110341000};
};

struct Started {
  std::string arn, name, input;
};

class FakeStarter final : public StateMachineStarter {
 public:
  DeliveryOutcome start_execution(const std::string& arn, const std::string& name,
                                  const std::string& input, const std::string&) override {
    std::lock_guard lock(mu);
    if (failures_left > 0) {
      --failures_left;
      return DeliveryOutcome::retry("throttled");
    }
    if (permanent) {
      return DeliveryOutcome::permanent("StateMachineDoesNotExist");
    }
    started.push_back({arn, name, input});
    return DeliveryOutcome::success();
  }
  std::vector<Started> snapshot() {
    std::lock_guard lock(mu);
    return started;
  }
  std::mutex mu;
  std::vector<Started> started;
  int failures_left = 0;
  bool permanent = false;
};

const char* kMachine = "arn:aws:states:us-east-1:000000000000:stateMachine:m";

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("signoff-bus-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    open();
  }
  void TearDown() override {
    svc.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void open() {
    store = store::open_sqlite_store(dir.string());
    BusPorts ports;
    ports.state_machines = starter;
    BusOptions o;
    o.poll_interval_ms = 10;
    o.delivery_threads = 2;
    svc = std::make_unique<EventsService>(*store, clock, ports, o);
    svc->start();
  }
  void reopen() {
    svc.reset();
    store.reset();
    open();
  }
  PutEventsEntry entry(const std::string& source, const std::string& detail = "{}") {
    PutEventsEntry e;
    e.source = source;
    e.detail_type = "t";
    e.detail = detail;
    e.has_source = e.has_detail_type = e.has_detail = true;
    return e;
  }
  void rule_with_target(const std::string& pattern, const std::string& target_extra = "") {
    PutRuleRequest r;
    r.name = "r1";
    r.event_pattern = pattern;
    ASSERT_TRUE(svc->put_rule(r).ok());
    auto t =
        json::parse(R"({"Id":"t1","Arn":")" + std::string(kMachine) + "\"" + target_extra + "}");
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE(svc->put_targets("r1", "", {t.value}).ok());
  }
  template <typename F>
  bool eventually(F f, int ms = 3000) {
    for (int i = 0; i < ms / 5; ++i) {
      if (f()) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return f();
  }

  std::filesystem::path dir;
  TestClock clock;
  std::shared_ptr<FakeStarter> starter = std::make_shared<FakeStarter>();
  store::StorePtr store;
  std::unique_ptr<EventsService> svc;
};

TEST_F(ServiceTest, DefaultBusAndRuleErrors) {
  EXPECT_TRUE(svc->describe_event_bus("default").ok());
  auto missing = svc->describe_rule("nope", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "ResourceNotFoundException");
  EXPECT_EQ(missing.error().message, "Rule nope does not exist on EventBus default.");
  EXPECT_EQ(svc->delete_event_bus("default").error().message, "Cannot delete event bus default.");
  PutRuleRequest none;
  none.name = "x";
  EXPECT_EQ(svc->put_rule(none).error().message,
            "Parameter(s) EventPattern or ScheduleExpression must be specified.");
  PutRuleRequest bad;
  bad.name = "x";
  bad.event_pattern = R"({"source": []})";
  auto b = svc->put_rule(bad);
  EXPECT_EQ(b.error().type, "InvalidEventPatternException");
  EXPECT_EQ(b.error().message, "Event pattern is not valid. Reason: Empty arrays are not allowed");
  PutRuleRequest sched;
  sched.name = "x";
  sched.schedule_expression = "rate(1 minutes)";
  EXPECT_EQ(svc->put_rule(sched).error().message, "Parameter ScheduleExpression is not valid.");
  ASSERT_TRUE(svc->create_event_bus("custom", "").ok());
  EXPECT_EQ(svc->create_event_bus("custom", "").error().type, "ResourceAlreadyExistsException");
  sched.schedule_expression = "rate(1 minute)";
  sched.bus = "custom";
  EXPECT_EQ(svc->put_rule(sched).error().message,
            "ScheduleExpression is supported only on the default event bus.");
}

TEST_F(ServiceTest, DeleteRuleRefusesWhileTargetsExist) {
  rule_with_target(R"({"source":["a"]})");
  EXPECT_EQ(svc->delete_rule("r1", "", false).error().message,
            "Rule can't be deleted since it has targets.");
  ASSERT_TRUE(svc->remove_targets("r1", "", {"t1"}).ok());
  EXPECT_TRUE(svc->delete_rule("r1", "", false).ok());
  EXPECT_FALSE(svc->describe_rule("r1", "").ok());
}

TEST_F(ServiceTest, PutEventsEntryErrors) {
  PutEventsEntry no_source = entry("");
  no_source.has_source = false;
  auto r = svc->put_events({no_source, entry("a", "[1]"), entry("a")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed, 2);
  EXPECT_EQ(r->entries[0].error_code, "InvalidArgument");
  EXPECT_EQ(r->entries[0].error_message,
            "Parameter Source is not valid. Reason: Source is a required argument.");
  EXPECT_EQ(r->entries[1].error_code, "MalformedDetail");
  EXPECT_EQ(r->entries[2].event_id.size(), 36u);
  std::vector<PutEventsEntry> eleven(11, entry("a"));
  EXPECT_EQ(svc->put_events(eleven).error().type, "ValidationException");
  EXPECT_EQ(
      svc->put_events({entry("a", R"({"x":")" + std::string(300000, 'x') + "\"}")}).error().message,
      "Total size of the entries in the request is over the limit.");
}

TEST_F(ServiceTest, MatchingEventsAreDeliveredWithTheEnvelope) {
  rule_with_target(R"({"source":["wanted"],"detail":{"n":[{"numeric":[">",3]}]}})");
  auto r = svc->put_events(
      {entry("wanted", R"({"n":5})"), entry("wanted", R"({"n":1})"), entry("other", R"({"n":5})")});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(eventually([&] { return starter->snapshot().size() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto got = starter->snapshot();
  ASSERT_EQ(got.size(), 1u);
  auto ev = json::parse(got[0].input);
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev.value.find("id")->as_string(), r->entries[0].event_id);
  EXPECT_EQ(ev.value.find("version")->as_string(), "0");
  EXPECT_EQ(ev.value.find("source")->as_string(), "wanted");
  EXPECT_EQ(ev.value.find("detail-type")->as_string(), "t");
  EXPECT_EQ(ev.value.find("account")->as_string(), "000000000000");
  EXPECT_EQ(ev.value.find("time")->as_string(), "2026-12-01T07:32:21Z");
  EXPECT_EQ(json::dump(*ev.value.find("detail")), R"({"n":5})");
  EXPECT_EQ(got[0].arn, kMachine);
  EXPECT_TRUE(eventually([&] { return svc->pending_deliveries() == 0; }));
}

TEST_F(ServiceTest, DisabledRulesDoNotMatch) {
  rule_with_target(R"({"source":["a"]})");
  ASSERT_TRUE(svc->set_rule_state("r1", "", false).ok());
  ASSERT_TRUE(svc->put_events({entry("a")}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(starter->snapshot().empty());
  ASSERT_TRUE(svc->set_rule_state("r1", "", true).ok());
  ASSERT_TRUE(svc->put_events({entry("a")}).ok());
  EXPECT_TRUE(eventually([&] { return starter->snapshot().size() == 1; }));
}

TEST_F(ServiceTest, RetriesWithBackoffThenDelivers) {
  starter->failures_left = 2;
  rule_with_target(R"({"source":["a"]})");
  ASSERT_TRUE(svc->put_events({entry("a")}).ok());
  // Each retry waits on the (test) clock: nothing is delivered until time moves on.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(starter->snapshot().empty());
  EXPECT_EQ(svc->pending_deliveries(), 1u);
  EXPECT_TRUE(eventually([&] {
    clock.ms += 1000;
    return starter->snapshot().size() == 1;
  }));
  EXPECT_TRUE(eventually([&] { return svc->pending_deliveries() == 0; }));
}

TEST_F(ServiceTest, ExhaustedRetriesGoToTheDeadLetterLog) {
  starter->failures_left = 100;
  rule_with_target(R"({"source":["a"]})",
                   R"(,"RetryPolicy":{"MaximumRetryAttempts":1},)"
                   R"("DeadLetterConfig":{"Arn":"arn:aws:sqs:us-east-1:000000000000:dlq"})");
  ASSERT_TRUE(svc->put_events({entry("a")}).ok());
  ASSERT_TRUE(eventually([&] {
    clock.ms += 1000;
    return svc->pending_deliveries() == 0;
  }));
  auto dead = store->list_documents("events.dead-letter", "", "", 10);
  ASSERT_EQ(dead.items.size(), 1u);
  auto doc = json::parse(dead.items[0].json).value;
  EXPECT_EQ(doc.find("ERROR_MESSAGE")->as_string(), "throttled");
  EXPECT_EQ(doc.find("DeadLetterArn")->as_string(), "arn:aws:sqs:us-east-1:000000000000:dlq");
  EXPECT_TRUE(starter->snapshot().empty());
}

TEST_F(ServiceTest, PermanentFailuresAreNotRetried) {
  starter->permanent = true;
  rule_with_target(R"({"source":["a"]})");
  ASSERT_TRUE(svc->put_events({entry("a")}).ok());
  ASSERT_TRUE(eventually([&] { return svc->pending_deliveries() == 0; }));
  EXPECT_EQ(store->list_documents("events.dead-letter", "", "", 10).items.size(), 1u);
}

TEST_F(ServiceTest, DeliveriesSurviveARestart) {
  starter->failures_left = 1;  // the first attempt fails, so the job is still there at "crash"
  rule_with_target(R"({"source":["a"]})");
  ASSERT_TRUE(svc->put_events({entry("a")}).ok());
  ASSERT_TRUE(eventually([&] { return starter->failures_left == 0; }));
  reopen();
  EXPECT_EQ(svc->pending_deliveries(), 1u);
  EXPECT_TRUE(eventually([&] {
    clock.ms += 1000;
    return starter->snapshot().size() == 1;
  }));
  // Rules come back too.
  EXPECT_TRUE(svc->describe_rule("r1", "").ok());
}

TEST_F(ServiceTest, ScheduledRulesFireOnTimeAndOnceAfterDowntime) {
  PutRuleRequest r;
  r.name = "tick";
  r.schedule_expression = "rate(1 minute)";
  ASSERT_TRUE(svc->put_rule(r).ok());
  auto t = json::parse(R"({"Id":"t","Arn":")" + std::string(kMachine) + "\"}");
  ASSERT_TRUE(svc->put_targets("tick", "", {t.value}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(starter->snapshot().empty());
  clock.ms += 60'000;
  ASSERT_TRUE(eventually([&] { return starter->snapshot().size() == 1; }));
  auto ev = json::parse(starter->snapshot()[0].input).value;
  EXPECT_EQ(ev.find("source")->as_string(), "aws.events");
  EXPECT_EQ(ev.find("detail-type")->as_string(), "Scheduled Event");
  EXPECT_EQ(json::dump(*ev.find("detail")), "{}");
  // Ten minutes pass while stopped: one firing for the missed period, not ten.
  svc->stop();
  clock.ms += 10 * 60'000;
  reopen();
  ASSERT_TRUE(eventually([&] { return starter->snapshot().size() == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(starter->snapshot().size(), 2u);
  clock.ms += 60'000;
  EXPECT_TRUE(eventually([&] { return starter->snapshot().size() == 3; }));
}

TEST_F(ServiceTest, EventBusTargetsForwardTheEvent) {
  ASSERT_TRUE(svc->create_event_bus("second", "").ok());
  PutRuleRequest fwd;
  fwd.name = "fwd";
  fwd.event_pattern = R"({"source":["a"]})";
  ASSERT_TRUE(svc->put_rule(fwd).ok());
  auto t =
      json::parse(R"({"Id":"b","Arn":"arn:aws:events:us-east-1:000000000000:event-bus/second"})");
  ASSERT_TRUE(svc->put_targets("fwd", "", {t.value}).ok());
  PutRuleRequest on2;
  on2.name = "on2";
  on2.bus = "second";
  on2.event_pattern = R"({"source":["a"]})";
  ASSERT_TRUE(svc->put_rule(on2).ok());
  auto t2 = json::parse(R"({"Id":"m","Arn":")" + std::string(kMachine) + "\"}");
  ASSERT_TRUE(svc->put_targets("on2", "second", {t2.value}).ok());
  ASSERT_TRUE(svc->put_events({entry("a")}).ok());
  EXPECT_TRUE(eventually([&] { return starter->snapshot().size() == 1; }));
}

TEST_F(ServiceTest, TargetValidationAndLimits) {
  PutRuleRequest r;
  r.name = "r";
  r.event_pattern = R"({"source":["a"]})";
  ASSERT_TRUE(svc->put_rule(r).ok());
  auto both = json::parse(R"({"Id":"x","Arn":"arn:aws:sns:us-east-1:0:t","Input":"{}",)"
                          R"("InputPath":"$.detail"})");
  EXPECT_EQ(svc->put_targets("r", "", {both.value}).error().type, "ValidationException");
  std::vector<json::Value> six;
  for (int i = 0; i < 6; ++i) {
    six.push_back(
        json::parse(R"({"Id":"t)" + std::to_string(i) + R"(","Arn":"arn:aws:sns:us-east-1:0:t"})")
            .value);
  }
  EXPECT_EQ(svc->put_targets("r", "", six).error().type, "LimitExceededException");
  EXPECT_EQ(svc->put_targets("nope", "", {six[0]}).error().message,
            "Rule nope does not exist on EventBus default.");
}

TEST_F(ServiceTest, TestEventPattern) {
  const char* event =
      R"({"id":"1","account":"1","source":"a","time":"t","region":"r","detail-type":"d"})";
  EXPECT_TRUE(*svc->test_event_pattern(R"({"source":["a"]})", event));
  EXPECT_FALSE(*svc->test_event_pattern(R"({"source":["b"]})", event));
  EXPECT_EQ(svc->test_event_pattern(R"({"source":["a"]})", "{}").error().message,
            "Parameter Event is not valid.");
}

}  // namespace
}  // namespace signoff::bus
