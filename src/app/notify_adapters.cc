#include "app/notify_adapters.h"

#include <chrono>
#include <ctime>
#include <future>
#include <mutex>

#include "api/request_id.h"

namespace signoff::app {
namespace {

// Lambda subscriptions: an asynchronous invocation as sns.amazonaws.com from the topic, allowed
// only by the function's resource policy (as on AWS, `lambda add-permission --principal
// sns.amazonaws.com --source-arn TOPIC`).
class LambdaSubscriptions final : public notify::FunctionInvoker {
 public:
  explicit LambdaSubscriptions(functions::FunctionsService& f) : functions_(f) {}
  notify::InvokeOutcome invoke_event(const std::string& function_arn,
                                     const std::string& event_json) override {
    std::string topic;
    if (auto event = json::parse(event_json); event.ok()) {
      if (const json::Value* records = event.value.find("Records");
          records != nullptr && records->is_array() && !records->as_array().empty()) {
        if (const json::Value* sns = records->as_array()[0].find("Sns")) {
          if (const json::Value* t = sns->find("TopicArn"); t != nullptr && t->is_string()) {
            topic = std::string(t->as_string());
          }
        }
      }
    }
    auto promise = std::make_shared<std::promise<Result<functions::InvokeResult>>>();
    auto future = promise->get_future();
    auto once = std::make_shared<std::once_flag>();
    functions_.invoke_as_service(function_arn, "sns.amazonaws.com", topic, event_json, true,
                                 [promise, once](Result<functions::InvokeResult> r) {
                                   std::call_once(*once, [&] { promise->set_value(std::move(r)); });
                                 });
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      return {false, true, "Lambda did not accept the invocation of " + function_arn + " in 30 s"};
    }
    Result<functions::InvokeResult> r = future.get();
    if (r.ok()) {
      return {true, false, ""};
    }
    bool retry = r.error().status >= 500 || r.error().status == 429;
    return {false, retry,
            "cannot invoke " + function_arn + ": " + r.error().type + ": " + r.error().message};
  }

 private:
  functions::FunctionsService& functions_;
};

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* f = v.find(key);
  if (f == nullptr || f->is_null()) {
    return {};
  }
  return f->is_string() ? std::string(f->as_string()) : json::dump(*f);
}

std::string exception_name(const std::string& type) {
  // SNS's error codes as the Java SDK names its exceptions, which is what Step Functions shows.
  if (type == "NotFound")
    return "SNS.NotFoundException";
  if (type == "InvalidParameter")
    return "SNS.InvalidParameterException";
  if (type == "AuthorizationError")
    return "SNS.AuthorizationErrorException";
  if (type == "ParameterValueInvalid")
    return "SNS.InvalidParameterValueException";
  return "SNS.AmazonSNSException";
}

class SnsPublishIntegration final : public engine::TaskIntegration {
 public:
  explicit SnsPublishIntegration(notify::NotifyService& sns) : sns_(sns) {}

  bool handles(std::string_view resource) const override {
    return resource == "arn:aws:states:::sns:publish" ||
           resource == "arn:aws:states:::sns:publish.waitForTaskToken";
  }

  void run(const engine::TaskCall& call, engine::TaskDone done) override {
    const json::Value& p = call.parameters;
    notify::PublishRequest r;
    r.topic_arn = str(p, "TopicArn");
    r.target_arn = str(p, "TargetArn");
    r.message = str(p, "Message");
    if (const json::Value* s = p.find("Subject"); s != nullptr && s->is_string()) {
      r.subject = std::string(s->as_string());
    }
    r.message_structure = str(p, "MessageStructure");
    if (const json::Value* attrs = p.find("MessageAttributes");
        attrs != nullptr && attrs->is_object()) {
      for (const json::Member& m : attrs->as_object()) {
        r.message_attributes.push_back(notify::MessageAttribute{m.key, str(m.value, "DataType"),
                                                                str(m.value, "StringValue"),
                                                                str(m.value, "BinaryValue")});
      }
    }
    signoff::Result<std::string> id = sns_.publish(r);
    std::string request_id = api::new_request_id();
    if (!id.ok()) {
      const Error& e = id.error();
      done(engine::TaskResult{
          false, json::Value(), exception_name(e.type),
          e.message + " (Service: AmazonSNS; Status Code: " + std::to_string(e.status) +
              "; Error Code: " + e.type + "; Request ID: " + request_id + "; Proxy: null)"});
      return;
    }
    std::string xml_length = std::to_string(294);  // what AWS's Publish response measures
    std::string date = http_date();
    json::Value output = json::Value::object({
        {"MessageId", json::Value(*id)},
        {"SdkHttpMetadata",
         json::Value::object({
             {"AllHttpHeaders",
              json::Value::object({
                  {"x-amzn-RequestId", json::Value::array({json::Value(request_id)})},
                  {"Content-Length", json::Value::array({json::Value(xml_length)})},
                  {"Date", json::Value::array({json::Value(date)})},
                  {"Content-Type", json::Value::array({json::Value("text/xml")})},
              })},
             {"HttpHeaders", json::Value::object({
                                 {"Content-Length", json::Value(xml_length)},
                                 {"Content-Type", json::Value("text/xml")},
                                 {"Date", json::Value(date)},
                                 {"x-amzn-RequestId", json::Value(request_id)},
                             })},
             {"HttpStatusCode", json::Value(200)},
         })},
        {"SdkResponseMetadata", json::Value::object({{"RequestId", json::Value(request_id)}})},
    });
    done(engine::TaskResult{true, output, "", ""});
  }

 private:
  static std::string http_date() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
  }

  notify::NotifyService& sns_;
};

}  // namespace

std::shared_ptr<notify::FunctionInvoker> make_function_invoker(
    functions::FunctionsService& functions) {
  return std::make_shared<LambdaSubscriptions>(functions);
}

engine::TaskIntegrationPtr make_sns_publish_integration(notify::NotifyService& sns) {
  return std::make_shared<SnsPublishIntegration>(sns);
}

}  // namespace signoff::app
