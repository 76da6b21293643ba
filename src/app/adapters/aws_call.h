// Calls into Signoff's own AWS APIs on someone's behalf: a Step Functions aws-sdk task as the
// state machine's role, an automation's aws:executeAwsApi step as its AutomationAssumeRole or
// the user who started it. The call goes through Router::dispatch_as, so it is decoded, authorized
// and handled exactly like the same request from outside, and it costs no signature.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"
#include "common/json.h"
#include "common/principal.h"

namespace signoff::app {

// How the caller names parameters and reads results: Step Functions' aws-sdk integrations use
// PascalCase for every service; boto3 (aws:executeAwsApi) uses the wire's own names.
enum class Naming { Sdk, Wire };

struct AwsCall {
  std::string service;  // "sfn", "ssm", "sns", ... (aliases: see aws_call.cc)
  std::string action;   // "startExecution" or "StartExecution"
  json::Value parameters = json::Value::object();
  Naming naming = Naming::Sdk;
};

struct AwsCallResult {
  bool ok = true;
  json::Value output;        // the response, in the caller's naming
  std::string service_name;  // "Sfn": what Step Functions prefixes error names with
  std::string code;          // the service's error code as the wire carries it ("NotFound")
  std::string message;
  int status = 200;
  std::string request_id;
};

using AwsCallDone = std::function<void(AwsCallResult)>;

class OnBehalfCaller {
 public:
  // The router is read when a call runs: it is built after the engine starts. Calls made before
  // open() (executions recovered at start) wait until the server's routes are all registered.
  explicit OnBehalfCaller(const std::unique_ptr<api::Router>& router);

  // Whether `service` names one of the services Signoff serves this way.
  static bool supports(std::string_view service);

  void call(const Principal& as, const AwsCall& call, AwsCallDone done);
  void open();

 private:
  void run(const Principal& as, const AwsCall& call, AwsCallDone done);

  const std::unique_ptr<api::Router>& router_;
  std::mutex mu_;
  bool open_ = false;
  std::vector<std::function<void()>> pending_;
};

}  // namespace signoff::app
