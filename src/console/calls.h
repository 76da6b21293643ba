// AWS calls the console makes as the signed-in principal: requests shaped as an SDK sends them
// (api/internal_call.h), run by Router::dispatch_as, so every permission check applies. Calls
// block the calling thread until answered: the console calls from its own worker threads, never
// from the server's I/O threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/router.h"
#include "common/json.h"
#include "common/principal.h"
#include "common/result.h"

namespace signoff::console {

struct Answer {
  int status = 0;
  std::string content_type;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
};

class Caller {
 public:
  explicit Caller(const api::Router& router) : router_(router) {}

  // `remote` is the browser's address, so the audit log records where a decision came from.
  Answer call(api::HttpRequest request, const Principal& as, std::string_view remote) const;
  // AWS JSON protocol ("AmazonSSM.GetAutomationExecution"): the parsed answer, or the AWS
  // error (type without its namespace, message, status).
  Result<json::Value> json(std::string_view target, const json::Value& input, const Principal& as,
                           std::string_view remote) const;
  // AWS query protocol: the answer's XML, or the AWS error.
  Result<std::string> query(std::string_view action, std::string_view version,
                            const std::vector<std::pair<std::string, std::string>>& params,
                            const Principal& as, std::string_view remote) const;

 private:
  const api::Router& router_;
};

// The JSON protocol version a target prefix speaks: "1.0" for Step Functions, "1.1" otherwise.
std::string_view json_version(std::string_view target);
// An AWS error out of an answer of either protocol.
Error error_of(const Answer& answer);
// The text of the first <name>...</name> in xml, unescaped; "" when absent.
std::string xml_text(std::string_view xml, std::string_view name);

}  // namespace signoff::console
