// What a target receives: the matched event, a constant Input, the part InputPath selects, or an
// InputTransformer's template filled from InputPathsMap. Pure.
//
// Template quoting follows EventBridge: when the template is JSON, a placeholder outside quotes
// becomes the value's JSON text (a string gains quotes, a missing value is null) and one inside
// quotes becomes the value escaped for a JSON string (a string without its quotes); when the
// template is not JSON it is plain text and values are inserted as they are.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"

namespace signoff::bus {

struct InputTransformer {
  std::vector<std::pair<std::string, std::string>> paths;  // InputPathsMap, in order
  std::string input_template;
};

struct TargetInput {
  std::optional<std::string> input;       // constant JSON text
  std::optional<std::string> input_path;  // JSONPath into the event
  std::optional<InputTransformer> transformer;
};

// What the predefined placeholders <aws.events.rule-arn>, <aws.events.rule-name> and
// <aws.events.event.ingestion-time> stand for.
struct TransformContext {
  std::string rule_arn;
  std::string rule_name;
  std::string ingestion_time;  // ISO 8601, as the event's time
};

// "" when valid, else the reason (PutTargets reports it as a ValidationException).
std::string check_input_path(const std::string& path);
std::string check_input_transformer(const InputTransformer& t);

// The text delivered to the target.
std::string render_input(const TargetInput& in, const json::Value& event,
                         const std::string& event_text, const TransformContext& ctx);

// Just the template step (exposed for tests).
std::string render_template(const InputTransformer& t, const json::Value& event,
                            const std::string& event_text, const TransformContext& ctx);

}  // namespace signoff::bus
