// The event hub: first events at once, later ones only when the answer changed, pings on quiet
// streams, `signedout` and closing when the session ended, closed streams dropped, stop closes.
#include "console/events.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace signoff::console {
namespace {

using namespace std::chrono_literals;

class TestClock final : public Clock {
 public:
  int64_t now_ms() const override { return ms.load(); }
  int64_t now_ns() const override { return ms.load() * 1000000; }
  std::atomic<int64_t> ms{1000};
};

class Recorder final : public api::BodyStream {
 public:
  bool write(std::string data) override {
    std::lock_guard lock(mu);
    if (!open) {
      return false;
    }
    text += data;
    return true;
  }
  bool is_open() const override {
    std::lock_guard lock(mu);
    return open;
  }
  void close() override {
    std::lock_guard lock(mu);
    open = false;
  }
  std::string seen() {
    std::lock_guard lock(mu);
    return text;
  }
  mutable std::mutex mu;
  std::string text;
  bool open = true;
};

bool eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 300; ++i) {
    if (f()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

size_t count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(EventHub, SendsChangesPingsAndSignOut) {
  TestClock clock;
  std::atomic<int> version{1};
  std::atomic<bool> ended{false};
  EventHub hub(
      clock,
      [&](const Watch& w) {
        Snapshot s;
        s.ended = ended.load();
        s.events.emplace_back("waiting", "{\"v\":" + std::to_string(version.load()) + "}");
        if (!w.execution_arn.empty()) {
          s.events.emplace_back("execution", "{}");
        }
        return s;
      },
      20, 1000);
  hub.start();
  auto a = std::make_shared<Recorder>();
  hub.add(Watch{"s1", "127.0.0.1", "", "arn:x"}, a);
  ASSERT_TRUE(eventually([&] { return a->seen().find("event: execution") != std::string::npos; }));
  EXPECT_EQ(a->seen().rfind("retry: 2000\n\n", 0), 0u);
  EXPECT_NE(a->seen().find("event: waiting\ndata: {\"v\":1}\n\n"), std::string::npos);
  std::this_thread::sleep_for(100ms);  // several polls, nothing changed: nothing new
  EXPECT_EQ(count(a->seen(), "event: waiting"), 1u);
  version = 2;
  ASSERT_TRUE(eventually([&] { return a->seen().find("{\"v\":2}") != std::string::npos; }));
  EXPECT_EQ(count(a->seen(), "event: execution"), 1u);
  clock.ms += 1000;
  ASSERT_TRUE(eventually([&] { return a->seen().find(": ping\n\n") != std::string::npos; }));
  ended = true;
  ASSERT_TRUE(eventually([&] { return !a->is_open(); }));
  EXPECT_NE(a->seen().find("event: signedout"), std::string::npos);
  hub.stop();
}

TEST(EventHub, ASessionKeepsItsNewestStreams) {
  TestClock clock;
  EventHub hub(
      clock, [](const Watch&) { return Snapshot{}; }, 20, 1000);
  std::vector<std::shared_ptr<Recorder>> tabs;
  for (size_t i = 0; i < EventHub::kStreamsPerSession + 2; ++i) {
    tabs.push_back(std::make_shared<Recorder>());
    hub.add(Watch{"s1", "", "", ""}, tabs.back());
  }
  auto other = std::make_shared<Recorder>();
  hub.add(Watch{"s2", "", "", ""}, other);
  EXPECT_FALSE(tabs[0]->is_open());
  EXPECT_FALSE(tabs[1]->is_open());
  for (size_t i = 2; i < tabs.size(); ++i) {
    EXPECT_TRUE(tabs[i]->is_open()) << i;
  }
  EXPECT_TRUE(other->is_open());
  hub.stop();
}

TEST(EventHub, StopClosesOpenStreams) {
  TestClock clock;
  EventHub hub(
      clock, [](const Watch&) { return Snapshot{}; }, 20, 1000);
  hub.start();
  auto a = std::make_shared<Recorder>();
  hub.add(Watch{"s1", "", "", ""}, a);
  hub.stop();
  EXPECT_FALSE(a->is_open());
  auto late = std::make_shared<Recorder>();
  hub.add(Watch{"s2", "", "", ""}, late);  // after stop: closed at once
  EXPECT_FALSE(late->is_open());
}

}  // namespace
}  // namespace signoff::console
