// Webhook agents: the signed request Signoff POSTs to an external agent. The receiver checks
// X-Signoff-Signature = "sha256=" + hex(HMAC-SHA256(secret, TIMESTAMP + "." + BODY)) with
// TIMESTAMP from X-Signoff-Timestamp (Unix seconds; refuse old ones to stop replays), then
// answers through SendAutomationSignal with its own credentials. Pure apart from hashing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace signoff::agents {

inline constexpr const char* kTimestampHeader = "X-Signoff-Timestamp";
inline constexpr const char* kSignatureHeader = "X-Signoff-Signature";

std::string webhook_signature(std::string_view secret, int64_t timestamp_s, std::string_view body);

}  // namespace signoff::agents
