// IAM's input constraints, with the ValidationError texts IAM answers
// ("1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member
// must satisfy regular expression pattern: [\w+=,.@-]+").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace signoff::iam {

Error validation_error(std::string message);
Error constraint(std::string_view field, std::string_view value, std::string_view rule);

// Names of users, roles (max 64), groups and policies (max 128): [\w+=,.@-]+.
std::optional<Error> check_name(std::string_view field, std::string_view value, size_t max);
// Paths: "/" or "/.../" of printable ASCII, at most 512.
std::optional<Error> check_path(std::string_view field, std::string_view value);
std::optional<Error> check_range(std::string_view field, int64_t value, int64_t min, int64_t max);

}  // namespace signoff::iam
