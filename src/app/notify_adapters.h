// Adapters between SNS and the other services: Step Functions' arn:aws:states:::sns:publish
// integration, and SNS's FunctionInvoker port (Lambda subscriptions).
#pragma once

#include <memory>

#include "engine/ports.h"
#include "functions/service.h"
#include "notify/ports.h"
#include "notify/service.h"

namespace signoff::app {

// Lambda subscriptions through functions::FunctionsService::invoke_as_service
// (sns.amazonaws.com, asynchronous, source ARN the topic's).
std::shared_ptr<notify::FunctionInvoker> make_function_invoker(
    functions::FunctionsService& functions);

// Task states with Resource arn:aws:states:::sns:publish (and .waitForTaskToken): Parameters
// TopicArn/TargetArn, Message (a string, or JSON which is serialized), Subject,
// MessageAttributes, MessageStructure; output shaped as Step Functions returns it.
engine::TaskIntegrationPtr make_sns_publish_integration(notify::NotifyService& sns);

}  // namespace signoff::app
