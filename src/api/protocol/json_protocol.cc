#include "api/protocol/json_protocol.h"

#include <cmath>
#include <utility>

namespace signoff::api {
namespace {

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  return n;
}

const char* kind_name(json::Kind kind) {
  switch (kind) {
    case json::Kind::Null:
      return "null";
    case json::Kind::Bool:
      return "boolean";
    case json::Kind::Int:
    case json::Kind::Double:
      return "number";
    case json::Kind::String:
      return "string";
    case json::Kind::Array:
      return "array";
    case json::Kind::Object:
      return "object";
  }
  return "value";
}

// AWS shows the offending value quoted; long values are shown in full, as AWS does, but a
// value that is not a string is shown as its JSON text.
std::string shown(std::string_view value) {
  std::string s = "'";
  s += value;
  s += "'";
  return s;
}

}  // namespace

Result<json::Value> decode_json_body(std::string_view body) {
  size_t i = 0;
  while (i < body.size() &&
         (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
    ++i;
  }
  if (i == body.size()) {
    return json::Value::object();
  }
  json::ParseResult parsed = json::parse(body, 128);
  if (!parsed.ok()) {
    return serialization_error("Malformed request body: " + parsed.error + " at offset " +
                               std::to_string(parsed.offset));
  }
  if (!parsed.value.is_object()) {
    return serialization_error(std::string("Expected a JSON object as request body, found ") +
                               kind_name(parsed.value.kind()));
  }
  return std::move(parsed.value);
}

JsonReader::JsonReader(json::Value object, std::string path_prefix)
    : object_(std::move(object)), prefix_(std::move(path_prefix)) {}

std::string JsonReader::path(std::string_view name) const {
  std::string p = prefix_;
  if (!p.empty()) {
    p += '.';
  }
  p += name;
  return p;
}

const json::Value* JsonReader::member(std::string_view name, json::Kind expected,
                                      const char* shape) {
  const json::Value* v = object_.find(name);
  if (v == nullptr || v->is_null()) {
    return nullptr;  // AWS treats an explicit null like an absent member
  }
  bool fits = v->kind() == expected ||
              (expected == json::Kind::Int && v->is_double() && std::isfinite(v->as_double()) &&
               v->as_double() == std::floor(v->as_double()) && std::fabs(v->as_double()) < 9e18);
  if (!fits) {
    if (!serialization_) {
      serialization_ = serialization_error("Unexpected " + std::string(kind_name(v->kind())) +
                                           " for member '" + path(name) + "', expected " + shape);
    }
    return nullptr;
  }
  return v;
}

void JsonReader::add_violation(std::string_view name, std::string_view shown_value,
                               std::string_view constraint) {
  std::string v = "Value ";
  v += shown_value;
  v += " at '";
  v += path(name);
  v += "' failed to satisfy constraint: ";
  v += constraint;
  violations_.push_back(std::move(v));
}

bool JsonReader::check_string(std::string_view name, std::string_view value, StringRule rule) {
  size_t n = code_points(value);
  if (n < rule.min) {
    add_violation(name, shown(value),
                  "Member must have length greater than or equal to " + std::to_string(rule.min));
    return false;
  }
  if (n > rule.max) {
    add_violation(name, shown(value),
                  "Member must have length less than or equal to " + std::to_string(rule.max));
    return false;
  }
  return true;
}

std::string JsonReader::required_string(std::string_view name, StringRule rule) {
  bool present = object_.find(name) != nullptr && !object_.find(name)->is_null();
  auto v = optional_string(name, rule);
  if (!present) {
    add_violation(name, "null", "Member must not be null");
  }
  return v.value_or(std::string());
}

std::optional<std::string> JsonReader::optional_string(std::string_view name, StringRule rule) {
  const json::Value* v = member(name, json::Kind::String, "string");
  if (v == nullptr) {
    return std::nullopt;
  }
  std::string s(v->as_string());
  check_string(name, s, rule);
  return s;
}

std::optional<int64_t> JsonReader::optional_int(std::string_view name, IntRule rule) {
  const json::Value* v = member(name, json::Kind::Int, "integer");
  if (v == nullptr) {
    return std::nullopt;
  }
  int64_t n = v->is_int() ? v->as_int() : static_cast<int64_t>(v->as_double());
  if (n < rule.min) {
    add_violation(name, shown(std::to_string(n)),
                  "Member must have value greater than or equal to " + std::to_string(rule.min));
  } else if (n > rule.max) {
    add_violation(name, shown(std::to_string(n)),
                  "Member must have value less than or equal to " + std::to_string(rule.max));
  }
  return n;
}

int64_t JsonReader::required_int(std::string_view name, IntRule rule) {
  bool present = object_.find(name) != nullptr && !object_.find(name)->is_null();
  auto v = optional_int(name, rule);
  if (!present) {
    add_violation(name, "null", "Member must not be null");
  }
  return v.value_or(0);
}

std::optional<bool> JsonReader::optional_bool(std::string_view name) {
  const json::Value* v = member(name, json::Kind::Bool, "boolean");
  if (v == nullptr) {
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<json::Value> JsonReader::optional_object(std::string_view name) {
  const json::Value* v = member(name, json::Kind::Object, "object");
  if (v == nullptr) {
    return std::nullopt;
  }
  return *v;
}

std::optional<json::Value> JsonReader::optional_array(std::string_view name) {
  const json::Value* v = member(name, json::Kind::Array, "array");
  if (v == nullptr) {
    return std::nullopt;
  }
  return *v;
}

std::optional<std::vector<std::string>> JsonReader::optional_string_list(std::string_view name) {
  const json::Value* v = member(name, json::Kind::Array, "array");
  if (v == nullptr) {
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(v->size());
  for (const json::Value& item : v->as_array()) {
    if (!item.is_string()) {
      if (!serialization_) {
        serialization_ = serialization_error("Unexpected " + std::string(kind_name(item.kind())) +
                                             " in list '" + path(name) + "', expected string");
      }
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

std::optional<AwsError> JsonReader::error() const {
  if (serialization_) {
    return serialization_;
  }
  if (violations_.empty()) {
    return std::nullopt;
  }
  std::string message = std::to_string(violations_.size());
  message +=
      violations_.size() == 1 ? " validation error detected: " : " validation errors detected: ";
  for (size_t i = 0; i < violations_.size(); ++i) {
    if (i > 0) {
      message += "; ";
    }
    message += violations_[i];
  }
  return validation_error(std::move(message));
}

HttpResponse json_response(const json::Value& result, JsonVersion version,
                           std::string_view request_id) {
  HttpResponse response;
  response.body = json::dump(result);
  response.set_header("Content-Type", json_content_type(version));
  response.set_header("x-amzn-RequestId", request_id);
  return response;
}

}  // namespace signoff::api
