// What a piece of template refers to (resources, parameters, conditions), and Fn::Sub's string
// syntax, shared by the structure checks and the evaluator.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace signoff::deploy::tmpl {

bool is_pseudo_parameter(std::string_view name);

struct Names {
  std::function<bool(std::string_view)> is_resource;
  std::function<bool(std::string_view)> is_parameter;  // template parameters and pseudo ones
  std::function<bool(std::string_view)> is_condition;
};

struct References {
  std::vector<std::string> resources;   // resources named by Ref, GetAtt, Sub (unique, in order)
  std::vector<std::string> unresolved;  // names that are neither resource nor parameter
  std::string error;                    // the first malformed use or unknown GetAtt/condition
};

void collect_references(const json::Value& value, const Names& names, References& out);

// "a ${X} b ${!Lit} ${Y.Arn}" → literal "a ", var "X", literal " b ${Lit} ", var "Y.Arn".
struct SubPart {
  bool is_var = false;
  std::string text;
};
std::vector<SubPart> parse_sub(std::string_view s);

}  // namespace signoff::deploy::tmpl
