// Amazon EventBridge over AWS JSON 1.1 (X-Amz-Target AWSEvents.*).
#pragma once

#include "api/router.h"
#include "api/service_util.h"
#include "bus/events.h"

namespace signoff::api {

void register_events_api(Router& router, bus::EventsService& events, BlockingPool& pool);

}  // namespace signoff::api
