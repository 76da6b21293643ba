// Approvals as the console shows them, assembled from SSM's API answers (as the signed-in
// principal): the waiting aws:approve step of an Automation execution, its message, approvers,
// decisions so far, deadline, and whether this principal may still decide.
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"
#include "console/calls.h"
#include "console/ports.h"

namespace signoff::console {

struct Viewer {
  const Caller& caller;
  IdentityPort& identity;
  const Principal& who;
  std::string_view remote;
  int64_t now_ms = 0;
};

// One execution's approval:
//   {"executionId", "documentName", "executionStatus", "executedBy", "startTime" (epoch s),
//    "parentExecutionId", "requestingExecution" (a Step Functions execution ARN or ""),
//    "parameters", "approval": null | {"stepName", "stepExecutionId",
//    "stepStatus", "message", "approvers", "minRequiredApprovals", "decisions": [{"approver",
//    "decision", "comment", "time"}], "approvalStatus", "deadline" (epoch s),
//    "matchedApprover", "decidedByMe", "canDecide"}}
Result<json::Value> approval_of(const Viewer& v, std::string_view execution_id);
// {"approvals": [...]}: every Waiting execution whose approval this principal may decide.
Result<json::Value> waiting_for(const Viewer& v);

// The aws:approve step's view from a DescribeAutomationStepExecutions answer (pure; tested).
json::Value approval_from_steps(const json::Value& steps_answer);
// The Step Functions execution a callback token names, when a parameter holds one of Signoff's
// task tokens (base64url("EXECUTION_ARN\nTASK") "." MAC): the workflow that asked. Only a hint —
// the MAC is not checked here; the page reads the execution through the API like any other.
std::string execution_in_token(std::string_view token);
// Approvers as the step's Inputs hold them: a JSON array, or a string holding one, or one ARN.
std::vector<std::string> approvers_from(const json::Value* inputs_value);

}  // namespace signoff::console
