// The engine on the real SQLite store in a temporary directory: executions run, wait, complete
// by callback, and resume after the engine and store are closed and opened again.
#include "engine/engine.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "common/json.h"

namespace signoff::engine {
namespace {

const char* kRole = "arn:aws:iam::000000000000:role/test";

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/signoff-engine-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    open();
  }
  void TearDown() override {
    close();
    std::filesystem::remove_all(dir_);
  }
  void open() {
    store_ = store::open_sqlite_store(dir_);
    engine_ = std::make_unique<Engine>(*store_, clock_, EngineOptions{});
    engine_->start();
  }
  void close() {
    engine_.reset();
    store_.reset();
  }
  std::string machine(const std::string& name, const std::string& definition) {
    CreateStateMachineRequest r;
    r.name = name;
    r.definition = definition;
    r.role_arn = kRole;
    auto res = engine_->create_state_machine(r);
    EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
    return res.ok() ? res->state_machine_arn : "";
  }
  std::string start(const std::string& machine_arn, const std::string& input = "{}",
                    const std::string& name = "") {
    StartExecutionRequest r;
    r.state_machine_arn = machine_arn;
    r.input = input;
    r.name = name;
    auto res = engine_->start_execution(r);
    EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
    return res.ok() ? res->execution_arn : "";
  }
  store::ExecutionRecord wait_done(const std::string& arn) {
    for (int i = 0; i < 1000; ++i) {
      auto d = engine_->describe_execution(arn);
      if (d.ok() && d->status != "RUNNING") {
        return *d;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << arn << " did not finish";
    return {};
  }
  std::optional<ActivityTask> poll(const std::string& activity) {
    std::optional<ActivityTask> got;
    std::atomic<bool> done{false};
    engine_->get_activity_task(activity, "worker", 5,
                               [&](signoff::Result<std::optional<ActivityTask>> r) {
                                 if (r.ok()) {
                                   got = *r;
                                 }
                                 done = true;
                               });
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return got;
  }
  std::vector<std::string> event_types(const std::string& arn) {
    HistoryRequest h;
    h.execution_arn = arn;
    h.limit = 0;
    std::vector<std::string> types;
    auto events = engine_->history(h);
    EXPECT_TRUE(events.ok());
    int64_t expected_id = 1;
    for (const auto& e : *events) {
      EXPECT_EQ(e.id, expected_id++);
      types.push_back(e.type);
    }
    return types;
  }

  std::string dir_;
  RealClock clock_;
  store::StorePtr store_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, RunsToCompletionWithinStart) {
  std::string m = machine("pass", R"({"StartAt":"A","States":{"A":{"Type":"Pass",
      "Parameters":{"v.$":"$.x"},"End":true}}})");
  std::string e = start(m, R"({"x":5})");
  auto d = engine_->describe_execution(e);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->status, "SUCCEEDED");  // committed before start_execution returned
  EXPECT_EQ(d->output, R"({"v":5})");
  EXPECT_EQ(event_types(e), (std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                                      "PassStateExited", "ExecutionSucceeded"}));
}

TEST_F(EngineTest, WaitStateFiresTimer) {
  std::string m = machine("wait", R"({"StartAt":"W","States":{"W":{"Type":"Wait",
      "Timestamp":"2001-01-01T00:00:00Z","End":true}}})");
  std::string e = start(m);
  EXPECT_EQ(wait_done(e).status, "SUCCEEDED");
}

TEST_F(EngineTest, ActivityCallbackAndTokenErrors) {
  auto act = engine_->create_activity("", "act", {});
  ASSERT_TRUE(act.ok());
  std::string m = machine("act", R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" +
                                     act->arn + R"(","End":true}}})");
  std::string e = start(m, R"({"n":1})");
  auto task = poll(act->arn);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->input, R"({"n":1})");
  EXPECT_EQ(engine_->send_task_success("garbage", "{}").error().type, "InvalidToken");
  EXPECT_EQ(engine_->send_task_success(task->task_token, "{nope").error().type, "InvalidOutput");
  ASSERT_TRUE(engine_->send_task_success(task->task_token, R"({"ok":true})").ok());
  auto d = wait_done(e);
  EXPECT_EQ(d.status, "SUCCEEDED");
  EXPECT_EQ(d.output, R"({"ok":true})");
  EXPECT_EQ(engine_->send_task_success(task->task_token, "{}").error().type, "TaskTimedOut");
}

TEST_F(EngineTest, ResumesAfterRestart) {
  auto act = engine_->create_activity("", "act", {});
  ASSERT_TRUE(act.ok());
  std::string m = machine("resume", R"J({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":")J" +
                                        act->arn + R"J(","ResultPath":"$.r","Next":"U"},
      "U":{"Type":"Pass","Parameters":{"id.$":"States.UUID()","r.$":"$.r"},"End":true}}})J");
  std::string e = start(m, "{}", "first");
  std::string e2 = start(m, "{}", "second");
  auto task = poll(act->arn);
  ASSERT_TRUE(task);
  close();
  open();
  EXPECT_EQ(engine_->running_in_memory(), 2u);
  // The claimed task is not offered again; the unclaimed one is.
  auto other = poll(act->arn);
  ASSERT_TRUE(other);
  EXPECT_NE(other->task_token, task->task_token);
  ASSERT_TRUE(engine_->send_task_success(task->task_token, R"({"a":1})").ok());
  ASSERT_TRUE(engine_->send_task_success(other->task_token, R"({"a":2})").ok());
  EXPECT_EQ(wait_done(e).status, "SUCCEEDED");
  EXPECT_EQ(wait_done(e2).status, "SUCCEEDED");
  EXPECT_EQ(event_types(e).back(), "ExecutionSucceeded");
}

TEST_F(EngineTest, NameIdempotencyAndErrors) {
  std::string m = machine("idem", R"({"StartAt":"W","States":{"W":{"Type":"Wait",
      "Seconds":3600,"End":true}}})");
  std::string e = start(m, R"({"a":1})", "n");
  StartExecutionRequest again;
  again.state_machine_arn = m;
  again.name = "n";
  again.input = R"({"a":1})";
  auto same = engine_->start_execution(again);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->execution_arn, e);
  again.input = R"({"a":2})";
  EXPECT_EQ(engine_->start_execution(again).error().type, "ExecutionAlreadyExists");
  again.name = "bad name";
  EXPECT_EQ(engine_->start_execution(again).error().type, "InvalidName");
  again.state_machine_arn = m + "x";
  EXPECT_EQ(engine_->start_execution(again).error().type, "StateMachineDoesNotExist");
  EXPECT_EQ(engine_->describe_execution("arn:aws:states:us-east-1:0:stateMachine:x").error().type,
            "InvalidArn");
  auto stopped = engine_->stop_execution(e, "E", "C");
  ASSERT_TRUE(stopped.ok());
  auto d = engine_->describe_execution(e);
  EXPECT_EQ(d->status, "ABORTED");
  EXPECT_EQ(d->error, "E");
  EXPECT_EQ(engine_->running_in_memory(), 0u);
}

}  // namespace
}  // namespace signoff::engine
