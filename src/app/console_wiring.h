// The console's identity port over the identity service, and the console itself on the router.
#pragma once

#include <memory>
#include <string>

#include "api/router.h"
#include "common/clock.h"
#include "console/console.h"
#include "iam/identity.h"

namespace signoff::app {

struct ConsoleWiring {
  std::unique_ptr<console::IdentityPort> identity;
  std::unique_ptr<console::Console> console;
};

// Registers /console/ on the router (before serving); start() it after the server starts.
ConsoleWiring wire_console(api::Router& router, iam::IdentityService& identity, const Clock& clock,
                           const std::string& account, const std::string& public_url);

}  // namespace signoff::app
