// Fuzzes SSM document parsing (JSON and YAML detection, schema checks, parameter declarations,
// step options) and, for documents that parse, parameter typing and input interpolation: every
// outcome must be a value, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "automation/document.h"
#include "automation/interpolate.h"
#include "automation/parameters.h"
#include "automation/yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff::automation;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (std::string_view format : {"", "JSON", "YAML"}) {
    auto doc = parse_document(text, format);
    if (!doc.ok()) {
      if (doc.error().type.empty()) {
        __builtin_trap();  // every error names an AWS error type
      }
      continue;
    }
    if (doc->steps.empty()) {
      __builtin_trap();  // a valid document has steps
    }
    WireParameters given;
    for (const ParameterDef& p : doc->parameters) {
      given[p.name] = {"1"};
    }
    auto params = resolve_parameters(*doc, given);
    Variables vars;
    if (params.ok()) {
      vars.parameters = params->typed;
    }
    for (const StepDef& s : doc->steps) {
      (void)interpolate(s.inputs, vars);
    }
    (void)to_yaml(doc->content);
  }
  return 0;
}
