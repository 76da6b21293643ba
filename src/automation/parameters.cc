#include "automation/parameters.h"

#include <algorithm>
#include <charconv>

#include "regex/regex.h"

namespace signoff::automation {

namespace {

Error bad(std::string message) {
  return make_error("InvalidAutomationExecutionParametersException", std::move(message));
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::string join_allowed(const std::vector<json::Value>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) {
      out += ", ";
    }
    out += values[i].is_string() ? std::string(values[i].as_string()) : json::dump(values[i]);
  }
  return out + "]";
}

bool matches_pattern(const std::string& pattern, const std::string& value) {
  Result<bool> found = regex::contains_match(pattern, value);
  return found.ok() && *found;
}

size_t code_points(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Checks one string against allowedValues, allowedPattern, minChars and maxChars.
Result<Unit> check_string(const ParameterDef& p, const std::string& v) {
  if (!p.allowed_values.empty()) {
    bool found =
        std::any_of(p.allowed_values.begin(), p.allowed_values.end(), [&](const json::Value& a) {
          return a.is_string() ? a.as_string() == v : json::dump(a) == v;
        });
    if (!found) {
      return bad("Parameter " + quoted(p.name) + " has value " + quoted(v) + " not found in " +
                 join_allowed(p.allowed_values) + ".");
    }
  }
  if (!p.allowed_pattern.empty() && !matches_pattern(p.allowed_pattern, v)) {
    return bad("Parameter " + quoted(p.name) + " value " + quoted(v) +
               " does not match the allowed pattern " + p.allowed_pattern + ".");
  }
  if (p.min_chars && code_points(v) < static_cast<size_t>(*p.min_chars)) {
    return bad("Parameter " + quoted(p.name) + " value is shorter than " +
               std::to_string(*p.min_chars) + " characters.");
  }
  if (p.max_chars && code_points(v) > static_cast<size_t>(*p.max_chars)) {
    return bad("Parameter " + quoted(p.name) + " value is longer than " +
               std::to_string(*p.max_chars) + " characters.");
  }
  return Unit{};
}

Result<json::Value> from_wire(const ParameterDef& p, const std::vector<std::string>& values) {
  const std::string& t = p.type;
  auto single = [&]() -> Result<std::string> {
    if (values.size() != 1) {
      return bad("Parameter " + quoted(p.name) + " is of type " + t +
                 " and requires exactly one value.");
    }
    return values[0];
  };
  if (t == "StringList") {
    std::vector<json::Value> items;
    for (const std::string& v : values) {
      items.emplace_back(v);
    }
    return json::Value::array(std::move(items));
  }
  if (t == "MapList") {
    std::vector<json::Value> items;
    for (const std::string& v : values) {
      auto j = json::parse(v, 32);
      if (j.ok() && j.value.is_array()) {
        for (const json::Value& e : j.value.as_array()) {
          items.push_back(e);
        }
      } else if (j.ok() && j.value.is_object()) {
        items.push_back(j.value);
      } else {
        return bad("Parameter " + quoted(p.name) + " is of type MapList but value " + quoted(v) +
                   " is not a JSON map.");
      }
    }
    return json::Value::array(std::move(items));
  }
  auto s = single();
  if (!s.ok()) {
    return s.error();
  }
  if (t == "Integer") {
    int64_t n = 0;
    const std::string& v = *s;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
      return bad("Parameter " + quoted(p.name) + " is of type Integer but value " + quoted(v) +
                 " is not an integer.");
    }
    return json::Value(n);
  }
  if (t == "Boolean") {
    if (*s == "true" || *s == "True") {
      return json::Value(true);
    }
    if (*s == "false" || *s == "False") {
      return json::Value(false);
    }
    return bad("Parameter " + quoted(p.name) + " is of type Boolean but value " + quoted(*s) +
               " is not true or false.");
  }
  if (t == "StringMap") {
    auto j = json::parse(*s, 32);
    if (!j.ok() || !j.value.is_object()) {
      return bad("Parameter " + quoted(p.name) + " is of type StringMap but value " + quoted(*s) +
                 " is not a JSON map.");
    }
    return j.value;
  }
  return json::Value(*s);  // String and AWS::* types
}

// Defaults come typed from the document; Integer/Boolean defaults may be written as strings.
json::Value normalize_default(const ParameterDef& p, const json::Value& v) {
  if (p.type == "Integer" && v.is_string()) {
    int64_t n = 0;
    std::string_view s = v.as_string();
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && ptr == s.data() + s.size()) {
      return json::Value(n);
    }
  }
  if (p.type == "Boolean" && v.is_string()) {
    return json::Value(v.as_string() == "true");
  }
  return v;
}

Result<Unit> check_value(const ParameterDef& p, const json::Value& v) {
  if (v.is_string()) {
    return check_string(p, std::string(v.as_string()));
  }
  if (v.is_array()) {
    int64_t n = static_cast<int64_t>(v.size());
    if (p.min_items && n < *p.min_items) {
      return bad("Parameter " + quoted(p.name) + " requires at least " +
                 std::to_string(*p.min_items) + " items.");
    }
    if (p.max_items && n > *p.max_items) {
      return bad("Parameter " + quoted(p.name) + " allows at most " + std::to_string(*p.max_items) +
                 " items.");
    }
    if (p.type == "StringList") {
      for (const json::Value& e : v.as_array()) {
        if (e.is_string()) {
          auto r = check_string(p, std::string(e.as_string()));
          if (!r.ok()) {
            return r;
          }
        }
      }
    }
    return Unit{};
  }
  if (!p.allowed_values.empty() && (v.is_int() || v.is_bool())) {
    return check_string(p, json::dump(v));
  }
  return Unit{};
}

}  // namespace

std::vector<std::string> wire_values(const json::Value& typed) {
  std::vector<std::string> out;
  if (typed.is_string()) {
    out.emplace_back(typed.as_string());
  } else if (typed.is_array()) {
    for (const json::Value& e : typed.as_array()) {
      out.push_back(e.is_string() ? std::string(e.as_string()) : json::dump(e));
    }
  } else if (!typed.is_null()) {
    out.push_back(json::dump(typed));
  }
  return out;
}

Result<ResolvedParameters> resolve_parameters(const Document& doc, const WireParameters& given) {
  ResolvedParameters out;
  out.typed = json::Value::object();
  std::vector<std::string> undefined;
  for (const auto& [name, values] : given) {
    if (!doc.parameter(name)) {
      undefined.push_back(name);
    }
  }
  if (!undefined.empty()) {
    std::string list;
    for (size_t i = 0; i < undefined.size(); ++i) {
      list += (i ? ", " : "") + undefined[i];
    }
    return bad("Parameter(s) [" + list + "] are not defined in the Automation document.");
  }
  for (const ParameterDef& p : doc.parameters) {
    auto it = given.find(p.name);
    json::Value value;
    if (it != given.end()) {
      auto v = from_wire(p, it->second);
      if (!v.ok()) {
        return v.error();
      }
      value = std::move(*v);
      out.shown[p.name] = it->second;
    } else if (p.default_value) {
      value = normalize_default(p, *p.default_value);
      out.shown[p.name] = wire_values(value);
    } else {
      return bad("Missing required parameter: " + p.name + " in user inputs.");
    }
    auto c = check_value(p, value);
    if (!c.ok()) {
      return c.error();
    }
    out.typed.set(p.name, std::move(value));
  }
  return out;
}

}  // namespace signoff::automation
