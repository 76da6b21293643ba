// What SSM Automation needs from other services, declared here and implemented by adapters in
// app/ (services never include each other). Every port is called after the transition that asked
// for the side effect has committed, from the automation's job thread, so an implementation may
// block; it must not call back into the automation service synchronously.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace signoff::automation {

// Who sent a request, as the identity service authenticated it.
struct Principal {
  std::string arn;             // arn:aws:iam::A:user/N, arn:aws:sts::A:assumed-role/R/S, ...:root
  std::string source_address;  // the client's IP address
};

// EventBridge: one event on the account's default bus (the bus adds id, time, account, region).
class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  virtual Result<Unit> put_event(const std::string& source, const std::string& detail_type,
                                 const std::string& detail_json,
                                 const std::vector<std::string>& resources) = 0;
};

// SNS: publish one message to a topic.
class TopicPublisher {
 public:
  virtual ~TopicPublisher() = default;
  virtual Result<Unit> publish(const std::string& topic_arn, const std::string& subject,
                               const std::string& message) = 0;
};

// IAM: which entry of an aws:approve Approvers list (user ARN or name, group ARN or name, role
// ARN or name, assumed-role ARN) the principal satisfies, or nullopt when none.
class PrincipalDirectory {
 public:
  virtual ~PrincipalDirectory() = default;
  virtual std::optional<std::string> matching_approver(const Principal& principal,
                                                       const std::vector<std::string>& approvers,
                                                       const std::string& account) = 0;
};

// Step Functions (aws:executeStateMachine): start an execution, then poll its status.
struct StateMachineRun {
  std::string execution_arn;
  std::string status;  // RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  std::string output;
  std::string error;
  std::string cause;
};
class StateMachineRunner {
 public:
  virtual ~StateMachineRunner() = default;
  virtual Result<StateMachineRun> start(const std::string& state_machine_arn,
                                        const std::string& name, const std::string& input) = 0;
  virtual Result<StateMachineRun> describe(const std::string& execution_arn) = 0;
};

// Lambda (aws:invokeLambdaFunction).
struct FunctionResult {
  int status_code = 200;
  std::string function_error;  // "" | "Unhandled" | "Handled"
  std::string payload;
  std::string log_result;
};
class FunctionInvoker {
 public:
  virtual ~FunctionInvoker() = default;
  virtual Result<FunctionResult> invoke(const std::string& function_name,
                                        const std::string& qualifier,
                                        const std::string& invocation_type,
                                        const std::string& payload) = 0;
};

// The functions service's sandboxes (aws:executeScript): run a handler of a Python or Node
// script with the step's InputPayload; the result is the handler's return value as JSON.
struct ScriptCall {
  std::string runtime;  // python3.8 .. python3.11, PowerShell..., nodejs...
  std::string handler;
  std::string script;
  json::Value input_payload;
};
class ScriptRunner {
 public:
  virtual ~ScriptRunner() = default;
  virtual Result<json::Value> run(const ScriptCall& call) = 0;
};

// Who an aws:executeAwsApi step acts as: the execution's AutomationAssumeRole when it has one,
// else the principal that started it (as AWS runs a document without assumeRole).
struct ApiIdentity {
  std::string assume_role;  // a role ARN, or ""
  std::string executed_by;  // the starter's ARN (ExecutedBy)
};

// aws:executeAwsApi for the services Signoff implements: Service "ssm", Api "GetDocument", the
// step's other inputs as the request; the result is the response body. The call is authorized
// as `as` would be over HTTP.
class AwsApiCaller {
 public:
  virtual ~AwsApiCaller() = default;
  virtual Result<json::Value> call(const ApiIdentity& as, const std::string& service,
                                   const std::string& api, const json::Value& request) = 0;
};

// Agent approvers (the agents service, wired in app/): told of each aws:approve that starts
// waiting, from a job after that transition committed (at least once, so the receiver must
// tolerate a repeat). Agents decide later through send_signal, as any approver does.
struct WaitingApproval {
  std::string execution_id;
  std::string step_execution_id;
  std::string step_name;
  std::string document_name;
  std::string executed_by;
  std::string message;
  std::vector<std::string> approvers;
  int64_t min_required = 1;
  json::Value parameters;  // typed, as the document declares them
  // The document's signoff:* tags when the automation started.
  std::vector<std::pair<std::string, std::string>> signoff_tags;
};
class ApprovalWatcher {
 public:
  virtual ~ApprovalWatcher() = default;
  virtual Result<Unit> approval_waiting(const WaitingApproval& approval) = 0;
};

struct Ports {
  EventPublisher* events = nullptr;
  TopicPublisher* topics = nullptr;
  PrincipalDirectory* principals = nullptr;
  StateMachineRunner* state_machines = nullptr;
  FunctionInvoker* functions = nullptr;
  ScriptRunner* scripts = nullptr;
  AwsApiCaller* aws_api = nullptr;
  ApprovalWatcher* approvals = nullptr;
};

}  // namespace signoff::automation
