// What SNS needs from other services, declared here and implemented in app/ (services never
// include each other).
#pragma once

#include <string>

namespace signoff::notify {

struct InvokeOutcome {
  bool ok = false;
  bool retryable = false;  // throttled or the function service is starting: try again later
  std::string error;       // why it failed, for the log
};

// Lambda subscriptions: invokes the function asynchronously (InvocationType Event) with the SNS
// event document. Called from delivery threads; may block until the invocation is accepted.
class FunctionInvoker {
 public:
  virtual ~FunctionInvoker() = default;
  virtual InvokeOutcome invoke_event(const std::string& function_arn,
                                     const std::string& event_json) = 0;
};

}  // namespace signoff::notify
