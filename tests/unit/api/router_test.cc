// Routing decisions for requests exactly as the SDKs and CLIs send them: the table below was
// captured by pointing botocore 1.43 (pip) and 1.29 (Debian) clients, and both AWS CLIs, at a
// local listener (headers trimmed to the ones routing may read).
#include "api/router.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace signoff::api {
namespace {

struct Case {
  const char* name;
  const char* method;
  const char* target;
  std::vector<Header> headers;
  const char* body;
  Protocol protocol;
  const char* service;
  const char* operation;
  const char* region;
};

HttpRequest make_request(const char* method, std::string target, std::vector<Header> headers,
                         std::string body) {
  HttpRequest r;
  r.method = method;
  r.target = target;
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? "" : target.substr(q + 1);
  r.headers = std::move(headers);
  r.body = std::move(body);
  r.remote_address = "127.0.0.1";
  return r;
}

const std::vector<Case>& captured_cases() {
  static const std::
      vector<Case>
          cases =
              {
                  {"botocore 1.43 ListStateMachines",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(X-Amz-Target)", R"(AWSStepFunctions.ListStateMachines)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.0)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=19531ccb256b7a7c1f0c02b2cbfdbbae1e94768ff5beea2b4ac7cc4bf2508054)"}},
                   R"({})",
                   Protocol::Json,
                   "states",
                   "ListStateMachines",
                   "us-east-1"},
                  {"botocore 1.43 StartExecution",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(X-Amz-Target)", R"(AWSStepFunctions.StartExecution)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.0)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=ef912edc7d9c1c2b030d44562fd90079be4b4b97b71f3650f4276bd3cc0e1f31)"}},
                   R"({"stateMachineArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:x", "input": "{\"a\":1}"})",
                   Protocol::Json,
                   "states",
                   "StartExecution",
                   "eu-west-1"},
                  {"botocore 1.43 StartAutomationExecution",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(X-Amz-Target)", R"(AmazonSSM.StartAutomationExecution)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.1)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=2ba916479c13530c5c8dd91a08b745127d8ea328441af65a270db58c9acae96f)"}},
                   R"({"DocumentName": "d", "Parameters": {"a": ["b"]}})",
                   Protocol::Json,
                   "ssm",
                   "StartAutomationExecution",
                   "us-east-1"},
                  {"botocore 1.43 PutEvents",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(X-Amz-Target)", R"(AWSEvents.PutEvents)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.1)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=6cb87aa58d2fb9c4647fd5bd61c7d994ea9b7d2e72a8102bf2ac3d55f30e8fe0)"}},
                   R"({"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}"}]})",
                   Protocol::Json,
                   "events",
                   "PutEvents",
                   "us-east-1"},
                  {"botocore 1.43 DescribeLogGroups",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(X-Amz-Target)", R"(Logs_20140328.DescribeLogGroups)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.1)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/logs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=51180d7438977b8507b5a8b6ce933572b54b2c641ccea41f97b07bc2d822c42c)"}},
                   R"({})",
                   Protocol::Json,
                   "logs",
                   "DescribeLogGroups",
                   "us-east-1"},
                  {"botocore 1.43 Publish",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=23eb510f94fdb361ce1785893e6804643ddafb7493f4fcb62905eaf504600178)"}},
                   R"(Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Message=hi+%26+%3Cx%3E&MessageAttributes.entry.1.Name=k&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v)",
                   Protocol::Query,
                   "sns",
                   "Publish",
                   "us-east-1"},
                  {"botocore 1.43 CreateTopic",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"}, {R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"}, {R"(Authorization)", R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=4b30b79dd0538290267d520f3ba435d9044897442758d0e8c442b0ee6832627d)"}},
                   R"(Action=CreateTopic&Version=2010-03-31&Name=t&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=d&Tags.member.1.Key=a&Tags.member.1.Value=b)",
                   Protocol::Query,
                   "sns",
                   "CreateTopic",
                   "us-east-1"},
                  {"botocore 1.43 ListUsers",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=bf2b9b71498894c580b57c14f48cab323ffcf295955cdc8253ad899c11756764)"}},
                   R"(Action=ListUsers&Version=2010-05-08)",
                   Protocol::Query,
                   "iam",
                   "ListUsers",
                   "us-east-1"},
                  {"botocore 1.43 GetCallerIdentity",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=dfe71ef6ff00b91cda7f538baa17d074a9db06bb577056e68ad696f80df0b0ad)"}},
                   R"(Action=GetCallerIdentity&Version=2011-06-15)",
                   Protocol::Query,
                   "sts",
                   "GetCallerIdentity",
                   "us-east-1"},
                  {"botocore 1.43 CreateStack",
                   R"(POST)",
                   R"(/)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/cloudformation/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=3f978de647410a2310d30a815da6995b1e984a2bd555d20f84cb9a129c3285bb)"}},
                   R"(Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=%7B%7D&Parameters.member.1.ParameterKey=a&Parameters.member.1.ParameterValue=b)",
                   Protocol::Query,
                   "cloudformation",
                   "CreateStack",
                   "us-east-1"},
                  {"botocore 1.43 Invoke",
                   R"(POST)",
                   R"(/2015-03-31/functions/my-fn/invocations)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=7589c3ead8a9d7b734333232dd58c25b95fa528132566874d4aa503cec2a9b14)"}},
                   R"({"x":1})",
                   Protocol::RestJson,
                   "lambda",
                   "Invoke",
                   "us-east-1"},
                  {"botocore 1.43 ListFunctions",
                   R"(GET)",
                   R"(/2015-03-31/functions?MaxItems=5)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=4a6f736a205ecfdf8f2fe3d0487470c76f285e773a28bca34514598dc7369d4d)"}},
                   R"()",
                   Protocol::RestJson,
                   "lambda",
                   "ListFunctions",
                   "us-east-1"},
                  {"botocore 1.43 GetFunction",
                   R"(GET)",
                   R"(/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3A1)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=dc6feeaf81ba376073bfe94a4251e0dfd9de9d1659900d1cf6626cb8702c938c)"}},
                   R"()",
                   Protocol::RestJson,
                   "lambda",
                   "GetFunction",
                   "us-east-1"},
                  {"botocore 1.43 CreateEventSourceMapping",
                   R"(POST)",
                   R"(/2015-03-31/event-source-mappings)",
                   {{R"(Host)", R"(127.0.0.1:18111)"}, {R"(Content-Type)", R"(application/json)"}, {R"(Authorization)", R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=20e6fd42d26b9f8ae9e75e7799fada7cca57ca7df1b7ef9b3d8a800cd2c6af44)"}},
                   R"({"FunctionName": "f", "EventSourceArn": "arn:aws:sqs:us-east-1:1:q"})",
                   Protocol::RestJson,
                   "lambda",
                   "CreateEventSourceMapping",
                   "us-east-1"},
                  {"botocore 1.43 ListTags",
                   R"(GET)",
                   R"(/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=fb23c22fa7b1c76003070343adf4d9051e731ba01f86d86df3c8c923a740fd5e)"}},
                   R"()",
                   Protocol::RestJson,
                   "lambda",
                   "ListTags",
                   "us-east-1"},
                  {"botocore 1.43 PublishLayerVersion",
                   R"(POST)",
                   R"(/2018-10-31/layers/l/versions)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Content-Type)", R"(application/json)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=dc74784cb3e6d49667dc04b6481d0d0154443f6453db5938fdd7b5dc3e38eb6c)"}},
                   R"({"Content": {"ZipFile": "eA=="}})",
                   Protocol::RestJson,
                   "lambda",
                   "PublishLayerVersion",
                   "us-east-1"},
                  {"botocore 1.43 PutFunctionConcurrency",
                   R"(PUT)",
                   R"(/2017-10-31/functions/f/concurrency)",
                   {{R"(Host)", R"(127.0.0.1:18111)"},
                    {R"(Content-Type)", R"(application/json)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=812cc963b00b89f2f484c3c230f7548ae40018d634072133d6f00deaf230a62c)"}},
                   R"({"ReservedConcurrentExecutions": 1})",
                   Protocol::RestJson,
                   "lambda",
                   "PutFunctionConcurrency",
                   "us-east-1"},
                  {"botocore 1.29 ListStateMachines",
                   R"(POST)",
                   R"(/)",
                   {{R"(X-Amz-Target)", R"(AWSStepFunctions.ListStateMachines)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.0)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=72a3f37e475a4796a472ba13e3fcbd4a056a88f04d8506a353456abdb793e1b4)"}},
                   R"({})",
                   Protocol::Json,
                   "states",
                   "ListStateMachines",
                   "us-east-1"},
                  {"botocore 1.29 StartExecution",
                   R"(POST)",
                   R"(/)",
                   {{R"(X-Amz-Target)", R"(AWSStepFunctions.StartExecution)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.0)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0a7ecf1d0eabf9a0b4b4e0b69698371b774c973e50455277d60092cfe59c7ba1)"}},
                   R"({"stateMachineArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:x", "input": "{\"a\":1}"})",
                   Protocol::Json,
                   "states",
                   "StartExecution",
                   "eu-west-1"},
                  {"botocore 1.29 StartAutomationExecution",
                   R"(POST)",
                   R"(/)",
                   {{R"(X-Amz-Target)", R"(AmazonSSM.StartAutomationExecution)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.1)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=c2333a299932fcd3b40534603d94d0eeca5376d92f16b70e9c614c4e8bf645c4)"}},
                   R"({"DocumentName": "d", "Parameters": {"a": ["b"]}})",
                   Protocol::Json,
                   "ssm",
                   "StartAutomationExecution",
                   "us-east-1"},
                  {"botocore 1.29 PutEvents",
                   R"(POST)",
                   R"(/)",
                   {{R"(X-Amz-Target)", R"(AWSEvents.PutEvents)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.1)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=bb1dd7edd03e348c77696c622b0fb605e8f3e807aa573037c42e5d71dfd4ff99)"}},
                   R"({"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}"}]})",
                   Protocol::Json,
                   "events",
                   "PutEvents",
                   "us-east-1"},
                  {"botocore 1.29 DescribeLogGroups",
                   R"(POST)",
                   R"(/)",
                   {{R"(X-Amz-Target)", R"(Logs_20140328.DescribeLogGroups)"},
                    {R"(Content-Type)", R"(application/x-amz-json-1.1)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/logs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=e571d93aaf17d96cbd9129a875b9d48f43f2502f9ba714d87d0d576ab69db160)"}},
                   R"({})",
                   Protocol::Json,
                   "logs",
                   "DescribeLogGroups",
                   "us-east-1"},
                  {"botocore 1.29 Publish",
                   R"(POST)",
                   R"(/)",
                   {{R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=34a088b2506a3d9fed192ea2703b54b83dddbd35bf8e8ba14f61a8b14edccedf)"}},
                   R"(Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Message=hi+%26+%3Cx%3E&MessageAttributes.entry.1.Name=k&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v)",
                   Protocol::Query,
                   "sns",
                   "Publish",
                   "us-east-1"},
                  {"botocore 1.29 CreateTopic",
                   R"(POST)",
                   R"(/)",
                   {{R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=6289964dbe00357958f7c0c92b2840a563457b81387695ce35b90e8ae9e7f950)"}},
                   R"(Action=CreateTopic&Version=2010-03-31&Name=t&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=d&Tags.member.1.Key=a&Tags.member.1.Value=b)",
                   Protocol::Query,
                   "sns",
                   "CreateTopic",
                   "us-east-1"},
                  {"botocore 1.29 ListUsers",
                   R"(POST)",
                   R"(/)",
                   {{R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=8c7c218c0eff853a067d5ee32da5f15f448e34ed99d9ea92165acc11bc12bd55)"}},
                   R"(Action=ListUsers&Version=2010-05-08)",
                   Protocol::Query,
                   "iam",
                   "ListUsers",
                   "us-east-1"},
                  {"botocore 1.29 GetCallerIdentity",
                   R"(POST)",
                   R"(/)",
                   {{R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=8e7406349cd7b1aae658842b8ee33dbc12c722718ddcc86ea1c93f6e9b8045ca)"}},
                   R"(Action=GetCallerIdentity&Version=2011-06-15)",
                   Protocol::Query,
                   "sts",
                   "GetCallerIdentity",
                   "us-east-1"},
                  {"botocore 1.29 CreateStack",
                   R"(POST)",
                   R"(/)",
                   {{R"(Content-Type)", R"(application/x-www-form-urlencoded; charset=utf-8)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/cloudformation/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=9cba9292d20c52ecc0cbe8d079954117c11534306dec9fece783b72ab2ed2e4a)"}},
                   R"(Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=%7B%7D&Parameters.member.1.ParameterKey=a&Parameters.member.1.ParameterValue=b)",
                   Protocol::Query,
                   "cloudformation",
                   "CreateStack",
                   "us-east-1"},
                  {"botocore 1.29 Invoke",
                   R"(POST)",
                   R"(/2015-03-31/functions/my-fn/invocations)",
                   {{R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=e203690fa254915cdaa902b184fe91038aac9a3cf781b50d9dff93f6570e8c23)"}},
                   R"({"x":1})",
                   Protocol::RestJson,
                   "lambda",
                   "Invoke",
                   "us-east-1"},
                  {"botocore 1.29 ListFunctions",
                   R"(GET)",
                   R"(/2015-03-31/functions/?MaxItems=5)",
                   {{R"(host)", R"(127.0.0.1:18112)"}, {R"(Authorization)", R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=03fe63a1ce7a2c80d23bbaeb1fabbc6916ac816c97d5ff904b9107d0e371e86e)"}},
                   R"()",
                   Protocol::RestJson,
                   "lambda",
                   "ListFunctions",
                   "us-east-1"},
                  {"botocore 1.29 GetFunction",
                   R"(GET)",
                   R"(/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3A1)",
                   {{R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=747a373d95981a6fcff1051329113d5391cdd3281ad62e4f5cfaf2ab5733a6cc)"}},
                   R"()",
                   Protocol::RestJson,
                   "lambda",
                   "GetFunction",
                   "us-east-1"},
                  {"botocore 1.29 CreateEventSourceMapping",
                   R"(POST)",
                   R"(/2015-03-31/event-source-mappings/)",
                   {{R"(Content-Type)", R"(application/json)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=3876a6daa4641f6ea6db8a03112a3d38ae01151abcaa612d414f92fd96ee12c0)"}},
                   R"({"FunctionName": "f", "EventSourceArn": "arn:aws:sqs:us-east-1:1:q"})",
                   Protocol::RestJson,
                   "lambda",
                   "CreateEventSourceMapping",
                   "us-east-1"},
                  {"botocore 1.29 ListTags",
                   R"(GET)",
                   R"(/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af)",
                   {{R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=6c04dfb1969c4dcdfd0eb08e52f5cf51c9b9e1eebcb1b1917bbc337868fdc3c5)"}},
                   R"()",
                   Protocol::RestJson,
                   "lambda",
                   "ListTags",
                   "us-east-1"},
                  {"botocore 1.29 PublishLayerVersion",
                   R"(POST)",
                   R"(/2018-10-31/layers/l/versions)",
                   {{R"(Content-Type)", R"(application/json)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=d86f8d92a56c041a9ad24b49739d37d200dc636755a399fafba385c752d95c46)"}},
                   R"({"Content": {"ZipFile": "eA=="}})",
                   Protocol::RestJson,
                   "lambda",
                   "PublishLayerVersion",
                   "us-east-1"},
                  {"botocore 1.29 PutFunctionConcurrency",
                   R"(PUT)",
                   R"(/2017-10-31/functions/f/concurrency)",
                   {{R"(Content-Type)", R"(application/json)"},
                    {R"(host)", R"(127.0.0.1:18112)"},
                    {R"(Authorization)",
                     R"(AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ffe778fc9023ac0e55459825bf771e4750f3af0ce9a8b860ebf5ffd008aba546)"}},
                   R"({"ReservedConcurrentExecutions": 1})",
                   Protocol::RestJson,
                   "lambda",
                   "PutFunctionConcurrency",
                   "us-east-1"},  // The AWS CLIs (v1 1.45 from pip, v2 2.9 from Debian) send the
                                  // same shapes.
                  {"aws-cli v2 ListStateMachines",
                   "POST",
                   "/",
                   {{"X-Amz-Target", "AWSStepFunctions.ListStateMachines"},
                    {"Content-Type", "application/x-amz-json-1.0"},
                    {"Authorization",
                     "AWS4-HMAC-SHA256 "
                     "Credential=AKIDCLI/20261201/ap-southeast-2/states/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"}},
                   "{}",
                   Protocol::Json,
                   "states",
                   "ListStateMachines",
                   "ap-southeast-2"},
                  {"aws-cli v2 sns ListTopics",
                   "POST",
                   "/",
                   {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                    {"Authorization",
                     "AWS4-HMAC-SHA256 "
                     "Credential=AKIDCLI/20261201/ap-southeast-2/sns/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date, Signature=00"}},
                   "Action=ListTopics&Version=2010-03-31",
                   Protocol::Query,
                   "sns",
                   "ListTopics",
                   "ap-southeast-2"},
                  // A presigned URL (generate_presigned_url): the scope travels in the query
                  // string.
                  {"presigned sns ListTopics",
                   "GET",
                   "/?Action=ListTopics&Version=2010-03-31&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-"
                   "Credential="
                   "AKIDEXAMPLE%2F20261201%2Feu-central-1%2Fsns%2Faws4_request&X-Amz-Date="
                   "20261201T071236Z&X-"
                   "Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=b7e4",
                   {{"Host", "127.0.0.1:18111"}},
                   "",
                   Protocol::Query,
                   "sns",
                   "ListTopics",
                   "eu-central-1"},
                  // Unsigned requests: the target prefix or the API version still name the service.
                  {"unsigned json",
                   "POST",
                   "/",
                   {{"X-Amz-Target", "AmazonSSM.GetAutomationExecution"}},
                   "",
                   Protocol::Json,
                   "ssm",
                   "GetAutomationExecution",
                   "us-west-2"},
                  {"unsigned query",
                   "POST",
                   "/",
                   {{"Content-Type", "application/x-www-form-urlencoded"}},
                   "Action=GetCallerIdentity&Version=2011-06-15",
                   Protocol::Query,
                   "sts",
                   "GetCallerIdentity",
                   "us-west-2"},
                  {"unsigned lambda",
                   "GET",
                   "/2015-03-31/functions/f",
                   {},
                   "",
                   Protocol::RestJson,
                   "lambda",
                   "GetFunction",
                   "us-west-2"},
                  {"nothing to go by",
                   "GET",
                   "/favicon.ico",
                   {},
                   "",
                   Protocol::Unknown,
                   "",
                   "",
                   "us-west-2"},
                  {"form without action",
                   "POST",
                   "/",
                   {{"Content-Type", "application/x-www-form-urlencoded"}},
                   "Version=2010-03-31",
                   Protocol::Query,
                   "",
                   "",
                   "us-west-2"},
              };
  return cases;
}

Router lambda_router() {
  Router router({.default_region = "us-west-2"});
  auto ok = [](const RequestContext&, const RestRequest&) -> Result<RestResponse> {
    return RestResponse{};
  };
  router.add_rest_json_service(
      "lambda",
      {
          {"POST", "/2015-03-31/functions/{FunctionName}/invocations", "Invoke", ok},
          {"GET", "/2015-03-31/functions", "ListFunctions", ok},
          {"GET", "/2015-03-31/functions/{FunctionName}", "GetFunction", ok},
          {"POST", "/2015-03-31/event-source-mappings", "CreateEventSourceMapping", ok},
          {"GET", "/2017-03-31/tags/{Resource}", "ListTags", ok},
          {"POST", "/2018-10-31/layers/{LayerName}/versions", "PublishLayerVersion", ok},
          {"PUT", "/2017-10-31/functions/{FunctionName}/concurrency", "PutFunctionConcurrency", ok},
      });
  return router;
}

TEST(Router, CapturedRequests) {
  Router router = lambda_router();
  for (const Case& c : captured_cases()) {
    SCOPED_TRACE(c.name);
    HttpRequest request = make_request(c.method, c.target, c.headers, c.body);
    RouteInfo info = router.route(request);
    EXPECT_EQ(info.protocol, c.protocol);
    EXPECT_EQ(info.service, c.service);
    EXPECT_EQ(info.operation, c.operation);
    EXPECT_EQ(info.region, c.region);
  }
}

TEST(Router, CredentialScope) {
  auto scope = parse_credential_scope("AKID/20261201/us-east-1/sns/aws4_request");
  ASSERT_TRUE(scope);
  EXPECT_EQ(scope->access_key_id, "AKID");
  EXPECT_EQ(scope->date, "20261201");
  EXPECT_EQ(scope->region, "us-east-1");
  EXPECT_EQ(scope->service, "sns");
  EXPECT_FALSE(parse_credential_scope("AKID/20261201/us-east-1/sns"));
  EXPECT_FALSE(parse_credential_scope("AKID/20261201/us-east-1/sns/aws4_request/x"));
  EXPECT_FALSE(parse_credential_scope("AKID/20261201/us-east-1//aws4_request"));
  EXPECT_FALSE(parse_credential_scope(""));
}

// Runs a request through dispatch and returns the (synchronous) response.
HttpResponse run(const Router& router, HttpRequest request) {
  HttpResponse out;
  bool answered = false;
  router.dispatch(std::move(request), [&](HttpResponse r) {
    out = std::move(r);
    answered = true;
  });
  EXPECT_TRUE(answered);
  return out;
}

HttpRequest sfn(std::string operation, std::string body) {
  return make_request("POST", "/",
                      {{"X-Amz-Target", "AWSStepFunctions." + operation},
                       {"Content-Type", "application/x-amz-json-1.0"}},
                      std::move(body));
}

Router states_router() {
  Router router({.log = [](std::string_view) {
  }});
  router.add_json_service(
      "states", "AWSStepFunctions", JsonVersion::V1_0,
      {{"ListStateMachines",
        [](const RequestContext& ctx, const json::Value&) -> Result<json::Value> {
          return json::Value::object({{"region", ctx.region}, {"op", ctx.operation}});
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
        }},
       {"Throws",
        [](const RequestContext&, const json::Value&) -> Result<json::Value> {
          throw std::runtime_error("boom");
        }},
       {"Later",
        [](const RequestContext&, json::Value body, JsonReply reply) {
          reply.ok(body);
          reply.fail(internal_failure());  // ignored: the first answer stands
        }}},
      "com.amazonaws.swf.service.v2.model");
  return router;
}

TEST(Router, JsonSuccessEnvelope) {
  Router router = states_router();
  HttpResponse r = run(router, sfn("ListStateMachines", ""));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"region":"us-east-1","op":"ListStateMachines"})");
  bool type = false, id = false;
  for (const Header& h : r.headers) {
    type |= h.name == "Content-Type" && h.value == "application/x-amz-json-1.0";
    id |= h.name == "x-amzn-RequestId" && h.value.size() == 36;
  }
  EXPECT_TRUE(type);
  EXPECT_TRUE(id);
}

TEST(Router, JsonErrors) {
  Router router = states_router();
  struct {
    HttpRequest request;
    int status;
    const char* body;
  } cases[] = {
      {sfn("DescribeStateMachine", R"({"stateMachineArn":"arn:x"})"), 400,
       R"({"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: 'arn:x'"})"},
      {sfn("DescribeStateMachine", "{}"), 400,
       R"({"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"})"},
      {sfn("DescribeStateMachine", "{"), 400, nullptr},
      {sfn("Nope", "{}"), 400,
       R"({"__type":"com.amazon.coral.service#UnknownOperationException","message":"The operation Nope is not supported."})"},
      {sfn("Throws", "{}"), 500,
       R"({"__type":"com.amazon.coral.service#InternalFailure","message":"An internal error occurred"})"},
      {sfn("Later", R"({"a":1})"), 200, R"({"a":1})"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.request.header("X-Amz-Target")->c_str());
    HttpResponse r = run(router, std::move(c.request));
    EXPECT_EQ(r.status, c.status);
    if (c.body) {
      EXPECT_EQ(r.body, c.body);
    } else {
      EXPECT_NE(r.body.find("SerializationException"), std::string::npos) << r.body;
    }
  }
}

TEST(Router, QueryEnvelopes) {
  Router router({.log = [](std::string_view) {
  }});
  router.add_query_service(
      "sns", std::string(query_namespace("sns")),
      {{"ListTopics",
        [](const RequestContext&, const QueryParams& p) -> Result<std::string> {
          return "<Topics><member><TopicArn>" + p.get_or("NextToken") +
                 "</TopicArn></member></Topics>";
        }},
       {"GetTopicAttributes", [](const RequestContext&, const QueryParams&) -> Result<std::string> {
          return AwsError{404, "NotFound", "Topic does not exist"};
        }}});
  auto form = [](std::string body) {
    return make_request(
        "POST", "/",
        {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
         {"Authorization", "AWS4-HMAC-SHA256 Credential=A/20261201/us-east-1/sns/aws4_request"}},
        std::move(body));
  };
  HttpResponse ok = run(router, form("Action=ListTopics&Version=2010-03-31&NextToken=t1"));
  EXPECT_EQ(ok.status, 200);
  std::string id = ok.headers.back().value;
  EXPECT_EQ(ok.body,
            "<?xml version=\"1.0\"?><ListTopicsResponse "
            "xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult><Topics><member>"
            "<TopicArn>t1</TopicArn></member></Topics></ListTopicsResult><ResponseMetadata>"
            "<RequestId>" +
                id + "</RequestId></ResponseMetadata></ListTopicsResponse>");
  HttpResponse missing = run(router, form("Action=GetTopicAttributes&TopicArn=x"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("<Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does "
                              "not exist</Message></Error>"),
            std::string::npos)
      << missing.body;
  HttpResponse invalid = run(router, form("Action=Frobnicate&Version=2010-03-31"));
  EXPECT_EQ(invalid.status, 400);
  EXPECT_NE(invalid.body.find("<Code>InvalidAction</Code>"), std::string::npos) << invalid.body;
}

TEST(Router, RestRoutesAndErrors) {
  Router router({.log = [](std::string_view) {
  }});
  router.add_rest_json_service(
      "lambda", {{"POST", "/2015-03-31/functions/{FunctionName}/invocations", "Invoke",
                  [](const RequestContext&, const RestRequest& r) -> Result<RestResponse> {
                    if (*r.label("FunctionName") == "missing") {
                      return AwsError{404, "ResourceNotFoundException", "Function not found"};
                    }
                    RestResponse out;
                    out.body = *r.label("FunctionName") + ":" + r.query.get_or("Qualifier") + ":" +
                               r.body();
                    return out;
                  }}});
  HttpResponse ok = run(router, make_request("POST",
                                             "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-"
                                             "1%3A1%3Afunction%3Af/invocations?Qualifier=%24LATEST",
                                             {}, "{}"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "arn:aws:lambda:us-east-1:1:function:f:$LATEST:{}");
  HttpResponse missing =
      run(router, make_request("POST", "/2015-03-31/functions/missing/invocations", {}, ""));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"Type":"User","message":"Function not found"})");
  bool error_type = false;
  for (const Header& h : missing.headers) {
    error_type |= h.name == "x-amzn-ErrorType" && h.value == "ResourceNotFoundException";
  }
  EXPECT_TRUE(error_type);
  EXPECT_EQ(run(router, make_request("GET", "/2015-03-31/functions/f/invocations", {}, "")).status,
            405);
  EXPECT_EQ(run(router, make_request("GET", "/2015-03-31/layers", {}, "")).status, 404);
}

TEST(Router, UnknownServiceIsAnError) {
  Router router;
  EXPECT_EQ(run(router, make_request("GET", "/", {}, "")).status, 400);
  HttpResponse r = run(router, sfn("ListStateMachines", "{}"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("UnknownOperationException"), std::string::npos);
}

TEST(Router, PlainRoutesMatchMethodAndExactPath) {
  Router router;
  router.add_plain_route("GET", "/sns/confirm",
                         [](std::shared_ptr<const HttpRequest> http, Responder respond) {
                           HttpResponse r;
                           r.body = "query=" + http->query;
                           respond(std::move(r));
                         });
  router.add_plain_route("GET", "/boom", [](std::shared_ptr<const HttpRequest>, Responder) {
    throw std::runtime_error("bug");
  });
  HttpResponse ok = run(router, make_request("GET", "/sns/confirm?Token=t", {}, ""));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "query=Token=t");
  EXPECT_EQ(run(router, make_request("POST", "/sns/confirm", {}, "")).status, 400);
  EXPECT_EQ(run(router, make_request("GET", "/sns/confirm/x", {}, "")).status, 400);
  EXPECT_EQ(run(router, make_request("GET", "/boom", {}, "")).status, 500);
}

TEST(Router, RequestIdsAreUuidShaped) {
  Router router = states_router();
  std::string a = run(router, sfn("ListStateMachines", "")).headers.back().value;
  std::string b = run(router, sfn("ListStateMachines", "")).headers.back().value;
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[14], '4');
}

}  // namespace
}  // namespace signoff::api
