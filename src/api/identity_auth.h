// The router's Authenticator and Authorizer, answered by the identity service: SigV4 against the
// stored (sealed) secrets, IAM policy evaluation for the declared action and resource.
#pragma once

#include "api/auth.h"
#include "api/router.h"
#include "iam/identity.h"

namespace signoff::api {

class IdentityAuth final : public Authenticator, public Authorizer {
 public:
  // insecure_open: no signature is checked and every request acts as the account's
  // administrator (tests and local development only).
  IdentityAuth(const iam::IdentityService& identity, bool insecure_open);

  Result<Principal> authenticate(const HttpRequest& request, const RouteInfo& route) const override;
  Decision authorize(const Principal& who, std::string_view action,
                     std::string_view resource) const override;

 private:
  const iam::IdentityService& identity_;
  bool insecure_open_;
};

}  // namespace signoff::api
