// AWS CloudFormation over the query protocol (Version 2010-05-15): parameters in, deploy::Service
// calls, XML out. Everything that writes runs on the blocking pool.
#include "api/cloudformation_api.h"

#include <ctime>

#include "api/protocol/xml.h"

namespace signoff::api {

namespace {

constexpr const char* kXmlns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

std::string iso(const json::Value* ms) {
  if (!ms || !ms->is_int()) {
    return {};
  }
  int64_t v = ms->as_int();
  std::time_t secs = static_cast<std::time_t>(v / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(v % 1000));
  return buf;
}

std::string str(const json::Value& v, const char* key) {
  const json::Value* x = v.find(key);
  if (!x) {
    return {};
  }
  if (x->is_string()) {
    return std::string(x->as_string());
  }
  if (x->is_bool()) {
    return x->as_bool() ? "true" : "false";
  }
  return json::dump(*x);
}

void opt(XmlWriter& w, const json::Value& v, const char* key, const char* as = nullptr) {
  std::string s = str(v, key);
  if (!s.empty()) {
    w.element(as ? as : key, s);
  }
}

void time_el(XmlWriter& w, const json::Value& v, const char* key, const char* as = nullptr) {
  std::string s = iso(v.find(key));
  if (!s.empty()) {
    w.element(as ? as : key, s);
  }
}

void string_list(XmlWriter& w, const char* name, const json::Value* list) {
  w.open(name);
  if (list && list->is_array()) {
    for (const json::Value& x : list->as_array()) {
      w.element("member", x.is_string() ? std::string(x.as_string()) : json::dump(x));
    }
  }
  w.close();
}

void members(XmlWriter& w, const char* name, const json::Value* list,
             std::initializer_list<const char*> keys) {
  w.open(name);
  if (list && list->is_array()) {
    for (const json::Value& x : list->as_array()) {
      w.open("member");
      for (const char* k : keys) {
        opt(w, x, k);
      }
      w.close();
    }
  }
  w.close();
}

void drift(XmlWriter& w, const char* key) {
  w.open("DriftInformation").element(key, "NOT_CHECKED").close();
}

void stack_xml(XmlWriter& w, const json::Value& s) {
  w.open("member");
  opt(w, s, "StackId");
  opt(w, s, "StackName");
  opt(w, s, "ChangeSetId");
  opt(w, s, "Description");
  members(w, "Parameters", s.find("Parameters"), {"ParameterKey", "ParameterValue"});
  time_el(w, s, "CreationTime");
  time_el(w, s, "LastUpdatedTime");
  time_el(w, s, "DeletionTime");
  w.open("RollbackConfiguration").close();
  opt(w, s, "StackStatus");
  opt(w, s, "StackStatusReason");
  w.element("DisableRollback", str(s, "DisableRollback") == "true" ? "true" : "false");
  w.open("NotificationARNs").close();
  string_list(w, "Capabilities", s.find("Capabilities"));
  members(w, "Outputs", s.find("Outputs"),
          {"OutputKey", "OutputValue", "Description", "ExportName"});
  members(w, "Tags", s.find("Tags"), {"Key", "Value"});
  w.element("EnableTerminationProtection", "false");
  drift(w, "StackDriftStatus");
  w.close();
}

void event_xml(XmlWriter& w, const json::Value& e) {
  w.open("member");
  for (const char* k : {"StackId", "EventId", "StackName", "LogicalResourceId",
                        "PhysicalResourceId", "ResourceType"}) {
    opt(w, e, k);
  }
  time_el(w, e, "Timestamp");
  opt(w, e, "ResourceStatus");
  opt(w, e, "ResourceStatusReason");
  opt(w, e, "ResourceProperties");
  w.close();
}

void resource_xml(XmlWriter& w, const json::Value& r, bool summary, bool detail) {
  if (!detail) {
    w.open("member");
  }
  if (!summary) {
    opt(w, r, "StackName");
    opt(w, r, "StackId");
  }
  opt(w, r, "LogicalResourceId");
  opt(w, r, "PhysicalResourceId");
  opt(w, r, "ResourceType");
  time_el(w, r, "Timestamp", summary || detail ? "LastUpdatedTimestamp" : "Timestamp");
  opt(w, r, "ResourceStatus");
  opt(w, r, "ResourceStatusReason");
  if (detail) {
    w.element("Metadata", "{}");
  }
  drift(w, "StackResourceDriftStatus");
  if (!detail) {
    w.close();
  }
}

std::vector<deploy::ParameterInput> parameters(const QueryParams& p) {
  std::vector<deploy::ParameterInput> out;
  for (const QueryParams& m : p.structs("Parameters")) {
    deploy::ParameterInput in;
    in.key = m.get_or("ParameterKey");
    if (const std::string* v = m.get("ParameterValue")) {
      in.value = *v;
    }
    in.use_previous = m.get_or("UsePreviousValue") == "true";
    out.push_back(std::move(in));
  }
  return out;
}

deploy::StackRequest stack_request(const RequestContext& ctx, const QueryParams& p) {
  deploy::StackRequest r;
  r.region = ctx.region;
  r.stack_name = p.get_or("StackName");
  r.template_body = p.get_or("TemplateBody");
  r.use_previous_template = p.get_or("UsePreviousTemplate") == "true";
  r.parameters = parameters(p);
  r.capabilities = p.list("Capabilities");
  for (const QueryParams& t : p.structs("Tags")) {
    r.tags.emplace_back(t.get_or("Key"), t.get_or("Value"));
  }
  r.disable_rollback =
      p.get_or("DisableRollback") == "true" || p.get_or("OnFailure") == "DO_NOTHING";
  r.description = p.get_or("Description");
  return r;
}

AwsError aws(const signoff::Error& e) {
  return AwsError{e.status, e.type, e.message};
}

AwsError missing(const char* name) {
  return AwsError{400, "ValidationError",
                  std::string("1 validation error detected: Value null at '") + name +
                      "' failed to satisfy constraint: Member must not be null"};
}

std::string template_params_xml(const json::Value& summary, bool with_type) {
  XmlWriter w;
  w.open("Parameters");
  for (const json::Value& p : summary.find("Parameters")->as_array()) {
    w.open("member");
    opt(w, p, "ParameterKey");
    opt(w, p, "DefaultValue");
    if (with_type) {
      opt(w, p, "ParameterType");
    }
    w.element("NoEcho", str(p, "NoEcho"));
    opt(w, p, "Description");
    if (with_type) {
      w.open("ParameterConstraints");
      string_list(w, "AllowedValues", p.find("AllowedValues"));
      w.close();
    }
    w.close();
  }
  w.close();
  return w.finish();
}

// What each operation must be allowed to do, per the CloudFormation entry of the Service
// Authorization Reference: a stack is arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID, and a
// stack named by name is judged as stack/NAME/* (its id is not known before it exists), one named
// by its id (an ARN) as that ARN. Change set operations act on their stack; a change set named
// by its ARN without StackName is looked up for its stack (a read, as DescribeChangeSet does).
// ListStacks, ListExports, ValidateTemplate and a DescribeStacks without StackName have no
// resource ("*").
QueryPermissions cloudformation_permissions(deploy::Service* s) {
  using Resource = std::function<std::string(const RequestContext&, const QueryParams&)>;
  auto perm = [](const char* action, Resource r) {
    return Permission<QueryParams>{std::string("cloudformation:") + action, std::move(r)};
  };
  auto stack_arn = [](const RequestContext& ctx, const std::string& name_or_id) {
    if (name_or_id.rfind("arn:", 0) == 0) {
      return name_or_id;
    }
    return "arn:aws:cloudformation:" + ctx.region + ":" + ctx.account + ":stack/" + name_or_id +
           "/*";
  };
  Resource stack = [stack_arn](const RequestContext& ctx, const QueryParams& p) {
    return stack_arn(ctx, p.get_or("StackName"));
  };
  Resource stack_or_any = [stack_arn](const RequestContext& ctx,
                                      const QueryParams& p) -> std::string {
    std::string name = p.get_or("StackName");
    return name.empty() ? "*" : stack_arn(ctx, name);
  };
  Resource change_set_stack = [s, stack_arn](const RequestContext& ctx, const QueryParams& p) {
    std::string stack_name = p.get_or("StackName");
    if (stack_name.empty()) {
      auto c = s->describe_change_set(ctx.region, p.get_or("ChangeSetName"), "");
      if (c.ok()) {
        stack_name = str(*c, "StackId");
      }
    }
    return stack_arn(ctx, stack_name);
  };
  return {
      {"CreateStack", perm("CreateStack", stack)},
      {"UpdateStack", perm("UpdateStack", stack)},
      {"DeleteStack", perm("DeleteStack", stack)},
      {"DescribeStacks", perm("DescribeStacks", stack_or_any)},
      {"ListStacks", perm("ListStacks", nullptr)},
      {"DescribeStackEvents", perm("DescribeStackEvents", stack)},
      {"DescribeStackResources", perm("DescribeStackResources", stack)},
      {"DescribeStackResource", perm("DescribeStackResource", stack)},
      {"ListStackResources", perm("ListStackResources", stack)},
      {"GetTemplate", perm("GetTemplate", change_set_stack)},
      {"ValidateTemplate", perm("ValidateTemplate", nullptr)},
      {"GetTemplateSummary", perm("GetTemplateSummary", stack_or_any)},
      {"ListExports", perm("ListExports", nullptr)},
      {"CreateChangeSet", perm("CreateChangeSet", stack)},
      {"DescribeChangeSet", perm("DescribeChangeSet", change_set_stack)},
      {"ExecuteChangeSet", perm("ExecuteChangeSet", change_set_stack)},
      {"DeleteChangeSet", perm("DeleteChangeSet", change_set_stack)},
      {"ListChangeSets", perm("ListChangeSets", stack)},
  };
}

}  // namespace

void register_cloudformation_api(Router& router, deploy::Service& service, BlockingPool& pool) {
  deploy::Service* s = &service;
  BlockingPool* bp = &pool;
  auto writer =
      [s, bp](std::function<Result<std::string>(const RequestContext&, const QueryParams&)> fn) {
        return QueryOperation([bp, fn](const RequestContext& ctx, QueryParams p, QueryReply reply) {
          offload(*bp, reply, [ctx, p = std::move(p), reply, fn] { reply(fn(ctx, p)); });
        });
      };
  (void)s;
  QueryOperations ops;
  ops.emplace("CreateStack",
              writer([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
                if (p.get_or("StackName").empty()) {
                  return missing("stackName");
                }
                auto r = s->create_stack(stack_request(ctx, p));
                if (!r.ok()) {
                  return aws(r.error());
                }
                return XmlWriter().element("StackId", *r).finish();
              }));
  ops.emplace("UpdateStack",
              writer([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
                auto r = s->update_stack(stack_request(ctx, p));
                if (!r.ok()) {
                  return aws(r.error());
                }
                return XmlWriter().element("StackId", *r).finish();
              }));
  ops.emplace("DeleteStack",
              writer([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
                auto r = s->delete_stack(ctx.region, p.get_or("StackName"));
                if (!r.ok()) {
                  return aws(r.error());
                }
                return std::string();
              }));
  ops.emplace("DescribeStacks", QueryOperation([s](const RequestContext& ctx,
                                                   const QueryParams& p) -> Result<std::string> {
                auto r = s->describe_stacks(ctx.region, p.get_or("StackName"));
                if (!r.ok()) {
                  return aws(r.error());
                }
                XmlWriter w;
                w.open("Stacks");
                for (const json::Value& st : *r) {
                  stack_xml(w, st);
                }
                w.close();
                return w.finish();
              }));
  ops.emplace(
      "ListStacks",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        std::vector<std::string> filter = p.list("StackStatusFilter");
        XmlWriter w;
        w.open("StackSummaries");
        for (const json::Value& st : s->list_stacks(ctx.region)) {
          std::string status = str(st, "StackStatus");
          if (!filter.empty() && std::find(filter.begin(), filter.end(), status) == filter.end()) {
            continue;
          }
          w.open("member");
          opt(w, st, "StackId");
          opt(w, st, "StackName");
          opt(w, st, "Description", "TemplateDescription");
          time_el(w, st, "CreationTime");
          time_el(w, st, "LastUpdatedTime");
          time_el(w, st, "DeletionTime");
          w.element("StackStatus", status);
          opt(w, st, "StackStatusReason");
          drift(w, "StackDriftStatus");
          w.close();
        }
        w.close();
        return w.finish();
      }));
  ops.emplace(
      "DescribeStackEvents",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        auto r = s->stack_events(ctx.region, p.get_or("StackName"));
        if (!r.ok()) {
          return aws(r.error());
        }
        XmlWriter w;
        w.open("StackEvents");
        for (const json::Value& e : *r) {
          event_xml(w, e);
        }
        w.close();
        return w.finish();
      }));
  ops.emplace(
      "DescribeStackResources",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        auto r = s->stack_resources(ctx.region, p.get_or("StackName"));
        if (!r.ok()) {
          return aws(r.error());
        }
        std::string logical = p.get_or("LogicalResourceId");
        XmlWriter w;
        w.open("StackResources");
        for (const json::Value& res : *r) {
          if (logical.empty() || str(res, "LogicalResourceId") == logical) {
            resource_xml(w, res, false, false);
          }
        }
        w.close();
        return w.finish();
      }));
  ops.emplace(
      "DescribeStackResource",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        auto r =
            s->stack_resource(ctx.region, p.get_or("StackName"), p.get_or("LogicalResourceId"));
        if (!r.ok()) {
          return aws(r.error());
        }
        XmlWriter w;
        w.open("StackResourceDetail");
        resource_xml(w, *r, false, true);
        w.close();
        return w.finish();
      }));
  ops.emplace(
      "ListStackResources",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        auto r = s->stack_resources(ctx.region, p.get_or("StackName"));
        if (!r.ok()) {
          return aws(r.error());
        }
        XmlWriter w;
        w.open("StackResourceSummaries");
        for (const json::Value& res : *r) {
          resource_xml(w, res, true, false);
        }
        w.close();
        return w.finish();
      }));
  ops.emplace(
      "GetTemplate",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        auto r = s->get_template(ctx.region, p.get_or("StackName"), p.get_or("ChangeSetName"));
        if (!r.ok()) {
          return aws(r.error());
        }
        XmlWriter w;
        w.element("TemplateBody", *r);
        w.open("StagesAvailable")
            .element("member", "Original")
            .element("member", "Processed")
            .close();
        return w.finish();
      }));
  ops.emplace("ValidateTemplate", QueryOperation([s](const RequestContext&,
                                                     const QueryParams& p) -> Result<std::string> {
                auto r = s->validate_template(p.get_or("TemplateBody"));
                if (!r.ok()) {
                  return aws(r.error());
                }
                XmlWriter w;
                w.raw(template_params_xml(*r, false));
                opt(w, *r, "Description");
                string_list(w, "Capabilities", r->find("Capabilities"));
                opt(w, *r, "CapabilitiesReason");
                w.open("DeclaredTransforms").close();
                return w.finish();
              }));
  ops.emplace(
      "GetTemplateSummary",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        auto r = s->template_summary(ctx.region, p.get_or("TemplateBody"), p.get_or("StackName"));
        if (!r.ok()) {
          return aws(r.error());
        }
        XmlWriter w;
        w.raw(template_params_xml(*r, true));
        opt(w, *r, "Description");
        string_list(w, "Capabilities", r->find("Capabilities"));
        opt(w, *r, "CapabilitiesReason");
        string_list(w, "ResourceTypes", r->find("ResourceTypes"));
        w.element("Version", "2010-09-09");
        w.open("DeclaredTransforms").close();
        return w.finish();
      }));
  ops.emplace("ListExports", QueryOperation([s](const RequestContext& ctx,
                                                const QueryParams&) -> Result<std::string> {
                XmlWriter w;
                w.open("Exports");
                for (const json::Value& e : s->list_exports(ctx.region)) {
                  w.open("member");
                  opt(w, e, "ExportingStackId");
                  opt(w, e, "Name");
                  opt(w, e, "Value");
                  w.close();
                }
                w.close();
                return w.finish();
              }));
  ops.emplace("CreateChangeSet",
              writer([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
                deploy::ChangeSetRequest r;
                r.stack = stack_request(ctx, p);
                r.change_set_name = p.get_or("ChangeSetName");
                r.change_set_type = p.get_or("ChangeSetType", "UPDATE");
                if (r.stack.stack_name.empty()) {
                  return missing("stackName");
                }
                auto c = s->create_change_set(r);
                if (!c.ok()) {
                  return aws(c.error());
                }
                return XmlWriter().element("Id", c->id).element("StackId", c->stack_id).finish();
              }));
  ops.emplace(
      "DescribeChangeSet",
      QueryOperation([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
        auto r =
            s->describe_change_set(ctx.region, p.get_or("ChangeSetName"), p.get_or("StackName"));
        if (!r.ok()) {
          return aws(r.error());
        }
        const json::Value& c = *r;
        XmlWriter w;
        for (const char* k :
             {"ChangeSetName", "ChangeSetId", "StackId", "StackName", "Description"}) {
          opt(w, c, k);
        }
        members(w, "Parameters", c.find("Parameters"), {"ParameterKey", "ParameterValue"});
        time_el(w, c, "CreationTime");
        opt(w, c, "ExecutionStatus");
        opt(w, c, "Status");
        opt(w, c, "StatusReason");
        w.open("NotificationARNs").close();
        string_list(w, "Capabilities", c.find("Capabilities"));
        members(w, "Tags", c.find("Tags"), {"Key", "Value"});
        w.open("Changes");
        for (const json::Value& ch : c.find("Changes")->as_array()) {
          w.open("member").element("Type", "Resource").open("ResourceChange");
          const json::Value& rc = *ch.find("ResourceChange");
          for (const char* k : {"Action", "LogicalResourceId", "PhysicalResourceId", "ResourceType",
                                "Replacement"}) {
            opt(w, rc, k);
          }
          w.open("Scope").close().open("Details").close();
          w.close().close();
        }
        w.close();
        w.element("IncludeNestedStacks", "false");
        return w.finish();
      }));
  ops.emplace("ExecuteChangeSet",
              writer([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
                std::string name = p.get_or("ChangeSetName");
                auto r = s->execute_change_set(ctx.region, name, p.get_or("StackName"),
                                               p.get_or("DisableRollback") == "true");
                if (!r.ok()) {
                  return aws(r.error());
                }
                // The CLI's deploy waiter polls every 30 s; small local stacks finish well within
                // this, so answering once the operation settles (or after a bound) saves the first
                // wait.
                auto cs = s->describe_change_set(ctx.region, name, p.get_or("StackName"));
                if (cs.ok()) {
                  s->wait_idle(str(*cs, "StackId"), 10000);
                }
                return std::string();
              }));
  ops.emplace("DeleteChangeSet",
              writer([s](const RequestContext& ctx, const QueryParams& p) -> Result<std::string> {
                auto r = s->delete_change_set(ctx.region, p.get_or("ChangeSetName"),
                                              p.get_or("StackName"));
                if (!r.ok()) {
                  return aws(r.error());
                }
                return std::string();
              }));
  ops.emplace("ListChangeSets", QueryOperation([s](const RequestContext& ctx,
                                                   const QueryParams& p) -> Result<std::string> {
                auto r = s->list_change_sets(ctx.region, p.get_or("StackName"));
                if (!r.ok()) {
                  return aws(r.error());
                }
                XmlWriter w;
                w.open("Summaries");
                for (const json::Value& c : *r) {
                  w.open("member");
                  for (const char* k : {"StackId", "StackName", "ChangeSetId", "ChangeSetName",
                                        "ExecutionStatus", "Status", "StatusReason"}) {
                    opt(w, c, k);
                  }
                  time_el(w, c, "CreationTime");
                  opt(w, c, "Description");
                  w.close();
                }
                w.close();
                return w.finish();
              }));
  router.add_query_service("cloudformation", kXmlns, std::move(ops), cloudformation_permissions(s));
}

}  // namespace signoff::api
