#include "api/router.h"

#include <cstdio>
#include <exception>
#include <stdexcept>

#include "api/protocol/url.h"
#include "api/request_id.h"

namespace signoff::api {
namespace {

struct KnownJsonService {
  std::string_view target_prefix;
  std::string_view service;
};
// X-Amz-Target prefixes as the SDKs send them (botocore's metadata.targetPrefix).
constexpr KnownJsonService kJsonServices[] = {
    {"AWSStepFunctions", "states"},
    {"AmazonSSM", "ssm"},
    {"AWSEvents", "events"},
    {"Logs_20140328", "logs"},
};

struct KnownQueryService {
  std::string_view version;
  std::string_view service;
};
// For unsigned query requests: the API version names the service.
constexpr KnownQueryService kQueryServices[] = {
    {"2010-03-31", "sns"},
    {"2010-05-08", "iam"},
    {"2011-06-15", "sts"},
    {"2010-05-15", "cloudformation"},
};

// "AWSStepFunctions.StartExecution" → ("AWSStepFunctions", "StartExecution").
std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  size_t dot = target.rfind('.');
  if (dot == std::string_view::npos) {
    return {target, {}};
  }
  return {target.substr(0, dot), target.substr(dot + 1)};
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Lambda's API is versioned by a date as the first path segment: /2015-03-31/functions, ...
bool is_dated_path(std::string_view path) {
  if (path.size() < 12 || path[0] != '/' || path[11] != '/') {
    return false;
  }
  for (size_t i = 1; i <= 10; ++i) {
    bool dash = i == 5 || i == 8;
    if (dash ? path[i] != '-' : !is_digit(path[i])) {
      return false;
    }
  }
  return true;
}

bool looks_like_form(const HttpRequest& request) {
  const std::string* type = request.header("Content-Type");
  return type != nullptr && type->find("x-www-form-urlencoded") != std::string::npos;
}

}  // namespace

std::optional<CredentialScope> parse_credential_scope(std::string_view credential) {
  std::string_view parts[5];
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t slash = i == 4 ? std::string_view::npos : credential.find('/', start);
    if (i < 4 && slash == std::string_view::npos) {
      return std::nullopt;
    }
    parts[i] = credential.substr(start, slash == std::string_view::npos ? slash : slash - start);
    start = slash + 1;
  }
  if (parts[4] != "aws4_request" || parts[3].empty()) {
    return std::nullopt;
  }
  return CredentialScope{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
                         std::string(parts[3])};
}

std::optional<CredentialScope> find_credential_scope(const HttpRequest& request) {
  if (const std::string* auth = request.header("Authorization")) {
    size_t at = auth->find("Credential=");
    if (at != std::string::npos) {
      std::string_view rest = std::string_view(*auth).substr(at + 11);
      size_t end = rest.find_first_of(", ");
      return parse_credential_scope(rest.substr(0, end));
    }
  }
  if (request.query.find("X-Amz-Credential=") != std::string::npos) {
    for (const auto& [k, v] : decode_form(request.query)) {
      if (k == "X-Amz-Credential") {
        return parse_credential_scope(v);
      }
    }
  }
  return std::nullopt;
}

RouteInfo identify_request(const HttpRequest& request, std::string_view default_region) {
  RouteInfo info;
  info.region = std::string(default_region);
  std::optional<CredentialScope> scope = find_credential_scope(request);
  if (scope) {
    if (!scope->region.empty()) {
      info.region = scope->region;
    }
    info.access_key_id = scope->access_key_id;
    info.service = scope->service;
  }

  if (const std::string* target = request.header("X-Amz-Target")) {
    auto [prefix, operation] = split_target(*target);
    info.protocol = Protocol::Json;
    info.operation = std::string(operation);
    for (const auto& known : kJsonServices) {
      if (known.target_prefix == prefix) {
        info.service = std::string(known.service);
      }
    }
    return info;
  }

  if (is_dated_path(request.path) && (info.service.empty() || info.service == "lambda")) {
    info.protocol = Protocol::RestJson;
    info.service = "lambda";
    return info;
  }

  QueryParams params = query_request_params(request);
  if (const std::string* action = params.get("Action")) {
    info.protocol = Protocol::Query;
    info.operation = *action;
    if (info.service.empty()) {
      std::string version = params.get_or("Version");
      for (const auto& known : kQueryServices) {
        if (known.version == version) {
          info.service = std::string(known.service);
        }
      }
    }
    info.query_params = std::move(params);
    return info;
  }
  if (looks_like_form(request)) {
    info.protocol = Protocol::Query;  // a form post without Action: answered MissingAction
  } else if (is_dated_path(request.path)) {
    info.protocol = Protocol::RestJson;
  }
  return info;
}

Router::Router(RouterOptions options) : options_(std::move(options)) {}

void Router::add_json_service(std::string service, std::string target_prefix, JsonVersion version,
                              JsonOperations operations, std::string error_namespace,
                              JsonPermissions permissions) {
  JsonService& entry = json_by_prefix_[target_prefix];
  entry.service = std::move(service);
  entry.target_prefix = std::move(target_prefix);
  entry.version = version;
  if (!error_namespace.empty()) {
    entry.error_namespace = std::move(error_namespace);
  }
  for (auto& [name, op] : operations) {
    entry.operations.insert_or_assign(name, std::move(op));
  }
  for (auto& [name, p] : permissions) {
    entry.permissions.insert_or_assign(name, std::move(p));
  }
}

void Router::add_query_service(std::string service, std::string xmlns, QueryOperations operations,
                               QueryPermissions permissions) {
  QueryService& entry = query_[service];
  entry.xmlns = std::move(xmlns);
  for (auto& [name, op] : operations) {
    entry.operations.insert_or_assign(name, std::move(op));
  }
  for (auto& [name, p] : permissions) {
    entry.permissions.insert_or_assign(name, std::move(p));
  }
}

std::vector<std::string> Router::undeclared_operations() const {
  std::vector<std::string> out;
  for (const auto& [prefix, service] : json_by_prefix_) {
    for (const auto& [name, op] : service.operations) {
      if (service.permissions.find(name) == service.permissions.end()) {
        out.push_back(service.service + "." + name);
      }
    }
  }
  for (const auto& [name, service] : query_) {
    for (const auto& [op, handler] : service.operations) {
      if (service.permissions.find(op) == service.permissions.end()) {
        out.push_back(name + "." + op);
      }
    }
  }
  for (const auto& [name, routes] : rest_) {
    for (const CompiledRoute& r : routes) {
      if (!r.permission) {
        out.push_back(name + "." + r.operation);
      }
    }
  }
  return out;
}

std::optional<AwsError> Router::authenticate(const RouteInfo& route, RequestContext& ctx) const {
  if (ctx.on_behalf) {
    return std::nullopt;
  }
  if (options_.authenticator == nullptr) {
    ctx.principal = root_principal(options_.account);
    return std::nullopt;
  }
  Result<Principal> who = options_.authenticator->authenticate(*ctx.http, route);
  if (!who.ok()) {
    return std::move(who).error();
  }
  ctx.principal = std::move(*who);
  ctx.access_key_id = ctx.principal.access_key_id;
  return std::nullopt;
}

template <typename Input>
std::optional<AwsError> Router::authorize(Protocol protocol, const Permission<Input>* permission,
                                          const RequestContext& ctx, const Input& input) const {
  if (options_.authorizer == nullptr) {
    return std::nullopt;
  }
  if (permission == nullptr) {
    // An operation nobody declared a permission for: only the administrator may call it, so a
    // forgotten declaration fails closed.
    if (ctx.principal.is_root()) {
      return std::nullopt;
    }
    return access_denied(protocol, ctx.service, ctx.principal, ctx.service + ":" + ctx.operation,
                         "*", Decision::ImplicitDeny);
  }
  if (permission->handler_decides) {
    return std::nullopt;
  }
  std::string resource = permission->resource ? permission->resource(ctx, input) : "*";
  Decision d = options_.authorizer->authorize(ctx.principal, permission->action, resource);
  if (d == Decision::Allow) {
    return std::nullopt;
  }
  return access_denied(protocol, ctx.service, ctx.principal, permission->action, resource, d);
}

void Router::add_rest_json_service(std::string service, std::vector<RestRoute> routes,
                                   RestPermissions permissions) {
  std::vector<CompiledRoute>& entry = rest_[service];
  for (RestRoute& route : routes) {
    auto path = PathTemplate::compile(route.path_template);
    if (!path) {
      throw std::invalid_argument("malformed REST path template: " + route.path_template);
    }
    std::optional<Permission<RestRequest>> permission;
    if (auto p = permissions.find(route.operation); p != permissions.end()) {
      permission = p->second;
    }
    entry.push_back(CompiledRoute{std::move(route.method), std::move(*path),
                                  std::move(route.operation), std::move(route.handler),
                                  std::move(permission)});
  }
}

void Router::add_plain_route(std::string method, std::string path, PlainRoute route) {
  plain_.insert_or_assign({std::move(method), std::move(path)}, std::move(route));
}

void Router::add_plain_prefix_route(std::string method, std::string prefix, PlainRoute route) {
  auto at = plain_prefixes_.begin();
  while (at != plain_prefixes_.end() && std::get<1>(*at).size() >= prefix.size()) {
    ++at;
  }
  plain_prefixes_.insert(at, {std::move(method), std::move(prefix), std::move(route)});
}

const Router::CompiledRoute* Router::match_rest(const std::string& service,
                                                const HttpRequest& request, PathLabels& labels,
                                                bool* path_matched) const {
  auto it = rest_.find(service);
  if (it == rest_.end()) {
    return nullptr;
  }
  for (const CompiledRoute& route : it->second) {
    if (route.path.match(request.path, labels)) {
      *path_matched = true;
      if (route.method == request.method) {
        return &route;
      }
    }
  }
  labels.clear();
  return nullptr;
}

RouteInfo Router::route(const HttpRequest& request) const {
  RouteInfo info = identify_request(request, options_.default_region);
  if (info.protocol == Protocol::Json) {
    auto [prefix, operation] = split_target(*request.header("X-Amz-Target"));
    auto it = json_by_prefix_.find(prefix);
    if (it != json_by_prefix_.end()) {
      info.service = it->second.service;
    }
  } else if (info.protocol == Protocol::RestJson) {
    PathLabels labels;
    bool path_matched = false;
    if (const CompiledRoute* r = match_rest(info.service, request, labels, &path_matched)) {
      info.operation = r->operation;
    }
  }
  return info;
}

Handler Router::handler() const {
  return [this](HttpRequest&& request, Responder respond) {
    dispatch(std::move(request), std::move(respond));
  };
}

void Router::report(const RequestContext& ctx, std::string_view what) const {
  std::string line = "request " + ctx.request_id + " (" + ctx.service + "." + ctx.operation +
                     ") failed: " + std::string(what);
  if (options_.log) {
    options_.log(line);
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

bool Router::dispatch_plain(const std::shared_ptr<const HttpRequest>& http,
                            Responder& respond) const {
  const PlainRoute* route = nullptr;
  if (auto exact = plain_.find({http->method, http->path}); exact != plain_.end()) {
    route = &exact->second;
  } else {
    for (const auto& [method, prefix, r] : plain_prefixes_) {
      if (method == http->method && http->path.starts_with(prefix)) {
        route = &r;
        break;
      }
    }
  }
  if (route == nullptr) {
    return false;
  }
  try {
    (*route)(http, respond);
  } catch (const std::exception& e) {
    RequestContext ctx;
    ctx.request_id = new_request_id();
    ctx.operation = http->path;
    report(ctx, e.what());
    HttpResponse r;
    r.status = 500;
    r.body = "Internal error\n";
    r.set_header("Content-Type", "text/plain; charset=utf-8");
    respond(std::move(r));
  }
  return true;
}

void Router::dispatch(HttpRequest&& request, Responder respond) const {
  auto http = std::make_shared<const HttpRequest>(std::move(request));
  if (dispatch_plain(http, respond)) {
    return;
  }
  dispatch_service(std::move(http), std::nullopt, std::move(respond));
}

void Router::dispatch_as(HttpRequest&& request, Principal principal, Responder respond) const {
  dispatch_service(std::make_shared<const HttpRequest>(std::move(request)), std::move(principal),
                   std::move(respond));
}

void Router::dispatch_service(std::shared_ptr<const HttpRequest> http, std::optional<Principal> as,
                              Responder respond) const {
  RouteInfo info;
  RequestContext ctx;
  ctx.request_id = new_request_id();
  try {
    info = route(*http);
  } catch (const std::exception& e) {
    // Routing reads only strings; an exception here is an allocation failure or a bug.
    ctx.http = http;
    report(ctx, e.what());
    respond(render_json_error(internal_failure(), JsonVersion::V1_1, ctx.request_id));
    return;
  }
  ctx.service = info.service;
  ctx.operation = info.operation;
  ctx.region = info.region;
  ctx.access_key_id = info.access_key_id;
  ctx.account = options_.account;
  ctx.http = http;
  if (as) {
    ctx.principal = std::move(*as);
    ctx.access_key_id = ctx.principal.access_key_id;
    ctx.on_behalf = true;
  }

  switch (info.protocol) {
    case Protocol::Json: {
      auto [prefix, operation] = split_target(*http->header("X-Amz-Target"));
      auto it = json_by_prefix_.find(prefix);
      if (it == json_by_prefix_.end()) {
        respond(render_json_error(unknown_operation(*http->header("X-Amz-Target")),
                                  JsonVersion::V1_1, ctx.request_id));
        return;
      }
      dispatch_json(it->second, info, std::move(ctx), std::move(respond));
      return;
    }
    case Protocol::Query: {
      auto it = query_.find(info.service);
      if (it == query_.end()) {
        AwsError error{400, "InvalidAction", "The action " + info.operation + " is not valid"};
        if (info.operation.empty()) {
          error = AwsError{400, "MissingAction", "Missing Action"};
        }
        respond(render_query_error(error, query_namespace(info.service), ctx.request_id));
        return;
      }
      dispatch_query(it->second, std::move(info), std::move(ctx), std::move(respond));
      return;
    }
    case Protocol::RestJson:
      dispatch_rest(info, std::move(ctx), std::move(respond));
      return;
    case Protocol::Unknown:
      break;
  }
  respond(render_json_error(AwsError{400, "UnknownOperationException",
                                     "The request names no service operation this server knows"},
                            JsonVersion::V1_1, ctx.request_id));
}

void Router::dispatch_json(const JsonService& service, const RouteInfo& route, RequestContext ctx,
                           Responder respond) const {
  JsonVersion version = service.version;
  std::string error_namespace = service.error_namespace;
  std::string request_id = ctx.request_id;
  JsonReply reply([respond = std::move(respond), version, error_namespace,
                   request_id](Result<json::Value> result) {
    respond(result.ok() ? json_response(*result, version, request_id)
                        : render_json_error(result.error(), version, request_id, error_namespace));
  });
  if (auto refused = authenticate(route, ctx)) {
    reply(std::move(*refused));
    return;
  }
  auto op = service.operations.find(ctx.operation);
  if (op == service.operations.end()) {
    reply(unknown_operation(ctx.operation));
    return;
  }
  Result<json::Value> body = decode_json_body(ctx.http->body);
  if (!body.ok()) {
    reply(std::move(body));
    return;
  }
  try {
    auto declared = service.permissions.find(ctx.operation);
    if (auto denied = authorize(Protocol::Json,
                                declared == service.permissions.end() ? nullptr : &declared->second,
                                ctx, *body)) {
      reply(std::move(*denied));
      return;
    }
    if (op->second.sync) {
      reply(op->second.sync(ctx, *body));
    } else {
      op->second.async(ctx, std::move(*body), reply);
    }
  } catch (const std::exception& e) {
    report(ctx, e.what());
    reply(internal_failure());
  } catch (...) {
    report(ctx, "unknown exception");
    reply(internal_failure());
  }
}

void Router::dispatch_query(const QueryService& service, RouteInfo route, RequestContext ctx,
                            Responder respond) const {
  std::string xmlns = service.xmlns;
  std::string action = ctx.operation;
  std::string request_id = ctx.request_id;
  QueryReply reply(
      [respond = std::move(respond), xmlns, action, request_id](Result<std::string> result) {
        respond(result.ok() ? query_response(action, xmlns, *result, request_id)
                            : render_query_error(result.error(), xmlns, request_id));
      });
  if (auto refused = authenticate(route, ctx)) {
    reply(std::move(*refused));
    return;
  }
  if (action.empty()) {
    reply(AwsError{400, "MissingAction", "Missing Action"});
    return;
  }
  auto op = service.operations.find(action);
  if (op == service.operations.end()) {
    std::string version = route.query_params.get_or("Version");
    reply(AwsError{400, "InvalidAction",
                   "Could not find operation " + action + " for version " + version});
    return;
  }
  try {
    auto declared = service.permissions.find(action);
    if (auto denied = authorize(Protocol::Query,
                                declared == service.permissions.end() ? nullptr : &declared->second,
                                ctx, route.query_params)) {
      reply(std::move(*denied));
      return;
    }
    if (op->second.sync) {
      reply(op->second.sync(ctx, route.query_params));
    } else {
      op->second.async(ctx, std::move(route.query_params), reply);
    }
  } catch (const std::exception& e) {
    report(ctx, e.what());
    reply(AwsError{500, "InternalFailure", "An internal error occurred"});
  } catch (...) {
    report(ctx, "unknown exception");
    reply(AwsError{500, "InternalFailure", "An internal error occurred"});
  }
}

void Router::dispatch_rest(const RouteInfo& info, RequestContext ctx, Responder respond) const {
  std::string request_id = ctx.request_id;
  RestReply reply([respond = std::move(respond), request_id](Result<RestResponse> result) {
    if (!result.ok()) {
      respond(render_rest_json_error(result.error(), request_id));
      return;
    }
    RestResponse& r = *result;
    HttpResponse response;
    response.status = r.status;
    response.headers = std::move(r.headers);
    response.body = std::move(r.body);
    response.set_header("x-amzn-RequestId", request_id);
    respond(std::move(response));
  });
  if (auto refused = authenticate(info, ctx)) {
    reply(std::move(*refused));
    return;
  }
  RestRequest request;
  bool path_matched = false;
  const CompiledRoute* route = match_rest(ctx.service, *ctx.http, request.labels, &path_matched);
  if (route == nullptr) {
    reply(path_matched ? AwsError{405, "MethodNotAllowedException",
                                  "The method " + ctx.http->method + " is not allowed here"}
                       : AwsError{404, "UnknownOperationException", "Unknown operation"});
    return;
  }
  request.query = QueryParams::parse(ctx.http->query);
  request.http = ctx.http;
  try {
    if (auto denied = authorize(Protocol::RestJson,
                                route->permission ? &*route->permission : nullptr, ctx, request)) {
      reply(std::move(*denied));
      return;
    }
    if (route->handler.sync) {
      reply(route->handler.sync(ctx, request));
    } else {
      route->handler.async(ctx, std::move(request), reply);
    }
  } catch (const std::exception& e) {
    report(ctx, e.what());
    reply(AwsError{500, "ServiceException", "An internal error occurred"});
  } catch (...) {
    report(ctx, "unknown exception");
    reply(AwsError{500, "ServiceException", "An internal error occurred"});
  }
}

}  // namespace signoff::api
