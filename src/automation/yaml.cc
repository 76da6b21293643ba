#include "automation/yaml.h"

#include <charconv>
#include <cstdlib>
#include <exception>

#include <yaml-cpp/yaml.h>

namespace signoff::automation {

namespace {

constexpr int kMaxDepth = 64;

bool is_int(const std::string& s) {
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i >= s.size()) {
    return false;
  }
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

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
  if (is_int(s)) {
    int64_t v = 0;
    const char* b = s.data() + (s[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) {
      return json::Value(v);
    }
  }
  // Floats: digits with one '.' and/or an exponent, nothing else (so "1.2.3" stays a string).
  bool digit = false;
  bool other = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
      other = true;
    }
  }
  if (digit && !other) {
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size()) {
      return json::Value(d);
    }
  }
  return json::Value(s);
}

Result<json::Value> convert(const YAML::Node& node, int depth) {
  if (depth > kMaxDepth) {
    return make_error("InvalidDocumentContent", "YAML nesting is too deep");
  }
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return json::Value();
    case YAML::NodeType::Scalar:
      // "!" marks a quoted (non-plain) scalar.
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
        return json::Value(node.Scalar());
      }
      return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      std::vector<json::Value> items;
      for (const YAML::Node& item : node) {
        auto v = convert(item, depth + 1);
        if (!v.ok()) {
          return v;
        }
        items.push_back(std::move(*v));
      }
      return json::Value::array(std::move(items));
    }
    case YAML::NodeType::Map: {
      json::Value obj = json::Value::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          return make_error("InvalidDocumentContent", "YAML mapping keys must be scalars");
        }
        auto v = convert(kv.second, depth + 1);
        if (!v.ok()) {
          return v;
        }
        obj.set(kv.first.Scalar(), std::move(*v));
      }
      return obj;
    }
  }
  return json::Value();
}

void emit(YAML::Emitter& out, const json::Value& v) {
  switch (v.kind()) {
    case json::Kind::Null:
      out << YAML::Null;
      break;
    case json::Kind::Bool:
      out << v.as_bool();
      break;
    case json::Kind::Int:
      out << v.as_int();
      break;
    case json::Kind::Double: {
      std::string s;
      json::format_double(v.as_double(), s);
      out << s;
      break;
    }
    case json::Kind::String: {
      std::string s(v.as_string());
      // Quote strings a plain scalar would read back as something else ("0.3", "true", "").
      json::Value back = plain_scalar(s);
      if (!back.is_string() || s.empty()) {
        out << YAML::SingleQuoted << s;
      } else {
        out << s;
      }
      break;
    }
    case json::Kind::Array:
      out << YAML::BeginSeq;
      for (const json::Value& item : v.as_array()) {
        emit(out, item);
      }
      out << YAML::EndSeq;
      break;
    case json::Kind::Object:
      out << YAML::BeginMap;
      for (const json::Member& m : v.as_object()) {
        out << YAML::Key << m.key << YAML::Value;
        emit(out, m.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

Result<json::Value> parse_yaml(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return convert(root, 0);
  } catch (const YAML::Exception& e) {
    return make_error("InvalidDocumentContent",
                      "YAML not well-formed. at Line: " + std::to_string(e.mark.line + 1) +
                          ", Column: " + std::to_string(e.mark.column + 1));
  } catch (const std::exception& e) {
    return make_error("InvalidDocumentContent", std::string("YAML not well-formed. ") + e.what());
  }
}

std::string to_yaml(const json::Value& value) {
  YAML::Emitter out;
  emit(out, value);
  return std::string(out.c_str()) + "\n";
}

}  // namespace signoff::automation
