// Choice state rules (JSONPath mode): comparison operators, their ...Path variants, Is* tests,
// StringMatches, And/Or/Not.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "asl/diagnostics.h"
#include "asl/jsonpath.h"
#include "asl/outcome.h"
#include "common/json.h"

namespace signoff::asl {

class Condition {
 public:
  // Compiles one rule object. For a top-level rule (an element of Choices) `top_level` is true and
  // the keys Next, Assign and Comment are allowed (and otherwise ignored here); nested rules
  // (inside And/Or/Not) must not have Next. Problems add AWS's diagnostics at `location` (for
  // example /States/Check/Choices/0) and give nullopt.
  static std::optional<Condition> compile(const json::Value& rule, std::string_view location,
                                          bool top_level, Diagnostics& diagnostics);

  // Evaluates the rule against the state's input. Failures (a Variable path that selects nothing
  // where AWS fails, ...) carry AWS's error and cause detail.
  Outcome<bool> evaluate(const PathRoots& roots) const;

  Condition(const Condition&);
  Condition(Condition&&) noexcept;
  Condition& operator=(const Condition&);
  Condition& operator=(Condition&&) noexcept;
  ~Condition();

  struct Impl;

 private:
  explicit Condition(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace signoff::asl
