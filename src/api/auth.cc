#include "api/auth.h"

#include "api/router.h"

namespace signoff::api {

AwsError access_denied(Protocol protocol, std::string_view service, const Principal& who,
                       std::string_view action, std::string_view resource, Decision decision) {
  std::string spelled(action);
  if (service == "sns" && spelled.starts_with("sns:")) {
    spelled.replace(0, 3, "SNS");
  }
  std::string m = "User: " + who.arn + " is not authorized to perform: ";
  m.append(spelled).append(" on resource: ").append(resource);
  if (decision == Decision::ExplicitDeny) {
    m += " with an explicit deny in an identity-based policy";
  } else {
    m.append(" because no identity-based policy allows the ").append(spelled).append(" action");
  }
  if (service == "sns") {
    return AwsError{403, "AuthorizationError", std::move(m)};
  }
  if (protocol == Protocol::Query) {
    return AwsError{403, "AccessDenied", std::move(m)};
  }
  if (protocol == Protocol::RestJson) {
    return AwsError{403, "AccessDeniedException", std::move(m)};
  }
  return AwsError{400, "AccessDeniedException", std::move(m)};
}

Principal root_principal(std::string_view account) {
  Principal p;
  p.kind = Principal::Kind::Root;
  p.account = std::string(account);
  p.arn = "arn:aws:iam::" + p.account + ":root";
  p.user_id = p.account;
  return p;
}

}  // namespace signoff::api
