// Adapters between the functions service and the rest of Signoff: runtime API listeners on the
// HTTP server class, credentials for roles, the logs service as log sink, and Step Functions'
// Lambda task integration.
#pragma once

#include <memory>
#include <string>

#include "engine/ports.h"
#include "functions/ports.h"
#include "functions/service.h"
#include "iam/identity.h"
#include "logs/logs.h"

namespace signoff::app {

// One loopback HttpServer (one I/O thread) per worker.
class HttpRuntimeListeners final : public functions::RuntimeListenerFactory {
 public:
  std::unique_ptr<functions::RuntimeListener> listen(
      functions::RuntimeHttpHandler handler) override;
};

// A function runs with its role's temporary credentials, minted by the identity service when the
// role's trust policy admits lambda.amazonaws.com; its calls into Signoff are then authorized as
// that role session. A role that does not exist or does not trust Lambda gets keys nobody
// accepts (so the function's calls are refused as unsigned would be, with a log line saying
// why) — except under --insecure-open, where any key is accepted anyway.
class RoleCredentials final : public functions::CredentialsProvider {
 public:
  RoleCredentials(iam::IdentityService& identity, bool insecure_open)
      : identity_(identity), insecure_open_(insecure_open) {}
  functions::Credentials for_role(const std::string& role_arn) override;

 private:
  iam::IdentityService& identity_;
  bool insecure_open_;
};

class LogsSink final : public functions::LogSink {
 public:
  explicit LogsSink(logs::LogsService& logs) : logs_(logs) {}
  void ensure_stream(const std::string& region, const std::string& group,
                     const std::string& stream) override;
  void append(const std::string& region, const std::string& group, const std::string& stream,
              std::vector<functions::LogLine> lines) override;

 private:
  logs::LogsService& logs_;
};

// arn:aws:states:::lambda:invoke (and .waitForTaskToken) with AWS's output shape, and bare
// function ARNs as Task resources.
engine::TaskIntegrationPtr make_lambda_integration(functions::FunctionsService& functions);

}  // namespace signoff::app
