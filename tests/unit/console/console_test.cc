// The console's HTTP surface through a real Router: sign-in and lock-out, the cookie, CSRF and
// origin checks, the allow-list, and that every call runs as the session's principal through
// the router's permission check (no side door). The identity port and the one "SSM" operation
// are fakes; the router, its authorization and the console are the real ones.
#include "console/console.h"

#include <chrono>
#include <future>
#include <mutex>

#include <gtest/gtest.h>

#include "console/http_util.h"

namespace signoff::console {
namespace {

using api::HttpRequest;
using api::HttpResponse;

class TestClock final : public Clock {
 public:
  int64_t now_ms() const override { return 1700000000000; }
  int64_t now_ns() const override { return 1700000000000000000; }
};

Principal user(std::string name) {
  Principal p;
  p.kind = Principal::Kind::User;
  p.account = "000000000000";
  p.user_name = name;
  p.arn = "arn:aws:iam::000000000000:user/" + name;
  return p;
}

class FakeIdentity final : public IdentityPort {
 public:
  Result<Principal> sign_in(std::string_view name, std::string_view password) override {
    if (password == "right password" &&
        (name == "allowed" || name == "denied" || name == "fresh")) {
      return user(std::string(name));
    }
    return Error{"AccessDenied", "no", 403};
  }
  bool password_reset_required(std::string_view name) override { return name == "fresh"; }
  Result<Principal> principal_for_credentials(std::string_view id, std::string_view secret,
                                              std::string_view) override {
    if (id == "AKIAALLOWED" && secret == "s") {
      return user("allowed");
    }
    return Error{"InvalidClientTokenId", "no", 403};
  }
  std::optional<std::string> matching_approver(const Principal& who,
                                               const std::vector<std::string>& approvers) override {
    for (const std::string& a : approvers) {
      if (a == who.arn) {
        return a;
      }
    }
    return std::nullopt;
  }
};

// Only "allowed" may call ssm:GetAutomationExecution.
class OnlyAllowed final : public api::Authorizer {
 public:
  api::Decision authorize(const Principal& who, std::string_view action,
                          std::string_view) const override {
    return who.user_name == "allowed" && action == "ssm:GetAutomationExecution"
               ? api::Decision::Allow
               : api::Decision::ImplicitDeny;
  }
};

class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api::RouterOptions ro;
    ro.authorizer = &authorizer_;
    ro.log = [](std::string_view) {
    };
    router_ = std::make_unique<api::Router>(ro);
    api::JsonOperations ops;
    ops.emplace("GetAutomationExecution",
                api::JsonOperation([this](const api::RequestContext& ctx,
                                          const json::Value&) -> api::Result<json::Value> {
                  std::lock_guard lock(mu_);
                  callers_.push_back(ctx.principal.arn + " from " + ctx.http->remote_address);
                  return json::Value::object({{"AutomationExecution", json::Value::object()}});
                }));
    api::JsonPermissions perms{
        {"GetAutomationExecution",
         api::Permission<json::Value>{"ssm:GetAutomationExecution", nullptr}}};
    router_->add_json_service("ssm", "AmazonSSM", api::JsonVersion::V1_1, std::move(ops), {},
                              std::move(perms));
    ConsoleOptions co;
    co.lock_out.max_failures = 3;
    console_ = std::make_unique<Console>(*router_, identity_, clock_, co);
    console_->register_routes(*router_);
    console_->start();
  }
  void TearDown() override { console_->stop(); }

  HttpResponse send(std::string method, std::string target, std::string body = {},
                    std::vector<api::Header> headers = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = target;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    r.headers = std::move(headers);
    r.headers.push_back({"Host", "127.0.0.1:8765"});
    r.body = std::move(body);
    r.remote_address = "192.0.2.7";
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    auto future = promise->get_future();
    router_->dispatch(std::move(r), [promise](HttpResponse res) { promise->set_value(res); });
    EXPECT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return future.get();
  }
  static std::string header(const HttpResponse& r, std::string_view name) {
    for (const auto& h : r.headers) {
      if (h.name == name) {
        return h.value;
      }
    }
    return {};
  }
  // Signs in; returns {cookie header value, csrf token}.
  std::pair<std::string, std::string> sign_in(const std::string& name) {
    HttpResponse r = send("POST", "/console/api/signin",
                          R"({"userName":")" + name + R"(","password":"right password"})",
                          {{"Origin", "http://127.0.0.1:8765"}});
    EXPECT_EQ(r.status, 200) << r.body;
    std::string set = header(r, "Set-Cookie");
    std::string cookie = set.substr(0, set.find(';'));
    auto body = json::parse(r.body);
    return {cookie, std::string(body.value.find("csrf")->as_string())};
  }
  HttpResponse call(const std::pair<std::string, std::string>& s, std::string target,
                    bool with_token = true) {
    std::vector<api::Header> h{{"Origin", "http://127.0.0.1:8765"}, {"Cookie", s.first}};
    if (with_token) {
      h.push_back({"X-CSRF-Token", s.second});
    }
    return send("POST", "/console/api/call",
                R"({"target":")" + target + R"(","input":{"AutomationExecutionId":"x"}})", h);
  }

  TestClock clock_;
  FakeIdentity identity_;
  OnlyAllowed authorizer_;
  std::unique_ptr<api::Router> router_;
  std::unique_ptr<Console> console_;
  std::mutex mu_;
  std::vector<std::string> callers_;
};

TEST_F(ConsoleTest, PagesAndAssetsAreServedWithTheirHeaders) {
  HttpResponse page = send("GET", "/console/approvals/abc");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<main id=\"main\""), std::string::npos);
  EXPECT_NE(header(page, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  HttpResponse js = send("GET", "/console/assets/console.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(header(js, "Content-Type"), "text/javascript; charset=utf-8");
  std::string etag = header(js, "ETag");
  EXPECT_EQ(etag.size(), 18u);
  EXPECT_EQ(send("GET", "/console/assets/console.js", {}, {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(send("GET", "/console/assets/nope.js").status, 404);
  EXPECT_EQ(send("GET", "/console").status, 302);
  EXPECT_EQ(send("GET", "/console/api/session").status, 401);
}

TEST_F(ConsoleTest, CallsRunAsTheSessionsPrincipalThroughThePermissionCheck) {
  auto allowed = sign_in("allowed");
  EXPECT_NE(allowed.first.find("signoff_console="), std::string::npos);
  HttpResponse ok = call(allowed, "AmazonSSM.GetAutomationExecution");
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto denied = sign_in("denied");
  HttpResponse no = call(denied, "AmazonSSM.GetAutomationExecution");
  EXPECT_EQ(no.status, 400);
  EXPECT_NE(no.body.find("AccessDeniedException"), std::string::npos) << no.body;
  EXPECT_NE(no.body.find("arn:aws:iam::000000000000:user/denied is not authorized"),
            std::string::npos);
  std::lock_guard lock(mu_);
  ASSERT_EQ(callers_.size(), 1u);  // the denied call never reached the handler
  EXPECT_EQ(callers_[0], "arn:aws:iam::000000000000:user/allowed from 192.0.2.7");
}

TEST_F(ConsoleTest, CsrfOriginAndTheAllowList) {
  auto s = sign_in("allowed");
  HttpResponse no_token = call(s, "AmazonSSM.GetAutomationExecution", false);
  EXPECT_EQ(no_token.status, 403);
  EXPECT_NE(no_token.body.find("InvalidCsrfToken"), std::string::npos);
  auto wrong = s;
  wrong.second[0] = wrong.second[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(call(wrong, "AmazonSSM.GetAutomationExecution").status, 403);
  HttpResponse cross =
      send("POST", "/console/api/call", "{}",
           {{"Origin", "http://evil.example"}, {"Cookie", s.first}, {"X-CSRF-Token", s.second}});
  EXPECT_EQ(cross.status, 403);
  EXPECT_NE(cross.body.find("InvalidOrigin"), std::string::npos);
  HttpResponse other = call(s, "AmazonSSM.DeleteDocument");
  EXPECT_EQ(other.status, 400);
  EXPECT_NE(other.body.find("UnsupportedOperation"), std::string::npos);
  EXPECT_EQ(
      send("POST", "/console/api/call", "not json",
           {{"Origin", "http://127.0.0.1:8765"}, {"Cookie", s.first}, {"X-CSRF-Token", s.second}})
          .status,
      400);
  // Sign-out ends the session: the same cookie and token are refused afterwards.
  HttpResponse out =
      send("POST", "/console/api/signout", "",
           {{"Origin", "http://127.0.0.1:8765"}, {"Cookie", s.first}, {"X-CSRF-Token", s.second}});
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(call(s, "AmazonSSM.GetAutomationExecution").status, 401);
}

TEST_F(ConsoleTest, SignInFailuresLockTheNameOut) {
  auto attempt = [this](std::string body) {
    return send("POST", "/console/api/signin", std::move(body),
                {{"Origin", "http://127.0.0.1:8765"}});
  };
  for (int i = 0; i < 3; ++i) {
    HttpResponse r = attempt(R"({"userName":"allowed","password":"wrong"})");
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("Your authentication information is incorrect."), std::string::npos);
  }
  HttpResponse locked = attempt(R"({"userName":"ALLOWED","password":"right password"})");
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.body.find("LockedOut"), std::string::npos);
  // Another account id is refused like a wrong password; key pairs sign in too.
  EXPECT_EQ(attempt(R"({"account":"111111111111","userName":"denied","password":"right password"})")
                .status,
            403);
  EXPECT_EQ(attempt(R"({"accessKeyId":"AKIAALLOWED","secretAccessKey":"s"})").status, 200);
  EXPECT_EQ(attempt(R"({"userName":"denied","password":"right password"})").status, 200);
  EXPECT_EQ(send("POST", "/console/api/signin", R"({"userName":"denied","password":"x"})").status,
            403);  // no Origin at all
}

TEST_F(ConsoleTest, APasswordThatMustBeChangedAllowsNothingElse) {
  auto s = sign_in("fresh");
  HttpResponse info = send("GET", "/console/api/session", {}, {{"Cookie", s.first}});
  EXPECT_NE(info.body.find("\"mustChangePassword\":true"), std::string::npos) << info.body;
  HttpResponse refused = call(s, "AmazonSSM.GetAutomationExecution");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("PasswordResetRequired"), std::string::npos);
  EXPECT_EQ(send("GET", "/console/api/waiting", {}, {{"Cookie", s.first}}).status, 403);
  // ChangePassword goes to IAM through the router (this test's router has no IAM: refused).
  HttpResponse change =
      send("POST", "/console/api/change-password",
           R"({"oldPassword":"right password","newPassword":"another one"})",
           {{"Origin", "http://127.0.0.1:8765"}, {"Cookie", s.first}, {"X-CSRF-Token", s.second}});
  EXPECT_GE(change.status, 400);
  EXPECT_EQ(call(s, "AmazonSSM.GetAutomationExecution").status, 403);
}

}  // namespace
}  // namespace signoff::console
