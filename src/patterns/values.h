// Value-level building blocks shared by the pattern compiler and the matcher: EventBridge's
// decimal numbers, case folding for the *-ignore-case operators, wildcard globs and IP addresses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::patterns {

// EventBridge compares numbers as decimals with at most six fractional digits between -5e9 and
// 5e9 (event-ruler's ComparableNumber). Holding them as integers scaled by 1e6 makes numeric
// equality and ranges exact, so 300, 300.0 and 3e2 are the same number and 0.1 + 0.2 worries
// vanish.
inline constexpr int64_t kNumberScale = 1000000;
inline constexpr int64_t kNumberLimit = 5000000000LL * kNumberScale;

enum class NumberStatus : uint8_t { Ok, NotANumber, TooPrecise, OutOfRange };

struct ScaledNumber {
  NumberStatus status = NumberStatus::NotANumber;
  int64_t value = 0;  // valid when status == Ok
};

// Parses JSON number text (the whole view) into the scaled form.
ScaledNumber parse_scaled(std::string_view text);
// Whether text is exactly one JSON number.
bool is_json_number(std::string_view text);
// The message AWS gives when a pattern operand cannot be compared numerically.
std::string number_error(NumberStatus status, std::string_view text);

// Lowercases UTF-8 text with simple one-to-one case mappings (ASCII, Latin-1, Latin Extended-A,
// Greek, Cyrillic); equals-ignore-case compares the folded forms. Invalid UTF-8 bytes pass through.
void fold_case(std::string_view in, std::string& out);
std::string fold_case(std::string_view in);
// True when folding would leave the text unchanged and it is pure ASCII (lets callers skip a copy).
bool is_folded_ascii(std::string_view in);

// A wildcard pattern split at its unescaped '*'s: parts.size() == stars + 1. "a*b*" is
// {"a","b",""}.
struct Glob {
  std::vector<std::string> parts;
  bool has_star() const { return parts.size() > 1; }
};

// Validates a wildcard value as event-ruler does; returns AWS's reason text on error.
std::optional<std::string> check_wildcard(std::string_view text);
// Builds the glob for a value check_wildcard accepted.
Glob compile_glob(std::string_view text);
bool glob_match(const Glob& glob, std::string_view s);
// How many automaton states a worst-case input keeps alive at once for these wildcards on one field
// (event-ruler's MachineComplexityEvaluator idea); AWS rejects rules above kMaxWildcardComplexity.
inline constexpr int kMaxWildcardComplexity = 10;
int wildcard_complexity(std::span<const std::string> wildcards);

// IPv4 (4 bytes) or IPv6 (16 bytes) address in network order.
struct IpAddress {
  uint8_t bytes[16] = {};
  uint8_t size = 0;
};
// Strict textual IP literal: dotted quad, or RFC 4291 text with optional embedded IPv4 tail.
bool parse_ip(std::string_view text, IpAddress& out);

struct CidrBlock {
  IpAddress base;  // the address as written: event-ruler's range starts there, not at the network
  int bits = 0;
};
// Parses "addr/bits"; on error returns AWS's reason text.
std::optional<std::string> parse_cidr(std::string_view text, CidrBlock& out);
// Masks addr to its first bits bits.
IpAddress mask_ip(const IpAddress& addr, int bits);

}  // namespace signoff::patterns
