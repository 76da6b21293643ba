#include "iam/validate.h"

#include <cctype>

namespace signoff::iam {

Error validation_error(std::string message) {
  return Error{"ValidationError", std::move(message), 400};
}

Error constraint(std::string_view field, std::string_view value, std::string_view rule) {
  std::string m = "1 validation error detected: Value '";
  m.append(value).append("' at '").append(field).append("' failed to satisfy constraint: ");
  m.append(rule);
  return validation_error(std::move(m));
}

std::optional<Error> check_name(std::string_view field, std::string_view value, size_t max) {
  if (value.empty()) {
    return constraint(field, value, "Member must have length greater than or equal to 1");
  }
  if (value.size() > max) {
    return constraint(field, value,
                      "Member must have length less than or equal to " + std::to_string(max));
  }
  for (char c : value) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '=' ||
              c == ',' || c == '.' || c == '@' || c == '-';
    if (!ok) {
      return constraint(field, value,
                        "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
  }
  return std::nullopt;
}

std::optional<Error> check_path(std::string_view field, std::string_view value) {
  if (value.size() > 512) {
    return constraint(field, value, "Member must have length less than or equal to 512");
  }
  bool shape = value == "/" || (value.size() >= 2 && value.front() == '/' && value.back() == '/');
  for (char c : value) {
    shape = shape && c >= 0x21 && c <= 0x7E;
  }
  if (!shape) {
    return constraint(field, value,
                      "Member must satisfy regular expression pattern: "
                      "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  }
  return std::nullopt;
}

std::optional<Error> check_range(std::string_view field, int64_t value, int64_t min, int64_t max) {
  if (value < min) {
    return constraint(field, std::to_string(value),
                      "Member must have value greater than or equal to " + std::to_string(min));
  }
  if (value > max) {
    return constraint(field, std::to_string(value),
                      "Member must have value less than or equal to " + std::to_string(max));
  }
  return std::nullopt;
}

}  // namespace signoff::iam
