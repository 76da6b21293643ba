#include "app/app.h"

#include <cstdio>
#include <stdexcept>

#include "agents/service.h"
#include "api/agents_api.h"
#include "api/audit_api.h"
#include "api/events_api.h"
#include "api/http/server.h"
#include "api/iam_api.h"
#include "api/identity_auth.h"
#include "api/lambda_api.h"
#include "api/logs_api.h"
#include "api/router.h"
#include "api/service_util.h"
#include "api/sns_api.h"
#include "api/ssm_api.h"
#include "api/states_api.h"
#include "app/adapters/aws_call.h"
#include "app/adapters/aws_sdk_integration.h"
#include "app/adapters/bus_adapters.h"
#include "app/adapters/role_authorization.h"
#include "app/agents_adapters.h"
#include "app/automation_adapters.h"
#include "app/bootstrap.h"
#include "app/console_wiring.h"
#include "app/deploy_wiring.h"
#include "app/functions_wiring.h"
#include "app/notify_adapters.h"
#include "app/parameter_sealer.h"
#include "automation/parameter_store.h"
#include "automation/service.h"
#include "bus/events.h"
#include "common/clock.h"
#include "engine/engine.h"
#include "iam/identity.h"
#include "notify/mail_drop.h"
#include "notify/service.h"
#include "notify/smtp_url.h"
#include "store/store.h"

namespace signoff::app {

namespace {

// "Name <addr>" or "addr".
void split_mail_from(const std::string& from, notify::NotifyOptions& no) {
  size_t lt = from.rfind('<');
  size_t gt = from.rfind('>');
  if (lt == std::string::npos || gt == std::string::npos || gt < lt) {
    no.mail_from_address = from;
    return;
  }
  std::string name = from.substr(0, lt);
  while (!name.empty() && (name.back() == ' ' || name.back() == '"')) {
    name.pop_back();
  }
  size_t start = name.find_first_not_of(" \"");
  no.mail_from_name = start == std::string::npos ? "" : name.substr(start);
  no.mail_from_address = from.substr(lt + 1, gt - lt - 1);
}

std::unique_ptr<notify::NotifyService> make_notify(const AppOptions& o, store::Store& store,
                                                   const Clock& clock,
                                                   functions::FunctionsService& functions) {
  std::optional<notify::SmtpUrl> smtp;
  if (!o.smtp_url.empty()) {
    auto parsed = notify::parse_smtp_url(o.smtp_url);
    if (!parsed.ok()) {
      throw std::runtime_error("--smtp-url: " + parsed.error().message);
    }
    smtp = *parsed;
    std::fprintf(stderr, "signoff: sns: mail goes to the SMTP relay %s\n",
                 smtp->redacted().c_str());
  }
  notify::NotifyOptions no;
  no.account = o.account;
  no.default_region = o.region;
  if (!o.mail_from.empty()) {
    split_mail_from(o.mail_from, no);
  }
  std::shared_ptr<notify::Transport> transport = notify::make_curl_transport(smtp);
  if (!smtp) {
    // No relay: mail goes to files a newcomer can open, not nowhere.
    std::string drop = mail_drop_dir(o.data_dir);
    transport = notify::make_mail_drop_transport(drop, transport);
    std::fprintf(stderr,
                 "signoff: sns: no --smtp-url: mail is written to %s/ (one .eml file per "
                 "message)\n",
                 drop.c_str());
  }
  return std::make_unique<notify::NotifyService>(store, clock, no, std::move(transport),
                                                 make_function_invoker(functions));
}

}  // namespace

std::string describe_mail_destination(const AppOptions& o) {
  if (o.smtp_url.empty()) {
    return mail_drop_dir(o.data_dir) + "/ (one .eml per message)";
  }
  auto parsed = notify::parse_smtp_url(o.smtp_url);
  return "the SMTP relay " +
         (parsed.ok() ? parsed->redacted() : std::string("given by --smtp-url"));
}

struct App::Impl {
  AppOptions options;
  RealClock clock;
  store::StorePtr store;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<notify::NotifyService> notify;
  std::unique_ptr<bus::EventsService> events;
  AutomationAdapters automation_adapters;
  std::unique_ptr<automation::AutomationService> automation;
  std::unique_ptr<automation::SecretSealer> parameter_sealer;
  std::unique_ptr<automation::ParameterStore> parameters;
  AgentsAdapters agents_adapters;
  std::unique_ptr<agents::AgentsService> agents;
  std::unique_ptr<iam::IdentityService> identity;
  std::unique_ptr<api::IdentityAuth> auth;
  std::unique_ptr<api::BlockingPool> blocking;
  std::unique_ptr<logs::LogsService> logs;
  std::unique_ptr<LogsSink> log_sink;
  HttpRuntimeListeners runtime_listeners;
  std::unique_ptr<RoleCredentials> role_credentials;
  std::unique_ptr<functions::FunctionsService> functions;
  std::unique_ptr<api::Router> router;
  std::unique_ptr<OnBehalfCaller> on_behalf;  // reads router
  std::unique_ptr<api::HttpServer> server;
  DeployWiring deploy;
  ConsoleWiring console;
};

namespace {

// The identity service on its master key, and the administrator's credentials: supplied, or
// created on first start, written to DATA/credentials and shown once.
void start_identity_impl(const AppOptions& options, store::Store& store, const Clock& clock,
                         std::unique_ptr<iam::IdentityService>& identity) {
  iam::IdentityOptions io;
  io.account = options.account;
  io.master_key = load_or_create_master_key(options.data_dir);
  identity = std::make_unique<iam::IdentityService>(store, clock, std::move(io));
  if (auto checked = identity->check_master_key(); !checked.ok()) {
    throw std::runtime_error(options.data_dir + "/" + checked.error().message);
  }
  std::optional<iam::AccessKeyPair> supplied;
  if (!options.admin_credentials_file.empty()) {
    supplied = read_credentials_file(options.admin_credentials_file);
  }
  auto created = identity->ensure_admin(supplied);
  if (!created.ok()) {
    throw std::runtime_error("cannot create the administrator's credentials: " +
                             created.error().message);
  }
  if (*created) {
    const std::string path = options.data_dir + "/credentials";
    write_credentials_file(path, **created);
    // The only time the secret is shown: it is sealed in the store from now on.
    std::fprintf(stderr,
                 "signoff: created the administrator's credentials for account %s (profile "
                 "\"signoff\" in %s):\n  aws_access_key_id = %s\n  aws_secret_access_key = %s\n",
                 options.account.c_str(), path.c_str(), (*created)->access_key_id.c_str(),
                 (*created)->secret_access_key.c_str());
  }
}

}  // namespace

void App::start_identity(Impl& m) {
  start_identity_impl(m.options, *m.store, m.clock, m.identity);
  m.auth = std::make_unique<api::IdentityAuth>(*m.identity, m.options.insecure_open);
}

App::App(AppOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

App::~App() {
  stop();
}

void App::start() {
  Impl& m = *impl_;
  m.store = store::open_sqlite_store(m.options.data_dir);
  start_identity(m);
  engine::EngineOptions eo;
  eo.account = m.options.account;
  eo.default_region = m.options.region;
  m.engine = std::make_unique<engine::Engine>(*m.store, m.clock, eo);
  logs::LogsOptions lo;
  lo.account = m.options.account;
  m.logs = std::make_unique<logs::LogsService>(*m.store, m.clock, lo);
  m.logs->start();
  m.log_sink = std::make_unique<LogsSink>(*m.logs);
  functions::FunctionsOptions fo;
  fo.account = m.options.account;
  fo.default_region = m.options.region;
  fo.data_dir = m.options.data_dir;
  // Functions call back into Signoff on loopback whatever address the server listens on.
  fo.endpoint = [&m] {
    std::string host =
        m.options.address == "0.0.0.0" || m.options.address == "::" || m.options.address.empty()
            ? "127.0.0.1"
            : m.options.address;
    return "http://" + host + ":" + std::to_string(m.server ? m.server->port() : 0);
  };
  m.role_credentials = std::make_unique<RoleCredentials>(*m.identity, m.options.insecure_open);
  m.functions = std::make_unique<functions::FunctionsService>(
      *m.store, m.clock, fo,
      functions::FunctionsPorts{m.role_credentials.get(), &m.runtime_listeners, m.log_sink.get()});
  m.notify = make_notify(m.options, *m.store, m.clock, *m.functions);
  bus::BusOptions bo;
  bo.account = m.options.account;
  bo.region = m.options.region;
  m.events = std::make_unique<bus::EventsService>(
      *m.store, m.clock, make_bus_ports(*m.engine, *m.functions, *m.notify), bo);
  // Task integrations act as the state machine's role when signatures are checked (under
  // --insecure-open roles need not exist). Added before the engine starts: recovered
  // executions may be waiting on them.
  engine::TaskIntegrationPtr put_events = make_put_events_integration(*m.events);
  engine::TaskIntegrationPtr lambda = make_lambda_integration(*m.functions);
  engine::TaskIntegrationPtr sns = make_sns_publish_integration(*m.notify);
  if (!m.options.insecure_open) {
    put_events = events_as_role(std::move(put_events), *m.identity);
    lambda = lambda_as_role(std::move(lambda), *m.identity);
    sns = sns_as_role(std::move(sns), *m.identity);
  }
  m.engine->add_integration(std::move(put_events));
  m.engine->add_integration(std::move(lambda));
  m.engine->add_integration(std::move(sns));
  // aws-sdk tasks and aws:executeAwsApi steps run through the router as their role; they wait
  // for open() below, once every route is registered.
  m.on_behalf = std::make_unique<OnBehalfCaller>(m.router);
  m.engine->add_integration(make_aws_sdk_integration(
      *m.on_behalf, m.options.insecure_open ? nullptr : m.identity.get(), m.options.account));
  m.engine->start();
  m.events->start();
  m.blocking = std::make_unique<api::BlockingPool>(64);
  api::RouterOptions ro;
  ro.default_region = m.options.region;
  ro.account = m.options.account;
  ro.authenticator = m.auth.get();
  ro.authorizer = m.auth.get();
  m.router = std::make_unique<api::Router>(ro);
  api::register_states_api(*m.router, *m.engine, *m.blocking);
  api::register_sns_api(*m.router, *m.notify, *m.blocking);
  api::register_events_api(*m.router, *m.events, *m.blocking);
  api::register_lambda_api(*m.router, *m.functions, *m.blocking);
  api::register_logs_api(*m.router, *m.logs, *m.blocking);
  AutomationServices as;
  as.region = m.options.region;
  as.engine = m.engine.get();
  as.events = m.events.get();
  as.notify = m.notify.get();
  as.identity = m.identity.get();
  as.functions = m.functions.get();
  as.router = &m.router;
  as.on_behalf = m.on_behalf.get();
  as.insecure_open = m.options.insecure_open;
  m.automation_adapters = make_automation_adapters(as);
  m.automation_adapters.approvals = make_approval_watcher(&m.agents);
  automation::AutomationOptions ao;
  ao.account = m.options.account;
  ao.region = m.options.region;
  ao.public_url = m.options.public_url;
  ao.forbid_self_approval = m.options.forbid_self_approval;
  m.automation = std::make_unique<automation::AutomationService>(*m.store, m.clock,
                                                                 m.automation_adapters.ports(), ao);
  api::register_ssm_api(*m.router, *m.automation, *m.blocking,
                        [](const api::RequestContext& ctx) { return principal_of(ctx); });
  // The key identity just loaded or created; SecureString parameters are sealed under it.
  m.parameter_sealer = make_parameter_sealer(load_or_create_master_key(m.options.data_dir));
  automation::ParameterOptions po;
  po.account = m.options.account;
  po.region = m.options.region;
  m.parameters =
      std::make_unique<automation::ParameterStore>(*m.store, m.clock, *m.parameter_sealer, po);
  api::register_ssm_parameter_api(*m.router, *m.parameters, *m.blocking, m.auth.get());
  AgentsTargets at;
  at.automation = m.automation.get();
  at.identity = m.identity.get();
  at.engine = m.engine.get();
  at.router = &m.router;
  at.master_key = load_or_create_master_key(m.options.data_dir);
  m.agents_adapters = make_agents_adapters(at);
  agents::AgentsOptions ago;
  ago.account = m.options.account;
  ago.region = m.options.region;
  m.agents =
      std::make_unique<agents::AgentsService>(*m.store, m.clock, m.agents_adapters.ports(), ago);
  api::register_agents_api(*m.router, *m.agents, *m.blocking, m.auth.get());
  m.deploy = start_deploy(*m.store, m.clock,
                          DeployTargets{m.engine.get(), m.identity.get(), m.functions.get(),
                                        m.events.get(), m.automation.get(), m.notify.get(),
                                        m.logs.get(), m.agents.get(), m.parameters.get()},
                          *m.router, *m.blocking, m.options.account, m.options.region);
  api::register_iam_api(*m.router, *m.identity);
  api::register_iam_login_api(*m.router, *m.identity);
  api::register_audit_api(*m.router, *m.automation);
  api::register_sts_api(*m.router, *m.identity);
  m.console =
      wire_console(*m.router, *m.identity, m.clock, m.options.account, m.options.public_url);
  // An operation without a declared permission would be administrator-only, a gap nobody
  // chose: refuse to serve rather than run with it.
  std::vector<std::string> undeclared = m.router->undeclared_operations();
  if (!undeclared.empty()) {
    std::string names;
    for (const std::string& op : undeclared) {
      names += (names.empty() ? "" : ", ") + op;
    }
    throw std::runtime_error(std::to_string(undeclared.size()) +
                             " operations declare no IAM permission: " + names);
  }
  m.on_behalf->open();
  api::ServerOptions so;
  so.address = m.options.address;
  so.port = m.options.port;
  so.threads = m.options.io_threads;
  m.server = std::make_unique<api::HttpServer>(so, m.router->handler());
  m.server->start();
  m.console.console->start();
  // At once: it writes the runtime bootstraps every invocation needs (SNS's start below may
  // take a while generating its signing key, and requests are already being served).
  m.functions->start();
  m.notify->set_public_url(!m.options.public_url.empty() ? m.options.public_url
                                                         : "http://" + m.options.address + ":" +
                                                               std::to_string(m.server->port()));
  m.notify->start();
  if (m.options.public_url.empty()) {
    m.automation->set_public_url("http://" + m.options.address + ":" +
                                 std::to_string(m.server->port()));
  }
  // Started last: its first pass carries out jobs left from before a restart (timeouts that
  // fell due while the server was down), which may call back into the router.
  m.automation->start();
  // Its evaluations signal through the router, so it starts once the server serves.
  m.agents->start();
}

uint16_t App::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

Result<DeployedStack> App::deploy(const StartupDeploy& request, std::FILE* log) {
  if (!impl_->deploy.service) {
    return make_error("ValidationError", "the server is not running");
  }
  return deploy_and_wait(*impl_->deploy.service, impl_->options.region, request, log);
}

void App::stop() {
  Impl& m = *impl_;
  // First: its workers wait on the router and the blocking pool.
  if (m.agents) {
    m.agents->stop();
  }
  if (m.server) {
    m.server->stop();
  }
  // Before the services: its workers and event streams call them through the router.
  if (m.console.console) {
    m.console.console->stop();
  }
  if (m.automation) {
    m.automation->stop();
  }
  if (m.functions) {
    m.functions->stop();
  }
  if (m.blocking) {
    m.blocking->stop();
  }
  if (m.deploy.service) {
    m.deploy.service->stop();
  }
  if (m.notify) {
    m.notify->stop();
  }
  if (m.events) {
    m.events->stop();
  }
  if (m.logs) {
    m.logs->stop();
  }
  if (m.engine) {
    m.engine->stop();
  }
  m.server.reset();
  m.console = ConsoleWiring{};
  m.router.reset();
  m.blocking.reset();
  m.deploy.service.reset();
  m.events.reset();
  m.agents.reset();
  m.agents_adapters = AgentsAdapters{};
  m.automation.reset();
  m.parameters.reset();
  m.parameter_sealer.reset();
  m.automation_adapters = AutomationAdapters{};
  m.engine.reset();
  m.on_behalf.reset();
  m.notify.reset();
  m.functions.reset();
  m.role_credentials.reset();
  m.log_sink.reset();
  m.logs.reset();
  m.auth.reset();
  m.identity.reset();
  m.store.reset();
}

}  // namespace signoff::app
