// Adapters behind the automation service's ports (src/automation/ports.h), calling the other
// services. Services that have not landed yet get stubs that say so: events and notifications
// are appended to JSON-lines files in the data directory (so tests can observe them) until the
// event bus and SNS exist; Lambda and scripts answer with a clear error.
#pragma once

#include <memory>
#include <string>

#include "api/router.h"
#include "automation/ports.h"
#include "engine/engine.h"

namespace signoff::app {

struct AutomationAdapters {
  std::unique_ptr<automation::EventPublisher> events;
  std::unique_ptr<automation::TopicPublisher> topics;
  std::unique_ptr<automation::PrincipalDirectory> principals;
  std::unique_ptr<automation::StateMachineRunner> state_machines;
  std::unique_ptr<automation::FunctionInvoker> functions;
  std::unique_ptr<automation::ScriptRunner> scripts;
  std::unique_ptr<automation::AwsApiCaller> aws_api;

  automation::Ports ports() const;
};

// `router` is read when aws:executeAwsApi runs, so it may be filled in after this call.
AutomationAdapters make_automation_adapters(const std::string& data_dir, const std::string& account,
                                            const std::string& region, engine::Engine& engine,
                                            const std::unique_ptr<api::Router>& router);

// Who sent a request. Until the identity service puts an authenticated principal in the
// RequestContext, a request is attributed to the IAM user named by its access key id (signatures
// are not checked), so tests can act as distinct principals.
automation::Principal principal_of(const api::RequestContext& ctx, const std::string& account);

}  // namespace signoff::app
