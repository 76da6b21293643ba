// The agents service's ports (src/agents/ports.h) and the automation's ApprovalWatcher that feeds
// it: approvals read from the automation service, decisions sent as SendAutomationSignal through
// the router's dispatch_as for the agent's role principal (the same decoding and permission
// check as a request over HTTP: no side door), secrets sealed by the identity service's secret
// box, task tokens opened by the engine.
#pragma once

#include <memory>
#include <string>

#include "agents/ports.h"
#include "agents/service.h"
#include "api/router.h"
#include "automation/ports.h"
#include "automation/service.h"
#include "engine/engine.h"
#include "iam/identity.h"

namespace signoff::app {

struct AgentsAdapters {
  std::unique_ptr<agents::ApprovalDesk> desk;
  std::unique_ptr<agents::SecretSealer> secrets;
  std::unique_ptr<agents::ExecutionInputs> executions;
  std::unique_ptr<agents::HttpClient> http;

  agents::Ports ports() const;
};

struct AgentsTargets {
  automation::AutomationService* automation = nullptr;
  iam::IdentityService* identity = nullptr;
  engine::Engine* engine = nullptr;
  const std::unique_ptr<api::Router>* router = nullptr;  // read at decision time
  iam::MasterKey master_key{};
};

AgentsAdapters make_agents_adapters(const AgentsTargets& targets);

// Tells the agents service (once it exists: *agents is read at call time) of waiting approvals.
std::unique_ptr<automation::ApprovalWatcher> make_approval_watcher(
    const std::unique_ptr<agents::AgentsService>* agents);

}  // namespace signoff::app
