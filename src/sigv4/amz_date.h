// The ISO 8601 basic timestamps SigV4 uses (20150830T123600Z) <-> epoch seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::sigv4 {

// Exactly YYYYMMDDTHHMMSSZ with a valid calendar date and time; nullopt otherwise.
std::optional<int64_t> parse_amz_date(std::string_view text);
std::string format_amz_date(int64_t epoch_seconds);

}  // namespace signoff::sigv4
