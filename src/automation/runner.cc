// The automation runner: a deterministic state machine over the stored execution. Every
// function here only edits the Tx; nothing happens outside the store until commit(), and the
// side effects it asks for are jobs the job thread carries out afterwards.
#include <algorithm>

#include "automation/approval.h"
#include "automation/impl.h"
#include "automation/interpolate.h"

namespace signoff::automation {

namespace {

// A runaway aws:branch loop ends the execution instead of the server.
constexpr int kMaxStepsPerAdvance = 1000;
constexpr int64_t kMaxStepExecutions = 10000;

json::Value counters(const json::Value& exec) {
  const json::Value* c = exec.find("ProgressCounters");
  return c ? *c
           : json::Value::object({{"TotalSteps", json::Value(0)},
                                  {"SuccessSteps", json::Value(0)},
                                  {"FailedSteps", json::Value(0)},
                                  {"CancelledSteps", json::Value(0)},
                                  {"TimedOutSteps", json::Value(0)}});
}

void bump(json::Value& exec, const char* counter) {
  json::Value c = counters(exec);
  c.set(counter, json::Value(int_of(c, counter) + 1));
  exec.set("ProgressCounters", c);
}

// StepExecution.Inputs is string -> string: each resolved input as JSON text.
json::Value wire_inputs(const json::Value& resolved) {
  json::Value out = json::Value::object();
  for (const json::Member& m : resolved.as_object()) {
    out.set(m.key, json::Value(json::dump(m.value)));
  }
  return out;
}

Variables variables_of(const json::Value& exec, int64_t now_ms, const std::string& account,
                       const std::string& region) {
  Variables v;
  if (const json::Value* p = exec.find("Typed")) {
    v.parameters = *p;
  }
  if (const json::Value* o = exec.find("StepOutputs")) {
    v.step_outputs = *o;
  }
  v.execution_id = text_of(exec, "AutomationExecutionId");
  v.document_name = text_of(exec, "DocumentName");
  v.document_version = text_of(exec, "DocumentVersion");
  v.account = account;
  v.region = region;
  v.now_ms = now_ms;
  return v;
}

// aws:branch: the first matching choice's NextStep, else Default, else "".
bool choice_matches(const json::Value& choice, const Variables& vars);

std::optional<json::Value> variable_value(const json::Value& choice, const Variables& vars) {
  const json::Value* var = choice.find("Variable");
  if (!var) {
    return std::nullopt;
  }
  auto r = interpolate(*var, vars);
  if (!r.ok()) {
    return std::nullopt;
  }
  return *r;
}

bool compare(const json::Value& choice, const json::Value& v) {
  for (const json::Member& m : choice.as_object()) {
    const std::string& op = m.key;
    const json::Value& want = m.value;
    if (op == "StringEquals") {
      return v.is_string() && want.is_string() && v.as_string() == want.as_string();
    }
    if (op == "EqualsIgnoreCase") {
      if (!v.is_string() || !want.is_string()) {
        return false;
      }
      std::string a(v.as_string());
      std::string b(want.as_string());
      std::transform(a.begin(), a.end(), a.begin(), ::tolower);
      std::transform(b.begin(), b.end(), b.begin(), ::tolower);
      return a == b;
    }
    if (op == "StartsWith") {
      return v.is_string() && want.is_string() && v.as_string().rfind(want.as_string(), 0) == 0;
    }
    if (op == "EndsWith") {
      return v.is_string() && want.is_string() && v.as_string().size() >= want.as_string().size() &&
             v.as_string().compare(v.as_string().size() - want.as_string().size(),
                                   want.as_string().size(), want.as_string()) == 0;
    }
    if (op == "Contains") {
      if (v.is_array()) {
        return std::any_of(v.as_array().begin(), v.as_array().end(),
                           [&](const json::Value& e) { return e == want; });
      }
      return v.is_string() && want.is_string() &&
             v.as_string().find(want.as_string()) != std::string_view::npos;
    }
    if (op == "BooleanEquals") {
      bool b = v.is_bool() ? v.as_bool() : (v.is_string() && v.as_string() == "true");
      return want.is_bool() && b == want.as_bool();
    }
    if (op == "NumericEquals" || op == "NumericGreater" || op == "NumericLesser" ||
        op == "NumericGreaterOrEquals" || op == "NumericLesserOrEquals") {
      double a = 0;
      if (v.is_number()) {
        a = v.as_double();
      } else if (v.is_string()) {
        try {
          a = std::stod(std::string(v.as_string()));
        } catch (const std::exception&) {
          return false;
        }
      } else {
        return false;
      }
      if (!want.is_number()) {
        return false;
      }
      double b = want.as_double();
      if (op == "NumericEquals")
        return a == b;
      if (op == "NumericGreater")
        return a > b;
      if (op == "NumericLesser")
        return a < b;
      if (op == "NumericGreaterOrEquals")
        return a >= b;
      return a <= b;
    }
  }
  return false;
}

bool choice_matches(const json::Value& choice, const Variables& vars) {
  if (const json::Value* all = choice.find("And"); all && all->is_array()) {
    return std::all_of(all->as_array().begin(), all->as_array().end(),
                       [&](const json::Value& c) { return choice_matches(c, vars); });
  }
  if (const json::Value* any = choice.find("Or"); any && any->is_array()) {
    return std::any_of(any->as_array().begin(), any->as_array().end(),
                       [&](const json::Value& c) { return choice_matches(c, vars); });
  }
  if (const json::Value* n = choice.find("Not"); n && n->is_object()) {
    return !choice_matches(*n, vars);
  }
  auto v = variable_value(choice, vars);
  return v && compare(choice, *v);
}

}  // namespace

std::optional<Tx> AutomationService::Impl::load(const std::string& exec_id) {
  auto rec = store.get_document(kExecutionKind, exec_id);
  if (!rec) {
    return std::nullopt;
  }
  auto parsed = json::parse(rec->json);
  if (!parsed.ok()) {
    return std::nullopt;
  }
  Tx tx;
  tx.now_ms = clock.now_ms();
  tx.exec_key = exec_id;
  tx.exec_version = rec->version;
  tx.exec = parsed.value;
  std::string current = text_of(tx.exec, "CurrentStepKey");
  if (!current.empty()) {
    if (auto srec = store.get_document(kStepKind, current)) {
      auto sp = json::parse(srec->json);
      if (sp.ok()) {
        tx.steps.push_back(Tx::Step{current, srec->version, sp.value});
      }
    }
  }
  return tx;
}

bool AutomationService::Impl::commit(Tx& tx) {
  store::DocumentBatch batch;
  store::DocumentWrite ew;
  ew.doc.kind = kExecutionKind;
  ew.doc.key = tx.exec_key;
  ew.doc.json = json::dump(tx.exec);
  ew.doc.index = text_of(tx.exec, "DocumentName");
  ew.doc.created_ms = int_of(tx.exec, "ExecutionStartTime");
  ew.doc.updated_ms = tx.now_ms;
  ew.expected_version = tx.exec_version;
  batch.writes.push_back(std::move(ew));
  for (const Tx::Step& s : tx.steps) {
    store::DocumentWrite sw;
    sw.doc.kind = kStepKind;
    sw.doc.key = s.key;
    sw.doc.json = json::dump(s.doc);
    sw.doc.created_ms = int_of(s.doc, "ExecutionStartTime");
    sw.doc.updated_ms = tx.now_ms;
    sw.expected_version = s.version;
    batch.writes.push_back(std::move(sw));
  }
  for (const store::DocumentWrite& w : tx.extra) {
    batch.writes.push_back(w);
  }
  batch.jobs_to_put = tx.jobs_to_put;
  batch.jobs_to_delete = tx.jobs_to_delete;
  if (store.apply_documents(batch) != store::WriteStatus::Ok) {
    return false;
  }
  if (!batch.jobs_to_put.empty()) {
    kick();
  }
  return true;
}

Result<Document> AutomationService::Impl::document_of(const Tx& tx) {
  return parse_document(text_of(tx.exec, "Content"), "JSON");
}

void AutomationService::Impl::put_job(Tx& tx, const std::string& id, int64_t due_ms,
                                      json::Value payload) {
  store::JobRecord job;
  job.id = id;
  job.kind = kJobKind;
  job.owner = tx.exec_key;
  job.due_ms = due_ms;
  job.payload = json::dump(payload);
  // Replacing a job deletes the old row first when it is in the same batch's delete list.
  tx.jobs_to_delete.erase(std::remove(tx.jobs_to_delete.begin(), tx.jobs_to_delete.end(), id),
                          tx.jobs_to_delete.end());
  tx.jobs_to_put.push_back(std::move(job));
}

void AutomationService::Impl::step_event(Tx& tx, const json::Value& step) {
  int64_t start = int_of(step, "ExecutionStartTime");
  int64_t end = int_of(step, "ExecutionEndTime");
  std::string name = text_of(tx.exec, "DocumentName");
  std::string version = text_of(tx.exec, "DocumentVersion");
  double dv = 1.0;
  try {
    dv = std::stod(version);
  } catch (const std::exception&) {
  }
  json::Value detail = json::Value::object({
      {"ExecutionId", json::Value(tx.exec_key)},
      {"Definition", json::Value(name)},
      {"DefinitionVersion", json::Value(dv)},
      {"Status", json::Value(text_of(step, "StepStatus"))},
      {"EndTime", json::Value(end ? event_time(end) : std::string("No date available."))},
      {"StartTime", json::Value(event_time(start))},
      {"Time", json::Value(static_cast<double>((end ? end : tx.now_ms) - start))},
      {"StepName", json::Value(text_of(step, "StepName"))},
      {"Action", json::Value(text_of(step, "Action"))},
  });
  int64_t seq = int_of(tx.exec, "EventSeq") + 1;
  tx.exec.set("EventSeq", json::Value(seq));
  put_job(
      tx, "ssm-event:" + tx.exec_key + ":" + std::to_string(seq), 0,
      json::Value::object(
          {{"type", json::Value("event")},
           {"detailType", json::Value("EC2 Automation Step Status-change Notification")},
           {"detail", detail},
           {"resources",
            json::Value::array({json::Value("arn:aws:ssm:" + opts.region + ":" + opts.account +
                                            ":automation-execution/" + tx.exec_key),
                                json::Value("arn:aws:ssm:" + opts.region + ":" + opts.account +
                                            ":automation-definition/" + name + ":" + version)})}}));
}

void AutomationService::Impl::exec_event(Tx& tx) {
  int64_t start = int_of(tx.exec, "ExecutionStartTime");
  int64_t end = int_of(tx.exec, "ExecutionEndTime");
  std::string name = text_of(tx.exec, "DocumentName");
  std::string version = text_of(tx.exec, "DocumentVersion");
  double dv = 1.0;
  try {
    dv = std::stod(version);
  } catch (const std::exception&) {
  }
  json::Value detail = json::Value::object({
      {"ExecutionId", json::Value(tx.exec_key)},
      {"Definition", json::Value(name)},
      {"DefinitionVersion", json::Value(dv)},
      {"Status", json::Value(text_of(tx.exec, "AutomationExecutionStatus"))},
      {"StartTime", json::Value(event_time(start))},
      {"EndTime", json::Value(end ? event_time(end) : std::string("No date available."))},
      {"Time", json::Value(static_cast<double>((end ? end : tx.now_ms) - start))},
      {"ExecutedBy", json::Value(text_of(tx.exec, "ExecutedBy"))},
  });
  int64_t seq = int_of(tx.exec, "EventSeq") + 1;
  tx.exec.set("EventSeq", json::Value(seq));
  put_job(
      tx, "ssm-event:" + tx.exec_key + ":" + std::to_string(seq), 0,
      json::Value::object(
          {{"type", json::Value("event")},
           {"detailType", json::Value("EC2 Automation Execution Status-change Notification")},
           {"detail", detail},
           {"resources",
            json::Value::array({json::Value("arn:aws:ssm:" + opts.region + ":" + opts.account +
                                            ":automation-execution/" + tx.exec_key),
                                json::Value("arn:aws:ssm:" + opts.region + ":" + opts.account +
                                            ":automation-definition/" + name + ":" + version)})}}));
}

void AutomationService::Impl::set_exec_status(Tx& tx, const std::string& status) {
  if (text_of(tx.exec, "AutomationExecutionStatus") == status) {
    return;
  }
  tx.exec.set("AutomationExecutionStatus", json::Value(status));
  if (terminal_status(status)) {
    tx.exec.set("ExecutionEndTime", json::Value(tx.now_ms));
  }
  exec_event(tx);
}

void AutomationService::Impl::finish(Tx& tx, const std::string& status,
                                     const std::string& failure_message) {
  if (!failure_message.empty()) {
    tx.exec.set("FailureMessage", json::Value(failure_message));
  }
  tx.exec.set("CurrentStepKey", json::Value(""));
  tx.exec.erase("CurrentStepName");
  tx.exec.erase("CurrentAction");
  // The document's declared outputs, from the steps' outputs.
  json::Value outputs = json::Value::object();
  const json::Value* step_outputs = tx.exec.find("StepOutputs");
  if (const json::Value* declared = tx.exec.find("DeclaredOutputs")) {
    for (const json::Value& name : declared->as_array()) {
      const json::Value* v = step_outputs ? step_outputs->find(name.as_string()) : nullptr;
      outputs.set(name.as_string(), v ? *v
                                      : json::Value("No output available yet because the "
                                                    "step is not successfully executed"));
    }
  }
  tx.exec.set("Outputs", wire_outputs(outputs));
  set_exec_status(tx, status);
}

void AutomationService::Impl::advance(Tx& tx, const Document& doc) {
  for (int guard = 0; guard < kMaxStepsPerAdvance; ++guard) {
    std::string status = text_of(tx.exec, "AutomationExecutionStatus");
    if (terminal_status(status) || !text_of(tx.exec, "CurrentStepKey").empty()) {
      return;
    }
    int64_t next = int_of(tx.exec, "NextStepIndex", -1);
    if (next < 0 || next >= static_cast<int64_t>(doc.steps.size())) {
      std::string end_as = text_of(tx.exec, "EndAs");
      if (!end_as.empty()) {
        return finish(tx, end_as, "");
      }
      const json::Value* failed = tx.exec.find("CriticalFailure");
      if (failed && failed->is_string()) {
        return finish(tx, "Failed", std::string(failed->as_string()));
      }
      return finish(tx, "Success", "");
    }
    if (text_of(tx.exec, "Mode") == "Interactive" && !tx.exec.find("StartStepGranted")) {
      // Interactive automations wait for StartStep before every step.
      set_exec_status(tx, "Waiting");
      return;
    }
    tx.exec.erase("StartStepGranted");
    if (int_of(tx.exec, "StepCount") >= kMaxStepExecutions) {
      return finish(tx, "Failed", "The automation ran more than 10000 steps.");
    }
    start_step(tx, doc, static_cast<int>(next));
  }
  finish(tx, "Failed", "The automation moved through more than 1000 steps without waiting.");
}

void AutomationService::Impl::start_step(Tx& tx, const Document& doc, int index) {
  const StepDef& def = doc.steps[static_cast<size_t>(index)];
  int64_t seq = int_of(tx.exec, "StepCount") + 1;
  tx.exec.set("StepCount", json::Value(seq));
  std::string key = step_key(tx.exec_key, seq);
  json::Value keys = tx.exec.find("StepKeys") ? *tx.exec.find("StepKeys") : json::Value::array();
  keys.push_back(json::Value(key));
  tx.exec.set("StepKeys", keys);
  bump(tx.exec, "TotalSteps");

  std::vector<json::Value> valid_next;
  if (def.action == "aws:branch") {
    if (const json::Value* choices = def.inputs.find("Choices")) {
      for (const json::Value& c : choices->as_array()) {
        if (const json::Value* n = c.find("NextStep")) {
          valid_next.push_back(*n);
        }
      }
    }
  } else if (!def.next_step.empty()) {
    valid_next.emplace_back(def.next_step);
  } else if (!def.is_end && index + 1 < static_cast<int>(doc.steps.size())) {
    valid_next.emplace_back(doc.steps[static_cast<size_t>(index) + 1].name);
  }
  int64_t timeout = def.timeout_seconds;
  if (def.action == "aws:approve" && timeout == 0) {
    timeout = kApproveDefaultTimeout;
  }
  json::Value step = json::Value::object({
      {"StepName", json::Value(def.name)},
      {"Action", json::Value(def.action)},
      {"StepIndex", json::Value(static_cast<int64_t>(index))},
      {"OnFailure", json::Value(def.on_failure)},
      {"OnCancel", json::Value(def.on_cancel)},
      {"MaxAttempts", json::Value(def.max_attempts)},
      {"ExecutionStartTime", json::Value(tx.now_ms)},
      {"StepStatus", json::Value("InProgress")},
      {"StepExecutionId", json::Value(uuid())},
      {"IsEnd", json::Value(def.is_end)},
      {"IsCritical", json::Value(def.is_critical)},
      {"ValidNextSteps", json::Value::array(std::move(valid_next))},
      {"Outputs", json::Value::object()},
  });
  if (timeout > 0) {
    step.set("TimeoutSeconds", json::Value(timeout));
  }
  if (!def.next_step.empty()) {
    step.set("NextStep", json::Value(def.next_step));
  }
  tx.steps.push_back(Tx::Step{key, store::kMustNotExist, step});
  tx.exec.set("CurrentStepKey", json::Value(key));
  tx.exec.set("CurrentStepName", json::Value(def.name));
  tx.exec.set("CurrentAction", json::Value(def.action));
  if (text_of(tx.exec, "AutomationExecutionStatus") != "InProgress") {
    set_exec_status(tx, "InProgress");
  }

  Variables vars = variables_of(tx.exec, tx.now_ms, opts.account, opts.region);
  auto resolved = interpolate(def.inputs, vars);
  if (!resolved.ok()) {
    return complete_step(tx, doc, key, "Failed", json::Value::object(),
                         "Step fails when it is validating and resolving the step inputs. " +
                             resolved.error().message,
                         "Verification");
  }
  tx.step_doc(key).set("Inputs", wire_inputs(*resolved));
  tx.step_doc(key).set("ResolvedInputs", *resolved);
  step_event(tx, tx.step_doc(key));

  auto wait_for_signal = [&](int64_t timeout_s) {
    json::Value& s = tx.step_doc(key);
    s.set("StepStatus", json::Value("Waiting"));
    step_event(tx, s);
    set_exec_status(tx, "Waiting");
    if (timeout_s > 0) {
      put_job(tx, key + ":timeout", tx.now_ms + timeout_s * 1000,
              json::Value::object({{"type", json::Value("timeout")}, {"step", json::Value(key)}}));
    }
  };

  if (def.action == "aws:approve") {
    auto in = parse_approve_inputs(*resolved);
    if (!in.ok()) {
      return complete_step(
          tx, doc, key, "Failed", json::Value::object(),
          "Step fails when it is validating and resolving the step inputs. " + in.error().message,
          "Verification");
    }
    if (timeout > kApproveMaxTimeout) {
      return complete_step(tx, doc, key, "Failed", json::Value::object(),
                           "Step fails when it is validating and resolving the step inputs. "
                           "timeoutSeconds for aws:approve cannot exceed 2592000.",
                           "Verification");
    }
    std::vector<json::Value> approvers;
    for (const std::string& a : in->approvers) {
      approvers.emplace_back(a);
    }
    tx.step_doc(key).set("Approval", json::Value::object({
                                         {"Approvers", json::Value::array(std::move(approvers))},
                                         {"MinRequiredApprovals", json::Value(in->min_required)},
                                         {"Decisions", json::Value::array()},
                                     }));
    tx.step_doc(key).set(
        "Outputs", json::Value::object({{"ApprovalStatus", json::Value::array({"Waiting"})}}));
    wait_for_signal(timeout);
    if (ports.approvals) {
      put_job(tx, key + ":agents", 0,
              json::Value::object({{"type", json::Value("agents")}, {"step", json::Value(key)}}));
    }
    if (!in->notification_arn.empty()) {
      std::string link = opts.public_url + "/console/approvals/" + tx.exec_key;
      std::string message =
          "Approval request for Automation execution " + tx.exec_key + " (document " +
          text_of(tx.exec, "DocumentName") + ", step " + def.name + ").\n\n" + in->message +
          "\n\nAutomationExecutionId: " + tx.exec_key + "\nApprove or reject: " + link + "\n";
      put_job(tx, key + ":notify", 0,
              json::Value::object({{"type", json::Value("notify")},
                                   {"topic", json::Value(in->notification_arn)},
                                   {"subject", json::Value("Automation approval request")},
                                   {"message", json::Value(message)}}));
    }
    return;
  }
  if (def.action == "aws:pause") {
    return wait_for_signal(def.timeout_seconds);
  }
  if (def.action == "aws:sleep") {
    int64_t due = -1;
    if (const json::Value* d = resolved->find("Duration"); d && d->is_string()) {
      int64_t s = parse_iso_duration(d->as_string());
      if (s >= 0) {
        due = tx.now_ms + s * 1000;
      }
    } else if (const json::Value* t = resolved->find("Timestamp"); t && t->is_string()) {
      due = parse_iso_timestamp(t->as_string());
    }
    if (due < 0) {
      return complete_step(tx, doc, key, "Failed", json::Value::object(),
                           "Step fails when it is validating and resolving the step inputs. "
                           "aws:sleep needs a Duration (ISO 8601, e.g. PT10M) or a Timestamp "
                           "(ISO 8601 UTC).",
                           "Verification");
    }
    put_job(tx, key + ":wake", due,
            json::Value::object({{"type", json::Value("wake")}, {"step", json::Value(key)}}));
    return;
  }
  if (def.action == "aws:branch") {
    std::string target;
    for (const json::Value& c : resolved->find("Choices")->as_array()) {
      if (choice_matches(c, vars)) {
        target = text_of(c, "NextStep");
        break;
      }
    }
    if (target.empty()) {
      target = text_of(*resolved, "Default");
    }
    if (target.empty()) {
      return complete_step(tx, doc, key, "Failed", json::Value::object(),
                           "Step fails when it is evaluating the choices. No choice matched and "
                           "the step has no Default.",
                           "Verification");
    }
    tx.step_doc(key).set("BranchTarget", json::Value(target));
    return complete_step(tx, doc, key, "Success",
                         json::Value::object({{"NextStep", json::Value(target)}}), "");
  }
  if (!implemented_action(def.action)) {
    return complete_step(tx, doc, key, "Failed", json::Value::object(),
                         "Step fails when it is executing. Signoff does not implement the action " +
                             def.action + ".",
                         "Unsupported");
  }
  // Calls into other services run on the job thread after this transition commits.
  put_job(tx, key + ":run", 0,
          json::Value::object({{"type", json::Value("run")}, {"step", json::Value(key)}}));
  if (def.timeout_seconds > 0) {
    put_job(tx, key + ":timeout", tx.now_ms + def.timeout_seconds * 1000,
            json::Value::object({{"type", json::Value("timeout")}, {"step", json::Value(key)}}));
  }
}

void AutomationService::Impl::complete_step(Tx& tx, const Document& doc, const std::string& key,
                                            const std::string& status, const json::Value& outputs,
                                            const std::string& failure_message,
                                            const std::string& failure_type) {
  json::Value& step = tx.step_doc(key);
  step.set("StepStatus", json::Value(status));
  step.set("ExecutionEndTime", json::Value(tx.now_ms));
  json::Value wire = wire_outputs(outputs);
  if (const json::Value* old = step.find("Outputs")) {
    for (const json::Member& m : old->as_object()) {
      if (!wire.find(m.key)) {
        wire.set(m.key, m.value);
      }
    }
  }
  step.set("Outputs", wire);
  if (!failure_message.empty()) {
    step.set("FailureMessage", json::Value(failure_message));
    step.set("FailureDetails",
             json::Value::object(
                 {{"FailureStage", json::Value("Execution")},
                  {"FailureType",
                   json::Value(failure_type.empty() ? std::string("Unknown") : failure_type)}}));
  }
  for (const char* suffix : {":timeout", ":wake", ":run", ":poll"}) {
    tx.jobs_to_delete.push_back(key + suffix);
  }
  step_event(tx, step);

  std::string name = text_of(step, "StepName");
  json::Value step_outputs =
      tx.exec.find("StepOutputs") ? *tx.exec.find("StepOutputs") : json::Value::object();
  for (const json::Member& m : outputs.as_object()) {
    step_outputs.set(name + "." + m.key, m.value);
  }
  tx.exec.set("StepOutputs", step_outputs);

  int index = static_cast<int>(int_of(step, "StepIndex"));
  const StepDef& def = doc.steps[static_cast<size_t>(index)];
  auto natural_next = [&]() -> int64_t {
    if (const json::Value* t = step.find("BranchTarget")) {
      return doc.step_index(t->as_string());
    }
    if (!def.next_step.empty()) {
      return doc.step_index(def.next_step);
    }
    if (def.is_end) {
      return -1;
    }
    return index + 1 < static_cast<int>(doc.steps.size()) ? index + 1 : -1;
  };
  tx.exec.set("CurrentStepKey", json::Value(""));

  if (status == "Success") {
    bump(tx.exec, "SuccessSteps");
    tx.exec.set("NextStepIndex", json::Value(natural_next()));
    return;
  }
  if (status == "Cancelled") {
    bump(tx.exec, "CancelledSteps");
    if (def.on_cancel.rfind("step:", 0) == 0) {
      tx.exec.set("EndAs", json::Value("Cancelled"));
      tx.exec.set("NextStepIndex", json::Value(doc.step_index(def.on_cancel.substr(5))));
      return;
    }
    tx.exec.set("NextStepIndex", json::Value(-1));
    return finish(tx, "Cancelled", "");
  }
  bump(tx.exec, status == "TimedOut" ? "TimedOutSteps" : "FailedSteps");
  // maxAttempts: a failed attempt starts the step again.
  json::Value attempts =
      tx.exec.find("Attempts") ? *tx.exec.find("Attempts") : json::Value::object();
  int64_t attempt = int_of(attempts, name, 1);
  if (status == "Failed" && attempt < def.max_attempts) {
    attempts.set(name, json::Value(attempt + 1));
    tx.exec.set("Attempts", attempts);
    tx.exec.set("NextStepIndex", json::Value(static_cast<int64_t>(index)));
    return;
  }
  std::string message = failure_message.empty() ? "Step " + name + " " + status : failure_message;
  if (def.on_failure == "Abort") {
    tx.exec.set("NextStepIndex", json::Value(-1));
    return finish(tx, status, message);
  }
  if (def.is_critical) {
    tx.exec.set("CriticalFailure", json::Value(message));
  }
  if (def.on_failure == "Continue") {
    tx.exec.set("NextStepIndex", json::Value(natural_next()));
  } else {
    tx.exec.set("NextStepIndex", json::Value(doc.step_index(def.on_failure.substr(5))));
  }
}

}  // namespace signoff::automation
