// The composition root: configuration → store → services → API router → HTTP server, started
// and stopped in that order (and the reverse). Testable apart from main().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "app/startup_deploy.h"

namespace signoff::app {

// The port `signoff serve` listens on unless told otherwise.
inline constexpr uint16_t kDefaultPort = 8765;

struct AppOptions {
  std::string data_dir = "./signoff-data";
  std::string address = "127.0.0.1";
  uint16_t port = kDefaultPort;  // 0: any free port
  std::string account = "000000000000";
  std::string region = "us-east-1";
  bool insecure_open = false;  // every request acts as the account's administrator
  // An AWS shared-credentials file whose [signoff] profile becomes the administrator's key;
  // "" to create one on first start (written to DATA/credentials).
  std::string admin_credentials_file;
  unsigned io_threads = 0;  // 0: one per core
  // SNS: the base of the links in its messages ("" → http://address:port), the SMTP relay for
  // e-mail subscriptions ("" → none: mail is written to the local mail drop, see
  // mail_drop_dir), and the
  // sender, "Display Name <address>" or a bare address ("" → AWS's "AWS Notifications").
  std::string public_url;
  std::string smtp_url;
  std::string mail_from;
  // Beyond AWS: nobody may approve an automation they started (account-wide).
  bool forbid_self_approval = false;
};

// Where mail goes without an SMTP relay: DATA/mail, one .eml file per message.
inline std::string mail_drop_dir(const std::string& data_dir) {
  return data_dir + "/mail";
}

// Where SNS mail goes, for people: "the SMTP relay smtp://host:587" (credentials redacted) or
// "DIR/mail/ (one .eml per message)".
std::string describe_mail_destination(const AppOptions& options);

class App {
 public:
  explicit App(AppOptions options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Opens the store, resumes executions, starts serving. Throws std::runtime_error with a
  // readable reason when it cannot (data dir locked, port taken).
  void start();
  uint16_t port() const;
  // After start(): creates or updates a stack in this server (serve --deploy).
  Result<DeployedStack> deploy(const StartupDeploy& request, std::FILE* log);
  void stop();

 private:
  struct Impl;
  static void start_identity(Impl& m);
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::app
