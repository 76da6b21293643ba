// The router's authentication and authorization step: refusals rendered in the envelope of the
// service the request addresses, before any handler runs.
#include <atomic>
#include <string>

#include <gtest/gtest.h>

#include "api/internal_call.h"
#include "api/router.h"

namespace signoff::api {
namespace {

// Admits key "GOOD" as user alice and "ROOT" as the account; refuses everything else the way the
// identity service would.
class FakeAuth final : public Authenticator, public Authorizer {
 public:
  Result<Principal> authenticate(const HttpRequest&, const RouteInfo& route) const override {
    if (route.access_key_id == "GOOD" || route.access_key_id == "ROOT") {
      Principal p = root_principal("123456789012");
      if (route.access_key_id == "GOOD") {
        p.kind = Principal::Kind::User;
        p.arn = "arn:aws:iam::123456789012:user/alice";
        p.user_name = "alice";
      }
      p.access_key_id = route.access_key_id;
      return p;
    }
    if (route.protocol == Protocol::Query) {
      return AwsError{403, "InvalidClientTokenId",
                      "The security token included in the request is invalid."};
    }
    return AwsError{403, "UnrecognizedClientException",
                    "The security token included in the request is invalid."};
  }
  Decision authorize(const Principal& who, std::string_view action,
                     std::string_view resource) const override {
    last_resource = std::string(resource);
    if (who.is_root() || action == "states:ListStateMachines") {
      return Decision::Allow;
    }
    return action == "states:DeleteStateMachine" ? Decision::ExplicitDeny : Decision::ImplicitDeny;
  }
  mutable std::string last_resource;
};

HttpRequest signed_json(const std::string& key, const std::string& op, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = r.path = "/";
  r.headers = {{"X-Amz-Target", "AWSStepFunctions." + op},
               {"Content-Type", "application/x-amz-json-1.0"},
               {"Authorization", "AWS4-HMAC-SHA256 Credential=" + key +
                                     "/20261201/us-east-1/states/aws4_request, "
                                     "SignedHeaders=host, Signature=00"}};
  r.body = std::move(body);
  return r;
}

HttpRequest signed_query(const std::string& key, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = r.path = "/";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
               {"Authorization", "AWS4-HMAC-SHA256 Credential=" + key +
                                     "/20261201/us-east-1/iam/aws4_request, "
                                     "SignedHeaders=host, Signature=00"}};
  r.body = std::move(body);
  return r;
}

HttpResponse run(const Router& router, HttpRequest request) {
  HttpResponse out;
  router.dispatch(std::move(request), [&](HttpResponse r) { out = std::move(r); });
  return out;
}

struct Fixture {
  FakeAuth auth;
  std::atomic<int> calls{0};
  Router router{RouterOptions{.default_region = "us-east-1",
                              .log = [](std::string_view) {},
                              .account = "123456789012",
                              .authenticator = &auth,
                              .authorizer = &auth}};
  Fixture() {
    auto handler = [this](const RequestContext& ctx, const json::Value&) -> Result<json::Value> {
      ++calls;
      return json::Value::object({{"who", json::Value(ctx.principal.arn)}});
    };
    router.add_json_service(
        "states", "AWSStepFunctions", JsonVersion::V1_0,
        {{"ListStateMachines", handler}, {"DeleteStateMachine", handler}, {"Undeclared", handler}},
        "com.amazonaws.swf.service.v2.model",
        {{"ListStateMachines", {"states:ListStateMachines", nullptr}},
         {"DeleteStateMachine",
          {"states:DeleteStateMachine", [](const RequestContext&, const json::Value& body) {
             const json::Value* arn = body.find("stateMachineArn");
             return arn != nullptr ? std::string(arn->as_string()) : std::string();
           }}}});
    router.add_query_service(
        "iam", std::string(query_namespace("iam")),
        {{"ListUsers",
          [this](const RequestContext&, const QueryParams&) -> Result<std::string> {
            ++calls;
            return std::string("<Users/>");
          }}},
        {{"ListUsers", {"iam:ListUsers", nullptr}}});
  }
};

TEST(RouterAuth, AuthenticatedPrincipalReachesTheHandler) {
  Fixture f;
  HttpResponse r = run(f.router, signed_json("GOOD", "ListStateMachines", "{}"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"who":"arn:aws:iam::123456789012:user/alice"})");
}

TEST(RouterAuth, RefusalsUseTheServiceEnvelope) {
  Fixture f;
  HttpResponse json = run(f.router, signed_json("BAD", "ListStateMachines", "{}"));
  EXPECT_EQ(json.status, 403);
  EXPECT_EQ(
      json.body,
      R"({"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."})");
  HttpResponse query = run(f.router, signed_query("BAD", "Action=ListUsers&Version=2010-05-08"));
  EXPECT_EQ(query.status, 403);
  EXPECT_NE(query.body.find("<Code>InvalidClientTokenId</Code>"), std::string::npos);
  EXPECT_EQ(f.calls.load(), 0);
}

TEST(RouterAuth, DeniedCallsNeverReachTheHandler) {
  Fixture f;
  const std::string arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  HttpResponse r = run(f.router, signed_json("GOOD", "DeleteStateMachine",
                                             R"({"stateMachineArn":")" + arn + R"("})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(f.auth.last_resource, arn);
  EXPECT_EQ(
      r.body,
      R"({"__type":"com.amazon.coral.service#AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/alice is not authorized to perform: states:DeleteStateMachine on resource: )" +
          arn + R"( with an explicit deny in an identity-based policy"})");
  HttpResponse q = run(f.router, signed_query("GOOD", "Action=ListUsers&Version=2010-05-08"));
  EXPECT_EQ(q.status, 403);
  EXPECT_NE(q.body.find("<Code>AccessDenied</Code><Message>User: "
                        "arn:aws:iam::123456789012:user/alice is not authorized to perform: "
                        "iam:ListUsers on resource: * because no identity-based policy allows "
                        "the iam:ListUsers action</Message>"),
            std::string::npos)
      << q.body;
  EXPECT_EQ(f.calls.load(), 0);
}

TEST(RouterAuth, UndeclaredOperationsAreForTheAdministratorOnly) {
  Fixture f;
  EXPECT_EQ(f.router.undeclared_operations(), std::vector<std::string>{"states.Undeclared"});
  HttpResponse user = run(f.router, signed_json("GOOD", "Undeclared", "{}"));
  EXPECT_EQ(user.status, 400);
  EXPECT_NE(user.body.find("states:Undeclared"), std::string::npos);
  HttpResponse root = run(f.router, signed_json("ROOT", "Undeclared", "{}"));
  EXPECT_EQ(root.status, 200);
}

Principal alice() {
  Principal p = root_principal("123456789012");
  p.kind = Principal::Kind::User;
  p.arn = "arn:aws:iam::123456789012:user/alice";
  p.user_name = "alice";
  return p;
}

HttpResponse run_as(const Router& router, HttpRequest request, Principal who) {
  HttpResponse out;
  router.dispatch_as(std::move(request), std::move(who),
                     [&](HttpResponse r) { out = std::move(r); });
  return out;
}

TEST(RouterOnBehalf, UnsignedCallRunsAsTheGivenPrincipal) {
  Fixture f;
  HttpResponse r =
      run_as(f.router, json_call("AWSStepFunctions.ListStateMachines", "{}", "1.0"), alice());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"who":"arn:aws:iam::123456789012:user/alice"})");
}

TEST(RouterOnBehalf, PermissionsStillApply) {
  Fixture f;
  HttpResponse r = run_as(
      f.router,
      json_call("AWSStepFunctions.DeleteStateMachine",
                R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:x"})",
                "1.0"),
      alice());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("AccessDenied"), std::string::npos) << r.body;
  EXPECT_EQ(f.calls.load(), 0);
  HttpResponse undeclared =
      run_as(f.router, json_call("AWSStepFunctions.Undeclared", "{}", "1.0"), alice());
  EXPECT_NE(undeclared.body.find("AccessDenied"), std::string::npos) << undeclared.body;
}

TEST(RouterOnBehalf, QueryCallsAreFormEncoded) {
  Fixture f;
  HttpResponse r =
      run_as(f.router, query_call("ListUsers", "2010-05-08", {{"PathPrefix", "/a b&c"}}),
             root_principal("123456789012"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<Users/>"), std::string::npos) << r.body;
  EXPECT_EQ(f.calls.load(), 1);
}

TEST(RouterPlainPrefix, LongestPrefixWinsAndExactRoutesComeFirst) {
  Router router;
  auto answer = [](std::string text) {
    return [text](std::shared_ptr<const HttpRequest>, Responder respond) {
      HttpResponse r;
      r.body = text;
      respond(std::move(r));
    };
  };
  router.add_plain_prefix_route("GET", "/console/", answer("console"));
  router.add_plain_prefix_route("GET", "/console/static/", answer("static"));
  router.add_plain_route("GET", "/console/static/exact", answer("exact"));
  auto get = [&](std::string path) {
    HttpRequest request;
    request.method = "GET";
    request.target = request.path = path;
    return run(router, std::move(request)).body;
  };
  EXPECT_EQ(get("/console/approvals/abc"), "console");
  EXPECT_EQ(get("/console/static/app.js"), "static");
  EXPECT_EQ(get("/console/static/exact"), "exact");
  EXPECT_NE(get("/other"), "console");
}

}  // namespace
}  // namespace signoff::api
