// The SSM Automation document model (schemaVersion 0.3): parameters and mainSteps, parsed once
// from JSON or YAML content and validated with the errors CreateDocument/UpdateDocument return.
// Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace signoff::automation {

struct ParameterDef {
  std::string name;
  std::string type;  // String | StringList | Integer | Boolean | StringMap | MapList | AWS::...
  std::string description;
  std::optional<json::Value> default_value;
  std::vector<json::Value> allowed_values;
  std::string allowed_pattern;
  std::optional<int64_t> min_items;
  std::optional<int64_t> max_items;
  std::optional<int64_t> min_chars;
  std::optional<int64_t> max_chars;
};

struct StepDef {
  std::string name;
  std::string action;
  json::Value inputs;                // object; unresolved ({{ }} left in)
  int64_t timeout_seconds = 0;       // 0: the action's default
  std::string on_failure = "Abort";  // Abort | Continue | step:<name>
  std::string on_cancel = "Abort";   // Abort | step:<name>
  std::string next_step;
  bool is_end = false;
  int64_t max_attempts = 1;
  bool is_critical = true;
  std::vector<json::Value> outputs;  // [{Name, Selector, Type}]
};

struct Document {
  std::string schema_version;
  std::string description;
  std::string assume_role;  // may hold {{ }}
  std::vector<ParameterDef> parameters;
  std::vector<StepDef> steps;
  std::vector<std::string> outputs;  // "step.Output"
  json::Value content;               // the whole parsed document

  const StepDef* step(std::string_view name) const;
  int step_index(std::string_view name) const;  // -1 when absent
  const ParameterDef* parameter(std::string_view name) const;
};

// Actions Automation defines; CreateDocument accepts any of them, the runner implements a subset.
bool known_action(std::string_view action);
bool implemented_action(std::string_view action);

// Parses content in `format` ("JSON", "YAML"; "" detects: JSON when it parses as JSON) and
// validates it. Errors: InvalidDocumentContent, InvalidDocumentSchemaVersion.
Result<Document> parse_document(std::string_view content, std::string_view format);
// Only the parsing step, for GetDocument's conversions.
Result<json::Value> parse_content(std::string_view content, std::string_view format);

// Name rules shared by documents and version names.
bool valid_document_name(std::string_view name);
bool reserved_document_name(std::string_view name);  // aws-, amazon, amzn prefixes
bool valid_version_name(std::string_view name);

}  // namespace signoff::automation
