#include "app/deploy_wiring.h"

#include "api/cloudformation_api.h"
#include "deploy/resources/resources.h"

namespace signoff::app {

DeployWiring start_deploy(store::Store& store, const Clock& clock, engine::Engine& engine,
                          api::Router& router, api::BlockingPool& pool, const std::string& account,
                          const std::string& region) {
  DeployWiring w;
  deploy::DeployOptions o;
  o.account = account;
  o.default_region = region;
  w.service = std::make_unique<deploy::Service>(store, clock, o);
  w.service->add_provider("AWS::StepFunctions::StateMachine",
                          deploy::state_machine_provider(engine));
  w.service->add_provider("AWS::StepFunctions::Activity", deploy::activity_provider(engine));
  api::register_cloudformation_api(router, *w.service, pool);
  w.service->start();
  return w;
}

}  // namespace signoff::app
