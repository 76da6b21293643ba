// Worker supervision against real child processes; the runtime is played by the test through a
// listener that hands it the Runtime API handler instead of a socket.
#include "functions/worker.h"

#include <chrono>
#include <condition_variable>
#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace signoff::functions {
namespace {

struct FakeListener : RuntimeListener {
  std::string address() const override { return "127.0.0.1:1"; }
};

struct FakeListeners : RuntimeListenerFactory {
  RuntimeHttpHandler handler;
  std::unique_ptr<RuntimeListener> listen(RuntimeHttpHandler h) override {
    handler = std::move(h);
    return std::make_unique<FakeListener>();
  }
  // Plays the runtime's GET next; returns the event delivered.
  std::future<RuntimeHttpResponse> next() {
    auto p = std::make_shared<std::promise<RuntimeHttpResponse>>();
    handler(RuntimeHttpRequest{"GET", "/2018-06-01/runtime/invocation/next", {}, ""},
            [p](RuntimeHttpResponse r) { p->set_value(std::move(r)); });
    return p->get_future();
  }
  void respond(const std::string& id, const std::string& body) {
    handler(
        RuntimeHttpRequest{"POST", "/2018-06-01/runtime/invocation/" + id + "/response", {}, body},
        [](RuntimeHttpResponse) {});
  }
};

WorkerSpec spec(std::vector<std::string> argv, int timeout_ms) {
  WorkerSpec s;
  s.process.argv = std::move(argv);
  s.process.env = {"PATH=/usr/bin:/bin"};
  s.timeout_ms = timeout_ms;
  s.log_stream = "2026/12/01/[$LATEST]test";
  return s;
}

struct Logs {
  std::mutex mu;
  std::string text;
  LogWriter writer() {
    return [this](const std::string&, std::vector<LogLine> lines) {
      std::lock_guard lock(mu);
      for (auto& l : lines) {
        text += l.message;
      }
    };
  }
};

Invocation inv(const std::string& id) {
  Invocation i;
  i.request_id = id;
  i.payload = "{}";
  return i;
}

TEST(Worker, RespondsAndLogsOutput) {
  RealClock clock;
  FakeListeners listeners;
  Logs logs;
  auto w = Worker::start(spec({"/bin/sh", "-c", "echo hello from init; exec sleep 30"}, 5000),
                         listeners, logs.writer(), nullptr, clock);
  ASSERT_TRUE(w.ok()) << w.error().message;
  std::promise<InvokeOutcome> done;
  ASSERT_TRUE((*w)->invoke(inv("r1"), [&](InvokeOutcome o) { done.set_value(std::move(o)); }));
  auto event = listeners.next().get();
  EXPECT_EQ(event.status, 200);
  listeners.respond("r1", R"({"ok":true})");
  InvokeOutcome o = done.get_future().get();
  EXPECT_FALSE(o.function_error);
  EXPECT_EQ(o.payload, R"({"ok":true})");
  EXPECT_NE(o.log.find("START RequestId: r1 Version: $LATEST"), std::string::npos);
  EXPECT_NE(o.log.find("REPORT RequestId: r1"), std::string::npos);
  EXPECT_NE(o.log.find("Init Duration"), std::string::npos);
  EXPECT_TRUE((*w)->alive());
  // The test plays the runtime, so the shell's output is not ordered before the response: wait.
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::lock_guard lock(logs.mu);
    seen = logs.text.find("hello from init") != std::string::npos;
  }
  EXPECT_TRUE(seen);
  (*w)->stop();
}

TEST(Worker, TimeoutKillsTheProcess) {
  RealClock clock;
  FakeListeners listeners;
  Logs logs;
  std::promise<void> exited;
  auto w = Worker::start(
      spec({"/bin/sleep", "30"}, 200), listeners, logs.writer(), [&] { exited.set_value(); },
      clock);
  ASSERT_TRUE(w.ok());
  std::promise<InvokeOutcome> done;
  (*w)->invoke(inv("slow"), [&](InvokeOutcome o) { done.set_value(std::move(o)); });
  auto start = std::chrono::steady_clock::now();
  listeners.next().get();  // the runtime takes the event and never answers
  InvokeOutcome o = done.get_future().get();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(o.function_error);
  EXPECT_TRUE(o.timed_out);
  EXPECT_NE(o.payload.find("slow Task timed out after 0.20 seconds"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(exited.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_FALSE((*w)->alive());
  EXPECT_FALSE((*w)->invoke(inv("after"), [](InvokeOutcome) {}));
  (*w)->stop();
}

TEST(Worker, ExitDuringInvocationIsRuntimeExitError) {
  RealClock clock;
  FakeListeners listeners;
  Logs logs;
  auto w = Worker::start(spec({"/bin/sh", "-c", "sleep 0.3; exit 7"}, 5000), listeners,
                         logs.writer(), nullptr, clock);
  ASSERT_TRUE(w.ok());
  std::promise<InvokeOutcome> done;
  (*w)->invoke(inv("r1"), [&](InvokeOutcome o) { done.set_value(std::move(o)); });
  listeners.next().get();
  InvokeOutcome o = done.get_future().get();
  EXPECT_TRUE(o.function_error);
  EXPECT_EQ(o.error_type, "Runtime.ExitError");
  EXPECT_NE(o.payload.find("Runtime exited with error: exit status 7"), std::string::npos);
  (*w)->stop();
}

TEST(Worker, ExitDuringInitKeepsWhatItWroteInTheLogAndTail) {
  RealClock clock;
  FakeListeners listeners;
  Logs logs;
  auto w = Worker::start(spec({"/bin/sh", "-c", "echo last words >&2; sleep 0.3; exit 2"}, 5000),
                         listeners, logs.writer(), nullptr, clock);
  ASSERT_TRUE(w.ok());
  std::promise<InvokeOutcome> done;
  ASSERT_TRUE((*w)->invoke(inv("r1"), [&](InvokeOutcome o) { done.set_value(std::move(o)); }));
  InvokeOutcome o = done.get_future().get();
  EXPECT_EQ(o.error_type, "Runtime.ExitError");
  EXPECT_NE(o.payload.find("Runtime exited with error: exit status 2"), std::string::npos);
  size_t said = o.log.find("last words\n");
  size_t report = o.log.find("Phase: init\tStatus: error\tError Type: Runtime.ExitError");
  size_t start = o.log.find("START RequestId: r1");
  size_t error = o.log.find("RequestId: r1 Error: Runtime exited with error: exit status 2");
  ASSERT_NE(said, std::string::npos) << o.log;
  ASSERT_NE(report, std::string::npos) << o.log;
  ASSERT_NE(start, std::string::npos) << o.log;
  ASSERT_NE(error, std::string::npos) << o.log;
  EXPECT_LT(said, report);
  EXPECT_LT(report, start);
  EXPECT_LT(start, error);
  EXPECT_EQ(o.log.find("Max Memory Used: 0 MB"), std::string::npos) << o.log;
  (*w)->stop();
  std::lock_guard lock(logs.mu);
  EXPECT_NE(logs.text.find("INIT_START"), std::string::npos);
  EXPECT_NE(logs.text.find("last words\n"), std::string::npos);
}

TEST(Worker, MissingProgramFailsTheInvocation) {
  RealClock clock;
  FakeListeners listeners;
  auto w =
      Worker::start(spec({"/nonexistent/bootstrap"}, 1000), listeners, nullptr, nullptr, clock);
  ASSERT_TRUE(w.ok());
  std::promise<InvokeOutcome> done;
  // The child may be gone before the invocation arrives: then the worker refuses it (and the
  // pool reports a service failure); otherwise the invocation fails with the exit status.
  if ((*w)->invoke(inv("r1"), [&](InvokeOutcome o) { done.set_value(std::move(o)); })) {
    InvokeOutcome o = done.get_future().get();
    EXPECT_TRUE(o.function_error);
    EXPECT_NE(o.payload.find("exit status 127"), std::string::npos);
  }
  (*w)->stop();
  EXPECT_FALSE((*w)->alive());
}

}  // namespace
}  // namespace signoff::functions
