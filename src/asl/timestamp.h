// RFC 3339 / ISO-8601 timestamps as Step Functions accepts them (Wait Timestamp, Choice
// Timestamp* operators).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::asl {

// Nanoseconds since the Unix epoch, UTC.
using EpochNanos = int64_t;

// Parses a timestamp such as 2016-03-14T01:59:00Z or 2016-03-14T01:59:00.123+02:00. Returns
// nullopt for anything AWS rejects (missing offset, month 13, hour 25, ...).
std::optional<EpochNanos> parse_timestamp(std::string_view text);

// Formats as AWS prints event timestamps in histories: 2016-03-14T01:59:00.123Z.
std::string format_timestamp(EpochNanos t);

}  // namespace signoff::asl
