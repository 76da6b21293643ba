// AWS JSON 1.0/1.1 requests (Step Functions, SSM, EventBridge, CloudWatch Logs): decoding the body
// and reading its members with AWS's validation messages.
//
//   JsonReader in(body);
//   std::string arn = in.required_string("stateMachineArn", {.min = 1, .max = 256});
//   std::optional<std::string> name = in.optional_string("name", {.max = 80});
//   std::optional<int64_t> max = in.optional_int("maxResults", {.min = 0, .max = 1000});
//   if (auto error = in.error()) return *error;
//
// Members of the wrong JSON type are SerializationException (the first one wins, as AWS's
// deserializer stops there); missing or out-of-range members are collected into one
// ValidationException: "2 validation errors detected: Value null at 'x' failed to satisfy
// constraint: Member must not be null; Value ... ".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/aws_error.h"
#include "common/json.h"

namespace signoff::api {

// The request body as a JSON object: an empty body is {}; anything that is not a JSON object is a
// SerializationException.
Result<json::Value> decode_json_body(std::string_view body);

struct StringRule {
  size_t min = 0;
  size_t max = SIZE_MAX;  // in characters (code points), as AWS counts
};

struct IntRule {
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
};

class JsonReader {
 public:
  // Holds its own handle on the object (a refcount, not a copy), so a nested reader can be built
  // from a temporary: JsonReader inner(*outer.optional_object("x"), "x").
  explicit JsonReader(json::Value object, std::string path_prefix = {});

  std::string required_string(std::string_view name, StringRule rule = {});
  std::optional<std::string> optional_string(std::string_view name, StringRule rule = {});
  std::optional<int64_t> optional_int(std::string_view name, IntRule rule = {});
  int64_t required_int(std::string_view name, IntRule rule = {});
  std::optional<bool> optional_bool(std::string_view name);
  // Objects and arrays are handed back as values for the caller to walk (with a nested reader).
  std::optional<json::Value> optional_object(std::string_view name);
  std::optional<json::Value> optional_array(std::string_view name);
  // String lists ("tagKeys", "Names"): every element must be a string.
  std::optional<std::vector<std::string>> optional_string_list(std::string_view name);

  // Adds a constraint failure found by the caller (enum values, patterns):
  // "Value '<value>' at '<name>' failed to satisfy constraint: <constraint>".
  void add_violation(std::string_view name, std::string_view shown_value,
                     std::string_view constraint);

  // The first serialization error, else all violations as one ValidationException, else nothing.
  std::optional<AwsError> error() const;
  bool ok() const { return !serialization_ && violations_.empty(); }

 private:
  const json::Value* member(std::string_view name, json::Kind expected, const char* shape);
  bool check_string(std::string_view name, std::string_view value, StringRule rule);
  std::string path(std::string_view name) const;

  json::Value object_;
  std::string prefix_;
  std::optional<AwsError> serialization_;
  std::vector<std::string> violations_;
};

// A successful JSON-protocol response: 200, the JSON body, the protocol's Content-Type.
HttpResponse json_response(const json::Value& result, JsonVersion version,
                           std::string_view request_id);

}  // namespace signoff::api
