// Parameter values checked the way CloudFormation checks them, with its messages.
#include <cmath>
#include <cstdlib>

#include "deploy/template/template.h"
#include "regex/regex.h"

namespace signoff::deploy::tmpl {

namespace {

std::string number_text(double d) {
  if (std::fabs(d) < 1e15 && d == std::floor(d)) {
    return std::to_string(static_cast<int64_t>(d));
  }
  std::string s;
  json::format_double(d, s);
  return s;
}

std::optional<double> parse_number(const std::string& s) {
  size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) {
    return std::nullopt;
  }
  std::string t = s.substr(b, s.find_last_not_of(' ') - b + 1);
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(d)) {
    return std::nullopt;
  }
  return d;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

// The message for a constraint that failed: the template's ConstraintDescription when it has one.
std::string violated(const ParameterDecl& d, std::string message) {
  if (!d.constraint_description.empty()) {
    return "Parameter '" + d.name + "' failed to satisfy constraint: " + d.constraint_description;
  }
  return message;
}

std::string check_one(const ParameterDecl& d, const std::string& value, bool numeric) {
  const std::string q = "Parameter '" + d.name + "'";
  if (numeric) {
    auto n = parse_number(value);
    if (!n) {
      return q + " must be a number.";
    }
    if (d.min_value && *n < *d.min_value) {
      return violated(d, q + " must be a number not less than " + number_text(*d.min_value));
    }
    if (d.max_value && *n > *d.max_value) {
      return violated(d, q + " must be a number not greater than " + number_text(*d.max_value));
    }
  }
  if (!d.allowed_values.empty()) {
    bool found = false;
    for (const std::string& a : d.allowed_values) {
      found = found || a == value;
    }
    if (!found) {
      return violated(d, q + " must be one of AllowedValues");
    }
  }
  return {};
}

std::string check(const ParameterDecl& d, const std::string& value) {
  const std::string q = "Parameter '" + d.name + "'";
  if (d.type == "String" || (!d.is_list() && d.type != "Number")) {
    if (d.min_length && static_cast<int64_t>(value.size()) < *d.min_length) {
      return violated(
          d, q + " must contain at least " + std::to_string(*d.min_length) + " characters");
    }
    if (d.max_length && static_cast<int64_t>(value.size()) > *d.max_length) {
      return violated(d,
                      q + " must contain at most " + std::to_string(*d.max_length) + " characters");
    }
    if (d.allowed_pattern) {
      // The whole value must match, as CloudFormation's (Java) matching requires; a malformed
      // pattern or one that runs out of steps matches nothing.
      Result<bool> matched = regex::matches_whole(*d.allowed_pattern, value);
      if (!matched.ok() || !*matched) {
        return violated(d, q + " must match pattern " + *d.allowed_pattern);
      }
    }
    return check_one(d, value, false);
  }
  if (d.type == "Number") {
    return check_one(d, value, true);
  }
  bool numeric = d.type == "List<Number>";
  for (const std::string& item : split_list(value)) {
    if (std::string e = check_one(d, item, numeric); !e.empty()) {
      return e;
    }
  }
  return {};
}

std::string join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) {
      s += ", ";
    }
    s += v[i];
  }
  return s + "]";
}

}  // namespace

Outcome<ParameterValues> resolve_parameters(const Template& t, const ParameterValues& given) {
  using O = Outcome<ParameterValues>;
  std::vector<std::string> unknown;
  for (const auto& [k, v] : given) {
    if (!t.parameter(k)) {
      unknown.push_back(k);
    }
  }
  if (!unknown.empty()) {
    return O::fail("Parameters: " + join(unknown) + " do not exist in the template");
  }
  ParameterValues out;
  std::vector<std::string> missing;
  for (const ParameterDecl& d : t.parameters) {
    auto it = given.find(d.name);
    if (it != given.end()) {
      out[d.name] = it->second;
    } else if (d.default_value) {
      out[d.name] = *d.default_value;
    } else {
      missing.push_back(d.name);
    }
  }
  if (!missing.empty()) {
    return O::fail("Parameters: " + join(missing) + " must have values");
  }
  for (const ParameterDecl& d : t.parameters) {
    if (std::string e = check(d, out[d.name]); !e.empty()) {
      return O::fail(e);
    }
  }
  return O{std::move(out), {}};
}

json::Value parameter_ref_value(const ParameterDecl& decl, const std::string& value) {
  if (!decl.is_list()) {
    return json::Value(value);
  }
  std::vector<json::Value> items;
  if (!value.empty()) {
    for (std::string& s : split_list(value)) {
      items.push_back(json::Value(s));
    }
  }
  return json::Value::array(std::move(items));
}

}  // namespace signoff::deploy::tmpl
