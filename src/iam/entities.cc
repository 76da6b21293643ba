// IAM users, groups, roles, access keys and inline policies.
#include <algorithm>

#include "iam/identity.h"
#include "iam/ids.h"
#include "iam/service_impl.h"
#include "iam/validate.h"

namespace signoff::iam {
namespace {

constexpr size_t kMaxAccessKeysPerUser = 2;

std::string path_or_root(std::string_view path) {
  return path.empty() ? std::string("/") : std::string(path);
}

template <typename E>
Listing<E> page_of(store::Store& store, std::string_view path_prefix, const Paging& paging) {
  Listing<E> out;
  std::string after = paging.marker;
  size_t want = paging.max_items == 0 ? 100 : paging.max_items;
  // Filtered by path after reading, so read until a page is full or the kind is exhausted.
  while (out.items.size() < want) {
    store::Page<store::DocumentRecord> page =
        store.list_documents(Traits<E>::kind, "", after, want - out.items.size());
    for (const store::DocumentRecord& d : page.items) {
      after = d.key;
      auto e = Traits<E>::from(d);
      if (e && e->path.compare(0, path_prefix.size(), path_prefix) == 0) {
        out.items.push_back(std::move(*e));
      }
    }
    if (page.next_key.empty()) {
      return out;
    }
  }
  out.marker = after;
  return out;
}

std::optional<Error> check_policy(std::string_view document, policy::PolicyKind kind) {
  policy::ParseResult parsed = policy::parse_policy(document, kind);
  if (!parsed.ok()) {
    return malformed_policy(parsed.error);
  }
  return std::nullopt;
}

}  // namespace

// ----------------------------------------------------------------------------------- users

Result<User> IdentityService::create_user(std::string_view name, std::string_view path) {
  if (auto e = check_name("userName", name, 64)) {
    return *e;
  }
  if (auto e = check_path("path", path_or_root(path))) {
    return *e;
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  User u;
  u.name = std::string(name);
  u.path = path_or_root(path);
  u.id = new_id(m.options.random, "AIDA", 17);
  u.arn = m.iam_arn("user", u.path, u.name);
  u.created_ms = m.now_ms();
  store::DocumentBatch batch;
  batch.writes.push_back(Impl::put(u, store::kMustNotExist));
  auto done =
      m.commit(std::move(batch), already_exists("User with name " + u.name + " already exists."));
  if (!done.ok()) {
    return done.error();
  }
  return u;
}

Result<User> IdentityService::get_user(std::string_view name) const {
  auto u = impl_->load<User>(name);
  if (!u) {
    return not_found<User>(name);
  }
  return u->entity;
}

Result<Listing<User>> IdentityService::list_users(std::string_view path_prefix,
                                                  const Paging& paging) const {
  return page_of<User>(impl_->store, path_prefix.empty() ? "/" : path_prefix, paging);
}

Result<Unit> IdentityService::delete_user(std::string_view name) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto u = m.load<User>(name);
  if (!u) {
    return not_found<User>(name);
  }
  if (!m.store.documents_by_index(model::kAccessKey, model::lower(name)).empty()) {
    return delete_conflict("Cannot delete entity, must delete access keys first.");
  }
  if (m.store.get_document(model::kLoginProfile, model::lower(name))) {
    return delete_conflict("Cannot delete entity, must delete login profile first.");
  }
  if (!u->entity.inline_policies.empty()) {
    return delete_conflict("Cannot delete entity, must delete policies first.");
  }
  if (!u->entity.attached.empty()) {
    return delete_conflict("Cannot delete entity, must detach all policies first.");
  }
  if (!u->entity.groups.empty()) {
    return delete_conflict("Cannot delete entity, must remove user from all groups first.");
  }
  store::DocumentBatch batch;
  store::DocumentWrite w = Impl::put(u->entity, u->version);
  w.op = store::DocumentWrite::Op::Delete;
  batch.writes.push_back(std::move(w));
  return m.commit(std::move(batch));
}

// ----------------------------------------------------------------------------- access keys

Result<AccessKey> IdentityService::create_access_key(std::string_view user_name) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  std::string index(model::kRootIndex);
  std::string owner;
  if (!user_name.empty()) {
    auto u = m.load<User>(user_name);
    if (!u) {
      return not_found<User>(user_name);
    }
    index = model::lower(user_name);
    owner = u->entity.name;
  }
  if (m.store.documents_by_index(model::kAccessKey, index).size() >= kMaxAccessKeysPerUser) {
    return Error{"LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409};
  }
  model::StoredKey k;
  k.key.user_name = owner;
  k.key.id = new_id(m.options.random, "AKIA", 16);
  k.key.created_ms = m.now_ms();
  k.key.secret = new_secret(m.options.random);
  k.sealed_secret = m.box.seal(k.key.secret);
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = {std::string(model::kAccessKey),
           k.key.id,
           model::to_json(k),
           index,
           0,
           k.key.created_ms,
           k.key.created_ms};
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  auto done = m.commit(std::move(batch));
  if (!done.ok()) {
    return done.error();
  }
  return k.key;
}

Result<std::vector<AccessKey>> IdentityService::list_access_keys(std::string_view user_name) const {
  std::string index(model::kRootIndex);
  if (!user_name.empty()) {
    if (!impl_->load<User>(user_name)) {
      return not_found<User>(user_name);
    }
    index = model::lower(user_name);
  }
  std::vector<AccessKey> out;
  for (const store::DocumentRecord& d : impl_->store.documents_by_index(model::kAccessKey, index)) {
    if (auto k = model::key_from(d)) {
      out.push_back(std::move(k->key));
    }
  }
  return out;
}

namespace {

// The key document when it belongs to user_name ("" for the account's own keys).
std::optional<store::DocumentRecord> owned_key(store::Store& store, std::string_view user_name,
                                               std::string_view key_id) {
  auto d = store.get_document(model::kAccessKey, key_id);
  std::string index = user_name.empty() ? std::string(model::kRootIndex) : model::lower(user_name);
  if (!d || d->index != index) {
    return std::nullopt;
  }
  return d;
}

Error no_such_key(std::string_view key_id) {
  return no_such_entity("The Access Key with id " + std::string(key_id) + " cannot be found.");
}

}  // namespace

Result<Unit> IdentityService::delete_access_key(std::string_view user_name,
                                                std::string_view key_id) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  if (!user_name.empty() && !m.load<User>(user_name)) {
    return not_found<User>(user_name);
  }
  auto d = owned_key(m.store, user_name, key_id);
  if (!d) {
    return no_such_key(key_id);
  }
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc = *d;
  w.expected_version = d->version;
  batch.writes.push_back(std::move(w));
  return m.commit(std::move(batch));
}

Result<Unit> IdentityService::update_access_key(std::string_view user_name, std::string_view key_id,
                                                std::string_view status) {
  if (status != "Active" && status != "Inactive") {
    return constraint("status", status, "Member must satisfy enum value set: [Active, Inactive]");
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  if (!user_name.empty() && !m.load<User>(user_name)) {
    return not_found<User>(user_name);
  }
  auto d = owned_key(m.store, user_name, key_id);
  auto k = d ? model::key_from(*d) : std::nullopt;
  if (!k) {
    return no_such_key(key_id);
  }
  k->key.status = std::string(status);
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = *d;
  w.doc.json = model::to_json(*k);
  w.doc.updated_ms = m.now_ms();
  w.expected_version = d->version;
  batch.writes.push_back(std::move(w));
  return m.commit(std::move(batch));
}

// ---------------------------------------------------------------------------------- groups

Result<Group> IdentityService::create_group(std::string_view name, std::string_view path) {
  if (auto e = check_name("groupName", name, 128)) {
    return *e;
  }
  if (auto e = check_path("path", path_or_root(path))) {
    return *e;
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  Group g;
  g.name = std::string(name);
  g.path = path_or_root(path);
  g.id = new_id(m.options.random, "AGPA", 17);
  g.arn = m.iam_arn("group", g.path, g.name);
  g.created_ms = m.now_ms();
  store::DocumentBatch batch;
  batch.writes.push_back(Impl::put(g, store::kMustNotExist));
  auto done =
      m.commit(std::move(batch), already_exists("Group with name " + g.name + " already exists."));
  if (!done.ok()) {
    return done.error();
  }
  return g;
}

Result<Group> IdentityService::get_group(std::string_view name) const {
  auto g = impl_->load<Group>(name);
  if (!g) {
    return not_found<Group>(name);
  }
  return g->entity;
}

Result<Unit> IdentityService::delete_group(std::string_view name) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto g = m.load<Group>(name);
  if (!g) {
    return not_found<Group>(name);
  }
  if (!m.store.list_documents(model::kMember, model::lower(name) + "/", "", 1).items.empty()) {
    return delete_conflict("Cannot delete entity, must remove users from group first.");
  }
  if (!g->entity.inline_policies.empty()) {
    return delete_conflict("Cannot delete entity, must delete policies first.");
  }
  if (!g->entity.attached.empty()) {
    return delete_conflict("Cannot delete entity, must detach all policies first.");
  }
  store::DocumentBatch batch;
  store::DocumentWrite w = Impl::put(g->entity, g->version);
  w.op = store::DocumentWrite::Op::Delete;
  batch.writes.push_back(std::move(w));
  return m.commit(std::move(batch));
}

Result<std::vector<User>> IdentityService::group_members(std::string_view name) const {
  if (!impl_->load<Group>(name)) {
    return not_found<Group>(name);
  }
  std::vector<User> out;
  std::string after;
  const std::string prefix = model::lower(name) + "/";
  while (true) {
    auto page = impl_->store.list_documents(model::kMember, prefix, after, 1000);
    for (const store::DocumentRecord& d : page.items) {
      if (auto u = impl_->load<User>(d.json)) {
        out.push_back(std::move(u->entity));
      }
    }
    if (page.next_key.empty()) {
      return out;
    }
    after = page.next_key;
  }
}

namespace {

store::DocumentWrite membership(std::string_view group, std::string_view user, bool add) {
  store::DocumentWrite w;
  w.op = add ? store::DocumentWrite::Op::Put : store::DocumentWrite::Op::Delete;
  w.doc.kind = std::string(model::kMember);
  w.doc.key = model::lower(group) + "/" + model::lower(user);
  w.doc.json = model::lower(user);  // the user's document key, read back by group_members
  w.expected_version = store::kAnyVersion;
  return w;
}

}  // namespace

Result<Unit> IdentityService::add_user_to_group(std::string_view group, std::string_view user) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto g = m.load<Group>(group);
  if (!g) {
    return not_found<Group>(group);
  }
  auto u = m.load<User>(user);
  if (!u) {
    return not_found<User>(user);
  }
  auto& groups = u->entity.groups;
  if (std::find(groups.begin(), groups.end(), g->entity.name) != groups.end()) {
    return Unit{};  // IAM answers success for a user already in the group
  }
  groups.push_back(g->entity.name);
  store::DocumentBatch batch;
  batch.writes.push_back(Impl::put(u->entity, u->version));
  batch.writes.push_back(membership(group, user, true));
  batch.writes.back().doc.created_ms = m.now_ms();
  return m.commit(std::move(batch));
}

Result<Unit> IdentityService::remove_user_from_group(std::string_view group,
                                                     std::string_view user) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto g = m.load<Group>(group);
  if (!g) {
    return not_found<Group>(group);
  }
  auto u = m.load<User>(user);
  if (!u) {
    return not_found<User>(user);
  }
  auto& groups = u->entity.groups;
  auto it = std::find(groups.begin(), groups.end(), g->entity.name);
  if (it == groups.end()) {
    return not_found<User>(user);
  }
  groups.erase(it);
  store::DocumentBatch batch;
  batch.writes.push_back(Impl::put(u->entity, u->version));
  batch.writes.push_back(membership(group, user, false));
  return m.commit(std::move(batch));
}

// ----------------------------------------------------------------------------------- roles

Result<Role> IdentityService::create_role(std::string_view name, std::string_view path,
                                          std::string_view assume_role_policy,
                                          std::string_view description,
                                          std::optional<int64_t> max_session_duration) {
  if (auto e = check_name("roleName", name, 64)) {
    return *e;
  }
  if (auto e = check_path("path", path_or_root(path))) {
    return *e;
  }
  if (max_session_duration) {
    if (auto e = check_range("maxSessionDuration", *max_session_duration, 3600, 43200)) {
      return *e;
    }
  }
  if (auto e = check_policy(assume_role_policy, policy::PolicyKind::Trust)) {
    return *e;
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  Role r;
  r.name = std::string(name);
  r.path = path_or_root(path);
  r.id = new_id(m.options.random, "AROA", 17);
  r.arn = m.iam_arn("role", r.path, r.name);
  r.created_ms = m.now_ms();
  r.assume_role_policy = std::string(assume_role_policy);
  r.description = std::string(description);
  r.max_session_duration = max_session_duration.value_or(3600);
  store::DocumentBatch batch;
  batch.writes.push_back(Impl::put(r, store::kMustNotExist));
  auto done =
      m.commit(std::move(batch), already_exists("Role with name " + r.name + " already exists."));
  if (!done.ok()) {
    return done.error();
  }
  return r;
}

Result<Role> IdentityService::get_role(std::string_view name) const {
  auto r = impl_->load<Role>(name);
  if (!r) {
    return not_found<Role>(name);
  }
  return r->entity;
}

Result<Listing<Role>> IdentityService::list_roles(std::string_view path_prefix,
                                                  const Paging& paging) const {
  return page_of<Role>(impl_->store, path_prefix.empty() ? "/" : path_prefix, paging);
}

Result<Unit> IdentityService::delete_role(std::string_view name) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  auto r = m.load<Role>(name);
  if (!r) {
    return not_found<Role>(name);
  }
  if (!r->entity.inline_policies.empty()) {
    return delete_conflict("Cannot delete entity, must delete policies first.");
  }
  if (!r->entity.attached.empty()) {
    return delete_conflict("Cannot delete entity, must detach all policies first.");
  }
  store::DocumentBatch batch;
  store::DocumentWrite w = Impl::put(r->entity, r->version);
  w.op = store::DocumentWrite::Op::Delete;
  batch.writes.push_back(std::move(w));
  return m.commit(std::move(batch));
}

Result<Unit> IdentityService::update_assume_role_policy(std::string_view name,
                                                        std::string_view document) {
  if (auto e = check_policy(document, policy::PolicyKind::Trust)) {
    return *e;
  }
  std::lock_guard lock(impl_->write_mu);
  return impl_->modify<Role>(name, [&](Role& r) -> std::optional<Error> {
    r.assume_role_policy = std::string(document);
    return std::nullopt;
  });
}

Result<Unit> IdentityService::update_role(std::string_view name,
                                          std::optional<std::string> description,
                                          std::optional<int64_t> max_session_duration) {
  if (max_session_duration) {
    if (auto e = check_range("maxSessionDuration", *max_session_duration, 3600, 43200)) {
      return *e;
    }
  }
  std::lock_guard lock(impl_->write_mu);
  return impl_->modify<Role>(name, [&](Role& r) -> std::optional<Error> {
    if (description) {
      r.description = *description;
    }
    if (max_session_duration) {
      r.max_session_duration = *max_session_duration;
    }
    return std::nullopt;
  });
}

// ------------------------------------------------------------------------- inline policies

namespace {

template <typename E>
Error no_inline(std::string_view policy_name) {
  return no_such_entity("The " + std::string(Traits<E>::noun) + " policy with name " +
                        std::string(policy_name) + " cannot be found.");
}

}  // namespace

Result<Unit> IdentityService::put_inline_policy(EntityType type, std::string_view entity,
                                                std::string_view policy_name,
                                                std::string_view document) {
  if (auto e = check_name("policyName", policy_name, 128)) {
    return *e;
  }
  if (auto e = check_policy(document, policy::PolicyKind::Identity)) {
    return *e;
  }
  std::lock_guard lock(impl_->write_mu);
  return on_entity(type, [&](auto* tag) {
    using E = std::remove_pointer_t<decltype(tag)>;
    return impl_->modify<E>(entity, [&](E& e) -> std::optional<Error> {
      e.inline_policies[std::string(policy_name)] = std::string(document);
      return std::nullopt;
    });
  });
}

Result<std::string> IdentityService::get_inline_policy(EntityType type, std::string_view entity,
                                                       std::string_view policy_name) const {
  return on_entity(type, [&](auto* tag) -> Result<std::string> {
    using E = std::remove_pointer_t<decltype(tag)>;
    auto e = impl_->load<E>(entity);
    if (!e) {
      return not_found<E>(entity);
    }
    auto it = e->entity.inline_policies.find(std::string(policy_name));
    if (it == e->entity.inline_policies.end()) {
      return no_inline<E>(policy_name);
    }
    return it->second;
  });
}

Result<Unit> IdentityService::delete_inline_policy(EntityType type, std::string_view entity,
                                                   std::string_view policy_name) {
  std::lock_guard lock(impl_->write_mu);
  return on_entity(type, [&](auto* tag) {
    using E = std::remove_pointer_t<decltype(tag)>;
    return impl_->modify<E>(entity, [&](E& e) -> std::optional<Error> {
      if (e.inline_policies.erase(std::string(policy_name)) == 0) {
        return no_inline<E>(policy_name);
      }
      return std::nullopt;
    });
  });
}

Result<std::vector<std::string>> IdentityService::list_inline_policies(
    EntityType type, std::string_view entity) const {
  return on_entity(type, [&](auto* tag) -> Result<std::vector<std::string>> {
    using E = std::remove_pointer_t<decltype(tag)>;
    auto e = impl_->load<E>(entity);
    if (!e) {
      return not_found<E>(entity);
    }
    std::vector<std::string> names;
    for (const auto& [name, doc] : e->entity.inline_policies) {
      names.push_back(name);
    }
    return names;
  });
}

}  // namespace signoff::iam
