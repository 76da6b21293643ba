#include "api/aws_error.h"

#include "api/protocol/xml.h"
#include "common/json.h"

namespace signoff::api {
namespace {

// Coral (the framework behind the JSON-protocol services) puts its own errors in these
// namespaces, whichever service raised them.
std::string_view coral_namespace(std::string_view type) {
  if (type == "ValidationException") {
    return "com.amazon.coral.validate";
  }
  if (type == "SerializationException" || type == "UnknownOperationException" ||
      type == "InternalFailure" || type == "AccessDeniedException" ||
      type == "UnrecognizedClientException" || type == "ThrottlingException" ||
      type == "InvalidSignatureException" || type == "IncompleteSignatureException" ||
      type == "MissingAuthenticationTokenException" || type == "ExpiredTokenException") {
    return "com.amazon.coral.service";
  }
  return {};
}

}  // namespace

AwsError validation_error(std::string message) {
  return AwsError{400, "ValidationException", std::move(message)};
}

AwsError serialization_error(std::string message) {
  return AwsError{400, "SerializationException", std::move(message)};
}

AwsError unknown_operation(std::string_view operation) {
  std::string message = "The operation ";
  message += operation;
  message += " is not supported.";
  return AwsError{400, "UnknownOperationException", std::move(message)};
}

AwsError internal_failure(std::string message) {
  return AwsError{500, "InternalFailure", std::move(message)};
}

std::string_view json_content_type(JsonVersion version) {
  return version == JsonVersion::V1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
}

HttpResponse render_json_error(const AwsError& error, JsonVersion version,
                               std::string_view request_id, std::string_view error_namespace) {
  std::string type;
  if (!error_namespace.empty() && error.type.find('#') == std::string::npos) {
    std::string_view coral = coral_namespace(error.type);
    type += coral.empty() ? error_namespace : coral;
    type += '#';
  }
  type += error.type;
  HttpResponse response;
  response.status = error.status;
  response.body = "{\"__type\":";
  json::quote_to(type, response.body);
  response.body += ",\"message\":";
  json::quote_to(error.message, response.body);
  response.body += '}';
  response.set_header("Content-Type", json_content_type(version));
  response.set_header("x-amzn-RequestId", request_id);
  return response;
}

HttpResponse render_query_error(const AwsError& error, std::string_view xmlns,
                                std::string_view request_id) {
  XmlWriter xml;
  xml.open("ErrorResponse", xmlns)
      .open("Error")
      .element("Type", error.is_client_fault() ? "Sender" : "Receiver")
      .element("Code", error.type)
      .element("Message", error.message)
      .close()
      .element("RequestId", request_id);
  HttpResponse response;
  response.status = error.status;
  response.body = "<?xml version=\"1.0\"?>" + xml.finish();
  response.set_header("Content-Type", "text/xml");
  response.set_header("x-amzn-RequestId", request_id);
  return response;
}

HttpResponse render_rest_json_error(const AwsError& error, std::string_view request_id) {
  HttpResponse response;
  response.status = error.status;
  response.body = "{\"Type\":";
  response.body += error.is_client_fault() ? "\"User\"" : "\"Service\"";
  response.body += ",\"message\":";
  json::quote_to(error.message, response.body);
  response.body += '}';
  response.set_header("Content-Type", "application/json");
  response.set_header("x-amzn-ErrorType", error.type);
  response.set_header("x-amzn-RequestId", request_id);
  return response;
}

}  // namespace signoff::api
