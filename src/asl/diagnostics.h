// Definition validation results, in the shape of ValidateStateMachineDefinition's diagnostics.
#pragma once

#include <string>
#include <vector>

namespace signoff::asl {

struct Diagnostic {
  std::string severity = "ERROR";  // ERROR or WARNING
  std::string code;                // SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, ...
  std::string message;             // AWS's text, without the location
  std::string location;            // JSON pointer into the definition, e.g. /States/Check/Next
};

using Diagnostics = std::vector<Diagnostic>;

inline void add_schema_error(Diagnostics& d, std::string message, std::string location) {
  d.push_back(
      Diagnostic{"ERROR", "SCHEMA_VALIDATION_FAILED", std::move(message), std::move(location)});
}

}  // namespace signoff::asl
