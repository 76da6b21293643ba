#include "console/console.h"

#include <algorithm>
#include <cctype>

#include "api/internal_call.h"
#include "api/protocol/url.h"
#include "common/worker_pool.h"
#include "console/approvals.h"
#include "console/assets.h"
#include "console/calls.h"
#include "console/events.h"
#include "console/http_util.h"

namespace signoff::console {
namespace {

using api::HttpRequest;
using api::HttpResponse;
using api::Responder;
using json::Value;

constexpr std::string_view kApi = "/console/api/";
constexpr std::string_view kAssets = "/console/assets/";

// The AWS operations pages may call directly (all JSON protocol), as the session's principal.
// Anything else is refused before it reaches the router: the console is not a general proxy.
constexpr std::string_view kAllowedTargets[] = {
    "AmazonSSM.DescribeAutomationExecutions",
    "AmazonSSM.GetAutomationExecution",
    "AmazonSSM.DescribeAutomationStepExecutions",
    "AmazonSSM.SendAutomationSignal",
    "AmazonSSM.ListDocuments",
    "AmazonSSM.DescribeDocument",
    "AmazonSSM.GetDocument",
    "AWSStepFunctions.ListStateMachines",
    "AWSStepFunctions.DescribeStateMachine",
    "AWSStepFunctions.DescribeStateMachineForExecution",
    "AWSStepFunctions.ListExecutions",
    "AWSStepFunctions.DescribeExecution",
    "AWSStepFunctions.GetExecutionHistory",
    "SignoffAudit.ListAuditRecords",
    "SignoffAudit.VerifyAuditChain",
    "SignoffAgents.ListAgentDecisions",
};

bool allowed_target(std::string_view target) {
  return std::find(std::begin(kAllowedTargets), std::end(kAllowedTargets), target) !=
         std::end(kAllowedTargets);
}

// Constant time in the length of the secret, so a token cannot be guessed byte by byte.
bool equal_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Value principal_json(const Principal& p) {
  const char* kind = p.kind == Principal::Kind::Root   ? "root"
                     : p.kind == Principal::Kind::User ? "user"
                                                       : "assumed-role";
  return Value::object({{"arn", Value(p.arn)},
                        {"kind", Value(kind)},
                        {"userName", Value(p.user_name)},
                        {"roleArn", Value(p.role_arn)},
                        {"roleName", Value(p.role_name)},
                        {"sessionName", Value(p.session_name)}});
}

HttpResponse aws_error_response(const Error& e) {
  return error_response(e.status >= 400 ? e.status : 400, e.type, e.message);
}

// The query string's value of `name`, decoded.
std::string query_param(const HttpRequest& r, std::string_view name) {
  for (auto& [k, v] : api::decode_form(r.query)) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

}  // namespace

struct Console::Impl {
  Impl(const api::Router& r, IdentityPort& id, const Clock& c, ConsoleOptions o)
      : router(r),
        identity(id),
        clock(c),
        options(std::move(o)),
        caller(r),
        sessions(c, options.sessions),
        lock_out(c, options.lock_out),
        pool(options.threads),
        events(
            c, [this](const Watch& w) { return poll(w); }, options.poll_ms, options.ping_ms) {}

  const api::Router& router;
  IdentityPort& identity;
  const Clock& clock;
  ConsoleOptions options;
  Caller caller;
  SessionTable sessions;
  LockOut lock_out;
  WorkerPool pool;
  EventHub events;

  void handle(std::shared_ptr<const HttpRequest> req, Responder respond);
  void get(const HttpRequest& req, Responder& respond);
  void post(const HttpRequest& req, Responder& respond);
  HttpResponse asset(const HttpRequest& req, std::string_view name) const;
  HttpResponse sign_in(const HttpRequest& req);
  HttpResponse switch_role(const HttpRequest& req, Session s, const Value& body);
  HttpResponse call(const HttpRequest& req, const Session& s, const Value& body);
  HttpResponse change_password(const HttpRequest& req, Session s, const Value& body);
  static HttpResponse password_reset_error() {
    return error_response(403, "PasswordResetRequired",
                          "Your password must be changed before you continue.");
  }
  HttpResponse session_info(const Session& s, int status = 200) const;
  Snapshot poll(const Watch& w);
  Viewer viewer(const Session& s, std::string_view remote) const {
    return Viewer{caller, identity, s.acting(), remote, clock.now_ms()};
  }
};

Console::Console(const api::Router& router, IdentityPort& identity, const Clock& clock,
                 ConsoleOptions options)
    : impl_(std::make_unique<Impl>(router, identity, clock, std::move(options))) {}

Console::~Console() {
  stop();
}

void Console::start() {
  impl_->events.start();
}

void Console::stop() {
  impl_->events.stop();
  impl_->pool.stop();
}

void Console::register_routes(api::Router& router) {
  Impl* m = impl_.get();
  auto route = [m](std::shared_ptr<const HttpRequest> req, Responder respond) {
    m->handle(std::move(req), std::move(respond));
  };
  router.add_plain_route("GET", "/console", [](std::shared_ptr<const HttpRequest>, Responder r) {
    HttpResponse res;
    res.status = 302;
    res.set_header("Location", "/console/");
    security_headers(res);
    r(std::move(res));
  });
  router.add_plain_prefix_route("GET", "/console/", route);
  router.add_plain_prefix_route("HEAD", "/console/", route);
  router.add_plain_prefix_route("POST", "/console/", route);
}

void Console::Impl::handle(std::shared_ptr<const HttpRequest> req, Responder respond) {
  if (req->method != "POST" && req->path.starts_with(kAssets)) {
    respond(asset(*req, std::string_view(req->path).substr(kAssets.size())));
    return;
  }
  // Everything else may call the API (and sign-in hashes a password): off the I/O threads.
  pool.post([this, req, respond = std::move(respond)]() mutable {
    try {
      if (req->method == "POST") {
        post(*req, respond);
      } else {
        get(*req, respond);
      }
    } catch (const std::exception&) {
      respond(error_response(500, "InternalFailure", "The console failed to handle the request"));
    }
  });
}

HttpResponse Console::Impl::asset(const HttpRequest& req, std::string_view name) const {
  const Asset* a = find_asset(name);
  HttpResponse r;
  security_headers(r);
  if (a == nullptr) {
    r.status = 404;
    r.body = "Not found\n";
    r.set_header("Content-Type", "text/plain; charset=utf-8");
    return r;
  }
  r.set_header("ETag", a->etag);
  // Revalidated on every use (cheap: 304 by ETag) so a new binary's assets are seen at once.
  r.set_header("Cache-Control", "no-cache");
  const std::string* match = req.header("If-None-Match");
  if (match != nullptr && *match == a->etag) {
    r.status = 304;
    return r;
  }
  r.set_header("Content-Type", a->content_type);
  r.body = std::string(a->body);
  return r;
}

HttpResponse Console::Impl::session_info(const Session& s, int status) const {
  return json_response(status, Value::object({{"account", Value(options.account)},
                                              {"user", principal_json(s.user)},
                                              {"acting", principal_json(s.acting())},
                                              {"role", s.role ? Value(s.role_display) : Value()},
                                              {"mustChangePassword", Value(s.must_change_password)},
                                              {"csrf", Value(s.csrf)}}));
}

void Console::Impl::get(const HttpRequest& req, Responder& respond) {
  std::string_view path = req.path;
  if (!path.starts_with(kApi)) {
    // Every page is the one document; console.js draws the page the path names.
    respond(asset(req, "index.html"));
    return;
  }
  std::string_view what = path.substr(kApi.size());
  std::optional<Session> s;
  if (auto id = cookie(req, kSessionCookie)) {
    s = sessions.find(*id);
  }
  if (!s) {
    respond(error_response(401, "NotSignedIn", "Sign in to use the console."));
    return;
  }
  if (what == "session") {
    respond(session_info(*s));
    return;
  }
  if (s->must_change_password) {
    respond(password_reset_error());
    return;
  }
  if (what == "waiting") {
    auto w = waiting_for(viewer(*s, req.remote_address));
    respond(w.ok() ? json_response(200, *w) : aws_error_response(w.error()));
    return;
  }
  if (what.starts_with("approvals/")) {
    std::string id = api::percent_decode(what.substr(10), false);
    auto a = approval_of(viewer(*s, req.remote_address), id);
    respond(a.ok() ? json_response(200, *a) : aws_error_response(a.error()));
    return;
  }
  if (what == "events") {
    Watch w{s->id, req.remote_address, query_param(req, "approval"), query_param(req, "execution")};
    HttpResponse r;
    r.set_header("Content-Type", "text/event-stream");
    r.set_header("Cache-Control", "no-store");
    security_headers(r);
    r.stream = [this, w](std::shared_ptr<api::BodyStream> out) {
      events.add(w, std::move(out));
    };
    respond(std::move(r));
    return;
  }
  respond(error_response(404, "NotFound", "No such console API."));
}

void Console::Impl::post(const HttpRequest& req, Responder& respond) {
  std::string_view what =
      std::string_view(req.path).substr(req.path.starts_with(kApi) ? kApi.size() : req.path.size());
  // Cross-site requests are refused before anything else, sign-in included (a login CSRF would
  // sign the victim in as the attacker).
  if (!same_origin(req, options.public_url)) {
    respond(error_response(403, "InvalidOrigin", "Cross-origin requests are refused."));
    return;
  }
  if (what == "signin") {
    respond(sign_in(req));
    return;
  }
  std::optional<Session> s;
  if (auto id = cookie(req, kSessionCookie)) {
    s = sessions.find(*id);
  }
  if (!s) {
    respond(error_response(401, "NotSignedIn", "Sign in to use the console."));
    return;
  }
  const std::string* token = req.header("X-CSRF-Token");
  if (token == nullptr || !equal_secret(*token, s->csrf)) {
    respond(error_response(403, "InvalidCsrfToken",
                           "The request is missing its CSRF token or the token is wrong."));
    return;
  }
  if (what == "signout") {
    sessions.remove(s->id);
    HttpResponse r = json_response(200, Value::object({{"signedOut", Value(true)}}));
    r.set_header("Set-Cookie", session_cookie("", 0));
    respond(std::move(r));
    return;
  }
  auto body = json_body(req);
  if (what == "change-password") {
    respond(body ? change_password(req, *s, *body)
                 : error_response(400, "BadRequest", "The request body must be a JSON object."));
    return;
  }
  if (s->must_change_password) {
    respond(password_reset_error());
    return;
  }
  if (what == "back") {
    s->role.reset();
    s->role_display.clear();
    sessions.update(*s);
    respond(session_info(*s));
    return;
  }
  if (!body) {
    respond(error_response(400, "BadRequest", "The request body must be a JSON object."));
    return;
  }
  if (what == "switch-role") {
    respond(switch_role(req, *s, *body));
    return;
  }
  if (what == "call") {
    respond(call(req, *s, *body));
    return;
  }
  respond(error_response(404, "NotFound", "No such console API."));
}

HttpResponse Console::Impl::sign_in(const HttpRequest& req) {
  auto body = json_body(req);
  if (!body) {
    return error_response(400, "BadRequest", "The request body must be a JSON object.");
  }
  std::string account = text(*body, "account");
  std::string user = text(*body, "userName");
  std::string key_id = text(*body, "accessKeyId");
  bool with_key = !key_id.empty();
  std::string lock_key = with_key ? "key:" + key_id : "user:" + lower(user);
  if (!with_key && (user.empty() || text(*body, "password").empty())) {
    return error_response(400, "BadRequest", "Enter your user name and password.");
  }
  if (int64_t wait = lock_out.locked_for(lock_key); wait > 0) {
    return error_response(429, "LockedOut",
                          "Too many failed sign-in attempts. Try again in " +
                              std::to_string((wait + 59999) / 60000) + " minutes.");
  }
  Result<Principal> who =
      Error{"AccessDenied", "Your authentication information is incorrect.", 403};
  if (with_key) {
    who = identity.principal_for_credentials(key_id, text(*body, "secretAccessKey"),
                                             text(*body, "sessionToken"));
  } else if (account.empty() || account == options.account) {
    who = identity.sign_in(user, text(*body, "password"));
  }
  if (!who.ok()) {
    lock_out.failed(lock_key);
    // One answer for every failure, as AWS's sign-in page gives.
    return error_response(403, "AccessDenied", "Your authentication information is incorrect.");
  }
  lock_out.succeeded(lock_key);
  Session s = sessions.create(*who);
  if (!with_key && identity.password_reset_required(who->user_name)) {
    s.must_change_password = true;
    sessions.update(s);
  }
  HttpResponse r = session_info(s);
  r.set_header("Set-Cookie", session_cookie(s.id, options.sessions.max_ms / 1000));
  return r;
}

HttpResponse Console::Impl::switch_role(const HttpRequest& req, Session s, const Value& body) {
  std::string role_arn = text(body, "roleArn");
  if (role_arn.empty()) {
    return error_response(400, "BadRequest", "Enter the role's ARN.");
  }
  std::string session_name = text(body, "sessionName");
  if (session_name.empty()) {
    // As the AWS console names switched-role sessions: after the user.
    session_name = s.user.user_name.empty() ? "console" : s.user.user_name;
  }
  // Always from the signed-in user (not from a role already switched to), as in the AWS console.
  auto answer = caller.query("AssumeRole", "2011-06-15",
                             {{"RoleArn", role_arn}, {"RoleSessionName", session_name}}, s.user,
                             req.remote_address);
  if (!answer.ok()) {
    return aws_error_response(answer.error());
  }
  auto who = identity.principal_for_credentials(xml_text(*answer, "AccessKeyId"),
                                                xml_text(*answer, "SecretAccessKey"),
                                                xml_text(*answer, "SessionToken"));
  if (!who.ok()) {
    return aws_error_response(who.error());
  }
  s.role = *who;
  std::string display = text(body, "displayName");
  s.role_display = display.empty() ? who->role_name : display;
  if (!sessions.update(s)) {
    return error_response(401, "NotSignedIn", "Sign in to use the console.");
  }
  return session_info(s);
}

// ChangePassword as the signed-in user (the user needs iam:ChangePassword on themselves, as AWS's
// IAMUserChangePassword policy grants).
HttpResponse Console::Impl::change_password(const HttpRequest& req, Session s, const Value& body) {
  if (s.user.kind != Principal::Kind::User) {
    return error_response(400, "InvalidUserType", "Only IAM users have console passwords.");
  }
  auto answer = caller.query(
      "ChangePassword", "2010-05-08",
      {{"OldPassword", text(body, "oldPassword")}, {"NewPassword", text(body, "newPassword")}},
      s.user, req.remote_address);
  if (!answer.ok()) {
    return aws_error_response(answer.error());
  }
  s.must_change_password = false;
  sessions.update(s);
  return session_info(s);
}

HttpResponse Console::Impl::call(const HttpRequest& req, const Session& s, const Value& body) {
  std::string target = text(body, "target");
  if (!allowed_target(target)) {
    return error_response(400, "UnsupportedOperation", "The console does not call " + target + ".");
  }
  const Value* input = body.find("input");
  Value in = input && input->is_object() ? *input : Value::object();
  Answer a = caller.call(api::json_call(target, json::dump(in), json_version(target)), s.acting(),
                         req.remote_address);
  if (!a.ok()) {
    return aws_error_response(error_of(a));
  }
  HttpResponse r;
  r.status = 200;
  r.body = a.body.empty() ? "{}" : std::move(a.body);
  r.set_header("Content-Type", "application/json");
  r.set_header("Cache-Control", "no-store");
  security_headers(r);
  return r;
}

Snapshot Console::Impl::poll(const Watch& w) {
  Snapshot snap;
  auto s = sessions.find(w.session_id, /*touch=*/false);
  if (!s) {
    snap.ended = true;
    return snap;
  }
  Viewer v = viewer(*s, w.remote);
  auto dump_or_error = [](const Result<Value>& r) {
    if (r.ok()) {
      return json::dump(*r);
    }
    return json::dump(
        Value::object({{"error", Value::object({{"code", Value(r.error().type)},
                                                {"message", Value(r.error().message)}})}}));
  };
  snap.events.emplace_back("waiting", dump_or_error(waiting_for(v)));
  if (!w.approval_id.empty()) {
    snap.events.emplace_back("approval", dump_or_error(approval_of(v, w.approval_id)));
  }
  if (!w.execution_arn.empty()) {
    auto d = caller.json("AWSStepFunctions.DescribeExecution",
                         Value::object({{"executionArn", Value(w.execution_arn)}}), s->acting(),
                         w.remote);
    auto h = caller.json("AWSStepFunctions.GetExecutionHistory",
                         Value::object({{"executionArn", Value(w.execution_arn)},
                                        {"reverseOrder", Value(true)},
                                        {"maxResults", Value(int64_t{1})}}),
                         s->acting(), w.remote);
    Value e = Value::object();
    if (d.ok()) {
      e.set("status", d->find("status") ? *d->find("status") : Value());
    }
    if (h.ok()) {
      const Value* list = h->find("events");
      const Value* last = list && list->size() > 0 ? list->at(0) : nullptr;
      e.set("lastEventId", last && last->find("id") ? *last->find("id") : Value());
    }
    snap.events.emplace_back("execution", json::dump(e));
  }
  return snap;
}

}  // namespace signoff::console
