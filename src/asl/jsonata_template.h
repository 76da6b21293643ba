// JSONata-mode field values: any JSON value in which a string "{% expr %}" (at any depth) is a
// JSONata expression and everything else is literal. Compiled once when the definition is parsed;
// evaluated with the state's $states binding and the variables in scope.
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
#include "jsonata/jsonata.h"

namespace signoff::asl {

inline constexpr std::string_view kQueryEvaluationError = "States.QueryEvaluationError";

// True for a string that is a JSONata expression: "{%" ... "%}" with nothing outside.
bool is_jsonata_expression(const json::Value& v);

// The outside world of an expression: the step's time ($now, $millis) and the execution's
// entropy ($random, $uuid), so a replay evaluates to the same values.
class StepHost final : public jsonata::Host {
 public:
  StepHost(int64_t now_nanos, Entropy* entropy) : now_nanos_(now_nanos), entropy_(entropy) {}
  int64_t now_millis() override { return now_nanos_ / 1'000'000; }
  double random() override;
  uint64_t next_u64();

 private:
  int64_t now_nanos_;
  Entropy* entropy_;
  uint64_t fallback_ = 0x5eed;
};

// What an expression can read: $states.input/result/errorOutput/context and variables.
struct JsonataRoots {
  const json::Value* input = nullptr;
  const json::Value* result = nullptr;        // Task, Parallel, Map: the state's result
  const json::Value* error_output = nullptr;  // a Catch clause: {"Error", "Cause"}
  const json::Value* context = nullptr;       // the context object, when the field reads it
  const VariableLookup* variables = nullptr;
  jsonata::Host* host = nullptr;  // $now, $millis, $random, $uuid
};

// The library of JSONata functions Step Functions offers: the built-ins without $eval, plus
// $partition, $range, $hash, $random (optionally seeded), $uuid and $parse.
const jsonata::Library& step_functions_library();

class JsonataTemplate {
 public:
  // Compiles `value`, the content of field `field` (AWS's name for it in messages, e.g. "Output"
  // or "Choices[0]/Condition"). An expression that does not parse adds an
  // INVALID_JSONATA_EXPRESSION diagnostic at `location` (the JSON pointer of the field).
  static std::optional<JsonataTemplate> compile(const json::Value& value, std::string field,
                                                std::string_view location,
                                                Diagnostics& diagnostics);

  // Builds the value. Failures are States.QueryEvaluationError with AWS's cause (without the
  // interpreter's "An error occurred while executing the state" prefix); *failed_field names
  // the field (or nested field, e.g. "Output/result") whose expression failed.
  Outcome<json::Value> eval(const JsonataRoots& roots, std::string* failed_field) const;

  // The whole value is one expression: its text (between the delimiters, trimmed), else null.
  const std::string* expression_text() const;
  const std::string& field() const;

  JsonataTemplate(const JsonataTemplate&);
  JsonataTemplate(JsonataTemplate&&) noexcept;
  JsonataTemplate& operator=(const JsonataTemplate&);
  JsonataTemplate& operator=(JsonataTemplate&&) noexcept;
  ~JsonataTemplate();

  struct Impl;

 private:
  explicit JsonataTemplate(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// AWS's name for a JSON value's type in "Expected 'array', but was 'object'" messages.
std::string_view jsonata_type_name(const json::Value& v);

}  // namespace signoff::asl
