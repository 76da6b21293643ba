// The States.* intrinsic functions of JSONPath-mode ASL (States.Format, States.MathAdd, ...).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "asl/entropy.h"
#include "asl/jsonpath.h"
#include "asl/outcome.h"
#include "common/json.h"

namespace signoff::asl {

// True when a `.$` value is an intrinsic call rather than a path (it starts with "States.").
bool is_intrinsic_call(std::string_view text);

class Intrinsic {
 public:
  // Parses a call such as States.Format('{} {}', $.a, States.Array(1, 2)). Unknown functions,
  // wrong argument counts known at compile time and syntax errors give nullopt and *error.
  static std::optional<Intrinsic> compile(std::string_view text, std::string* error);

  const std::string& text() const;

  // Evaluates the call. Failures carry AWS's error name and cause detail (without the
  // "An error occurred while executing the state" prefix, which the interpreter adds).
  Outcome<json::Value> eval(const PathRoots& roots, Entropy& entropy) const;
  // The same, naming the field that holds the call in the "could not be found" message of a path
  // argument that selects nothing, e.g. field "value.$" or "CausePath":
  // "The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '{}'".
  // The two-argument form leaves out "specified for the field '...'".
  Outcome<json::Value> eval(const PathRoots& roots, Entropy& entropy, std::string_view field) const;

  Intrinsic(const Intrinsic&);
  Intrinsic(Intrinsic&&) noexcept;
  Intrinsic& operator=(const Intrinsic&);
  Intrinsic& operator=(Intrinsic&&) noexcept;
  ~Intrinsic();

  struct Impl;

 private:
  explicit Intrinsic(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace signoff::asl
