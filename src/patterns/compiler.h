// Pattern text -> the flat form the automaton is built from.
//
// An EventBridge pattern is a JSON object whose leaves are arrays of alternatives. The compiler
// follows event-ruler's streaming JsonRuleCompiler closely, because AWS's error messages (and which
// error wins when a pattern has several) come from the order it reads tokens in: a pattern is read
// token by token and checked as it goes. "$or" forks the fields gathered so far into several
// sub-rules; a field repeated in one sub-rule keeps its last value, as on AWS.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/values.h"

namespace signoff::patterns {

enum class CondKind : uint8_t {
  ExactString,  // text
  ExactNumber,  // text (as written), number valid when comparable
  ExactNull,
  ExactTrue,
  ExactFalse,
  Prefix,       // text
  PrefixFold,   // text, case-folded
  Suffix,       // text
  SuffixFold,   // text, case-folded
  EqualsFold,   // text, case-folded
  Wildcard,     // text (raw pattern, escapes kept)
  Numeric,      // range
  Exists,       // matches any leaf value
  Absent,       // exists: false
  Cidr,         // cidr (also exact strings that are IP literals)
  ButStrings,   // strings
  ButNumbers,   // numbers
  ButPrefix,    // strings
  ButSuffix,    // strings
  ButFold,      // strings, case-folded
  ButWildcard,  // strings (raw patterns)
};

struct NumericRange {
  bool has_low = false;
  bool low_open = false;
  int64_t low = 0;
  bool has_high = false;
  bool high_open = false;
  int64_t high = 0;
};

struct Cond {
  CondKind kind = CondKind::ExactNull;
  std::string text;
  bool comparable = false;
  int64_t number = 0;
  NumericRange range;
  CidrBlock cidr;
  std::vector<std::string> strings;
  std::vector<int64_t> numbers;
};

struct Field {
  std::string path;                   // dot-joined, as AWS names fields
  std::vector<std::string> segments;  // path split at every '.'
  std::vector<Cond> conds;            // alternatives (OR)
};

// All fields must match (AND).
struct SubRule {
  std::vector<Field> fields;
};

// A rule matches when any sub-rule does.
struct CompiledPattern {
  std::vector<SubRule> subrules;
};

struct CompileResult {
  CompiledPattern pattern;
  std::string error;  // AWS's reason text (without "Event pattern is not valid. Reason: ")
  bool ok() const { return error.empty(); }
};

// Bounds that keep hostile patterns from costing unbounded time or memory.
inline constexpr size_t kMaxPatternBytes = 64 * 1024;
inline constexpr int kMaxPatternDepth = 64;
inline constexpr size_t kMaxSubRules = 256;

CompileResult compile_pattern(std::string_view json);

// Splits a path or an event key at '.', the way AWS joins nested names.
std::vector<std::string> split_path(std::string_view path);

}  // namespace signoff::patterns
