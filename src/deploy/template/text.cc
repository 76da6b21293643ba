// Template text → JSON value. JSON templates go through the project's JSON parser (types kept as
// written); everything else is YAML through yaml-cpp, whose exceptions stop here.
#include <cmath>
#include <cstdlib>
#include <string>

#include <yaml-cpp/yaml.h>

#include "deploy/template/template.h"

namespace signoff::deploy::tmpl {

namespace {

constexpr int kMaxDepth = 256;

std::string at_mark(const YAML::Mark& m) {
  return " (line " + std::to_string(m.line + 1) + ", column " + std::to_string(m.column + 1) + ")";
}

// Plain scalars become numbers only when printing the number back gives the same text, so
// account ids with leading zeros, versions like 1.10 and dates keep their spelling.
json::Value plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    return json::Value();
  }
  if (s == "true" || s == "True" || s == "TRUE") {
    return json::Value(true);
  }
  if (s == "false" || s == "False" || s == "FALSE") {
    return json::Value(false);
  }
  char c = s[0];
  if ((c >= '0' && c <= '9') || c == '-') {
    bool digits = s.size() < 19;
    for (size_t i = (c == '-' ? 1 : 0); i < s.size() && digits; ++i) {
      digits = s[i] >= '0' && s[i] <= '9';
    }
    if (digits && s != "-") {
      int64_t v = std::strtoll(s.c_str(), nullptr, 10);
      if (std::to_string(v) == s) {
        return json::Value(v);
      }
      return json::Value(s);
    }
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size() && std::isfinite(d)) {
      std::string back;
      json::format_double(d, back);
      // "1.5" and "1.5" (the JVM form may add E notation; compare loosely on the plain form).
      if (back == s || back == s + ".0") {
        return json::Value(d);
      }
    }
  }
  return json::Value(s);
}

struct Converter {
  std::string error;

  std::optional<json::Value> scalar_or_node(const YAML::Node& n, int depth) {
    if (depth > kMaxDepth) {
      error = "Template format error: YAML not well-formed. Nesting too deep" + at_mark(n.Mark());
      return std::nullopt;
    }
    switch (n.Type()) {
      case YAML::NodeType::Null:
        return json::Value();
      case YAML::NodeType::Scalar: {
        const std::string& tag = n.Tag();
        if (tag == "?") {
          return plain_scalar(n.Scalar());
        }
        return json::Value(n.Scalar());
      }
      case YAML::NodeType::Sequence: {
        std::vector<json::Value> items;
        for (const YAML::Node& item : n) {
          auto v = convert(item, depth + 1);
          if (!v) {
            return std::nullopt;
          }
          items.push_back(std::move(*v));
        }
        return json::Value::array(std::move(items));
      }
      case YAML::NodeType::Map: {
        std::vector<json::Member> members;
        for (auto it = n.begin(); it != n.end(); ++it) {
          if (!it->first.IsScalar()) {
            error = "Template format error: YAML not well-formed. Keys must be scalars" +
                    at_mark(it->first.Mark());
            return std::nullopt;
          }
          std::string key = it->first.Scalar();
          for (const json::Member& m : members) {
            if (m.key == key) {
              error = "Template format error: YAML not well-formed. Duplicate key " + key +
                      at_mark(it->first.Mark());
              return std::nullopt;
            }
          }
          auto v = convert(it->second, depth + 1);
          if (!v) {
            return std::nullopt;
          }
          members.push_back({std::move(key), std::move(*v)});
        }
        return json::Value::object(std::move(members));
      }
      case YAML::NodeType::Undefined:
        break;
    }
    return json::Value();
  }

  // The short forms: !Ref, !Condition and !GetAtt a.b have their own long forms; every other
  // known tag !X is {"Fn::X": value}.
  std::optional<json::Value> convert(const YAML::Node& n, int depth) {
    const std::string& tag = n.Tag();
    if (tag.size() < 2 || tag[0] != '!' || tag[1] == '!' || tag.rfind("tag:", 0) == 0) {
      return scalar_or_node(n, depth);
    }
    std::string name = tag.substr(1);
    static const char* const kFunctions[] = {
        "Base64", "Cidr",  "FindInMap", "GetAZs",    "ImportValue", "Join",
        "Select", "Split", "Sub",       "Transform", "If",          "Equals",
        "And",    "Or",    "Not",       "Length",    "ToJsonString"};
    bool known = name == "Ref" || name == "Condition" || name == "GetAtt";
    for (const char* f : kFunctions) {
      known = known || name == f;
    }
    if (!known) {
      error =
          "Template format error: YAML not well-formed. Unsupported tag " + tag + at_mark(n.Mark());
      return std::nullopt;
    }
    YAML::Node plain = n;
    auto inner = n.IsScalar() ? std::optional<json::Value>(json::Value(n.Scalar()))
                              : scalar_or_node(plain, depth + 1);
    if (!inner) {
      return std::nullopt;
    }
    if (name == "Ref" || name == "Condition") {
      return json::Value::object({{name, *inner}});
    }
    if (name == "GetAtt" && inner->is_string()) {
      std::string s(inner->as_string());
      size_t dot = s.find('.');
      if (dot == std::string::npos) {
        return json::Value::object({{"Fn::GetAtt", json::Value::array({json::Value(s)})}});
      }
      return json::Value::object(
          {{"Fn::GetAtt",
            json::Value::array({json::Value(s.substr(0, dot)), json::Value(s.substr(dot + 1))})}});
    }
    return json::Value::object({{"Fn::" + name, *inner}});
  }
};

std::string json_position(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return " (line " + std::to_string(line) + ", column " + std::to_string(col) + ")";
}

}  // namespace

Outcome<json::Value> parse_text(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return Outcome<json::Value>::fail(
        "Template format error: At least one Resources member must be defined.");
  }
  if (text[first] == '{') {
    json::ParseResult p = json::parse(text, 256);
    if (!p.ok()) {
      return Outcome<json::Value>::fail("Template format error: JSON not well-formed." +
                                        json_position(text, p.offset));
    }
    return Outcome<json::Value>{p.value, {}};
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    Converter c;
    auto v = c.convert(root, 0);
    if (!v) {
      return Outcome<json::Value>::fail(c.error);
    }
    return Outcome<json::Value>{*v, {}};
  } catch (const YAML::Exception& e) {
    return Outcome<json::Value>::fail("Template format error: YAML not well-formed." +
                                      at_mark(e.mark));
  } catch (const std::exception& e) {
    return Outcome<json::Value>::fail(std::string("Template format error: YAML not well-formed. ") +
                                      e.what());
  }
}

}  // namespace signoff::deploy::tmpl
