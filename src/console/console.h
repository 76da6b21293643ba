// The approver console, served by the same binary under /console/: sign-in (console password or
// key pair), switch role, the approvals waiting for the signed-in principal, workflows and
// automations, live updates by server-sent events. Every action is an AWS API call made through
// Router::dispatch_as as the session's principal, so permissions apply exactly as for a client
// signing its own requests; a refusal is shown with AWS's error.
//
//   Console console(router, identity_port, clock, {.account = "000000000000"});
//   console.register_routes(router);  // before serving
//   console.start();  ...  console.stop();  // stop before the server: it closes event streams
#pragma once

#include <memory>
#include <string>

#include "api/router.h"
#include "common/clock.h"
#include "console/ports.h"
#include "console/sessions.h"

namespace signoff::console {

struct ConsoleOptions {
  std::string account = "000000000000";
  // Where browsers reach the server ("http://127.0.0.1:8765"); its origin is accepted on POSTs
  // besides the request's own Host.
  std::string public_url;
  int64_t poll_ms = 1000;   // how often event streams look for changes
  int64_t ping_ms = 15000;  // keep-alive comments on quiet event streams
  unsigned threads = 4;     // workers making the API calls for pages
  SessionLimits sessions;
  LockOutPolicy lock_out;
};

class Console {
 public:
  Console(const api::Router& router, IdentityPort& identity, const Clock& clock,
          ConsoleOptions options);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  void register_routes(api::Router& router);
  void start();
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::console
