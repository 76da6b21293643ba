// Publish with MessageStructure=json: the message is a JSON object of per-protocol strings
// ({"default": "...", "email": "...", "http": "..."}); "default" is required and serves every
// protocol without its own entry.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace signoff::notify {

using ProtocolMessages = std::map<std::string, std::string, std::less<>>;

// InvalidParameter with AWS's messages when the text is not such an object.
Result<ProtocolMessages> parse_message_structure(std::string_view message);

// The message for one protocol ("email", "email-json", "http", "https", "lambda", ...).
std::string message_for(const ProtocolMessages& messages, std::string_view protocol);

}  // namespace signoff::notify
