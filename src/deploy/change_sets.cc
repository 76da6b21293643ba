// Change sets, as `aws cloudformation deploy` drives them: CreateChangeSet computes the changes
// at once (the CLI's waiter then sees CREATE_COMPLETE on its first poll), ExecuteChangeSet
// starts the stack operation.
#include <algorithm>

#include "deploy/service_impl.h"

namespace signoff::deploy {

namespace {

Error validation(std::string m) {
  return make_error("ValidationError", std::move(m));
}

std::string str(const json::Value& v, const char* key) {
  const json::Value* x = v.find(key);
  return x && x->is_string() ? std::string(x->as_string()) : "";
}

json::Value strings_json(const std::vector<std::string>& v) {
  std::vector<json::Value> out;
  for (const std::string& s : v) {
    out.push_back(json::Value(s));
  }
  return json::Value::array(std::move(out));
}

json::Value change(const std::string& action, const std::string& logical,
                   const std::string& physical, const std::string& type,
                   const std::string& replacement) {
  std::vector<json::Member> rc{{"Action", json::Value(action)},
                               {"LogicalResourceId", json::Value(logical)},
                               {"ResourceType", json::Value(type)}};
  if (!physical.empty()) {
    rc.push_back({"PhysicalResourceId", json::Value(physical)});
  }
  if (!replacement.empty()) {
    rc.push_back({"Replacement", json::Value(replacement)});
  }
  return json::Value::object(
      {{"Type", json::Value("Resource")}, {"ResourceChange", json::Value::object(std::move(rc))}});
}

// The resource's definition as written, for comparing two templates.
std::string decl_text(const tmpl::ResourceDecl& d) {
  return d.type + json::dump(d.properties) + d.condition + json::dump(d.metadata) +
         std::to_string(d.depends_on.size());
}

}  // namespace

Result<ChangeSetCreated> Service::create_change_set(const ChangeSetRequest& r) {
  Impl& m = *impl_;
  std::string region = r.stack.region.empty() ? m.options.default_region : r.stack.region;
  const std::string& name = r.change_set_name;
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0])) || name.size() > 128) {
    return validation("1 validation error detected: Value '" + name +
                      "' at 'changeSetName' failed to satisfy constraint: Member must satisfy "
                      "regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
  }
  if (r.change_set_type != "CREATE" && r.change_set_type != "UPDATE") {
    return validation("1 validation error detected: Value '" + r.change_set_type +
                      "' at 'changeSetType' failed to satisfy constraint: Member must satisfy "
                      "enum value set: [IMPORT, UPDATE, CREATE]");
  }
  std::lock_guard lock(m.mu);
  auto existing = m.find_stack(region, r.stack.stack_name);
  json::Value stack;
  if (r.change_set_type == "CREATE") {
    if (existing && existing->status() != "REVIEW_IN_PROGRESS") {
      return make_error("AlreadyExistsException",
                        "Stack [" + r.stack.stack_name + "] already exists");
    }
  } else if (!existing) {
    return validation("Stack [" + r.stack.stack_name + "] does not exist");
  } else if (existing->status() == "REVIEW_IN_PROGRESS" ||
             (existing->status().find("_IN_PROGRESS") != std::string::npos)) {
    return validation("Stack:" + existing->id() + " is in " + existing->status() +
                      " state and can not be updated.");
  }
  const json::Value* previous = existing ? existing->doc.find("Parameters") : nullptr;
  std::string body = r.stack.use_previous_template && existing ? str(existing->doc, "TemplateBody")
                                                               : r.stack.template_body;
  auto t = m.parse_for_stack(body);
  if (!t.ok()) {
    return t.error();
  }
  if (auto e = m.check_capabilities(*t, r.stack.capabilities)) {
    return *e;
  }
  auto params = m.parameter_values(*t, r.stack.parameters, previous);
  if (!params.ok()) {
    return params.error();
  }
  int64_t now = m.clock.now_ms();
  if (!existing) {
    std::string id = "arn:aws:cloudformation:" + region + ":" + m.options.account + ":stack/" +
                     r.stack.stack_name + "/" + random_id();
    stack = json::Value::object({{"StackId", json::Value(id)},
                                 {"StackName", json::Value(r.stack.stack_name)},
                                 {"Region", json::Value(region)},
                                 {"Description", json::Value(t->description)},
                                 {"CreationTime", json::Value(now)},
                                 {"TemplateBody", json::Value("")},
                                 {"Parameters", json::Value::array()},
                                 {"Capabilities", json::Value::array()},
                                 {"Tags", json::Value::array()},
                                 {"DisableRollback", json::Value(false)},
                                 {"Outputs", json::Value::array()}});
    m.set_stack_status(stack, "REVIEW_IN_PROGRESS", "User Initiated");
  } else {
    stack = existing->doc;
  }
  // What would change.
  std::vector<json::Value> changes;
  std::optional<tmpl::Template> old;
  if (r.change_set_type == "UPDATE") {
    auto o = tmpl::parse_template(str(stack, "TemplateBody"));
    if (o.ok()) {
      old = std::move(*o);
    }
  }
  std::map<std::string, json::Value> current;
  if (existing) {
    for (json::Value& res : m.resources_of(existing->id())) {
      current[str(res, "LogicalResourceId")] = res;
    }
  }
  for (const tmpl::ResourceDecl& d : t->resources) {
    const tmpl::ResourceDecl* before = old ? old->resource(d.logical_id) : nullptr;
    if (!before) {
      changes.push_back(change("Add", d.logical_id, "", d.type, ""));
    } else if (decl_text(*before) != decl_text(d)) {
      std::string physical =
          current.count(d.logical_id) ? str(current[d.logical_id], "PhysicalResourceId") : "";
      changes.push_back(change("Modify", d.logical_id, physical, d.type,
                               before->type != d.type ? "True" : "Conditional"));
    }
  }
  if (old) {
    for (const tmpl::ResourceDecl& d : old->resources) {
      if (!t->resource(d.logical_id)) {
        std::string physical =
            current.count(d.logical_id) ? str(current[d.logical_id], "PhysicalResourceId") : "";
        changes.push_back(change("Remove", d.logical_id, physical, d.type, ""));
      }
    }
  }
  json::Value new_params = parameters_json(*params);
  bool unchanged = r.change_set_type == "UPDATE" && changes.empty() &&
                   json::dump(new_params) == json::dump(*stack.find("Parameters")) &&
                   body == str(stack, "TemplateBody");
  std::string id = "arn:aws:cloudformation:" + region + ":" + m.options.account + ":changeSet/" +
                   name + "/" + random_id();
  std::vector<json::Value> tags;
  for (const auto& [k, v] : r.stack.tags) {
    tags.push_back(json::Value::object({{"Key", json::Value(k)}, {"Value", json::Value(v)}}));
  }
  std::string stack_id = str(stack, "StackId");
  json::Value cs = json::Value::object({
      {"ChangeSetId", json::Value(id)},
      {"ChangeSetName", json::Value(name)},
      {"StackId", json::Value(stack_id)},
      {"StackName", *stack.find("StackName")},
      {"Region", json::Value(region)},
      {"Description", json::Value(r.stack.description)},
      {"ChangeSetType", json::Value(r.change_set_type)},
      {"CreationTime", json::Value(now)},
      {"TemplateBody", json::Value(body)},
      {"Parameters", new_params},
      {"Capabilities", strings_json(r.stack.capabilities)},
      {"Tags", json::Value::array(std::move(tags))},
      {"Changes", json::Value::array(std::move(changes))},
      {"Status", json::Value(unchanged ? "FAILED" : "CREATE_COMPLETE")},
      {"ExecutionStatus", json::Value(unchanged ? "UNAVAILABLE" : "AVAILABLE")},
  });
  if (unchanged) {
    cs.set("StatusReason", json::Value("The submitted information didn't contain changes. Submit "
                                       "different information to create a change set."));
  }
  m.commit({m.put(kChangeSetKind, id, cs, stack_id)});
  return ChangeSetCreated{id, stack_id};
}

namespace {

std::optional<json::Value> find_change_set(Service::Impl& m, const std::string& region,
                                           const std::string& name_or_id,
                                           const std::string& stack) {
  if (name_or_id.rfind("arn:", 0) == 0) {
    auto d = m.store.get_document(kChangeSetKind, name_or_id);
    if (!d) {
      return std::nullopt;
    }
    return json::parse(d->json).value;
  }
  auto s = m.find_stack(region, stack);
  if (!s) {
    return std::nullopt;
  }
  for (const store::DocumentRecord& d : m.store.documents_by_index(kChangeSetKind, s->id())) {
    json::Value v = json::parse(d.json).value;
    if (str(v, "ChangeSetName") == name_or_id) {
      return v;
    }
  }
  return std::nullopt;
}

Error no_change_set(const std::string& name) {
  return make_error("ChangeSetNotFound", "ChangeSet [" + name + "] does not exist", 404);
}

}  // namespace

Result<json::Value> Service::describe_change_set(const std::string& region_in,
                                                 const std::string& name_or_id,
                                                 const std::string& stack) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  if (name_or_id.rfind("arn:", 0) != 0 && stack.empty()) {
    return validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
  }
  auto cs = find_change_set(m, region, name_or_id, stack);
  if (!cs) {
    return no_change_set(name_or_id);
  }
  return *cs;
}

Result<Unit> Service::execute_change_set(const std::string& region_in,
                                         const std::string& name_or_id,
                                         const std::string& stack_name, bool disable_rollback) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  std::lock_guard lock(m.mu);
  auto cs = find_change_set(m, region, name_or_id, stack_name);
  if (!cs) {
    return no_change_set(name_or_id);
  }
  if (str(*cs, "ExecutionStatus") != "AVAILABLE") {
    return make_error("InvalidChangeSetStatus",
                      "ChangeSet [" + str(*cs, "ChangeSetId") +
                          "] cannot be executed in its current status of [" + str(*cs, "Status") +
                          "]");
  }
  auto s = m.find_stack(region, str(*cs, "StackId"));
  if (!s) {
    return no_change_set(name_or_id);
  }
  json::Value stack = s->doc;
  std::string type = str(*cs, "ChangeSetType");
  if (type == "UPDATE") {
    std::string status = s->status();
    if (status.find("_IN_PROGRESS") != std::string::npos) {
      return validation("Stack:" + s->id() + " is in " + status + " state and can not be updated.");
    }
    stack.set("Previous", json::Value::object({{"TemplateBody", *stack.find("TemplateBody")},
                                               {"Parameters", *stack.find("Parameters")},
                                               {"Outputs", *stack.find("Outputs")},
                                               {"Description", *stack.find("Description")}}));
    stack.set("LastUpdatedTime", json::Value(m.clock.now_ms()));
  }
  auto t = tmpl::parse_template(str(*cs, "TemplateBody"));
  stack.set("TemplateBody", *cs->find("TemplateBody"));
  stack.set("Parameters", *cs->find("Parameters"));
  stack.set("Capabilities", *cs->find("Capabilities"));
  if (cs->find("Tags")->size() > 0) {
    stack.set("Tags", *cs->find("Tags"));
  }
  if (t.ok()) {
    stack.set("Description", json::Value(t->description));
  }
  stack.set("DisableRollback", json::Value(disable_rollback));
  stack.set("ChangeSetId", *cs->find("ChangeSetId"));
  // This change set is spent; the stack's other change sets no longer apply.
  std::vector<store::DocumentWrite> writes;
  for (const store::DocumentRecord& d : m.store.documents_by_index(kChangeSetKind, s->id())) {
    json::Value v = json::parse(d.json).value;
    v.set("ExecutionStatus",
          json::Value(str(v, "ChangeSetId") == str(*cs, "ChangeSetId") ? "EXECUTE_COMPLETE"
                                                                       : "OBSOLETE"));
    writes.push_back(m.put(kChangeSetKind, d.key, v, s->id()));
  }
  m.set_stack_status(stack, type == "CREATE" ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS",
                     "User Initiated", std::move(writes));
  m.launch(s->id(), type == "CREATE" ? "CREATE" : "UPDATE");
  return Unit{};
}

Result<Unit> Service::delete_change_set(const std::string& region_in, const std::string& name_or_id,
                                        const std::string& stack) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  std::lock_guard lock(m.mu);
  auto cs = find_change_set(m, region, name_or_id, stack);
  if (!cs) {
    return no_change_set(name_or_id);
  }
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = kChangeSetKind;
  w.doc.key = str(*cs, "ChangeSetId");
  m.commit({w});
  return Unit{};
}

Result<std::vector<json::Value>> Service::list_change_sets(const std::string& region_in,
                                                           const std::string& stack) {
  Impl& m = *impl_;
  std::string region = region_in.empty() ? m.options.default_region : region_in;
  auto s = m.find_stack(region, stack);
  if (!s) {
    return m.no_stack(stack);
  }
  std::vector<json::Value> out;
  for (const store::DocumentRecord& d : m.store.documents_by_index(kChangeSetKind, s->id())) {
    out.push_back(json::parse(d.json).value);
  }
  return out;
}

}  // namespace signoff::deploy
