// Fuzzes the query-response reader (XML to the SDK's JSON) and the SDK-shape conversions: the XML
// is Signoff's own output in practice, but a reader must not trust that. Input: XML text; when it
// is also JSON, the parameter flattening and key conversions run on it too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/protocol/sdk_shapes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto v = api::query_result_to_json(text); v && !v->is_object()) {
    __builtin_trap();
  }
  (void)api::query_error_of(text);
  auto parsed = json::parse(text);
  if (parsed.ok()) {
    (void)api::flatten_query_params(parsed.value);
    json::Value round = api::keys_to_camel(api::keys_to_pascal(parsed.value));
    (void)round;
  }
  return 0;
}
