// The date forms Date* conditions accept: ISO 8601 (date, date-time with optional fraction and
// Z or ±hh:mm offset) and epoch seconds.
#pragma once

#include <optional>
#include <string_view>

namespace signoff::policy {

// Milliseconds since the epoch.
std::optional<long long> parse_policy_date(std::string_view text);

}  // namespace signoff::policy
