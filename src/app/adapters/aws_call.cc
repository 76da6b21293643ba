#include "app/adapters/aws_call.h"

#include <array>

#include <strings.h>

#include "api/internal_call.h"
#include "api/protocol/sdk_shapes.h"

namespace signoff::app {

namespace {

struct ServiceWire {
  std::array<std::string_view, 4> names;  // the aws-sdk ARN's name first, then aliases
  std::string_view error_name;            // PascalCase, as Step Functions prefixes errors
  bool json = true;
  std::string_view target_or_version;  // JSON: X-Amz-Target prefix; query: API version
  std::string_view json_version;
  bool camel_case_wire = false;  // the JSON wire names members in camelCase
};

// The aws-sdk ARN names the SDK's service ("sfn", "eventbridge", "cloudwatchlogs"); boto3's client
// names ("stepfunctions", "events", "logs") are what aws:executeAwsApi documents use.
constexpr ServiceWire kServices[] = {
    {{"ssm"}, "Ssm", true, "AmazonSSM", "1.1", false},
    {{"sfn", "stepfunctions", "states"}, "Sfn", true, "AWSStepFunctions", "1.0", true},
    {{"eventbridge", "events"}, "EventBridge", true, "AWSEvents", "1.1", false},
    {{"cloudwatchlogs", "logs"}, "CloudWatchLogs", true, "Logs_20140328", "1.1", true},
    {{"sns"}, "Sns", false, "2010-03-31", {}, false},
    {{"iam"}, "Iam", false, "2010-05-08", {}, false},
    {{"sts"}, "Sts", false, "2011-06-15", {}, false},
    {{"cloudformation"}, "CloudFormation", false, "2010-05-15", {}, false},
};

const ServiceWire* find_service(std::string_view name) {
  for (const ServiceWire& s : kServices) {
    for (std::string_view n : s.names) {
      if (!n.empty() && n == name) {
        return &s;
      }
    }
  }
  return nullptr;
}

std::string header_of(const api::HttpResponse& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0) {
      return h.value;
    }
  }
  return {};
}

std::string text(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

// Step Functions' Input and a SendTask*'s Output are strings on the wire; a state machine
// usually builds them as JSON, which the SDK would reject, so they are serialized here.
json::Value stringify_payloads(const json::Value& params) {
  if (!params.is_object()) {
    return params;
  }
  json::Value out = params;
  for (const char* key : {"input", "output"}) {
    const json::Value* v = out.find(key);
    if (v != nullptr && !v->is_string() && !v->is_null()) {
      out.set(key, json::Value(json::dump(*v)));
    }
  }
  return out;
}

AwsCallResult interpret(const ServiceWire& wire, Naming naming, const api::HttpResponse& r) {
  AwsCallResult result;
  result.service_name = std::string(wire.error_name);
  result.status = r.status;
  result.request_id = header_of(r, "x-amzn-RequestId");
  if (wire.json) {
    auto body = json::parse(r.body);
    if (r.status == 200) {
      json::Value out = body.ok() && body.value.is_object() ? body.value : json::Value::object();
      result.output =
          wire.camel_case_wire && naming == Naming::Sdk ? api::keys_to_pascal(out) : out;
      return result;
    }
    result.ok = false;
    result.code = "InternalFailure";
    result.message = r.body;
    if (body.ok()) {
      std::string type = text(body.value, "__type");
      if (size_t hash = type.rfind('#'); hash != std::string::npos) {
        type = type.substr(hash + 1);
      }
      if (!type.empty()) {
        result.code = type;
      }
      for (const char* k : {"message", "Message"}) {
        if (const json::Value* m = body.value.find(k); m != nullptr && m->is_string()) {
          result.message = std::string(m->as_string());
        }
      }
    }
    return result;
  }
  if (r.status == 200) {
    auto out = api::query_result_to_json(r.body);
    result.output = out ? *out : json::Value::object();
    return result;
  }
  result.ok = false;
  auto error = api::query_error_of(r.body);
  result.code = error ? error->code : "InternalFailure";
  result.message = error ? error->message : r.body;
  return result;
}

}  // namespace

OnBehalfCaller::OnBehalfCaller(const std::unique_ptr<api::Router>& router) : router_(router) {}

bool OnBehalfCaller::supports(std::string_view service) {
  return find_service(service) != nullptr;
}

void OnBehalfCaller::open() {
  std::vector<std::function<void()>> pending;
  {
    std::lock_guard lock(mu_);
    open_ = true;
    pending.swap(pending_);
  }
  for (auto& f : pending) {
    f();
  }
}

void OnBehalfCaller::call(const Principal& as, const AwsCall& call, AwsCallDone done) {
  {
    std::lock_guard lock(mu_);
    if (!open_) {
      pending_.push_back(
          [this, as, call, done = std::move(done)]() mutable { run(as, call, std::move(done)); });
      return;
    }
  }
  run(as, call, std::move(done));
}

void OnBehalfCaller::run(const Principal& as, const AwsCall& call, AwsCallDone done) {
  const ServiceWire* wire = find_service(call.service);
  if (wire == nullptr || !router_) {
    AwsCallResult r;
    r.ok = false;
    r.status = 400;
    r.code = "UnknownOperationException";
    r.message = "Signoff does not implement the service " + call.service;
    return done(std::move(r));
  }
  std::string action = call.action;
  if (!action.empty()) {
    action[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(action[0])));
  }
  api::HttpRequest request;
  if (wire->json) {
    json::Value params = call.parameters.is_object() ? call.parameters : json::Value::object();
    if (wire->camel_case_wire && call.naming == Naming::Sdk) {
      params = api::keys_to_camel(params);
    }
    if (wire->error_name == "Sfn") {
      params = stringify_payloads(params);
    }
    request = api::json_call(std::string(wire->target_or_version) + "." + action,
                             json::dump(params), wire->json_version);
  } else {
    request = api::query_call(action, wire->target_or_version,
                              api::flatten_query_params(call.parameters));
  }
  router_->dispatch_as(std::move(request), as,
                       [wire, naming = call.naming, done = std::move(done)](api::HttpResponse r) {
                         done(interpret(*wire, naming, r));
                       });
}

}  // namespace signoff::app
