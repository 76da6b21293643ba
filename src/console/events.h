// Server-sent events for open console pages. One thread polls, every ConsoleOptions::poll_ms, what
// each stream watches — the approvals waiting for its principal, and optionally one approval and
// one Step Functions execution — through the same API calls the pages make, and sends an event
// when the answer changed: `waiting`, `approval`, `execution`; `signedout` when the session
// ended. Polling as the principal (rather than subscribing to the services) keeps the no-side-
// door rule: a stream never learns what its principal could not read.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/http/message.h"
#include "common/clock.h"

namespace signoff::console {

struct Watch {
  std::string session_id;
  std::string remote;
  std::string approval_id;    // "" when none
  std::string execution_arn;  // "" when none
};

// What one poll found for one stream: event name → data (JSON text); an empty map with
// `ended` set means the session is gone.
struct Snapshot {
  bool ended = false;
  std::vector<std::pair<std::string, std::string>> events;
};

class EventHub {
 public:
  static constexpr size_t kStreamsPerSession = 8;
  using Poll = std::function<Snapshot(const Watch&)>;
  EventHub(const Clock& clock, Poll poll, int64_t poll_ms, int64_t ping_ms);
  ~EventHub();

  void add(Watch watch, std::shared_ptr<api::BodyStream> out);
  void start();
  // Closes every stream and joins the thread.
  void stop();

 private:
  struct Stream {
    Watch watch;
    std::shared_ptr<api::BodyStream> out;
    std::vector<std::pair<std::string, std::string>> last;
    int64_t last_write_ms = 0;
    bool fresh = true;
  };
  void run();

  const Clock& clock_;
  Poll poll_;
  int64_t poll_ms_;
  int64_t ping_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<std::shared_ptr<Stream>> streams_;
  std::thread thread_;
};

}  // namespace signoff::console
