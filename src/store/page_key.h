// The opaque next_key strings of Page<T>: the sort key of a page's last row, so the next page
// starts strictly after it even when rows were inserted or deleted in between. Backend neutral.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::store {

// Rows ordered by (name, arn).
struct NameKey {
  std::string_view name;
  std::string_view arn;
};
std::string encode_name_key(std::string_view name, std::string_view arn);
// nullopt when `key` was not made by encode_name_key (views into `key`).
std::optional<NameKey> decode_name_key(std::string_view key);

// Rows ordered by (time, arn).
struct TimeKey {
  int64_t ms = 0;
  std::string_view arn;
};
std::string encode_time_key(int64_t ms, std::string_view arn);
std::optional<TimeKey> decode_time_key(std::string_view key);

// Rows ordered by one string key (documents within a kind). Never empty, even for the key "",
// since an empty next_key means "last page".
std::string encode_key(std::string_view key);
std::optional<std::string_view> decode_key(std::string_view key);

}  // namespace signoff::store
