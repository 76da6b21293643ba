// AWS::SSM::Parameter through Parameter Store. Ref: the parameter's name; GetAtt Type and Value.
// Name replaces it; Value, Description, AllowedPattern, Tier and DataType are a new version of the
// same parameter (an overwrite). Type SecureString is refused, as CloudFormation refuses it.
#include "automation/parameter_store.h"
#include "deploy/resources/resources.h"

namespace signoff::deploy {

namespace {

class ParameterProvider final : public ResourceProvider {
 public:
  explicit ParameterProvider(automation::ParameterStore& ps) : ps_(ps) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string name = name_of(ctx, props);
    auto r = put(ctx, name, props, false);
    if (!r.ok()) {
      return r.error();
    }
    return provided(name, props);
  }

  std::vector<std::string> replacement_properties() const override { return {"Name"}; }

  Result<ProvidedResource> update(const ResourceContext& ctx, const ProvidedResource& current,
                                  const json::Value&, const json::Value& props) override {
    auto r = put(ctx, current.physical_id, props, true);
    if (!r.ok()) {
      return r.error();
    }
    return provided(current.physical_id, props);
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    auto r = ps_.remove(physical_id.empty() ? name_of(ctx, props) : physical_id);
    if (!r.ok() && r.error().type != "ParameterNotFound") {
      return r.error();
    }
    return Unit{};
  }

 private:
  static std::string name_of(const ResourceContext& ctx, const json::Value& props) {
    return prop_string(props, "Name", "CFN-" + ctx.generated_short_name);
  }

  static ProvidedResource provided(const std::string& name, const json::Value& props) {
    ProvidedResource p;
    p.physical_id = name;
    p.attributes = json::Value::object({{"Type", json::Value(prop_string(props, "Type"))},
                                        {"Value", json::Value(prop_string(props, "Value"))}});
    return p;
  }

  Result<Unit> put(const ResourceContext& ctx, const std::string& name, const json::Value& props,
                   bool overwrite) {
    if (props.find("Type") == nullptr) {
      return missing_property(ctx, "Type");
    }
    if (props.find("Value") == nullptr) {
      return missing_property(ctx, "Value");
    }
    automation::PutParameterRequest r;
    r.name = name;
    r.value = prop_string(props, "Value");
    r.type = prop_string(props, "Type");
    if (*r.type != "String" && *r.type != "StringList") {
      return invalid_request("#/Type: " + *r.type + " is not a valid enum value");
    }
    auto optional = [&props](const char* key) -> std::optional<std::string> {
      if (props.find(key) == nullptr) {
        return std::nullopt;
      }
      return prop_string(props, key);
    };
    r.description = optional("Description");
    r.allowed_pattern = optional("AllowedPattern");
    r.tier = optional("Tier");
    r.data_type = optional("DataType");
    r.overwrite = overwrite;
    if (!overwrite) {
      for (const auto& [k, v] : prop_map(props, "Tags")) {
        r.tags.push_back({k, v});
      }
    }
    auto done = ps_.put(r, "arn:aws:iam::" + ctx.account + ":root");
    if (!done.ok()) {
      return done.error();
    }
    return Unit{};
  }

  automation::ParameterStore& ps_;
};

}  // namespace

ProviderPtr ssm_parameter_provider(automation::ParameterStore& parameters) {
  return std::make_shared<ParameterProvider>(parameters);
}

}  // namespace signoff::deploy
