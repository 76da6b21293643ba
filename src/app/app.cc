#include "app/app.h"

#include <stdexcept>

#include "api/http/server.h"
#include "api/lambda_api.h"
#include "api/logs_api.h"
#include "api/router.h"
#include "api/service_util.h"
#include "api/states_api.h"
#include "app/functions_wiring.h"
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
  std::unique_ptr<logs::LogsService> logs;
  std::unique_ptr<LogsSink> log_sink;
  HttpRuntimeListeners runtime_listeners;
  InsecureRoleCredentials role_credentials;
  std::unique_ptr<functions::FunctionsService> functions;
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
  m.functions = std::make_unique<functions::FunctionsService>(
      *m.store, m.clock, fo,
      functions::FunctionsPorts{&m.role_credentials, &m.runtime_listeners, m.log_sink.get()});
  m.engine->add_integration(make_lambda_integration(*m.functions));
  m.engine->start();
  m.blocking = std::make_unique<api::BlockingPool>(64);
  api::RouterOptions ro;
  ro.default_region = m.options.region;
  m.router = std::make_unique<api::Router>(ro);
  api::register_states_api(*m.router, *m.engine, *m.blocking);
  api::register_lambda_api(*m.router, *m.functions, *m.blocking);
  api::register_logs_api(*m.router, *m.logs, *m.blocking);
  api::ServerOptions so;
  so.address = m.options.address;
  so.port = m.options.port;
  so.threads = m.options.io_threads;
  m.server = std::make_unique<api::HttpServer>(so, m.router->handler());
  m.server->start();
  m.functions->start();
}

uint16_t App::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

void App::stop() {
  Impl& m = *impl_;
  if (m.server) {
    m.server->stop();
  }
  if (m.functions) {
    m.functions->stop();
  }
  if (m.blocking) {
    m.blocking->stop();
  }
  if (m.logs) {
    m.logs->stop();
  }
  if (m.engine) {
    m.engine->stop();
  }
  m.server.reset();
  m.router.reset();
  m.blocking.reset();
  m.engine.reset();
  m.functions.reset();
  m.log_sink.reset();
  m.logs.reset();
  m.store.reset();
}

}  // namespace signoff::app
