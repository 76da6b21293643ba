// Signoff's own agents API (AWS JSON 1.1, X-Amz-Target SignoffAgents.*, signing name
// "signoff"): agent approvers and their decisions. IAM actions are signoff:<Operation> on
// arn:aws:signoff:REGION:ACCOUNT:agent/NAME.
#pragma once

#include "agents/service.h"
#include "api/router.h"
#include "api/service_util.h"

namespace signoff::api {

void register_agents_api(Router& router, agents::AgentsService& service, BlockingPool& pool);

}  // namespace signoff::api
