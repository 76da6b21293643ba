// What the engine needs from other services, declared here and implemented in app/ (services
// never include each other). A Task state's resource is handed to the first integration that
// claims it; activities and states:startExecution are the engine's own.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace signoff::engine {

struct TaskCall {
  std::string resource;  // as written in the definition
  json::Value parameters;
  std::string task_token;  // .waitForTaskToken: the token to hand over; "" otherwise
  std::string role_arn;    // the identity the call runs as (the machine's role, or Credentials)
  std::string region;
  std::string account;
  std::string execution_arn;
  std::string state_name;
};

struct TaskResult {
  bool ok = true;
  json::Value output;  // for .waitForTaskToken, ignored: completion comes by SendTask*
  std::string error;
  std::string cause;
};

using TaskDone = std::function<void(TaskResult)>;

class TaskIntegration {
 public:
  virtual ~TaskIntegration() = default;
  virtual bool handles(std::string_view resource) const = 0;
  // Runs the call; done is invoked exactly once, from any thread.
  virtual void run(const TaskCall& call, TaskDone done) = 0;
};

using TaskIntegrationPtr = std::shared_ptr<TaskIntegration>;

}  // namespace signoff::engine
