// Exact timestamp instants for comparisons. EpochNanos (timestamp.h) only spans the years
// 1677..2262, while Step Functions accepts any four-digit year, so Choice comparisons work on
// whole seconds plus a nanosecond fraction instead.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace signoff::asl {

struct Instant {
  int64_t seconds = 0;  // since the Unix epoch, UTC
  int32_t nanos = 0;    // 0..999'999'999

  friend auto operator<=>(const Instant&, const Instant&) = default;
};

// Same grammar as parse_timestamp; fraction digits past the ninth are ignored.
std::optional<Instant> parse_instant(std::string_view text);

}  // namespace signoff::asl
