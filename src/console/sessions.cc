#include "console/sessions.h"

#include <stdexcept>

#include <sys/random.h>

namespace signoff::console {

std::string random_token() {
  unsigned char bytes[32];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      throw std::runtime_error("getrandom failed");  // no entropy: no session can be safe
    }
    got += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

SessionTable::SessionTable(const Clock& clock, SessionLimits limits)
    : clock_(clock), limits_(limits) {}

bool SessionTable::expired(const Session& s, int64_t now) const {
  return now - s.last_seen_ms > limits_.idle_ms || now - s.created_ms > limits_.max_ms;
}

Session SessionTable::create(Principal user) {
  Session s;
  s.id = random_token();
  s.csrf = random_token();
  s.user = std::move(user);
  s.created_ms = s.last_seen_ms = clock_.now_ms();
  std::lock_guard lock(mu_);
  // Expired sessions go when another is created, so the table stays bounded by live ones.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = expired(it->second, s.created_ms) ? sessions_.erase(it) : std::next(it);
  }
  sessions_.emplace(s.id, s);
  return s;
}

std::optional<Session> SessionTable::find(std::string_view id, bool touch) {
  int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    return std::nullopt;
  }
  if (expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  if (touch) {
    it->second.last_seen_ms = now;
  }
  return it->second;
}

bool SessionTable::update(const Session& session) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(session.id);
  if (it == sessions_.end()) {
    return false;
  }
  it->second = session;
  return true;
}

void SessionTable::remove(std::string_view id) {
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(id); it != sessions_.end()) {
    sessions_.erase(it);
  }
}

size_t SessionTable::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

LockOut::LockOut(const Clock& clock, LockOutPolicy policy) : clock_(clock), policy_(policy) {}

int64_t LockOut::locked_for(std::string_view key) const {
  int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until_ms <= now) {
    return 0;
  }
  return it->second.locked_until_ms - now;
}

void LockOut::failed(std::string_view key) {
  int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  Entry& e = entries_[std::string(key)];
  if (e.failures == 0 || now - e.first_ms > policy_.window_ms) {
    e.failures = 0;
    e.first_ms = now;
  }
  if (++e.failures >= policy_.max_failures) {
    e.locked_until_ms = now + policy_.lock_ms;
    e.failures = 0;
  }
  // Bounded: a flood of distinct names forgets the oldest state rather than growing forever.
  if (entries_.size() > 100000) {
    entries_.clear();
  }
}

void LockOut::succeeded(std::string_view key) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    entries_.erase(it);
  }
}

}  // namespace signoff::console
