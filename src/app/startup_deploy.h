// `signoff serve --deploy TEMPLATE --stack-name NAME`: once the server listens, the stack is
// created, or updated when the template or parameters changed, or left alone when nothing did,
// so a restart on the same data dir is harmless. A stack that never came up (ROLLBACK_COMPLETE)
// is deleted and created again, as `aws cloudformation deploy` asks one to do by hand.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "deploy/service.h"

namespace signoff::app {

struct StartupDeploy {
  std::string template_file;
  std::string stack_name;
  std::vector<std::pair<std::string, std::string>> parameters;
};

struct DeployedStack {
  std::string status;  // CREATE_COMPLETE, UPDATE_COMPLETE, or the unchanged stack's status
  bool changed = false;
  std::map<std::string, std::string> outputs;
};

// Waits for the operation to finish, printing each stack event to `log` as it happens.
Result<DeployedStack> deploy_and_wait(deploy::Service& service, const std::string& region,
                                      const StartupDeploy& request, std::FILE* log);

}  // namespace signoff::app
