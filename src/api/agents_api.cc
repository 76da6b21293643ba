// The agents API: thin decoding (the service validates agent settings itself, as they are
// nested documents), writes on the blocking pool, and one permission per operation.
#include "api/agents_api.h"

#include "api/protocol/json_protocol.h"

namespace signoff::api {

namespace {

using agents::AgentsService;
using ServiceCall = std::function<signoff::Result<json::Value>()>;

void answer(BlockingPool& pool, const JsonReply& reply, ServiceCall call) {
  offload(pool, reply, [reply, call = std::move(call)] {
    auto r = call();
    if (!r.ok()) {
      return reply.fail(to_aws(r.error()));
    }
    reply.ok(std::move(*r));
  });
}

std::string member(const json::Value& body, const char* name) {
  const json::Value* v = body.is_object() ? body.find(name) : nullptr;
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

JsonPermissions agents_permissions(AgentsService* svc) {
  using Body = const json::Value&;
  auto on_agent = [svc](const char* action) {
    return Permission<json::Value>{std::string("signoff:") + action,
                                   [svc](const RequestContext&, Body body) {
                                     return svc->agent_arn(member(body, "AgentName"));
                                   }};
  };
  auto on_all = [](const char* action) {
    return Permission<json::Value>{std::string("signoff:") + action, nullptr};
  };
  return {
      {"CreateAgent", on_agent("CreateAgent")},
      {"UpdateAgent", on_agent("UpdateAgent")},
      {"DescribeAgent", on_agent("DescribeAgent")},
      {"DeleteAgent", on_agent("DeleteAgent")},
      {"SuspendAgent", on_agent("SuspendAgent")},
      {"ResumeAgent", on_agent("ResumeAgent")},
      {"ListAgents", on_all("ListAgents")},
      {"ListAgentDecisions", on_all("ListAgentDecisions")},
  };
}

}  // namespace

void register_agents_api(Router& router, AgentsService& service, BlockingPool& pool,
                         const Authorizer* authorizer) {
  JsonOperations ops;
  AgentsService* svc = &service;
  BlockingPool* p = &pool;
  auto by_name = [p](std::function<signoff::Result<json::Value>(const std::string&)> fn) {
    return JsonOperation([p, fn](const RequestContext&, json::Value body, JsonReply reply) {
      JsonReader in(body);
      std::string name = in.required_string("AgentName", {1, 64});
      if (auto e = in.error()) {
        return reply.fail(*e);
      }
      answer(*p, reply, [fn, name] { return fn(name); });
    });
  };
  auto whole_body =
      [p, authorizer](std::function<signoff::Result<json::Value>(const json::Value&)> fn) {
        return JsonOperation(
            [p, fn, authorizer](const RequestContext& ctx, json::Value body, JsonReply reply) {
              JsonReader in(body);
              in.required_string("AgentName", {1, 64});
              std::string role = in.optional_string("RoleArn", {1, 2048}).value_or("");
              if (auto e = in.error()) {
                return reply.fail(*e);
              }
              // An agent decides with its role's rights, so naming a role takes iam:PassRole on it,
              // as giving a role to any AWS service does.
              if (!role.empty() && authorizer) {
                Decision d = authorizer->authorize(ctx.principal, "iam:PassRole", role);
                if (d != Decision::Allow) {
                  return reply.fail(access_denied(Protocol::Json, "signoff", ctx.principal,
                                                  "iam:PassRole", role, d));
                }
              }
              answer(*p, reply, [fn, body] { return fn(body); });
            });
      };
  ops.emplace("CreateAgent",
              whole_body([svc](const json::Value& b) { return svc->create_agent(b); }));
  ops.emplace("UpdateAgent",
              whole_body([svc](const json::Value& b) { return svc->update_agent(b); }));
  ops.emplace("DescribeAgent",
              by_name([svc](const std::string& n) { return svc->describe_agent(n); }));
  ops.emplace("DeleteAgent", by_name([svc](const std::string& n) -> signoff::Result<json::Value> {
                auto r = svc->delete_agent(n);
                if (!r.ok()) {
                  return r.error();
                }
                return json::Value::object();
              }));
  ops.emplace("SuspendAgent",
              by_name([svc](const std::string& n) { return svc->set_suspended(n, true); }));
  ops.emplace("ResumeAgent",
              by_name([svc](const std::string& n) { return svc->set_suspended(n, false); }));
  ops.emplace("ListAgents",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto max = in.optional_int("MaxResults", {1, 100}).value_or(100);
                std::string token = in.optional_string("NextToken").value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, token, max] {
                  return svc->list_agents(token, static_cast<size_t>(max));
                });
              }));
  ops.emplace(
      "ListAgentDecisions",
      JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
        JsonReader in(body);
        std::string agent = in.optional_string("AgentName", {1, 64}).value_or("");
        std::string exec = in.optional_string("AutomationExecutionId", {36, 36}).value_or("");
        auto max = in.optional_int("MaxResults", {1, 100}).value_or(100);
        std::string token = in.optional_string("NextToken").value_or("");
        if (auto e = in.error()) {
          return reply.fail(*e);
        }
        answer(*p, reply, [svc, agent, exec, token, max] {
          return svc->list_decisions(agent, exec, token, static_cast<size_t>(max));
        });
      }));
  router.add_json_service("signoff", "SignoffAgents", JsonVersion::V1_1, std::move(ops), {},
                          agents_permissions(svc));
}

}  // namespace signoff::api
