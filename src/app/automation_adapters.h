// Adapters behind the automation service's ports (src/automation/ports.h), calling the other
// services: events on the default bus (bus::EventsService), approval notifications through SNS
// (notify::NotifyService), approvers resolved through IAM (iam::IdentityService), Lambda and
// aws:executeScript through the functions service, state machines through the engine and
// aws:executeAwsApi through the server's own router.
#pragma once

#include <memory>
#include <string>

#include "api/router.h"
#include "app/adapters/aws_call.h"
#include "automation/ports.h"
#include "bus/events.h"
#include "engine/engine.h"
#include "functions/service.h"
#include "iam/identity.h"
#include "notify/service.h"

namespace signoff::app {

struct AutomationAdapters {
  std::unique_ptr<automation::EventPublisher> events;
  std::unique_ptr<automation::TopicPublisher> topics;
  std::unique_ptr<automation::PrincipalDirectory> principals;
  std::unique_ptr<automation::StateMachineRunner> state_machines;
  std::unique_ptr<automation::FunctionInvoker> functions;
  std::unique_ptr<automation::ScriptRunner> scripts;
  std::unique_ptr<automation::AwsApiCaller> aws_api;
  std::unique_ptr<automation::ApprovalWatcher> approvals;  // agent approvers (agents_adapters.h)

  automation::Ports ports() const;
};

// The services the automation's ports call; none is owned, all must outlive the adapters.
struct AutomationServices {
  std::string region;
  engine::Engine* engine = nullptr;
  bus::EventsService* events = nullptr;
  notify::NotifyService* notify = nullptr;
  iam::IdentityService* identity = nullptr;
  functions::FunctionsService* functions = nullptr;
  // Read when aws:executeAwsApi runs, so it may be filled in after make_automation_adapters.
  const std::unique_ptr<api::Router>* router = nullptr;
  OnBehalfCaller* on_behalf = nullptr;  // aws:executeAwsApi
  bool insecure_open = false;           // steps act as the administrator
};

AutomationAdapters make_automation_adapters(const AutomationServices& services);

// Who sent a request: the principal the identity layer authenticated (under --insecure-open,
// the account's administrator), with the client's address.
automation::Principal principal_of(const api::RequestContext& ctx);

// Approver entries resolved through IAM, as aws:approve resolves them (the console asks the same
// question to show only the approvals a principal may decide).
std::unique_ptr<automation::PrincipalDirectory> make_identity_directory(
    const iam::IdentityService& identity);

}  // namespace signoff::app
