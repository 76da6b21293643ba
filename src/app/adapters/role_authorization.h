// Step Functions task integrations act as the state machine's role (its RoleArn, or a Task
// state's Credentials.RoleArn): before the call, the identity service is asked whether that role
// may perform the integration's action on its resource, as AWS's service would ask IAM.
#pragma once

#include "engine/ports.h"
#include "iam/identity.h"

namespace signoff::app {

// lambda:InvokeFunction on the function (arn:aws:states:::lambda:invoke*, bare function ARNs).
engine::TaskIntegrationPtr lambda_as_role(engine::TaskIntegrationPtr inner,
                                          const iam::IdentityService& identity);
// sns:Publish on the topic (arn:aws:states:::sns:publish*).
engine::TaskIntegrationPtr sns_as_role(engine::TaskIntegrationPtr inner,
                                       const iam::IdentityService& identity);
// events:PutEvents on each entry's bus (arn:aws:states:::events:putEvents*).
engine::TaskIntegrationPtr events_as_role(engine::TaskIntegrationPtr inner,
                                          const iam::IdentityService& identity);

}  // namespace signoff::app
