// The query protocol (SNS, IAM, STS, CloudFormation): form-encoded parameters with AWS's list and
// map flattening on the way in, XML envelopes on the way out.
//
//   Tags.member.1.Key=a&Tags.member.1.Value=b        → params.structs("Tags")[0].get("Key")
//   Attributes.entry.1.key=K&Attributes.entry.1.value=V → params.map("Attributes")
//   TopicArns.member.1=x&TopicArns.member.2=y          → params.list("TopicArns")
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/message.h"

namespace signoff::api {

class QueryParams {
 public:
  QueryParams() = default;
  // A form body or query string (application/x-www-form-urlencoded).
  static QueryParams parse(std::string_view form);

  void add(std::string key, std::string value);
  // The first value given for key, or nullptr.
  const std::string* get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string_view fallback = {}) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

  // Name.member.N values, ordered by N (member "" reads the flattened form Name.N).
  std::vector<std::string> list(std::string_view name, std::string_view member = "member") const;
  // Name.member.N.* as one QueryParams per N (keys relative to the element), ordered by N.
  std::vector<QueryParams> structs(std::string_view name, std::string_view member = "member") const;
  // Name.entry.N.<key>=K & Name.entry.N.<value>=V as (K, V) pairs ordered by N; entries
  // without a key are skipped.
  std::vector<std::pair<std::string, std::string>> map(std::string_view name,
                                                       std::string_view key = "key",
                                                       std::string_view value = "value") const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// Parameters of a query-protocol request: the query string's, then the form body's (when the body
// is form-encoded, which AWS clients always send for POST).
QueryParams query_request_params(const HttpRequest& request);

// <ActionResponse xmlns="..."><ActionResult>result_xml</ActionResult><ResponseMetadata>
// <RequestId>..</RequestId></ResponseMetadata></ActionResponse>, 200, text/xml.
HttpResponse query_response(std::string_view action, std::string_view xmlns,
                            std::string_view result_xml, std::string_view request_id);

// The XML namespace each query-protocol service's documents use.
std::string_view query_namespace(std::string_view service);

}  // namespace signoff::api
