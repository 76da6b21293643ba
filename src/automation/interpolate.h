// `{{ Name }}` references in step inputs. A string that is exactly one reference takes the
// variable's typed value (so `Approvers: '{{Approvers}}'` becomes the StringList itself);
// references inside longer strings are replaced by the value's text. Variables: document
// parameters, `automation:EXECUTION_ID`, `automation:DOCUMENT_NAME`, `automation:DOCUMENT_VERSION`,
// the `global:` ones and step outputs (`stepName.OutputName`). Pure.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace signoff::automation {

struct Variables {
  json::Value parameters = json::Value::object();    // name -> typed value
  json::Value step_outputs = json::Value::object();  // "step.Output" -> typed value
  std::string execution_id;
  std::string document_name;
  std::string document_version;
  std::string account;
  std::string region;
  int64_t now_ms = 0;
};

// Errors (a reference to nothing) name the variable: "Variable X is not defined."
Result<json::Value> interpolate(const json::Value& value, const Variables& vars);
// Names referenced anywhere in value (for validation and tests).
std::vector<std::string> references(const json::Value& value);

}  // namespace signoff::automation
