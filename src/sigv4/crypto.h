// SHA-256 and HMAC-SHA256 through OpenSSL's libcrypto, plus the hex forms SigV4 uses.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace signoff::sigv4 {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);
std::string to_hex(const Digest& d);
std::string sha256_hex(std::string_view data);
// Constant time in the length of the inputs, so a forger learns nothing from response timing.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace signoff::sigv4
