// AWS::Lambda::Permission: one statement of a function's resource policy. Ref: the statement id
// (generated: Stack-Logical-SUFFIX). Every property replaces it, as in CloudFormation.
#include "deploy/resources/resources.h"
#include "functions/service.h"

namespace signoff::deploy {

namespace {

class PermissionProvider final : public ResourceProvider {
 public:
  explicit PermissionProvider(functions::FunctionsService& f) : fn_(f) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    for (const char* required : {"Action", "FunctionName", "Principal"}) {
      if (prop_string(props, required).empty()) {
        return missing_property(ctx, required);
      }
    }
    auto ref = functions::parse_function_ref(prop_string(props, "FunctionName"), "", ctx.region);
    if (!ref.ok()) {
      return ref.error();
    }
    functions::PermissionRequest r;
    r.ref = *ref;
    r.statement_id = ctx.generated_name;
    r.action = prop_string(props, "Action");
    r.principal = prop_string(props, "Principal");
    r.source_arn = prop_string(props, "SourceArn");
    r.source_account = prop_string(props, "SourceAccount");
    auto added = fn_.add_permission(r);
    if (!added.ok()) {
      return added.error();
    }
    ProvidedResource p;
    p.physical_id = r.statement_id;
    return p;
  }

  std::vector<std::string> replacement_properties() const override {
    return {"Action",        "FunctionName",     "Principal",      "SourceArn",
            "SourceAccount", "EventSourceToken", "PrincipalOrgID", "FunctionUrlAuthType"};
  }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value&, const json::Value&) override {
    return current;  // every property replaces: nothing changes in place
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    auto ref = functions::parse_function_ref(prop_string(props, "FunctionName"), "", ctx.region);
    if (!ref.ok()) {
      return Unit{};
    }
    auto r = fn_.remove_permission(*ref, physical_id.empty() ? ctx.generated_name : physical_id);
    // The statement, or the whole function, is already gone.
    if (!r.ok() && r.error().type != "ResourceNotFoundException") {
      return r.error();
    }
    return Unit{};
  }

 private:
  functions::FunctionsService& fn_;
};

}  // namespace

ProviderPtr lambda_permission_provider(functions::FunctionsService& functions) {
  return std::make_shared<PermissionProvider>(functions);
}

}  // namespace signoff::deploy
