// STS: AssumeRole for callers, and role sessions for Signoff's own services.
#include "iam/identity.h"
#include "iam/ids.h"
#include "iam/service_impl.h"
#include "iam/validate.h"

namespace signoff::iam {
namespace {

Error assume_denied(std::string_view caller, std::string_view role_arn) {
  // STS still words this without the "because ..." suffix newer services add.
  return Error{
      "AccessDenied",
      "User: " + std::string(caller) +
          " is not authorized to perform: sts:AssumeRole on resource: " + std::string(role_arn),
      403};
}

std::optional<Error> check_session_name(std::string_view name) {
  if (name.size() < 2) {
    return constraint("roleSessionName", name,
                      "Member must have length greater than or equal to 2");
  }
  if (name.size() > 64) {
    return constraint("roleSessionName", name, "Member must have length less than or equal to 64");
  }
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '=' ||
              c == ',' || c == '.' || c == '@' || c == '-';
    if (!ok) {
      return constraint("roleSessionName", name,
                        "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }
  }
  return std::nullopt;
}

}  // namespace

Result<TemporaryCredentials> IdentityService::Impl::mint_session(
    const Role& role, std::string_view session_name, int64_t duration_seconds,
    std::string_view service_principal) {
  model::Session s;
  s.access_key_id = new_id(options.random, "ASIA", 16);
  std::string secret = new_secret(options.random);
  std::string token = new_session_token(options.random);
  s.sealed_secret = box.seal(secret);
  s.sealed_token = box.seal(token);
  int64_t now = now_ms();
  s.expires_ms = now + duration_seconds * 1000;
  s.role_arn = role.arn;
  s.role_name = role.name;
  s.role_id = role.id;
  s.session_name = std::string(session_name);
  s.service_principal = std::string(service_principal);
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = {std::string(model::kSession), s.access_key_id, model::to_json(s), role.arn, 0, now, now};
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  // Sessions change no cached answer, so this write skips invalidate().
  if (store.apply_documents(batch) != store::WriteStatus::Ok) {
    return concurrent_modification();
  }
  TemporaryCredentials out;
  out.access_key_id = s.access_key_id;
  out.secret_access_key = std::move(secret);
  out.session_token = std::move(token);
  out.expiration_ms = s.expires_ms;
  out.assumed_role_id = role.id + ":" + s.session_name;
  out.arn = "arn:aws:sts::" + options.account + ":assumed-role/" + role.name + "/" + s.session_name;
  return out;
}

Result<TemporaryCredentials> IdentityService::assume_role(const Principal& caller,
                                                          const AssumeRoleRequest& r) {
  if (r.role_arn.size() < 20) {
    return constraint("roleArn", r.role_arn, "Member must have length greater than or equal to 20");
  }
  if (auto e = check_session_name(r.session_name)) {
    return *e;
  }
  int64_t duration = r.duration_seconds.value_or(3600);
  if (auto e = check_range("durationSeconds", duration, 900, 43200)) {
    return *e;
  }
  if (caller.is_root()) {
    return Error{"AccessDenied", "Roles may not be assumed by root accounts.", 403};
  }
  Impl& m = *impl_;
  std::string name = m.role_name_from_arn(r.role_arn);
  auto role = name.empty() ? std::nullopt : m.load<Role>(name);
  // An unknown role is refused like an untrusted one: STS does not confirm which roles exist.
  if (!role || role->entity.arn != r.role_arn) {
    return assume_denied(caller.arn, r.role_arn);
  }
  policy::ParseResult trust =
      policy::parse_policy(role->entity.assume_role_policy, policy::PolicyKind::Trust);
  if (!trust.ok()) {
    return assume_denied(caller.arn, r.role_arn);
  }
  policy::RequestContext rc;
  rc.principal_arn = caller.arn;
  rc.account = caller.account;
  rc.username = caller.user_name;
  rc.role_arn = caller.role_arn;
  rc.action = "sts:AssumeRole";
  rc.resource = r.role_arn;
  rc.set("aws:userid", {caller.user_id});
  auto caller_policies = m.policies_for(caller);
  policy::EvaluationResult decision = policy::evaluate_trust(rc, *trust.policy, *caller_policies);
  if (decision.decision != policy::Decision::Allow) {
    return assume_denied(caller.arn, r.role_arn);
  }
  if (duration > role->entity.max_session_duration) {
    return validation_error(
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  if (caller.kind == Principal::Kind::AssumedRole && duration > 3600) {
    return validation_error(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
        "role chaining.");
  }
  return m.mint_session(role->entity, r.session_name, duration, "");
}

Result<TemporaryCredentials> IdentityService::credentials_for_role(
    std::string_view role_arn, std::string_view service_principal, int64_t duration_seconds) {
  Impl& m = *impl_;
  std::string name = m.role_name_from_arn(role_arn);
  auto role = name.empty() ? std::nullopt : m.load<Role>(name);
  if (!role || role->entity.arn != role_arn) {
    return no_such_entity("The role with name " + (name.empty() ? std::string(role_arn) : name) +
                          " cannot be found.");
  }
  policy::ParseResult trust =
      policy::parse_policy(role->entity.assume_role_policy, policy::PolicyKind::Trust);
  policy::RequestContext rc;
  rc.service_principal = std::string(service_principal);
  rc.action = "sts:AssumeRole";
  rc.resource = std::string(role_arn);
  if (!trust.ok() ||
      policy::evaluate_trust(rc, *trust.policy, {}).decision != policy::Decision::Allow) {
    return Error{
        "AccessDenied",
        "Service " + std::string(service_principal) +
            " is not authorized to perform: sts:AssumeRole on resource: " + std::string(role_arn),
        403};
  }
  int64_t duration = std::min(duration_seconds, role->entity.max_session_duration);
  // AWS names service sessions after the service; the principal says which one took it.
  std::string session = std::string(service_principal.substr(0, service_principal.find('.')));
  if (session.size() < 2) {
    session = "signoff";
  }
  return m.mint_session(role->entity, session, std::max<int64_t>(duration, 900), service_principal);
}

}  // namespace signoff::iam
