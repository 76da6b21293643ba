// AWS::Lambda::Function through the functions service. Ref: the function name; Arn. FunctionName
// and PackageType replace it; code and configuration change in place.
//
// Code.ZipFile is inline source: CloudFormation writes it to a file named index (index.py for
// Python, index.js for Node.js) and zips it, whatever the handler says, so a handler other than
// index.* fails at invocation there too. S3 and image packages are refused: Signoff has neither.
#include "deploy/resources/resources.h"
#include "functions/service.h"
#include "functions/zip.h"

namespace signoff::deploy {

namespace {

bool not_found(const Error& e) {
  return e.type == "ResourceNotFoundException";
}

// The package the Code property describes, or the reason it cannot be made.
Result<std::string> package(const ResourceContext& ctx, const json::Value& props) {
  const json::Value* code = props.find("Code");
  if (!code || !code->is_object()) {
    return missing_property(ctx, "Code");
  }
  std::string source = prop_string(*code, "ZipFile");
  if (source.empty()) {
    if (code->find("S3Bucket") || code->find("ImageUri")) {
      return invalid_request("Signoff deploys inline function code only (Code.ZipFile): " +
                             ctx.logical_id + " gives S3Bucket/S3Key or ImageUri");
    }
    return missing_property(ctx, "Code.ZipFile");
  }
  std::string runtime = prop_string(props, "Runtime");
  std::string file;
  if (runtime.rfind("python", 0) == 0) {
    file = "index.py";
  } else if (runtime.rfind("nodejs", 0) == 0) {
    file = "index.js";
  } else {
    return invalid_request(
        "ZipFile can only be used when Runtime is set to either of nodejs or "
        "python runtimes.");
  }
  return functions::make_zip({functions::ZipEntry{file, source, 0644}});
}

std::optional<std::map<std::string, std::string>> environment(const json::Value& props) {
  const json::Value* env = props.find("Environment");
  if (!env || !env->is_object() || !env->find("Variables")) {
    return std::nullopt;
  }
  return prop_map(*env, "Variables");
}

class FunctionProvider final : public ResourceProvider {
 public:
  explicit FunctionProvider(functions::FunctionsService& f) : fn_(f) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    if (prop_string(props, "Role").empty()) {
      return missing_property(ctx, "Role");
    }
    auto zip = package(ctx, props);
    if (!zip.ok()) {
      return zip.error();
    }
    functions::CreateFunctionRequest r;
    r.region = ctx.region;
    r.name = prop_string(props, "FunctionName", ctx.generated_name);
    r.runtime = prop_string(props, "Runtime");
    r.handler = prop_string(props, "Handler");
    r.role = prop_string(props, "Role");
    r.description = prop_string(props, "Description");
    r.timeout = static_cast<int>(prop_int(props, "Timeout").value_or(3));
    r.memory_size = static_cast<int>(prop_int(props, "MemorySize").value_or(128));
    r.environment = environment(props);
    r.zip = *zip;
    for (const auto& [k, v] : prop_tags(props)) {
      r.tags[k] = v;
    }
    // CloudFormation tags what it creates with the stack it belongs to.
    r.tags["aws:cloudformation:stack-name"] = ctx.stack_name;
    r.tags["aws:cloudformation:logical-id"] = ctx.logical_id;
    auto created = fn_.create_function(r);
    if (!created.ok()) {
      return created.error();
    }
    return provided(*created);
  }

  std::vector<std::string> replacement_properties() const override {
    return {"FunctionName", "PackageType"};
  }

  Result<ProvidedResource> update(const ResourceContext& ctx, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    auto ref = functions::parse_function_ref(current.physical_id, "", ctx.region);
    if (!ref.ok()) {
      return ref.error();
    }
    // Configuration first: new code may need the new runtime or handler.
    functions::UpdateConfigurationRequest c;
    c.ref = *ref;
    c.runtime = prop_string(props, "Runtime");
    c.handler = prop_string(props, "Handler");
    c.role = prop_string(props, "Role");
    c.description = prop_string(props, "Description");
    c.timeout = static_cast<int>(prop_int(props, "Timeout").value_or(3));
    c.memory_size = static_cast<int>(prop_int(props, "MemorySize").value_or(128));
    c.environment = environment(props).value_or(std::map<std::string, std::string>{});
    auto configured = fn_.update_configuration(c);
    if (!configured.ok()) {
      return configured.error();
    }
    json::Value config = *configured;
    if (prop_changed(old_props, props, "Code") || prop_changed(old_props, props, "Runtime")) {
      auto zip = package(ctx, props);
      if (!zip.ok()) {
        return zip.error();
      }
      auto updated = fn_.update_code(*ref, *zip, "", false, std::nullopt);
      if (!updated.ok()) {
        return updated.error();
      }
      config = *updated;
    }
    return provided(config);
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string name =
        physical_id.empty() ? prop_string(props, "FunctionName", ctx.generated_name) : physical_id;
    auto ref = functions::parse_function_ref(name, "", ctx.region);
    if (!ref.ok()) {
      return Unit{};  // a name that could never have been created
    }
    auto r = fn_.delete_function(*ref);
    if (!r.ok() && !not_found(r.error())) {
      return r.error();
    }
    return Unit{};
  }

 private:
  static ProvidedResource provided(const json::Value& config) {
    ProvidedResource p;
    p.physical_id = prop_string(config, "FunctionName");
    p.attributes = json::Value::object({{"Arn", json::Value(prop_string(config, "FunctionArn"))}});
    return p;
  }

  functions::FunctionsService& fn_;
};

}  // namespace

ProviderPtr lambda_function_provider(functions::FunctionsService& functions) {
  return std::make_shared<FunctionProvider>(functions);
}

}  // namespace signoff::deploy
