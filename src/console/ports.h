// What the console needs from identity, and nothing more: checking a console password or a key
// pair, and whether a principal is one of an approval's approvers. Everything the console shows
// or changes goes through the AWS API as the signed-in principal (api::Router::dispatch_as);
// these four questions are the only ones it asks the identity service directly. Implemented in
// app/ over iam::IdentityService.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/principal.h"
#include "common/result.h"

namespace signoff::console {

class IdentityPort {
 public:
  virtual ~IdentityPort() = default;
  // The IAM user whose login profile this password matches (the account is checked by the
  // caller: one account per server).
  virtual Result<Principal> sign_in(std::string_view user_name, std::string_view password) = 0;
  // Whether the user's login profile asks for a new password at the next sign-in
  // (PasswordResetRequired): the console then allows nothing but ChangePassword.
  virtual bool password_reset_required(std::string_view user_name) = 0;
  // The principal an access key pair (with its session token, for temporary keys) belongs to.
  virtual Result<Principal> principal_for_credentials(std::string_view access_key_id,
                                                      std::string_view secret_access_key,
                                                      std::string_view session_token) = 0;
  // The approver entry `who` satisfies, as aws:approve decides it (users, groups, roles, role
  // sessions); nullopt when none.
  virtual std::optional<std::string> matching_approver(
      const Principal& who, const std::vector<std::string>& approvers) = 0;
};

}  // namespace signoff::console
