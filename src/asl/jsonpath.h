// JSONPath as Step Functions evaluates it (Jayway JsonPath semantics), for InputPath, OutputPath,
// ResultPath, `.$` payload fields, Choice Variable/...Path fields and intrinsic arguments.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"

namespace signoff::asl {

// Variables visible to a state (JSONPath-mode `$name` references, set by Assign).
class VariableLookup {
 public:
  virtual ~VariableLookup() = default;
  // The variable's value, or nullptr when no such variable is in scope.
  virtual const json::Value* lookup(std::string_view name) const = 0;
};

// What a path can start from: `$` the state's input (or effective input), `$$` the context object,
// `$name` a variable.
struct PathRoots {
  const json::Value* input = nullptr;
  const json::Value* context = nullptr;
  const VariableLookup* variables = nullptr;
};

class JsonPath {
 public:
  enum class Root { Input, Context, Variable };

  // Parses a path. On failure returns nullopt and sets *error to a description of the problem.
  static std::optional<JsonPath> compile(std::string_view text, std::string* error);

  const std::string& text() const;
  Root root() const;
  // For Root::Variable: the variable's name (without `$`).
  const std::string& variable() const;
  // A reference path: only field names and array indexes, so it selects at most one value and
  // can be used as a ResultPath.
  bool is_reference_path() const;
  // A definite path selects at most one value; an indefinite one (wildcards, filters, slices,
  // unions, deep scan) selects a list.
  bool is_definite() const;
  // Jayway's normalized form, e.g. $['a']['b'][0], used in AWS error messages.
  std::string normalized() const;

  // Definite paths: the selected value, or nullopt when it does not exist.
  // Indefinite paths: an array of the matches (possibly empty, never nullopt).
  std::optional<json::Value> select(const PathRoots& roots) const;

  JsonPath(const JsonPath&);
  JsonPath(JsonPath&&) noexcept;
  JsonPath& operator=(const JsonPath&);
  JsonPath& operator=(JsonPath&&) noexcept;
  ~JsonPath();

  struct Impl;
  // The compiled form (defined in asl/jsonpath_internal.h).
  const Impl& impl() const { return *impl_; }

 private:
  explicit JsonPath(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// ResultPath: `doc` with `value` placed at the reference path `path` (root Input), creating
// intermediate objects as needed. `$` replaces the whole document. Returns nullopt with *error set
// when the path goes through a value that is not an object (or an index outside an array). AWS
// then fails with States.ReferencePathConflict and the detail *error holds, e.g.
// `Unable to apply step "b" to input {"a":"str"}` (the whole document, compact).
std::optional<json::Value> assign_at(json::Value doc, const JsonPath& path, json::Value value,
                                     std::string* error);

}  // namespace signoff::asl
