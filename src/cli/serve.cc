// `signoff serve`: the server, on the embedded store in --data.
#include <csignal>
#include <cstdio>
#include <exception>

#include "app/app.h"
#include "cli/command.h"

namespace signoff::cli {
namespace {

struct ServeArgs {
  app::AppOptions options;
};

int serve(const ServeArgs& args) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Blocked before any thread starts, so only the sigwait below receives them.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  app::App app(args.options);
  try {
    app.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signoff: cannot start: %s\n", e.what());
    return 1;
  }
  if (args.options.insecure_open) {
    std::fprintf(stderr,
                 "signoff: WARNING: --insecure-open: signatures are not checked and every request "
                 "acts as the account's administrator. For tests and local development only.\n");
  } else {
    std::fprintf(stderr,
                 "signoff: requests must be signed (SigV4) with this account's credentials; the "
                 "administrator's are in profile \"signoff\" of %s/credentials unless "
                 "--admin-credentials was given\n",
                 args.options.data_dir.c_str());
  }
  std::fprintf(stderr, "signoff: listening on http://%s:%u (data in %s)\n",
               args.options.address.c_str(), static_cast<unsigned>(app.port()),
               args.options.data_dir.c_str());
  std::fflush(stderr);
  int sig = 0;
  sigwait(&signals, &sig);
  std::fprintf(stderr, "signoff: %s received, shutting down\n",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  app.stop();
  return 0;
}

const CommandRegistration kRegistration(Parent::Root, [](CLI::App& parent) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = parent.add_subcommand("serve", "Run the Signoff server (AWS APIs over HTTP)");
  cmd->add_option("--port", args->options.port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  cmd->add_option("--address", args->options.address, "Address to listen on")
      ->capture_default_str();
  cmd->add_option("--data", args->options.data_dir, "Data directory (the embedded store)")
      ->capture_default_str();
  cmd->add_option("--account", args->options.account, "AWS account id of this server")
      ->capture_default_str();
  cmd->add_option("--region", args->options.region, "Region when a request names none")
      ->capture_default_str();
  cmd->add_flag("--insecure-open", args->options.insecure_open,
                "Do not check signatures; every request acts as the administrator (tests and "
                "local development only)");
  cmd->add_option("--admin-credentials", args->options.admin_credentials_file,
                  "AWS shared-credentials file whose [signoff] profile is the administrator's "
                  "key (default: create one on first start in DATA/credentials)")
      ->check(CLI::ExistingFile);
  cmd->callback([args] { exit_status() = serve(*args); });
});

}  // namespace
}  // namespace signoff::cli
