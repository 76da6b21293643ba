// Console sessions and sign-in lock-out, both in memory: a restart signs everyone out (sessions
// are cheap to recreate, and nothing secret is written to disk for them) and forgets failed
// attempts. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/principal.h"

namespace signoff::console {

// 32 bytes from the kernel's CSPRNG (getrandom), as 64 hex digits.
std::string random_token();

struct Session {
  std::string id;    // the cookie's value
  std::string csrf;  // echoed by the page in X-CSRF-Token on every state-changing request
  Principal user;    // who signed in
  // After "switch role": the role session the console acts as (sts:AssumeRole as `user`).
  std::optional<Principal> role;
  std::string role_display;  // "approvers", for the header
  // Signed in with a password its login profile says must be changed: only ChangePassword and
  // sign-out are allowed until it is.
  bool must_change_password = false;
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;

  const Principal& acting() const { return role ? *role : user; }
};

struct SessionLimits {
  int64_t idle_ms = 60 * 60 * 1000;      // signed out after an hour without a request
  int64_t max_ms = 12 * 60 * 60 * 1000;  // and after twelve hours whatever happens
};

class SessionTable {
 public:
  SessionTable(const Clock& clock, SessionLimits limits = {});

  Session create(Principal user);
  // The live session with this id, or nullopt. `touch`: a request from the user, which restarts
  // its idle time (an open event stream polling for the page does not).
  std::optional<Session> find(std::string_view id, bool touch = true);
  // Replaces the stored session of the same id (switch role, back to user); false if it ended.
  bool update(const Session& session);
  void remove(std::string_view id);
  size_t size() const;

 private:
  bool expired(const Session& s, int64_t now) const;

  const Clock& clock_;
  SessionLimits limits_;
  mutable std::mutex mu_;
  std::map<std::string, Session, std::less<>> sessions_;
};

struct LockOutPolicy {
  int max_failures = 5;                // failures within the window that lock the name
  int64_t window_ms = 15 * 60 * 1000;  // failures older than this are forgotten
  int64_t lock_ms = 15 * 60 * 1000;    // how long a locked name stays locked
};

// Failed sign-ins by key (the lowercased user name, or the access key id). A locked key is
// refused without checking the password, so guessing is bounded whatever the password costs.
class LockOut {
 public:
  LockOut(const Clock& clock, LockOutPolicy policy = {});
  // Milliseconds until the key may try again; 0 when it is not locked.
  int64_t locked_for(std::string_view key) const;
  void failed(std::string_view key);
  void succeeded(std::string_view key);

 private:
  struct Entry {
    int failures = 0;
    int64_t first_ms = 0;
    int64_t locked_until_ms = 0;
  };
  const Clock& clock_;
  LockOutPolicy policy_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace signoff::console
