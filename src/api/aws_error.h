// AWS errors as values, and how each wire protocol renders them. Service handlers return an
// AwsError (or a Result<T> holding one); the router turns it into the envelope the client's
// protocol expects, so a handler never writes error bodies itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "api/http/message.h"

namespace signoff::api {

struct AwsError {
  int status = 400;
  std::string type;  // AWS's error code without namespace: "StateMachineDoesNotExist"
  std::string message;

  // 4xx errors are the caller's fault ("Sender"/"User"), 5xx ours ("Receiver"/"Service").
  bool is_client_fault() const { return status < 500; }
};

// The errors every service shares, with the status codes AWS uses for them.
AwsError validation_error(std::string message);     // 400 ValidationException
AwsError serialization_error(std::string message);  // 400 SerializationException
AwsError unknown_operation(std::string_view operation);
AwsError internal_failure(std::string message = "An internal error occurred");  // 500

// A value or the AwsError that prevented it. Both convert implicitly, so a handler can
// `return json::Value::object(...)` or `return AwsError{...}` from the same function.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(AwsError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const AwsError& error() const& { return std::get<1>(v_); }
  AwsError&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, AwsError> v_;
};

enum class JsonVersion { V1_0, V1_1 };

std::string_view json_content_type(JsonVersion version);

// AWS JSON 1.0/1.1: {"__type":"<ns#>Type","message":"..."} with x-amzn-RequestId. error_namespace
// is what the service prefixes to its own error names (Step Functions:
// "com.amazonaws.swf.service.v2.model"); the shared framework errors (ValidationException,
// SerializationException, UnknownOperationException, InternalFailure) carry Coral's namespaces
// in that case, as AWS sends them. SDKs strip everything up to '#'.
HttpResponse render_json_error(const AwsError& error, JsonVersion version,
                               std::string_view request_id, std::string_view error_namespace = {});

// Query protocol (SNS, IAM, STS, CloudFormation):
// <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>..</Code><Message>..</Message>
// </Error><RequestId>..</RequestId></ErrorResponse>, text/xml.
HttpResponse render_query_error(const AwsError& error, std::string_view xmlns,
                                std::string_view request_id);

// REST-JSON as Lambda sends it: x-amzn-ErrorType header and {"Type":"User","message":"..."}.
HttpResponse render_rest_json_error(const AwsError& error, std::string_view request_id);

}  // namespace signoff::api
