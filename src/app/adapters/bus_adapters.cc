#include "app/adapters/bus_adapters.h"

#include <chrono>
#include <future>
#include <mutex>

#include <curl/curl.h>

namespace signoff::app {

namespace {

class EngineStarter final : public bus::StateMachineStarter {
 public:
  explicit EngineStarter(engine::Engine& engine) : engine_(engine) {}

  bus::DeliveryOutcome start_execution(const std::string& arn, const std::string& name,
                                       const std::string& input, const std::string&) override {
    engine::StartExecutionRequest r;
    r.state_machine_arn = arn;
    r.name = name;
    r.input = input;
    auto res = engine_.start_execution(r);
    if (res.ok()) {
      return bus::DeliveryOutcome::success();
    }
    const std::string& type = res.error().type;
    // The name is the delivery's id: an existing execution is this delivery's earlier attempt.
    if (type == "ExecutionAlreadyExists") {
      return bus::DeliveryOutcome::success();
    }
    std::string why = type + ": " + res.error().message;
    if (res.error().status >= 500 || type == "ExecutionLimitExceeded" ||
        type == "ThrottlingException") {
      return bus::DeliveryOutcome::retry(why);
    }
    return bus::DeliveryOutcome::permanent(why);
  }

 private:
  engine::Engine& engine_;
};

// Lambda targets: an asynchronous invocation as events.amazonaws.com from the rule, allowed only
// by the function's resource policy (lambda add-permission / AWS::Lambda::Permission).
class LambdaTargets final : public bus::FunctionInvoker {
 public:
  explicit LambdaTargets(functions::FunctionsService& f) : functions_(f) {}
  bus::DeliveryOutcome invoke_async(const std::string& arn, const std::string& payload,
                                    const std::string& source_arn) override {
    auto promise = std::make_shared<std::promise<Result<functions::InvokeResult>>>();
    auto future = promise->get_future();
    auto once = std::make_shared<std::once_flag>();
    functions_.invoke_as_service(arn, "events.amazonaws.com", source_arn, payload, true,
                                 [promise, once](Result<functions::InvokeResult> r) {
                                   std::call_once(*once, [&] { promise->set_value(std::move(r)); });
                                 });
    // An Event invocation answers once it is queued (a job), not when the function ran.
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      return bus::DeliveryOutcome::retry("Lambda did not accept the invocation of " + arn +
                                         " in 30 s");
    }
    Result<functions::InvokeResult> r = future.get();
    if (r.ok()) {
      return bus::DeliveryOutcome::success();
    }
    std::string why = r.error().type + ": " + r.error().message;
    if (r.error().status >= 500 || r.error().status == 429 ||
        r.error().type == "TooManyRequestsException") {
      return bus::DeliveryOutcome::retry(why);
    }
    return bus::DeliveryOutcome::permanent(why);
  }

 private:
  functions::FunctionsService& functions_;
};

// SNS targets (and dead-letter topics): Publish with the event (or its transformed input).
class SnsTargets final : public bus::TopicPublisher {
 public:
  explicit SnsTargets(notify::NotifyService& sns) : sns_(sns) {}
  bus::DeliveryOutcome publish(const std::string& arn, const std::string& message,
                               const std::string&) override {
    auto id = sns_.publish(arn, "", message, {});
    if (id.ok()) {
      return bus::DeliveryOutcome::success();
    }
    std::string why = id.error().type + ": " + id.error().message;
    if (id.error().status >= 500 || id.error().type == "Throttled") {
      return bus::DeliveryOutcome::retry(why);
    }
    return bus::DeliveryOutcome::permanent(why);
  }

 private:
  notify::NotifyService& sns_;
};

size_t discard(char*, size_t size, size_t n, void*) {
  return size * n;
}

class CurlHttp final : public bus::HttpSender {
 public:
  CurlHttp() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  bus::HttpAnswer send(const bus::HttpCall& call) override {
    bus::HttpAnswer a;
    CURL* c = curl_easy_init();
    if (c == nullptr) {
      a.error = "curl_easy_init failed";
      return a;
    }
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : call.headers) {
      headers = curl_slist_append(headers, (k + ": " + v).c_str());
    }
    curl_easy_setopt(c, CURLOPT_URL, call.url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    if (call.method != "GET" && call.method != "HEAD") {
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, call.body.data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.body.size()));
    }
    if (call.method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, call.timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
    } else {
      a.error = curl_easy_strerror(rc);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return a;
  }
};

class PutEventsIntegration final : public engine::TaskIntegration {
 public:
  explicit PutEventsIntegration(bus::EventsService& events) : events_(events) {}

  bool handles(std::string_view resource) const override {
    return resource == "arn:aws:states:::events:putEvents" ||
           resource == "arn:aws:states:::events:putEvents.waitForTaskToken";
  }

  void run(const engine::TaskCall& call, engine::TaskDone done) override {
    engine::TaskResult result;
    const json::Value* entries = call.parameters.find("Entries");
    if (entries == nullptr || !entries->is_array()) {
      result.ok = false;
      result.error = "EventBridge.ValidationException";
      result.cause = "The field 'Entries' is required and must be an array.";
      return done(std::move(result));
    }
    std::vector<bus::PutEventsEntry> list;
    for (const json::Value& e : entries->as_array()) {
      bus::PutEventsEntry entry;
      auto text = [&](const char* key, std::string& out) {
        const json::Value* v = e.find(key);
        if (v == nullptr) {
          return false;
        }
        out = v->is_string() ? std::string(v->as_string()) : json::dump(*v);
        return true;
      };
      entry.has_source = text("Source", entry.source);
      entry.has_detail_type = text("DetailType", entry.detail_type);
      entry.has_detail = text("Detail", entry.detail);  // an object in the definition is fine
      text("EventBusName", entry.bus);
      if (const json::Value* r = e.find("Resources"); r && r->is_array()) {
        for (const json::Value& x : r->as_array()) {
          if (x.is_string()) {
            entry.resources.emplace_back(x.as_string());
          }
        }
      }
      list.push_back(std::move(entry));
    }
    auto r = events_.put_events(list);
    if (!r.ok()) {
      result.ok = false;
      result.error = "EventBridge." + r.error().type;
      result.cause = r.error().message;
      return done(std::move(result));
    }
    std::vector<json::Value> out;
    for (const bus::PutEventsResultEntry& e : r->entries) {
      if (e.error_code.empty()) {
        out.push_back(json::Value::object({{"EventId", json::Value(e.event_id)}}));
      } else {
        out.push_back(json::Value::object({{"ErrorCode", json::Value(e.error_code)},
                                           {"ErrorMessage", json::Value(e.error_message)}}));
      }
    }
    json::Value output = json::Value::object({{"Entries", json::Value::array(std::move(out))},
                                              {"FailedEntryCount", json::Value(r->failed)}});
    if (r->failed > 0) {
      // As Step Functions: a partial failure fails the task, with the response as the cause.
      result.ok = false;
      result.error = "EventBridge.FailedEntry";
      result.cause = json::dump(output);
    } else {
      result.output = std::move(output);
    }
    done(std::move(result));
  }

 private:
  bus::EventsService& events_;
};

}  // namespace

bus::BusPorts make_bus_ports(engine::Engine& engine, functions::FunctionsService& functions,
                             notify::NotifyService& sns) {
  bus::BusPorts p;
  p.state_machines = std::make_shared<EngineStarter>(engine);
  p.functions = std::make_shared<LambdaTargets>(functions);
  p.topics = std::make_shared<SnsTargets>(sns);
  p.http = std::make_shared<CurlHttp>();
  return p;
}

engine::TaskIntegrationPtr make_put_events_integration(bus::EventsService& events) {
  return std::make_shared<PutEventsIntegration>(events);
}

}  // namespace signoff::app
