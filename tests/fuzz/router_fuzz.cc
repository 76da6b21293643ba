// Fuzzes routing and dispatch over arbitrary requests. Input: "METHOD TARGET" on the first line,
// then "Name: value" header lines, an empty line, and the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/protocol/rest.h"
#include "api/router.h"

namespace {

using namespace signoff;
using namespace signoff::api;

const Router& router() {
  static const Router* instance = [] {
    auto* out = new Router({.log = [](std::string_view) {
    }});
    out->add_json_service(
        "states", "AWSStepFunctions", JsonVersion::V1_0,
        {{"DescribeExecution",
          [](const RequestContext&, const json::Value& body) -> Result<json::Value> {
            JsonReader in(body);
            std::string arn = in.required_string("executionArn", {.min = 1, .max = 256});
            if (auto error = in.error()) {
              return *error;
            }
            return json::Value::object({{"executionArn", arn}});
          }},
         {"Throw",
          [](const RequestContext&, const json::Value&) -> Result<json::Value> {
            throw std::runtime_error("x");
          }}},
        "com.amazonaws.swf.service.v2.model");
    out->add_query_service(
        "sns", std::string(query_namespace("sns")),
        {{"Publish", [](const RequestContext&, const QueryParams& p) -> Result<std::string> {
            return "<MessageId>" + std::to_string(p.structs("MessageAttributes", "entry").size()) +
                   "</MessageId>";
          }}});
    out->add_rest_json_service(
        "lambda", {{"POST", "/2015-03-31/functions/{FunctionName}/invocations", "Invoke",
                    [](const RequestContext&, const RestRequest& r) -> Result<RestResponse> {
                      RestResponse response;
                      response.body = *r.label("FunctionName");
                      return response;
                    }},
                   {"GET", "/2017-03-31/tags/{ARN+}", "ListTags",
                    [](const RequestContext&, const RestRequest&) -> Result<RestResponse> {
                      return AwsError{404, "ResourceNotFoundException", "none"};
                    }}});
    return out;
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  HttpRequest request;
  size_t line_end = text.find('\n');
  std::string_view first = text.substr(0, line_end);
  size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  request.target = space == std::string_view::npos ? "/" : std::string(first.substr(space + 1));
  size_t q = request.target.find('?');
  request.path = request.target.substr(0, q);
  request.query = q == std::string::npos ? "" : request.target.substr(q + 1);
  size_t pos = line_end == std::string_view::npos ? text.size() : line_end + 1;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (line.empty()) {
      break;
    }
    size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    request.headers.push_back(Header{std::string(line.substr(0, colon)), std::string(value)});
  }
  request.body = std::string(text.substr(pos));

  (void)identify_request(request, "us-east-1");
  (void)router().route(request);
  if (auto pattern = PathTemplate::compile(request.path)) {
    PathLabels labels;
    (void)pattern->match(request.path, labels);
  }
  int answers = 0;
  router().dispatch(std::move(request), [&](HttpResponse r) {
    ++answers;
    if (r.status < 200 || r.status > 599) {
      __builtin_trap();
    }
  });
  if (answers != 1) {
    __builtin_trap();  // every registered handler here answers synchronously, exactly once
  }
  return 0;
}
