// AWS Lambda over REST-JSON (/2015-03-31/...).
#pragma once

#include "api/router.h"
#include "api/service_util.h"
#include "functions/service.h"

namespace signoff::api {

void register_lambda_api(Router& router, functions::FunctionsService& service, BlockingPool& pool);

}  // namespace signoff::api
