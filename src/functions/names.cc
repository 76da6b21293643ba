#include "functions/names.h"

#include <vector>

namespace signoff::functions {

namespace {

std::vector<std::string_view> split(std::string_view s, char c) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t at = s.find(c, start);
    if (at == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

Error bad_name(std::string_view text) {
  return make_error("ValidationException",
                    "1 validation error detected: Value '" + std::string(text) +
                        "' at 'functionName' failed to satisfy constraint: Member must satisfy "
                        "regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)"
                        "?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|"
                        "[a-zA-Z0-9-_]+))?");
}

bool valid_qualifier(std::string_view q) {
  if (q == "$LATEST") {
    return true;
  }
  if (q.empty() || q.size() > 128) {
    return false;
  }
  for (char c : q) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool valid_function_name(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool is_version_number(std::string_view q) {
  if (q.empty() || q.size() > 18) {
    return false;
  }
  for (char c : q) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::string function_arn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:lambda:" + std::string(region) + ":" + std::string(account) +
         ":function:" + std::string(name);
}

Result<FunctionRef> parse_function_ref(std::string_view text, std::string_view explicit_qualifier,
                                       std::string_view default_region) {
  FunctionRef ref;
  ref.region = std::string(default_region);
  std::vector<std::string_view> parts = split(text, ':');
  std::string_view name;
  std::string_view qualifier;
  if (parts.size() >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function") {
    if (parts.size() > 8) {
      return bad_name(text);
    }
    ref.region = std::string(parts[3]);
    ref.account = std::string(parts[4]);
    name = parts[6];
    qualifier = parts.size() == 8 ? parts[7] : std::string_view();
  } else if (parts.size() >= 3 && parts[1] == "function") {
    if (parts.size() > 4) {
      return bad_name(text);
    }
    ref.account = std::string(parts[0]);
    name = parts[2];
    qualifier = parts.size() == 4 ? parts[3] : std::string_view();
  } else if (parts.size() <= 2) {
    name = parts[0];
    qualifier = parts.size() == 2 ? parts[1] : std::string_view();
  } else {
    return bad_name(text);
  }
  if (!valid_function_name(name) ||
      (parts.size() > 1 && !qualifier.empty() && !valid_qualifier(qualifier))) {
    return bad_name(text);
  }
  ref.name = std::string(name);
  if (!explicit_qualifier.empty()) {
    if (!valid_qualifier(explicit_qualifier)) {
      return make_error("ValidationException",
                        "1 validation error detected: Value '" + std::string(explicit_qualifier) +
                            "' at 'qualifier' failed to satisfy constraint: Member must satisfy "
                            "regular expression pattern: (|[a-zA-Z0-9$_-]+)");
    }
    if (!qualifier.empty() && qualifier != explicit_qualifier) {
      return make_error("InvalidParameterValueException",
                        "The derived qualifier from the function name does not match the "
                        "specified qualifier.");
    }
    qualifier = explicit_qualifier;
  }
  ref.qualifier = std::string(qualifier);
  return ref;
}

}  // namespace signoff::functions
