// AWS::Events::Rule through the EventBridge service. Ref: the rule name, "bus|name" on a bus other
// than the default one (as CloudFormation's handler answers); Arn. Name and EventBusName replace
// it; the pattern, schedule, state, description, role and targets change in place.
#include <set>

#include "bus/events.h"
#include "deploy/resources/resources.h"

namespace signoff::deploy {

namespace {

std::string bus_of(const json::Value& props) {
  std::string bus = prop_string(props, "EventBusName", "default");
  // An ARN names the bus too.
  if (size_t at = bus.find(":event-bus/"); bus.rfind("arn:", 0) == 0 && at != std::string::npos) {
    bus = bus.substr(at + 11);
  }
  return bus.empty() ? "default" : bus;
}

// physical id → (bus, rule name).
std::pair<std::string, std::string> split_id(const std::string& id) {
  size_t bar = id.find('|');
  if (bar == std::string::npos) {
    return {"default", id};
  }
  return {id.substr(0, bar), id.substr(bar + 1)};
}

std::vector<json::Value> targets_of(const json::Value& props) {
  std::vector<json::Value> out;
  const json::Value* t = props.find("Targets");
  if (t && t->is_array()) {
    for (const json::Value& x : t->as_array()) {
      // Input and the transformer's paths map may be written as YAML objects; the API wants
      // text for Input and an object of strings for InputPathsMap.
      json::Value target = x;
      if (const json::Value* in = x.find("Input"); in && !in->is_string()) {
        target.set("Input", json::Value(json::dump(*in)));
      }
      out.push_back(std::move(target));
    }
  }
  return out;
}

Error failed_targets(const std::vector<bus::EntryFailure>& failures) {
  const bus::EntryFailure& f = failures.front();
  return make_error(f.code.empty() ? "ValidationException" : f.code,
                    "Target " + f.id + ": " + f.message);
}

class RuleProvider final : public ResourceProvider {
 public:
  explicit RuleProvider(bus::EventsService& e) : events_(e) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string bus = bus_of(props);
    std::string name = prop_string(props, "Name", ctx.generated_name);
    // PutRule is an upsert: without this check a stack would silently take over a rule that
    // belongs to someone else.
    if (events_.describe_rule(name, bus).ok()) {
      return make_error("AlreadyExists", name + " already exists in stack " + ctx.stack_id);
    }
    auto arn = put(name, bus, props);
    if (!arn.ok()) {
      return arn.error();
    }
    std::vector<json::Value> targets = targets_of(props);
    if (!targets.empty()) {
      auto r = events_.put_targets(name, bus, targets);
      Error failure = r.ok() ? Error{} : r.error();
      if (r.ok() && !r->empty()) {
        failure = failed_targets(*r);
      }
      if (!failure.type.empty()) {
        // Not recorded by the stack: remove what was made so rollback leaves nothing behind.
        (void)remove(ctx, physical_id(bus, name), props);
        return failure;
      }
    }
    ProvidedResource p;
    p.physical_id = physical_id(bus, name);
    p.attributes = json::Value::object({{"Arn", json::Value(*arn)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override {
    return {"Name", "EventBusName"};
  }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    auto [bus, name] = split_id(current.physical_id);
    auto arn = put(name, bus, props);
    if (!arn.ok()) {
      return arn.error();
    }
    std::vector<json::Value> targets = targets_of(props);
    std::set<std::string> keep;
    for (const json::Value& t : targets) {
      keep.insert(prop_string(t, "Id"));
    }
    std::vector<std::string> gone;
    for (const json::Value& t : targets_of(old_props)) {
      if (!keep.count(prop_string(t, "Id"))) {
        gone.push_back(prop_string(t, "Id"));
      }
    }
    if (!gone.empty()) {
      auto r = events_.remove_targets(name, bus, gone);
      if (!r.ok()) {
        return r.error();
      }
    }
    if (!targets.empty()) {
      auto r = events_.put_targets(name, bus, targets);
      if (!r.ok()) {
        return r.error();
      }
      if (!r->empty()) {
        return failed_targets(*r);
      }
    }
    ProvidedResource p = current;
    p.attributes.set("Arn", json::Value(*arn));
    return p;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string bus, name;
    if (physical_id.empty()) {
      bus = bus_of(props);
      name = prop_string(props, "Name", ctx.generated_name);
    } else {
      std::tie(bus, name) = split_id(physical_id);
    }
    // A rule with targets cannot be deleted: remove them first, as the handler does.
    bus::ListRequest lr;
    lr.bus = bus;
    auto listed = events_.list_targets_by_rule(name, lr);
    if (!listed.ok()) {
      return Unit{};  // no such rule (or bus): already gone
    }
    std::vector<std::string> ids;
    for (const json::Value& t : listed->items) {
      ids.push_back(prop_string(t, "Id"));
    }
    if (!ids.empty()) {
      auto r = events_.remove_targets(name, bus, ids);
      if (!r.ok()) {
        return r.error();
      }
    }
    return events_.delete_rule(name, bus, false);
  }

 private:
  static std::string physical_id(const std::string& bus, const std::string& name) {
    return bus == "default" ? name : bus + "|" + name;
  }

  Result<std::string> put(const std::string& name, const std::string& bus,
                          const json::Value& props) {
    bus::PutRuleRequest r;
    r.name = name;
    r.bus = bus;
    if (props.find("EventPattern")) {
      r.event_pattern = prop_document(props, "EventPattern");
    }
    if (props.find("ScheduleExpression")) {
      r.schedule_expression = prop_string(props, "ScheduleExpression");
    }
    r.state = prop_string(props, "State", "ENABLED");
    r.description = prop_string(props, "Description");
    if (props.find("RoleArn")) {
      r.role_arn = prop_string(props, "RoleArn");
    }
    return events_.put_rule(r);
  }

  bus::EventsService& events_;
};

}  // namespace

ProviderPtr events_rule_provider(bus::EventsService& events) {
  return std::make_shared<RuleProvider>(events);
}

}  // namespace signoff::deploy
