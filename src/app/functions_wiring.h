// Adapters between the functions service and the rest of Signoff: runtime API listeners on the
// HTTP server class, credentials for roles, the logs service as log sink, and Step Functions'
// Lambda task integration.
#pragma once

#include <memory>
#include <string>

#include "engine/ports.h"
#include "functions/ports.h"
#include "functions/service.h"
#include "logs/logs.h"

namespace signoff::app {

// One loopback HttpServer (one I/O thread) per worker.
class HttpRuntimeListeners final : public functions::RuntimeListenerFactory {
 public:
  std::unique_ptr<functions::RuntimeListener> listen(
      functions::RuntimeHttpHandler handler) override;
};

// Until the identity service lands (wip/iam): every function runs with the credentials that
// --insecure-open accepts. The role ARN is kept in the session token for later auditing.
class InsecureRoleCredentials final : public functions::CredentialsProvider {
 public:
  functions::Credentials for_role(const std::string& role_arn) override;
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
