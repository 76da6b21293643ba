// Typed runtime parameters. StartAutomationExecution sends every value as a list of strings; the
// document's declared type decides what the value is (the seed's Integer MinRequiredApprovals
// arrives as ["1"]). Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "automation/document.h"
#include "common/json.h"
#include "common/result.h"

namespace signoff::automation {

using WireParameters = std::map<std::string, std::vector<std::string>>;

struct ResolvedParameters {
  json::Value typed;     // object: name -> typed value (String, list, int, bool, object, ...)
  WireParameters shown;  // what GetAutomationExecution reports: given values plus defaults
};

// Checks names, types, allowedValues/allowedPattern/minItems/maxItems/minChars/maxChars,
// applies defaults. Errors: InvalidAutomationExecutionParametersException. `assume_role` is the
// reserved AutomationAssumeRole value when the document does not declare it.
Result<ResolvedParameters> resolve_parameters(const Document& doc, const WireParameters& given);

// The typed value as the list of strings the wire shows (StringList items; JSON text for maps).
std::vector<std::string> wire_values(const json::Value& typed);

}  // namespace signoff::automation
