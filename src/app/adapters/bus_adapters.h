// The event bus's ports, implemented by the other services (and libcurl), and the Step Functions
// task integration that publishes to the bus (arn:aws:states:::events:putEvents).
#pragma once

#include <memory>

#include "bus/events.h"
#include "bus/ports.h"
#include "engine/engine.h"
#include "engine/ports.h"
#include "functions/service.h"
#include "notify/service.h"

namespace signoff::app {

// Ports for bus::EventsService: state machines through the engine; Lambda targets through
// functions::FunctionsService::invoke_as_service (events.amazonaws.com, asynchronous, only where
// the function's resource policy allows the rule); SNS targets through notify; HTTP through
// libcurl.
bus::BusPorts make_bus_ports(engine::Engine& engine, functions::FunctionsService& functions,
                             notify::NotifyService& sns);

// arn:aws:states:::events:putEvents (and .waitForTaskToken) for the engine.
engine::TaskIntegrationPtr make_put_events_integration(bus::EventsService& events);

}  // namespace signoff::app
