// REST-JSON requests (Lambda): path templates such as
// "/2015-03-31/functions/{FunctionName}/invocations" matched against the encoded request path,
// with labels percent-decoded; "{Name+}" as the last segment takes the rest of the path.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/message.h"
#include "api/protocol/query_protocol.h"
#include "common/json.h"

namespace signoff::api {

using PathLabels = std::vector<std::pair<std::string, std::string>>;

class PathTemplate {
 public:
  // nullopt when the pattern is malformed (unbalanced braces, a greedy label not last, a label
  // sharing its segment with text).
  static std::optional<PathTemplate> compile(std::string_view pattern);

  // Whether the encoded path fits; on success labels holds the decoded label values.
  bool match(std::string_view encoded_path, PathLabels& labels) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Segment {
    std::string text;  // literal text, or the label's name
    bool label = false;
    bool greedy = false;
  };
  std::string pattern_;
  std::vector<Segment> segments_;
};

struct RestRequest {
  PathLabels labels;
  QueryParams query;  // decoded query string
  std::shared_ptr<const HttpRequest> http;

  // A path label's decoded value, or nullptr.
  const std::string* label(std::string_view name) const;
  const std::string& body() const { return http->body; }
};

struct RestResponse {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  // A JSON body with Content-Type application/json.
  static RestResponse json(const json::Value& value, int status = 200);
};

}  // namespace signoff::api
