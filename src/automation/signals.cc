// SendAutomationSignal and StopAutomationExecution. An Approve or Reject is checked against the
// step's approvers, then stored with its audit record in the same batch as the step's new state,
// so the decision is durable before the call returns and the audit log never misses one.
#include "automation/approval.h"
#include "automation/audit.h"
#include "automation/impl.h"

namespace signoff::automation {

namespace {

Error invalid_signal() {
  return make_error("InvalidAutomationSignalException",
                    "The signal isn't valid for the current Automation execution.");
}

std::string first(const std::map<std::string, std::vector<std::string>>& payload,
                  const std::string& key) {
  auto it = payload.find(key);
  return it == payload.end() || it->second.empty() ? std::string() : it->second.front();
}

std::vector<Decision> decisions_of(const json::Value& approval) {
  std::vector<Decision> out;
  if (const json::Value* list = approval.find("Decisions")) {
    for (const json::Value& d : list->as_array()) {
      out.push_back(Decision{text_of(d, "Principal"), text_of(d, "Approver"),
                             text_of(d, "Decision"), text_of(d, "Comment"), int_of(d, "Time")});
    }
  }
  return out;
}

json::Value decision_json(const Decision& d) {
  return json::Value::object({{"Principal", json::Value(d.principal)},
                              {"Approver", json::Value(d.approver)},
                              {"Decision", json::Value(d.decision)},
                              {"Comment", json::Value(d.comment)},
                              {"Time", json::Value(d.time_ms)}});
}

// ApproverDecisions: one JSON map per decision (MapList), in decision order.
json::Value approver_decisions(const std::vector<Decision>& decisions) {
  std::vector<json::Value> items;
  for (const Decision& d : decisions) {
    items.push_back(json::Value::object({{"Approver", json::Value(d.principal)},
                                         {"Decision", json::Value(d.decision)},
                                         {"Comment", json::Value(d.comment)},
                                         {"DecisionTime", json::Value(iso_time(d.time_ms))}}));
  }
  return json::Value::array(std::move(items));
}

}  // namespace

Result<Unit> AutomationService::Impl::decide(Tx& tx, const Document& doc, const Signal& s,
                                             const Principal& caller) {
  std::string key = text_of(tx.exec, "CurrentStepKey");
  Tx::Step* step = key.empty() ? nullptr : tx.step(key);
  if (!step || text_of(step->doc, "Action") != "aws:approve" ||
      text_of(step->doc, "StepStatus") != "Waiting") {
    return invalid_signal();
  }
  const json::Value* approval = step->doc.find("Approval");
  if (!approval) {
    return invalid_signal();
  }
  std::vector<std::string> approvers;
  for (const json::Value& a : approval->find("Approvers")->as_array()) {
    approvers.emplace_back(a.as_string());
  }
  std::optional<std::string> matched =
      ports.principals ? ports.principals->matching_approver(caller, approvers, opts.account)
                       : match_approver_by_arn(caller.arn, approvers, opts.account);
  if (!matched) {
    return make_error("AccessDeniedException",
                      "User: " + (caller.arn.empty() ? std::string("anonymous") : caller.arn) +
                          " is not an approver of this Automation execution.");
  }
  bool approve = s.type == "Approve";
  const json::Value* sod = tx.exec.find("SeparationOfDuties");
  if (approve && sod && sod->is_bool() && sod->as_bool() &&
      caller.arn == text_of(tx.exec, "ExecutedBy")) {
    return make_error("AccessDeniedException",
                      "User: " + caller.arn +
                          " started this Automation execution and may not approve it "
                          "(separation of duties).");
  }
  std::vector<Decision> decisions = decisions_of(*approval);
  std::string decision = approve ? "Approved" : "Rejected";
  bool counted = !already_decided(decisions, caller.arn, decision);
  Decision d{caller.arn, *matched, decision, first(s.payload, "Comment"), tx.now_ms};
  if (counted) {
    decisions.push_back(d);
  }

  // The audit record and head, chained to the previous record, in this same batch.
  AuditHead head;
  int64_t head_version = store::kMustNotExist;
  if (auto h = store.get_document(kAuditHeadKind, kAuditHeadKey)) {
    auto parsed = parse_head(h->json);
    if (!parsed) {
      return make_error("InternalServerError", "The audit log head is corrupt.", 500);
    }
    head = *parsed;
    head_version = h->version;
  }
  AuditEntry entry;
  entry.principal = caller.arn;
  entry.decision = s.type;
  entry.outcome = counted ? "Counted" : "NotCounted";
  entry.comment = d.comment;
  entry.source_address = caller.source_address;
  entry.execution_id = tx.exec_key;
  entry.step_execution_id = text_of(step->doc, "StepExecutionId");
  entry.step_name = text_of(step->doc, "StepName");
  entry.document_name = text_of(tx.exec, "DocumentName");
  entry.time_ms = tx.now_ms;
  std::string record = record_json(entry, head);
  AuditHead next{head.seq + 1, sha256_hex(record)};
  store::DocumentWrite rw;
  rw.doc.kind = kAuditKind;
  rw.doc.key = audit_key(next.seq);
  rw.doc.json = record;
  rw.doc.created_ms = tx.now_ms;
  rw.doc.updated_ms = tx.now_ms;
  rw.expected_version = store::kMustNotExist;
  tx.extra.push_back(rw);
  store::DocumentWrite hw;
  hw.doc.kind = kAuditHeadKind;
  hw.doc.key = kAuditHeadKey;
  hw.doc.json = head_json(next);
  hw.doc.created_ms = tx.now_ms;
  hw.doc.updated_ms = tx.now_ms;
  hw.expected_version = head_version;
  tx.extra.push_back(hw);

  json::Value new_approval = *approval;
  std::vector<json::Value> list;
  for (const Decision& x : decisions) {
    list.push_back(decision_json(x));
  }
  new_approval.set("Decisions", json::Value::array(std::move(list)));
  step->doc.set("Approval", new_approval);

  Tally t = tally(int_of(new_approval, "MinRequiredApprovals", 1), decisions);
  json::Value outputs = json::Value::object({{"ApproverDecisions", approver_decisions(decisions)}});
  if (t == Tally::Waiting) {
    outputs.set("ApprovalStatus", json::Value("Waiting"));
    step->doc.set("Outputs", wire_outputs(outputs));
    return Unit{};
  }
  if (t == Tally::Approved) {
    outputs.set("ApprovalStatus", json::Value("Approved"));
    complete_step(tx, doc, key, "Success", outputs, "");
  } else {
    outputs.set("ApprovalStatus", json::Value("Rejected"));
    complete_step(tx, doc, key, "Failed", outputs,
                  "Step fails when it is verifying approvers' decisions. The automation was "
                  "rejected by " +
                      caller.arn + ".",
                  "Rejected");
  }
  advance(tx, doc);
  return Unit{};
}

Result<Unit> AutomationService::send_signal(const Signal& s, const Principal& caller) {
  Impl& m = *impl_;
  auto lock = m.lock_for(s.execution_id);
  std::lock_guard<std::mutex> g(*lock);
  std::unique_lock<std::mutex> audit(m.audit_mu, std::defer_lock);
  if (s.type == "Approve" || s.type == "Reject") {
    audit.lock();
  }
  auto tx = m.load(s.execution_id);
  if (!tx) {
    return make_error("AutomationExecutionNotFoundException",
                      "Automation Execution " + s.execution_id + " not found.");
  }
  if (terminal_status(text_of(tx->exec, "AutomationExecutionStatus"))) {
    return invalid_signal();
  }
  auto doc = m.document_of(*tx);
  if (!doc.ok()) {
    return make_error("InternalServerError", doc.error().message, 500);
  }
  std::string key = text_of(tx->exec, "CurrentStepKey");
  if (s.type == "Approve" || s.type == "Reject") {
    auto r = m.decide(*tx, *doc, s, caller);
    if (!r.ok()) {
      return r;
    }
  } else if (s.type == "Resume") {
    Tx::Step* step = key.empty() ? nullptr : tx->step(key);
    if (!step || text_of(step->doc, "Action") != "aws:pause" ||
        text_of(step->doc, "StepStatus") != "Waiting") {
      return invalid_signal();
    }
    m.complete_step(*tx, *doc, key, "Success", json::Value::object(), "");
    m.advance(*tx, *doc);
  } else if (s.type == "StopStep") {
    std::string id = first(s.payload, "StepExecutionId");
    if (id.empty()) {
      return make_error("InvalidAutomationSignalException",
                        "StopStep needs the StepExecutionId in its payload.");
    }
    Tx::Step* step = key.empty() ? nullptr : tx->step(key);
    if (!step || text_of(step->doc, "StepExecutionId") != id) {
      return make_error("AutomationStepNotFoundException",
                        "The specified step ID doesn't exist. Verify the ID and try again.");
    }
    m.complete_step(*tx, *doc, key, "Cancelled", json::Value::object(), "");
    m.advance(*tx, *doc);
  } else if (s.type == "StartStep") {
    std::string name = first(s.payload, "StepName");
    int index = doc->step_index(name);
    if (name.empty() || index < 0) {
      return make_error("AutomationStepNotFoundException",
                        "The specified step name doesn't exist. Verify the name and try again.");
    }
    if (text_of(tx->exec, "Mode") != "Interactive" || !key.empty()) {
      return invalid_signal();
    }
    tx->exec.set("NextStepIndex", json::Value(static_cast<int64_t>(index)));
    tx->exec.set("StartStepGranted", json::Value(true));
    m.advance(*tx, *doc);
  } else {
    return invalid_signal();
  }
  if (!m.commit(*tx)) {
    return make_error("InternalServerError", "The execution changed concurrently; try again.", 500);
  }
  return Unit{};
}

Result<ApprovalState> AutomationService::approval_state(const std::string& execution_id) {
  auto tx = impl_->load(execution_id);
  if (!tx) {
    return make_error("AutomationExecutionNotFoundException",
                      "Automation Execution " + execution_id + " not found.");
  }
  ApprovalState out;
  std::string key = text_of(tx->exec, "CurrentStepKey");
  Tx::Step* step = key.empty() ? nullptr : tx->step(key);
  const json::Value* approval = step ? step->doc.find("Approval") : nullptr;
  if (!step || !approval || terminal_status(text_of(tx->exec, "AutomationExecutionStatus"))) {
    return out;
  }
  out.waiting = text_of(step->doc, "StepStatus") == "Waiting";
  out.step_execution_id = text_of(step->doc, "StepExecutionId");
  out.step_name = text_of(step->doc, "StepName");
  out.min_required = int_of(*approval, "MinRequiredApprovals", 1);
  if (const json::Value* list = approval->find("Approvers")) {
    for (const json::Value& a : list->as_array()) {
      out.approvers.emplace_back(a.as_string());
    }
  }
  out.decisions = decisions_of(*approval);
  return out;
}

Result<Unit> AutomationService::stop_execution(const std::string& id, const std::string& type) {
  Impl& m = *impl_;
  auto lock = m.lock_for(id);
  std::lock_guard<std::mutex> g(*lock);
  auto tx = m.load(id);
  if (!tx) {
    return make_error("AutomationExecutionNotFoundException",
                      "Automation Execution " + id + " not found.");
  }
  if (terminal_status(text_of(tx->exec, "AutomationExecutionStatus"))) {
    return make_error("InvalidAutomationStatusUpdateException",
                      "The specified update status operation isn't valid.");
  }
  auto doc = m.document_of(*tx);
  if (!doc.ok()) {
    return make_error("InternalServerError", doc.error().message, 500);
  }
  std::string key = text_of(tx->exec, "CurrentStepKey");
  if (type == "Complete") {
    if (!key.empty() && tx->step(key)) {
      // Complete ends the step without running what follows, and the automation succeeds.
      tx->exec.set("EndAs", json::Value("CompletedWithSuccess"));
      m.complete_step(*tx, *doc, key, "Cancelled", json::Value::object(), "");
    }
    tx->exec.set("NextStepIndex", json::Value(-1));
    tx->exec.set("CurrentStepKey", json::Value(""));
    if (!terminal_status(text_of(tx->exec, "AutomationExecutionStatus"))) {
      m.finish(*tx, "CompletedWithSuccess", "");
    }
  } else {
    m.set_exec_status(*tx, "Cancelling");
    if (!key.empty() && tx->step(key)) {
      m.complete_step(*tx, *doc, key, "Cancelled", json::Value::object(), "");
      m.advance(*tx, *doc);
    } else {
      m.finish(*tx, "Cancelled", "");
    }
  }
  if (!m.commit(*tx)) {
    return make_error("InternalServerError", "The execution changed concurrently; try again.", 500);
  }
  return Unit{};
}

}  // namespace signoff::automation
