// CloudFormation templates: YAML (with the short-form tags) or JSON text → one model, parameters
// validated as CloudFormation validates them, conditions, mappings, intrinsic functions and the
// dependency graph between resources. PURE: no I/O, no clock; everything the evaluation needs
// (pseudo parameters, exports, values of resources already created) is passed in.
//
//   auto t = deploy::tmpl::parse_template(text);          // Template format errors
//   auto params = deploy::tmpl::resolve_parameters(*t, {{"Env", "prod"}}, {});
//   Scope scope{.tmpl = &*t, .params = &*params, .pseudo = pseudo, ...};
//   auto conditions = evaluate_conditions(scope);           // then scope.conditions = &*conditions
//   auto props = evaluate(resource.properties, scope);       // Ref/GetAtt through scope.resources
//
// Errors are values: a string with AWS's text ("Template format error: ...", "Template error:
// ...", "Parameters: [X] must have values", ...).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace signoff::deploy::tmpl {

// A value or AWS's message for why there is none.
template <typename T>
struct Outcome {
  std::optional<T> value;
  std::string error;
  bool ok() const { return value.has_value(); }
  T& operator*() { return *value; }
  const T& operator*() const { return *value; }
  T* operator->() { return &*value; }
  const T* operator->() const { return &*value; }
  static Outcome fail(std::string e) {
    Outcome o;
    o.error = std::move(e);
    return o;
  }
};

// Template text (YAML or JSON) as a JSON value; short-form tags become their long forms
// (!Ref x → {"Ref": "x"}, !GetAtt a.b → {"Fn::GetAtt": ["a", "b"]}, !If [...] → {"Fn::If": ...}).
// Plain YAML scalars become numbers/booleans/null only when that is what they spell exactly
// (so "000000000000" or "2012-10-17" stay strings).
Outcome<json::Value> parse_text(std::string_view text);

struct ParameterDecl {
  std::string name;
  std::string type;  // as written: String, Number, List<Number>, CommaDelimitedList, AWS::...
  std::optional<std::string> default_value;
  std::vector<std::string> allowed_values;
  std::optional<std::string> allowed_pattern;
  std::optional<int64_t> min_length, max_length;
  std::optional<double> min_value, max_value;
  bool no_echo = false;
  std::string description;
  std::string constraint_description;
  bool is_list() const;  // List<...> and CommaDelimitedList: Ref yields a list
};

struct ResourceDecl {
  std::string logical_id;
  std::string type;
  json::Value properties;               // object (empty when absent)
  std::vector<std::string> depends_on;  // explicit DependsOn
  std::string condition;                // "" when unconditional
  std::string deletion_policy;          // Delete (default) | Retain | Snapshot
  json::Value metadata;
  // Every resource this one needs (DependsOn ∪ Ref/GetAtt/Sub targets), sorted, unique.
  std::vector<std::string> dependencies;
};

struct OutputDecl {
  std::string name;
  json::Value value;
  std::string description;
  json::Value export_name;  // null when not exported
  std::string condition;
};

struct Template {
  json::Value root;
  std::string description;
  std::vector<ParameterDecl> parameters;                        // in template order
  json::Value mappings;                                         // object
  std::vector<std::pair<std::string, json::Value>> conditions;  // name → expression
  std::vector<ResourceDecl> resources;                          // in template order
  std::vector<OutputDecl> outputs;
  std::vector<std::string> transforms;

  const ResourceDecl* resource(std::string_view logical_id) const;
  const ParameterDecl* parameter(std::string_view name) const;
  // Resource logical ids so that each comes after everything it depends on (template order
  // among independent ones).
  std::vector<std::string> creation_order() const;
};

// Parses and checks the structure: top-level sections, every resource's Type, that every Ref,
// GetAtt, Sub variable, DependsOn and Condition names something, and that the resource graph has
// no cycle.
Outcome<Template> parse_template(std::string_view text);
Outcome<Template> build_template(const json::Value& root);

// Parameter values as given (ParameterKey → ParameterValue); UsePreviousValue is resolved by the
// caller into `given`. Values are checked against Type, AllowedValues, AllowedPattern, lengths
// and ranges with CloudFormation's messages.
using ParameterValues = std::map<std::string, std::string, std::less<>>;
Outcome<ParameterValues> resolve_parameters(const Template& t, const ParameterValues& given);

struct Pseudo {
  std::string account_id = "000000000000";
  std::string region = "us-east-1";
  std::string stack_name;
  std::string stack_id;
  std::string partition = "aws";
  std::string url_suffix = "amazonaws.com";
  std::vector<std::string> notification_arns;
};

// Values of resources already created: Ref (physical id or what the type returns for Ref) and
// GetAtt. nullopt: not (yet) known.
struct ResourceValues {
  std::function<std::optional<std::string>(const std::string& logical_id)> ref;
  std::function<std::optional<json::Value>(const std::string& logical_id,
                                           const std::string& attribute)>
      attribute;
};

struct Scope {
  const Template* tmpl = nullptr;
  const ParameterValues* params = nullptr;
  Pseudo pseudo;
  const std::map<std::string, bool, std::less<>>* conditions =
      nullptr;  // after evaluate_conditions
  ResourceValues resources;
  // Fn::ImportValue: export name → value; nullopt when no stack exports it.
  std::function<std::optional<std::string>(const std::string& name)> import_value;
};

// Conditions in dependency order (a condition may use another through Condition / Fn::If).
Outcome<std::map<std::string, bool, std::less<>>> evaluate_conditions(const Scope& scope);

// Resolves every intrinsic function in `value`. AWS::NoValue removes the object member or array
// element it stands in (and yields null at the top).
Outcome<json::Value> evaluate(const json::Value& value, const Scope& scope);

// Dynamic references ({{resolve:ssm:NAME}}, {{resolve:ssm:NAME:VERSION}}, ...): every one inside
// a string of `value` is replaced by lookup(service, key) ("ssm", "NAME:3"); the lookup's failure
// is the outcome. A malformed reference is an error; text without one is returned as it is.
using ReferenceLookup =
    std::function<Outcome<std::string>(std::string_view service, std::string_view key)>;
Outcome<json::Value> resolve_dynamic_references(const json::Value& value,
                                                const ReferenceLookup& lookup);

// Whether a resource / output exists once conditions are known.
bool is_enabled(const std::string& condition, const Scope& scope);

// A parameter value as Ref yields it: a list for list types, else the string.
json::Value parameter_ref_value(const ParameterDecl& decl, const std::string& value);

}  // namespace signoff::deploy::tmpl
