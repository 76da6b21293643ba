// Identifiers and secrets in IAM's shapes, and IAM's time format.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace signoff::iam {

using Random = std::function<void(unsigned char*, size_t)>;

// prefix + base32 characters: "AIDA" + 17 for users, "AKIA" + 16 for access keys, ...
std::string new_id(const Random& random, std::string_view prefix, size_t length);
// 40 characters of [A-Za-z0-9+/], as AWS secret access keys look.
std::string new_secret(const Random& random);
// A long opaque token (base64 of 96 random bytes), as session tokens look.
std::string new_session_token(const Random& random);

// "2024-05-01T12:00:00Z" (IAM) and "2024-05-01T12:00:00.123Z" (STS Expiration).
std::string iso8601(int64_t ms, bool with_millis = false);

}  // namespace signoff::iam
