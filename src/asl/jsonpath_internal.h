// Compiled form of a JSONPath, shared by jsonpath.cc and its tests. Not part of the public API.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asl/jsonpath.h"
#include "common/json.h"

namespace signoff::asl::jsonpath_detail {

// Where a path starts. Current is `@` inside a filter.
enum class Origin : uint8_t { Input, Context, Variable, Current };

enum class StepKind : uint8_t {
  Field,       // .name or ['name']
  Index,       // [3] or [-1]
  Wildcard,    // .* or [*]
  Slice,       // [a:b]
  IndexUnion,  // [0,2]
  FieldUnion,  // ['a','b']
  Filter,      // [?(...)]
  Function,    // .length()
};

enum class FunctionKind : uint8_t { Length, Min, Max, Avg, Sum, Stddev, Keys, First, Last };

enum class CompareOp : uint8_t {
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,
  Nin,
  SubsetOf,
  AnyOf,
  NoneOf,
  Size,
  Empty,
  Contains
};

struct FilterExpr;
struct PathCore;

struct Step {
  StepKind kind = StepKind::Field;
  bool deep = false;  // preceded by `..`
  FunctionKind function = FunctionKind::Length;
  int64_t index = 0;
  std::optional<int64_t> from;
  std::optional<int64_t> to;
  std::string name;  // Field name, Function name
  std::vector<int64_t> indexes;
  std::vector<std::string> names;
  std::shared_ptr<const FilterExpr> filter;
};

struct PathCore {
  Origin origin = Origin::Input;
  std::string variable;
  std::vector<Step> steps;
  bool definite = true;
  bool reference = true;  // only fields and non-negative indexes
  bool simple = true;     // only fields and indexes, no deep scan: pointer walk
  bool function_over_matches = false;
};

enum class OperandKind : uint8_t { Literal, Path };

struct Operand {
  OperandKind kind = OperandKind::Literal;
  json::Value literal;
  std::shared_ptr<const PathCore> path;
};

enum class FilterKind : uint8_t { Or, And, Not, Exists, Compare };

struct FilterExpr {
  FilterKind kind = FilterKind::Exists;
  CompareOp op = CompareOp::Eq;
  Operand lhs;
  Operand rhs;
  std::vector<FilterExpr> children;
};

// Parses a path embedded in a larger text (starting at `start` on '$' or '@'); stops at the first
// character that cannot continue the path and reports it in *end.
bool parse_path_prefix(std::string_view text, size_t start, PathCore& out, size_t* end,
                       std::string* error);

std::optional<json::Value> select(const PathCore& path, const PathRoots& roots);

}  // namespace signoff::asl::jsonpath_detail

namespace signoff::asl {

struct JsonPath::Impl {
  std::string text;
  jsonpath_detail::PathCore core;
};

}  // namespace signoff::asl
