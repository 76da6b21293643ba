// What the event bus needs from other services, declared here and implemented in app/ (services
// never include each other). Every port is called from a delivery thread and may block; its
// outcome decides whether the delivery is done, retried under the target's RetryPolicy, or sent
// to the dead-letter queue at once.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace signoff::bus {

struct DeliveryOutcome {
  bool ok = true;
  bool retryable = false;  // a throttle or outage, worth another attempt
  std::string error;       // why it failed, kept with a dead letter

  static DeliveryOutcome success() { return {}; }
  static DeliveryOutcome retry(std::string why) { return {false, true, std::move(why)}; }
  static DeliveryOutcome permanent(std::string why) { return {false, false, std::move(why)}; }
};

// Step Functions: StartExecution with the event as input. `execution_name` is derived from the
// delivery, so a repeated attempt after a crash finds the execution the first attempt started.
class StateMachineStarter {
 public:
  virtual ~StateMachineStarter() = default;
  virtual DeliveryOutcome start_execution(const std::string& state_machine_arn,
                                          const std::string& execution_name,
                                          const std::string& input,
                                          const std::string& role_arn) = 0;
};

// Lambda: an asynchronous (Event) invocation. source_arn is the rule's ARN, so the functions
// service can check the function's resource policy allows events.amazonaws.com from it.
class FunctionInvoker {
 public:
  virtual ~FunctionInvoker() = default;
  virtual DeliveryOutcome invoke_async(const std::string& function_arn, const std::string& payload,
                                       const std::string& source_arn) = 0;
};

// SNS: Publish to a topic (targets and dead-letter queues).
class TopicPublisher {
 public:
  virtual ~TopicPublisher() = default;
  virtual DeliveryOutcome publish(const std::string& topic_arn, const std::string& message,
                                  const std::string& source_arn) = 0;
};

struct HttpCall {
  std::string method;  // GET, POST, ...
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  long timeout_ms = 5000;
};

struct HttpAnswer {
  long status = 0;  // 0: no answer (connection refused, timeout, ...)
  std::string error;
};

// Outbound HTTP for API destinations.
class HttpSender {
 public:
  virtual ~HttpSender() = default;
  virtual HttpAnswer send(const HttpCall& call) = 0;
};

struct BusPorts {
  std::shared_ptr<StateMachineStarter> state_machines;
  std::shared_ptr<FunctionInvoker> functions;
  std::shared_ptr<TopicPublisher> topics;
  std::shared_ptr<HttpSender> http;
};

}  // namespace signoff::bus
