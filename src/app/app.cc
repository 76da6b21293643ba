#include "app/app.h"

#include <stdexcept>

#include "api/http/server.h"
#include "api/router.h"
#include "api/service_util.h"
#include "api/states_api.h"
#include "app/deploy_wiring.h"
#include "common/clock.h"
#include "engine/engine.h"
#include "store/store.h"

namespace signoff::app {

struct App::Impl {
  AppOptions options;
  RealClock clock;
  store::StorePtr store;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<api::BlockingPool> blocking;
  std::unique_ptr<api::Router> router;
  std::unique_ptr<api::HttpServer> server;
  DeployWiring deploy;
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
  m.deploy = start_deploy(*m.store, m.clock, *m.engine, *m.router, *m.blocking, m.options.account,
                          m.options.region);
  api::ServerOptions so;
  so.address = m.options.address;
  so.port = m.options.port;
  so.threads = m.options.io_threads;
  m.server = std::make_unique<api::HttpServer>(so, m.router->handler());
  m.server->start();
}

uint16_t App::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

void App::stop() {
  Impl& m = *impl_;
  if (m.server) {
    m.server->stop();
  }
  if (m.blocking) {
    m.blocking->stop();
  }
  if (m.deploy.service) {
    m.deploy.service->stop();
  }
  if (m.engine) {
    m.engine->stop();
  }
  m.server.reset();
  m.router.reset();
  m.blocking.reset();
  m.deploy.service.reset();
  m.engine.reset();
  m.store.reset();
}

}  // namespace signoff::app
