// Data-driven template engine cases (template_cases.yaml): each case is a template, parameter
// values, and either the error CloudFormation reports or what the template evaluates to —
// resource properties (with fake created resources: Ref X is "X-id", GetAtt X.A is "X.A"),
// creation order, conditions and outputs.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "deploy/template/template.h"

namespace signoff::deploy::tmpl {
namespace {

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Case {
  std::string name;
  json::Value spec;
};

std::vector<Case> load_cases() {
  auto all = parse_text(read_file(TEMPLATE_CASES_FILE));
  std::vector<Case> cases;
  if (!all.ok() || !all->is_array()) {
    ADD_FAILURE() << "cannot read cases: " << all.error;
    return cases;
  }
  for (const json::Value& c : all->as_array()) {
    cases.push_back({std::string(c.find("name")->as_string()), c});
  }
  return cases;
}

std::string str(const json::Value* v) {
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

// Runs one case; returns the first error from parse, parameters, conditions or evaluation.
std::string run(const json::Value& spec, json::Value& result) {
  auto t = parse_template(str(spec.find("template")));
  if (!t.ok()) {
    return t.error;
  }
  ParameterValues given;
  if (const json::Value* p = spec.find("params")) {
    for (const json::Member& m : p->as_object()) {
      given[m.key] = m.value.is_string() ? std::string(m.value.as_string()) : json::dump(m.value);
    }
  }
  auto params = resolve_parameters(*t, given);
  if (!params.ok()) {
    return params.error;
  }
  Scope scope;
  scope.tmpl = &*t;
  scope.params = &*params;
  scope.pseudo.stack_name = "teststack";
  scope.pseudo.stack_id = "arn:aws:cloudformation:us-east-1:000000000000:stack/teststack/0000";
  scope.resources.ref = [](const std::string& id) -> std::optional<std::string> {
    return id + "-id";
  };
  scope.resources.attribute = [](const std::string& id,
                                 const std::string& a) -> std::optional<json::Value> {
    if (a == "Missing") {
      return std::nullopt;
    }
    return json::Value(id + "." + a);
  };
  scope.import_value = [](const std::string& name) -> std::optional<std::string> {
    if (name == "shared-vpc") {
      return std::string("vpc-123");
    }
    return std::nullopt;
  };
  auto conditions = evaluate_conditions(scope);
  if (!conditions.ok()) {
    return conditions.error;
  }
  scope.conditions = &*conditions;
  json::Value props = json::Value::object();
  for (const ResourceDecl& r : t->resources) {
    if (!is_enabled(r.condition, scope)) {
      continue;
    }
    auto v = evaluate(r.properties, scope);
    if (!v.ok()) {
      return v.error;
    }
    props.set(r.logical_id, *v);
  }
  json::Value outputs = json::Value::object();
  for (const OutputDecl& o : t->outputs) {
    if (!is_enabled(o.condition, scope)) {
      continue;
    }
    auto v = evaluate(o.value, scope);
    if (!v.ok()) {
      return v.error;
    }
    outputs.set(o.name, *v);
  }
  json::Value conds = json::Value::object();
  for (const auto& [k, v] : *conditions) {
    conds.set(k, json::Value(v));
  }
  std::vector<json::Value> order;
  for (const std::string& id : t->creation_order()) {
    order.push_back(json::Value(id));
  }
  result = json::Value::object({{"properties", props},
                                {"outputs", outputs},
                                {"conditions", conds},
                                {"order", json::Value::array(std::move(order))}});
  return {};
}

TEST(TemplateCases, All) {
  auto cases = load_cases();
  ASSERT_GT(cases.size(), 30u);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    json::Value result;
    std::string error = run(c.spec, result);
    if (const json::Value* want = c.spec.find("error")) {
      EXPECT_EQ(error, want->as_string()) << c.name;
      continue;
    }
    ASSERT_EQ(error, "") << c.name;
    for (const char* key : {"properties", "outputs", "conditions", "order"}) {
      if (const json::Value* want = c.spec.find(key)) {
        EXPECT_EQ(json::dump(*result.find(key)), json::dump(*want)) << c.name << " " << key;
      }
    }
  }
}

}  // namespace
}  // namespace signoff::deploy::tmpl
