// AWS CloudFormation over the query protocol.
#pragma once

#include "api/router.h"
#include "api/service_util.h"
#include "deploy/service.h"

namespace signoff::api {

void register_cloudformation_api(Router& router, deploy::Service& service, BlockingPool& pool);

}  // namespace signoff::api
