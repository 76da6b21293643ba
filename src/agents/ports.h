// What the agents service needs from elsewhere, implemented in app/: the approvals (the
// automation service, through the same authorized path as any SendAutomationSignal), sealing
// secrets (the identity service's secret box), the Step Functions execution a task token names,
// and HTTP (libcurl by default, see make_curl_http()).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace signoff::agents {

struct CastVote {
  std::string principal;
  std::string decision;  // Approved | Rejected
};

struct ApprovalView {
  bool waiting = false;
  std::string step_execution_id;
  int64_t min_required = 1;
  std::vector<CastVote> votes;
};

class ApprovalDesk {
 public:
  virtual ~ApprovalDesk() = default;
  virtual Result<ApprovalView> current(const std::string& execution_id) = 0;
  // The ARN the role's decisions are recorded as (its session principal).
  virtual Result<std::string> principal_of_role(const std::string& role_arn) = 0;
  // Sends Approve or Reject as the role's principal, authorized as ssm:SendAutomationSignal on
  // the execution like any caller's; AWS's errors (AccessDeniedException, ...) come back.
  virtual Result<Unit> decide(const std::string& role_arn, const std::string& execution_id,
                              const std::string& signal, const std::string& comment) = 0;
};

class SecretSealer {
 public:
  virtual ~SecretSealer() = default;
  virtual std::string seal(const std::string& plaintext) = 0;
  virtual std::optional<std::string> open(const std::string& sealed) = 0;
};

struct ExecutionInput {
  std::string execution_arn;
  json::Value input;
};
class ExecutionInputs {
 public:
  virtual ~ExecutionInputs() = default;
  // The execution a (MAC-checked) task token belongs to and its input, or nullopt.
  virtual std::optional<ExecutionInput> for_task_token(const std::string& token) = 0;
};

struct HttpResponse {
  long status = 0;
  std::string body;
};
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // A failed transfer (refused, timed out) is an error whose type is "Timeout" for a timeout.
  virtual Result<HttpResponse> post(const std::string& url,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    const std::string& body, int64_t timeout_ms) = 0;
};
std::unique_ptr<HttpClient> make_curl_http();

struct Ports {
  ApprovalDesk* approvals = nullptr;
  SecretSealer* secrets = nullptr;
  ExecutionInputs* executions = nullptr;  // optional
  HttpClient* http = nullptr;
};

}  // namespace signoff::agents
