// CloudFormation in the composition root: the stack service and the resource providers of the
// services this server runs.
#pragma once

#include <memory>

#include "api/router.h"
#include "api/service_util.h"
#include "common/clock.h"
#include "deploy/service.h"
#include "engine/engine.h"
#include "store/store.h"

namespace signoff::iam {
class IdentityService;
}
namespace signoff::functions {
class FunctionsService;
}
namespace signoff::bus {
class EventsService;
}
namespace signoff::automation {
class AutomationService;
}
namespace signoff::notify {
class NotifyService;
}
namespace signoff::logs {
class LogsService;
}
namespace signoff::agents {
class AgentsService;
}

namespace signoff::app {

struct DeployWiring {
  std::unique_ptr<deploy::Service> service;
};

// The services resources are created in; a null one leaves its types unregistered (a template
// using them is refused as "Unrecognized resource types").
struct DeployTargets {
  engine::Engine* engine = nullptr;
  iam::IdentityService* identity = nullptr;
  functions::FunctionsService* functions = nullptr;
  bus::EventsService* events = nullptr;
  automation::AutomationService* automation = nullptr;
  notify::NotifyService* notify = nullptr;
  logs::LogsService* logs = nullptr;
  agents::AgentsService* agents = nullptr;
};

// Creates the service with every available provider, registers the API and resumes (or rolls
// back) what a previous run left in progress.
DeployWiring start_deploy(store::Store& store, const Clock& clock, const DeployTargets& targets,
                          api::Router& router, api::BlockingPool& pool, const std::string& account,
                          const std::string& region);

}  // namespace signoff::app
