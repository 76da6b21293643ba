// Stack operations: create, update (in place or by replacement, then cleanup), delete, and the
// rollbacks. Each runs on its own thread; resources whose prerequisites are done run in
// parallel. Every resource step commits its status and its event together, so a restart finds
// the truth in the store (see service.h for what a restart does).
#include <algorithm>
#include <functional>

#include "deploy/service_impl.h"

namespace signoff::deploy {

namespace {

std::string str(const json::Value& v, const char* key) {
  const json::Value* x = v.find(key);
  return x && x->is_string() ? std::string(x->as_string()) : "";
}

std::vector<std::string> strings(const json::Value* v) {
  std::vector<std::string> out;
  if (v && v->is_array()) {
    for (const json::Value& x : v->as_array()) {
      out.push_back(std::string(x.as_string()));
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) {
      s += ", ";
    }
    s += v[i];
  }
  return s + "]";
}

std::string suffix(const std::string& seed) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : seed) {
    h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
  }
  const char* chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 12; ++i) {
    s += chars[h % 62];
    h = h / 62 + (h << 7) + 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(i + 1);
  }
  return s;
}

// How CloudFormation words a handler's failure in a resource's status reason.
std::string handler_reason(const Error& e) {
  std::string code = "InvalidRequest";
  if (e.type.find("AlreadyExist") != std::string::npos ||
      e.type.find("Conflict") != std::string::npos) {
    code = "AlreadyExists";
  } else if (e.type.find("NotFound") != std::string::npos ||
             e.type.find("DoesNotExist") != std::string::npos) {
    code = "NotFound";
  } else if (e.status >= 500) {
    code = "InternalFailure";
  }
  return "Resource handler returned message: \"" + e.message + "\" (RequestToken: " + random_id() +
         ", HandlerErrorCode: " + code + ")";
}

enum class GraphResult { Ok, Failed, Interrupted };

}  // namespace

// One running operation on one stack.
class Operation {
 public:
  Operation(Service::Impl& m, json::Value stack) : m_(m), stack_(std::move(stack)) {
    id_ = str(stack_, "StackId");
    region_ = str(stack_, "Region");
    for (json::Value& r : m_.resources_of(id_)) {
      resources_[str(r, "LogicalResourceId")] = r;
    }
  }

  void run(const std::string& op) {
    if (op == "CREATE") {
      create();
    } else if (op == "ROLLBACK") {
      rollback_create();
    } else if (op == "DELETE") {
      remove_stack();
    } else if (op == "UPDATE") {
      update();
    } else if (op == "CLEANUP") {
      cleanup_and_complete();
    } else if (op == "UPDATE_ROLLBACK") {
      update_rollback();
    } else if (op == "ROLLBACK_CLEANUP") {
      finish_update_rollback();
    }
  }

 private:
  // ---- the pieces every operation uses ----

  bool stopping() {
    std::lock_guard lock(m_.mu);
    return m_.stopping;
  }

  void status(const std::string& s, const std::string& reason,
              std::vector<store::DocumentWrite> more = {}) {
    std::lock_guard lock(mu_);
    m_.set_stack_status(stack_, s, reason, std::move(more));
  }

  ResourceContext context(const std::string& logical_id, int64_t generation) const {
    ResourceContext c;
    c.region = region_;
    c.account = m_.options.account;
    c.stack_name = str(stack_, "StackName");
    c.stack_id = id_;
    c.logical_id = logical_id;
    std::string sfx = suffix(id_ + "/" + logical_id + "/" + std::to_string(generation));
    std::string stack_part = c.stack_name, logical_part = logical_id;
    // Long names are shortened as CloudFormation does, keeping the suffix whole.
    if (stack_part.size() + logical_part.size() + 14 > 64) {
      stack_part = stack_part.substr(0, std::min<size_t>(stack_part.size(), 25));
      logical_part = logical_part.substr(
          0, std::min<size_t>(logical_part.size(), 64 - 14 - stack_part.size()));
    }
    c.generated_name = stack_part + "-" + logical_part + "-" + sfx;
    c.generated_short_name = logical_id.substr(0, 64 - 13) + "-" + sfx;
    return c;
  }

  // Saves the resource document (and its event when status is given) in one batch.
  void save_resource(const std::string& logical_id, json::Value doc,
                     const std::string& event_status, const std::string& reason,
                     std::vector<json::Value> extra_events = {}) {
    std::lock_guard lock(mu_);
    doc.set("Timestamp", json::Value(m_.clock.now_ms()));
    std::vector<store::DocumentWrite> writes;
    for (const json::Value& e : extra_events) {
      writes.push_back(m_.put(kEventKind, m_.new_event_key(id_), e));
    }
    if (!event_status.empty()) {
      json::Value e = m_.event(stack_, logical_id, str(doc, "PhysicalResourceId"),
                               str(doc, "ResourceType"), event_status, reason);
      writes.push_back(m_.put(kEventKind, m_.new_event_key(id_), e));
    }
    writes.push_back(m_.put(kResourceKind, id_ + "|" + logical_id, doc));
    m_.commit(std::move(writes));
    resources_[logical_id] = doc;
  }

  void drop_resource(const std::string& logical_id) {
    std::lock_guard lock(mu_);
    store::DocumentWrite w;
    w.op = store::DocumentWrite::Op::Delete;
    w.doc.kind = kResourceKind;
    w.doc.key = id_ + "|" + logical_id;
    m_.commit({w});
    resources_.erase(logical_id);
  }

  json::Value resource(const std::string& logical_id) {
    std::lock_guard lock(mu_);
    auto it = resources_.find(logical_id);
    return it == resources_.end() ? json::Value() : it->second;
  }

  json::Value event_for(const json::Value& doc, const std::string& status,
                        const std::string& reason) {
    return m_.event(stack_, str(doc, "LogicalResourceId"), str(doc, "PhysicalResourceId"),
                    str(doc, "ResourceType"), status, reason);
  }

  // Runs step(id) for every id once its prerequisites among ids have succeeded, up to
  // parallel_resources at once; after a failure nothing new starts.
  GraphResult run_graph(const std::vector<std::string>& ids,
                        const std::function<std::vector<std::string>(const std::string&)>& prereqs,
                        const std::function<bool(const std::string&)>& step) {
    std::mutex gmu;
    std::condition_variable cv;
    std::set<std::string> done, started;
    bool failed = false;
    size_t active = 0;
    std::vector<std::thread> threads;
    bool interrupted = false;
    std::unique_lock lock(gmu);
    while (true) {
      if (!failed && !interrupted) {
        if (stopping()) {
          interrupted = true;
        }
      }
      bool launched = false;
      if (!failed && !interrupted) {
        for (const std::string& id : ids) {
          if (started.count(id) || active >= m_.options.parallel_resources) {
            continue;
          }
          bool ready = true;
          for (const std::string& p : prereqs(id)) {
            if (std::find(ids.begin(), ids.end(), p) != ids.end() && !done.count(p)) {
              ready = false;
            }
          }
          if (!ready) {
            continue;
          }
          started.insert(id);
          ++active;
          launched = true;
          threads.emplace_back([&, id] {
            bool ok = false;
            try {
              ok = step(id);
            } catch (const std::exception&) {
              ok = false;
            }
            std::lock_guard l(gmu);
            --active;
            if (ok) {
              done.insert(id);
            } else {
              failed = true;
            }
            cv.notify_all();
          });
        }
      }
      if (active == 0 && !launched) {
        break;
      }
      cv.wait(lock);
    }
    lock.unlock();
    for (std::thread& t : threads) {
      t.join();
    }
    if (failed) {
      return GraphResult::Failed;
    }
    if (interrupted || done.size() != ids.size()) {
      return interrupted ? GraphResult::Interrupted : GraphResult::Failed;
    }
    return GraphResult::Ok;
  }

  // ---- template evaluation against the resources created so far ----

  bool load_template(const std::string& body, const json::Value& params_list) {
    auto t = tmpl::parse_template(body);
    if (!t.ok()) {
      error_ = t.error;
      return false;
    }
    tmpl_ = std::move(*t);
    params_ = parameters_from(params_list);
    scope_ = tmpl::Scope{};
    scope_.tmpl = &*tmpl_;
    scope_.params = &params_;
    scope_.pseudo.account_id = m_.options.account;
    scope_.pseudo.region = region_;
    scope_.pseudo.stack_name = str(stack_, "StackName");
    scope_.pseudo.stack_id = id_;
    scope_.resources.ref = [this](const std::string& id) -> std::optional<std::string> {
      json::Value r = resource(id);
      if (r.is_null() || str(r, "PhysicalResourceId").empty() || !enabled(id)) {
        return std::nullopt;
      }
      std::string ref = str(r, "Ref");
      return ref.empty() ? str(r, "PhysicalResourceId") : ref;
    };
    scope_.resources.attribute = [this](const std::string& id,
                                        const std::string& a) -> std::optional<json::Value> {
      json::Value r = resource(id);
      const json::Value* attrs = r.find("Attributes");
      const json::Value* v = attrs ? attrs->find(a) : nullptr;
      if (!v) {
        return std::nullopt;
      }
      return *v;
    };
    scope_.import_value = [this](const std::string& name) {
      return m_.import_value(region_, name);
    };
    auto conds = tmpl::evaluate_conditions(scope_);
    if (!conds.ok()) {
      error_ = conds.error;
      return false;
    }
    conditions_ = std::move(*conds);
    scope_.conditions = &conditions_;
    return true;
  }

  bool enabled(const std::string& logical_id) const {
    if (!tmpl_) {
      return true;
    }
    const tmpl::ResourceDecl* d = tmpl_->resource(logical_id);
    return d && tmpl::is_enabled(d->condition, scope_);
  }

  std::vector<std::string> enabled_order() const {
    std::vector<std::string> out;
    for (const std::string& id : tmpl_->creation_order()) {
      if (enabled(id)) {
        out.push_back(id);
      }
    }
    return out;
  }

  std::vector<std::string> deps_of(const std::string& id) const {
    const tmpl::ResourceDecl* d = tmpl_->resource(id);
    return d ? d->dependencies : std::vector<std::string>{};
  }

  ResourceProvider* provider(const std::string& type) {
    auto it = m_.providers.find(type);
    return it == m_.providers.end() ? nullptr : it->second.get();
  }

  json::Value new_doc(const tmpl::ResourceDecl& d) {
    return json::Value::object({{"LogicalResourceId", json::Value(d.logical_id)},
                                {"ResourceType", json::Value(d.type)},
                                {"PhysicalResourceId", json::Value("")},
                                {"Generation", json::Value(0)},
                                {"DeletionPolicy", json::Value(d.deletion_policy)},
                                {"Dependencies", json::Value::array([&] {
                                   std::vector<json::Value> v;
                                   for (const std::string& x : d.dependencies) {
                                     v.push_back(json::Value(x));
                                   }
                                   return v;
                                 }())}});
  }

  static void set_provided(json::Value& doc, const ProvidedResource& p) {
    doc.set("PhysicalResourceId", json::Value(p.physical_id));
    doc.set("Ref", json::Value(p.ref));
    doc.set("Attributes", p.attributes);
  }

  // The resource's properties with every intrinsic evaluated and every dynamic reference
  // resolved (so what is stored, compared and handed to the provider is what it gets).
  tmpl::Outcome<json::Value> evaluate_properties(const tmpl::ResourceDecl& d) {
    auto props = tmpl::evaluate(d.properties, scope_);
    if (!props.ok()) {
      return props;
    }
    return tmpl::resolve_dynamic_references(
        *props, [this](std::string_view service, std::string_view key) {
          std::string ref = "{{resolve:" + std::string(service) + ":" + std::string(key) + "}}";
          if (!m_.options.dynamic_reference) {
            return tmpl::Outcome<std::string>::fail("Dynamic reference " + ref +
                                                    " cannot be resolved by this server");
          }
          auto r = m_.options.dynamic_reference(std::string(service), std::string(key));
          if (!r.ok()) {
            return tmpl::Outcome<std::string>::fail(r.error().message);
          }
          return tmpl::Outcome<std::string>{*r, ""};
        });
  }

  // Creates one resource (a new one, or the replacement of an existing one when `replacing`).
  bool create_one(const std::string& id, bool replacing) {
    const tmpl::ResourceDecl* d = tmpl_->resource(id);
    json::Value doc = replacing ? resource(id) : new_doc(*d);
    const char* in_progress = replacing ? "UPDATE_IN_PROGRESS" : "CREATE_IN_PROGRESS";
    const char* complete = replacing ? "UPDATE_COMPLETE" : "CREATE_COMPLETE";
    const char* failed = replacing ? "UPDATE_FAILED" : "CREATE_FAILED";
    auto props = evaluate_properties(*d);
    if (replacing) {
      json::Value prev = json::Value::object(
          {{"PhysicalResourceId", *doc.find("PhysicalResourceId")},
           {"Ref", doc.find("Ref") ? *doc.find("Ref") : json::Value("")},
           {"Attributes", doc.find("Attributes") ? *doc.find("Attributes") : json::Value::object()},
           {"Properties", doc.find("Properties") ? *doc.find("Properties") : json::Value::object()},
           {"ResourceType", *doc.find("ResourceType")},
           {"Generation", *doc.find("Generation")}});
      doc.set("Previous", prev);
      doc.set("Action", json::Value("Replace"));
      doc.set("Generation", json::Value(doc.find("Generation")->as_int() + 1));
      doc.set("ResourceType", json::Value(d->type));
      save_resource(id, doc, in_progress,
                    "Requested update requires the creation of a new physical resource; hence "
                    "creating one.");
    } else {
      if (!update_mode_.empty()) {
        doc.set("Action", json::Value("Create"));
      }
      doc.set("ResourceStatus", json::Value(in_progress));
      save_resource(id, doc, in_progress, "");
    }
    if (!props.ok()) {
      doc.set("ResourceStatus", json::Value(failed));
      doc.set("ResourceStatusReason", json::Value(props.error));
      save_resource(id, doc, failed, props.error);
      std::lock_guard lock(mu_);
      failures_.push_back(id);
      return false;
    }
    doc.set("Properties", *props);
    ResourceProvider* p = provider(d->type);
    ResourceContext ctx = context(id, doc.find("Generation")->as_int());
    Result<ProvidedResource> r =
        p ? p->create(ctx, *props)
          : Result<ProvidedResource>(make_error("InvalidRequest", "Unrecognized resource type"));
    if (!r.ok()) {
      std::string reason = handler_reason(r.error());
      doc.set("ResourceStatus", json::Value(failed));
      doc.set("ResourceStatusReason", json::Value(reason));
      if (replacing) {
        // The new one does not exist: keep pointing at the previous physical resource.
        doc.set("PhysicalResourceId", *doc.find("Previous")->find("PhysicalResourceId"));
      }
      save_resource(id, doc, failed, reason);
      std::lock_guard lock(mu_);
      failures_.push_back(id);
      return false;
    }
    set_provided(doc, *r);
    doc.set("ResourceStatus", json::Value(complete));
    doc.erase("ResourceStatusReason");
    std::vector<json::Value> initiated{event_for(doc, in_progress, "Resource creation Initiated")};
    save_resource(id, doc, complete, "", initiated);
    return true;
  }

  bool update_one(const std::string& id) {
    const tmpl::ResourceDecl* d = tmpl_->resource(id);
    json::Value doc = resource(id);
    if (doc.is_null() || str(doc, "PhysicalResourceId").empty() ||
        str(doc, "ResourceStatus").find("DELETE") != std::string::npos) {
      return create_one(id, false);
    }
    auto props = evaluate_properties(*d);
    if (!props.ok()) {
      doc.set("ResourceStatus", json::Value("UPDATE_FAILED"));
      save_resource(id, doc, "UPDATE_FAILED", props.error);
      std::lock_guard lock(mu_);
      failures_.push_back(id);
      return false;
    }
    const json::Value* old_props = doc.find("Properties");
    json::Value old = old_props ? *old_props : json::Value::object();
    if (json::dump(old) == json::dump(*props) && str(doc, "ResourceType") == d->type) {
      return true;  // nothing changed: no events, as CloudFormation
    }
    ResourceProvider* p = provider(d->type);
    bool replace = str(doc, "ResourceType") != d->type;
    for (const std::string& name : p->replacement_properties()) {
      const json::Value* a = old.find(name);
      const json::Value* b = props->find(name);
      if ((a == nullptr) != (b == nullptr) || (a && json::dump(*a) != json::dump(*b))) {
        replace = true;
      }
    }
    if (replace) {
      return create_one(id, true);
    }
    json::Value prev = json::Value::object(
        {{"PhysicalResourceId", *doc.find("PhysicalResourceId")},
         {"Ref", doc.find("Ref") ? *doc.find("Ref") : json::Value("")},
         {"Attributes", doc.find("Attributes") ? *doc.find("Attributes") : json::Value::object()},
         {"Properties", old},
         {"ResourceType", *doc.find("ResourceType")},
         {"Generation", *doc.find("Generation")}});
    doc.set("Previous", prev);
    doc.set("Action", json::Value("Update"));
    doc.set("ResourceStatus", json::Value("UPDATE_IN_PROGRESS"));
    save_resource(id, doc, "UPDATE_IN_PROGRESS", "");
    ProvidedResource current;
    current.physical_id = str(doc, "PhysicalResourceId");
    current.ref = str(doc, "Ref");
    current.attributes = *prev.find("Attributes");
    auto r = p->update(context(id, doc.find("Generation")->as_int()), current, old, *props);
    if (!r.ok()) {
      std::string reason = handler_reason(r.error());
      doc.set("ResourceStatus", json::Value("UPDATE_FAILED"));
      doc.set("ResourceStatusReason", json::Value(reason));
      save_resource(id, doc, "UPDATE_FAILED", reason);
      std::lock_guard lock(mu_);
      failures_.push_back(id);
      return false;
    }
    set_provided(doc, *r);
    doc.set("Properties", *props);
    doc.set("ResourceStatus", json::Value("UPDATE_COMPLETE"));
    doc.erase("ResourceStatusReason");
    save_resource(id, doc, "UPDATE_COMPLETE", "");
    return true;
  }

  // Deletes one physical resource; `previous` deletes the one a replacement superseded.
  bool delete_one(const std::string& id, bool previous, bool drop_doc) {
    json::Value doc = resource(id);
    if (doc.is_null()) {
      return true;
    }
    json::Value target = previous ? *doc.find("Previous") : doc;
    std::string status = str(doc, "ResourceStatus");
    if (!previous && (status == "DELETE_COMPLETE" || status == "DELETE_SKIPPED")) {
      return true;
    }
    std::string type = str(target, "ResourceType");
    std::string physical = str(target, "PhysicalResourceId");
    json::Value props =
        target.find("Properties") ? *target.find("Properties") : json::Value::object();
    int64_t generation = target.find("Generation") ? target.find("Generation")->as_int() : 0;
    bool never_created = physical.empty() && (status == "CREATE_FAILED" || status.empty());
    if (!previous && str(doc, "DeletionPolicy") == "Retain" && !never_created) {
      doc.set("ResourceStatus", json::Value("DELETE_SKIPPED"));
      save_resource(id, doc, "DELETE_SKIPPED", "");
      return true;
    }
    json::Value shown = doc;
    shown.set("PhysicalResourceId", json::Value(physical));
    if (previous) {
      std::lock_guard lock(mu_);
      json::Value e = event_for(shown, "DELETE_IN_PROGRESS", "");
      m_.commit({m_.put(kEventKind, m_.new_event_key(id_), e)});
    } else {
      doc.set("ResourceStatus", json::Value("DELETE_IN_PROGRESS"));
      save_resource(id, doc, "DELETE_IN_PROGRESS", "");
    }
    Result<Unit> r = Unit{};
    if (!never_created) {
      ResourceProvider* p = provider(type);
      if (p) {
        r = p->remove(context(id, generation), physical, props);
      }
    }
    if (!r.ok()) {
      std::string reason = handler_reason(r.error());
      if (previous) {
        std::lock_guard lock(mu_);
        m_.commit(
            {m_.put(kEventKind, m_.new_event_key(id_), event_for(shown, "DELETE_FAILED", reason))});
      } else {
        doc.set("ResourceStatus", json::Value("DELETE_FAILED"));
        doc.set("ResourceStatusReason", json::Value(reason));
        save_resource(id, doc, "DELETE_FAILED", reason);
      }
      std::lock_guard lock(mu_);
      failures_.push_back(id);
      return false;
    }
    if (previous) {
      std::lock_guard lock(mu_);
      m_.commit(
          {m_.put(kEventKind, m_.new_event_key(id_), event_for(shown, "DELETE_COMPLETE", ""))});
      return true;
    }
    if (drop_doc) {
      {
        std::lock_guard lock(mu_);
        m_.commit(
            {m_.put(kEventKind, m_.new_event_key(id_), event_for(doc, "DELETE_COMPLETE", ""))});
      }
      drop_resource(id);
      return true;
    }
    doc.set("ResourceStatus", json::Value("DELETE_COMPLETE"));
    doc.erase("ResourceStatusReason");
    save_resource(id, doc, "DELETE_COMPLETE", "");
    return true;
  }

  // Deletes the given resources, each after everything that depends on it.
  GraphResult delete_all(const std::vector<std::string>& ids, bool drop_docs) {
    std::map<std::string, std::vector<std::string>> dependents;
    for (const std::string& id : ids) {
      json::Value r = resource(id);
      for (const std::string& d : strings(r.find("Dependencies"))) {
        dependents[d].push_back(id);
      }
    }
    return run_graph(
        ids, [&](const std::string& id) { return dependents[id]; },
        [&](const std::string& id) { return delete_one(id, false, drop_docs); });
  }

  std::vector<std::string> all_resource_ids() {
    std::lock_guard lock(mu_);
    std::vector<std::string> ids;
    for (const auto& [k, v] : resources_) {
      ids.push_back(k);
    }
    return ids;
  }

  // Outputs and exports once every resource exists; "" on success, else why not.
  std::string write_outputs(std::vector<store::DocumentWrite>& writes) {
    std::vector<json::Value> outputs;
    std::set<std::string> exported;
    for (const tmpl::OutputDecl& o : tmpl_->outputs) {
      if (!tmpl::is_enabled(o.condition, scope_)) {
        continue;
      }
      auto v = tmpl::evaluate(o.value, scope_);
      if (!v.ok()) {
        return v.error;
      }
      std::vector<json::Member> om{{"OutputKey", json::Value(o.name)}};
      if (v->is_array()) {
        std::string joined;
        for (size_t i = 0; i < v->size(); ++i) {
          if (i) {
            joined += ",";
          }
          joined +=
              v->at(i)->is_string() ? std::string(v->at(i)->as_string()) : json::dump(*v->at(i));
        }
        om.push_back({"OutputValue", json::Value(joined)});
      } else {
        om.push_back({"OutputValue", v->is_string() ? *v : json::Value(json::dump(*v))});
      }
      if (!o.description.empty()) {
        om.push_back({"Description", json::Value(o.description)});
      }
      if (!o.export_name.is_null()) {
        auto name = tmpl::evaluate(o.export_name, scope_);
        if (!name.ok()) {
          return name.error;
        }
        std::string n = name->is_string() ? std::string(name->as_string()) : json::dump(*name);
        auto existing = m_.store.get_document(kExportKind, region_ + "/" + n);
        if (existing) {
          json::Value e = json::parse(existing->json).value;
          if (str(e, "ExportingStackId") != id_) {
            return "Export with name " + n + " is already exported by stack " +
                   str(e, "ExportingStackName");
          }
        }
        om.push_back({"ExportName", json::Value(n)});
        exported.insert(n);
        writes.push_back(
            m_.put(kExportKind, region_ + "/" + n,
                   json::Value::object({{"Name", json::Value(n)},
                                        {"Value", om[1].value},
                                        {"ExportingStackId", json::Value(id_)},
                                        {"ExportingStackName", *stack_.find("StackName")}})));
      }
      outputs.push_back(json::Value::object(std::move(om)));
    }
    // Exports this stack no longer makes go away.
    for (const json::Value& o : stack_.find("Outputs")->as_array()) {
      std::string n = str(o, "ExportName");
      if (!n.empty() && !exported.count(n)) {
        store::DocumentWrite w;
        w.op = store::DocumentWrite::Op::Delete;
        w.doc.kind = kExportKind;
        w.doc.key = region_ + "/" + n;
        writes.push_back(w);
      }
    }
    stack_.set("Outputs", json::Value::array(std::move(outputs)));
    return {};
  }

  void remove_exports(std::vector<store::DocumentWrite>& writes) {
    for (const json::Value& o : stack_.find("Outputs")->as_array()) {
      std::string n = str(o, "ExportName");
      if (!n.empty()) {
        store::DocumentWrite w;
        w.op = store::DocumentWrite::Op::Delete;
        w.doc.kind = kExportKind;
        w.doc.key = region_ + "/" + n;
        writes.push_back(w);
      }
    }
  }

  // ---- operations ----

  void create() {
    if (!load_template(str(stack_, "TemplateBody"), *stack_.find("Parameters"))) {
      fail_create(error_);
      return;
    }
    GraphResult g = run_graph(
        enabled_order(), [&](const std::string& id) { return deps_of(id); },
        [&](const std::string& id) { return create_one(id, false); });
    if (g == GraphResult::Interrupted) {
      return;
    }
    if (g == GraphResult::Failed) {
      fail_create("The following resource(s) failed to create: " + join(failures_) +
                  ". Rollback requested by user.");
      return;
    }
    std::vector<store::DocumentWrite> writes;
    if (std::string e = write_outputs(writes); !e.empty()) {
      fail_create(e);
      return;
    }
    status("CREATE_COMPLETE", "", std::move(writes));
  }

  void fail_create(const std::string& reason) {
    if (stack_.find("DisableRollback") && stack_.find("DisableRollback")->as_bool()) {
      status("CREATE_FAILED", reason);
      return;
    }
    status("ROLLBACK_IN_PROGRESS", reason);
    rollback_create();
  }

  void rollback_create() {
    failures_.clear();
    GraphResult g = delete_all(all_resource_ids(), false);
    if (g == GraphResult::Interrupted) {
      return;
    }
    if (g == GraphResult::Failed) {
      status("ROLLBACK_FAILED",
             "The following resource(s) failed to delete: " + join(failures_) + ". ");
      return;
    }
    status("ROLLBACK_COMPLETE", "");
  }

  void remove_stack() {
    failures_.clear();
    GraphResult g = delete_all(all_resource_ids(), false);
    if (g == GraphResult::Interrupted) {
      return;
    }
    if (g == GraphResult::Failed) {
      status("DELETE_FAILED",
             "The following resource(s) failed to delete: " + join(failures_) + ". ");
      return;
    }
    std::vector<store::DocumentWrite> writes;
    remove_exports(writes);
    stack_.set("DeletionTime", json::Value(m_.clock.now_ms()));
    status("DELETE_COMPLETE", "", std::move(writes));
  }

  void update() {
    update_mode_ = "UPDATE";
    if (!load_template(str(stack_, "TemplateBody"), *stack_.find("Parameters"))) {
      status("UPDATE_ROLLBACK_IN_PROGRESS", error_);
      update_rollback();
      return;
    }
    GraphResult g = run_graph(
        enabled_order(), [&](const std::string& id) { return deps_of(id); },
        [&](const std::string& id) { return update_one(id); });
    if (g == GraphResult::Interrupted) {
      return;
    }
    if (g == GraphResult::Failed) {
      status("UPDATE_ROLLBACK_IN_PROGRESS",
             "The following resource(s) failed to update: " + join(failures_) + ". ");
      update_rollback();
      return;
    }
    std::vector<store::DocumentWrite> writes;
    if (std::string e = write_outputs(writes); !e.empty()) {
      status("UPDATE_ROLLBACK_IN_PROGRESS", e);
      update_rollback();
      return;
    }
    status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "", std::move(writes));
    cleanup_and_complete();
  }

  // After a successful update: delete what was replaced and what the template no longer has.
  void cleanup_and_complete() {
    if (!tmpl_ && !load_template(str(stack_, "TemplateBody"), *stack_.find("Parameters"))) {
      status("UPDATE_COMPLETE", "");
      return;
    }
    std::vector<std::string> removed, replaced;
    for (const std::string& id : all_resource_ids()) {
      json::Value r = resource(id);
      if (!tmpl_->resource(id) || !enabled(id)) {
        removed.push_back(id);
      } else if (str(r, "Action") == "Replace") {
        replaced.push_back(id);
      }
    }
    for (const std::string& id : replaced) {
      delete_one(id, true, false);
    }
    delete_all(removed, true);
    clear_update_marks();
    status("UPDATE_COMPLETE", "");
  }

  void clear_update_marks() {
    for (const std::string& id : all_resource_ids()) {
      json::Value r = resource(id);
      if (r.find("Action") || r.find("Previous")) {
        r.erase("Action");
        r.erase("Previous");
        save_resource(id, r, "", "");
      }
    }
  }

  void update_rollback() {
    failures_.clear();
    // Undo in reverse creation order: what the update created goes, what it changed returns.
    std::vector<std::string> ids = all_resource_ids();
    std::vector<std::string> created;
    for (const std::string& id : ids) {
      json::Value r = resource(id);
      std::string action = str(r, "Action");
      if (action == "Update") {
        json::Value prev = *r.find("Previous");
        r.set("ResourceStatus", json::Value("UPDATE_IN_PROGRESS"));
        save_resource(id, r, "UPDATE_IN_PROGRESS", "");
        ResourceProvider* p = provider(str(prev, "ResourceType"));
        ProvidedResource current;
        current.physical_id = str(r, "PhysicalResourceId");
        current.ref = str(r, "Ref");
        current.attributes = r.find("Attributes") ? *r.find("Attributes") : json::Value::object();
        auto res =
            p ? p->update(context(id, prev.find("Generation")->as_int()), current,
                          r.find("Properties") ? *r.find("Properties") : json::Value::object(),
                          *prev.find("Properties"))
              : Result<ProvidedResource>(current);
        r.set("PhysicalResourceId", *prev.find("PhysicalResourceId"));
        r.set("Ref", *prev.find("Ref"));
        r.set("Attributes", *prev.find("Attributes"));
        r.set("Properties", *prev.find("Properties"));
        r.erase("Action");
        r.erase("Previous");
        if (!res.ok()) {
          r.set("ResourceStatus", json::Value("UPDATE_FAILED"));
          save_resource(id, r, "UPDATE_FAILED", handler_reason(res.error()));
          failures_.push_back(id);
        } else {
          r.set("ResourceStatus", json::Value("UPDATE_COMPLETE"));
          save_resource(id, r, "UPDATE_COMPLETE", "");
        }
      } else if (action == "Replace") {
        json::Value prev = *r.find("Previous");
        std::string failed_physical = str(r, "PhysicalResourceId");
        if (failed_physical != str(prev, "PhysicalResourceId") && !failed_physical.empty()) {
          // The replacement exists: delete it, then point back at the original.
          ResourceProvider* p = provider(str(r, "ResourceType"));
          if (p) {
            (void)p->remove(context(id, r.find("Generation")->as_int()), failed_physical,
                            r.find("Properties") ? *r.find("Properties") : json::Value::object());
          }
        }
        r.set("PhysicalResourceId", *prev.find("PhysicalResourceId"));
        r.set("Ref", *prev.find("Ref"));
        r.set("Attributes", *prev.find("Attributes"));
        r.set("Properties", *prev.find("Properties"));
        r.set("ResourceType", *prev.find("ResourceType"));
        r.set("Generation", *prev.find("Generation"));
        r.erase("Action");
        r.erase("Previous");
        r.set("ResourceStatus", json::Value("UPDATE_COMPLETE"));
        save_resource(id, r, "UPDATE_COMPLETE", "");
      } else if (action == "Create") {
        created.push_back(id);
      }
    }
    // Restore the previous template, parameters and outputs.
    if (const json::Value* prev = stack_.find("Previous")) {
      stack_.set("TemplateBody", *prev->find("TemplateBody"));
      stack_.set("Parameters", *prev->find("Parameters"));
      stack_.set("Outputs", *prev->find("Outputs"));
      stack_.set("Description", *prev->find("Description"));
    }
    status("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "");
    tmpl_.reset();
    delete_all(created, true);
    finish_update_rollback();
  }

  void finish_update_rollback() {
    clear_update_marks();
    stack_.erase("Previous");
    status("UPDATE_ROLLBACK_COMPLETE", "");
  }

  Service::Impl& m_;
  json::Value stack_;
  std::string id_, region_;
  std::mutex mu_;
  std::map<std::string, json::Value> resources_;
  std::optional<tmpl::Template> tmpl_;
  tmpl::ParameterValues params_;
  std::map<std::string, bool, std::less<>> conditions_;
  tmpl::Scope scope_;
  std::string error_;
  std::string update_mode_;
  std::vector<std::string> failures_;
};

void Service::Impl::launch(const std::string& stack_id, const std::string& operation) {
  // Called with mu held.
  running.insert(stack_id);
  threads.emplace_back([this, stack_id, operation] { run_operation(stack_id, operation); });
}

void Service::Impl::run_operation(const std::string& stack_id, std::string operation) {
  try {
    auto d = store.get_document(kStackKind, stack_id);
    if (d) {
      Operation op(*this, json::parse(d->json).value);
      op.run(operation);
    }
  } catch (const std::exception&) {
    // A failing store (StoreError): the stack stays in progress and the next start resumes it.
  }
  std::lock_guard lock(mu);
  running.erase(stack_id);
  idle_cv.notify_all();
}

}  // namespace signoff::deploy
