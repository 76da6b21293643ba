// PutParameter's name rules, with the texts AWS answers.
#include <cctype>

#include "automation/parameter_store.h"

namespace signoff::automation {

namespace {

constexpr const char* kNameRules =
    "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as "
    "a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as "
    "a mix of letters, numbers and the following 3 symbols .-_";

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<Error> check_parameter_name(const std::string& name) {
  if (name.empty() || name.size() > 2048) {
    return make_error("ValidationException",
                      "1 validation error detected: Value '" + name.substr(0, 64) +
                          "' at 'name' failed to satisfy constraint: Member must have length "
                          "less than or equal to 2048");
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-' &&
        c != '/') {
      return make_error("ValidationException", kNameRules);
    }
  }
  if (name.find('/') != std::string::npos && name[0] != '/') {
    return make_error("ValidationException", "Parameter name must be a fully qualified name.");
  }
  if (name.size() > 1 && name.back() == '/') {
    return make_error("ValidationException", kNameRules);
  }
  if (name.find("//") != std::string::npos || name == "/") {
    return make_error("ValidationException", kNameRules);
  }
  std::string_view first = name;
  if (first[0] == '/') {
    first.remove_prefix(1);
  }
  if (starts_with_nocase(first, "aws") || starts_with_nocase(first, "ssm")) {
    return make_error("ValidationException", kNameRules);
  }
  size_t levels = 0;
  for (char c : name) {
    levels += c == '/' ? 1 : 0;
  }
  if (levels > 15) {
    return make_error("HierarchyLevelLimitExceededException",
                      "A hierarchy can have a maximum of 15 levels. For more information, see "
                      "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
                      "sysman-paramstore-su-create.html");
  }
  return std::nullopt;
}

}  // namespace signoff::automation
