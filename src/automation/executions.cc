// StartAutomationExecution and the read side: GetAutomationExecution,
// DescribeAutomationExecutions, DescribeAutomationStepExecutions.
#include <algorithm>
#include <cctype>

#include "automation/audit.h"
#include "automation/impl.h"
#include "automation/interpolate.h"

namespace signoff::automation {

namespace {

Error no_execution(const std::string& id) {
  return make_error("AutomationExecutionNotFoundException",
                    "Automation Execution " + id + " not found.");
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Filter times: ISO 8601 ("2024-05-01T10:00:00Z") or epoch seconds.
int64_t filter_time(const std::string& v) {
  int64_t t = parse_iso_timestamp(v);
  if (t >= 0) {
    return t;
  }
  try {
    return static_cast<int64_t>(std::stod(v) * 1000);
  } catch (const std::exception&) {
    return -1;
  }
}

json::Value wire_parameters(const json::Value& exec) {
  const json::Value* p = exec.find("Parameters");
  return p ? *p : json::Value::object();
}

json::Value step_wire(const json::Value& s) {
  std::vector<json::Member> m;
  m.push_back({"StepName", json::Value(text_of(s, "StepName"))});
  m.push_back({"Action", json::Value(text_of(s, "Action"))});
  if (const json::Value* t = s.find("TimeoutSeconds")) {
    m.push_back({"TimeoutSeconds", *t});
  }
  m.push_back({"OnFailure", json::Value(text_of(s, "OnFailure"))});
  m.push_back({"MaxAttempts", json::Value(int_of(s, "MaxAttempts", 1))});
  m.push_back({"ExecutionStartTime", epoch_seconds(int_of(s, "ExecutionStartTime"))});
  if (int64_t end = int_of(s, "ExecutionEndTime")) {
    m.push_back({"ExecutionEndTime", epoch_seconds(end)});
  }
  m.push_back({"StepStatus", json::Value(text_of(s, "StepStatus"))});
  m.push_back({"Inputs", s.find("Inputs") ? *s.find("Inputs") : json::Value::object()});
  const json::Value* outputs = s.find("Outputs");
  if (outputs && outputs->size() > 0) {
    m.push_back({"Outputs", *outputs});
  }
  if (!text_of(s, "FailureMessage").empty()) {
    m.push_back({"FailureMessage", json::Value(text_of(s, "FailureMessage"))});
  }
  if (const json::Value* f = s.find("FailureDetails")) {
    m.push_back({"FailureDetails", *f});
  }
  m.push_back({"StepExecutionId", json::Value(text_of(s, "StepExecutionId"))});
  m.push_back({"IsEnd", s.find("IsEnd") ? *s.find("IsEnd") : json::Value(false)});
  if (!text_of(s, "NextStep").empty()) {
    m.push_back({"NextStep", json::Value(text_of(s, "NextStep"))});
  }
  m.push_back({"IsCritical", s.find("IsCritical") ? *s.find("IsCritical") : json::Value(true)});
  m.push_back({"ValidNextSteps",
               s.find("ValidNextSteps") ? *s.find("ValidNextSteps") : json::Value::array()});
  return json::Value::object(std::move(m));
}

std::vector<json::Value> load_steps(store::Store& store, const std::string& id) {
  std::vector<json::Value> out;
  std::string after;
  while (true) {
    auto page = store.list_documents(kStepKind, id + "/", after, 500);
    for (const store::DocumentRecord& r : page.items) {
      auto p = json::parse(r.json);
      if (p.ok()) {
        out.push_back(p.value);
      }
    }
    if (page.next_key.empty()) {
      return out;
    }
    after = page.next_key;
  }
}

json::Value resolved_targets() {
  return json::Value::object(
      {{"ParameterValues", json::Value::array()}, {"Truncated", json::Value(false)}});
}

void common_members(const json::Value& e, std::vector<json::Member>& m) {
  m.push_back({"AutomationExecutionId", json::Value(text_of(e, "AutomationExecutionId"))});
  m.push_back({"DocumentName", json::Value(text_of(e, "DocumentName"))});
  m.push_back({"DocumentVersion", json::Value(text_of(e, "DocumentVersion"))});
  m.push_back({"AutomationExecutionStatus", json::Value(text_of(e, "AutomationExecutionStatus"))});
  m.push_back({"ExecutionStartTime", epoch_seconds(int_of(e, "ExecutionStartTime"))});
  if (int64_t end = int_of(e, "ExecutionEndTime")) {
    m.push_back({"ExecutionEndTime", epoch_seconds(end)});
  }
}

// Page tokens are offsets into a listing ordered the same way every time.
size_t token_offset(const std::string& token) {
  if (token.size() < 2 || token[0] != 'o' ||
      token.find_first_not_of("0123456789", 1) != std::string::npos || token.size() > 12) {
    return SIZE_MAX;
  }
  return static_cast<size_t>(std::stoll(token.substr(1)));
}

}  // namespace

Result<std::string> AutomationService::Impl::start_execution(const StartRequest& r,
                                                             const Principal& caller) {
  std::string name = r.document_name;
  if (name.rfind("arn:", 0) == 0) {
    size_t slash = name.find("document/");
    name = slash == std::string::npos ? name : name.substr(slash + 9);
  }
  auto drec = store.get_document(kDocumentKind, name);
  if (!drec) {
    return make_error("AutomationDefinitionNotFoundException",
                      "Document " + r.document_name + " does not exist.");
  }
  json::Value ddoc = json::parse(drec->json).value;
  int64_t number = 0;
  if (r.document_version.empty() || r.document_version == "$DEFAULT") {
    number = int_of(ddoc, "DefaultVersion");
  } else if (r.document_version == "$LATEST") {
    number = int_of(ddoc, "LatestVersion");
  } else if (r.document_version.find_first_not_of("0123456789") == std::string::npos &&
             r.document_version.size() < 10) {
    number = std::stoll(r.document_version);
  }
  auto vrec = store.get_document(kVersionKind, version_key(name, number));
  if (!vrec) {
    return make_error(
        "AutomationDefinitionVersionNotFoundException",
        "Document " + name + " with version " + r.document_version + " does not exist.");
  }
  json::Value ver = json::parse(vrec->json).value;
  auto doc = parse_document(text_of(ver, "Content"), text_of(ver, "DocumentFormat"));
  if (!doc.ok()) {
    return make_error("InvalidAutomationExecutionParametersException", doc.error().message);
  }

  // ClientToken: the same token with the same request returns the first execution.
  std::string request_hash;
  if (!r.client_token.empty()) {
    std::string canon = name + "\n" + std::to_string(number) + "\n" + r.mode;
    for (const auto& [k, vs] : r.parameters) {
      canon += "\n" + k;
      for (const std::string& v : vs) {
        canon += "\x1f" + v;
      }
    }
    request_hash = sha256_hex(canon);
    if (auto t = store.get_document(kClientTokenKind, r.client_token)) {
      json::Value tv = json::parse(t->json).value;
      if (text_of(tv, "Hash") != request_hash) {
        return make_error("IdempotentParameterMismatch",
                          "Error in the request: the client token was used with different "
                          "parameters.");
      }
      return text_of(tv, "AutomationExecutionId");
    }
  }

  auto params = resolve_parameters(*doc, r.parameters);
  if (!params.ok()) {
    return params.error();
  }
  Tx tx;
  tx.now_ms = clock.now_ms();
  tx.exec_key = uuid();
  tx.exec_version = store::kMustNotExist;

  json::Value wire_params = json::Value::object();
  for (const auto& [k, vs] : params->shown) {
    std::vector<json::Value> items;
    for (const std::string& v : vs) {
      items.emplace_back(v);
    }
    wire_params.set(k, json::Value::array(std::move(items)));
  }
  bool separation = opts.forbid_self_approval;
  // The document's signoff:* tags as they were at start (agent approvers read their
  // per-approval rules from them), so retagging never changes a running automation.
  json::Value signoff_tags = json::Value::object();
  if (const json::Value* tags = ddoc.find("Tags")) {
    for (const json::Value& t : tags->as_array()) {
      if (text_of(t, "Key") == kSeparationOfDutiesTag && lower(text_of(t, "Value")) == "true") {
        separation = true;
      }
      if (text_of(t, "Key").rfind("signoff:", 0) == 0) {
        signoff_tags.set(text_of(t, "Key"), json::Value(text_of(t, "Value")));
      }
    }
  }
  std::vector<json::Value> declared;
  for (const std::string& o : doc->outputs) {
    declared.emplace_back(o);
  }
  std::vector<json::Value> tags;
  for (const DocumentTag& t : r.tags) {
    tags.push_back(
        json::Value::object({{"Key", json::Value(t.key)}, {"Value", json::Value(t.value)}}));
  }
  tx.exec = json::Value::object({
      {"AutomationExecutionId", json::Value(tx.exec_key)},
      {"DocumentName", json::Value(name)},
      {"DocumentVersion", json::Value(std::to_string(number))},
      {"ExecutionStartTime", json::Value(tx.now_ms)},
      {"AutomationExecutionStatus", json::Value("Pending")},
      {"Parameters", wire_params},
      {"Typed", params->typed},
      {"Mode", json::Value(r.mode.empty() ? std::string("Auto") : r.mode)},
      {"ExecutedBy", json::Value(caller.arn)},
      {"Content", json::Value(json::dump(doc->content))},
      {"DeclaredOutputs", json::Value::array(std::move(declared))},
      {"NextStepIndex", json::Value(0)},
      {"CurrentStepKey", json::Value("")},
      {"StepCount", json::Value(0)},
      {"SeparationOfDuties", json::Value(separation)},
      {"SignoffTags", signoff_tags},
      {"Tags", json::Value::array(std::move(tags))},
  });
  if (!r.parent_execution_id.empty()) {
    tx.exec.set("ParentAutomationExecutionId", json::Value(r.parent_execution_id));
  }
  // The document's assumeRole (usually "{{ AutomationAssumeRole }}") is the identity its steps
  // run as; it is resolved once, at start.
  if (!doc->assume_role.empty()) {
    Variables vars;
    vars.parameters = params->typed;
    vars.execution_id = tx.exec_key;
    vars.account = opts.account;
    vars.region = opts.region;
    vars.now_ms = tx.now_ms;
    auto role = interpolate(json::Value(doc->assume_role), vars);
    if (!role.ok()) {
      return make_error("InvalidAutomationExecutionParametersException", role.error().message);
    }
    std::string arn = role->is_string() ? std::string(role->as_string()) : "";
    if (!arn.empty() && arn.rfind("arn:", 0) != 0) {
      return make_error("InvalidAutomationExecutionParametersException",
                        "The assume role " + arn + " is not a valid IAM role ARN.");
    }
    tx.exec.set("AssumeRole", json::Value(arn));
  }
  if (!r.client_token.empty()) {
    store::DocumentWrite w;
    w.doc.kind = kClientTokenKind;
    w.doc.key = r.client_token;
    w.doc.json =
        json::dump(json::Value::object({{"Hash", json::Value(request_hash)},
                                        {"AutomationExecutionId", json::Value(tx.exec_key)}}));
    w.doc.created_ms = tx.now_ms;
    w.doc.updated_ms = tx.now_ms;
    w.expected_version = store::kMustNotExist;
    tx.extra.push_back(std::move(w));
  }
  exec_event(tx);
  set_exec_status(tx, "InProgress");
  {
    auto lock = lock_for(tx.exec_key);
    std::lock_guard<std::mutex> g(*lock);
    advance(tx, *doc);
    if (!commit(tx)) {
      return make_error("IdempotentParameterMismatch",
                        "Error in the request: the client token is already in use.");
    }
  }
  return tx.exec_key;
}

Result<std::string> AutomationService::Impl::start_child(const StartRequest& r) {
  auto parent = store.get_document(kExecutionKind, r.parent_execution_id);
  Principal p;
  if (parent) {
    p.arn = text_of(json::parse(parent->json).value, "ExecutedBy");
  }
  return start_execution(r, p);
}

Result<std::string> AutomationService::start_execution(const StartRequest& r,
                                                       const Principal& caller) {
  return impl_->start_execution(r, caller);
}

Result<json::Value> AutomationService::get_execution(const std::string& id) {
  Impl& m = *impl_;
  auto rec = m.store.get_document(kExecutionKind, id);
  if (!rec) {
    return no_execution(id);
  }
  json::Value e = json::parse(rec->json).value;
  std::vector<json::Member> mem;
  common_members(e, mem);
  std::vector<json::Value> steps;
  for (const json::Value& s : load_steps(m.store, id)) {
    steps.push_back(step_wire(s));
  }
  mem.push_back({"StepExecutions", json::Value::array(std::move(steps))});
  mem.push_back({"StepExecutionsTruncated", json::Value(false)});
  mem.push_back({"Parameters", wire_parameters(e)});
  mem.push_back({"Outputs", e.find("Outputs") ? *e.find("Outputs") : json::Value::object()});
  if (!text_of(e, "FailureMessage").empty()) {
    mem.push_back({"FailureMessage", json::Value(text_of(e, "FailureMessage"))});
  }
  mem.push_back({"Mode", json::Value(text_of(e, "Mode"))});
  if (!text_of(e, "ParentAutomationExecutionId").empty()) {
    mem.push_back(
        {"ParentAutomationExecutionId", json::Value(text_of(e, "ParentAutomationExecutionId"))});
  }
  mem.push_back({"ExecutedBy", json::Value(text_of(e, "ExecutedBy"))});
  if (!text_of(e, "CurrentStepName").empty()) {
    mem.push_back({"CurrentStepName", json::Value(text_of(e, "CurrentStepName"))});
    mem.push_back({"CurrentAction", json::Value(text_of(e, "CurrentAction"))});
  }
  if (const json::Value* c = e.find("ProgressCounters")) {
    mem.push_back({"ProgressCounters", *c});
  }
  mem.push_back({"Targets", json::Value::array()});
  mem.push_back({"ResolvedTargets", resolved_targets()});
  return json::Value::object({{"AutomationExecution", json::Value::object(std::move(mem))}});
}

Result<json::Value> AutomationService::describe_executions(const std::vector<ListFilter>& filters,
                                                           const std::string& next_token,
                                                           size_t max_results) {
  Impl& m = *impl_;
  size_t offset = next_token.empty() ? 0 : token_offset(next_token);
  if (offset == SIZE_MAX) {
    return make_error("InvalidNextToken", "The specified token isn't valid.");
  }
  std::vector<json::Value> all;
  std::string after;
  while (true) {
    auto page = m.store.list_documents(kExecutionKind, "", after, 500);
    for (const store::DocumentRecord& r : page.items) {
      auto p = json::parse(r.json);
      if (!p.ok()) {
        continue;
      }
      const json::Value& e = p.value;
      bool keep = true;
      for (const ListFilter& f : filters) {
        auto any = [&](auto pred) {
          return std::any_of(f.values.begin(), f.values.end(), pred);
        };
        int64_t start = int_of(e, "ExecutionStartTime");
        if (f.key == "DocumentNamePrefix") {
          keep = keep && any([&](const std::string& v) {
                   return text_of(e, "DocumentName").rfind(v, 0) == 0;
                 });
        } else if (f.key == "ExecutionStatus") {
          keep = keep && any([&](const std::string& v) {
                   return lower(v) == lower(text_of(e, "AutomationExecutionStatus"));
                 });
        } else if (f.key == "ExecutionId") {
          keep = keep && any([&](const std::string& v) { return v == r.key; });
        } else if (f.key == "ParentExecutionId") {
          keep = keep && any([&](const std::string& v) {
                   return v == text_of(e, "ParentAutomationExecutionId");
                 });
        } else if (f.key == "CurrentAction") {
          keep =
              keep && any([&](const std::string& v) { return v == text_of(e, "CurrentAction"); });
        } else if (f.key == "StartTimeBefore") {
          keep = keep && any([&](const std::string& v) { return start < filter_time(v); });
        } else if (f.key == "StartTimeAfter") {
          keep = keep && any([&](const std::string& v) { return start > filter_time(v); });
        } else if (f.key == "AutomationType") {
          keep = keep && any([](const std::string& v) { return v == "Local"; });
        } else if (f.key == "TagKey") {
          bool found = false;
          if (const json::Value* tags = e.find("Tags")) {
            for (const json::Value& t : tags->as_array()) {
              found = found || std::find(f.values.begin(), f.values.end(), text_of(t, "Key")) !=
                                   f.values.end();
            }
          }
          keep = keep && found;
        }
      }
      if (keep) {
        all.push_back(e);
      }
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  std::stable_sort(all.begin(), all.end(), [](const json::Value& a, const json::Value& b) {
    int64_t x = int_of(a, "ExecutionStartTime");
    int64_t y = int_of(b, "ExecutionStartTime");
    return x != y ? x > y
                  : text_of(a, "AutomationExecutionId") > text_of(b, "AutomationExecutionId");
  });
  std::vector<json::Value> items;
  for (size_t i = offset; i < all.size() && items.size() < max_results; ++i) {
    const json::Value& e = all[i];
    std::vector<json::Member> mem;
    common_members(e, mem);
    mem.push_back({"ExecutedBy", json::Value(text_of(e, "ExecutedBy"))});
    mem.push_back({"LogFile", json::Value("")});
    mem.push_back({"Outputs", e.find("Outputs") ? *e.find("Outputs") : json::Value::object()});
    mem.push_back({"Mode", json::Value(text_of(e, "Mode"))});
    if (!text_of(e, "ParentAutomationExecutionId").empty()) {
      mem.push_back(
          {"ParentAutomationExecutionId", json::Value(text_of(e, "ParentAutomationExecutionId"))});
    }
    if (!text_of(e, "CurrentStepName").empty()) {
      mem.push_back({"CurrentStepName", json::Value(text_of(e, "CurrentStepName"))});
      mem.push_back({"CurrentAction", json::Value(text_of(e, "CurrentAction"))});
    }
    if (!text_of(e, "FailureMessage").empty()) {
      mem.push_back({"FailureMessage", json::Value(text_of(e, "FailureMessage"))});
    }
    mem.push_back({"ResolvedTargets", resolved_targets()});
    mem.push_back({"AutomationType", json::Value("Local")});
    items.push_back(json::Value::object(std::move(mem)));
  }
  json::Value out =
      json::Value::object({{"AutomationExecutionMetadataList", json::Value::array(items)}});
  if (offset + items.size() < all.size()) {
    out.set("NextToken", json::Value("o" + std::to_string(offset + items.size())));
  }
  return out;
}

Result<json::Value> AutomationService::describe_step_executions(
    const std::string& id, const std::vector<ListFilter>& filters, bool reverse,
    const std::string& next_token, size_t max_results) {
  Impl& m = *impl_;
  if (!m.store.get_document(kExecutionKind, id)) {
    return no_execution(id);
  }
  size_t offset = next_token.empty() ? 0 : token_offset(next_token);
  if (offset == SIZE_MAX) {
    return make_error("InvalidNextToken", "The specified token isn't valid.");
  }
  std::vector<json::Value> all;
  for (const json::Value& s : load_steps(m.store, id)) {
    bool keep = true;
    int64_t start = int_of(s, "ExecutionStartTime");
    for (const ListFilter& f : filters) {
      auto any = [&](auto pred) {
        return std::any_of(f.values.begin(), f.values.end(), pred);
      };
      if (f.key == "StepExecutionId") {
        keep =
            keep && any([&](const std::string& v) { return v == text_of(s, "StepExecutionId"); });
      } else if (f.key == "StepName") {
        keep = keep && any([&](const std::string& v) { return v == text_of(s, "StepName"); });
      } else if (f.key == "Action") {
        keep = keep && any([&](const std::string& v) { return v == text_of(s, "Action"); });
      } else if (f.key == "StepExecutionStatus") {
        keep = keep && any([&](const std::string& v) {
                 return lower(v) == lower(text_of(s, "StepStatus"));
               });
      } else if (f.key == "StartTimeBefore") {
        keep = keep && any([&](const std::string& v) { return start < filter_time(v); });
      } else if (f.key == "StartTimeAfter") {
        keep = keep && any([&](const std::string& v) { return start > filter_time(v); });
      } else {
        keep = false;  // Parent* filters: no loops, so no step has a parent
      }
    }
    if (keep) {
      all.push_back(step_wire(s));
    }
  }
  if (reverse) {
    std::reverse(all.begin(), all.end());
  }
  std::vector<json::Value> items;
  for (size_t i = offset; i < all.size() && items.size() < max_results; ++i) {
    items.push_back(all[i]);
  }
  json::Value out = json::Value::object({{"StepExecutions", json::Value::array(items)}});
  if (offset + items.size() < all.size()) {
    out.set("NextToken", json::Value("o" + std::to_string(offset + items.size())));
  }
  return out;
}

}  // namespace signoff::automation
