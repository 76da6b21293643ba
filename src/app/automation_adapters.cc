#include "app/automation_adapters.h"

#include <chrono>
#include <functional>
#include <future>
#include <mutex>

#include "api/auth.h"
#include "automation/approval.h"

namespace signoff::app {

namespace {

// Events on the account's default bus: the bus adds id, time, account and region, matches the
// rules and delivers to their targets.
class BusEventPublisher final : public automation::EventPublisher {
 public:
  explicit BusEventPublisher(bus::EventsService& events) : events_(events) {}
  Result<Unit> put_event(const std::string& source, const std::string& detail_type,
                         const std::string& detail_json,
                         const std::vector<std::string>& resources) override {
    bus::PutEventsEntry e;
    e.source = source;
    e.has_source = true;
    e.detail_type = detail_type;
    e.has_detail_type = true;
    e.detail = detail_json;
    e.has_detail = true;
    e.resources = resources;
    auto r = events_.put_events({e});
    if (!r.ok()) {
      return r.error();
    }
    if (r->failed > 0 && !r->entries.empty()) {
      return make_error(
          r->entries[0].error_code.empty() ? "InternalFailure" : r->entries[0].error_code,
          r->entries[0].error_message);
    }
    return Unit{};
  }

 private:
  bus::EventsService& events_;
};

// Approval requests through SNS: the topic's subscribers get it as SNS delivers any Publish.
class SnsTopicPublisher final : public automation::TopicPublisher {
 public:
  explicit SnsTopicPublisher(notify::NotifyService& sns) : sns_(sns) {}
  Result<Unit> publish(const std::string& topic_arn, const std::string& subject,
                       const std::string& message) override {
    auto id = sns_.publish(topic_arn, subject, message, {});
    if (!id.ok()) {
      return id.error();
    }
    return Unit{};
  }

 private:
  notify::NotifyService& sns_;
};

std::string last_segment(std::string_view arn) {
  size_t slash = arn.rfind('/');
  return std::string(slash == std::string_view::npos ? arn : arn.substr(slash + 1));
}

// Approver entries resolved through IAM: user, role and assumed-role entries by their ARN rules
// (automation/approval.h), groups through the user's memberships, and an exact ARN (the
// account root is an approver only when listed).
class IdentityDirectory final : public automation::PrincipalDirectory {
 public:
  explicit IdentityDirectory(const iam::IdentityService& identity) : identity_(identity) {}
  std::optional<std::string> matching_approver(const automation::Principal& p,
                                               const std::vector<std::string>& approvers,
                                               const std::string& account) override {
    for (const std::string& entry : approvers) {
      if (entry == p.arn || automation::arn_matches_approver(p.arn, entry, account)) {
        return entry;
      }
    }
    // Groups: only IAM users are members of groups.
    const std::string user_prefix = "arn:aws:iam::" + account + ":user/";
    if (p.arn.rfind(user_prefix, 0) != 0) {
      return std::nullopt;
    }
    auto user = identity_.get_user(last_segment(p.arn));
    if (!user.ok() || user->arn != p.arn) {
      return std::nullopt;
    }
    for (const std::string& name : user->groups) {
      auto group = identity_.get_group(name);
      if (!group.ok()) {
        continue;
      }
      for (const std::string& entry : approvers) {
        if (entry == group->arn || entry == group->name) {
          return entry;
        }
      }
    }
    return std::nullopt;
  }

 private:
  const iam::IdentityService& identity_;
};

class EngineStateMachines final : public automation::StateMachineRunner {
 public:
  explicit EngineStateMachines(engine::Engine& e) : engine_(e) {}
  Result<automation::StateMachineRun> start(const std::string& arn, const std::string& name,
                                            const std::string& input) override {
    engine::StartExecutionRequest r;
    r.state_machine_arn = arn;
    r.name = name;
    r.input = input;
    auto res = engine_.start_execution(r);
    if (!res.ok()) {
      return res.error();
    }
    automation::StateMachineRun run;
    run.execution_arn = res->execution_arn;
    run.status = "RUNNING";
    return run;
  }
  Result<automation::StateMachineRun> describe(const std::string& arn) override {
    auto res = engine_.describe_execution(arn);
    if (!res.ok()) {
      return res.error();
    }
    return automation::StateMachineRun{res->arn, res->status, res->output, res->error, res->cause};
  }

 private:
  engine::Engine& engine_;
};

// Waits for an asynchronous service callback (the port is called from the automation's job
// thread, which may block). Lambda's longest timeout is 15 minutes.
template <typename T>
Result<T> wait_for_result(const std::function<void(std::function<void(Result<T>)>)>& start,
                          const std::string& what) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  auto once = std::make_shared<std::once_flag>();
  start([promise, once](Result<T> r) {
    std::call_once(*once, [&] { promise->set_value(std::move(r)); });
  });
  if (future.wait_for(std::chrono::minutes(16)) != std::future_status::ready) {
    return make_error("Timeout", what + " did not finish in 16 minutes");
  }
  return future.get();
}

// aws:invokeLambdaFunction and aws:executeScript through the functions service.
class LambdaFunctions final : public automation::FunctionInvoker, public automation::ScriptRunner {
 public:
  LambdaFunctions(functions::FunctionsService& f, std::string region)
      : functions_(f), region_(std::move(region)) {}

  Result<automation::FunctionResult> invoke(const std::string& function_name,
                                            const std::string& qualifier,
                                            const std::string& invocation_type,
                                            const std::string& payload) override {
    auto ref = functions::parse_function_ref(function_name, qualifier, region_);
    if (!ref.ok()) {
      return ref.error();
    }
    functions::InvokeRequest r;
    r.ref = *ref;
    r.payload = payload;
    if (invocation_type == "Event") {
      r.type = functions::InvocationType::Event;
    } else if (invocation_type == "DryRun") {
      r.type = functions::InvocationType::DryRun;
    } else if (invocation_type != "RequestResponse" && !invocation_type.empty()) {
      return make_error("InvalidInput", "Invalid InvocationType " + invocation_type +
                                            " (RequestResponse, Event or DryRun).");
    }
    auto res = wait_for_result<functions::InvokeResult>(
        [&](functions::InvokeCallback done) { functions_.invoke(r, std::move(done)); },
        "Lambda function " + function_name);
    if (!res.ok()) {
      return res.error();
    }
    automation::FunctionResult out;
    out.status_code = res->status;
    out.payload = res->payload;
    out.log_result = res->log_tail;
    if (res->function_error) {
      out.function_error = "Unhandled";
    }
    return out;
  }

  Result<json::Value> run(const automation::ScriptCall& call) override {
    functions::ScriptRequest r;
    r.region = region_;
    r.runtime = call.runtime;
    r.handler = call.handler;
    r.source = call.script;
    r.payload = json::dump(call.input_payload);
    auto res = wait_for_result<functions::InvokeResult>(
        [&](functions::InvokeCallback done) { functions_.run_script(r, std::move(done)); },
        "aws:executeScript");
    if (!res.ok()) {
      return res.error();
    }
    if (res->function_error) {
      auto p = json::parse(res->payload);
      std::string type, message;
      if (p.ok()) {
        if (const json::Value* t = p.value.find("errorType"); t && t->is_string()) {
          type = std::string(t->as_string());
        }
        if (const json::Value* m = p.value.find("errorMessage"); m && m->is_string()) {
          message = std::string(m->as_string());
        }
      }
      return make_error("ScriptFailed", type.empty() ? res->payload : type + " - " + message);
    }
    if (res->payload.empty()) {
      return json::Value();
    }
    auto p = json::parse(res->payload);
    return p.ok() ? p.value : json::Value(res->payload);
  }

 private:
  functions::FunctionsService& functions_;
  std::string region_;
};

// aws:executeAwsApi through the server's own router, as the execution's AutomationAssumeRole (or
// the principal that started it), so a step is authorized exactly as that principal's request
// from outside would be. boto3's naming: Service "stepfunctions", Api "SendTaskSuccess",
// parameters and outputs as the wire names them.
class RouterApi final : public automation::AwsApiCaller {
 public:
  RouterApi(OnBehalfCaller* caller, const iam::IdentityService& identity, bool insecure_open)
      : caller_(caller), identity_(identity), insecure_open_(insecure_open) {}

  Result<json::Value> call(const automation::ApiIdentity& as, const std::string& service,
                           const std::string& api, const json::Value& request) override {
    if (caller_ == nullptr || !OnBehalfCaller::supports(service)) {
      return make_error("InvalidInput",
                        "aws:executeAwsApi: Signoff cannot call service " + service +
                            " (supported: ssm, stepfunctions, sns, events, logs, iam, sts, "
                            "cloudformation).");
    }
    auto who = principal(as);
    if (!who.ok()) {
      return who.error();
    }
    AwsCall call;
    call.service = service;
    call.action = api;
    call.parameters = request;
    call.naming = Naming::Wire;
    auto promise = std::make_shared<std::promise<AwsCallResult>>();
    auto future = promise->get_future();
    caller_->call(*who, call, [promise](AwsCallResult r) { promise->set_value(std::move(r)); });
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      return make_error("Timeout", "aws:executeAwsApi: " + api + " did not answer in 60 s");
    }
    AwsCallResult r = future.get();
    if (!r.ok) {
      return make_error(r.code, r.message);
    }
    return r.output;
  }

 private:
  Result<Principal> principal(const automation::ApiIdentity& as) const {
    if (insecure_open_) {
      return api::root_principal(identity_.account());
    }
    if (!as.assume_role.empty()) {
      return identity_.principal_for_role(as.assume_role);
    }
    return identity_.principal_for_arn(as.executed_by);
  }

  OnBehalfCaller* caller_;
  const iam::IdentityService& identity_;
  bool insecure_open_;
};

}  // namespace

automation::Ports AutomationAdapters::ports() const {
  automation::Ports p;
  p.events = events.get();
  p.topics = topics.get();
  p.principals = principals.get();
  p.state_machines = state_machines.get();
  p.functions = functions.get();
  p.scripts = scripts.get();
  p.aws_api = aws_api.get();
  p.approvals = approvals.get();
  return p;
}

AutomationAdapters make_automation_adapters(const AutomationServices& s) {
  AutomationAdapters a;
  a.events = std::make_unique<BusEventPublisher>(*s.events);
  a.topics = std::make_unique<SnsTopicPublisher>(*s.notify);
  a.principals = std::make_unique<IdentityDirectory>(*s.identity);
  a.state_machines = std::make_unique<EngineStateMachines>(*s.engine);
  a.functions = std::make_unique<LambdaFunctions>(*s.functions, s.region);
  a.scripts = std::make_unique<LambdaFunctions>(*s.functions, s.region);
  a.aws_api = std::make_unique<RouterApi>(s.on_behalf, *s.identity, s.insecure_open);
  return a;
}

std::unique_ptr<automation::PrincipalDirectory> make_identity_directory(
    const iam::IdentityService& identity) {
  return std::make_unique<IdentityDirectory>(identity);
}

automation::Principal principal_of(const api::RequestContext& ctx) {
  automation::Principal p;
  p.arn = ctx.principal.arn.empty() ? "arn:aws:iam::" + ctx.account + ":root" : ctx.principal.arn;
  if (ctx.http) {
    p.source_address = ctx.http->remote_address;
  }
  return p;
}

}  // namespace signoff::app
