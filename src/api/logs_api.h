// Amazon CloudWatch Logs over AWS JSON 1.1 (X-Amz-Target Logs_20140328.*).
#pragma once

#include "api/router.h"
#include "api/service_util.h"
#include "logs/logs.h"

namespace signoff::api {

void register_logs_api(Router& router, logs::LogsService& service, BlockingPool& pool);

}  // namespace signoff::api
