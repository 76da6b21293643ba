// Every operation of every service declares its IAM permission: a router with all of them
// registered lists no undeclared operation (App::start refuses to serve otherwise), and the
// declarations compute the resource ARNs the Service Authorization Reference names.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "api/cloudformation_api.h"
#include "api/events_api.h"
#include "api/iam_api.h"
#include "api/lambda_api.h"
#include "api/logs_api.h"
#include "api/sns_api.h"
#include "api/ssm_api.h"
#include "api/states_api.h"
#include "common/clock.h"
#include "iam/identity.h"
#include "store/store.h"

namespace signoff::api {
namespace {

// Records what the router asks, and denies it, so a test reads the declared action and resource
// from the AccessDenied answer.
class RecordingAuthorizer final : public Authorizer {
 public:
  Decision authorize(const Principal&, std::string_view action,
                     std::string_view resource) const override {
    last_action = std::string(action);
    last_resource = std::string(resource);
    return Decision::ImplicitDeny;
  }
  mutable std::string last_action;
  mutable std::string last_resource;
};

// Signs nothing: every request is one IAM user (not the administrator, whom undeclared
// operations would let through).
class UserAuthenticator final : public Authenticator {
 public:
  Result<Principal> authenticate(const HttpRequest&, const RouteInfo&) const override {
    Principal p;
    p.kind = Principal::Kind::User;
    p.account = "123456789012";
    p.arn = "arn:aws:iam::123456789012:user/alice";
    return p;
  }
};

class PermissionsDeclaredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("signoff-permissions-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = store::open_sqlite_store(dir.string());
    RouterOptions ro;
    ro.account = "123456789012";
    ro.authenticator = &authenticator;
    ro.authorizer = &authorizer;
    router = std::make_unique<Router>(ro);

    // The services are only constructed: registration keeps references and calls nothing.
    engine = std::make_unique<engine::Engine>(*store, clock, engine::EngineOptions{});
    events =
        std::make_unique<bus::EventsService>(*store, clock, bus::BusPorts{}, bus::BusOptions{});
    logs = std::make_unique<logs::LogsService>(*store, clock, logs::LogsOptions{});
    functions::FunctionsOptions fo;
    fo.data_dir = dir.string();
    functions = std::make_unique<functions::FunctionsService>(*store, clock, fo,
                                                              functions::FunctionsPorts{});
    notify = std::make_unique<notify::NotifyService>(*store, clock, notify::NotifyOptions{},
                                                     nullptr, nullptr);
    automation = std::make_unique<automation::AutomationService>(*store, clock, automation::Ports{},
                                                                 automation::AutomationOptions{});
    deploy = std::make_unique<deploy::Service>(*store, clock, deploy::DeployOptions{});
    identity = std::make_unique<iam::IdentityService>(*store, clock, iam::IdentityOptions{});

    register_states_api(*router, *engine, pool);
    register_sns_api(*router, *notify, pool);
    register_events_api(*router, *events, pool);
    register_lambda_api(*router, *functions, pool);
    register_logs_api(*router, *logs, pool);
    register_ssm_api(*router, *automation, pool,
                     [](const RequestContext&) { return automation::Principal{}; });
    register_cloudformation_api(*router, *deploy, pool);
    register_iam_api(*router, *identity);
    register_sts_api(*router, *identity);
  }
  void TearDown() override {
    pool.stop();
    router.reset();
    identity.reset();
    deploy.reset();
    automation.reset();
    notify.reset();
    functions.reset();
    logs.reset();
    events.reset();
    engine.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  // The (status, body) of a request, answered synchronously: every call here is refused before
  // its handler runs. REST-JSON errors name their type in a header, prefixed to the body here.
  std::pair<int, std::string> send(HttpRequest r) {
    std::pair<int, std::string> out{0, ""};
    router->dispatch(std::move(r), [&out](HttpResponse resp) {
      std::string type;
      for (const Header& h : resp.headers) {
        if (h.name == "x-amzn-ErrorType") {
          type = h.value + " ";
        }
      }
      out = {resp.status, type + resp.body};
    });
    return out;
  }
  std::pair<int, std::string> json_call(const std::string& target, const std::string& body) {
    HttpRequest r;
    r.method = "POST";
    r.target = r.path = "/";
    r.headers = {{"X-Amz-Target", target},
                 {"Content-Type", "application/x-amz-json-1.1"},
                 {"Authorization",
                  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/x/aws4_request"}};
    r.body = body;
    return send(std::move(r));
  }
  std::pair<int, std::string> query_call(const std::string& service, const std::string& form) {
    HttpRequest r;
    r.method = "POST";
    r.target = r.path = "/";
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/" +
                                       service + "/aws4_request"}};
    r.body = form;
    return send(std::move(r));
  }
  std::pair<int, std::string> rest_call(const std::string& method, const std::string& target) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    r.headers = {
        {"Authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request"}};
    return send(std::move(r));
  }

  std::filesystem::path dir;
  RealClock clock;
  store::StorePtr store;
  BlockingPool pool{2};
  UserAuthenticator authenticator;
  RecordingAuthorizer authorizer;
  std::unique_ptr<Router> router;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<bus::EventsService> events;
  std::unique_ptr<logs::LogsService> logs;
  std::unique_ptr<functions::FunctionsService> functions;
  std::unique_ptr<notify::NotifyService> notify;
  std::unique_ptr<automation::AutomationService> automation;
  std::unique_ptr<deploy::Service> deploy;
  std::unique_ptr<iam::IdentityService> identity;
};

TEST_F(PermissionsDeclaredTest, NoOperationIsUndeclared) {
  EXPECT_EQ(router->undeclared_operations(), std::vector<std::string>{});
}

TEST_F(PermissionsDeclaredTest, SsmActsOnExecutionsDocumentsAndDefinitions) {
  json_call("AmazonSSM.GetAutomationExecution",
            R"({"AutomationExecutionId":"11111111-2222-3333-4444-555555555555"})");
  EXPECT_EQ(authorizer.last_action, "ssm:GetAutomationExecution");
  EXPECT_EQ(authorizer.last_resource,
            "arn:aws:ssm:us-east-1:123456789012:automation-execution/"
            "11111111-2222-3333-4444-555555555555");
  json_call("AmazonSSM.DeleteDocument", R"({"Name":"Deploy"})");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:ssm:us-east-1:123456789012:document/Deploy");
  // No such document: the default version stays unresolved.
  json_call("AmazonSSM.StartAutomationExecution", R"({"DocumentName":"Deploy"})");
  EXPECT_EQ(authorizer.last_action, "ssm:StartAutomationExecution");
  EXPECT_EQ(authorizer.last_resource,
            "arn:aws:ssm:us-east-1:123456789012:automation-definition/Deploy:$DEFAULT");
  json_call("AmazonSSM.StartAutomationExecution",
            R"({"DocumentName":"arn:aws:ssm:eu-west-1:210987654321:document/Shared",)"
            R"("DocumentVersion":"3"})");
  EXPECT_EQ(authorizer.last_resource,
            "arn:aws:ssm:eu-west-1:210987654321:automation-definition/Shared:3");
  json_call("AmazonSSM.ListDocuments", "{}");
  EXPECT_EQ(authorizer.last_resource, "*");
}

TEST_F(PermissionsDeclaredTest, EventsActOnBusesAndRules) {
  json_call("AWSEvents.PutRule", R"({"Name":"r"})");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:events:us-east-1:123456789012:rule/r");
  json_call("AWSEvents.PutRule", R"({"Name":"r","EventBusName":"orders"})");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:events:us-east-1:123456789012:rule/orders/r");
  json_call("AWSEvents.PutEvents", R"({"Entries":[{"Source":"a"}]})");
  EXPECT_EQ(authorizer.last_action, "events:PutEvents");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:events:us-east-1:123456789012:event-bus/default");
  // Events for two buses in one call: only an unrestricted grant covers both.
  json_call("AWSEvents.PutEvents",
            R"({"Entries":[{"Source":"a"},{"Source":"b","EventBusName":"orders"}]})");
  EXPECT_EQ(authorizer.last_resource, "*");
}

TEST_F(PermissionsDeclaredTest, LambdaActsOnTheFunctionAndQualifier) {
  auto [status, body] = rest_call("POST", "/2015-03-31/functions/f/invocations");
  EXPECT_EQ(status, 403);  // Lambda answers denials 403, unlike the JSON-protocol services
  EXPECT_NE(body.find("AccessDeniedException"), std::string::npos) << body;
  EXPECT_EQ(authorizer.last_action, "lambda:InvokeFunction");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:lambda:us-east-1:123456789012:function:f");
  rest_call("POST", "/2015-03-31/functions/f/invocations?Qualifier=live");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:lambda:us-east-1:123456789012:function:f:live");
  rest_call("POST", "/2015-03-31/functions/f%3A2/invocations");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:lambda:us-east-1:123456789012:function:f:2");
}

TEST_F(PermissionsDeclaredTest, LogsSnsAndCloudFormation) {
  json_call("Logs_20140328.PutLogEvents",
            R"({"logGroupName":"/aws/lambda/f","logStreamName":"s","logEvents":[]})");
  EXPECT_EQ(authorizer.last_resource,
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:log-stream:s");
  json_call("Logs_20140328.CreateLogGroup", R"({"logGroupName":"g"})");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:logs:us-east-1:123456789012:log-group:g:*");

  auto [status, body] = query_call(
      "sns",
      "Action=Publish&Version=2010-03-31&Message=hi&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%"
      "3A123456789012%3At");
  EXPECT_EQ(status, 403);
  EXPECT_NE(body.find("<Code>AuthorizationError</Code>"), std::string::npos) << body;
  EXPECT_EQ(authorizer.last_resource, "arn:aws:sns:us-east-1:123456789012:t");
  query_call("sns",
             "Action=Unsubscribe&Version=2010-03-31&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%"
             "3A123456789012%3At%3Aabc");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:sns:us-east-1:123456789012:t");

  query_call("cloudformation", "Action=CreateStack&Version=2010-05-15&StackName=s");
  EXPECT_EQ(authorizer.last_action, "cloudformation:CreateStack");
  EXPECT_EQ(authorizer.last_resource, "arn:aws:cloudformation:us-east-1:123456789012:stack/s/*");
}

// The links in SNS mails are answered without a signature or a permission.
TEST_F(PermissionsDeclaredTest, SnsLinksNeedNoPermission) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/sns/SimpleNotificationService-signoff.pem";
  r.path = r.target;
  authorizer.last_action.clear();
  send(std::move(r));
  EXPECT_EQ(authorizer.last_action, "");
}

}  // namespace
}  // namespace signoff::api
