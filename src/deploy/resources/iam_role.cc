// AWS::IAM::Role through the identity service. Ref: the role name; Arn, RoleId. RoleName and Path
// replace it; the trust policy, Description, MaxSessionDuration, inline Policies and
// ManagedPolicyArns change in place. Tags and PermissionsBoundary are accepted and not applied
// (the identity service keeps neither).
#include <algorithm>

#include "deploy/resources/iam_policies.h"
#include "deploy/resources/resources.h"
#include "iam/identity.h"

namespace signoff::deploy {

namespace {

using iam::EntityType;

bool not_found(const Error& e) {
  return e.type == "NoSuchEntity";
}

class RoleProvider final : public ResourceProvider {
 public:
  explicit RoleProvider(iam::IdentityService& id) : id_(id) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string trust = prop_document(props, "AssumeRolePolicyDocument");
    if (trust.empty()) {
      return missing_property(ctx, "AssumeRolePolicyDocument");
    }
    std::string name = prop_string(props, "RoleName", ctx.generated_name);
    auto role =
        id_.create_role(name, prop_string(props, "Path", "/"), trust,
                        prop_string(props, "Description"), prop_int(props, "MaxSessionDuration"));
    if (!role.ok()) {
      return role.error();
    }
    // A half-made role is removed here: the stack records no physical id for a failed create,
    // so rollback would not find it.
    auto fail = [&](Error e) -> Result<ProvidedResource> {
      (void)remove(ctx, name, props);
      return e;
    };
    for (const auto& [policy, document] : inline_policies(props)) {
      if (auto r = id_.put_inline_policy(EntityType::Role, name, policy, document); !r.ok()) {
        return fail(r.error());
      }
    }
    for (const std::string& arn : prop_strings(props, "ManagedPolicyArns")) {
      if (auto r = id_.attach_policy(EntityType::Role, name, arn); !r.ok()) {
        return fail(r.error());
      }
    }
    ProvidedResource p;
    p.physical_id = name;
    p.attributes = json::Value::object({{"Arn", json::Value(role->arn)},
                                        {"RoleId", json::Value(role->id)},
                                        {"RoleName", json::Value(role->name)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override { return {"RoleName", "Path"}; }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    const std::string& name = current.physical_id;
    if (prop_changed(old_props, props, "AssumeRolePolicyDocument")) {
      auto r =
          id_.update_assume_role_policy(name, prop_document(props, "AssumeRolePolicyDocument"));
      if (!r.ok()) {
        return r.error();
      }
    }
    if (prop_changed(old_props, props, "Description") ||
        prop_changed(old_props, props, "MaxSessionDuration")) {
      auto r = id_.update_role(name, prop_string(props, "Description"),
                               prop_int(props, "MaxSessionDuration").value_or(3600));
      if (!r.ok()) {
        return r.error();
      }
    }
    auto before = inline_policies(old_props);
    auto after = inline_policies(props);
    for (const auto& [policy, document] : after) {
      auto it = before.find(policy);
      if (it == before.end() || it->second != document) {
        if (auto r = id_.put_inline_policy(EntityType::Role, name, policy, document); !r.ok()) {
          return r.error();
        }
      }
    }
    for (const auto& [policy, document] : before) {
      if (!after.count(policy)) {
        auto r = id_.delete_inline_policy(EntityType::Role, name, policy);
        if (!r.ok() && !not_found(r.error())) {
          return r.error();
        }
      }
    }
    auto old_arns = prop_strings(old_props, "ManagedPolicyArns");
    auto new_arns = prop_strings(props, "ManagedPolicyArns");
    for (const std::string& arn : new_arns) {
      if (std::find(old_arns.begin(), old_arns.end(), arn) == old_arns.end()) {
        if (auto r = id_.attach_policy(EntityType::Role, name, arn); !r.ok()) {
          return r.error();
        }
      }
    }
    for (const std::string& arn : old_arns) {
      if (std::find(new_arns.begin(), new_arns.end(), arn) == new_arns.end()) {
        auto r = id_.detach_policy(EntityType::Role, name, arn);
        if (!r.ok() && !not_found(r.error())) {
          return r.error();
        }
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string name =
        physical_id.empty() ? prop_string(props, "RoleName", ctx.generated_name) : physical_id;
    // What the role holds goes first (IAM refuses to delete a role with policies), including
    // policies attached from elsewhere, as CloudFormation's handler does.
    auto names = id_.list_inline_policies(EntityType::Role, name);
    if (!names.ok()) {
      return not_found(names.error()) ? Result<Unit>(Unit{}) : Result<Unit>(names.error());
    }
    for (const std::string& policy : *names) {
      auto r = id_.delete_inline_policy(EntityType::Role, name, policy);
      if (!r.ok() && !not_found(r.error())) {
        return r.error();
      }
    }
    auto attached = id_.list_attached_policies(EntityType::Role, name);
    if (attached.ok()) {
      for (const auto& [policy_name, arn] : *attached) {
        auto r = id_.detach_policy(EntityType::Role, name, arn);
        if (!r.ok() && !not_found(r.error())) {
          return r.error();
        }
      }
    }
    auto r = id_.delete_role(name);
    if (!r.ok() && !not_found(r.error())) {
      return r.error();
    }
    return Unit{};
  }

 private:
  iam::IdentityService& id_;
};

}  // namespace

ProviderPtr iam_role_provider(iam::IdentityService& identity) {
  return std::make_shared<RoleProvider>(identity);
}

}  // namespace signoff::deploy
