// The identity service's core: construction, bootstrap, authentication and authorization.
// Entities live in entities.cc, managed policies in policies.cc, STS in sts.cc.
#include "iam/identity.h"

#include <sodium.h>

#include "iam/ids.h"
#include "iam/managed_policies.h"
#include "iam/service_impl.h"

namespace signoff::iam {

Error no_such_entity(std::string message) {
  return Error{"NoSuchEntity", std::move(message), 404};
}
Error already_exists(std::string message) {
  return Error{"EntityAlreadyExists", std::move(message), 409};
}
Error delete_conflict(std::string message) {
  return Error{"DeleteConflict", std::move(message), 409};
}
Error malformed_policy(std::string message) {
  return Error{"MalformedPolicyDocument", std::move(message), 400};
}
Error concurrent_modification() {
  return Error{"ConcurrentModification",
               "The request was rejected because multiple requests to change this object were "
               "submitted simultaneously. Wait a few minutes and submit your request again.",
               409};
}

IdentityService::Impl::Impl(store::Store& s, const Clock& c, IdentityOptions o)
    : store(s), clock(c), options(std::move(o)), box(options.master_key) {
  if (!options.random) {
    options.random = [](unsigned char* buf, size_t n) {
      randombytes_buf(buf, n);
    };
  }
}

void IdentityService::Impl::invalidate() {
  std::unique_lock lock(cache_mu);
  credentials.clear();
  policies.clear();
}

std::string IdentityService::Impl::iam_arn(std::string_view type, std::string_view path,
                                           std::string_view name) const {
  std::string arn = "arn:aws:iam::" + options.account + ":";
  arn.append(type).append(path.empty() ? "/" : path).append(name);
  return arn;
}

Result<Unit> IdentityService::Impl::commit(store::DocumentBatch batch,
                                           std::optional<Error> on_conflict) {
  store::WriteStatus status = store.apply_documents(batch);
  if (status != store::WriteStatus::Ok) {
    if (on_conflict && status == store::WriteStatus::AlreadyExists) {
      return *on_conflict;
    }
    return concurrent_modification();
  }
  invalidate();
  return Unit{};
}

std::string IdentityService::Impl::role_name_from_arn(std::string_view arn) const {
  const std::string prefix = "arn:aws:iam::" + options.account + ":role/";
  if (arn.substr(0, prefix.size()) != prefix) {
    return {};
  }
  std::string_view rest = arn.substr(prefix.size());
  size_t slash = rest.rfind('/');
  return std::string(slash == std::string_view::npos ? rest : rest.substr(slash + 1));
}

IdentityService::IdentityService(store::Store& store, const Clock& clock, IdentityOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {}

IdentityService::~IdentityService() = default;

const std::string& IdentityService::account() const {
  return impl_->options.account;
}

Result<Unit> IdentityService::check_master_key() {
  constexpr std::string_view kProbe = "signoff master key check";
  std::string stored =
      impl_->store.put_meta_if_absent("iam.master_key_check", impl_->box.seal(kProbe));
  if (impl_->box.open(stored) != kProbe) {
    return Error{"InvalidMasterKey",
                 "master.key is not the key this data dir's credentials were sealed with", 500};
  }
  return Unit{};
}

Result<std::optional<AccessKeyPair>> IdentityService::ensure_admin(
    const std::optional<AccessKeyPair>& supplied) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  std::vector<store::DocumentRecord> existing =
      m.store.documents_by_index(model::kAccessKey, model::kRootIndex);
  AccessKeyPair pair;
  if (supplied) {
    for (const store::DocumentRecord& d : existing) {
      auto k = model::key_from(d);
      if (k && k->key.id == supplied->access_key_id &&
          m.box.open(k->sealed_secret) == supplied->secret_access_key) {
        return std::optional<AccessKeyPair>();
      }
    }
    pair = *supplied;
  } else {
    if (!existing.empty()) {
      return std::optional<AccessKeyPair>();
    }
    pair.access_key_id = new_id(m.options.random, "AKIA", 16);
    pair.secret_access_key = new_secret(m.options.random);
  }
  model::StoredKey k;
  k.key.id = pair.access_key_id;
  k.key.created_ms = m.now_ms();
  k.sealed_secret = m.box.seal(pair.secret_access_key);
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = {std::string(model::kAccessKey),
           k.key.id,
           model::to_json(k),
           std::string(model::kRootIndex),
           0,
           k.key.created_ms,
           k.key.created_ms};
  // A supplied key replaces a stale copy of itself (same id, other secret).
  w.expected_version = supplied ? store::kAnyVersion : store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  auto done = m.commit(std::move(batch));
  if (!done.ok()) {
    return done.error();
  }
  if (supplied) {
    return std::optional<AccessKeyPair>();
  }
  return std::optional<AccessKeyPair>(std::move(pair));
}

std::optional<IdentityService::Impl::CachedCredential> IdentityService::Impl::lookup_credential(
    std::string_view access_key_id) const {
  {
    std::shared_lock lock(cache_mu);
    if (auto it = credentials.find(access_key_id); it != credentials.end()) {
      return it->second;
    }
  }
  CachedCredential found;
  found.principal.account = options.account;
  found.principal.access_key_id = std::string(access_key_id);
  if (access_key_id.substr(0, 4) == "ASIA") {
    auto d = store.get_document(model::kSession, access_key_id);
    auto s = d ? model::session_from(*d) : std::nullopt;
    if (!s) {
      return std::nullopt;
    }
    auto secret = box.open(s->sealed_secret);
    auto token = box.open(s->sealed_token);
    if (!secret || !token) {
      return std::nullopt;  // sealed under another master key: unusable, as if unknown
    }
    found.credential = {std::move(*secret), std::move(*token), s->expires_ms / 1000};
    Principal& p = found.principal;
    p.kind = Principal::Kind::AssumedRole;
    p.arn =
        "arn:aws:sts::" + options.account + ":assumed-role/" + s->role_name + "/" + s->session_name;
    p.user_id = s->role_id + ":" + s->session_name;
    p.role_arn = s->role_arn;
    p.role_name = s->role_name;
    p.session_name = s->session_name;
    p.service_principal = s->service_principal;
    p.temporary = true;
  } else {
    auto d = store.get_document(model::kAccessKey, access_key_id);
    auto k = d ? model::key_from(*d) : std::nullopt;
    if (!k || k->key.status != "Active") {
      return std::nullopt;  // AWS treats an inactive key like an unknown one
    }
    auto secret = box.open(k->sealed_secret);
    if (!secret) {
      return std::nullopt;
    }
    found.credential.secret_access_key = std::move(*secret);
    Principal& p = found.principal;
    if (k->key.user_name.empty()) {
      p.kind = Principal::Kind::Root;
      p.arn = "arn:aws:iam::" + options.account + ":root";
      p.user_id = options.account;
    } else {
      auto u = load<User>(k->key.user_name);
      if (!u) {
        return std::nullopt;
      }
      p.kind = Principal::Kind::User;
      p.arn = u->entity.arn;
      p.user_id = u->entity.id;
      p.user_name = u->entity.name;
    }
  }
  std::unique_lock lock(cache_mu);
  // Bounded by clearing: sessions accumulate, and a miss only costs one store read.
  if (credentials.size() > 10000) {
    credentials.clear();
  }
  credentials.emplace(std::string(access_key_id), found);
  return found;
}

Authentication IdentityService::authenticate(const sigv4::Request& request,
                                             const sigv4::Options& options) const {
  std::optional<Principal> principal;
  auto lookup = [&](std::string_view id) -> std::optional<sigv4::Credential> {
    auto c = impl_->lookup_credential(id);
    if (!c) {
      return std::nullopt;
    }
    principal = std::move(c->principal);
    return std::move(c->credential);
  };
  sigv4::Verification v = sigv4::verify(request, impl_->now_ms() / 1000, lookup, options);
  if (!v.ok()) {
    return Authentication{std::nullopt, v.error()};
  }
  return Authentication{std::move(principal), std::nullopt};
}

std::optional<std::string> IdentityService::Impl::managed_document(std::string_view arn) const {
  if (const AwsManagedPolicy* p = find_aws_managed_policy(arn)) {
    return std::string(p->document);
  }
  size_t slash = arn.rfind('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  auto d = store.get_document(model::kPolicy, model::lower(arn.substr(slash + 1)));
  auto p = d ? model::policy_from(*d) : std::nullopt;
  if (!p || p->arn != arn) {
    return std::nullopt;
  }
  for (const PolicyVersion& v : p->versions) {
    if (v.id == p->default_version) {
      return v.document;
    }
  }
  return std::nullopt;
}

void IdentityService::Impl::add_managed(const std::vector<std::string>& arns,
                                        std::vector<policy::Policy>& out) const {
  for (const std::string& arn : arns) {
    if (auto doc = managed_document(arn)) {
      if (auto parsed = policy::parse_policy(*doc, policy::PolicyKind::Identity); parsed.ok()) {
        out.push_back(std::move(*parsed.policy));
      }
    }
  }
}

namespace {

void add_inline(const std::map<std::string, std::string>& docs, std::vector<policy::Policy>& out) {
  for (const auto& [name, doc] : docs) {
    // Stored documents passed parse_policy when they were put; one that no longer parses (a
    // newer, stricter parser) grants nothing rather than failing every request.
    if (auto parsed = policy::parse_policy(doc, policy::PolicyKind::Identity); parsed.ok()) {
      out.push_back(std::move(*parsed.policy));
    }
  }
}

}  // namespace

std::shared_ptr<const std::vector<policy::Policy>> IdentityService::Impl::policies_for(
    const Principal& who) const {
  const std::string& cache_key = who.kind == Principal::Kind::AssumedRole ? who.role_arn : who.arn;
  {
    std::shared_lock lock(cache_mu);
    if (auto it = policies.find(cache_key); it != policies.end()) {
      return it->second;
    }
  }
  auto out = std::make_shared<std::vector<policy::Policy>>();
  if (who.kind == Principal::Kind::User) {
    if (auto u = load<User>(who.user_name)) {
      add_inline(u->entity.inline_policies, *out);
      add_managed(u->entity.attached, *out);
      for (const std::string& g : u->entity.groups) {
        if (auto group = load<Group>(g)) {
          add_inline(group->entity.inline_policies, *out);
          add_managed(group->entity.attached, *out);
        }
      }
    }
  } else if (who.kind == Principal::Kind::AssumedRole) {
    if (auto r = load<Role>(who.role_name); r && r->entity.arn == who.role_arn) {
      add_inline(r->entity.inline_policies, *out);
      add_managed(r->entity.attached, *out);
    }
  }
  std::unique_lock lock(cache_mu);
  policies.insert_or_assign(cache_key, out);
  return out;
}

policy::Decision IdentityService::authorize(const Principal& who, std::string_view action,
                                            std::string_view resource) const {
  if (who.is_root()) {
    return policy::Decision::Allow;
  }
  auto policies = impl_->policies_for(who);
  policy::RequestContext rc;
  rc.principal_arn = who.arn;
  rc.account = who.account;
  rc.username = who.user_name;
  rc.role_arn = who.role_arn;
  rc.action = std::string(action);
  rc.resource = std::string(resource);
  int64_t now = impl_->now_ms();
  rc.set("aws:CurrentTime", {iso8601(now)});
  rc.set("aws:EpochTime", {std::to_string(now / 1000)});
  rc.set("aws:userid", {who.user_id});
  rc.set("aws:PrincipalType", {who.kind == Principal::Kind::User ? "User" : "AssumedRole"});
  rc.set("aws:MultiFactorAuthPresent", {"false"});
  return policy::evaluate(rc, *policies).decision;
}

Principal IdentityService::Impl::session_principal(const Role& role,
                                                   std::string_view session_name) const {
  Principal p;
  p.kind = Principal::Kind::AssumedRole;
  p.account = options.account;
  p.arn = "arn:aws:sts::" + options.account + ":assumed-role/" + role.name + "/" +
          std::string(session_name);
  p.user_id = role.id + ":" + std::string(session_name);
  p.role_arn = role.arn;
  p.role_name = role.name;
  p.session_name = std::string(session_name);
  return p;
}

Result<Principal> IdentityService::principal_for_role(std::string_view role_arn) const {
  std::string name = impl_->role_name_from_arn(role_arn);
  auto role = name.empty() ? std::nullopt : impl_->load<Role>(name);
  if (!role || role->entity.arn != role_arn) {
    return no_such_entity("The role with name " + (name.empty() ? std::string(role_arn) : name) +
                          " cannot be found.");
  }
  // Signoff's services act as the role directly; the session name says who did.
  return impl_->session_principal(role->entity, "signoff");
}

Result<Principal> IdentityService::principal_for_arn(std::string_view arn) const {
  const std::string& account = impl_->options.account;
  const std::string user_prefix = "arn:aws:iam::" + account + ":user/";
  const std::string session_prefix = "arn:aws:sts::" + account + ":assumed-role/";
  if (arn == "arn:aws:iam::" + account + ":root") {
    Principal p;
    p.kind = Principal::Kind::Root;
    p.arn = std::string(arn);
    p.account = account;
    p.user_id = account;
    return p;
  }
  if (arn.substr(0, user_prefix.size()) == user_prefix) {
    std::string_view rest = arn.substr(user_prefix.size());
    std::string name(
        rest.substr(rest.rfind('/') == std::string_view::npos ? 0 : rest.rfind('/') + 1));
    auto user = impl_->load<User>(name);
    if (!user || user->entity.arn != arn) {
      return no_such_entity("The user with name " + name + " cannot be found.");
    }
    Principal p;
    p.kind = Principal::Kind::User;
    p.arn = user->entity.arn;
    p.account = account;
    p.user_id = user->entity.id;
    p.user_name = user->entity.name;
    return p;
  }
  if (arn.substr(0, session_prefix.size()) == session_prefix) {
    std::string_view rest = arn.substr(session_prefix.size());
    size_t slash = rest.find('/');
    std::string name(rest.substr(0, slash));
    auto role = impl_->load<Role>(name);
    if (!role || slash == std::string_view::npos) {
      return no_such_entity("The role with name " + name + " cannot be found.");
    }
    return impl_->session_principal(role->entity, rest.substr(slash + 1));
  }
  return no_such_entity("No principal is named " + std::string(arn) + ".");
}

}  // namespace signoff::iam
