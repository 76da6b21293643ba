// The event bus's ports, implemented by the other services (and libcurl), and the Step Functions
// task integration that publishes to the bus (arn:aws:states:::events:putEvents).
#pragma once

#include <memory>

#include "bus/events.h"
#include "bus/ports.h"
#include "engine/engine.h"
#include "engine/ports.h"

namespace signoff::app {

// Ports for bus::EventsService: state machines through the engine; Lambda and SNS fail with a
// clear reason until those services exist; HTTP through libcurl.
bus::BusPorts make_bus_ports(engine::Engine& engine);

// arn:aws:states:::events:putEvents (and .waitForTaskToken) for the engine.
engine::TaskIntegrationPtr make_put_events_integration(bus::EventsService& events);

}  // namespace signoff::app
