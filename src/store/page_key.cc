#include "store/page_key.h"

#include <charconv>

namespace signoff::store {

namespace {

// "<number>:<rest>"; the number comes first so no character of the rest needs escaping.
template <typename Int>
std::optional<std::pair<Int, std::string_view>> split(std::string_view key) {
  Int n{};
  const char* end = key.data() + key.size();
  auto [p, ec] = std::from_chars(key.data(), end, n);
  if (ec != std::errc() || p == end || *p != ':') {
    return std::nullopt;
  }
  return std::pair{n, key.substr(static_cast<size_t>(p + 1 - key.data()))};
}

}  // namespace

std::string encode_name_key(std::string_view name, std::string_view arn) {
  std::string key = std::to_string(name.size());
  key += ':';
  key.append(name);
  key.append(arn);
  return key;
}

std::optional<NameKey> decode_name_key(std::string_view key) {
  auto parts = split<size_t>(key);
  if (!parts || parts->first > parts->second.size()) {
    return std::nullopt;
  }
  return NameKey{parts->second.substr(0, parts->first), parts->second.substr(parts->first)};
}

std::string encode_time_key(int64_t ms, std::string_view arn) {
  std::string key = std::to_string(ms);
  key += ':';
  key.append(arn);
  return key;
}

std::optional<TimeKey> decode_time_key(std::string_view key) {
  auto parts = split<int64_t>(key);
  if (!parts) {
    return std::nullopt;
  }
  return TimeKey{parts->first, parts->second};
}

std::string encode_key(std::string_view key) {
  std::string out = "k:";
  out.append(key);
  return out;
}

std::optional<std::string_view> decode_key(std::string_view key) {
  if (!key.starts_with("k:")) {
    return std::nullopt;
  }
  return key.substr(2);
}

}  // namespace signoff::store
