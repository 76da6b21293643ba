// Adapters between SNS and the other services: Step Functions' arn:aws:states:::sns:publish
// integration, and SNS's FunctionInvoker port (Lambda subscriptions).
#pragma once

#include <memory>

#include "engine/ports.h"
#include "notify/ports.h"
#include "notify/service.h"

namespace signoff::app {

// Until the functions service lands: every Lambda delivery fails with a clear reason.
std::shared_ptr<notify::FunctionInvoker> make_unavailable_function_invoker();

// Task states with Resource arn:aws:states:::sns:publish (and .waitForTaskToken): Parameters
// TopicArn/TargetArn, Message (a string, or JSON which is serialized), Subject,
// MessageAttributes, MessageStructure; output shaped as Step Functions returns it.
engine::TaskIntegrationPtr make_sns_publish_integration(notify::NotifyService& sns);

}  // namespace signoff::app
