// Private to the identity service: the state behind IdentityService and the helpers its .cc
// files share (loading and writing entity documents, IAM's error texts).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "iam/identity.h"
#include "iam/model.h"
#include "iam/secret_box.h"

namespace signoff::iam {

// Per entity type: where it is stored and how IAM names it in messages.
template <typename E>
struct Traits;
template <>
struct Traits<User> {
  static constexpr std::string_view kind = model::kUser;
  static constexpr std::string_view noun = "user";
  static constexpr std::string_view title = "User";
  static std::optional<User> from(const store::DocumentRecord& d) { return model::user_from(d); }
};
template <>
struct Traits<Group> {
  static constexpr std::string_view kind = model::kGroup;
  static constexpr std::string_view noun = "group";
  static constexpr std::string_view title = "Group";
  static std::optional<Group> from(const store::DocumentRecord& d) { return model::group_from(d); }
};
template <>
struct Traits<Role> {
  static constexpr std::string_view kind = model::kRole;
  static constexpr std::string_view noun = "role";
  static constexpr std::string_view title = "Role";
  static std::optional<Role> from(const store::DocumentRecord& d) { return model::role_from(d); }
};

template <typename E>
struct Loaded {
  E entity;
  int64_t version = 0;
};

Error no_such_entity(std::string message);
template <typename E>
Error not_found(std::string_view name) {
  return no_such_entity("The " + std::string(Traits<E>::noun) + " with name " + std::string(name) +
                        " cannot be found.");
}
// Calls f with a null E* for the entity type, so one generic body serves users, groups and roles.
template <typename F>
auto on_entity(EntityType type, F f) {
  switch (type) {
    case EntityType::User:
      return f(static_cast<User*>(nullptr));
    case EntityType::Group:
      return f(static_cast<Group*>(nullptr));
    case EntityType::Role:
      break;
  }
  return f(static_cast<Role*>(nullptr));
}

Error already_exists(std::string message);
Error delete_conflict(std::string message);
Error malformed_policy(std::string message);
// The store answered a conditional write with something this code did not expect: another writer
// raced past the service's write lock (a second process on the same data dir).
Error concurrent_modification();

struct IdentityService::Impl {
  Impl(store::Store& s, const Clock& c, IdentityOptions o);

  store::Store& store;
  const Clock& clock;
  IdentityOptions options;
  SecretBox box;

  // IAM writes are rare; serializing them keeps each read-modify-write simple. Conditional
  // writes (expected versions) still guard against other processes.
  std::mutex write_mu;

  struct CachedCredential {
    sigv4::Credential credential;
    Principal principal;
  };
  mutable std::shared_mutex cache_mu;
  mutable std::map<std::string, CachedCredential, std::less<>> credentials;
  mutable std::map<std::string, std::shared_ptr<const std::vector<policy::Policy>>, std::less<>>
      policies;
  // Drops every cached credential and policy set; called after each committed IAM write.
  void invalidate();

  int64_t now_ms() const { return clock.now_ms(); }
  std::string iam_arn(std::string_view type, std::string_view path, std::string_view name) const;

  template <typename E>
  std::optional<Loaded<E>> load(std::string_view name) const {
    auto d = store.get_document(Traits<E>::kind, model::lower(name));
    if (!d) {
      return std::nullopt;
    }
    auto e = Traits<E>::from(*d);
    if (!e) {
      return std::nullopt;
    }
    return Loaded<E>{std::move(*e), d->version};
  }

  // A Put of an entity document under its lowercase name.
  template <typename E>
  static store::DocumentWrite put(const E& e, int64_t expected_version) {
    store::DocumentWrite w;
    w.doc.kind = std::string(Traits<E>::kind);
    w.doc.key = model::lower(e.name);
    w.doc.json = model::to_json(e);
    w.doc.created_ms = e.created_ms;
    w.expected_version = expected_version;
    return w;
  }

  // Commits batch; maps a failed condition to `on_conflict` (or a concurrency error).
  Result<Unit> commit(store::DocumentBatch batch, std::optional<Error> on_conflict = std::nullopt);

  // Loads the entity, lets change() edit it (or refuse with an Error) and writes it back.
  template <typename E, typename F>
  Result<Unit> modify(std::string_view name, F change) {
    auto loaded = load<E>(name);
    if (!loaded) {
      return not_found<E>(name);
    }
    if (std::optional<Error> refused = change(loaded->entity)) {
      return *refused;
    }
    store::DocumentBatch batch;
    batch.writes.push_back(put(loaded->entity, loaded->version));
    return commit(std::move(batch));
  }

  std::optional<CachedCredential> lookup_credential(std::string_view access_key_id) const;
  std::shared_ptr<const std::vector<policy::Policy>> policies_for(const Principal& who) const;
  // The documents of managed policy ARNs (AWS managed or this account's), parsed.
  void add_managed(const std::vector<std::string>& arns, std::vector<policy::Policy>& out) const;
  std::optional<std::string> managed_document(std::string_view arn) const;
  // Role name from arn:aws:iam::ACCOUNT:role/PATH/NAME; "" when the ARN is not this account's.
  std::string role_name_from_arn(std::string_view arn) const;
  Result<TemporaryCredentials> mint_session(const Role& role, std::string_view session_name,
                                            int64_t duration_seconds,
                                            std::string_view service_principal);
  Principal session_principal(const Role& role, std::string_view session_name) const;
};

}  // namespace signoff::iam
