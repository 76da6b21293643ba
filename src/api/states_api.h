// AWS Step Functions over AWS JSON 1.0.
#pragma once

#include "api/router.h"
#include "api/service_util.h"
#include "engine/engine.h"

namespace signoff::api {

void register_states_api(Router& router, engine::Engine& engine, BlockingPool& pool);

}  // namespace signoff::api
