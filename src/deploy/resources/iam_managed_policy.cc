// AWS::IAM::ManagedPolicy: a customer managed policy attached to its Roles, Users and Groups.
// Ref: the policy ARN; PolicyArn, PolicyId. Attachments change in place. A new PolicyDocument
// replaces the policy (CloudFormation makes a new version in place; the identity service has no
// CreatePolicyVersion yet), as do ManagedPolicyName, Path and Description.
#include "deploy/resources/iam_policy_targets.h"
#include "deploy/resources/resources.h"

namespace signoff::deploy {

namespace {

class ManagedPolicyProvider final : public ResourceProvider {
 public:
  explicit ManagedPolicyProvider(iam::IdentityService& id) : id_(id) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    if (!props.find("PolicyDocument")) {
      return missing_property(ctx, "PolicyDocument");
    }
    auto created =
        id_.create_policy(prop_string(props, "ManagedPolicyName", ctx.generated_name),
                          prop_string(props, "Path", "/"), prop_document(props, "PolicyDocument"),
                          prop_string(props, "Description"));
    if (!created.ok()) {
      return created.error();
    }
    for (const auto& [type, entity] : policy_targets(props)) {
      if (auto r = id_.attach_policy(type, entity, created->arn); !r.ok()) {
        (void)remove(ctx, created->arn, props);
        return r.error();
      }
    }
    ProvidedResource p;
    p.physical_id = created->arn;
    p.attributes = json::Value::object(
        {{"PolicyArn", json::Value(created->arn)}, {"PolicyId", json::Value(created->id)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override {
    return {"ManagedPolicyName", "Path", "Description", "PolicyDocument"};
  }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    auto now = policy_targets(props);
    auto before = policy_targets(old_props);
    for (const auto& [type, entity] : now) {
      if (!before.count({type, entity})) {
        if (auto r = id_.attach_policy(type, entity, current.physical_id); !r.ok()) {
          return r.error();
        }
      }
    }
    for (const auto& [type, entity] : before) {
      if (!now.count({type, entity})) {
        (void)id_.detach_policy(type, entity, current.physical_id);
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string arn = physical_id.empty()
                          ? "arn:aws:iam::" + ctx.account + ":policy" +
                                prop_string(props, "Path", "/") +
                                prop_string(props, "ManagedPolicyName", ctx.generated_name)
                          : physical_id;
    for (const auto& [type, entity] : policy_targets(props)) {
      (void)id_.detach_policy(type, entity, arn);
    }
    auto r = id_.delete_policy(arn);
    if (!r.ok() && r.error().type != "NoSuchEntity") {
      return r.error();
    }
    return Unit{};
  }

 private:
  iam::IdentityService& id_;
};

}  // namespace

ProviderPtr iam_managed_policy_provider(iam::IdentityService& identity) {
  return std::make_shared<ManagedPolicyProvider>(identity);
}

}  // namespace signoff::deploy
