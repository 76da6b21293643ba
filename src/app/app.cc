#include "app/app.h"

#include <cstdio>
#include <stdexcept>

#include "api/http/server.h"
#include "api/iam_api.h"
#include "api/identity_auth.h"
#include "api/router.h"
#include "api/service_util.h"
#include "api/states_api.h"
#include "app/bootstrap.h"
#include "common/clock.h"
#include "engine/engine.h"
#include "iam/identity.h"
#include "store/store.h"

namespace signoff::app {

struct App::Impl {
  AppOptions options;
  RealClock clock;
  store::StorePtr store;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<iam::IdentityService> identity;
  std::unique_ptr<api::IdentityAuth> auth;
  std::unique_ptr<api::BlockingPool> blocking;
  std::unique_ptr<api::Router> router;
  std::unique_ptr<api::HttpServer> server;
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
  m.engine->start();
  m.blocking = std::make_unique<api::BlockingPool>(64);
  api::RouterOptions ro;
  ro.default_region = m.options.region;
  ro.account = m.options.account;
  ro.authenticator = m.auth.get();
  ro.authorizer = m.auth.get();
  m.router = std::make_unique<api::Router>(ro);
  api::register_states_api(*m.router, *m.engine, *m.blocking);
  api::register_iam_api(*m.router, *m.identity);
  api::register_sts_api(*m.router, *m.identity);
  std::vector<std::string> undeclared = m.router->undeclared_operations();
  if (!undeclared.empty()) {
    // Every operation must say what it needs the caller to be allowed; a gap is a bug.
    throw std::runtime_error("operations without a declared IAM permission: " + undeclared[0]);
  }
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
  if (m.engine) {
    m.engine->stop();
  }
  m.server.reset();
  m.router.reset();
  m.blocking.reset();
  m.engine.reset();
  m.auth.reset();
  m.identity.reset();
  m.store.reset();
}

}  // namespace signoff::app
