// Resource providers, one file each, registered by the composition root for the services it
// runs.
#pragma once

#include "deploy/provider.h"

namespace signoff::engine {
class Engine;
}

namespace signoff::deploy {

// AWS::StepFunctions::StateMachine and AWS::StepFunctions::Activity.
ProviderPtr state_machine_provider(engine::Engine& engine);
ProviderPtr activity_provider(engine::Engine& engine);

// CloudFormation's PascalCase property objects → the service APIs' camelCase ones
// (LoggingConfiguration.Destinations[].CloudWatchLogsLogGroup.LogGroupArn → destinations[]...).
json::Value camel_case_keys(const json::Value& v);

}  // namespace signoff::deploy
