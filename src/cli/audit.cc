// `signoff audit verify --data DIR`: checks the hash chain of the approval audit log.
#include <cstdio>
#include <memory>
#include <string>

#include "app/audit_verify.h"
#include "cli/command.h"

namespace signoff::cli {
namespace {

const CommandRegistration kRegistration(Parent::Root, [](CLI::App& parent) {
  CLI::App* audit = parent.add_subcommand("audit", "The approval audit log");
  audit->require_subcommand(1);
  auto data = std::make_shared<std::string>("./signoff-data");
  CLI::App* verify = audit->add_subcommand(
      "verify", "Check the audit log's hash chain (exit 1 at the first broken record)");
  verify->add_option("--data", *data, "Data directory (the server must not be running on it)")
      ->capture_default_str();
  verify->callback([data] {
    app::AuditVerifyResult r = app::verify_audit_log(*data);
    std::fprintf(r.exit_code == 0 ? stdout : stderr, "%s\n", r.message.c_str());
    exit_status() = r.exit_code;
  });
});

}  // namespace
}  // namespace signoff::cli
