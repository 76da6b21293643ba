// AWS::IAM::Group through the identity service. Ref: the group name; GetAtt Arn. GroupName and
// Path replace it (the identity service has no UpdateGroup); inline Policies and
// ManagedPolicyArns change in place. Members come from AWS::IAM::User's Groups (or
// AWS::IAM::UserToGroupAddition), which depend on the group and so are removed before it.
#include <algorithm>

#include "deploy/resources/resources.h"
#include "iam/identity.h"

namespace signoff::deploy {

namespace {

using iam::EntityType;

std::map<std::string, std::string> inline_policies(const json::Value& props) {
  std::map<std::string, std::string> out;
  const json::Value* v = props.find("Policies");
  if (v && v->is_array()) {
    for (const json::Value& p : v->as_array()) {
      out[prop_string(p, "PolicyName")] = prop_document(p, "PolicyDocument");
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

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
    auto old_policies = inline_policies(before);
    for (const auto& [policy, document] : inline_policies(after)) {
      auto it = old_policies.find(policy);
      if (it == old_policies.end() || it->second != document) {
        if (auto r = id_.put_inline_policy(EntityType::Group, name, policy, document); !r.ok()) {
          return r.error();
        }
      }
      old_policies.erase(policy);
    }
    for (const auto& [policy, document] : old_policies) {
      (void)id_.delete_inline_policy(EntityType::Group, name, policy);
    }
    auto old_arns = prop_strings(before, "ManagedPolicyArns");
    auto new_arns = prop_strings(after, "ManagedPolicyArns");
    for (const std::string& arn : new_arns) {
      if (!contains(old_arns, arn)) {
        if (auto r = id_.attach_policy(EntityType::Group, name, arn); !r.ok()) {
          return r.error();
        }
      }
    }
    for (const std::string& arn : old_arns) {
      if (!contains(new_arns, arn)) {
        (void)id_.detach_policy(EntityType::Group, name, arn);
      }
    }
    return Unit{};
  }

  iam::IdentityService& id_;
};

}  // namespace

ProviderPtr iam_group_provider(iam::IdentityService& identity) {
  return std::make_shared<GroupProvider>(identity);
}

}  // namespace signoff::deploy
