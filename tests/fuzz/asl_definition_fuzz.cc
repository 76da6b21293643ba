// Parses and validates arbitrary bytes as a state machine definition; when valid, runs it in memory
// with an input derived from the same bytes. The invariant: no crash, no sanitizer report, no hang
// (virtual time is bounded and every task fails fast).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "asl/definition.h"
#include "asl/local_run.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  asl::ParsedDefinition parsed = asl::parse_definition_text(text);
  (void)asl::invalid_definition_message(parsed.diagnostics);
  if (!parsed.program) {
    return 0;
  }
  asl::ExecutionInfo info;
  info.input = json::parse(R"({"a": 1, "b": [1, 2, "x"], "c": {"d": "e"}})").value;
  asl::LocalRunOptions options;
  options.max_virtual_seconds = 3600;
  asl::TaskHandler fail = [](const asl::RunTaskCommand&) -> std::optional<asl::TaskAnswer> {
    return asl::TaskAnswer{false, json::Value(), "Fuzz.Error", "fuzz"};
  };
  (void)asl::run_local(parsed.program, info, fail, options);
  return 0;
}
