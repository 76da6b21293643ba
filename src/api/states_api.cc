// AWS Step Functions (JSON 1.0, X-Amz-Target AWSStepFunctions.*): request shapes in, engine
// calls, response shapes out. Writes run on the blocking pool so the I/O threads never wait
// for a commit.
#include "api/states_api.h"

#include "api/protocol/json_protocol.h"
#include "api/service_util.h"

namespace signoff::api {

namespace {

using engine::Engine;

json::Value epoch(int64_t ms) {
  return json::Value(static_cast<double>(ms) / 1000.0);
}

json::Value parse_or_string(const std::string& text) {
  auto p = json::parse(text);
  return p.ok() ? p.value : json::Value(text);
}

std::vector<store::Tag> read_tags(JsonReader& in, const char* name) {
  std::vector<store::Tag> tags;
  if (auto list = in.optional_array(name)) {
    for (const json::Value& t : list->as_array()) {
      JsonReader tr(t, name);
      store::Tag tag;
      tag.key = tr.optional_string("key", {1, 128}).value_or("");
      tag.value = tr.optional_string("value", {0, 256}).value_or("");
      tags.push_back(std::move(tag));
    }
  }
  return tags;
}

json::Value tags_json(const std::vector<store::Tag>& tags) {
  std::vector<json::Value> out;
  for (const store::Tag& t : tags) {
    out.push_back(
        json::Value::object({{"key", json::Value(t.key)}, {"value", json::Value(t.value)}}));
  }
  return json::Value::array(std::move(out));
}

std::optional<std::string> optional_json_text(JsonReader& in, const char* name) {
  if (auto obj = in.optional_object(name)) {
    return json::dump(*obj);
  }
  return std::nullopt;
}

size_t page_size(const std::optional<int64_t>& max) {
  return max && *max > 0 ? static_cast<size_t>(*max) : 100;
}

// Page tokens wrap the store's keys so clients cannot mistake them for anything else.
std::string wrap_token(const std::string& key) {
  return key.empty() ? "" : "sf1." + key;
}
std::optional<std::string> unwrap_token(const std::optional<std::string>& token) {
  if (!token || token->empty()) {
    return std::string();
  }
  if (token->rfind("sf1.", 0) != 0) {
    return std::nullopt;
  }
  return token->substr(4);
}
AwsError bad_page_token() {
  return AwsError{400, "InvalidToken", "Invalid Token: 'Invalid pagination token'"};
}

// ListStateMachines and ListActivities: one page of the store's records, rendered one by one
// under `member`, with the nextToken AWS expects.
template <typename Fetch, typename Render>
Result<json::Value> list_page(const json::Value& body, const char* member, Fetch fetch,
                              Render render) {
  JsonReader in(body);
  auto max = in.optional_int("maxResults", {0, 1000});
  auto token = unwrap_token(in.optional_string("nextToken", {1, 1024}));
  if (auto e = in.error()) {
    return *e;
  }
  if (!token) {
    return bad_page_token();
  }
  auto page = fetch(*token, page_size(max));
  if (!page.ok()) {
    return to_aws(page.error());
  }
  std::vector<json::Value> items;
  for (const auto& record : page->items) {
    items.push_back(render(record));
  }
  json::Value out = json::Value::object({{member, json::Value::array(std::move(items))}});
  if (!page->next_key.empty()) {
    out.set("nextToken", json::Value(wrap_token(page->next_key)));
  }
  return out;
}

void status_filter_check(JsonReader& in, const std::optional<std::string>& status) {
  if (status && *status != "RUNNING" && *status != "SUCCEEDED" && *status != "FAILED" &&
      *status != "TIMED_OUT" && *status != "ABORTED" && *status != "PENDING_REDRIVE") {
    in.add_violation("statusFilter", *status,
                     "Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, "
                     "ABORTED, FAILED, RUNNING]");
  }
}

json::Value describe_execution_json(const store::ExecutionRecord& e) {
  std::vector<json::Member> m;
  m.push_back({"executionArn", json::Value(e.arn)});
  m.push_back({"stateMachineArn", json::Value(e.state_machine_arn)});
  m.push_back({"name", json::Value(e.name)});
  m.push_back({"status", json::Value(e.status)});
  m.push_back({"startDate", epoch(e.start_date_ms)});
  if (e.stop_date_ms != 0) {
    m.push_back({"stopDate", epoch(e.stop_date_ms)});
  }
  m.push_back({"input", json::Value(e.input)});
  m.push_back({"inputDetails", json::Value::object({{"included", json::Value(true)}})});
  if (e.status == "SUCCEEDED") {
    m.push_back({"output", json::Value(e.output)});
    m.push_back({"outputDetails", json::Value::object({{"included", json::Value(true)}})});
  }
  if (!e.error.empty()) {
    m.push_back({"error", json::Value(e.error)});
  }
  if (!e.cause.empty()) {
    m.push_back({"cause", json::Value(e.cause)});
  }
  if (!e.trace_header.empty()) {
    m.push_back({"traceHeader", json::Value(e.trace_header)});
  }
  m.push_back({"redriveCount", json::Value(0)});
  m.push_back({"redriveStatus", json::Value("NOT_REDRIVABLE")});
  if (e.status == "RUNNING") {
    m.push_back(
        {"redriveStatusReason", json::Value("Execution is RUNNING and cannot be redriven")});
  } else if (e.status == "SUCCEEDED") {
    m.push_back(
        {"redriveStatusReason", json::Value("Execution is SUCCEEDED and cannot be redriven")});
  } else {
    m.push_back(
        {"redriveStatusReason", json::Value("Execution redrive is not supported by Signoff")});
  }
  return json::Value::object(std::move(m));
}

// A stored event with its timestamp as epoch seconds (the wire form) and, unless asked for,
// without execution data.
json::Value event_json(const store::HistoryEventRecord& r, bool include_data) {
  auto parsed = json::parse(r.json);
  if (!parsed.ok()) {
    return json::Value::object();
  }
  json::Value e = parsed.value;
  e.set("timestamp", epoch(r.timestamp_ms));
  if (!include_data) {
    for (json::Member& m : e.mutable_object()) {
      if (m.value.is_object() && m.key.size() > 12 &&
          m.key.compare(m.key.size() - 12, 12, "EventDetails") == 0) {
        m.value.erase("input");
        m.value.erase("output");
      }
    }
  }
  return e;
}

// What each operation must be allowed to do: IAM action and resource ARN, per the Step Functions
// entry of the Service Authorization Reference. Resources are read from the request body as it
// arrived; a missing member yields an ARN with an empty name, which no allowing policy for a real
// resource matches, and the handler then answers its validation error to allowed callers.
JsonPermissions states_permissions() {
  using Body = const json::Value&;
  auto member = [](Body body, const char* name) {
    const json::Value* v = body.find(name);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  auto arn_in = [member](const char* name) {
    return [member, name](const RequestContext&, Body body) {
      return member(body, name);
    };
  };
  auto named = [member](const char* type) {
    return [member, type](const RequestContext& ctx, Body body) {
      return "arn:aws:states:" + ctx.region + ":" + ctx.account + ":" + type + ":" +
             member(body, "name");
    };
  };
  auto perm = [](const char* action, std::function<std::string(const RequestContext&, Body)> r) {
    return Permission<json::Value>{std::string("states:") + action, std::move(r)};
  };
  return {
      {"CreateStateMachine", perm("CreateStateMachine", named("stateMachine"))},
      {"DescribeStateMachine", perm("DescribeStateMachine", arn_in("stateMachineArn"))},
      {"UpdateStateMachine", perm("UpdateStateMachine", arn_in("stateMachineArn"))},
      {"DeleteStateMachine", perm("DeleteStateMachine", arn_in("stateMachineArn"))},
      {"ListStateMachines", perm("ListStateMachines", nullptr)},
      {"ValidateStateMachineDefinition", perm("ValidateStateMachineDefinition", nullptr)},
      {"StartExecution", perm("StartExecution", arn_in("stateMachineArn"))},
      {"StartSyncExecution", perm("StartSyncExecution", arn_in("stateMachineArn"))},
      {"DescribeExecution", perm("DescribeExecution", arn_in("executionArn"))},
      {"DescribeStateMachineForExecution",
       perm("DescribeStateMachineForExecution", arn_in("executionArn"))},
      {"ListExecutions", perm("ListExecutions", arn_in("stateMachineArn"))},
      {"GetExecutionHistory", perm("GetExecutionHistory", arn_in("executionArn"))},
      {"StopExecution", perm("StopExecution", arn_in("executionArn"))},
      {"SendTaskSuccess", perm("SendTaskSuccess", nullptr)},
      {"SendTaskFailure", perm("SendTaskFailure", nullptr)},
      {"SendTaskHeartbeat", perm("SendTaskHeartbeat", nullptr)},
      {"CreateActivity", perm("CreateActivity", named("activity"))},
      {"DescribeActivity", perm("DescribeActivity", arn_in("activityArn"))},
      {"DeleteActivity", perm("DeleteActivity", arn_in("activityArn"))},
      {"ListActivities", perm("ListActivities", nullptr)},
      {"GetActivityTask", perm("GetActivityTask", arn_in("activityArn"))},
      {"TagResource", perm("TagResource", arn_in("resourceArn"))},
      {"UntagResource", perm("UntagResource", arn_in("resourceArn"))},
      {"ListTagsForResource", perm("ListTagsForResource", arn_in("resourceArn"))},
  };
}

}  // namespace

void register_states_api(Router& router, Engine& engine, BlockingPool& pool) {
  JsonOperations ops;

  ops.emplace(
      "CreateStateMachine",
      JsonOperation([&engine, &pool](const RequestContext& ctx, json::Value body, JsonReply reply) {
        JsonReader in(body);
        engine::CreateStateMachineRequest r;
        r.region = ctx.region;
        r.name = in.required_string("name", {1, 80});
        r.definition = in.required_string("definition", {1, 1048576});
        r.role_arn = in.required_string("roleArn", {1, 256});
        r.type = in.optional_string("type").value_or("");
        if (!r.type.empty() && r.type != "STANDARD" && r.type != "EXPRESS") {
          in.add_violation("type", r.type,
                           "Member must satisfy enum value set: [STANDARD, EXPRESS]");
        }
        r.logging_configuration = optional_json_text(in, "loggingConfiguration").value_or("");
        r.tracing_configuration = optional_json_text(in, "tracingConfiguration").value_or("");
        r.description = in.optional_string("versionDescription", {0, 256}).value_or("");
        r.tags = read_tags(in, "tags");
        in.optional_bool("publish");
        if (auto e = in.error()) {
          return reply.fail(*e);
        }
        offload_call(
            pool, reply, [&engine, r = std::move(r)] { return engine.create_state_machine(r); },
            [](const auto& v) {
              return json::Value::object({{"stateMachineArn", json::Value(v.state_machine_arn)},
                                          {"creationDate", epoch(v.creation_date_ms)}});
            });
      }));

  ops.emplace("DescribeStateMachine",
              JsonOperation([&engine](const RequestContext&,
                                      const json::Value& body) -> Result<json::Value> {
                JsonReader in(body);
                std::string arn = in.required_string("stateMachineArn", {1, 256});
                in.optional_bool("includedData");
                if (auto e = in.error()) {
                  return *e;
                }
                auto sm = engine.describe_state_machine(arn);
                if (!sm.ok()) {
                  return to_aws(sm.error());
                }
                std::vector<json::Member> m;
                m.push_back({"stateMachineArn", json::Value(sm->arn)});
                m.push_back({"name", json::Value(sm->name)});
                m.push_back({"status", json::Value(sm->status)});
                m.push_back({"definition", json::Value(sm->definition)});
                m.push_back({"roleArn", json::Value(sm->role_arn)});
                m.push_back({"type", json::Value(sm->type)});
                m.push_back({"creationDate", epoch(sm->creation_date_ms)});
                m.push_back({"loggingConfiguration", parse_or_string(sm->logging_configuration)});
                m.push_back({"tracingConfiguration", parse_or_string(sm->tracing_configuration)});
                if (!sm->description.empty()) {
                  m.push_back({"description", json::Value(sm->description)});
                }
                m.push_back({"revisionId", json::Value(sm->revision_id)});
                return json::Value::object(std::move(m));
              }));

  ops.emplace(
      "UpdateStateMachine",
      JsonOperation([&engine, &pool](const RequestContext&, json::Value body, JsonReply reply) {
        JsonReader in(body);
        engine::UpdateStateMachineRequest r;
        r.state_machine_arn = in.required_string("stateMachineArn", {1, 256});
        r.definition = in.optional_string("definition", {1, 1048576});
        r.role_arn = in.optional_string("roleArn", {1, 256});
        r.logging_configuration = optional_json_text(in, "loggingConfiguration");
        r.tracing_configuration = optional_json_text(in, "tracingConfiguration");
        in.optional_bool("publish");
        in.optional_string("versionDescription", {0, 256});
        if (auto e = in.error()) {
          return reply.fail(*e);
        }
        offload_call(
            pool, reply, [&engine, r = std::move(r)] { return engine.update_state_machine(r); },
            [](const auto& v) {
              return json::Value::object({{"updateDate", epoch(v.update_date_ms)},
                                          {"revisionId", json::Value(v.revision_id)}});
            });
      }));

  ops.emplace(
      "DeleteStateMachine",
      JsonOperation([&engine, &pool](const RequestContext&, json::Value body, JsonReply reply) {
        JsonReader in(body);
        std::string arn = in.required_string("stateMachineArn", {1, 256});
        if (auto e = in.error()) {
          return reply.fail(*e);
        }
        offload_call(
            pool, reply, [&engine, arn] { return engine.delete_state_machine(arn); },
            [](const auto&) { return json::Value::object(); });
      }));

  ops.emplace(
      "ListStateMachines", JsonOperation([&engine](const RequestContext&,
                                                   const json::Value& body) -> Result<json::Value> {
        return list_page(
            body, "stateMachines",
            [&](const std::string& t, size_t n) { return engine.list_state_machines(t, n); },
            [](const store::StateMachineRecord& sm) {
              return json::Value::object({{"stateMachineArn", json::Value(sm.arn)},
                                          {"name", json::Value(sm.name)},
                                          {"type", json::Value(sm.type)},
                                          {"creationDate", epoch(sm.creation_date_ms)}});
            });
      }));

  ops.emplace("ValidateStateMachineDefinition",
              JsonOperation([&engine](const RequestContext&,
                                      const json::Value& body) -> Result<json::Value> {
                JsonReader in(body);
                std::string definition = in.required_string("definition", {1, 1048576});
                std::string type = in.optional_string("type").value_or("STANDARD");
                std::string severity = in.optional_string("severity").value_or("ERROR");
                auto max = in.optional_int("maxResults", {0, 100});
                if (auto e = in.error()) {
                  return *e;
                }
                auto v = engine.validate_definition(definition, type);
                std::vector<json::Value> diags;
                size_t limit = max && *max > 0 ? static_cast<size_t>(*max) : 100;
                bool truncated = false;
                for (const json::Value& d : v.diagnostics.as_array()) {
                  const json::Value* sev = d.find("severity");
                  if (severity == "ERROR" && sev && sev->as_string() != "ERROR") {
                    continue;
                  }
                  if (diags.size() == limit) {
                    truncated = true;
                    break;
                  }
                  diags.push_back(d);
                }
                return json::Value::object({{"result", json::Value(v.result)},
                                            {"diagnostics", json::Value::array(std::move(diags))},
                                            {"truncated", json::Value(truncated)}});
              }));

  ops.emplace("StartExecution", JsonOperation([&engine, &pool](const RequestContext&,
                                                               json::Value body, JsonReply reply) {
                JsonReader in(body);
                engine::StartExecutionRequest r;
                r.state_machine_arn = in.required_string("stateMachineArn", {1, 256});
                r.name = in.optional_string("name", {1, 80}).value_or("");
                r.input = in.optional_string("input", {0, 262144});
                r.trace_header = in.optional_string("traceHeader", {0, 256}).value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                offload_call(
                    pool, reply, [&engine, r = std::move(r)] { return engine.start_execution(r); },
                    [](const auto& v) {
                      return json::Value::object({{"executionArn", json::Value(v.execution_arn)},
                                                  {"startDate", epoch(v.start_date_ms)}});
                    });
              }));

  ops.emplace(
      "StartSyncExecution",
      JsonOperation([&engine, &pool](const RequestContext&, json::Value body, JsonReply reply) {
        JsonReader in(body);
        engine::StartExecutionRequest r;
        r.state_machine_arn = in.required_string("stateMachineArn", {1, 256});
        r.name = in.optional_string("name", {1, 80}).value_or("");
        r.input = in.optional_string("input", {0, 262144});
        r.trace_header = in.optional_string("traceHeader", {0, 256}).value_or("");
        in.optional_string("includedData");
        if (auto e = in.error()) {
          return reply.fail(*e);
        }
        offload(pool, reply, [&engine, r = std::move(r), reply] {
          engine.start_sync_execution(r, [reply](signoff::Result<engine::SyncExecutionResult> res) {
            if (!res.ok()) {
              return reply.fail(to_aws(res.error()));
            }
            const store::ExecutionRecord& e = res->execution;
            std::vector<json::Member> m;
            m.push_back({"executionArn", json::Value(e.arn)});
            m.push_back({"stateMachineArn", json::Value(res->state_machine_arn)});
            m.push_back({"name", json::Value(e.name)});
            m.push_back({"startDate", epoch(e.start_date_ms)});
            m.push_back({"stopDate", epoch(e.stop_date_ms)});
            m.push_back({"status", json::Value(e.status)});
            if (!e.error.empty()) {
              m.push_back({"error", json::Value(e.error)});
            }
            if (!e.cause.empty()) {
              m.push_back({"cause", json::Value(e.cause)});
            }
            m.push_back({"input", json::Value(e.input)});
            m.push_back({"inputDetails", json::Value::object({{"included", json::Value(true)}})});
            if (e.status == "SUCCEEDED") {
              m.push_back({"output", json::Value(e.output)});
              m.push_back(
                  {"outputDetails", json::Value::object({{"included", json::Value(true)}})});
            }
            int64_t billed =
                std::max<int64_t>(100, (e.stop_date_ms - e.start_date_ms + 99) / 100 * 100);
            m.push_back(
                {"billingDetails",
                 json::Value::object({{"billedMemoryUsedInMB", json::Value(64)},
                                      {"billedDurationInMilliseconds", json::Value(billed)}})});
            reply.ok(json::Value::object(std::move(m)));
          });
        });
      }));

  ops.emplace("DescribeExecution",
              JsonOperation(
                  [&engine](const RequestContext&, const json::Value& body) -> Result<json::Value> {
                    JsonReader in(body);
                    std::string arn = in.required_string("executionArn", {1, 256});
                    in.optional_string("includedData");
                    if (auto e = in.error()) {
                      return *e;
                    }
                    auto rec = engine.describe_execution(arn);
                    if (!rec.ok()) {
                      return to_aws(rec.error());
                    }
                    return describe_execution_json(*rec);
                  }));

  ops.emplace("DescribeStateMachineForExecution",
              JsonOperation([&engine](const RequestContext&,
                                      const json::Value& body) -> Result<json::Value> {
                JsonReader in(body);
                std::string arn = in.required_string("executionArn", {1, 256});
                in.optional_string("includedData");
                if (auto e = in.error()) {
                  return *e;
                }
                std::string name;
                auto rev = engine.describe_state_machine_for_execution(arn, &name);
                if (!rev.ok()) {
                  return to_aws(rev.error());
                }
                std::vector<json::Member> m;
                m.push_back({"stateMachineArn", json::Value(rev->state_machine_arn)});
                m.push_back({"name", json::Value(name)});
                m.push_back({"definition", json::Value(rev->definition)});
                m.push_back({"roleArn", json::Value(rev->role_arn)});
                m.push_back({"updateDate", epoch(rev->update_date_ms)});
                m.push_back({"loggingConfiguration", parse_or_string(rev->logging_configuration)});
                m.push_back({"tracingConfiguration", parse_or_string(rev->tracing_configuration)});
                m.push_back({"revisionId", json::Value(rev->revision_id)});
                return json::Value::object(std::move(m));
              }));

  ops.emplace(
      "ListExecutions", JsonOperation([&engine](const RequestContext&,
                                                const json::Value& body) -> Result<json::Value> {
        JsonReader in(body);
        auto machine = in.optional_string("stateMachineArn", {1, 256});
        auto status = in.optional_string("statusFilter");
        status_filter_check(in, status);
        auto max = in.optional_int("maxResults", {0, 1000});
        auto token = unwrap_token(in.optional_string("nextToken", {1, 3096}));
        in.optional_string("mapRunArn");
        in.optional_string("redriveFilter");
        if (auto e = in.error()) {
          return *e;
        }
        if (!machine) {
          return AwsError{400, "InvalidArn",
                          "Invalid Arn: 'Either a stateMachineArn or a mapRunArn must be "
                          "specified'"};
        }
        if (!token) {
          return bad_page_token();
        }
        auto page = engine.list_executions(*machine, status.value_or(""), *token, page_size(max));
        if (!page.ok()) {
          return to_aws(page.error());
        }
        std::vector<json::Value> items;
        for (const store::ExecutionRecord& e : page->items) {
          std::vector<json::Member> m;
          m.push_back({"executionArn", json::Value(e.arn)});
          m.push_back({"stateMachineArn", json::Value(e.state_machine_arn)});
          m.push_back({"name", json::Value(e.name)});
          m.push_back({"status", json::Value(e.status)});
          m.push_back({"startDate", epoch(e.start_date_ms)});
          if (e.stop_date_ms != 0) {
            m.push_back({"stopDate", epoch(e.stop_date_ms)});
          }
          items.push_back(json::Value::object(std::move(m)));
        }
        json::Value out =
            json::Value::object({{"executions", json::Value::array(std::move(items))}});
        if (!page->next_key.empty()) {
          out.set("nextToken", json::Value(wrap_token(page->next_key)));
        }
        return out;
      }));

  ops.emplace(
      "GetExecutionHistory",
      JsonOperation([&engine](const RequestContext&,
                              const json::Value& body) -> Result<json::Value> {
        JsonReader in(body);
        engine::HistoryRequest r;
        r.execution_arn = in.required_string("executionArn", {1, 256});
        auto max = in.optional_int("maxResults", {0, 1000});
        r.reverse = in.optional_bool("reverseOrder").value_or(false);
        auto token = unwrap_token(in.optional_string("nextToken", {1, 3096}));
        bool include = in.optional_bool("includeExecutionData").value_or(true);
        if (auto e = in.error()) {
          return *e;
        }
        if (!token) {
          return bad_page_token();
        }
        r.limit = page_size(max);
        if (!token->empty()) {
          char* end = nullptr;
          r.after_or_before_id = std::strtoll(token->c_str(), &end, 10);
          if (end == nullptr || *end != '\0' || r.after_or_before_id <= 0) {
            return bad_page_token();
          }
        }
        // One extra row tells whether another page follows.
        r.limit += 1;
        auto events = engine.history(r);
        if (!events.ok()) {
          return to_aws(events.error());
        }
        bool more = events->size() == r.limit;
        if (more) {
          events->pop_back();
        }
        std::vector<json::Value> items;
        items.reserve(events->size());
        for (const store::HistoryEventRecord& e : *events) {
          items.push_back(event_json(e, include));
        }
        json::Value out = json::Value::object({{"events", json::Value::array(std::move(items))}});
        if (more && !events->empty()) {
          out.set("nextToken", json::Value(wrap_token(std::to_string(events->back().id))));
        }
        return out;
      }));

  ops.emplace(
      "StopExecution",
      JsonOperation([&engine, &pool](const RequestContext&, json::Value body, JsonReply reply) {
        JsonReader in(body);
        std::string arn = in.required_string("executionArn", {1, 256});
        std::string error = in.optional_string("error", {0, 256}).value_or("");
        std::string cause = in.optional_string("cause", {0, 32768}).value_or("");
        if (auto e = in.error()) {
          return reply.fail(*e);
        }
        offload_call(
            pool, reply,
            [&engine, arn, error, cause] { return engine.stop_execution(arn, error, cause); },
            [](const auto& v) {
              return json::Value::object({{"stopDate", epoch(v)}});
            });
      }));

  ops.emplace("SendTaskSuccess", JsonOperation([&engine, &pool](const RequestContext&,
                                                                json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string token = in.required_string("taskToken", {1, 2048});
                std::string output = in.required_string("output", {0, 262144});
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                offload_call(
                    pool, reply,
                    [&engine, token, output] { return engine.send_task_success(token, output); },
                    [](const auto&) { return json::Value::object(); });
              }));

  ops.emplace("SendTaskFailure", JsonOperation([&engine, &pool](const RequestContext&,
                                                                json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string token = in.required_string("taskToken", {1, 2048});
                std::string error = in.optional_string("error", {0, 256}).value_or("");
                std::string cause = in.optional_string("cause", {0, 32768}).value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                offload_call(
                    pool, reply,
                    [&engine, token, error, cause] {
                      return engine.send_task_failure(token, error, cause);
                    },
                    [](const auto&) { return json::Value::object(); });
              }));

  ops.emplace("SendTaskHeartbeat",
              JsonOperation(
                  [&engine](const RequestContext&, const json::Value& body) -> Result<json::Value> {
                    JsonReader in(body);
                    std::string token = in.required_string("taskToken", {1, 2048});
                    if (auto e = in.error()) {
                      return *e;
                    }
                    auto res = engine.send_task_heartbeat(token);
                    if (!res.ok()) {
                      return to_aws(res.error());
                    }
                    return json::Value::object();
                  }));

  ops.emplace(
      "CreateActivity", JsonOperation([&engine](const RequestContext& ctx,
                                                const json::Value& body) -> Result<json::Value> {
        JsonReader in(body);
        std::string name = in.required_string("name", {1, 80});
        auto tags = read_tags(in, "tags");
        if (auto e = in.error()) {
          return *e;
        }
        auto a = engine.create_activity(ctx.region, name, tags);
        if (!a.ok()) {
          return to_aws(a.error());
        }
        return json::Value::object(
            {{"activityArn", json::Value(a->arn)}, {"creationDate", epoch(a->creation_date_ms)}});
      }));

  ops.emplace("DescribeActivity",
              JsonOperation(
                  [&engine](const RequestContext&, const json::Value& body) -> Result<json::Value> {
                    JsonReader in(body);
                    std::string arn = in.required_string("activityArn", {1, 256});
                    if (auto e = in.error()) {
                      return *e;
                    }
                    auto a = engine.describe_activity(arn);
                    if (!a.ok()) {
                      return to_aws(a.error());
                    }
                    return json::Value::object({{"activityArn", json::Value(a->arn)},
                                                {"name", json::Value(a->name)},
                                                {"creationDate", epoch(a->creation_date_ms)}});
                  }));

  ops.emplace("DeleteActivity",
              JsonOperation(
                  [&engine](const RequestContext&, const json::Value& body) -> Result<json::Value> {
                    JsonReader in(body);
                    std::string arn = in.required_string("activityArn", {1, 256});
                    if (auto e = in.error()) {
                      return *e;
                    }
                    auto res = engine.delete_activity(arn);
                    if (!res.ok()) {
                      return to_aws(res.error());
                    }
                    return json::Value::object();
                  }));

  ops.emplace("ListActivities",
              JsonOperation([&engine](const RequestContext&,
                                      const json::Value& body) -> Result<json::Value> {
                return list_page(
                    body, "activities",
                    [&](const std::string& t, size_t n) { return engine.list_activities(t, n); },
                    [](const store::ActivityRecord& a) {
                      return json::Value::object({{"activityArn", json::Value(a.arn)},
                                                  {"name", json::Value(a.name)},
                                                  {"creationDate", epoch(a.creation_date_ms)}});
                    });
              }));

  ops.emplace(
      "GetActivityTask",
      JsonOperation([&engine](const RequestContext&, json::Value body, JsonReply reply) {
        JsonReader in(body);
        std::string arn = in.required_string("activityArn", {1, 256});
        std::string worker = in.optional_string("workerName", {1, 80}).value_or("");
        if (auto e = in.error()) {
          return reply.fail(*e);
        }
        // AWS holds the poll open for up to 60 seconds.
        engine.get_activity_task(
            arn, worker, 60, [reply](signoff::Result<std::optional<engine::ActivityTask>> res) {
              if (!res.ok()) {
                return reply.fail(to_aws(res.error()));
              }
              if (!res.value()) {
                return reply.ok(json::Value::object());
              }
              reply.ok(json::Value::object({{"taskToken", json::Value(res.value()->task_token)},
                                            {"input", json::Value(res.value()->input)}}));
            });
      }));

  ops.emplace("TagResource",
              JsonOperation(
                  [&engine](const RequestContext&, const json::Value& body) -> Result<json::Value> {
                    JsonReader in(body);
                    std::string arn = in.required_string("resourceArn", {1, 256});
                    auto tags = read_tags(in, "tags");
                    if (auto e = in.error()) {
                      return *e;
                    }
                    auto res = engine.tag_resource(arn, tags);
                    if (!res.ok()) {
                      return to_aws(res.error());
                    }
                    return json::Value::object();
                  }));

  ops.emplace("UntagResource",
              JsonOperation(
                  [&engine](const RequestContext&, const json::Value& body) -> Result<json::Value> {
                    JsonReader in(body);
                    std::string arn = in.required_string("resourceArn", {1, 256});
                    auto keys = in.optional_string_list("tagKeys");
                    if (!keys) {
                      in.add_violation("tagKeys", "null", "Member must not be null");
                    }
                    if (auto e = in.error()) {
                      return *e;
                    }
                    auto res = engine.untag_resource(arn, *keys);
                    if (!res.ok()) {
                      return to_aws(res.error());
                    }
                    return json::Value::object();
                  }));

  ops.emplace("ListTagsForResource",
              JsonOperation(
                  [&engine](const RequestContext&, const json::Value& body) -> Result<json::Value> {
                    JsonReader in(body);
                    std::string arn = in.required_string("resourceArn", {1, 256});
                    if (auto e = in.error()) {
                      return *e;
                    }
                    auto res = engine.list_tags(arn);
                    if (!res.ok()) {
                      return to_aws(res.error());
                    }
                    return json::Value::object({{"tags", tags_json(res.value())}});
                  }));

  router.add_json_service("states", "AWSStepFunctions", JsonVersion::V1_0, std::move(ops),
                          "com.amazonaws.swf.service.v2.model", states_permissions());
}

}  // namespace signoff::api
