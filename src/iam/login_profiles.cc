// Login profiles: console passwords as IAM keeps them, one document per user holding an argon2id
// hash (libsodium's crypto_pwhash_str, which embeds salt and cost parameters), never the password.
#include <cstring>

#include <sodium.h>

#include "iam/identity.h"
#include "iam/ids.h"
#include "iam/service_impl.h"
#include "iam/validate.h"

namespace signoff::iam {
namespace {

// IAM's default password policy (no account policy is modelled): at least 8 characters.
constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;

std::optional<Error> check_password(std::string_view field, std::string_view password) {
  if (password.size() > kMaxPasswordLength) {
    // IAM does not echo the value of a password in its validation messages.
    return validation_error("1 validation error detected: Value at '" + std::string(field) +
                            "' failed to satisfy constraint: Member must have length less than "
                            "or equal to 128");
  }
  for (char ch : password) {
    auto c = static_cast<unsigned char>(ch);
    if (!(c == '\t' || c == '\n' || c == '\r' || c >= 0x20)) {
      return validation_error("1 validation error detected: Value at '" + std::string(field) +
                              "' failed to satisfy constraint: Member must satisfy regular "
                              "expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
    }
  }
  if (password.size() < kMinPasswordLength) {
    return Error{"PasswordPolicyViolation",
                 "Password should have a minimum length of " + std::to_string(kMinPasswordLength),
                 400};
  }
  return std::nullopt;
}

Error no_profile(std::string_view user) {
  return no_such_entity("Login Profile for User " + std::string(user) + " cannot be found.");
}

Result<std::string> hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(),
                                 crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0) {
    return Error{"ServiceFailure", "Could not hash the password (out of memory).", 500};
  }
  return std::string(out);
}

bool password_matches(const std::string& hash, std::string_view password) {
  return crypto_pwhash_argon2id_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

struct StoredProfile {
  LoginProfile profile;
  std::string hash;
  int64_t version = 0;
};

std::string profile_json(const LoginProfile& p, const std::string& hash) {
  return json::dump(json::Value::object({{"userName", json::Value(p.user_name)},
                                         {"created", json::Value(p.created_ms)},
                                         {"resetRequired", json::Value(p.password_reset_required)},
                                         {"hash", json::Value(hash)}}));
}

std::optional<StoredProfile> load_profile(store::Store& store, std::string_view user) {
  auto d = store.get_document(model::kLoginProfile, model::lower(user));
  if (!d) {
    return std::nullopt;
  }
  json::ParseResult parsed = json::parse(d->json);
  if (!parsed.ok() || !parsed.value.is_object()) {
    return std::nullopt;
  }
  const json::Value& v = parsed.value;
  auto text = [&](std::string_view k) {
    const json::Value* m = v.find(k);
    return m && m->is_string() ? std::string(m->as_string()) : std::string();
  };
  StoredProfile s;
  s.profile.user_name = text("userName");
  const json::Value* created = v.find("created");
  s.profile.created_ms = created && created->is_int() ? created->as_int() : 0;
  const json::Value* reset = v.find("resetRequired");
  s.profile.password_reset_required = reset && reset->is_bool() && reset->as_bool();
  s.hash = text("hash");
  s.version = d->version;
  return s;
}

store::DocumentWrite profile_write(const LoginProfile& p, const std::string& hash,
                                   int64_t expected_version) {
  store::DocumentWrite w;
  w.doc.kind = std::string(model::kLoginProfile);
  w.doc.key = model::lower(p.user_name);
  w.doc.json = profile_json(p, hash);
  w.doc.created_ms = p.created_ms;
  w.expected_version = expected_version;
  return w;
}

}  // namespace

Result<LoginProfile> IdentityService::create_login_profile(std::string_view user_name,
                                                           std::string_view password,
                                                           bool password_reset_required) {
  if (auto e = check_password("password", password)) {
    return *e;
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto u = m.load<User>(user_name);
  if (!u) {
    return not_found<User>(user_name);
  }
  if (load_profile(m.store, user_name)) {
    return already_exists("Login Profile for user " + u->entity.name + " already exists.");
  }
  auto hash = hash_password(password);
  if (!hash.ok()) {
    return hash.error();
  }
  LoginProfile p{u->entity.name, m.now_ms(), password_reset_required};
  store::DocumentBatch batch;
  batch.writes.push_back(profile_write(p, *hash, store::kMustNotExist));
  auto done = m.commit(std::move(batch), already_exists("Login Profile for user " + u->entity.name +
                                                        " already exists."));
  if (!done.ok()) {
    return done.error();
  }
  return p;
}

Result<LoginProfile> IdentityService::get_login_profile(std::string_view user_name) const {
  auto u = impl_->load<User>(user_name);
  if (!u) {
    return not_found<User>(user_name);
  }
  auto p = load_profile(impl_->store, user_name);
  if (!p) {
    return no_profile(u->entity.name);
  }
  return p->profile;
}

Result<Unit> IdentityService::update_login_profile(std::string_view user_name,
                                                   std::optional<std::string> password,
                                                   std::optional<bool> password_reset_required) {
  if (password) {
    if (auto e = check_password("password", *password)) {
      return *e;
    }
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto u = m.load<User>(user_name);
  if (!u) {
    return not_found<User>(user_name);
  }
  auto p = load_profile(m.store, user_name);
  if (!p) {
    return no_profile(u->entity.name);
  }
  std::string hash = p->hash;
  if (password) {
    auto h = hash_password(*password);
    if (!h.ok()) {
      return h.error();
    }
    hash = std::move(*h);
  }
  if (password_reset_required) {
    p->profile.password_reset_required = *password_reset_required;
  }
  store::DocumentBatch batch;
  batch.writes.push_back(profile_write(p->profile, hash, p->version));
  return m.commit(std::move(batch));
}

Result<Unit> IdentityService::delete_login_profile(std::string_view user_name) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto u = m.load<User>(user_name);
  if (!u) {
    return not_found<User>(user_name);
  }
  auto p = load_profile(m.store, user_name);
  if (!p) {
    return no_profile(u->entity.name);
  }
  store::DocumentBatch batch;
  store::DocumentWrite w = profile_write(p->profile, p->hash, p->version);
  w.op = store::DocumentWrite::Op::Delete;
  batch.writes.push_back(std::move(w));
  return m.commit(std::move(batch));
}

Result<Unit> IdentityService::change_password(std::string_view user_name,
                                              std::string_view old_password,
                                              std::string_view new_password) {
  if (auto e = check_password("newPassword", new_password)) {
    return *e;
  }
  auto p = load_profile(impl_->store, user_name);
  if (!p) {
    return no_profile(user_name);
  }
  if (!password_matches(p->hash, old_password)) {
    return Error{"InvalidUserType", "The old password is incorrect.", 400};
  }
  auto done = update_login_profile(user_name, std::string(new_password), false);
  return done;
}

Result<Principal> IdentityService::sign_in(std::string_view user_name,
                                           std::string_view password) const {
  const Error refused{"AccessDenied", "Your authentication information is incorrect.", 403};
  auto u = impl_->load<User>(user_name);
  auto p = u ? load_profile(impl_->store, user_name) : std::nullopt;
  if (!u || !p || p->hash.empty()) {
    // The same work as a real check, so timing does not tell which user names exist.
    static const auto dummy = hash_password("signoff-no-such-user");
    if (dummy.ok()) {
      (void)password_matches(*dummy, password);
    }
    return refused;
  }
  if (!password_matches(p->hash, password)) {
    return refused;
  }
  Principal who;
  who.kind = Principal::Kind::User;
  who.arn = u->entity.arn;
  who.account = impl_->options.account;
  who.user_id = u->entity.id;
  who.user_name = u->entity.name;
  return who;
}

Result<Principal> IdentityService::principal_for_credentials(std::string_view access_key_id,
                                                             std::string_view secret_access_key,
                                                             std::string_view session_token) const {
  const Error refused{"InvalidClientTokenId",
                      "The security token included in the request is invalid.", 403};
  auto c = impl_->lookup_credential(access_key_id);
  if (!c) {
    return refused;
  }
  const std::string& secret = c->credential.secret_access_key;
  if (secret.size() != secret_access_key.size() ||
      sodium_memcmp(secret.data(), secret_access_key.data(), secret.size()) != 0) {
    return Error{"SignatureDoesNotMatch", "The secret access key does not match the key id.", 403};
  }
  if (c->credential.session_token) {
    const std::string& token = *c->credential.session_token;
    if (token.size() != session_token.size() ||
        sodium_memcmp(token.data(), session_token.data(), token.size()) != 0) {
      return refused;
    }
    if (c->credential.expires_at && *c->credential.expires_at <= impl_->now_ms() / 1000) {
      return Error{"ExpiredToken", "The security token included in the request is expired", 403};
    }
  }
  return c->principal;
}

}  // namespace signoff::iam
