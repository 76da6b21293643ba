#include "app/console_wiring.h"

#include "app/automation_adapters.h"

namespace signoff::app {
namespace {

class ConsoleIdentity final : public console::IdentityPort {
 public:
  explicit ConsoleIdentity(iam::IdentityService& identity)
      : identity_(identity), directory_(make_identity_directory(identity)) {}

  Result<Principal> sign_in(std::string_view user_name, std::string_view password) override {
    return identity_.sign_in(user_name, password);
  }
  bool password_reset_required(std::string_view user_name) override {
    auto p = identity_.get_login_profile(user_name);
    return p.ok() && p->password_reset_required;
  }
  Result<Principal> principal_for_credentials(std::string_view access_key_id,
                                              std::string_view secret_access_key,
                                              std::string_view session_token) override {
    return identity_.principal_for_credentials(access_key_id, secret_access_key, session_token);
  }
  std::optional<std::string> matching_approver(const Principal& who,
                                               const std::vector<std::string>& approvers) override {
    return directory_->matching_approver(automation::Principal{who.arn, ""}, approvers,
                                         identity_.account());
  }

 private:
  iam::IdentityService& identity_;
  std::unique_ptr<automation::PrincipalDirectory> directory_;
};

}  // namespace

ConsoleWiring wire_console(api::Router& router, iam::IdentityService& identity, const Clock& clock,
                           const std::string& account, const std::string& public_url) {
  ConsoleWiring w;
  w.identity = std::make_unique<ConsoleIdentity>(identity);
  console::ConsoleOptions options;
  options.account = account;
  options.public_url = public_url;
  w.console = std::make_unique<console::Console>(router, *w.identity, clock, options);
  w.console->register_routes(router);
  return w;
}

}  // namespace signoff::app
