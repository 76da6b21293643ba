// AWS::StepFunctions::Activity through the Step Functions engine. Ref and Arn: the activity ARN;
// Name. A new Name replaces it.
#include "deploy/resources/resources.h"
#include "engine/engine.h"

namespace signoff::deploy {

namespace {

class ActivityProvider final : public ResourceProvider {
 public:
  explicit ActivityProvider(engine::Engine& e) : engine_(e) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string name = prop_string(props, "Name");
    if (name.empty()) {
      return invalid_request("Properties validation failed for resource " + ctx.logical_id +
                             " with message: [#: required key [Name] not found]");
    }
    std::vector<store::Tag> tags;
    for (const auto& [k, v] : prop_tags(props)) {
      tags.push_back(store::Tag{k, v});
    }
    auto created = engine_.create_activity(ctx.region, name, tags);
    if (!created.ok()) {
      return created.error();
    }
    ProvidedResource p;
    p.physical_id = created->arn;
    p.attributes = json::Value::object(
        {{"Arn", json::Value(created->arn)}, {"Name", json::Value(created->name)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override { return {"Name"}; }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value&, const json::Value& props) override {
    // Only tags can change in place.
    std::vector<store::Tag> tags;
    for (const auto& [k, v] : prop_tags(props)) {
      tags.push_back(store::Tag{k, v});
    }
    if (!tags.empty()) {
      auto r = engine_.tag_resource(current.physical_id, tags);
      if (!r.ok()) {
        return r.error();
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string arn = physical_id;
    if (arn.empty()) {
      std::string name = prop_string(props, "Name");
      if (name.empty()) {
        return Unit{};
      }
      arn = "arn:aws:states:" + ctx.region + ":" + ctx.account + ":activity:" + name;
    }
    auto r = engine_.delete_activity(arn);
    if (!r.ok() && r.error().type != "ActivityDoesNotExist") {
      return r.error();
    }
    return Unit{};
  }

 private:
  engine::Engine& engine_;
};

}  // namespace

ProviderPtr activity_provider(engine::Engine& engine) {
  return std::make_shared<ActivityProvider>(engine);
}

}  // namespace signoff::deploy
