// The agents API: agents as store documents, and the evaluation jobs an approval creates.
#include <cstdio>

#include "agents/impl.h"

namespace signoff::agents {

std::string text_of(const json::Value& v, std::string_view key) {
  const json::Value* m = v.is_object() ? v.find(key) : nullptr;
  return m && m->is_string() ? std::string(m->as_string()) : std::string();
}

int64_t int_of(const json::Value& v, std::string_view key, int64_t fallback) {
  const json::Value* m = v.is_object() ? v.find(key) : nullptr;
  return m && m->is_int() ? m->as_int() : fallback;
}

double number_of(const json::Value& v, std::string_view key, double fallback) {
  const json::Value* m = v.is_object() ? v.find(key) : nullptr;
  return m && m->is_number() ? m->as_double() : fallback;
}

std::string role_name_of(std::string_view role_arn) {
  size_t slash = role_arn.rfind('/');
  return std::string(slash == std::string_view::npos ? role_arn : role_arn.substr(slash + 1));
}

json::Value epoch_seconds(int64_t ms) {
  return json::Value(static_cast<double>(ms) / 1000.0);
}

namespace {

Error not_found(const std::string& name) {
  return make_error("ResourceNotFoundException", "Agent " + name + " does not exist.");
}

std::optional<store::DocumentRecord> load(store::Store& s, const std::string& name) {
  return s.get_document(kAgentKind, name);
}

Result<Unit> put(store::Store& s, const std::string& name, const json::Value& doc, int64_t expected,
                 int64_t now_ms) {
  store::DocumentBatch b;
  store::DocumentWrite w;
  w.doc.kind = kAgentKind;
  w.doc.key = name;
  w.doc.json = json::dump(doc);
  w.doc.created_ms = now_ms;
  w.doc.updated_ms = now_ms;
  w.expected_version = expected;
  b.writes.push_back(std::move(w));
  store::WriteStatus st = s.apply_documents(b);
  if (st == store::WriteStatus::AlreadyExists) {
    return make_error("ResourceAlreadyExistsException", "Agent " + name + " already exists.");
  }
  if (st != store::WriteStatus::Ok) {
    return make_error("ConflictException", "Agent " + name + " changed concurrently; try again.");
  }
  return Unit{};
}

}  // namespace

AgentsService::AgentsService(store::Store& store, const Clock& clock, Ports ports,
                             AgentsOptions options)
    : impl_(std::make_unique<Impl>(store, clock, ports, std::move(options))) {}

AgentsService::~AgentsService() {
  stop();
}

std::string AgentsService::agent_arn(const std::string& name) const {
  return "arn:aws:signoff:" + impl_->opts.region + ":" + impl_->opts.account + ":agent/" + name;
}

Result<json::Value> AgentsService::create_agent(const json::Value& request) {
  Impl& m = *impl_;
  std::string name = text_of(request, "AgentName");
  std::string secret;
  auto doc =
      build_agent(request, nullptr, m.ports.secrets, m.clock.now_ms(), agent_arn(name), &secret);
  if (!doc.ok()) {
    return doc.error();
  }
  std::lock_guard<std::mutex> g(m.agents_mu);
  auto r = put(m.store, name, *doc, store::kMustNotExist, m.clock.now_ms());
  if (!r.ok()) {
    return r.error();
  }
  json::Value out = json::Value::object({{"Agent", render_agent(*doc)}});
  if (!secret.empty()) {
    // Shown once: it is sealed in the store from now on.
    out.set("WebhookSecret", json::Value(secret));
  }
  return out;
}

Result<json::Value> AgentsService::update_agent(const json::Value& request) {
  Impl& m = *impl_;
  std::string name = text_of(request, "AgentName");
  std::lock_guard<std::mutex> g(m.agents_mu);
  auto rec = load(m.store, name);
  if (!rec) {
    return not_found(name);
  }
  json::Value old = json::parse(rec->json).value;
  std::string secret;
  auto doc =
      build_agent(request, &old, m.ports.secrets, m.clock.now_ms(), agent_arn(name), &secret);
  if (!doc.ok()) {
    return doc.error();
  }
  auto r = put(m.store, name, *doc, rec->version, m.clock.now_ms());
  if (!r.ok()) {
    return r.error();
  }
  return json::Value::object({{"Agent", render_agent(*doc)}});
}

Result<json::Value> AgentsService::describe_agent(const std::string& name) {
  auto rec = load(impl_->store, name);
  if (!rec) {
    return not_found(name);
  }
  return json::Value::object({{"Agent", render_agent(json::parse(rec->json).value)}});
}

Result<json::Value> AgentsService::list_agents(const std::string& next_token, size_t max) {
  auto page = impl_->store.list_documents(kAgentKind, "", next_token, max);
  std::vector<json::Value> items;
  for (const store::DocumentRecord& d : page.items) {
    items.push_back(render_agent(json::parse(d.json).value));
  }
  json::Value out = json::Value::object({{"Agents", json::Value::array(std::move(items))}});
  if (!page.next_key.empty()) {
    out.set("NextToken", json::Value(page.next_key));
  }
  return out;
}

Result<Unit> AgentsService::delete_agent(const std::string& name) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> g(m.agents_mu);
  auto rec = load(m.store, name);
  if (!rec) {
    return not_found(name);
  }
  store::DocumentBatch b;
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = kAgentKind;
  w.doc.key = name;
  w.expected_version = rec->version;
  b.writes.push_back(std::move(w));
  if (m.store.apply_documents(b) != store::WriteStatus::Ok) {
    return make_error("ConflictException", "Agent " + name + " changed concurrently; try again.");
  }
  return Unit{};
}

Result<json::Value> AgentsService::set_suspended(const std::string& name, bool suspended) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> g(m.agents_mu);
  auto rec = load(m.store, name);
  if (!rec) {
    return not_found(name);
  }
  json::Value doc = json::parse(rec->json).value;
  doc.set("State", json::Value(suspended ? "Suspended" : "Active"));
  doc.set("LastModifiedMs", json::Value(m.clock.now_ms()));
  auto r = put(m.store, name, doc, rec->version, m.clock.now_ms());
  if (!r.ok()) {
    return r.error();
  }
  return json::Value::object({{"Agent", render_agent(doc)}});
}

Result<json::Value> AgentsService::list_decisions(const std::string& agent,
                                                  const std::string& execution_id,
                                                  const std::string& next_token, size_t max) {
  Impl& m = *impl_;
  std::vector<json::Value> items;
  std::string next;
  if (!execution_id.empty()) {
    auto page = m.store.list_documents(kDecisionKind, execution_id + "/", next_token, max);
    for (const store::DocumentRecord& d : page.items) {
      json::Value v = json::parse(d.json).value;
      if (agent.empty() || text_of(v, "AgentName") == agent) {
        items.push_back(v);
      }
    }
    next = page.next_key;
  } else if (!agent.empty()) {
    for (const store::DocumentRecord& d : m.store.documents_by_index(kDecisionKind, agent)) {
      items.push_back(json::parse(d.json).value);
    }
  } else {
    auto page = m.store.list_documents(kDecisionKind, "", next_token, max);
    for (const store::DocumentRecord& d : page.items) {
      items.push_back(json::parse(d.json).value);
    }
    next = page.next_key;
  }
  json::Value out = json::Value::object({{"Decisions", json::Value::array(std::move(items))}});
  if (!next.empty()) {
    out.set("NextToken", json::Value(next));
  }
  return out;
}

Result<Unit> AgentsService::approval_waiting(const ApprovalRequest& a) {
  Impl& m = *impl_;
  // Agents are few; each approver entry is compared with each agent's role (ARN or name).
  auto page = m.store.list_documents(kAgentKind, "", "", 1000);
  json::Value request = json::Value::object({
      {"AutomationExecutionId", json::Value(a.execution_id)},
      {"StepExecutionId", json::Value(a.step_execution_id)},
      {"StepName", json::Value(a.step_name)},
      {"DocumentName", json::Value(a.document_name)},
      {"ExecutedBy", json::Value(a.executed_by)},
      {"Message", json::Value(a.message)},
      {"MinRequiredApprovals", json::Value(a.min_required)},
  });
  std::vector<json::Value> approvers;
  for (const std::string& s : a.approvers) {
    approvers.emplace_back(s);
  }
  request.set("Approvers", json::Value::array(std::move(approvers)));
  request.set("Parameters", a.parameters.is_null() ? json::Value::object() : a.parameters);
  json::Value tags = json::Value::object();
  for (const auto& [k, v] : a.signoff_tags) {
    tags.set(k, json::Value(v));
  }
  request.set("SignoffTags", tags);
  bool any = false;
  for (const store::DocumentRecord& d : page.items) {
    json::Value agent = json::parse(d.json).value;
    std::string role = text_of(agent, "RoleArn");
    bool listed = false;
    for (const std::string& entry : a.approvers) {
      listed = listed || entry == role || entry == role_name_of(role);
    }
    if (!listed) {
      continue;
    }
    std::string id = "agents:" + a.execution_id + ":" + a.step_execution_id + ":" + d.key;
    std::string decision_key = a.execution_id + "/" + a.step_execution_id + "/" + d.key;
    if (m.store.get_job(id) || m.store.get_document(kDecisionKind, decision_key)) {
      continue;  // told twice (the automation's job is at least once)
    }
    store::JobRecord job;
    job.id = id;
    job.kind = kJobKind;
    job.owner = a.execution_id;
    job.due_ms = 0;
    job.payload = json::dump(json::Value::object({{"Agent", json::Value(d.key)},
                                                  {"DecisionKey", json::Value(decision_key)},
                                                  {"Approval", request}}));
    m.store.put_job(job);
    any = true;
  }
  if (any) {
    m.kick();
  }
  return Unit{};
}

}  // namespace signoff::agents
