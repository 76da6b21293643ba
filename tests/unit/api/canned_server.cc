// A server with canned Step Functions answers, for checking the edge by hand against the real AWS
// CLI (not run by ctest):
//   ./api_canned_server &   # prints the port
//   aws --endpoint-url http://127.0.0.1:PORT stepfunctions list-state-machines --region us-east-1
#include <cstdio>
#include <iostream>
#include <string>

#include "api/http/server.h"
#include "api/protocol/xml.h"
#include "api/router.h"

int main() {
  using namespace signoff;
  using namespace signoff::api;
  Router router;
  router.add_json_service(
      "states", "AWSStepFunctions", JsonVersion::V1_0,
      {{"ListStateMachines",
        [](const RequestContext&, const json::Value& body) -> Result<json::Value> {
          JsonReader in(body);
          in.optional_int("maxResults", {.min = 0, .max = 1000});
          if (auto error = in.error()) {
            return *error;
          }
          return json::Value::object({{"stateMachines", json::Value::array()}});
        }},
       {"DescribeStateMachine",
        [](const RequestContext&, const json::Value& body) -> Result<json::Value> {
          JsonReader in(body);
          std::string arn = in.required_string("stateMachineArn", {.min = 1, .max = 256});
          if (auto error = in.error()) {
            return *error;
          }
          return AwsError{400, "StateMachineDoesNotExist",
                          "State Machine Does Not Exist: '" + arn + "'"};
        }}},
      "com.amazonaws.swf.service.v2.model");
  router.add_query_service(
      "sns", std::string(query_namespace("sns")),
      {{"ListTopics",
        [](const RequestContext& ctx, const QueryParams&) -> Result<std::string> {
          XmlWriter xml;
          xml.open("Topics").open("member").element(
              "TopicArn", "arn:aws:sns:" + ctx.region + ":123456789012:a&b");
          return xml.finish();
        }},
       {"GetTopicAttributes",
        [](const RequestContext&, const QueryParams& p) -> Result<std::string> {
          return AwsError{404, "NotFound", "Topic does not exist: " + p.get_or("TopicArn")};
        }}});
  router.add_rest_json_service(
      "lambda", {{"GET", "/2015-03-31/functions/{FunctionName}", "GetFunction",
                  [](const RequestContext&, const RestRequest& r) -> Result<RestResponse> {
                    return AwsError{404, "ResourceNotFoundException",
                                    "Function not found: " + *r.label("FunctionName")};
                  }}});
  HttpServer server({.port = 0, .threads = 2}, router.handler());
  server.start();
  std::printf("%u\n", server.port());
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  server.stop();
  return 0;
}
