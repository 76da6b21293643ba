#include "app/agents_adapters.h"

#include <future>

#include "api/internal_call.h"
#include "iam/secret_box.h"

namespace signoff::app {

namespace {

class AutomationDesk final : public agents::ApprovalDesk {
 public:
  explicit AutomationDesk(const AgentsTargets& t) : t_(t) {}

  Result<agents::ApprovalView> current(const std::string& execution_id) override {
    auto s = t_.automation->approval_state(execution_id);
    if (!s.ok()) {
      return s.error();
    }
    agents::ApprovalView v;
    v.waiting = s->waiting;
    v.step_execution_id = s->step_execution_id;
    v.min_required = s->min_required;
    for (const automation::Decision& d : s->decisions) {
      v.votes.push_back(agents::CastVote{d.principal, d.decision});
    }
    return v;
  }

  Result<std::string> principal_of_role(const std::string& role_arn) override {
    auto p = t_.identity->principal_for_role(role_arn);
    if (!p.ok()) {
      return p.error();
    }
    return p->arn;
  }

  Result<Unit> decide(const std::string& role_arn, const std::string& execution_id,
                      const std::string& signal, const std::string& comment) override {
    auto who = t_.identity->principal_for_role(role_arn);
    if (!who.ok()) {
      return who.error();
    }
    if (!t_.router || !*t_.router) {
      return make_error("ServiceUnavailable", "The server is not serving yet.", 503);
    }
    std::string body = json::dump(json::Value::object({
        {"AutomationExecutionId", json::Value(execution_id)},
        {"SignalType", json::Value(signal)},
        {"Payload", json::Value::object({{"Comment", json::Value::array({json::Value(comment)})}})},
    }));
    auto done = std::make_shared<std::promise<api::HttpResponse>>();
    auto answered = done->get_future();
    (*t_.router)
        ->dispatch_as(api::json_call("AmazonSSM.SendAutomationSignal", body), *who,
                      [done](api::HttpResponse r) { done->set_value(std::move(r)); });
    api::HttpResponse r = answered.get();
    if (r.status == 200) {
      return Unit{};
    }
    auto parsed = json::parse(r.body);
    std::string type = parsed.ok() ? std::string(text(parsed.value, "__type")) : "";
    if (size_t hash = type.rfind('#'); hash != std::string::npos) {
      type = type.substr(hash + 1);
    }
    std::string message = parsed.ok() ? text(parsed.value, "message") : r.body;
    if (message.empty() && parsed.ok()) {
      message = text(parsed.value, "Message");
    }
    return make_error(type.empty() ? "InternalFailure" : type, message, r.status);
  }

 private:
  static std::string text(const json::Value& v, const char* key) {
    const json::Value* m = v.is_object() ? v.find(key) : nullptr;
    return m && m->is_string() ? std::string(m->as_string()) : std::string();
  }
  AgentsTargets t_;
};

class BoxSealer final : public agents::SecretSealer {
 public:
  explicit BoxSealer(const iam::MasterKey& key) : box_(key) {}
  std::string seal(const std::string& plaintext) override { return box_.seal(plaintext); }
  std::optional<std::string> open(const std::string& sealed) override { return box_.open(sealed); }

 private:
  iam::SecretBox box_;
};

class EngineExecutions final : public agents::ExecutionInputs {
 public:
  explicit EngineExecutions(engine::Engine& e) : engine_(e) {}
  std::optional<agents::ExecutionInput> for_task_token(const std::string& token) override {
    auto arn = engine_.execution_of_task_token(token);
    if (!arn) {
      return std::nullopt;
    }
    auto exec = engine_.describe_execution(*arn);
    if (!exec.ok()) {
      return std::nullopt;
    }
    auto input = json::parse(exec->input);
    return agents::ExecutionInput{*arn, input.ok() ? input.value : json::Value(exec->input)};
  }

 private:
  engine::Engine& engine_;
};

class AgentsWatcher final : public automation::ApprovalWatcher {
 public:
  explicit AgentsWatcher(const std::unique_ptr<agents::AgentsService>* agents) : agents_(agents) {}
  Result<Unit> approval_waiting(const automation::WaitingApproval& w) override {
    if (!*agents_) {
      return make_error("ServiceUnavailable", "agents are not running yet", 503);
    }
    agents::ApprovalRequest a;
    a.execution_id = w.execution_id;
    a.step_execution_id = w.step_execution_id;
    a.step_name = w.step_name;
    a.document_name = w.document_name;
    a.executed_by = w.executed_by;
    a.message = w.message;
    a.approvers = w.approvers;
    a.min_required = w.min_required;
    a.parameters = w.parameters;
    a.signoff_tags = w.signoff_tags;
    return (*agents_)->approval_waiting(a);
  }

 private:
  const std::unique_ptr<agents::AgentsService>* agents_;
};

}  // namespace

agents::Ports AgentsAdapters::ports() const {
  agents::Ports p;
  p.approvals = desk.get();
  p.secrets = secrets.get();
  p.executions = executions.get();
  p.http = http.get();
  return p;
}

AgentsAdapters make_agents_adapters(const AgentsTargets& t) {
  AgentsAdapters a;
  a.desk = std::make_unique<AutomationDesk>(t);
  a.secrets = std::make_unique<BoxSealer>(t.master_key);
  if (t.engine) {
    a.executions = std::make_unique<EngineExecutions>(*t.engine);
  }
  a.http = agents::make_curl_http();
  return a;
}

std::unique_ptr<automation::ApprovalWatcher> make_approval_watcher(
    const std::unique_ptr<agents::AgentsService>* agents) {
  return std::make_unique<AgentsWatcher>(agents);
}

}  // namespace signoff::app
