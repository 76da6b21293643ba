#include "app/functions_wiring.h"

#include <cstdio>

#include "api/http/server.h"
#include "functions/util.h"

namespace signoff::app {

namespace {

class HttpRuntimeListener final : public functions::RuntimeListener {
 public:
  explicit HttpRuntimeListener(functions::RuntimeHttpHandler handler) {
    api::ServerOptions so;
    so.address = "127.0.0.1";
    so.port = 0;
    so.threads = 1;
    so.max_body_bytes = 8u << 20;
    so.idle_timeout_seconds = 24 * 3600;  // a warm worker may wait long for its next event
    server_ = std::make_unique<api::HttpServer>(
        so, [handler = std::move(handler)](api::HttpRequest&& req, api::Responder respond) {
          functions::RuntimeHttpRequest r;
          r.method = req.method;
          r.path = req.path;
          for (const api::Header& h : req.headers) {
            r.headers.emplace_back(h.name, h.value);
          }
          r.body = std::move(req.body);
          handler(std::move(r), [respond](functions::RuntimeHttpResponse out) {
            api::HttpResponse resp;
            resp.status = out.status;
            for (auto& [k, v] : out.headers) {
              resp.headers.push_back(api::Header{k, v});
            }
            resp.body = std::move(out.body);
            respond(std::move(resp));
          });
        });
    server_->start();
  }
  ~HttpRuntimeListener() override { server_->stop(); }
  std::string address() const override { return "127.0.0.1:" + std::to_string(server_->port()); }

 private:
  std::unique_ptr<api::HttpServer> server_;
};

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

class LambdaIntegration final : public engine::TaskIntegration {
 public:
  explicit LambdaIntegration(functions::FunctionsService& f) : functions_(f) {}

  bool handles(std::string_view resource) const override {
    return resource == "arn:aws:states:::lambda:invoke" ||
           resource == "arn:aws:states:::lambda:invoke.waitForTaskToken" ||
           (resource.rfind("arn:aws:lambda:", 0) == 0 &&
            resource.find(":function:") != std::string_view::npos);
  }

  void run(const engine::TaskCall& call, engine::TaskDone done) override {
    bool optimized = call.resource.rfind("arn:aws:states:::", 0) == 0;
    functions::InvokeRequest r;
    std::string function;
    json::Value payload;
    if (optimized) {
      function = str(call.parameters, "FunctionName");
      if (const json::Value* p = call.parameters.find("Payload")) {
        payload = *p;
      }
      std::string type = str(call.parameters, "InvocationType");
      if (type == "Event") {
        r.type = functions::InvocationType::Event;
      } else if (type == "DryRun") {
        r.type = functions::InvocationType::DryRun;
      }
    } else {
      function = call.resource;
      payload = call.parameters;
    }
    auto ref =
        functions::parse_function_ref(function, str(call.parameters, "Qualifier"), call.region);
    if (!ref.ok()) {
      return done(service_error(ref.error()));
    }
    r.ref = *ref;
    r.payload = json::dump(payload);
    functions_.invoke(r, [done, optimized](signoff::Result<functions::InvokeResult> res) {
      if (!res.ok()) {
        return done(service_error(res.error()));
      }
      if (res->function_error) {
        return done(function_error(*res));
      }
      json::Value value;
      if (!res->payload.empty()) {
        auto p = json::parse(res->payload);
        value = p.ok() ? p.value : json::Value(res->payload);
      }
      engine::TaskResult out;
      if (!optimized) {
        out.output = value;
        return done(out);
      }
      std::string request_id = functions::uuid4();
      json::Value headers =
          json::Value::object({{"Connection", json::Value("keep-alive")},
                               {"Content-Type", json::Value("application/json")},
                               {"X-Amz-Executed-Version", json::Value(res->executed_version)},
                               {"x-amzn-Remapped-Content-Length", json::Value("0")},
                               {"x-amzn-RequestId", json::Value(request_id)}});
      json::Value all = json::Value::object();
      for (const json::Member& m : headers.as_object()) {
        all.set(m.key, json::Value::array({m.value}));
      }
      out.output = json::Value::object(
          {{"ExecutedVersion", json::Value(res->executed_version)},
           {"Payload", value},
           {"SdkHttpMetadata", json::Value::object({{"AllHttpHeaders", all},
                                                    {"HttpHeaders", headers},
                                                    {"HttpStatusCode", json::Value(res->status)}})},
           {"SdkResponseMetadata", json::Value::object({{"RequestId", json::Value(request_id)}})},
           {"StatusCode", json::Value(res->status)}});
      done(out);
    });
  }

 private:
  static engine::TaskResult service_error(const signoff::Error& e) {
    engine::TaskResult r;
    r.ok = false;
    r.error = "Lambda." + e.type;
    r.cause = e.message + " (Service: AWSLambda; Status Code: " + std::to_string(e.status) +
              "; Error Code: " + e.type + "; Request ID: " + functions::uuid4() + "; Proxy: null)";
    return r;
  }

  static engine::TaskResult function_error(const functions::InvokeResult& res) {
    engine::TaskResult r;
    r.ok = false;
    auto p = json::parse(res.payload);
    std::string type = p.ok() ? str(p.value, "errorType") : std::string();
    if (type.empty()) {
      r.error = "Lambda.Unknown";
      r.cause =
          "The cause could not be determined because Lambda did not return an error type. "
          "Returned payload: " +
          res.payload;
    } else {
      r.error = type;
      r.cause = res.payload;
    }
    return r;
  }

  functions::FunctionsService& functions_;
};

}  // namespace

std::unique_ptr<functions::RuntimeListener> HttpRuntimeListeners::listen(
    functions::RuntimeHttpHandler handler) {
  return std::make_unique<HttpRuntimeListener>(std::move(handler));
}

functions::Credentials RoleCredentials::for_role(const std::string& role_arn) {
  auto minted = identity_.credentials_for_role(role_arn, "lambda.amazonaws.com");
  if (minted.ok()) {
    return functions::Credentials{minted->access_key_id, minted->secret_access_key,
                                  minted->session_token, minted->expiration_ms};
  }
  if (!insecure_open_) {
    std::fprintf(stderr,
                 "signoff: lambda: the role %s cannot be assumed by lambda.amazonaws.com (%s: %s); "
                 "the function's calls to Signoff will be refused\n",
                 role_arn.c_str(), minted.error().type.c_str(), minted.error().message.c_str());
  }
  // Not a key of this account: refused unless signatures go unchecked (--insecure-open).
  return functions::Credentials{"AKIASIGNOFFNOROLE000", "signoff-no-role-credentials", "", 0};
}

void LogsSink::ensure_stream(const std::string& region, const std::string& group,
                             const std::string& stream) {
  logs_.ensure_stream(region, group, stream);
}

void LogsSink::append(const std::string& region, const std::string& group,
                      const std::string& stream, std::vector<functions::LogLine> lines) {
  std::vector<logs::InputEvent> events;
  events.reserve(lines.size());
  for (functions::LogLine& l : lines) {
    events.push_back(logs::InputEvent{l.timestamp_ms, std::move(l.message)});
  }
  logs_.append(region, group, stream, std::move(events));
}

engine::TaskIntegrationPtr make_lambda_integration(functions::FunctionsService& functions) {
  return std::make_shared<LambdaIntegration>(functions);
}

}  // namespace signoff::app
