// AWS::IAM::Group through the identity service. Ref: the group name; GetAtt Arn. GroupName and
// Path replace it (the identity service has no UpdateGroup); inline Policies and
// ManagedPolicyArns change in place. Members come from AWS::IAM::User's Groups (or
// AWS::IAM::UserToGroupAddition), which depend on the group and so are removed before it.
#include "deploy/resources/iam_policies.h"
#include "deploy/resources/resources.h"
#include "iam/identity.h"

namespace signoff::deploy {

namespace {

using iam::EntityType;

class GroupProvider final : public ResourceProvider {
 public:
  explicit GroupProvider(iam::IdentityService& id) : id_(id) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string name = prop_string(props, "GroupName", ctx.generated_name);
    auto group = id_.create_group(name, prop_string(props, "Path", "/"));
    if (!group.ok()) {
      return group.error();
    }
    auto applied = apply(name, json::Value::object(), props);
    if (!applied.ok()) {
      (void)remove(ctx, name, props);  // not recorded by the stack: leave nothing behind
      return applied.error();
    }
    ProvidedResource p;
    p.physical_id = name;
    p.attributes = json::Value::object({{"Arn", json::Value(group->arn)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override { return {"GroupName", "Path"}; }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    auto r = apply(current.physical_id, old_props, props);
    if (!r.ok()) {
      return r.error();
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string name =
        physical_id.empty() ? prop_string(props, "GroupName", ctx.generated_name) : physical_id;
    auto group = id_.get_group(name);
    if (!group.ok()) {
      return group.error().type == "NoSuchEntity" ? Result<Unit>(Unit{})
                                                  : Result<Unit>(group.error());
    }
    for (const auto& [policy, document] : group->inline_policies) {
      if (auto r = id_.delete_inline_policy(EntityType::Group, name, policy); !r.ok()) {
        return r.error();
      }
    }
    for (const std::string& arn : group->attached) {
      if (auto r = id_.detach_policy(EntityType::Group, name, arn); !r.ok()) {
        return r.error();
      }
    }
    auto r = id_.delete_group(name);
    if (!r.ok() && r.error().type != "NoSuchEntity") {
      return r.error();
    }
    return Unit{};
  }

 private:
  Result<Unit> apply(const std::string& name, const json::Value& before, const json::Value& after) {
    if (auto r = reconcile_inline_policies(id_, EntityType::Group, name, before, after); !r.ok()) {
      return r;
    }
    return reconcile_managed_policies(id_, EntityType::Group, name, before, after);
  }

  iam::IdentityService& id_;
};

}  // namespace

ProviderPtr iam_group_provider(iam::IdentityService& identity) {
  return std::make_shared<GroupProvider>(identity);
}

}  // namespace signoff::deploy
