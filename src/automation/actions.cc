// Steps that call other services through the ports: aws:executeAwsApi,
// aws:assertAwsResourceProperty, aws:executeScript, aws:invokeLambdaFunction,
// aws:executeStateMachine and aws:executeAutomation (a child automation of this service).
// The call happens outside any lock; its result is applied as a new transition only if the step
// is still the one in progress (a Stop may have cancelled it meanwhile).
#include "automation/impl.h"

namespace signoff::automation {

namespace {

constexpr int64_t kChildPollMs = 500;

struct Outcome {
  bool done = true;  // false: a child was started and is polled
  std::string status = "Success";
  json::Value outputs = json::Value::object();
  std::string failure;
  json::Value handle;  // for children: what to poll
};

Outcome failed(std::string message) {
  Outcome o;
  o.status = "Failed";
  o.failure = "Step fails when it is executing. " + std::move(message);
  return o;
}

json::Value without(const json::Value& inputs, std::initializer_list<const char*> keys) {
  json::Value out = inputs;
  for (const char* k : keys) {
    out.erase(k);
  }
  return out;
}

}  // namespace

void AutomationService::Impl::run_action(const store::JobRecord& job, const json::Value& p) {
  std::string key = text_of(p, "step");
  json::Value inputs;
  std::string action;
  ApiIdentity identity;
  std::optional<Document> doc;
  {
    auto lock = lock_for(job.owner);
    std::lock_guard<std::mutex> g(*lock);
    auto tx = load(job.owner);
    if (!tx || !tx->step(key) || text_of(tx->step_doc(key), "StepStatus") != "InProgress") {
      store.delete_job(job.id);
      return;
    }
    auto d = document_of(*tx);
    if (!d.ok()) {
      store.delete_job(job.id);
      return;
    }
    doc = std::move(*d);
    const json::Value* r = tx->step_doc(key).find("ResolvedInputs");
    inputs = r ? *r : json::Value::object();
    action = text_of(tx->step_doc(key), "Action");
    identity.assume_role = text_of(tx->exec, "AssumeRole");
    identity.executed_by = text_of(tx->exec, "ExecutedBy");
  }
  const StepDef* def = nullptr;

  Outcome out;
  if (action == "aws:executeAwsApi" || action == "aws:assertAwsResourceProperty") {
    if (!ports.aws_api) {
      out = failed("No AWS API caller is configured.");
    } else {
      std::string service = text_of(inputs, "Service");
      std::string api = text_of(inputs, "Api");
      json::Value request =
          without(inputs, {"Service", "Api", "PropertySelector", "DesiredValues"});
      auto res = ports.aws_api->call(identity, service, api, request);
      if (!res.ok()) {
        out = failed("An error occurred (" + res.error().type + ") when calling the " + api +
                     " operation: " + res.error().message);
      } else if (action == "aws:assertAwsResourceProperty") {
        auto v = select(*res, text_of(inputs, "PropertySelector"));
        bool ok = false;
        if (v) {
          std::string got = v->is_string() ? std::string(v->as_string()) : json::dump(*v);
          if (const json::Value* want = inputs.find("DesiredValues"); want && want->is_array()) {
            for (const json::Value& w : want->as_array()) {
              if (w.is_string() && w.as_string() == got) {
                ok = true;
              }
            }
          }
        }
        if (!ok) {
          out = failed("The actual value of " + text_of(inputs, "PropertySelector") +
                       " is not one of the desired values.");
        }
      } else {
        out.outputs = json::Value::object();
        out.handle = *res;  // declared outputs are selected below
      }
    }
  } else if (action == "aws:executeScript") {
    if (!ports.scripts) {
      out = failed("No script runner is configured.");
    } else {
      ScriptCall call;
      call.runtime = text_of(inputs, "Runtime");
      call.handler = text_of(inputs, "Handler");
      call.script = text_of(inputs, "Script");
      const json::Value* payload = inputs.find("InputPayload");
      call.input_payload = payload ? *payload : json::Value::object();
      auto res = ports.scripts->run(call);
      if (!res.ok()) {
        out = failed(res.error().message);
      } else {
        out.outputs = json::Value::object({{"Payload", *res}});
        out.handle = json::Value::object({{"Payload", *res}});
      }
    }
  } else if (action == "aws:invokeLambdaFunction") {
    if (!ports.functions) {
      out = failed("No function invoker is configured.");
    } else {
      const json::Value* payload = inputs.find("Payload");
      std::string text = !payload               ? "{}"
                         : payload->is_string() ? std::string(payload->as_string())
                                                : json::dump(*payload);
      std::string type = text_of(inputs, "InvocationType");
      auto res =
          ports.functions->invoke(text_of(inputs, "FunctionName"), text_of(inputs, "Qualifier"),
                                  type.empty() ? "RequestResponse" : type, text);
      if (!res.ok()) {
        out = failed(res.error().message);
      } else {
        out.outputs = json::Value::object({{"StatusCode", json::Value(res->status_code)},
                                           {"Payload", json::Value(res->payload)}});
        if (!res->function_error.empty()) {
          out.outputs.set("FunctionError", json::Value(res->function_error));
        }
        if (!res->log_result.empty()) {
          out.outputs.set("LogResult", json::Value(res->log_result));
        }
        auto parsed = json::parse(res->payload);
        out.handle = json::Value::object(
            {{"Payload", parsed.ok() ? parsed.value : json::Value(res->payload)}});
        if (!res->function_error.empty()) {
          out.status = "Failed";
          out.failure = "Step fails when it is executing. The Lambda function returned " +
                        res->function_error + " error: " + res->payload;
        }
      }
    }
  } else if (action == "aws:executeStateMachine") {
    if (!ports.state_machines) {
      out = failed("No Step Functions runner is configured.");
    } else {
      const json::Value* input = inputs.find("input");
      std::string text = !input               ? "{}"
                         : input->is_string() ? std::string(input->as_string())
                                              : json::dump(*input);
      auto res = ports.state_machines->start(text_of(inputs, "stateMachineArn"),
                                             text_of(inputs, "name"), text);
      if (!res.ok()) {
        out = failed(res.error().message);
      } else {
        out.done = false;
        out.handle = json::Value::object(
            {{"kind", json::Value("sfn")}, {"arn", json::Value(res->execution_arn)}});
      }
    }
  } else if (action == "aws:executeAutomation") {
    StartRequest child;
    child.document_name = text_of(inputs, "DocumentName");
    child.document_version = text_of(inputs, "DocumentVersion");
    child.parent_execution_id = job.owner;
    if (const json::Value* rp = inputs.find("RuntimeParameters"); rp && rp->is_object()) {
      for (const json::Member& m : rp->as_object()) {
        child.parameters[m.key] = wire_values(m.value);
      }
    }
    out.done = false;
    auto started = start_child(child);
    if (!started.ok()) {
      out = failed(started.error().message);
    } else {
      out.handle =
          json::Value::object({{"kind", json::Value("automation")}, {"id", json::Value(*started)}});
    }
  } else {
    out = failed("Signoff does not implement the action " + action + ".");
  }

  auto lock = lock_for(job.owner);
  std::lock_guard<std::mutex> g(*lock);
  auto tx = load(job.owner);
  if (!tx || !tx->step(key) || text_of(tx->step_doc(key), "StepStatus") != "InProgress") {
    store.delete_job(job.id);
    return;
  }
  tx->jobs_to_delete.push_back(job.id);
  int index = static_cast<int>(int_of(tx->step_doc(key), "StepIndex"));
  def = &doc->steps[static_cast<size_t>(index)];
  if (!out.done) {
    tx->step_doc(key).set("Child", out.handle);
    put_job(*tx, key + ":poll", tx->now_ms + kChildPollMs,
            json::Value::object({{"type", json::Value("poll")}, {"step", json::Value(key)}}));
    commit(*tx);
    return;
  }
  json::Value outputs = out.outputs;
  if (out.status == "Success" && out.handle.is_object()) {
    json::Value declared = declared_outputs(*def, out.handle);
    for (const json::Member& m : declared.as_object()) {
      outputs.set(m.key, m.value);
    }
  }
  complete_step(*tx, *doc, key, out.status, outputs, out.failure,
                out.status == "Success" ? "" : "Execution");
  advance(*tx, *doc);
  commit(*tx);
}

void AutomationService::Impl::poll_child(const store::JobRecord& job, const json::Value& p) {
  std::string key = text_of(p, "step");
  json::Value child;
  {
    auto lock = lock_for(job.owner);
    std::lock_guard<std::mutex> g(*lock);
    auto tx = load(job.owner);
    if (!tx || !tx->step(key) || text_of(tx->step_doc(key), "StepStatus") != "InProgress") {
      store.delete_job(job.id);
      return;
    }
    const json::Value* c = tx->step_doc(key).find("Child");
    child = c ? *c : json::Value::object();
  }
  std::string status;
  json::Value outputs = json::Value::object();
  std::string failure;
  std::string kind = text_of(child, "kind");
  if (kind == "sfn" && ports.state_machines) {
    auto res = ports.state_machines->describe(text_of(child, "arn"));
    if (!res.ok()) {
      status = "Failed";
      failure = res.error().message;
    } else if (res->status != "RUNNING") {
      status = res->status == "SUCCEEDED" ? "Success" : "Failed";
      outputs = json::Value::object({{"ExecutionArn", json::Value(res->execution_arn)},
                                     {"Status", json::Value(res->status)},
                                     {"Output", json::Value(res->output)}});
      if (status == "Failed") {
        failure = "Step fails when it is executing. The state machine execution ended " +
                  res->status + ": " + res->error + " " + res->cause;
      }
    }
  } else if (kind == "automation") {
    std::string id = text_of(child, "id");
    auto rec = store.get_document(kExecutionKind, id);
    auto parsed = rec ? json::parse(rec->json) : json::ParseResult{};
    if (!rec || !parsed.ok()) {
      status = "Failed";
      failure = "Step fails when it is executing. The child automation " + id + " is gone.";
    } else {
      std::string s = text_of(parsed.value, "AutomationExecutionStatus");
      if (terminal_status(s)) {
        status = s == "Success" || s == "CompletedWithSuccess" ? "Success" : "Failed";
        outputs = json::Value::object(
            {{"ExecutionId", json::Value(id)},
             {"Status", json::Value(s)},
             {"Output",
              json::Value(json::dump(parsed.value.find("Outputs") ? *parsed.value.find("Outputs")
                                                                  : json::Value::object()))}});
        if (status == "Failed") {
          failure =
              "Step fails when it is executing. The child automation " + id + " ended " + s + ".";
        }
      }
    }
  } else {
    status = "Failed";
    failure = "Step fails when it is executing. No runner for the child.";
  }

  auto lock = lock_for(job.owner);
  std::lock_guard<std::mutex> g(*lock);
  auto tx = load(job.owner);
  if (!tx || !tx->step(key) || text_of(tx->step_doc(key), "StepStatus") != "InProgress") {
    store.delete_job(job.id);
    return;
  }
  if (status.empty()) {
    put_job(*tx, key + ":poll", tx->now_ms + kChildPollMs,
            json::Value::object({{"type", json::Value("poll")}, {"step", json::Value(key)}}));
    commit(*tx);
    return;
  }
  auto doc = document_of(*tx);
  if (!doc.ok()) {
    store.delete_job(job.id);
    return;
  }
  tx->jobs_to_delete.push_back(job.id);
  complete_step(*tx, *doc, key, status, outputs, failure, status == "Success" ? "" : "Execution");
  advance(*tx, *doc);
  commit(*tx);
}

}  // namespace signoff::automation
