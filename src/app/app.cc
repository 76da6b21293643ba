#include "app/app.h"

#include <stdexcept>

#include "api/http/server.h"
#include "api/router.h"
#include "api/service_util.h"
#include "api/ssm_api.h"
#include "api/states_api.h"
#include "app/automation_adapters.h"
#include "automation/service.h"
#include "common/clock.h"
#include "engine/engine.h"
#include "store/store.h"

namespace signoff::app {

struct App::Impl {
  AppOptions options;
  RealClock clock;
  store::StorePtr store;
  std::unique_ptr<engine::Engine> engine;
  AutomationAdapters automation_adapters;
  std::unique_ptr<automation::AutomationService> automation;
  std::unique_ptr<api::BlockingPool> blocking;
  std::unique_ptr<api::Router> router;
  std::unique_ptr<api::HttpServer> server;
};

App::App(AppOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

App::~App() {
  stop();
}

void App::start() {
  Impl& m = *impl_;
  m.store = store::open_sqlite_store(m.options.data_dir);
  engine::EngineOptions eo;
  eo.account = m.options.account;
  eo.default_region = m.options.region;
  m.engine = std::make_unique<engine::Engine>(*m.store, m.clock, eo);
  m.engine->start();
  m.blocking = std::make_unique<api::BlockingPool>(64);
  api::RouterOptions ro;
  ro.default_region = m.options.region;
  m.router = std::make_unique<api::Router>(ro);
  api::register_states_api(*m.router, *m.engine, *m.blocking);
  m.automation_adapters = make_automation_adapters(m.options.data_dir, m.options.account,
                                                   m.options.region, *m.engine, m.router);
  automation::AutomationOptions ao;
  ao.account = m.options.account;
  ao.region = m.options.region;
  ao.public_url = m.options.public_url;
  ao.forbid_self_approval = m.options.forbid_self_approval;
  m.automation = std::make_unique<automation::AutomationService>(*m.store, m.clock,
                                                                 m.automation_adapters.ports(), ao);
  api::register_ssm_api(*m.router, *m.automation, *m.blocking,
                        [account = m.options.account](const api::RequestContext& ctx) {
                          return principal_of(ctx, account);
                        });
  api::ServerOptions so;
  so.address = m.options.address;
  so.port = m.options.port;
  so.threads = m.options.io_threads;
  m.server = std::make_unique<api::HttpServer>(so, m.router->handler());
  m.server->start();
  if (m.options.public_url.empty()) {
    m.automation->set_public_url("http://" + m.options.address + ":" +
                                 std::to_string(m.server->port()));
  }
  // Started last: its first pass carries out jobs left from before a restart (timeouts that
  // fell due while the server was down), which may call back into the router.
  m.automation->start();
}

uint16_t App::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

void App::stop() {
  Impl& m = *impl_;
  if (m.server) {
    m.server->stop();
  }
  if (m.automation) {
    m.automation->stop();
  }
  if (m.blocking) {
    m.blocking->stop();
  }
  if (m.engine) {
    m.engine->stop();
  }
  m.server.reset();
  m.router.reset();
  m.blocking.reset();
  m.automation.reset();
  m.automation_adapters = AutomationAdapters{};
  m.engine.reset();
  m.store.reset();
}

}  // namespace signoff::app
