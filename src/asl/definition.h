// The state machine as an immutable program: parsed and validated once, then shared by every
// execution of that machine version. States refer to each other by index, not by name, so the
// interpreter never looks a name up on the hot path.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asl/choice.h"
#include "asl/diagnostics.h"
#include "asl/intrinsics.h"
#include "asl/jsonata_template.h"
#include "asl/jsonpath.h"
#include "asl/payload.h"
#include "common/json.h"

namespace signoff::asl {

enum class StateType : uint8_t { Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map };
std::string_view state_type_name(StateType t);

enum class QueryLanguage : uint8_t { JsonPath, Jsonata };

inline constexpr uint32_t kNoState = UINT32_MAX;

// A JSONPath-mode path field that may be absent, `null` (discard) or a path.
struct OptionalPath {
  bool present = false;  // the field was given
  bool is_null = false;  // given as null
  std::optional<JsonPath> path;
};

struct Retrier {
  std::vector<std::string> errors;
  double interval_seconds = 1;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_seconds;
  bool full_jitter = false;
};

struct Catcher {
  std::vector<std::string> errors;
  uint32_t next = kNoState;
  OptionalPath result_path;
  std::optional<PayloadTemplate> assign;
  std::optional<JsonataTemplate> jsonata_output;  // JSONata mode
  std::optional<JsonataTemplate> jsonata_assign;
};

struct ChoiceBranch {
  std::optional<Condition> condition;  // JSONPath mode
  std::optional<JsonataTemplate> jsonata_condition;
  uint32_t next = kNoState;
  std::optional<PayloadTemplate> assign;
  std::optional<JsonataTemplate> jsonata_assign;
  std::optional<JsonataTemplate> jsonata_output;
};

struct Program;

struct State {
  std::string name;
  StateType type = StateType::Pass;
  QueryLanguage query_language = QueryLanguage::JsonPath;
  uint32_t next = kNoState;
  bool end = false;
  bool uses_context = false;  // some field of this state reads $$ (context object built lazily)
  std::string location;       // /States/<name> (for messages)

  // Data flow (JSONPath mode).
  OptionalPath input_path;
  OptionalPath output_path;
  OptionalPath result_path;
  std::optional<PayloadTemplate> parameters;
  std::optional<PayloadTemplate> result_selector;
  std::optional<PayloadTemplate> assign;
  bool has_result = false;
  json::Value result;  // Pass Result

  // Data flow (JSONata mode), compiled once.
  std::optional<JsonataTemplate> jsonata_arguments;
  std::optional<JsonataTemplate> jsonata_output;
  std::optional<JsonataTemplate> jsonata_assign;

  // Task.
  std::string resource;
  std::string resource_type;  // history's resourceType, e.g. "lambda"
  std::string resource_name;  // history's resource, e.g. "invoke.waitForTaskToken"
  bool wait_for_token = false;
  std::optional<int64_t> timeout_seconds;
  std::optional<JsonPath> timeout_seconds_path;
  std::optional<int64_t> heartbeat_seconds;
  std::optional<JsonPath> heartbeat_seconds_path;
  json::Value credentials;

  // Choice.
  std::vector<ChoiceBranch> choices;
  uint32_t default_next = kNoState;

  // Wait.
  std::optional<int64_t> seconds;
  std::optional<JsonPath> seconds_path;
  std::optional<std::string> timestamp;
  std::optional<JsonPath> timestamp_path;
  std::optional<JsonataTemplate> jsonata_seconds;  // JSONata: an expression
  std::optional<JsonataTemplate> jsonata_timestamp;

  // Fail.
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<JsonPath> error_path;
  std::optional<JsonPath> cause_path;
  std::optional<Intrinsic> error_intrinsic;
  std::optional<Intrinsic> cause_intrinsic;
  std::optional<JsonataTemplate> jsonata_error;  // JSONata: literal or expression
  std::optional<JsonataTemplate> jsonata_cause;

  // Parallel branches and Map item processor.
  std::vector<std::shared_ptr<const Program>> branches;
  std::shared_ptr<const Program> processor;
  std::optional<JsonPath> items_path;
  std::optional<JsonataTemplate> jsonata_items;
  std::optional<PayloadTemplate> item_selector;
  std::optional<JsonataTemplate> jsonata_item_selector;
  std::optional<JsonataTemplate> jsonata_max_concurrency;
  std::optional<JsonataTemplate> jsonata_tolerated_count;
  std::optional<JsonataTemplate> jsonata_tolerated_percentage;
  std::optional<JsonataTemplate> jsonata_timeout_seconds;  // Task
  std::optional<JsonataTemplate> jsonata_heartbeat_seconds;
  int64_t max_concurrency = 0;
  std::optional<JsonPath> max_concurrency_path;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<JsonPath> tolerated_failure_count_path;
  std::optional<double> tolerated_failure_percentage;
  std::optional<JsonPath> tolerated_failure_percentage_path;
  bool distributed = false;
  json::Value item_reader;
  json::Value item_batcher;
  json::Value result_writer;
  std::string label;

  std::vector<Retrier> retriers;
  std::vector<Catcher> catchers;
};

// A state machine, or a Parallel branch / Map item processor inside one.
struct Program {
  uint32_t start = 0;
  std::vector<State> states;
  QueryLanguage query_language = QueryLanguage::JsonPath;
  std::optional<int64_t> timeout_seconds;  // top level only
  std::string comment;

  uint32_t find(std::string_view name) const;
};

struct ParseOptions {
  bool express = false;  // EXPRESS machines refuse .sync and .waitForTaskToken integrations
};

struct ParsedDefinition {
  std::shared_ptr<const Program> program;  // null when diagnostics has an ERROR
  Diagnostics diagnostics;
};

// Parses and validates a definition text the way CreateStateMachine and
// ValidateStateMachineDefinition do.
ParsedDefinition parse_definition_text(std::string_view text, const ParseOptions& options = {});
ParsedDefinition parse_definition(const json::Value& definition, const ParseOptions& options = {});

// The text AWS puts in InvalidDefinition's message for these diagnostics:
// "Invalid State Machine Definition: 'CODE: message at /location'" (several joined with ", ").
std::string invalid_definition_message(const Diagnostics& diagnostics);

}  // namespace signoff::asl
