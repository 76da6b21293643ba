// The shapes an AWS SDK works in, for requests Signoff makes to itself on someone's behalf (Step
// Functions' aws-sdk integrations, SSM's aws:executeAwsApi): SDK parameter objects become the
// wire's (camelCase JSON, flattened query parameters) and query-protocol XML answers become the
// JSON object an SDK would hand back. The XML read here is Signoff's own output (query_response,
// render_query_error), so the reader knows elements, text and entities and nothing more.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"

namespace signoff::api {

// Object keys, recursively: "stateMachineArn" ↔ "StateMachineArn". Values are left alone.
json::Value keys_to_pascal(const json::Value& v);
json::Value keys_to_camel(const json::Value& v);

// An SDK parameter object as query-protocol parameters: lists as Name.member.N, nested
// structures as Name.Field, maps (members named *Attributes) as Name.entry.N.key/value
// (MessageAttributes: Name.entry.N.Name / Name.entry.N.Value.*), booleans as true/false.
std::vector<std::pair<std::string, std::string>> flatten_query_params(const json::Value& params);

// The <ActionResult> of a query response as JSON: elements holding only <member>s become arrays,
// <entry> lists with key/value become objects, leaves become strings (the XML carries no types).
// nullopt when the text is not such a response.
std::optional<json::Value> query_result_to_json(std::string_view xml);

struct QueryErrorBody {
  std::string code;
  std::string message;
};
// <ErrorResponse><Error><Code>..</Code><Message>..</Message></Error>..; nullopt when not one.
std::optional<QueryErrorBody> query_error_of(std::string_view xml);

}  // namespace signoff::api
