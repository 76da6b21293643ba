// `signoff serve`: the server, on the embedded store in --data.
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/config.h"
#include "cli/command.h"
#include "cli/next_steps.h"

namespace signoff::cli {
namespace {

struct ServeArgs {
  app::AppOptions options;
  std::string config_file;
  std::string deploy_file;
  std::string stack_name;
  std::vector<std::string> deploy_params;  // KEY=VALUE
};

// Values from --config fill in what the command line did not set.
bool apply_config(CLI::App& cmd, ServeArgs& args) {
  if (args.config_file.empty()) {
    return true;
  }
  auto config = app::load_config_file(args.config_file);
  if (!config.ok()) {
    std::fprintf(stderr, "signoff: %s\n", config.error().message.c_str());
    return false;
  }
  auto fill = [&cmd](const char* flag, const std::optional<std::string>& value, std::string& out) {
    if (value && cmd.count(flag) == 0) {
      out = *value;
    }
  };
  fill("--smtp-url", config->smtp_url, args.options.smtp_url);
  fill("--mail-from", config->mail_from, args.options.mail_from);
  fill("--public-url", config->public_url, args.options.public_url);
  return true;
}

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
  if (!args.deploy_file.empty()) {
    app::StartupDeploy d;
    d.template_file = args.deploy_file;
    d.stack_name = args.stack_name;
    for (const std::string& p : args.deploy_params) {
      size_t eq = p.find('=');
      d.parameters.emplace_back(p.substr(0, eq), eq == std::string::npos ? "" : p.substr(eq + 1));
    }
    auto deployed = app.deploy(d, stderr);
    if (!deployed.ok()) {
      // The server stays up: the stack can be inspected, fixed and deployed again.
      std::fprintf(stderr, "signoff: deploy of %s failed: %s\n", d.template_file.c_str(),
                   deployed.error().message.c_str());
    } else {
      print_next_steps(stdout, args.options, app.port(), d.stack_name, *deployed);
    }
    std::fflush(stderr);
  }
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
  cmd->add_flag("--forbid-self-approval", args->options.forbid_self_approval,
                "Nobody may approve an SSM automation they started (beyond AWS)");
  cmd->add_flag("--insecure-open", args->options.insecure_open,
                "Do not check signatures; every request acts as the administrator (tests and "
                "local development only)");
  cmd->add_option("--admin-credentials", args->options.admin_credentials_file,
                  "AWS shared-credentials file whose [signoff] profile is the administrator's "
                  "key (default: create one on first start in DATA/credentials)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--public-url", args->options.public_url,
                  "Base URL of the links in SNS messages and approval notifications (default: "
                  "the listening address)");
  cmd->add_option("--smtp-url", args->options.smtp_url,
                  "SMTP relay for SNS e-mail: smtp://[user:pass@]host:port[?starttls=required] "
                  "or smtps://...");
  cmd->add_option("--mail-from", args->options.mail_from,
                  "Sender of SNS e-mail, \"Name <address>\" (default: AWS Notifications "
                  "<no-reply@sns.amazonaws.com>)");
  cmd->add_option("--config", args->config_file,
                  "TOML file with smtp-url, mail-from, public-url (flags win)");
  cmd->add_option("--deploy", args->deploy_file,
                  "CloudFormation template to deploy once listening (created, updated, or left "
                  "alone when unchanged)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--stack-name", args->stack_name,
                  "Stack name for --deploy (default: the template's file name)");
  cmd->add_option("--deploy-param", args->deploy_params,
                  "KEY=VALUE template parameter for --deploy (repeatable)");
  cmd->callback([args, cmd] {
    if (!args->deploy_file.empty() && args->stack_name.empty()) {
      std::string stem = std::filesystem::path(args->deploy_file).filename().string();
      args->stack_name = stem.substr(0, stem.find('.'));
    }
    for (const std::string& p : args->deploy_params) {
      if (p.find('=') == std::string::npos || p.front() == '=') {
        std::fprintf(stderr, "signoff: --deploy-param wants KEY=VALUE, got %s\n", p.c_str());
        exit_status() = 2;
        return;
      }
    }
    if (!apply_config(*cmd, *args)) {
      exit_status() = 2;
      return;
    }
    exit_status() = serve(*args);
  });
});

}  // namespace
}  // namespace signoff::cli
