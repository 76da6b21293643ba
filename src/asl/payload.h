// Payload templates: Parameters, ResultSelector, ItemSelector and (JSONPath-mode) Assign. Keys
// ending in `.$` take their value from a JSONPath or an intrinsic call; everything else is copied.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "asl/diagnostics.h"
#include "asl/entropy.h"
#include "asl/jsonpath.h"
#include "asl/outcome.h"
#include "common/json.h"

namespace signoff::asl {

class PayloadTemplate {
 public:
  // Compiles `tmpl` (any JSON value; objects are walked recursively). Invalid `.$` values add
  // AWS's SCHEMA_VALIDATION_FAILED diagnostics with locations under `location` (for example
  // "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function
  // call" at /States/X/Parameters) and give nullopt.
  static std::optional<PayloadTemplate> compile(const json::Value& tmpl, std::string_view location,
                                                Diagnostics& diagnostics);

  // Builds the payload. A path that selects nothing fails with States.Runtime and AWS's detail:
  // "The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '{...}'"
  // (the input serialized compactly).
  Outcome<json::Value> eval(const PathRoots& roots, Entropy& entropy) const;

  // True when the template has no `.$` field anywhere (the result is a constant).
  bool is_constant() const;

  PayloadTemplate(const PayloadTemplate&);
  PayloadTemplate(PayloadTemplate&&) noexcept;
  PayloadTemplate& operator=(const PayloadTemplate&);
  PayloadTemplate& operator=(PayloadTemplate&&) noexcept;
  ~PayloadTemplate();

  struct Impl;

 private:
  explicit PayloadTemplate(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace signoff::asl
