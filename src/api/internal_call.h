// Requests Signoff builds for itself (the console acting for a signed-in user, task integrations
// acting for an execution's role), shaped as an AWS SDK sends them so Router::dispatch_as runs
// them through the same decoding, permission check and handler as a request from outside.
//
//   router.dispatch_as(json_call("AmazonSSM.SendAutomationSignal", body), principal, respond);
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/message.h"

namespace signoff::api {

// AWS JSON protocol: X-Amz-Target "Prefix.Operation", the body as given. `version` is the JSON
// protocol version the service speaks ("1.0" for Step Functions, "1.1" for most others).
HttpRequest json_call(std::string_view target, std::string body, std::string_view version = "1.1");

// AWS query protocol: Action, Version and the parameters form-encoded in a POST body.
// `version` names the service's API version ("2010-03-31" is SNS).
HttpRequest query_call(std::string_view action, std::string_view version,
                       const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace signoff::api
