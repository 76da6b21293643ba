#include "console/events.h"

#include <chrono>

namespace signoff::console {

EventHub::EventHub(const Clock& clock, Poll poll, int64_t poll_ms, int64_t ping_ms)
    : clock_(clock), poll_(std::move(poll)), poll_ms_(poll_ms), ping_ms_(ping_ms) {}

EventHub::~EventHub() {
  stop();
}

void EventHub::add(Watch watch, std::shared_ptr<api::BodyStream> out) {
  auto s = std::make_shared<Stream>();
  s->watch = std::move(watch);
  s->out = std::move(out);
  // Tells EventSource how long to wait before reconnecting after the stream drops.
  s->out->write("retry: 2000\n\n");
  std::lock_guard lock(mu_);
  if (stopping_) {
    s->out->close();
    return;
  }
  // Each stream costs API calls every poll: a session keeps its newest few (tabs left open).
  size_t same = 0;
  for (auto it = streams_.rbegin(); it != streams_.rend(); ++it) {
    if ((*it)->watch.session_id == s->watch.session_id && ++same >= kStreamsPerSession) {
      (*it)->out->close();  // dropped from the list by the next poll
    }
  }
  streams_.push_back(std::move(s));
  cv_.notify_all();  // the first poll at once, so the page gets its first events quickly
}

void EventHub::start() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stopping_) {
    thread_ = std::thread([this] { run(); });
  }
}

void EventHub::stop() {
  std::vector<std::shared_ptr<Stream>> open;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    open.swap(streams_);
    cv_.notify_all();
  }
  for (auto& s : open) {
    s->out->close();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void EventHub::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    std::vector<std::shared_ptr<Stream>> now = streams_;
    lock.unlock();
    std::vector<Stream*> gone;
    for (auto& s : now) {
      if (!s->out->is_open()) {
        gone.push_back(s.get());
        continue;
      }
      Snapshot snap = poll_(s->watch);
      if (snap.ended) {
        s->out->write("event: signedout\ndata: {}\n\n");
        s->out->close();
        gone.push_back(s.get());
        continue;
      }
      int64_t t = clock_.now_ms();
      for (auto& [name, data] : snap.events) {
        bool changed = true;
        for (auto& [old_name, old_data] : s->last) {
          if (old_name == name) {
            changed = old_data != data;
          }
        }
        if (changed || s->fresh) {
          s->out->write("event: " + name + "\ndata: " + data + "\n\n");
          s->last_write_ms = t;
        }
      }
      s->last = std::move(snap.events);
      s->fresh = false;
      if (t - s->last_write_ms >= ping_ms_) {
        s->out->write(": ping\n\n");  // keeps proxies and idle timers from closing the stream
        s->last_write_ms = t;
      }
    }
    lock.lock();
    for (Stream* g : gone) {
      std::erase_if(streams_, [g](const std::shared_ptr<Stream>& s) { return s.get() == g; });
    }
    bool any_fresh = false;
    for (auto& s : streams_) {
      any_fresh = any_fresh || s->fresh;
    }
    if (!any_fresh) {
      cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] {
        if (stopping_) {
          return true;
        }
        for (auto& s : streams_) {
          if (s->fresh) {
            return true;
          }
        }
        return false;
      });
    }
  }
}

}  // namespace signoff::console
