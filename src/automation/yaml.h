// YAML text <-> JSON values, for SSM documents written in either format. Plain scalars resolve
// as YAML 1.2's core schema does (null, true/false, integers, floats, else strings); quoted
// scalars always stay strings, so `schemaVersion: '0.3'` is the string "0.3".
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"

namespace signoff::automation {

// Errors: InvalidDocumentContent with the parser's line and column.
Result<json::Value> parse_yaml(std::string_view text);
// Block-style YAML for GetDocument's format conversion.
std::string to_yaml(const json::Value& value);

}  // namespace signoff::automation
