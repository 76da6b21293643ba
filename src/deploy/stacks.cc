// Stack operations as the API sees them: checks, the stack document, and handing the work to
// an operation thread. Reads are plain document lookups.
#include <algorithm>
#include <ctime>
#include <random>

#include "deploy/service_impl.h"

namespace signoff::deploy {

namespace {

bool valid_stack_name(const std::string& n) {
  if (n.empty() || n.size() > 128 || !std::isalpha(static_cast<unsigned char>(n[0]))) {
    return false;
  }
  for (char c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

Error validation(std::string m) {
  return make_error("ValidationError", std::move(m));
}

bool in_progress(const std::string& status) {
  return status.size() > 12 && status.compare(status.size() - 12, 12, "_IN_PROGRESS") == 0 &&
         status != "REVIEW_IN_PROGRESS";
}

json::Value tags_json(const std::vector<std::pair<std::string, std::string>>& tags) {
  std::vector<json::Value> out;
  for (const auto& [k, v] : tags) {
    out.push_back(json::Value::object({{"Key", json::Value(k)}, {"Value", json::Value(v)}}));
  }
  return json::Value::array(std::move(out));
}

json::Value strings_json(const std::vector<std::string>& v) {
  std::vector<json::Value> out;
  for (const std::string& s : v) {
    out.push_back(json::Value(s));
  }
  return json::Value::array(std::move(out));
}

}  // namespace

std::string StackDoc::id() const {
  const json::Value* v = doc.find("StackId");
  return v ? std::string(v->as_string()) : "";
}
std::string StackDoc::status() const {
  const json::Value* v = doc.find("StackStatus");
  return v ? std::string(v->as_string()) : "";
}

std::string iso_time(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string random_id() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) {
      s += '-';
    }
    s += hex[rng() % 16];
  }
  return s;
}

json::Value parameters_json(const tmpl::ParameterValues& values) {
  std::vector<json::Value> out;
  for (const auto& [k, v] : values) {
    out.push_back(json::Value::object(
        {{"ParameterKey", json::Value(k)}, {"ParameterValue", json::Value(v)}}));
  }
  return json::Value::array(std::move(out));
}

tmpl::ParameterValues parameters_from(const json::Value& list) {
  tmpl::ParameterValues out;
  for (const json::Value& p : list.as_array()) {
    out[std::string(p.find("ParameterKey")->as_string())] =
        std::string(p.find("ParameterValue")->as_string());
  }
  return out;
}

std::optional<StackDoc> Service::Impl::find_stack(const std::string& region,
                                                  const std::string& name_or_id) {
  if (name_or_id.rfind("arn:", 0) == 0) {
    auto d = store.get_document(kStackKind, name_or_id);
    if (!d) {
      return std::nullopt;
    }
    return StackDoc{json::parse(d->json).value, d->version};
  }
  for (const store::DocumentRecord& d :
       store.documents_by_index(kStackKind, region + "/" + name_or_id)) {
    json::Value v = json::parse(d.json).value;
    if (v.find("StackStatus")->as_string() != "DELETE_COMPLETE") {
      return StackDoc{v, d.version};
    }
  }
  return std::nullopt;
}

Error Service::Impl::no_stack(const std::string& name_or_id) const {
  return validation("Stack with id " + name_or_id + " does not exist");
}

std::vector<json::Value> Service::Impl::resources_of(const std::string& stack_id) {
  std::vector<json::Value> out;
  std::string after;
  while (true) {
    auto page = store.list_documents(kResourceKind, stack_id + "|", after, 500);
    for (const store::DocumentRecord& d : page.items) {
      out.push_back(json::parse(d.json).value);
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  return out;
}

std::string Service::Impl::new_event_key(const std::string& stack_id) {
  // Microseconds, bumped past the last one: ordered across threads and restarts.
  int64_t now = clock.now_ms() * 1000;
  int64_t prev = last_event_seq.load();
  int64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last_event_seq.compare_exchange_weak(prev, next));
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(next));
  return stack_id + "|" + buf;
}

store::DocumentWrite Service::Impl::put(const char* kind, const std::string& key,
                                        const json::Value& doc, const std::string& index) {
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Put;
  w.doc.kind = kind;
  w.doc.key = key;
  w.doc.json = json::dump(doc);
  w.doc.index = index;
  w.doc.created_ms = clock.now_ms();
  w.doc.updated_ms = w.doc.created_ms;
  w.expected_version = store::kAnyVersion;
  return w;
}

void Service::Impl::commit(std::vector<store::DocumentWrite> writes) {
  store::DocumentBatch batch;
  batch.writes = std::move(writes);
  store.apply_documents(batch);
}

json::Value Service::Impl::event(const json::Value& stack, const std::string& logical_id,
                                 const std::string& physical_id, const std::string& type,
                                 const std::string& status, const std::string& reason,
                                 const json::Value& properties) {
  std::vector<json::Member> m;
  m.push_back({"StackId", *stack.find("StackId")});
  m.push_back({"EventId", json::Value(logical_id + "-" + status + "-" + random_id())});
  m.push_back({"StackName", *stack.find("StackName")});
  m.push_back({"LogicalResourceId", json::Value(logical_id)});
  m.push_back({"PhysicalResourceId", json::Value(physical_id)});
  m.push_back({"ResourceType", json::Value(type)});
  m.push_back({"Timestamp", json::Value(clock.now_ms())});
  m.push_back({"ResourceStatus", json::Value(status)});
  if (!reason.empty()) {
    m.push_back({"ResourceStatusReason", json::Value(reason)});
  }
  if (!properties.is_null()) {
    m.push_back({"ResourceProperties", json::Value(json::dump(properties))});
  }
  return json::Value::object(std::move(m));
}

void Service::Impl::save_stack(const json::Value& stack, std::vector<store::DocumentWrite> more) {
  std::string status(stack.find("StackStatus")->as_string());
  std::string index = status == "DELETE_COMPLETE"
                          ? ""
                          : std::string(stack.find("Region")->as_string()) + "/" +
                                std::string(stack.find("StackName")->as_string());
  more.push_back(put(kStackKind, std::string(stack.find("StackId")->as_string()), stack, index));
  commit(std::move(more));
}

void Service::Impl::set_stack_status(json::Value& stack, const std::string& status,
                                     const std::string& reason,
                                     std::vector<store::DocumentWrite> more) {
  stack.set("StackStatus", json::Value(status));
  if (reason.empty()) {
    stack.erase("StackStatusReason");
  } else {
    stack.set("StackStatusReason", json::Value(reason));
  }
  std::string id(stack.find("StackId")->as_string());
  std::string name(stack.find("StackName")->as_string());
  json::Value e = event(stack, name, id, "AWS::CloudFormation::Stack", status, reason);
  more.push_back(put(kEventKind, new_event_key(id), e));
  save_stack(stack, std::move(more));
}

Result<tmpl::Template> Service::Impl::parse_for_stack(const std::string& body) const {
  if (body.empty()) {
    return validation("Either Template URL or Template Body must be specified.");
  }
  auto t = tmpl::parse_template(body);
  if (!t.ok()) {
    return validation(t.error);
  }
  std::vector<std::string> unknown;
  for (const tmpl::ResourceDecl& r : t->resources) {
    if (!providers.count(r.type) &&
        std::find(unknown.begin(), unknown.end(), r.type) == unknown.end()) {
      unknown.push_back(r.type);
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (size_t i = 0; i < unknown.size(); ++i) {
      if (i) {
        list += ", ";
      }
      list += unknown[i];
    }
    return validation("Template format error: Unrecognized resource types: [" + list + "]");
  }
  return std::move(*t);
}

std::optional<Error> Service::Impl::check_capabilities(const tmpl::Template& t,
                                                       const std::vector<std::string>& caps) const {
  bool iam = false, named = false;
  for (const tmpl::ResourceDecl& r : t.resources) {
    if (r.type.rfind("AWS::IAM::", 0) == 0) {
      iam = true;
      for (const char* p :
           {"RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"}) {
        named = named || r.properties.find(p);
      }
    }
  }
  auto has = [&](const char* c) {
    return std::find(caps.begin(), caps.end(), c) != caps.end();
  };
  if (named && !has("CAPABILITY_NAMED_IAM")) {
    return make_error("InsufficientCapabilitiesException",
                      "Requires capabilities : [CAPABILITY_NAMED_IAM]");
  }
  if (iam && !has("CAPABILITY_IAM") && !has("CAPABILITY_NAMED_IAM")) {
    return make_error("InsufficientCapabilitiesException",
                      "Requires capabilities : [CAPABILITY_IAM]");
  }
  for (const std::string& c : caps) {
    if (c != "CAPABILITY_IAM" && c != "CAPABILITY_NAMED_IAM" && c != "CAPABILITY_AUTO_EXPAND") {
      return validation("1 validation error detected: Value '[" + c +
                        "]' at 'capabilities' failed to satisfy constraint: Member must satisfy "
                        "constraint: [Member must satisfy enum value set: [CAPABILITY_AUTO_EXPAND, "
                        "CAPABILITY_NAMED_IAM, CAPABILITY_IAM]]");
    }
  }
  return std::nullopt;
}

Result<tmpl::ParameterValues> Service::Impl::parameter_values(const tmpl::Template& t,
                                                              const std::vector<ParameterInput>& in,
                                                              const json::Value* previous) const {
  tmpl::ParameterValues given;
  tmpl::ParameterValues prev = previous ? parameters_from(*previous) : tmpl::ParameterValues{};
  for (const ParameterInput& p : in) {
    if (p.use_previous) {
      auto it = prev.find(p.key);
      if (it == prev.end()) {
        return validation("Invalid input for parameter key " + p.key +
                          ". Cannot specify usePreviousValue as true for a parameter key not in "
                          "the previous template");
      }
      given[p.key] = it->second;
    } else {
      given[p.key] = p.value.value_or("");
    }
  }
  auto values = tmpl::resolve_parameters(t, given);
  if (!values.ok()) {
    return validation(values.error);
  }
  return std::move(*values);
}

Service::Service(store::Store& store, const Clock& clock, DeployOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {}

Service::~Service() {
  stop();
}

void Service::add_provider(const std::string& type, ProviderPtr provider) {
  impl_->providers[type] = std::move(provider);
}

Result<std::string> Service::create_stack(const StackRequest& r) {
  Impl& m = *impl_;
  std::string region = r.region.empty() ? m.options.default_region : r.region;
  if (!valid_stack_name(r.stack_name)) {
    return validation("1 validation error detected: Value '" + r.stack_name +
                      "' at 'stackName' failed to satisfy constraint: Member must satisfy "
                      "regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
  }
  auto t = m.parse_for_stack(r.template_body);
  if (!t.ok()) {
    return t.error();
  }
  if (auto e = m.check_capabilities(*t, r.capabilities)) {
    return *e;
  }
  auto params = m.parameter_values(*t, r.parameters, nullptr);
  if (!params.ok()) {
    return params.error();
  }
  std::lock_guard lock(m.mu);
  if (auto existing = m.find_stack(region, r.stack_name)) {
    if (existing->status() != "REVIEW_IN_PROGRESS") {
      return make_error("AlreadyExistsException", "Stack [" + r.stack_name + "] already exists");
    }
  }
  std::string id = "arn:aws:cloudformation:" + region + ":" + m.options.account + ":stack/" +
                   r.stack_name + "/" + random_id();
  int64_t now = m.clock.now_ms();
  json::Value stack = json::Value::object({
      {"StackId", json::Value(id)},
      {"StackName", json::Value(r.stack_name)},
      {"Region", json::Value(region)},
      {"Description", json::Value(t->description)},
      {"CreationTime", json::Value(now)},
      {"TemplateBody", json::Value(r.template_body)},
      {"Parameters", parameters_json(*params)},
      {"Capabilities", strings_json(r.capabilities)},
      {"Tags", tags_json(r.tags)},
      {"DisableRollback", json::Value(r.disable_rollback)},
      {"Outputs", json::Value::array()},
  });
  m.set_stack_status(stack, "CREATE_IN_PROGRESS", "User Initiated");
  m.launch(id, "CREATE");
  return id;
}

Result<std::string> Service::update_stack(const StackRequest& r) {
  Impl& m = *impl_;
  std::string region = r.region.empty() ? m.options.default_region : r.region;
  std::lock_guard lock(m.mu);
  auto existing = m.find_stack(region, r.stack_name);
  if (!existing || existing->status() == "DELETE_COMPLETE") {
    return m.no_stack(r.stack_name);
  }
  json::Value stack = existing->doc;
  std::string status = existing->status();
  if (status != "CREATE_COMPLETE" && status != "UPDATE_COMPLETE" &&
      status != "UPDATE_ROLLBACK_COMPLETE") {
    return validation("Stack:" + existing->id() + " is in " + status +
                      " state and can not be updated.");
  }
  std::string body = r.use_previous_template ? std::string(stack.find("TemplateBody")->as_string())
                                             : r.template_body;
  auto t = m.parse_for_stack(body);
  if (!t.ok()) {
    return t.error();
  }
  if (auto e = m.check_capabilities(*t, r.capabilities)) {
    return *e;
  }
  auto params = m.parameter_values(*t, r.parameters, stack.find("Parameters"));
  if (!params.ok()) {
    return params.error();
  }
  json::Value new_params = parameters_json(*params);
  if (body == stack.find("TemplateBody")->as_string() &&
      json::dump(new_params) == json::dump(*stack.find("Parameters"))) {
    return validation("No updates are to be performed.");
  }
  stack.set("Previous", json::Value::object({{"TemplateBody", *stack.find("TemplateBody")},
                                             {"Parameters", *stack.find("Parameters")},
                                             {"Outputs", *stack.find("Outputs")},
                                             {"Description", *stack.find("Description")}}));
  stack.set("TemplateBody", json::Value(body));
  stack.set("Parameters", new_params);
  stack.set("Description", json::Value(t->description));
  stack.set("Capabilities", strings_json(r.capabilities));
  if (!r.tags.empty()) {
    stack.set("Tags", tags_json(r.tags));
  }
  stack.set("DisableRollback", json::Value(r.disable_rollback));
  stack.set("LastUpdatedTime", json::Value(m.clock.now_ms()));
  m.set_stack_status(stack, "UPDATE_IN_PROGRESS", "User Initiated");
  m.launch(existing->id(), "UPDATE");
  return existing->id();
}

Result<Unit> Service::delete_stack(const std::string& region_in, const std::string& name_or_id) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  std::lock_guard lock(m.mu);
  auto existing = m.find_stack(region, name_or_id);
  if (!existing || existing->status() == "DELETE_COMPLETE") {
    return Unit{};  // as AWS: deleting a stack that does not exist succeeds
  }
  if (existing->status() == "DELETE_IN_PROGRESS") {
    return Unit{};
  }
  if (m.running.count(existing->id())) {
    return validation("Stack [" + name_or_id + "] cannot be deleted while in status " +
                      existing->status());
  }
  json::Value stack = existing->doc;
  m.set_stack_status(stack, "DELETE_IN_PROGRESS", "User Initiated");
  m.launch(existing->id(), "DELETE");
  return Unit{};
}

Result<std::vector<json::Value>> Service::describe_stacks(const std::string& region_in,
                                                          const std::string& name_or_id) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  std::vector<json::Value> out;
  if (!name_or_id.empty()) {
    auto s = m.find_stack(region, name_or_id);
    if (!s) {
      return m.no_stack(name_or_id);
    }
    out.push_back(s->doc);
    return out;
  }
  for (const json::Value& s : list_stacks(region)) {
    if (s.find("StackStatus")->as_string() != "DELETE_COMPLETE") {
      out.push_back(s);
    }
  }
  return out;
}

std::vector<json::Value> Service::list_stacks(const std::string& region_in) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  std::vector<json::Value> out;
  std::string after;
  std::string prefix = "arn:aws:cloudformation:" + region + ":";
  while (true) {
    auto page = m.store.list_documents(kStackKind, prefix, after, 500);
    for (const store::DocumentRecord& d : page.items) {
      out.push_back(json::parse(d.json).value);
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  std::sort(out.begin(), out.end(), [](const json::Value& a, const json::Value& b) {
    return a.find("CreationTime")->as_int() > b.find("CreationTime")->as_int();
  });
  return out;
}

Result<std::vector<json::Value>> Service::stack_events(const std::string& region,
                                                       const std::string& name_or_id) {
  Impl& m = *impl_;
  auto s = m.find_stack(region.empty() ? m.options.default_region : region, name_or_id);
  if (!s) {
    return m.no_stack(name_or_id);
  }
  std::vector<json::Value> out;
  std::string after;
  while (true) {
    auto page = m.store.list_documents(kEventKind, s->id() + "|", after, 1000);
    for (const store::DocumentRecord& d : page.items) {
      out.push_back(json::parse(d.json).value);
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<json::Value>> Service::stack_resources(const std::string& region,
                                                          const std::string& name_or_id) {
  Impl& m = *impl_;
  auto s = m.find_stack(region.empty() ? m.options.default_region : region, name_or_id);
  if (!s) {
    return m.no_stack(name_or_id);
  }
  std::vector<json::Value> out;
  for (json::Value r : m.resources_of(s->id())) {
    r.set("StackId", json::Value(s->id()));
    r.set("StackName", *s->doc.find("StackName"));
    out.push_back(r);
  }
  return out;
}

Result<json::Value> Service::stack_resource(const std::string& region,
                                            const std::string& name_or_id,
                                            const std::string& logical_id) {
  auto all = stack_resources(region, name_or_id);
  if (!all.ok()) {
    return all.error();
  }
  for (const json::Value& r : *all) {
    if (r.find("LogicalResourceId")->as_string() == logical_id) {
      return r;
    }
  }
  return validation("Resource " + logical_id + " does not exist for stack " + name_or_id);
}

Result<std::string> Service::get_template(const std::string& region, const std::string& name_or_id,
                                          const std::string& change_set) {
  Impl& m = *impl_;
  if (!change_set.empty()) {
    auto cs = describe_change_set(region, change_set, name_or_id);
    if (!cs.ok()) {
      return cs.error();
    }
    return std::string(cs->find("TemplateBody")->as_string());
  }
  auto s = m.find_stack(region.empty() ? m.options.default_region : region, name_or_id);
  if (!s) {
    return m.no_stack(name_or_id);
  }
  return std::string(s->doc.find("TemplateBody")->as_string());
}

Result<json::Value> Service::validate_template(const std::string& body) {
  if (body.empty()) {
    return validation("Either Template URL or Template Body must be specified.");
  }
  auto t = tmpl::parse_template(body);
  if (!t.ok()) {
    return validation(t.error);
  }
  std::vector<json::Value> params;
  for (const tmpl::ParameterDecl& p : t->parameters) {
    std::vector<json::Member> pm{{"ParameterKey", json::Value(p.name)},
                                 {"NoEcho", json::Value(p.no_echo)},
                                 {"ParameterType", json::Value(p.type)}};
    if (p.default_value) {
      pm.push_back({"DefaultValue", json::Value(*p.default_value)});
    }
    if (!p.description.empty()) {
      pm.push_back({"Description", json::Value(p.description)});
    }
    pm.push_back({"AllowedValues", strings_json(p.allowed_values)});
    params.push_back(json::Value::object(std::move(pm)));
  }
  std::vector<std::string> caps;
  std::string reason;
  if (impl_->check_capabilities(*t, {})) {
    bool named = impl_->check_capabilities(*t, {"CAPABILITY_IAM"}).has_value();
    caps.push_back(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
    std::string list;
    for (const tmpl::ResourceDecl& r : t->resources) {
      if (r.type.rfind("AWS::IAM::", 0) == 0) {
        list += (list.empty() ? "" : ",") + std::string(" ") + r.logical_id;
        list.erase(0, list[0] == ' ' ? 1 : 0);
      }
    }
    reason = "The following resource(s) require capabilities: [" + list + "]";
  }
  std::vector<json::Value> types;
  for (const tmpl::ResourceDecl& r : t->resources) {
    json::Value ty(r.type);
    if (std::find(types.begin(), types.end(), ty) == types.end()) {
      types.push_back(ty);
    }
  }
  return json::Value::object({{"Description", json::Value(t->description)},
                              {"Parameters", json::Value::array(std::move(params))},
                              {"Capabilities", strings_json(caps)},
                              {"CapabilitiesReason", json::Value(reason)},
                              {"ResourceTypes", json::Value::array(std::move(types))}});
}

Result<json::Value> Service::template_summary(const std::string& region, const std::string& body,
                                              const std::string& stack) {
  if (!stack.empty()) {
    auto b = get_template(region, stack, "");
    if (!b.ok()) {
      return b.error();
    }
    return validate_template(*b);
  }
  return validate_template(body);
}

std::vector<json::Value> Service::list_exports(const std::string& region_in) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  std::vector<json::Value> out;
  auto page = m.store.list_documents(kExportKind, region + "/", "", 10000);
  for (const store::DocumentRecord& d : page.items) {
    out.push_back(json::parse(d.json).value);
  }
  return out;
}

std::optional<std::string> Service::Impl::import_value(const std::string& region,
                                                       const std::string& name) {
  auto d = store.get_document(kExportKind, region + "/" + name);
  if (!d) {
    return std::nullopt;
  }
  return std::string(json::parse(d->json).value.find("Value")->as_string());
}

bool Service::wait_idle(const std::string& stack_id, int64_t timeout_ms) {
  Impl& m = *impl_;
  std::unique_lock lock(m.mu);
  return m.idle_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                            [&] { return !m.running.count(stack_id); });
}

void Service::start() {
  Impl& m = *impl_;
  // Stacks left in progress: forward operations roll back, backward ones resume.
  std::vector<std::pair<std::string, std::string>> todo;
  {
    std::lock_guard lock(m.mu);
    m.stopping = false;
    std::string after;
    while (true) {
      auto page = m.store.list_documents(kStackKind, "", after, 500);
      for (const store::DocumentRecord& d : page.items) {
        json::Value s = json::parse(d.json).value;
        std::string status(s.find("StackStatus")->as_string());
        if (!in_progress(status)) {
          continue;
        }
        std::string reason = "Signoff restarted during the operation";
        if (status == "CREATE_IN_PROGRESS") {
          m.set_stack_status(s, "ROLLBACK_IN_PROGRESS", reason + "; rolling back");
          todo.emplace_back(d.key, "ROLLBACK");
        } else if (status == "UPDATE_IN_PROGRESS") {
          m.set_stack_status(s, "UPDATE_ROLLBACK_IN_PROGRESS", reason + "; rolling back");
          todo.emplace_back(d.key, "UPDATE_ROLLBACK");
        } else if (status == "ROLLBACK_IN_PROGRESS") {
          todo.emplace_back(d.key, "ROLLBACK");
        } else if (status == "DELETE_IN_PROGRESS") {
          todo.emplace_back(d.key, "DELETE");
        } else if (status == "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS") {
          todo.emplace_back(d.key, "CLEANUP");
        } else if (status == "UPDATE_ROLLBACK_IN_PROGRESS") {
          todo.emplace_back(d.key, "UPDATE_ROLLBACK");
        } else if (status == "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS") {
          todo.emplace_back(d.key, "ROLLBACK_CLEANUP");
        }
      }
      if (page.next_key.empty()) {
        break;
      }
      after = page.next_key;
    }
    for (const auto& [id, op] : todo) {
      m.launch(id, op);
    }
  }
}

void Service::stop() {
  Impl& m = *impl_;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(m.mu);
    m.stopping = true;
    threads.swap(m.threads);
  }
  for (std::thread& t : threads) {
    if (t.joinable()) {
      t.join();
    }
  }
}

}  // namespace signoff::deploy
