// PURE: regular expressions in the ECMAScript dialect (JSONata's $match/$replace/$split/$contains,
// SSM parameters' allowedPattern, CloudFormation parameters' AllowedPattern), safe on hostile
// input: patterns compile to a small program run by a backtracking VM with an explicit stack and a
// step budget, so neither a long text nor a pathological pattern can exhaust the native stack or
// run unbounded (std::regex does both).
//
//   auto re = regex::compile("^v[0-9]+$", "i");
//   if (!re.ok()) return re.error();               // SyntaxError
//   regex::Match m;
//   if ((*re)->search(text, 0, m) == regex::Search::Found) use(text.substr(m.start, m.end -
//   m.start));
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace signoff::regex {

// Byte offsets into the searched text.
struct Match {
  size_t start = 0;
  size_t end = 0;
  std::vector<std::optional<std::pair<size_t, size_t>>> groups;  // capture groups 1..N
};

enum class Search { Found, NotFound, StepLimit };

class Regex {
 public:
  virtual ~Regex() = default;
  // The leftmost match starting at or after byte offset `from`. Not re-entrant per thread
  // (it reuses per-thread buffers), but thread-safe across threads.
  virtual Search search(std::string_view text, size_t from, Match& m) const = 0;
  virtual size_t group_count() const = 0;
};

// Flags: "i" (case-insensitive), "m" (multiline anchors). Supported: alternation, groups
// (capturing, (?:), named), lookahead, greedy/lazy quantifiers incl. {n,m}, classes with ranges
// and \d\w\s, anchors, \b \B, backreferences. Error type "SyntaxError" for a malformed pattern.
Result<std::shared_ptr<const Regex>> compile(std::string_view pattern, std::string_view flags);

// Whether the whole text matches (as CloudFormation's AllowedPattern and java.util.regex's
// matches()), and whether some part does (as JavaScript's test()). Errors: "SyntaxError",
// "StepLimit".
Result<bool> matches_whole(std::string_view pattern, std::string_view text);
Result<bool> contains_match(std::string_view pattern, std::string_view text);

}  // namespace signoff::regex
