#include "api/identity_auth.h"

namespace signoff::api {

IdentityAuth::IdentityAuth(const iam::IdentityService& identity, bool insecure_open)
    : identity_(identity), insecure_open_(insecure_open) {}

Result<Principal> IdentityAuth::authenticate(const HttpRequest& request,
                                             const RouteInfo& route) const {
  if (insecure_open_) {
    Principal admin = root_principal(identity_.account());
    admin.access_key_id = route.access_key_id;
    return admin;
  }
  sigv4::Request r;
  r.method = request.method;
  r.path = request.path;
  r.query = request.query;
  r.body = request.body;
  r.headers.reserve(request.headers.size());
  for (const Header& h : request.headers) {
    r.headers.push_back({h.name, h.value});
  }
  sigv4::Options options;
  // A key scoped to another service must not open this one (the JSON services are told apart
  // by X-Amz-Target, so the scope is checked against what the request addresses).
  options.expected_service = route.service;
  iam::Authentication a = identity_.authenticate(r, options);
  if (a.principal) {
    return std::move(*a.principal);
  }
  const sigv4::Error& e = *a.error;
  if (route.protocol == Protocol::Query) {
    return AwsError{e.http_status, e.query_code, e.query_message};
  }
  return AwsError{e.http_status, e.json_code, e.json_message};
}

Decision IdentityAuth::authorize(const Principal& who, std::string_view action,
                                 std::string_view resource) const {
  switch (identity_.authorize(who, action, resource)) {
    case policy::Decision::Allow:
      return Decision::Allow;
    case policy::Decision::ExplicitDeny:
      return Decision::ExplicitDeny;
    case policy::Decision::ImplicitDeny:
      break;
  }
  return Decision::ImplicitDeny;
}

}  // namespace signoff::api
