// Fuzzes Parameter Store's name rules (PutParameter's Name, any bytes a client sends): every
// outcome is a value with an AWS error type, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "automation/parameter_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string name(reinterpret_cast<const char*>(data), size);
  auto e = signoff::automation::check_parameter_name(name);
  if (e && e->type.empty()) {
    __builtin_trap();  // every refusal names an AWS error type
  }
  if (!e && (name.empty() || name.size() > 2048)) {
    __builtin_trap();  // the length bounds always hold for an accepted name
  }
  return 0;
}
