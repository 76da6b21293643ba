// Signoff's own agents API (AWS JSON 1.1, X-Amz-Target SignoffAgents.*, signing name
// "signoff"): agent approvers and their decisions. IAM actions are signoff:<Operation> on
// arn:aws:signoff:REGION:ACCOUNT:agent/NAME.
#pragma once

#include "agents/service.h"
#include "api/auth.h"
#include "api/router.h"
#include "api/service_util.h"

namespace signoff::api {

// CreateAgent and UpdateAgent also ask `authorizer` (nullable) for iam:PassRole on the RoleArn.
void register_agents_api(Router& router, agents::AgentsService& service, BlockingPool& pool,
                         const Authorizer* authorizer);

}  // namespace signoff::api
