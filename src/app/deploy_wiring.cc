#include "app/deploy_wiring.h"

#include "api/cloudformation_api.h"
#include "deploy/resources/resources.h"

namespace signoff::app {

namespace {

void add_providers(deploy::Service& s, const DeployTargets& t) {
  if (t.engine) {
    s.add_provider("AWS::StepFunctions::StateMachine", deploy::state_machine_provider(*t.engine));
    s.add_provider("AWS::StepFunctions::Activity", deploy::activity_provider(*t.engine));
  }
  if (t.identity) {
    s.add_provider("AWS::IAM::Role", deploy::iam_role_provider(*t.identity));
    s.add_provider("AWS::IAM::User", deploy::iam_user_provider(*t.identity));
    s.add_provider("AWS::IAM::Policy", deploy::iam_policy_provider(*t.identity));
    s.add_provider("AWS::IAM::ManagedPolicy", deploy::iam_managed_policy_provider(*t.identity));
  }
  if (t.functions) {
    s.add_provider("AWS::Lambda::Function", deploy::lambda_function_provider(*t.functions));
    s.add_provider("AWS::Lambda::Permission", deploy::lambda_permission_provider(*t.functions));
  }
  if (t.events) {
    s.add_provider("AWS::Events::Rule", deploy::events_rule_provider(*t.events));
    s.add_provider("AWS::Events::EventBus", deploy::event_bus_provider(*t.events));
  }
  if (t.automation) {
    s.add_provider("AWS::SSM::Document", deploy::ssm_document_provider(*t.automation));
  }
  if (t.notify) {
    s.add_provider("AWS::SNS::Topic", deploy::sns_topic_provider(*t.notify));
    s.add_provider("AWS::SNS::Subscription", deploy::sns_subscription_provider(*t.notify));
  }
  if (t.logs) {
    s.add_provider("AWS::Logs::LogGroup", deploy::log_group_provider(*t.logs));
  }
  if (t.agents) {
    s.add_provider("Signoff::Agents::Agent", deploy::agent_provider(*t.agents));
  }
}

}  // namespace

DeployWiring start_deploy(store::Store& store, const Clock& clock, const DeployTargets& targets,
                          api::Router& router, api::BlockingPool& pool, const std::string& account,
                          const std::string& region) {
  DeployWiring w;
  deploy::DeployOptions o;
  o.account = account;
  o.default_region = region;
  w.service = std::make_unique<deploy::Service>(store, clock, o);
  add_providers(*w.service, targets);
  api::register_cloudformation_api(router, *w.service, pool);
  w.service->start();
  return w;
}

}  // namespace signoff::app
