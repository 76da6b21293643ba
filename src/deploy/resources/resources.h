// Resource providers, one file each, registered by the composition root for the services it
// runs.
#pragma once

#include "deploy/provider.h"

namespace signoff::engine {
class Engine;
}
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

namespace signoff::deploy {

// AWS::StepFunctions::StateMachine and AWS::StepFunctions::Activity.
ProviderPtr state_machine_provider(engine::Engine& engine);
ProviderPtr activity_provider(engine::Engine& engine);

// AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Policy (inline, on roles, users and groups) and
// AWS::IAM::ManagedPolicy.
ProviderPtr iam_role_provider(iam::IdentityService& identity);
ProviderPtr iam_user_provider(iam::IdentityService& identity);
ProviderPtr iam_policy_provider(iam::IdentityService& identity);
ProviderPtr iam_managed_policy_provider(iam::IdentityService& identity);

// AWS::Lambda::Function and AWS::Lambda::Permission.
ProviderPtr lambda_function_provider(functions::FunctionsService& functions);
ProviderPtr lambda_permission_provider(functions::FunctionsService& functions);

// AWS::Events::Rule and AWS::Events::EventBus.
ProviderPtr events_rule_provider(bus::EventsService& events);
ProviderPtr event_bus_provider(bus::EventsService& events);

// AWS::SSM::Document.
ProviderPtr ssm_document_provider(automation::AutomationService& automation);

// AWS::SNS::Topic and AWS::SNS::Subscription.
ProviderPtr sns_topic_provider(notify::NotifyService& notify);
ProviderPtr sns_subscription_provider(notify::NotifyService& notify);

// AWS::Logs::LogGroup.
ProviderPtr log_group_provider(logs::LogsService& logs);

// Signoff::Agents::Agent (an agent approver, Signoff's own type).
ProviderPtr agent_provider(agents::AgentsService& agents);

// CloudFormation's PascalCase property objects → the service APIs' camelCase ones
// (LoggingConfiguration.Destinations[].CloudWatchLogsLogGroup.LogGroupArn → destinations[]...).
json::Value camel_case_keys(const json::Value& v);

}  // namespace signoff::deploy
