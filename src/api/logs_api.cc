// CloudWatch Logs: the operations `aws logs tail` and Lambda users need. Every operation reads
// or writes the store, so all run on the blocking pool.
#include "api/logs_api.h"

#include "api/protocol/json_protocol.h"

namespace signoff::api {

namespace {

using logs::LogsService;

AwsError aws(const signoff::Error& e) {
  return AwsError{e.status, e.type, e.message};
}

Result<json::Value> unit_or_error(const signoff::Result<Unit>& r) {
  if (!r.ok()) {
    return aws(r.error());
  }
  return json::Value::object();
}

Result<json::Value> value_or_error(const signoff::Result<json::Value>& r) {
  if (!r.ok()) {
    return aws(r.error());
  }
  return *r;
}

template <typename F>
JsonOperation blocking(BlockingPool& pool, F fn) {
  return JsonOperation([&pool, fn](const RequestContext& ctx, json::Value body, JsonReply reply) {
    offload(pool, reply, [ctx, body = std::move(body), reply, fn] {
      JsonReader in(body);
      reply(fn(ctx, in));
    });
  });
}

size_t limit_of(const std::optional<int64_t>& v, size_t fallback) {
  return v && *v > 0 ? static_cast<size_t>(*v) : fallback;
}

std::string member(const json::Value& body, const char* name) {
  const json::Value* v = body.find(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The group a request names: logGroupIdentifier (a name or an ARN, with or without ":*") wins
// over logGroupName, as in the handlers.
std::string group_of(const json::Value& body) {
  std::string id = member(body, "logGroupIdentifier");
  if (id.empty()) {
    return member(body, "logGroupName");
  }
  size_t at = id.rfind(":log-group:");
  if (id.rfind("arn:", 0) != 0 || at == std::string::npos) {
    return id;
  }
  std::string name = id.substr(at + 11);
  if (name.size() >= 2 && name.compare(name.size() - 2, 2, ":*") == 0) {
    name.resize(name.size() - 2);
  }
  return name;
}

std::string logs_arn(const RequestContext& ctx, const std::string& resource) {
  return "arn:aws:logs:" + ctx.region + ":" + ctx.account + ":" + resource;
}

// What each operation must be allowed to do, per the CloudWatch Logs entry of the Service
// Authorization Reference. Operations on a group act on log-group:NAME:* (the group's ARN as
// DescribeLogGroups reports it, which `log-group:NAME:*` policies match); those on one stream act
// on log-group:NAME:log-stream:STREAM. DescribeLogGroups names no group, and CloudWatch Logs
// then evaluates the empty group "log-group::log-stream:", which account-wide patterns such as
// arn:aws:logs:REGION:ACCOUNT:* cover.
JsonPermissions logs_permissions() {
  using Body = const json::Value&;
  using Resource = std::function<std::string(const RequestContext&, Body)>;
  auto perm = [](const char* action, Resource r) {
    return Permission<json::Value>{std::string("logs:") + action, std::move(r)};
  };
  Resource group = [](const RequestContext& ctx, Body body) {
    return logs_arn(ctx, "log-group:" + group_of(body) + ":*");
  };
  Resource stream = [](const RequestContext& ctx, Body body) {
    return logs_arn(ctx,
                    "log-group:" + group_of(body) + ":log-stream:" + member(body, "logStreamName"));
  };
  Resource any_group = [](const RequestContext& ctx, Body) {
    return logs_arn(ctx, "log-group::log-stream:");
  };
  return {
      {"CreateLogGroup", perm("CreateLogGroup", group)},
      {"DeleteLogGroup", perm("DeleteLogGroup", group)},
      {"DescribeLogGroups", perm("DescribeLogGroups", any_group)},
      {"CreateLogStream", perm("CreateLogStream", stream)},
      {"DescribeLogStreams", perm("DescribeLogStreams", group)},
      {"PutLogEvents", perm("PutLogEvents", stream)},
      {"GetLogEvents", perm("GetLogEvents", stream)},
      {"FilterLogEvents", perm("FilterLogEvents", group)},
  };
}

}  // namespace

void register_logs_api(Router& router, LogsService& svc, BlockingPool& pool) {
  JsonOperations ops;
  ops.emplace(
      "CreateLogGroup",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        std::string name = in.required_string("logGroupName", {1, 512});
        if (auto e = in.error()) {
          return *e;
        }
        return unit_or_error(svc.create_log_group(ctx.region, name));
      }));
  ops.emplace(
      "DeleteLogGroup",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        std::string name = in.required_string("logGroupName", {1, 512});
        if (auto e = in.error()) {
          return *e;
        }
        return unit_or_error(svc.delete_log_group(ctx.region, name));
      }));
  ops.emplace(
      "DescribeLogGroups",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        logs::ListRequest r;
        r.region = ctx.region;
        r.prefix = in.optional_string("logGroupNamePrefix", {1, 512}).value_or("");
        r.next_token = in.optional_string("nextToken").value_or("");
        r.limit = limit_of(in.optional_int("limit", {1, 50}), 50);
        if (auto e = in.error()) {
          return *e;
        }
        return value_or_error(svc.describe_log_groups(r));
      }));
  ops.emplace(
      "CreateLogStream",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        std::string group = in.required_string("logGroupName", {1, 512});
        std::string stream = in.required_string("logStreamName", {1, 512});
        if (auto e = in.error()) {
          return *e;
        }
        return unit_or_error(svc.create_log_stream(ctx.region, group, stream));
      }));
  ops.emplace(
      "DescribeLogStreams",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        logs::ListRequest r;
        r.region = ctx.region;
        r.group = in.required_string("logGroupName", {1, 512});
        r.prefix = in.optional_string("logStreamNamePrefix", {1, 512}).value_or("");
        r.next_token = in.optional_string("nextToken").value_or("");
        r.limit = limit_of(in.optional_int("limit", {1, 50}), 50);
        auto order = in.optional_string("orderBy");
        r.order_by_last_event = order && *order == "LastEventTime";
        r.descending = in.optional_bool("descending").value_or(false);
        if (order && *order != "LastEventTime" && *order != "LogStreamName") {
          in.add_violation("orderBy", *order,
                           "Member must satisfy enum value set: [LogStreamName, "
                           "LastEventTime]");
        }
        if (auto e = in.error()) {
          return *e;
        }
        return value_or_error(svc.describe_log_streams(r));
      }));
  ops.emplace(
      "PutLogEvents",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        std::string group = in.required_string("logGroupName", {1, 512});
        std::string stream = in.required_string("logStreamName", {1, 512});
        auto list = in.optional_array("logEvents");
        if (!list) {
          in.add_violation("logEvents", "null", "Member must not be null");
        }
        if (auto e = in.error()) {
          return *e;
        }
        std::vector<logs::InputEvent> events;
        for (const json::Value& ev : list->as_array()) {
          JsonReader er(ev, "logEvents");
          logs::InputEvent e;
          e.timestamp = er.required_int("timestamp");
          e.message = er.required_string("message", {1, 262144});
          if (auto err = er.error()) {
            return *err;
          }
          events.push_back(std::move(e));
        }
        return value_or_error(svc.put_log_events(ctx.region, group, stream, std::move(events)));
      }));
  ops.emplace(
      "GetLogEvents",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        logs::GetEventsRequest r;
        r.region = ctx.region;
        r.group = in.optional_string("logGroupName", {1, 512}).value_or("");
        if (auto id = in.optional_string("logGroupIdentifier")) {
          r.group = *id;
        }
        r.stream = in.required_string("logStreamName", {1, 512});
        r.start_time = in.optional_int("startTime", {0});
        r.end_time = in.optional_int("endTime", {0});
        r.start_from_head = in.optional_bool("startFromHead").value_or(false);
        r.limit = limit_of(in.optional_int("limit", {1, 10000}), 10000);
        r.next_token = in.optional_string("nextToken").value_or("");
        if (auto e = in.error()) {
          return *e;
        }
        return value_or_error(svc.get_log_events(r));
      }));
  ops.emplace(
      "FilterLogEvents",
      blocking(pool, [&svc](const RequestContext& ctx, JsonReader& in) -> Result<json::Value> {
        logs::FilterRequest r;
        r.region = ctx.region;
        r.group = in.optional_string("logGroupName", {1, 512}).value_or("");
        if (auto id = in.optional_string("logGroupIdentifier")) {
          r.group = *id;
        }
        r.stream_names =
            in.optional_string_list("logStreamNames").value_or(std::vector<std::string>{});
        r.stream_prefix = in.optional_string("logStreamNamePrefix").value_or("");
        r.start_time = in.optional_int("startTime", {0});
        r.end_time = in.optional_int("endTime", {0});
        r.filter_pattern = in.optional_string("filterPattern", {0, 1024}).value_or("");
        r.limit = limit_of(in.optional_int("limit", {1, 10000}), 10000);
        r.next_token = in.optional_string("nextToken").value_or("");
        in.optional_bool("interleaved");
        if (auto e = in.error()) {
          return *e;
        }
        return value_or_error(svc.filter_log_events(r));
      }));
  router.add_json_service("logs", "Logs_20140328", JsonVersion::V1_1, std::move(ops), {},
                          logs_permissions());
}

}  // namespace signoff::api
