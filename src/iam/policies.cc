// Managed policies (this account's and the AWS managed catalog) and their attachments.
#include <algorithm>
#include <ctime>

#include "iam/identity.h"
#include "iam/ids.h"
#include "iam/managed_policies.h"
#include "iam/service_impl.h"
#include "iam/validate.h"

namespace signoff::iam {
namespace {

int64_t parse_iso(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    return 0;
  }
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

ManagedPolicy from_catalog(const AwsManagedPolicy& p) {
  ManagedPolicy out;
  out.name = std::string(p.name);
  out.id = std::string(p.id);
  out.path = std::string(p.path);
  out.arn = "arn:aws:iam::aws:policy" + out.path + out.name;
  out.description = std::string(p.description);
  out.default_version = std::string(p.version);
  out.created_ms = parse_iso(p.created);
  out.updated_ms = parse_iso(p.updated);
  out.aws_managed = true;
  out.versions.push_back(
      PolicyVersion{out.default_version, std::string(p.document), out.updated_ms});
  return out;
}

std::string attachment_key(std::string_view arn, EntityType type, std::string_view entity) {
  std::string k(arn);
  k += type == EntityType::User ? "|user/" : type == EntityType::Group ? "|group/" : "|role/";
  k += model::lower(entity);
  return k;
}

Error not_attachable(std::string_view arn) {
  return no_such_entity("Policy " + std::string(arn) + " does not exist or is not attachable.");
}

}  // namespace

Result<ManagedPolicy> IdentityService::create_policy(std::string_view name, std::string_view path,
                                                     std::string_view document,
                                                     std::string_view description) {
  if (auto e = check_name("policyName", name, 128)) {
    return *e;
  }
  std::string p = path.empty() ? std::string("/") : std::string(path);
  if (auto e = check_path("path", p)) {
    return *e;
  }
  policy::ParseResult parsed = policy::parse_policy(document, policy::PolicyKind::Identity);
  if (!parsed.ok()) {
    return malformed_policy(parsed.error);
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  ManagedPolicy mp;
  mp.name = std::string(name);
  mp.path = p;
  mp.id = new_id(m.options.random, "ANPA", 17);
  mp.arn = m.iam_arn("policy", mp.path, mp.name);
  mp.description = std::string(description);
  mp.created_ms = mp.updated_ms = m.now_ms();
  mp.versions.push_back(PolicyVersion{"v1", std::string(document), mp.created_ms});
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = {std::string(model::kPolicy),
           model::lower(mp.name),
           model::to_json(mp),
           "",
           0,
           mp.created_ms,
           mp.created_ms};
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  auto done = m.commit(std::move(batch), already_exists("A policy called " + mp.name +
                                                        " already exists. Duplicate names are "
                                                        "not allowed."));
  if (!done.ok()) {
    return done.error();
  }
  return mp;
}

Result<ManagedPolicy> IdentityService::get_policy(std::string_view arn) const {
  const Impl& m = *impl_;
  std::optional<ManagedPolicy> found;
  if (const AwsManagedPolicy* p = find_aws_managed_policy(arn)) {
    found = from_catalog(*p);
  } else if (size_t slash = arn.rfind('/'); slash != std::string_view::npos) {
    auto d = m.store.get_document(model::kPolicy, model::lower(arn.substr(slash + 1)));
    auto stored = d ? model::policy_from(*d) : std::nullopt;
    if (stored && stored->arn == arn) {
      found = std::move(stored);
    }
  }
  if (!found) {
    return no_such_entity("Policy " + std::string(arn) + " was not found.");
  }
  std::string prefix = found->arn + "|";
  found->attachment_count = static_cast<int64_t>(
      m.store.list_documents(model::kAttachment, prefix, "", 10000).items.size());
  return *found;
}

Result<PolicyVersion> IdentityService::get_policy_version(std::string_view arn,
                                                          std::string_view version) const {
  auto p = get_policy(arn);
  if (!p.ok()) {
    return p.error();
  }
  for (const PolicyVersion& v : p->versions) {
    if (v.id == version) {
      return v;
    }
  }
  return no_such_entity("Policy " + std::string(arn) + " version " + std::string(version) +
                        " does not exist or is not attachable.");
}

Result<Unit> IdentityService::attach_policy(EntityType type, std::string_view entity,
                                            std::string_view arn) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  if (!m.managed_document(arn)) {
    return not_attachable(arn);
  }
  return on_entity(type, [&](auto* tag) -> Result<Unit> {
    using E = std::remove_pointer_t<decltype(tag)>;
    auto e = m.load<E>(entity);
    if (!e) {
      return not_found<E>(entity);
    }
    auto& attached = e->entity.attached;
    if (std::find(attached.begin(), attached.end(), arn) != attached.end()) {
      return Unit{};
    }
    attached.emplace_back(arn);
    store::DocumentBatch batch;
    batch.writes.push_back(Impl::put(e->entity, e->version));
    store::DocumentWrite w;
    w.doc.kind = std::string(model::kAttachment);
    w.doc.key = attachment_key(arn, type, entity);
    w.doc.json = "{}";
    w.doc.created_ms = m.now_ms();
    batch.writes.push_back(std::move(w));
    return m.commit(std::move(batch));
  });
}

Result<Unit> IdentityService::detach_policy(EntityType type, std::string_view entity,
                                            std::string_view arn) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  return on_entity(type, [&](auto* tag) -> Result<Unit> {
    using E = std::remove_pointer_t<decltype(tag)>;
    auto e = m.load<E>(entity);
    if (!e) {
      return not_found<E>(entity);
    }
    auto& attached = e->entity.attached;
    auto it = std::find(attached.begin(), attached.end(), arn);
    if (it == attached.end()) {
      return no_such_entity("Policy " + std::string(arn) + " was not found.");
    }
    attached.erase(it);
    store::DocumentBatch batch;
    batch.writes.push_back(Impl::put(e->entity, e->version));
    store::DocumentWrite w;
    w.op = store::DocumentWrite::Op::Delete;
    w.doc.kind = std::string(model::kAttachment);
    w.doc.key = attachment_key(arn, type, entity);
    batch.writes.push_back(std::move(w));
    return m.commit(std::move(batch));
  });
}

Result<std::vector<std::pair<std::string, std::string>>> IdentityService::list_attached_policies(
    EntityType type, std::string_view entity) const {
  using Out = std::vector<std::pair<std::string, std::string>>;
  return on_entity(type, [&](auto* tag) -> Result<Out> {
    using E = std::remove_pointer_t<decltype(tag)>;
    auto e = impl_->load<E>(entity);
    if (!e) {
      return not_found<E>(entity);
    }
    Out out;
    for (const std::string& arn : e->entity.attached) {
      size_t slash = arn.rfind('/');
      out.emplace_back(slash == std::string::npos ? arn : arn.substr(slash + 1), arn);
    }
    return out;
  });
}

}  // namespace signoff::iam

namespace signoff::iam {

Result<Unit> IdentityService::delete_policy(std::string_view arn) {
  Impl& m = *impl_;
  std::lock_guard lock(m.write_mu);
  size_t slash = arn.rfind('/');
  std::optional<store::DocumentRecord> d;
  if (slash != std::string_view::npos && !find_aws_managed_policy(arn)) {
    d = m.store.get_document(model::kPolicy, model::lower(arn.substr(slash + 1)));
  }
  auto stored = d ? model::policy_from(*d) : std::nullopt;
  if (!stored || stored->arn != arn) {
    return no_such_entity("Policy " + std::string(arn) + " was not found.");
  }
  if (!m.store.list_documents(model::kAttachment, stored->arn + "|", "", 1).items.empty()) {
    return delete_conflict("Cannot delete a policy attached to entities.");
  }
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = std::string(model::kPolicy);
  w.doc.key = d->key;
  w.expected_version = d->version;
  batch.writes.push_back(std::move(w));
  return m.commit(std::move(batch));
}

}  // namespace signoff::iam
