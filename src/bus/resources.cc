// Event buses, rules, targets and permissions: validated, committed as documents (with the
// schedule jobs of scheduled rules in the same batch), then mirrored into the cache and matchers.
#include <algorithm>
#include <cstdlib>

#include "bus/input_transform.h"
#include "bus/schedule.h"
#include "bus/service_impl.h"

namespace signoff::bus {

namespace {

json::Value epoch_s(int64_t ms) {
  return json::Value(static_cast<double>(ms) / 1000.0);
}

std::string rule_key(const std::string& bus, const std::string& rule) {
  return bus + "/" + rule;
}

std::string schedule_job_id(const std::string& rule_arn) {
  return std::string(kScheduleJob) + "/" + rule_arn;
}

json::Value without(json::Value v, std::string_view key) {
  v.erase(key);
  return v;
}

Error validation(std::string message) {
  return make_error("ValidationException", std::move(message));
}

template <typename F>
void each_document(store::Store& s, const char* kind, F f) {
  std::string after;
  for (;;) {
    auto page = s.list_documents(kind, "", after, 500);
    for (const store::DocumentRecord& d : page.items) {
      f(d);
    }
    if (page.next_key.empty()) {
      return;
    }
    after = page.next_key;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Cache

BusState* EventsService::Impl::find_bus(const std::string& name) {
  auto it = buses.find(name);
  return it == buses.end() ? nullptr : it->second.get();
}

void EventsService::Impl::index_rule(BusState& b, const std::string& name, json::Value doc) {
  RuleEntry& e = b.rules[name];
  if (e.id == 0) {
    e.id = next_rule_id++;
    b.rule_of_id[e.id] = name;
  }
  e.doc = std::move(doc);
  const json::Value* pattern = e.doc.find("EventPattern");
  if (sget(e.doc, "State") == "ENABLED" && pattern != nullptr && pattern->is_string()) {
    b.matcher.add_rule(e.id, pattern->as_string());
  } else {
    b.matcher.remove_rule(e.id);
  }
}

void EventsService::Impl::unindex_rule(BusState& b, const std::string& name) {
  auto it = b.rules.find(name);
  if (it == b.rules.end()) {
    return;
  }
  b.matcher.remove_rule(it->second.id);
  b.rule_of_id.erase(it->second.id);
  b.rules.erase(it);
}

void EventsService::Impl::load() {
  std::unique_lock lock(state_mu);
  buses.clear();
  each_document(store, kBusKind, [&](const store::DocumentRecord& d) {
    auto parsed = json::parse(d.json);
    if (!parsed.ok()) {
      return;
    }
    auto b = std::make_unique<BusState>();
    b->name = d.key;
    b->doc = parsed.value;
    buses[d.key] = std::move(b);
  });
  if (!buses.count("default")) {
    int64_t now = clock.now_ms();
    json::Value doc = json::Value::object({{"Name", json::Value("default")},
                                           {"Arn", json::Value(bus_arn("default"))},
                                           {"CreationTime", epoch_s(now)},
                                           {"LastModifiedTime", epoch_s(now)}});
    store::DocumentBatch batch;
    batch.writes.push_back(
        {store::DocumentWrite::Op::Put,
         store::DocumentRecord{kBusKind, "default", json::dump(doc), "", 0, now, now},
         store::kMustNotExist});
    store.apply_documents(batch);  // AlreadyExists: a concurrent first start made it
    auto b = std::make_unique<BusState>();
    b->name = "default";
    b->doc = doc;
    buses["default"] = std::move(b);
  }
  // Rules go into each matcher in bulk: one rebuild per bus instead of one per rule.
  std::map<std::string, std::vector<std::pair<patterns::RuleId, std::string>>> patterns_of;
  each_document(store, kRuleKind, [&](const store::DocumentRecord& d) {
    auto parsed = json::parse(d.json);
    if (!parsed.ok()) {
      return;
    }
    std::string bus = sget(parsed.value, "EventBusName");
    BusState* b = find_bus(bus);
    if (b == nullptr) {
      return;
    }
    std::string name = sget(parsed.value, "Name");
    RuleEntry& e = b->rules[name];
    e.id = next_rule_id++;
    e.doc = parsed.value;
    b->rule_of_id[e.id] = name;
    if (sget(e.doc, "State") == "ENABLED" && e.doc.find("EventPattern") != nullptr) {
      patterns_of[bus].emplace_back(e.id, sget(e.doc, "EventPattern"));
    }
  });
  for (auto& [bus, list] : patterns_of) {
    std::vector<std::pair<patterns::RuleId, std::string_view>> views;
    for (const auto& [id, text] : list) {
      views.emplace_back(id, text);
    }
    buses[bus]->matcher.add_rules(views);
  }
}

store::JobRecord EventsService::Impl::schedule_job(const json::Value& rule, int64_t now_ms,
                                                   int64_t anchor_ms) {
  store::JobRecord job;
  std::string arn = sget(rule, "Arn");
  job.id = schedule_job_id(arn);
  job.kind = kScheduleJob;
  job.owner = arn;
  auto s = parse_schedule(sget(rule, "ScheduleExpression"));
  job.due_ms = s ? next_fire(*s, now_ms, anchor_ms).value_or(INT64_MAX) : INT64_MAX;
  job.payload = json::dump(json::Value::object({{"bus", json::Value(sget(rule, "EventBusName"))},
                                                {"rule", json::Value(sget(rule, "Name"))},
                                                {"anchor_ms", json::Value(anchor_ms)}}));
  return job;
}

// ---------------------------------------------------------------------------------------------
// Event buses

Result<json::Value> EventsService::create_event_bus(const std::string& name,
                                                    const std::string& description) {
  Impl& m = *impl_;
  if (name.find('/') != std::string::npos) {
    return validation("Event bus name must not contain '/'.");
  }
  std::lock_guard w(m.write_mu);
  int64_t now = m.clock.now_ms();
  json::Value doc = json::Value::object({{"Name", json::Value(name)},
                                         {"Arn", json::Value(m.bus_arn(name))},
                                         {"CreationTime", epoch_s(now)},
                                         {"LastModifiedTime", epoch_s(now)}});
  if (!description.empty()) {
    doc.set("Description", json::Value(description));
  }
  store::DocumentBatch batch;
  batch.writes.push_back({store::DocumentWrite::Op::Put,
                          store::DocumentRecord{kBusKind, name, json::dump(doc), "", 0, now, now},
                          store::kMustNotExist});
  if (m.store.apply_documents(batch) == store::WriteStatus::AlreadyExists) {
    return make_error("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
  }
  {
    std::unique_lock lock(m.state_mu);
    auto b = std::make_unique<BusState>();
    b->name = name;
    b->doc = doc;
    m.buses[name] = std::move(b);
  }
  json::Value out = json::Value::object({{"EventBusArn", json::Value(m.bus_arn(name))}});
  if (!description.empty()) {
    out.set("Description", json::Value(description));
  }
  return out;
}

Result<json::Value> EventsService::describe_event_bus(const std::string& name_or_arn) {
  Impl& m = *impl_;
  std::string name = bus_name_of(name_or_arn);
  std::shared_lock lock(m.state_mu);
  BusState* b = m.find_bus(name);
  if (b == nullptr) {
    return bus_not_found(name);
  }
  return b->doc;
}

Result<Listed> EventsService::list_event_buses(const ListRequest& r) {
  Impl& m = *impl_;
  auto after = unwrap_token(r.token);
  if (!after) {
    return bad_token();
  }
  auto page = m.store.list_documents(kBusKind, r.prefix, *after, r.limit);
  Listed out;
  for (const store::DocumentRecord& d : page.items) {
    auto p = json::parse(d.json);
    if (p.ok()) {
      out.items.push_back(p.value);
    }
  }
  out.next_token = wrap_token(page.next_key);
  return out;
}

Result<Unit> EventsService::delete_event_bus(const std::string& name) {
  Impl& m = *impl_;
  if (name == "default") {
    return validation("Cannot delete event bus default.");
  }
  std::lock_guard w(m.write_mu);
  store::DocumentBatch batch;
  batch.writes.push_back({store::DocumentWrite::Op::Delete,
                          store::DocumentRecord{kBusKind, name, "", "", 0, 0, 0},
                          store::kAnyVersion});
  {
    std::shared_lock lock(m.state_mu);
    BusState* b = m.find_bus(name);
    if (b == nullptr) {
      return Unit{};
    }
    for (const auto& [rule, entry] : b->rules) {
      batch.writes.push_back(
          {store::DocumentWrite::Op::Delete,
           store::DocumentRecord{kRuleKind, rule_key(name, rule), "", "", 0, 0, 0},
           store::kAnyVersion});
    }
  }
  m.store.apply_documents(batch);
  std::unique_lock lock(m.state_mu);
  m.buses.erase(name);
  return Unit{};
}

namespace {

Result<Unit> write_bus_doc(EventsService::Impl& m, BusState& b, json::Value doc) {
  int64_t now = m.clock.now_ms();
  doc.set("LastModifiedTime", epoch_s(now));
  store::DocumentBatch batch;
  batch.writes.push_back({store::DocumentWrite::Op::Put,
                          store::DocumentRecord{kBusKind, b.name, json::dump(doc), "", 0, now, now},
                          store::kAnyVersion});
  m.store.apply_documents(batch);
  std::unique_lock lock(m.state_mu);
  b.doc = std::move(doc);
  return Unit{};
}

}  // namespace

Result<Unit> EventsService::put_permission(const std::string& bus,
                                           const json::Value& statement_or_policy,
                                           bool whole_policy) {
  Impl& m = *impl_;
  std::string name = bus_name_of(bus);
  std::lock_guard w(m.write_mu);
  BusState* b = nullptr;
  json::Value doc;
  {
    std::shared_lock lock(m.state_mu);
    b = m.find_bus(name);
    if (b == nullptr) {
      return bus_not_found(name);
    }
    doc = b->doc;
  }
  json::Value policy;
  if (whole_policy) {
    policy = statement_or_policy;
  } else {
    auto existing = json::parse(sget(doc, "Policy"));
    policy = existing.ok() && existing.value.is_object()
                 ? existing.value
                 : json::Value::object({{"Version", json::Value("2012-10-17")},
                                        {"Statement", json::Value::array()}});
    json::Value statement = statement_or_policy;
    statement.set("Resource", json::Value(m.bus_arn(name)));
    std::vector<json::Value> statements;
    if (const json::Value* list = policy.find("Statement"); list && list->is_array()) {
      for (const json::Value& s : list->as_array()) {
        if (sget(s, "Sid") != sget(statement, "Sid")) {
          statements.push_back(s);
        }
      }
    }
    statements.push_back(statement);
    policy.set("Statement", json::Value::array(std::move(statements)));
  }
  doc.set("Policy", json::Value(json::dump(policy)));
  return write_bus_doc(m, *b, std::move(doc));
}

Result<Unit> EventsService::remove_permission(const std::string& bus,
                                              const std::string& statement_id, bool remove_all) {
  Impl& m = *impl_;
  std::string name = bus_name_of(bus);
  std::lock_guard w(m.write_mu);
  BusState* b = nullptr;
  json::Value doc;
  {
    std::shared_lock lock(m.state_mu);
    b = m.find_bus(name);
    if (b == nullptr) {
      return bus_not_found(name);
    }
    doc = b->doc;
  }
  if (remove_all) {
    doc.erase("Policy");
    return write_bus_doc(m, *b, std::move(doc));
  }
  auto policy = json::parse(sget(doc, "Policy"));
  const json::Value* list = policy.ok() ? policy.value.find("Statement") : nullptr;
  std::vector<json::Value> kept;
  bool found = false;
  if (list != nullptr && list->is_array()) {
    for (const json::Value& s : list->as_array()) {
      if (sget(s, "Sid") == statement_id) {
        found = true;
      } else {
        kept.push_back(s);
      }
    }
  }
  if (!found) {
    return make_error("ResourceNotFoundException",
                      "Statement with the provided id does not exist.");
  }
  if (kept.empty()) {
    doc.erase("Policy");
  } else {
    json::Value p = policy.value;
    p.set("Statement", json::Value::array(std::move(kept)));
    doc.set("Policy", json::Value(json::dump(p)));
  }
  return write_bus_doc(m, *b, std::move(doc));
}

// ---------------------------------------------------------------------------------------------
// Rules

namespace {

// Commits a rule document (and its schedule job, or the job's removal), then updates the cache.
// Called under write_mu.
void commit_rule(EventsService::Impl& m, const std::string& bus, json::Value doc,
                 bool keep_schedule_job, int64_t anchor_ms) {
  int64_t now = m.clock.now_ms();
  std::string name = sget(doc, "Name");
  store::DocumentBatch batch;
  batch.writes.push_back(
      {store::DocumentWrite::Op::Put,
       store::DocumentRecord{kRuleKind, rule_key(bus, name), json::dump(doc), bus, 0, now, now},
       store::kAnyVersion});
  std::string job_id = schedule_job_id(sget(doc, "Arn"));
  bool scheduled = doc.find("ScheduleExpression") != nullptr && sget(doc, "State") == "ENABLED";
  if (scheduled && !keep_schedule_job) {
    batch.jobs_to_put.push_back(m.schedule_job(doc, now, anchor_ms));
  } else if (!scheduled) {
    batch.jobs_to_delete.push_back(job_id);
  }
  m.store.apply_documents(batch);
  {
    std::unique_lock lock(m.state_mu);
    if (BusState* b = m.find_bus(bus)) {
      m.index_rule(*b, name, std::move(doc));
    }
  }
  if (scheduled) {
    m.notify();
  }
}

// The rule's document from the cache, or an error. Called under write_mu.
Result<json::Value> current_rule(EventsService::Impl& m, const std::string& bus,
                                 const std::string& rule) {
  std::shared_lock lock(m.state_mu);
  BusState* b = m.find_bus(bus);
  if (b == nullptr) {
    return bus_not_found(bus);
  }
  auto it = b->rules.find(rule);
  if (it == b->rules.end()) {
    return rule_not_found(rule, bus);
  }
  return it->second.doc;
}

}  // namespace

Result<std::string> EventsService::put_rule(const PutRuleRequest& r) {
  Impl& m = *impl_;
  std::string bus = bus_name_of(r.bus);
  if (!r.event_pattern && !r.schedule_expression) {
    return validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  }
  if (r.event_pattern) {
    auto st = patterns::check_pattern(*r.event_pattern);
    if (!st.ok()) {
      return make_error("InvalidEventPatternException", st.message);
    }
  }
  if (r.schedule_expression) {
    if (!parse_schedule(*r.schedule_expression)) {
      return validation("Parameter ScheduleExpression is not valid.");
    }
    if (bus != "default") {
      return validation("ScheduleExpression is supported only on the default event bus.");
    }
  }
  std::lock_guard w(m.write_mu);
  json::Value existing;
  {
    std::shared_lock lock(m.state_mu);
    BusState* b = m.find_bus(bus);
    if (b == nullptr) {
      return bus_not_found(bus);
    }
    if (auto it = b->rules.find(r.name); it != b->rules.end()) {
      existing = it->second.doc;
    }
  }
  std::string arn = m.rule_arn(bus, r.name);
  std::vector<json::Member> f;
  f.push_back({"Name", json::Value(r.name)});
  f.push_back({"Arn", json::Value(arn)});
  if (r.event_pattern) {
    f.push_back({"EventPattern", json::Value(*r.event_pattern)});
  }
  if (r.schedule_expression) {
    f.push_back({"ScheduleExpression", json::Value(*r.schedule_expression)});
  }
  f.push_back({"State", json::Value(r.state.value_or("ENABLED"))});
  if (r.description) {
    f.push_back({"Description", json::Value(*r.description)});
  }
  if (r.role_arn) {
    f.push_back({"RoleArn", json::Value(*r.role_arn)});
  }
  f.push_back({"EventBusName", json::Value(bus)});
  f.push_back({"CreatedBy", json::Value(m.opts.account)});
  const json::Value* targets = existing.find("Targets");
  f.push_back({"Targets", targets != nullptr ? *targets : json::Value::array()});
  json::Value doc = json::Value::object(std::move(f));
  // Re-putting a rule with the same schedule keeps its phase and its pending firing.
  bool same_schedule = existing.is_object() &&
                       sget(existing, "ScheduleExpression") == sget(doc, "ScheduleExpression") &&
                       sget(existing, "State") == sget(doc, "State");
  commit_rule(m, bus, std::move(doc), same_schedule, m.clock.now_ms());
  return arn;
}

Result<json::Value> EventsService::describe_rule(const std::string& name, const std::string& bus) {
  Impl& m = *impl_;
  auto doc = current_rule(m, bus_name_of(bus), name);
  if (!doc.ok()) {
    return doc.error();
  }
  return without(*doc, "Targets");
}

Result<Listed> EventsService::list_rules(const ListRequest& r) {
  Impl& m = *impl_;
  std::string bus = bus_name_of(r.bus);
  {
    std::shared_lock lock(m.state_mu);
    if (m.find_bus(bus) == nullptr) {
      return bus_not_found(bus);
    }
  }
  auto after = unwrap_token(r.token);
  if (!after) {
    return bad_token();
  }
  auto page = m.store.list_documents(kRuleKind, rule_key(bus, r.prefix), *after, r.limit);
  Listed out;
  for (const store::DocumentRecord& d : page.items) {
    auto p = json::parse(d.json);
    if (p.ok()) {
      out.items.push_back(without(p.value, "Targets"));
    }
  }
  out.next_token = wrap_token(page.next_key);
  return out;
}

Result<Unit> EventsService::set_rule_state(const std::string& name, const std::string& bus_in,
                                           bool enabled) {
  Impl& m = *impl_;
  std::string bus = bus_name_of(bus_in);
  std::lock_guard w(m.write_mu);
  auto doc = current_rule(m, bus, name);
  if (!doc.ok()) {
    return doc.error();
  }
  std::string want = enabled ? "ENABLED" : "DISABLED";
  if (sget(*doc, "State") == want) {
    return Unit{};
  }
  doc->set("State", json::Value(want));
  commit_rule(m, bus, std::move(*doc), false, m.clock.now_ms());
  return Unit{};
}

Result<Unit> EventsService::delete_rule(const std::string& name, const std::string& bus_in,
                                        bool force) {
  Impl& m = *impl_;
  std::string bus = bus_name_of(bus_in);
  std::lock_guard w(m.write_mu);
  auto doc = current_rule(m, bus, name);
  if (!doc.ok()) {
    // As AWS: deleting a rule that is not there succeeds (but the bus must exist).
    return doc.error().message.rfind("Event bus", 0) == 0 ? Result<Unit>(doc.error())
                                                          : Result<Unit>(Unit{});
  }
  const json::Value* targets = doc->find("Targets");
  if (!force && targets != nullptr && targets->size() > 0) {
    return validation("Rule can't be deleted since it has targets.");
  }
  store::DocumentBatch batch;
  batch.writes.push_back({store::DocumentWrite::Op::Delete,
                          store::DocumentRecord{kRuleKind, rule_key(bus, name), "", "", 0, 0, 0},
                          store::kAnyVersion});
  batch.jobs_to_delete.push_back(schedule_job_id(sget(*doc, "Arn")));
  m.store.apply_documents(batch);
  std::unique_lock lock(m.state_mu);
  if (BusState* b = m.find_bus(bus)) {
    m.unindex_rule(*b, name);
  }
  return Unit{};
}

Result<Listed> EventsService::list_rule_names_by_target(const std::string& target_arn,
                                                        const ListRequest& r) {
  Impl& m = *impl_;
  std::string bus = bus_name_of(r.bus);
  std::vector<std::string> names;
  {
    std::shared_lock lock(m.state_mu);
    BusState* b = m.find_bus(bus);
    if (b == nullptr) {
      return bus_not_found(bus);
    }
    for (const auto& [name, e] : b->rules) {
      const json::Value* targets = e.doc.find("Targets");
      if (targets == nullptr) {
        continue;
      }
      for (const json::Value& t : targets->as_array()) {
        if (sget(t, "Arn") == target_arn) {
          names.push_back(name);
          break;
        }
      }
    }
  }
  auto after = unwrap_token(r.token);
  if (!after) {
    return bad_token();
  }
  Listed out;
  for (const std::string& n : names) {
    if (!after->empty() && n <= *after) {
      continue;
    }
    if (out.items.size() == r.limit) {
      out.next_token = wrap_token(std::string(out.items.back().as_string()));
      break;
    }
    out.items.push_back(json::Value(n));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Targets

namespace {

// Semantic checks of one Target (the API edge checked the shape); "" when valid.
std::string check_target(const json::Value& t) {
  std::string id = sget(t, "Id");
  int inputs = (t.find("Input") != nullptr) + (t.find("InputPath") != nullptr) +
               (t.find("InputTransformer") != nullptr);
  if (inputs > 1) {
    return "Only one of Input, InputPath, or InputTransformer must be provided for target " + id +
           ".";
  }
  if (const json::Value* input = t.find("Input")) {
    if (!json::parse(input->as_string()).ok()) {
      return "Input for target " + id + " must be a valid JSON text.";
    }
  }
  if (const json::Value* path = t.find("InputPath")) {
    std::string e = check_input_path(std::string(path->as_string()));
    if (!e.empty()) {
      return e + " for target " + id + ".";
    }
  }
  if (const json::Value* tr = t.find("InputTransformer")) {
    InputTransformer x;
    x.input_template = sget(*tr, "InputTemplate");
    if (const json::Value* paths = tr->find("InputPathsMap")) {
      for (const json::Member& p : paths->as_object()) {
        x.paths.emplace_back(p.key, p.value.is_string() ? std::string(p.value.as_string()) : "");
      }
    }
    std::string e = check_input_transformer(x);
    if (!e.empty()) {
      return e;
    }
  }
  std::string arn = sget(t, "Arn");
  if (arn.rfind("arn:", 0) != 0) {
    return "Parameter " + arn + " is not valid. Reason: Provided Arn is not in correct format.";
  }
  return "";
}

}  // namespace

Result<std::vector<EntryFailure>> EventsService::put_targets(
    const std::string& rule, const std::string& bus_in, const std::vector<json::Value>& targets) {
  Impl& m = *impl_;
  std::string bus = bus_name_of(bus_in);
  for (const json::Value& t : targets) {
    std::string e = check_target(t);
    if (!e.empty()) {
      return validation(e);
    }
  }
  std::lock_guard w(m.write_mu);
  auto doc = current_rule(m, bus, rule);
  if (!doc.ok()) {
    return doc.error();
  }
  std::vector<json::Value> merged;
  if (const json::Value* existing = doc->find("Targets")) {
    auto items = existing->as_array();
    merged.assign(items.begin(), items.end());
  }
  for (const json::Value& t : targets) {
    std::string id = sget(t, "Id");
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const json::Value& x) { return sget(x, "Id") == id; });
    if (it != merged.end()) {
      *it = t;
    } else {
      merged.push_back(t);
    }
  }
  if (merged.size() > kMaxTargetsPerRule) {
    return make_error("LimitExceededException",
                      "The requested resource exceeds the maximum number allowed.");
  }
  doc->set("Targets", json::Value::array(std::move(merged)));
  commit_rule(m, bus, std::move(*doc), true, 0);
  return std::vector<EntryFailure>{};
}

Result<std::vector<EntryFailure>> EventsService::remove_targets(
    const std::string& rule, const std::string& bus_in, const std::vector<std::string>& ids) {
  Impl& m = *impl_;
  std::string bus = bus_name_of(bus_in);
  std::lock_guard w(m.write_mu);
  auto doc = current_rule(m, bus, rule);
  if (!doc.ok()) {
    return doc.error();
  }
  std::vector<json::Value> kept;
  if (const json::Value* existing = doc->find("Targets")) {
    for (const json::Value& t : existing->as_array()) {
      if (std::find(ids.begin(), ids.end(), sget(t, "Id")) == ids.end()) {
        kept.push_back(t);
      }
    }
  }
  doc->set("Targets", json::Value::array(std::move(kept)));
  commit_rule(m, bus, std::move(*doc), true, 0);
  return std::vector<EntryFailure>{};
}

Result<Listed> EventsService::list_targets_by_rule(const std::string& rule, const ListRequest& r) {
  Impl& m = *impl_;
  auto doc = current_rule(m, bus_name_of(r.bus), rule);
  if (!doc.ok()) {
    return doc.error();
  }
  auto after = unwrap_token(r.token);
  if (!after) {
    return bad_token();
  }
  size_t start = after->empty() ? 0 : static_cast<size_t>(std::atoll(after->c_str()));
  Listed out;
  const json::Value* targets = doc->find("Targets");
  size_t n = targets != nullptr ? targets->size() : 0;
  for (size_t i = start; i < n; ++i) {
    if (out.items.size() == r.limit) {
      out.next_token = wrap_token(std::to_string(i));
      break;
    }
    out.items.push_back(*targets->at(i));
  }
  return out;
}

}  // namespace signoff::bus
