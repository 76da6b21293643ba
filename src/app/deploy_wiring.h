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

namespace signoff::app {

struct DeployWiring {
  std::unique_ptr<deploy::Service> service;
};

// Creates the service with every available provider, registers the API and resumes (or rolls
// back) what a previous run left in progress.
DeployWiring start_deploy(store::Store& store, const Clock& clock, engine::Engine& engine,
                          api::Router& router, api::BlockingPool& pool, const std::string& account,
                          const std::string& region);

}  // namespace signoff::app
