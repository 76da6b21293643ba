// The two questions the router asks before a handler runs: who signed this request
// (Authenticator) and may they do what the operation declares (Authorizer). The edge only holds
// the interfaces; the identity service answers them (wired in app/), so the router stays free of
// key stores and policy documents and its tests can plug in fakes.
#pragma once

#include <string>
#include <string_view>

#include "api/aws_error.h"
#include "api/http/message.h"
#include "common/principal.h"

namespace signoff::api {

struct RouteInfo;
enum class Protocol;

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The principal the request's signature proves, or the error AWS answers with, worded for the
  // protocol of the service the request addresses (route.protocol): InvalidSignatureException /
  // SignatureDoesNotMatch, UnrecognizedClientException / InvalidClientTokenId, ...
  // Called from I/O threads concurrently.
  virtual Result<Principal> authenticate(const HttpRequest& request,
                                         const RouteInfo& route) const = 0;
};

enum class Decision { Allow, ImplicitDeny, ExplicitDeny };

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // Whether who's policies allow action ("states:StartExecution") on resource (an ARN or "*").
  // Called from I/O threads concurrently.
  virtual Decision authorize(const Principal& who, std::string_view action,
                             std::string_view resource) const = 0;
};

// What `service` answers a caller its policies do not allow: "User: ARN is not authorized to
// perform: ACTION on resource: RESOURCE because no identity-based policy allows the ACTION action"
// (or "with an explicit deny in an identity-based policy"), under each service's own code:
// AccessDeniedException 400 (JSON services), AccessDeniedException 403 (Lambda), AuthorizationError
// 403 with the action spelled "SNS:Publish" (SNS), AccessDenied 403 (the other query services).
AwsError access_denied(Protocol protocol, std::string_view service, const Principal& who,
                       std::string_view action, std::string_view resource, Decision decision);

// The account's administrator, as requests act when no Authenticator is configured.
Principal root_principal(std::string_view account);

}  // namespace signoff::api
