// Parses arbitrary text as a CloudFormation template (YAML or JSON) and, when it parses,
// resolves its parameters with defaults, evaluates its conditions, every resource's properties
// and every output against fake created resources, then the dynamic references in them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "deploy/template/template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff::deploy::tmpl;
  if (size > 64 * 1024) {
    return 0;
  }
  auto t = parse_template(std::string(reinterpret_cast<const char*>(data), size));
  if (!t.ok()) {
    return 0;
  }
  (void)t->creation_order();
  auto params = resolve_parameters(*t, {});
  if (!params.ok()) {
    return 0;
  }
  Scope scope;
  scope.tmpl = &*t;
  scope.params = &*params;
  scope.resources.ref = [](const std::string& id) -> std::optional<std::string> {
    return id;
  };
  scope.resources.attribute = [](const std::string& id,
                                 const std::string& a) -> std::optional<signoff::json::Value> {
    return signoff::json::Value(id + "." + a);
  };
  scope.import_value = [](const std::string& n) -> std::optional<std::string> {
    return n;
  };
  auto conditions = evaluate_conditions(scope);
  if (!conditions.ok()) {
    return 0;
  }
  scope.conditions = &*conditions;
  for (const ResourceDecl& r : t->resources) {
    if (is_enabled(r.condition, scope)) {
      auto props = evaluate(r.properties, scope);
      if (props.ok()) {
        (void)resolve_dynamic_references(*props, [](std::string_view, std::string_view key) {
          return Outcome<std::string>{std::string(key), ""};
        });
      }
    }
  }
  for (const OutputDecl& o : t->outputs) {
    (void)evaluate(o.value, scope);
    (void)evaluate(o.export_name, scope);
  }
  return 0;
}
