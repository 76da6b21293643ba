// From an HTTP request to an AWS service operation, and back to the protocol's envelope.
//
// Services register their operations; a handler receives the decoded request and returns (or
// later replies with) a result or an AwsError. The router renders success envelopes, errors,
// request ids, and turns an escaping exception into a 500 InternalFailure.
//
//   Router router({.default_region = "us-east-1"});
//   router.add_json_service("states", "AWSStepFunctions", JsonVersion::V1_0,
//                           "com.amazonaws.swf.service.v2.model",
//       {{"ListStateMachines",
//         [&](const RequestContext& ctx, const json::Value& body) -> Result<json::Value> {
//           JsonReader in(body);
//           auto max = in.optional_int("maxResults", {.min = 0, .max = 1000});
//           if (auto error = in.error()) return *error;
//           return json::Value::object({{"stateMachines", json::Value::array()}});
//         }},
//        {"GetActivityTask",  // answers later, from another thread
//         [&](const RequestContext& ctx, json::Value body, JsonReply reply) {
//           service.poll(..., [reply](Result<json::Value> r) { reply(std::move(r)); });
//         }}});
//   HttpServer server(options, router.handler());
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/aws_error.h"
#include "api/http/message.h"
#include "api/protocol/json_protocol.h"
#include "api/protocol/query_protocol.h"
#include "api/protocol/rest.h"
#include "common/json.h"
#include "common/principal.h"

namespace signoff::api {

enum class Protocol { Unknown, Json, Query, RestJson };

// The SigV4 credential scope "AKID/20261201/us-east-1/sns/aws4_request".
struct CredentialScope {
  std::string access_key_id;
  std::string date;
  std::string region;
  std::string service;
};
std::optional<CredentialScope> parse_credential_scope(std::string_view credential);
// From the Authorization header, else the presigned query's X-Amz-Credential.
std::optional<CredentialScope> find_credential_scope(const HttpRequest& request);

// Who a request is for, from its headers, path and parameters.
struct RouteInfo {
  Protocol protocol = Protocol::Unknown;
  std::string service;        // signing name: "states", "ssm", "sns", "lambda", ...
  std::string operation;      // "StartExecution"; "" when it cannot be told
  std::string region;         // from the credential scope, else the default
  std::string access_key_id;  // from the credential scope; "" when unsigned
  QueryParams query_params;   // Query: the decoded parameters (query string + form body)
};

// What the request says on its own, without any registered service: X-Amz-Target prefixes of the
// known JSON services, the query protocol's Action (service from the scope, else from Version),
// Lambda's dated REST paths (operation left empty: only registered templates can name it).
RouteInfo identify_request(const HttpRequest& request, std::string_view default_region);

// What every handler learns about its request. Copyable: a handler answering later may keep it.
struct RequestContext {
  std::string request_id;
  std::string service;
  std::string operation;
  std::string region;
  std::string access_key_id;
  std::string account;  // the server's account, for the ARNs handlers build
  // Who signed the request (the administrator when no Authenticator is configured). Services
  // authorize with it and record it as the actor.
  Principal principal;
  std::shared_ptr<const HttpRequest> http;
  // Signoff made this call itself on `principal`'s behalf (the console for a signed-in user, a
  // task integration for an execution's role): authenticated already, authorized as any request.
  bool on_behalf = false;
};

// What an operation needs the caller to be allowed: one IAM action on one resource, computed from
// the decoded request. Each service file declares them in one table next to its handlers; the
// router asks the Authorizer before the handler runs.
template <typename Input>
struct Permission {
  std::string action;  // "states:StartExecution"
  // The resource ARN the call acts on; nullptr means "*" (actions without resource types).
  std::function<std::string(const RequestContext&, const Input&)> resource;
  // The router asks nothing: any authenticated caller may call (sts:GetCallerIdentity), or the
  // handler authorizes itself because the decision needs more than one policy
  // (sts:AssumeRole checks the role's trust policy too).
  bool handler_decides = false;
};

// Answers one request, once (later calls are ignored), from any thread.
template <typename T>
class Reply {
 public:
  explicit Reply(std::function<void(Result<T>)> send)
      : state_(std::make_shared<State>(std::move(send))) {}
  void operator()(Result<T> result) const {
    if (!state_->done.exchange(true)) {
      state_->send(std::move(result));
    }
  }
  void ok(T value) const { (*this)(Result<T>(std::move(value))); }
  void fail(AwsError error) const { (*this)(Result<T>(std::move(error))); }
  bool answered() const { return state_->done.load(); }

 private:
  struct State {
    explicit State(std::function<void(Result<T>)> s) : send(std::move(s)) {}
    std::function<void(Result<T>)> send;
    std::atomic<bool> done{false};
  };
  std::shared_ptr<State> state_;
};

// An operation handler: synchronous (returns the result) or asynchronous (answers through a
// Reply, possibly later); either kind of callable converts implicitly.
template <typename T, typename Input>
struct Operation {
  using Sync = std::function<Result<T>(const RequestContext&, const Input&)>;
  using Async = std::function<void(const RequestContext&, Input, Reply<T>)>;

  template <typename F>
  requires std::is_invocable_r_v<Result<T>, F&, const RequestContext&, const Input&> Operation(F f)
      : sync(std::move(f)) {}  // NOLINT(google-explicit-constructor)
  template <typename F>
  requires(!std::is_invocable_r_v<Result<T>, F&, const RequestContext&, const Input&> &&
           std::is_invocable_v<F&, const RequestContext&, Input, Reply<T>>) Operation(F f)
      : async(std::move(f)) {}  // NOLINT(google-explicit-constructor)

  Sync sync;
  Async async;
};

using JsonReply = Reply<json::Value>;
using JsonOperation = Operation<json::Value, json::Value>;
// Query handlers return the inner XML of <ActionResult> (write it with XmlWriter).
using QueryReply = Reply<std::string>;
using QueryOperation = Operation<std::string, QueryParams>;
using RestReply = Reply<RestResponse>;
using RestOperation = Operation<RestResponse, RestRequest>;

using JsonOperations = std::map<std::string, JsonOperation, std::less<>>;
using QueryOperations = std::map<std::string, QueryOperation, std::less<>>;
using JsonPermissions = std::map<std::string, Permission<json::Value>, std::less<>>;
using QueryPermissions = std::map<std::string, Permission<QueryParams>, std::less<>>;
using RestPermissions =
    std::map<std::string, Permission<RestRequest>, std::less<>>;  // by operation

struct RestRoute {
  std::string method;         // "POST"
  std::string path_template;  // "/2015-03-31/functions/{FunctionName}/invocations"
  std::string operation;      // "Invoke"
  RestOperation handler;
};

// A plain HTTP endpoint outside the AWS protocols (links in SNS mails, pages a browser opens):
// matched by method and exact path before protocol detection; answers through the responder.
using PlainRoute = std::function<void(std::shared_ptr<const HttpRequest>, Responder)>;

struct RouterOptions {
  std::string default_region = "us-east-1";
  // Where handler exceptions and other server-side failures are reported; stderr when empty.
  std::function<void(std::string_view)> log = nullptr;
  std::string account = "000000000000";
  // Not owned; must outlive the router. nullptr: requests are not authenticated and act as the
  // account's administrator (unit tests of the edge).
  const Authenticator* authenticator = nullptr;
  // Not owned. nullptr: every authenticated request is allowed.
  const Authorizer* authorizer = nullptr;
};

class Router {
 public:
  explicit Router(RouterOptions options = {});

  // Registration happens before serving; dispatch() only reads. Adding to an existing service
  // merges the operations (one file per operation group may register separately).
  // Operations without a declared Permission are answered AccessDenied for everyone but the
  // administrator (see undeclared_operations()).
  void add_json_service(std::string service, std::string target_prefix, JsonVersion version,
                        JsonOperations operations, std::string error_namespace = {},
                        JsonPermissions permissions = {});
  void add_query_service(std::string service, std::string xmlns, QueryOperations operations,
                         QueryPermissions permissions = {});
  // Throws std::invalid_argument for a malformed path template (a programming error).
  void add_rest_json_service(std::string service, std::vector<RestRoute> routes,
                             RestPermissions permissions = {});
  // method "GET", path "/sns/confirm" (compared with the request's path before percent-decoding).
  void add_plain_route(std::string method, std::string path, PlainRoute route);
  // Every path that starts with `prefix` ("/console/"), when no exact plain route matches; the
  // longest prefix wins.
  void add_plain_prefix_route(std::string method, std::string prefix, PlainRoute route);

  // identify_request, plus what registration knows: X-Amz-Target prefixes of registered JSON
  // services and the REST operation whose template matches.
  RouteInfo route(const HttpRequest& request) const;

  // "service.Operation" for every registered operation that declares no Permission, so the
  // composition root can refuse to start with a gap in authorization.
  std::vector<std::string> undeclared_operations() const;

  void dispatch(HttpRequest&& request, Responder respond) const;
  // The same request path for a principal Signoff has already authenticated (a console session,
  // an execution's role): no signature is checked, but every operation's permission is, so a
  // caller inside the process has no more rights than the principal would have over HTTP.
  // Plain routes are not reachable this way.
  void dispatch_as(HttpRequest&& request, Principal principal, Responder respond) const;
  // A Handler for HttpServer; the router must outlive the server.
  Handler handler() const;

 private:
  struct JsonService {
    std::string service;
    std::string target_prefix;
    JsonVersion version = JsonVersion::V1_1;
    std::string error_namespace;
    JsonOperations operations;
    JsonPermissions permissions;
  };
  struct QueryService {
    std::string xmlns;
    QueryOperations operations;
    QueryPermissions permissions;
  };
  struct CompiledRoute {
    std::string method;
    PathTemplate path;
    std::string operation;
    RestOperation handler;
    std::optional<Permission<RestRequest>> permission;
  };

  const CompiledRoute* match_rest(const std::string& service, const HttpRequest& request,
                                  PathLabels& labels, bool* path_matched) const;
  void dispatch_json(const JsonService& service, const RouteInfo& route, RequestContext ctx,
                     Responder respond) const;
  void dispatch_query(const QueryService& service, RouteInfo route, RequestContext ctx,
                      Responder respond) const;
  void dispatch_rest(const RouteInfo& route, RequestContext ctx, Responder respond) const;
  // Sets ctx.principal, or answers why the request is refused.
  std::optional<AwsError> authenticate(const RouteInfo& route, RequestContext& ctx) const;
  template <typename Input>
  std::optional<AwsError> authorize(Protocol protocol, const Permission<Input>* permission,
                                    const RequestContext& ctx, const Input& input) const;
  void report(const RequestContext& ctx, std::string_view what) const;
  void dispatch_service(std::shared_ptr<const HttpRequest> http, std::optional<Principal> as,
                        Responder respond) const;
  bool dispatch_plain(const std::shared_ptr<const HttpRequest>& http, Responder& respond) const;

  RouterOptions options_;
  std::map<std::string, JsonService, std::less<>> json_by_prefix_;
  std::map<std::string, QueryService, std::less<>> query_;
  std::map<std::string, std::vector<CompiledRoute>, std::less<>> rest_;
  std::map<std::pair<std::string, std::string>, PlainRoute> plain_;
  std::vector<std::tuple<std::string, std::string, PlainRoute>> plain_prefixes_;  // longest first
};

}  // namespace signoff::api
