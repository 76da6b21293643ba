// AWS Systems Manager (JSON 1.1, X-Amz-Target AmazonSSM.*): documents and Automation.
#pragma once

#include <functional>

#include "api/router.h"
#include "api/service_util.h"
#include "automation/parameter_store.h"
#include "automation/service.h"

namespace signoff::api {

// Who sent the request, as the identity layer authenticated it (app/ supplies it).
using PrincipalResolver = std::function<automation::Principal(const RequestContext&)>;

void register_ssm_api(Router& router, automation::AutomationService& service, BlockingPool& pool,
                      PrincipalResolver principal_of);

// Parameter Store, registered into the same "ssm" service. authorizer (not owned, may be null)
// checks every further name of GetParameters / DeleteParameters; the router checks the first.
void register_ssm_parameter_api(Router& router, automation::ParameterStore& store,
                                BlockingPool& pool, const Authorizer* authorizer);

}  // namespace signoff::api
