// arn:aws:states:::aws-sdk:SERVICE:ACTION[.waitForTaskToken]: a Task calls one of Signoff's own
// APIs as the state machine's role (or the Task's Credentials.RoleArn), with the parameters in the
// SDK's PascalCase, and gets the SDK's response; a service error fails the task with
// "Service.ErrorNameException" as Step Functions names it ("Sfn.ExecutionDoesNotExistException").
#pragma once

#include "app/adapters/aws_call.h"
#include "engine/ports.h"
#include "iam/identity.h"

namespace signoff::app {

// identity nullptr (--insecure-open): calls run as the account's administrator.
engine::TaskIntegrationPtr make_aws_sdk_integration(OnBehalfCaller& caller,
                                                    const iam::IdentityService* identity,
                                                    std::string account);

// "Sfn" + "ExecutionDoesNotExist" → "Sfn.ExecutionDoesNotExistException"; AWS adds the suffix
// even where the service's own code lacks it.
std::string sdk_error_name(std::string_view service_name, std::string_view code);

}  // namespace signoff::app
