// Fuzzes the JSON-protocol request decoder and the typed member reader: input is a request body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/aws_error.h"
#include "api/protocol/json_protocol.h"
#include "common/json.h"

namespace {

void read_members(const signoff::json::Value& object, int depth) {
  using namespace signoff::api;
  JsonReader in(object, "p");
  for (const auto& member : object.as_object()) {
    in.optional_string(member.key, {.min = 1, .max = 8});
    in.optional_int(member.key, {.min = -5, .max = 5});
    in.optional_bool(member.key);
    in.optional_string_list(member.key);
    in.optional_array(member.key);
    if (auto nested = in.optional_object(member.key); nested && depth < 4) {
      read_members(*nested, depth + 1);
    }
  }
  in.required_string("stateMachineArn");
  in.required_int("maxResults", {.min = 0, .max = 1000});
  auto error = in.error();
  if (error.has_value() == in.ok()) {
    __builtin_trap();  // error() and ok() must agree
  }
  if (error) {
    HttpResponse r = render_json_error(*error, JsonVersion::V1_0, "id", "ns");
    if (!signoff::json::parse(r.body).ok()) {
      __builtin_trap();  // error bodies are always valid JSON
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  api::Result<json::Value> body = api::decode_json_body(text);
  if (!body.ok()) {
    if (body.error().type != "SerializationException") {
      __builtin_trap();
    }
    return 0;
  }
  if (!body->is_object()) {
    __builtin_trap();  // only objects pass decoding
  }
  read_members(*body, 0);
  (void)api::json_response(*body, api::JsonVersion::V1_1, "id");
  return 0;
}
