#include "notify/message_structure.h"

#include "common/json.h"

namespace signoff::notify {

Result<ProtocolMessages> parse_message_structure(std::string_view message) {
  json::ParseResult parsed = json::parse(message, 64);
  if (!parsed.ok() || !parsed.value.is_object()) {
    return make_error("InvalidParameter",
                      "Invalid parameter: Message Structure - JSON message body failed to parse");
  }
  ProtocolMessages out;
  for (const json::Member& m : parsed.value.as_object()) {
    if (!m.value.is_string()) {
      return make_error("InvalidParameter",
                        "Invalid parameter: Message Structure - JSON message body failed to parse");
    }
    out.insert_or_assign(m.key, std::string(m.value.as_string()));
  }
  if (out.find("default") == out.end()) {
    return make_error(
        "InvalidParameter",
        "Invalid parameter: Message Structure - No default entry in JSON message body");
  }
  return out;
}

std::string message_for(const ProtocolMessages& messages, std::string_view protocol) {
  auto it = messages.find(protocol);
  if (it == messages.end()) {
    it = messages.find("default");
  }
  return it == messages.end() ? std::string() : it->second;
}

}  // namespace signoff::notify
