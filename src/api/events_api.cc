// Amazon EventBridge (JSON 1.1, X-Amz-Target AWSEvents.*): request shapes validated with AWS's
// messages, service calls on the blocking pool (most of them commit), answers in AWS's shapes.
// EventBridge names members in PascalCase but its validation messages in camelCase ('name',
// 'targets.1.member.id'), so each object is read through a camelCased copy.
#include "api/events_api.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "api/protocol/json_protocol.h"

namespace signoff::api {

namespace {

using bus::EventsService;

// A shallow copy with each member's first letter lowercased.
json::Value camel(const json::Value& obj) {
  if (!obj.is_object()) {
    return obj;
  }
  std::vector<json::Member> out;
  for (const json::Member& m : obj.as_object()) {
    std::string k = m.key;
    if (!k.empty()) {
      k[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(k[0])));
    }
    out.push_back({std::move(k), m.value});
  }
  return json::Value::object(std::move(out));
}

// add_violation shows the value as given: AWS quotes values.
std::string quoted(std::string_view v) {
  std::string out;
  out.reserve(v.size() + 2);  // appends, not operator+: g++ 12 warns falsely (-Wrestrict) on that
  out.push_back('\'');
  out.append(v);
  out.push_back('\'');
  return out;
}

bool matches_charset(std::string_view s, std::string_view extra) {
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

void check_name(JsonReader& in, std::string_view field, const std::string& v,
                std::string_view extra, std::string_view pattern) {
  if (!v.empty() && !matches_charset(v, extra)) {
    in.add_violation(field, quoted(v),
                     "Member must satisfy regular expression pattern: " + std::string(pattern));
  }
}

std::string rule_name(JsonReader& in, std::string_view field) {
  std::string v = in.required_string(field, {1, 64});
  check_name(in, field, v, ".-_", "[\\.\\-_A-Za-z0-9]+");
  return v;
}

std::string bus_name(JsonReader& in) {
  return in.optional_string("eventBusName", {1, 1600}).value_or("");
}

bus::ListRequest list_request(JsonReader& in, const char* prefix_field) {
  bus::ListRequest r;
  if (prefix_field != nullptr) {
    r.prefix = in.optional_string(prefix_field, {1, 256}).value_or("");
  }
  r.token = in.optional_string("nextToken", {1, 2048}).value_or("");
  r.limit = static_cast<size_t>(in.optional_int("limit", {1, 100}).value_or(100));
  return r;
}

json::Value with_token(json::Value out, const std::string& token) {
  if (!token.empty()) {
    out.set("NextToken", json::Value(token));
  }
  return out;
}

json::Value failed_entries(const std::vector<bus::EntryFailure>& failed) {
  std::vector<json::Value> items;
  for (const bus::EntryFailure& f : failed) {
    items.push_back(json::Value::object({{"TargetId", json::Value(f.id)},
                                         {"ErrorCode", json::Value(f.code)},
                                         {"ErrorMessage", json::Value(f.message)}}));
  }
  return json::Value::object(
      {{"FailedEntryCount", json::Value(static_cast<int64_t>(failed.size()))},
       {"FailedEntries", json::Value::array(std::move(items))}});
}

// Validates one Target's shape (the service checks what needs more than the shape); the first
// error, with the member's full path, as AWS reports it.
std::optional<AwsError> check_target(const json::Value& t, size_t index) {
  std::string prefix = "targets." + std::to_string(index + 1) + ".member";
  json::Value c = camel(t);
  JsonReader in(c, prefix);
  std::string id = in.required_string("id", {1, 64});
  check_name(in, "id", id, ".-_", "[\\.\\-_A-Za-z0-9]+");
  in.required_string("arn", {1, 1600});
  in.optional_string("roleArn", {1, 1600});
  in.optional_string("input", {0, 8192});
  in.optional_string("inputPath", {0, 256});
  auto transformer = in.optional_object("inputTransformer");
  auto retry = in.optional_object("retryPolicy");
  auto dead_letter = in.optional_object("deadLetterConfig");
  in.optional_object("httpParameters");
  if (auto e = in.error()) {
    return e;
  }
  if (transformer) {
    json::Value ct = camel(*transformer);
    JsonReader tin(ct, prefix + ".inputTransformer");
    tin.required_string("inputTemplate", {1, 8192});
    if (auto paths = tin.optional_object("inputPathsMap")) {
      for (const json::Member& m : paths->as_object()) {
        if (!m.value.is_string()) {
          return serialization_error("Unexpected value in map 'inputPathsMap', expected string");
        }
      }
    }
    if (auto e = tin.error()) {
      return e;
    }
  }
  if (retry) {
    json::Value cr = camel(*retry);
    JsonReader rin(cr, prefix + ".retryPolicy");
    rin.optional_int("maximumRetryAttempts", {0, 185});
    rin.optional_int("maximumEventAgeInSeconds", {60, 86400});
    if (auto e = rin.error()) {
      return e;
    }
  }
  if (dead_letter) {
    json::Value cd = camel(*dead_letter);
    JsonReader din(cd, prefix + ".deadLetterConfig");
    din.optional_string("arn", {1, 1600});
    if (auto e = din.error()) {
      return e;
    }
  }
  return std::nullopt;
}

using Handler = std::function<Result<json::Value>(const json::Value& body)>;

// Every operation runs on the blocking pool: most commit, and the others are cheap.
void add(JsonOperations& ops, BlockingPool& pool, const char* name, Handler h) {
  ops.emplace(name, JsonOperation([&pool, h = std::move(h)](const RequestContext&, json::Value body,
                                                            JsonReply reply) {
                offload(pool, reply, [h, body = std::move(body), reply] { reply(h(body)); });
              }));
}

template <typename T>
std::optional<AwsError> failed(const signoff::Result<T>& r) {
  if (r.ok()) {
    return std::nullopt;
  }
  return to_aws(r.error());
}

// ARNs for permissions, read from the request as it arrived (camelCased like the handlers read
// it). A bus is named by name or ARN and defaults to "default".
std::string member(const json::Value& body, const char* name) {
  const json::Value* v = body.find(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string events_arn(const RequestContext& ctx, const std::string& resource) {
  return "arn:aws:events:" + ctx.region + ":" + ctx.account + ":" + resource;
}

std::string bus_of(const std::string& name_or_arn) {
  if (name_or_arn.empty()) {
    return "default";
  }
  size_t at = name_or_arn.rfind(":event-bus/");
  return at == std::string::npos ? name_or_arn : name_or_arn.substr(at + 11);
}

std::string bus_arn(const RequestContext& ctx, const std::string& name_or_arn) {
  if (name_or_arn.rfind("arn:", 0) == 0) {
    return name_or_arn;
  }
  return events_arn(ctx, "event-bus/" + bus_of(name_or_arn));
}

// rule/NAME on the default bus, rule/BUS/NAME on a custom one (the two rule resource types).
std::string rule_arn(const RequestContext& ctx, const std::string& bus_name_or_arn,
                     const std::string& rule) {
  std::string bus = bus_of(bus_name_or_arn);
  return events_arn(ctx, bus == "default" ? "rule/" + rule : "rule/" + bus + "/" + rule);
}

// What each operation must be allowed to do, per the EventBridge entry of the Service
// Authorization Reference. List operations and TestEventPattern have no resource type ("*").
JsonPermissions events_permissions() {
  using Body = const json::Value&;
  using Resource = std::function<std::string(const RequestContext&, Body)>;
  auto perm = [](const char* action, Resource r) {
    return Permission<json::Value>{std::string("events:") + action, std::move(r)};
  };
  auto bus = [](const char* field) -> Resource {
    return [field](const RequestContext& ctx, Body raw) {
      return bus_arn(ctx, member(camel(raw), field));
    };
  };
  auto rule = [](const char* field) -> Resource {
    return [field](const RequestContext& ctx, Body raw) {
      json::Value body = camel(raw);
      return rule_arn(ctx, member(body, "eventBusName"), member(body, field));
    };
  };
  auto named = [](const char* type) -> Resource {
    return [type](const RequestContext& ctx, Body raw) {
      return events_arn(ctx, std::string(type) + "/" + member(camel(raw), "name"));
    };
  };
  // One request may put events on several buses while a permission names one resource: a
  // request on one bus is judged on that bus, a mixed one on "*" (only an unrestricted grant
  // covers it), so no bus is written without its own allow.
  Resource put_events = [](const RequestContext& ctx, Body raw) -> std::string {
    json::Value body = camel(raw);
    const json::Value* entries = body.find("entries");
    std::optional<std::string> only;
    if (entries != nullptr && entries->is_array()) {
      for (const json::Value& e : entries->as_array()) {
        std::string arn = bus_arn(ctx, e.is_object() ? member(camel(e), "eventBusName") : "");
        if (only && *only != arn) {
          return "*";
        }
        only = arn;
      }
    }
    return only.value_or(bus_arn(ctx, ""));
  };
  return {
      {"CreateEventBus", perm("CreateEventBus", bus("name"))},
      {"DescribeEventBus", perm("DescribeEventBus", bus("name"))},
      {"ListEventBuses", perm("ListEventBuses", nullptr)},
      {"DeleteEventBus", perm("DeleteEventBus", bus("name"))},
      {"PutPermission", perm("PutPermission", bus("eventBusName"))},
      {"RemovePermission", perm("RemovePermission", bus("eventBusName"))},
      {"PutRule", perm("PutRule", rule("name"))},
      {"DescribeRule", perm("DescribeRule", rule("name"))},
      {"ListRules", perm("ListRules", nullptr)},
      {"EnableRule", perm("EnableRule", rule("name"))},
      {"DisableRule", perm("DisableRule", rule("name"))},
      {"DeleteRule", perm("DeleteRule", rule("name"))},
      {"ListRuleNamesByTarget", perm("ListRuleNamesByTarget", nullptr)},
      {"PutTargets", perm("PutTargets", rule("rule"))},
      {"RemoveTargets", perm("RemoveTargets", rule("rule"))},
      {"ListTargetsByRule", perm("ListTargetsByRule", rule("rule"))},
      {"PutEvents", perm("PutEvents", put_events)},
      {"TestEventPattern", perm("TestEventPattern", nullptr)},
      {"CreateConnection", perm("CreateConnection", named("connection"))},
      {"DescribeConnection", perm("DescribeConnection", named("connection"))},
      {"DeleteConnection", perm("DeleteConnection", named("connection"))},
      {"ListConnections", perm("ListConnections", nullptr)},
      {"CreateApiDestination", perm("CreateApiDestination", named("api-destination"))},
      {"DescribeApiDestination", perm("DescribeApiDestination", named("api-destination"))},
      {"DeleteApiDestination", perm("DeleteApiDestination", named("api-destination"))},
      {"ListApiDestinations", perm("ListApiDestinations", nullptr)},
  };
}

}  // namespace

void register_events_api(Router& router, EventsService& ev, BlockingPool& pool) {
  JsonOperations ops;

  // ------------------------------------------------------------------------ event buses
  add(ops, pool, "CreateEventBus", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 256});
    check_name(in, "name", name, "/.-_", "[/\\.\\-_A-Za-z0-9]+");
    std::string description = in.optional_string("description", {0, 512}).value_or("");
    in.optional_string("eventSourceName", {1, 256});
    in.optional_array("tags");
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.create_event_bus(name, description);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "DescribeEventBus", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.optional_string("name", {1, 1600}).value_or("default");
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.describe_event_bus(name);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "ListEventBuses", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    auto lr = list_request(in, "namePrefix");
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.list_event_buses(lr);
    if (auto e = failed(r)) {
      return *e;
    }
    return with_token(json::Value::object({{"EventBuses", json::Value::array(r->items)}}),
                      r->next_token);
  });
  add(ops, pool, "DeleteEventBus", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 256});
    if (auto e = in.error()) {
      return *e;
    }
    if (auto e = failed(ev.delete_event_bus(name))) {
      return *e;
    }
    return json::Value::object();
  });
  add(ops, pool, "PutPermission", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string bus = bus_name(in);
    auto policy = in.optional_string("policy", {1, 10240});
    auto action = in.optional_string("action", {1, 64});
    auto principal = in.optional_string("principal", {1, 12});
    auto sid = in.optional_string("statementId", {1, 64});
    auto condition = in.optional_object("condition");
    if (auto e = in.error()) {
      return *e;
    }
    signoff::Result<Unit> r = Unit{};
    if (policy) {
      auto p = json::parse(*policy);
      if (!p.ok() || !p.value.is_object()) {
        return validation_error("Parameter Policy is not valid.");
      }
      r = ev.put_permission(bus, p.value, true);
    } else {
      if (!action || !principal || !sid) {
        return validation_error(
            "Parameter(s) Action, Principal and StatementId must be specified when Policy is "
            "not.");
      }
      json::Value who =
          *principal == "*"
              ? json::Value("*")
              : json::Value::object({{"AWS", json::Value("arn:aws:iam::" + *principal + ":root")}});
      json::Value st = json::Value::object({{"Sid", json::Value(*sid)},
                                            {"Effect", json::Value("Allow")},
                                            {"Principal", who},
                                            {"Action", json::Value(*action)}});
      if (condition) {
        st.set("Condition", *condition);
      }
      r = ev.put_permission(bus, st, false);
    }
    if (auto e = failed(r)) {
      return *e;
    }
    return json::Value::object();
  });
  add(ops, pool, "RemovePermission", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string bus = bus_name(in);
    auto sid = in.optional_string("statementId", {1, 64});
    bool all = in.optional_bool("removeAllPermissions").value_or(false);
    if (auto e = in.error()) {
      return *e;
    }
    if (!all && !sid) {
      return validation_error("Parameter StatementId is required.");
    }
    if (auto e = failed(ev.remove_permission(bus, sid.value_or(""), all))) {
      return *e;
    }
    return json::Value::object();
  });

  // ------------------------------------------------------------------------ rules
  add(ops, pool, "PutRule", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    bus::PutRuleRequest r;
    r.name = rule_name(in, "name");
    r.schedule_expression = in.optional_string("scheduleExpression", {0, 256});
    r.event_pattern = in.optional_string("eventPattern", {0, 4096});
    r.state = in.optional_string("state");
    if (r.state && *r.state != "ENABLED" && *r.state != "DISABLED") {
      in.add_violation("state", quoted(*r.state),
                       "Member must satisfy enum value set: [ENABLED, DISABLED, "
                       "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
    }
    r.description = in.optional_string("description", {0, 512});
    r.role_arn = in.optional_string("roleArn", {1, 1600});
    r.bus = bus_name(in);
    in.optional_array("tags");
    if (auto e = in.error()) {
      return *e;
    }
    auto arn = ev.put_rule(r);
    if (auto e = failed(arn)) {
      return *e;
    }
    return json::Value::object({{"RuleArn", json::Value(*arn)}});
  });
  add(ops, pool, "DescribeRule", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = rule_name(in, "name");
    std::string bus = bus_name(in);
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.describe_rule(name, bus);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "ListRules", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    auto lr = list_request(in, "namePrefix");
    lr.bus = bus_name(in);
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.list_rules(lr);
    if (auto e = failed(r)) {
      return *e;
    }
    return with_token(json::Value::object({{"Rules", json::Value::array(r->items)}}),
                      r->next_token);
  });
  for (const char* op : {"EnableRule", "DisableRule"}) {
    bool enable = std::string_view(op) == "EnableRule";
    add(ops, pool, op, [&ev, enable](const json::Value& raw) -> Result<json::Value> {
      json::Value body = camel(raw);
      JsonReader in(body);
      std::string name = rule_name(in, "name");
      std::string bus = bus_name(in);
      if (auto e = in.error()) {
        return *e;
      }
      if (auto e = failed(ev.set_rule_state(name, bus, enable))) {
        return *e;
      }
      return json::Value::object();
    });
  }
  add(ops, pool, "DeleteRule", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = rule_name(in, "name");
    std::string bus = bus_name(in);
    bool force = in.optional_bool("force").value_or(false);
    if (auto e = in.error()) {
      return *e;
    }
    if (auto e = failed(ev.delete_rule(name, bus, force))) {
      return *e;
    }
    return json::Value::object();
  });
  add(ops, pool, "ListRuleNamesByTarget", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string arn = in.required_string("targetArn", {1, 1600});
    auto lr = list_request(in, nullptr);
    lr.bus = bus_name(in);
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.list_rule_names_by_target(arn, lr);
    if (auto e = failed(r)) {
      return *e;
    }
    return with_token(json::Value::object({{"RuleNames", json::Value::array(r->items)}}),
                      r->next_token);
  });

  // ------------------------------------------------------------------------ targets
  add(ops, pool, "PutTargets", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string rule = rule_name(in, "rule");
    std::string bus = bus_name(in);
    auto targets = in.optional_array("targets");
    if (!targets) {
      in.add_violation("targets", "null", "Member must not be null");
    } else if (targets->size() == 0 || targets->size() > 100) {
      in.add_violation("targets", quoted(json::dump(*targets)),
                       targets->size() == 0 ? "Member must have length greater than or equal to 1"
                                            : "Member must have length less than or equal to 100");
    }
    if (auto e = in.error()) {
      return *e;
    }
    for (size_t i = 0; i < targets->size(); ++i) {
      if (!targets->at(i)->is_object()) {
        return serialization_error("Unexpected value in list 'targets', expected object");
      }
      if (auto e = check_target(*targets->at(i), i)) {
        return *e;
      }
    }
    auto items = targets->as_array();
    std::vector<json::Value> list(items.begin(), items.end());
    auto r = ev.put_targets(rule, bus, list);
    if (auto e = failed(r)) {
      return *e;
    }
    return failed_entries(*r);
  });
  add(ops, pool, "RemoveTargets", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string rule = rule_name(in, "rule");
    std::string bus = bus_name(in);
    auto ids = in.optional_string_list("ids");
    in.optional_bool("force");
    if (!ids) {
      in.add_violation("ids", "null", "Member must not be null");
    }
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.remove_targets(rule, bus, *ids);
    if (auto e = failed(r)) {
      return *e;
    }
    return failed_entries(*r);
  });
  add(ops, pool, "ListTargetsByRule", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string rule = rule_name(in, "rule");
    auto lr = list_request(in, nullptr);
    lr.bus = bus_name(in);
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.list_targets_by_rule(rule, lr);
    if (auto e = failed(r)) {
      return *e;
    }
    return with_token(json::Value::object({{"Targets", json::Value::array(r->items)}}),
                      r->next_token);
  });

  // ------------------------------------------------------------------------ events
  add(ops, pool, "PutEvents", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    auto entries = in.optional_array("entries");
    in.optional_string("endpointId", {1, 50});
    if (!entries) {
      in.add_violation("entries", "null", "Member must not be null");
    } else if (entries->size() == 0 || entries->size() > 10) {
      in.add_violation("entries", quoted(json::dump(*entries)),
                       entries->size() == 0 ? "Member must have length greater than or equal to 1"
                                            : "Member must have length less than or equal to 10");
    }
    if (auto e = in.error()) {
      return *e;
    }
    std::vector<bus::PutEventsEntry> list;
    for (size_t i = 0; i < entries->size(); ++i) {
      json::Value c = camel(*entries->at(i));
      JsonReader ein(c, "entries." + std::to_string(i + 1) + ".member");
      bus::PutEventsEntry e;
      auto source = ein.optional_string("source");
      auto detail_type = ein.optional_string("detailType");
      auto detail = ein.optional_string("detail");
      e.has_source = source.has_value();
      e.has_detail_type = detail_type.has_value();
      e.has_detail = detail.has_value();
      e.source = source.value_or("");
      e.detail_type = detail_type.value_or("");
      e.detail = detail.value_or("");
      e.bus = ein.optional_string("eventBusName", {1, 1600}).value_or("");
      e.resources = ein.optional_string_list("resources").value_or(std::vector<std::string>{});
      ein.optional_string("traceHeader", {1, 500});
      if (const json::Value* t = c.find("time"); t && t->is_number()) {
        e.time_ms = static_cast<int64_t>(std::llround(t->as_double() * 1000.0));
      }
      if (auto err = ein.error()) {
        return *err;
      }
      list.push_back(std::move(e));
    }
    auto r = ev.put_events(list);
    if (auto e = failed(r)) {
      return *e;
    }
    std::vector<json::Value> out;
    for (const bus::PutEventsResultEntry& e : r->entries) {
      if (e.error_code.empty()) {
        out.push_back(json::Value::object({{"EventId", json::Value(e.event_id)}}));
      } else {
        out.push_back(json::Value::object({{"ErrorCode", json::Value(e.error_code)},
                                           {"ErrorMessage", json::Value(e.error_message)}}));
      }
    }
    return json::Value::object({{"FailedEntryCount", json::Value(r->failed)},
                                {"Entries", json::Value::array(std::move(out))}});
  });
  add(ops, pool, "TestEventPattern", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string pattern = in.required_string("eventPattern", {0, 4096});
    std::string event = in.required_string("event");
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.test_event_pattern(pattern, event);
    if (auto e = failed(r)) {
      return *e;
    }
    return json::Value::object({{"Result", json::Value(*r)}});
  });

  // ------------------------------------------------------------------------ connections
  add(ops, pool, "CreateConnection", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 64});
    check_name(in, "name", name, ".-_", "[\\.\\-_A-Za-z0-9]+");
    in.optional_string("description", {0, 512});
    std::string type = in.required_string("authorizationType");
    if (!type.empty() && type != "API_KEY" && type != "BASIC" &&
        type != "OAUTH_CLIENT_CREDENTIALS") {
      in.add_violation("authorizationType", quoted(type),
                       "Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, "
                       "API_KEY]");
    }
    if (!in.optional_object("authParameters")) {
      in.add_violation("authParameters", "null", "Member must not be null");
    }
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.create_connection(raw);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "DescribeConnection", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 64});
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.describe_connection(name);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "DeleteConnection", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 64});
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.delete_connection(name);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "ListConnections", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    auto lr = list_request(in, "namePrefix");
    in.optional_string("connectionState");
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.list_connections(lr);
    if (auto e = failed(r)) {
      return *e;
    }
    return with_token(json::Value::object({{"Connections", json::Value::array(r->items)}}),
                      r->next_token);
  });
  add(ops, pool, "CreateApiDestination", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 64});
    check_name(in, "name", name, ".-_", "[\\.\\-_A-Za-z0-9]+");
    in.optional_string("description", {0, 512});
    in.required_string("connectionArn", {1, 1600});
    in.required_string("invocationEndpoint", {1, 2047});
    std::string method = in.required_string("httpMethod");
    static const char* kMethods[] = {"POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"};
    if (!method.empty() &&
        std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) {
      in.add_violation("httpMethod", quoted(method),
                       "Member must satisfy enum value set: [HEAD, POST, PATCH, DELETE, PUT, "
                       "GET, OPTIONS]");
    }
    in.optional_int("invocationRateLimitPerSecond", {1, INT64_MAX});
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.create_api_destination(raw);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "DescribeApiDestination", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 64});
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.describe_api_destination(name);
    if (auto e = failed(r)) {
      return *e;
    }
    return *r;
  });
  add(ops, pool, "DeleteApiDestination", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    std::string name = in.required_string("name", {1, 64});
    if (auto e = in.error()) {
      return *e;
    }
    if (auto e = failed(ev.delete_api_destination(name))) {
      return *e;
    }
    return json::Value::object();
  });
  add(ops, pool, "ListApiDestinations", [&ev](const json::Value& raw) -> Result<json::Value> {
    json::Value body = camel(raw);
    JsonReader in(body);
    auto lr = list_request(in, "namePrefix");
    in.optional_string("connectionArn", {1, 1600});
    if (auto e = in.error()) {
      return *e;
    }
    auto r = ev.list_api_destinations(lr);
    if (auto e = failed(r)) {
      return *e;
    }
    return with_token(json::Value::object({{"ApiDestinations", json::Value::array(r->items)}}),
                      r->next_token);
  });

  router.add_json_service("events", "AWSEvents", JsonVersion::V1_1, std::move(ops), {},
                          events_permissions());
}

}  // namespace signoff::api
