// AWS::IAM::Policy: one inline policy put on each of its Roles, Users and Groups. Ref: a generated
// id (Stack-Logical-SUFFIX), as CloudFormation's. Everything changes in place: a renamed policy
// or a principal that left the lists has the old inline policy deleted.
#include "deploy/resources/iam_policy_targets.h"
#include "deploy/resources/resources.h"

namespace signoff::deploy {

namespace {

class PolicyProvider final : public ResourceProvider {
 public:
  explicit PolicyProvider(iam::IdentityService& id) : id_(id) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    for (const char* required : {"PolicyName", "PolicyDocument"}) {
      if (!props.find(required)) {
        return missing_property(ctx, required);
      }
    }
    auto targets = policy_targets(props);
    if (targets.empty()) {
      return invalid_request("At least one of [Groups,Roles,Users] must be non-empty.");
    }
    std::string name = prop_string(props, "PolicyName");
    std::string document = prop_document(props, "PolicyDocument");
    for (const auto& [type, entity] : targets) {
      if (auto r = id_.put_inline_policy(type, entity, name, document); !r.ok()) {
        (void)remove(ctx, ctx.generated_name, props);
        return r.error();
      }
    }
    ProvidedResource p;
    p.physical_id = ctx.generated_name;
    return p;
  }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    std::string name = prop_string(props, "PolicyName");
    std::string document = prop_document(props, "PolicyDocument");
    auto now = policy_targets(props);
    for (const auto& [type, entity] : now) {
      if (auto r = id_.put_inline_policy(type, entity, name, document); !r.ok()) {
        return r.error();
      }
    }
    std::string old_name = prop_string(old_props, "PolicyName");
    for (const auto& t : policy_targets(old_props)) {
      if (!now.count(t) || old_name != name) {
        (void)id_.delete_inline_policy(t.first, t.second, old_name);
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext&, const std::string&,
                      const json::Value& props) override {
    std::string name = prop_string(props, "PolicyName");
    for (const auto& [type, entity] : policy_targets(props)) {
      auto r = id_.delete_inline_policy(type, entity, name);
      if (!r.ok() && r.error().type != "NoSuchEntity") {
        return r.error();
      }
    }
    return Unit{};
  }

 private:
  iam::IdentityService& id_;
};

}  // namespace

ProviderPtr iam_policy_provider(iam::IdentityService& identity) {
  return std::make_shared<PolicyProvider>(identity);
}

}  // namespace signoff::deploy
