// AWS Systems Manager over AWS JSON 1.1: request shapes in (validated as AWS's models
// constrain them), AutomationService calls on the blocking pool, response shapes out.
#include "api/ssm_api.h"

#include <algorithm>

#include "api/protocol/json_protocol.h"

namespace signoff::api {

namespace {

using automation::AutomationService;
using automation::ListFilter;

using ServiceCall = std::function<signoff::Result<json::Value>()>;

// Runs a service call on the pool (it may wait for a commit) and answers with its result.
void answer(BlockingPool& pool, const JsonReply& reply, ServiceCall call) {
  offload(pool, reply, [reply, call = std::move(call)] {
    auto r = call();
    if (!r.ok()) {
      return reply.fail(to_aws(r.error()));
    }
    reply.ok(std::move(*r));
  });
}

json::Value empty() {
  return json::Value::object();
}

size_t max_results(JsonReader& in, int64_t max, int64_t fallback) {
  auto m = in.optional_int("MaxResults", {1, max});
  return static_cast<size_t>(m.value_or(fallback));
}

std::vector<automation::DocumentTag> read_tags(JsonReader& in) {
  std::vector<automation::DocumentTag> tags;
  if (auto list = in.optional_array("Tags")) {
    for (const json::Value& t : list->as_array()) {
      JsonReader tr(t, "tags");
      automation::DocumentTag tag;
      tag.key = tr.required_string("Key", {1, 128});
      tag.value = tr.required_string("Value", {0, 256});
      tags.push_back(std::move(tag));
    }
  }
  return tags;
}

// Filters of the {Key, Values} form.
std::vector<ListFilter> read_filters(JsonReader& in, const std::vector<std::string>& keys,
                                     size_t max_filters) {
  std::vector<ListFilter> out;
  auto list = in.optional_array("Filters");
  if (!list) {
    return out;
  }
  if (list->size() < 1 || list->size() > max_filters) {
    in.add_violation(
        "filters", std::to_string(list->size()) + " filters",
        "Member must have length less than or equal to " + std::to_string(max_filters));
  }
  for (const json::Value& f : list->as_array()) {
    JsonReader fr(f, "filters");
    ListFilter lf;
    lf.key = fr.required_string("Key", {1, 128});
    lf.values = fr.optional_string_list("Values").value_or(std::vector<std::string>{});
    if (!keys.empty() && std::find(keys.begin(), keys.end(), lf.key) == keys.end() &&
        lf.key.rfind("tag:", 0) != 0) {
      std::string set;
      for (size_t i = 0; i < keys.size(); ++i) {
        set += (i ? ", " : "") + keys[i];
      }
      in.add_violation("filters.member.key", lf.key,
                       "Member must satisfy enum value set: [" + set + "]");
    }
    out.push_back(std::move(lf));
  }
  return out;
}

std::map<std::string, std::vector<std::string>> read_string_list_map(JsonReader& in,
                                                                     const char* name,
                                                                     const char* path) {
  std::map<std::string, std::vector<std::string>> out;
  auto obj = in.optional_object(name);
  if (!obj) {
    return out;
  }
  if (obj->size() > 200) {
    in.add_violation(path, "map", "Member must have length less than or equal to 200");
  }
  for (const json::Member& m : obj->as_object()) {
    if (m.key.empty() || m.key.size() > 50) {
      in.add_violation(path, m.key,
                       "Map keys must satisfy constraint: [Member must have length "
                       "less than or equal to 50, Member must have length greater "
                       "than or equal to 1]");
    }
    std::vector<std::string> values;
    if (!m.value.is_array()) {
      in.add_violation(path, m.key, "Map value must be a list of strings");
      continue;
    }
    for (const json::Value& v : m.value.as_array()) {
      if (!v.is_string()) {
        in.add_violation(path, m.key, "Map value must be a list of strings");
        continue;
      }
      size_t chars = static_cast<size_t>(std::count_if(v.as_string().begin(), v.as_string().end(),
                                                       [](char c) { return (c & 0xC0) != 0x80; }));
      if (chars < 1 || chars > 512) {
        in.add_violation(path, std::string(v.as_string()).substr(0, 64),
                         "Map value must satisfy constraint: [Member must satisfy constraint: "
                         "[Member must have length less than or equal to 512, Member must have "
                         "length greater than or equal to 1]]");
      }
      values.emplace_back(v.as_string());
    }
    out[m.key] = std::move(values);
  }
  return out;
}

void check_enum(JsonReader& in, const char* path, const std::optional<std::string>& value,
                std::initializer_list<const char*> allowed) {
  if (!value) {
    return;
  }
  std::string set;
  for (const char* a : allowed) {
    if (*value == a) {
      return;
    }
    set += (set.empty() ? "" : ", ") + std::string(a);
  }
  in.add_violation(path, *value, "Member must satisfy enum value set: [" + set + "]");
}

void check_document_name(JsonReader& in, const std::string& name) {
  if (!name.empty() && !automation::valid_document_name(name) && name.rfind("arn:", 0) != 0) {
    in.add_violation("name", name,
                     "Member must satisfy regular expression pattern: "
                     "^[a-zA-Z0-9_\\-.:/]{3,128}$");
  }
}

automation::DocumentSelector read_selector(JsonReader& in) {
  automation::DocumentSelector s;
  s.name = in.required_string("Name");
  s.version = in.optional_string("DocumentVersion").value_or("");
  s.version_name = in.optional_string("VersionName", {0, 128}).value_or("");
  check_document_name(in, s.name);
  if (!s.version.empty() && s.version != "$LATEST" && s.version != "$DEFAULT" &&
      s.version.find_first_not_of("0123456789") != std::string::npos) {
    in.add_violation(
        "documentVersion", s.version,
        "Member must satisfy regular expression pattern: ([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)");
  }
  // Names may come as ARNs (arn:aws:ssm:REGION:ACCOUNT:document/NAME).
  if (size_t slash = s.name.find(":document/"); slash != std::string::npos) {
    s.name = s.name.substr(slash + 10);
  }
  return s;
}

// The string member `name` of a request body, or "" (the handler reports its absence).
std::string member(const json::Value& body, const char* name) {
  const json::Value* v = body.find(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The region and account a resource lives in: those of an ARN the caller passed (a document
// shared from another account), else the request's.
struct Scope {
  std::string region;
  std::string account;
};
Scope scope_of(const RequestContext& ctx, const std::string& maybe_arn) {
  Scope s{ctx.region, ctx.account};
  if (maybe_arn.rfind("arn:", 0) != 0) {
    return s;
  }
  // arn:PARTITION:ssm:REGION:ACCOUNT:RESOURCE
  size_t colons[5] = {};
  size_t at = 0;
  for (size_t& c : colons) {
    at = maybe_arn.find(':', at);
    if (at == std::string::npos) {
      return s;
    }
    c = at++;
  }
  s.region = maybe_arn.substr(colons[2] + 1, colons[3] - colons[2] - 1);
  s.account = maybe_arn.substr(colons[3] + 1, colons[4] - colons[3] - 1);
  return s;
}

// A document name as given (a name, or an ARN arn:aws:ssm:REGION:ACCOUNT:document/NAME).
std::string bare_document_name(const std::string& name) {
  size_t at = name.find(":document/");
  return at == std::string::npos ? name : name.substr(at + 10);
}

std::string document_arn(const RequestContext& ctx, const std::string& name) {
  Scope s = scope_of(ctx, name);
  return "arn:aws:ssm:" + s.region + ":" + s.account + ":document/" + bare_document_name(name);
}

std::string execution_arn(const RequestContext& ctx, const std::string& id) {
  return "arn:aws:ssm:" + ctx.region + ":" + ctx.account + ":automation-execution/" + id;
}

// What each operation must be allowed to do, per the Systems Manager entry of the Service
// Authorization Reference: documents are `document/NAME`, executions `automation-execution/ID`,
// and starting an automation acts on `automation-definition/NAME:VERSION` (the version AWS
// reports in its AccessDenied message is the resolved number, so $DEFAULT/$LATEST are resolved
// here; an unknown document keeps the literal and the handler answers its not-found error).
// Operations without a resource type (ListDocuments, DescribeAutomationExecutions) are on "*".
JsonPermissions ssm_permissions(AutomationService* svc) {
  using Body = const json::Value&;
  using Resource = std::function<std::string(const RequestContext&, Body)>;
  auto perm = [](const char* action, Resource r) {
    return Permission<json::Value>{std::string("ssm:") + action, std::move(r)};
  };
  auto document = [](const char* field) -> Resource {
    return [field](const RequestContext& ctx, Body body) {
      return document_arn(ctx, member(body, field));
    };
  };
  Resource execution = [](const RequestContext& ctx, Body body) {
    return execution_arn(ctx, member(body, "AutomationExecutionId"));
  };
  // Tags name their resource by type and id; Signoff tags documents only, and the other types
  // map to their own ARNs so a policy for documents never covers them.
  Resource tagged = [](const RequestContext& ctx, Body body) {
    std::string type = member(body, "ResourceType");
    std::string id = member(body, "ResourceId");
    if (type == "Document") {
      return document_arn(ctx, id);
    }
    if (type == "Automation") {
      return execution_arn(ctx, id);
    }
    return "arn:aws:ssm:" + ctx.region + ":" + ctx.account + ":" + type + "/" + id;
  };
  Resource definition = [svc](const RequestContext& ctx, Body body) {
    std::string name = member(body, "DocumentName");
    std::string version = member(body, "DocumentVersion");
    if (version.empty() || version == "$DEFAULT" || version == "$LATEST") {
      bool latest = version == "$LATEST";
      if (version.empty()) {
        version = "$DEFAULT";
      }
      automation::DocumentSelector s;
      s.name = bare_document_name(name);
      if (auto d = svc->describe_document(s); d.ok()) {
        std::string resolved = member(*d, latest ? "LatestVersion" : "DefaultVersion");
        if (!resolved.empty()) {
          version = resolved;
        }
      }
    }
    Scope s = scope_of(ctx, name);
    return "arn:aws:ssm:" + s.region + ":" + s.account + ":automation-definition/" +
           bare_document_name(name) + ":" + version;
  };
  return {
      {"CreateDocument", perm("CreateDocument", document("Name"))},
      {"UpdateDocument", perm("UpdateDocument", document("Name"))},
      {"UpdateDocumentDefaultVersion", perm("UpdateDocumentDefaultVersion", document("Name"))},
      {"DescribeDocument", perm("DescribeDocument", document("Name"))},
      {"GetDocument", perm("GetDocument", document("Name"))},
      {"ListDocuments", perm("ListDocuments", nullptr)},
      {"ListDocumentVersions", perm("ListDocumentVersions", document("Name"))},
      {"DeleteDocument", perm("DeleteDocument", document("Name"))},
      {"AddTagsToResource", perm("AddTagsToResource", tagged)},
      {"RemoveTagsFromResource", perm("RemoveTagsFromResource", tagged)},
      {"ListTagsForResource", perm("ListTagsForResource", tagged)},
      {"StartAutomationExecution", perm("StartAutomationExecution", definition)},
      {"GetAutomationExecution", perm("GetAutomationExecution", execution)},
      {"DescribeAutomationExecutions", perm("DescribeAutomationExecutions", nullptr)},
      {"DescribeAutomationStepExecutions", perm("DescribeAutomationStepExecutions", execution)},
      {"SendAutomationSignal", perm("SendAutomationSignal", execution)},
      {"StopAutomationExecution", perm("StopAutomationExecution", execution)},
  };
}

}  // namespace

void register_ssm_api(Router& router, AutomationService& service, BlockingPool& pool,
                      PrincipalResolver principal_of) {
  JsonOperations ops;
  AutomationService* svc = &service;
  BlockingPool* p = &pool;

  ops.emplace("CreateDocument",
              JsonOperation([svc, p, principal_of](const RequestContext& ctx, json::Value body,
                                                   JsonReply reply) {
                JsonReader in(body);
                automation::CreateDocumentRequest r;
                r.content = in.required_string("Content", {1, SIZE_MAX});
                r.name = in.required_string("Name");
                r.document_type = in.optional_string("DocumentType").value_or("Command");
                r.document_format = in.optional_string("DocumentFormat").value_or("JSON");
                r.version_name = in.optional_string("VersionName").value_or("");
                r.display_name = in.optional_string("DisplayName", {0, 1024}).value_or("");
                r.target_type = in.optional_string("TargetType", {0, 200}).value_or("");
                r.tags = read_tags(in);
                in.optional_array("Requires");
                in.optional_array("Attachments");
                check_enum(in, "documentFormat", r.document_format, {"YAML", "JSON", "TEXT"});
                if (!automation::valid_document_name(r.name)) {
                  in.add_violation("name", r.name,
                                   "Member must satisfy regular expression pattern: "
                                   "^[a-zA-Z0-9_\\-.]{3,128}$");
                }
                if (!r.version_name.empty() && !automation::valid_version_name(r.version_name)) {
                  in.add_violation("versionName", r.version_name,
                                   "Member must satisfy regular expression pattern: "
                                   "^[a-zA-Z0-9_\\-.]{1,128}$");
                }
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (automation::reserved_document_name(r.name)) {
                  return reply.fail(AwsError{400, "ValidationException",
                                             "Document name must not start with aws-, amazon or "
                                             "amzn: those prefixes are reserved."});
                }
                automation::Principal who = principal_of(ctx);
                answer(*p, reply, [svc, r = std::move(r), who]() -> signoff::Result<json::Value> {
                  auto d = svc->create_document(r, who);
                  if (!d.ok()) {
                    return d.error();
                  }
                  return json::Value::object({{"DocumentDescription", *d}});
                });
              }));

  ops.emplace("UpdateDocument",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                automation::UpdateDocumentRequest r;
                r.content = in.required_string("Content", {1, SIZE_MAX});
                r.name = in.required_string("Name");
                r.document_version = in.optional_string("DocumentVersion").value_or("");
                r.document_format = in.optional_string("DocumentFormat").value_or("JSON");
                r.version_name = in.optional_string("VersionName").value_or("");
                r.display_name = in.optional_string("DisplayName", {0, 1024}).value_or("");
                r.target_type = in.optional_string("TargetType", {0, 200}).value_or("");
                in.optional_array("Attachments");
                check_enum(in, "documentFormat", r.document_format, {"YAML", "JSON", "TEXT"});
                check_document_name(in, r.name);
                if (!r.version_name.empty() && !automation::valid_version_name(r.version_name)) {
                  in.add_violation("versionName", r.version_name,
                                   "Member must satisfy regular expression pattern: "
                                   "^[a-zA-Z0-9_\\-.]{1,128}$");
                }
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, r = std::move(r)]() -> signoff::Result<json::Value> {
                  auto d = svc->update_document(r);
                  if (!d.ok()) {
                    return d.error();
                  }
                  return json::Value::object({{"DocumentDescription", *d}});
                });
              }));

  ops.emplace("UpdateDocumentDefaultVersion",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string name = in.required_string("Name");
                std::string version = in.required_string("DocumentVersion");
                check_document_name(in, name);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply,
                       [svc, name, version] { return svc->update_default_version(name, version); });
              }));

  ops.emplace("DescribeDocument",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto s = read_selector(in);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, s]() -> signoff::Result<json::Value> {
                  auto d = svc->describe_document(s);
                  if (!d.ok()) {
                    return d.error();
                  }
                  return json::Value::object({{"Document", *d}});
                });
              }));

  ops.emplace("GetDocument",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto s = read_selector(in);
                auto format = in.optional_string("DocumentFormat");
                check_enum(in, "documentFormat", format, {"YAML", "JSON", "TEXT"});
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                std::string f = format.value_or("");
                answer(*p, reply, [svc, s, f] { return svc->get_document(s, f); });
              }));

  ops.emplace("ListDocuments",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::vector<ListFilter> filters = read_filters(in, {}, 6);
                if (auto list = in.optional_array("DocumentFilterList")) {
                  for (const json::Value& f : list->as_array()) {
                    JsonReader fr(f, "documentFilterList");
                    std::string key = fr.required_string("key");
                    std::string value = fr.required_string("value", {1, SIZE_MAX});
                    std::optional<std::string> k = key;
                    check_enum(in, "documentFilterList.member.key", k,
                               {"Name", "Owner", "PlatformTypes", "DocumentType"});
                    filters.push_back(ListFilter{key, {value}});
                  }
                }
                size_t max = max_results(in, 50, 50);
                std::string token = in.optional_string("NextToken").value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, filters, token, max] {
                  return svc->list_documents(filters, token, max);
                });
              }));

  ops.emplace("ListDocumentVersions",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string name = in.required_string("Name");
                check_document_name(in, name);
                size_t max = max_results(in, 50, 50);
                std::string token = in.optional_string("NextToken").value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, name, token, max] {
                  return svc->list_document_versions(name, token, max);
                });
              }));

  ops.emplace("DeleteDocument",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto s = read_selector(in);
                bool force = in.optional_bool("Force").value_or(false);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, s, force]() -> signoff::Result<json::Value> {
                  auto r = svc->delete_document(s, force);
                  if (!r.ok()) {
                    return r.error();
                  }
                  return empty();
                });
              }));

  ops.emplace("AddTagsToResource",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto type = in.required_string("ResourceType");
                std::string id = in.required_string("ResourceId");
                auto tags = read_tags(in);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (type != "Document") {
                  return reply.fail(AwsError{400, "InvalidResourceType",
                                             "Signoff tags only resources of type Document."});
                }
                answer(*p, reply, [svc, id, tags]() -> signoff::Result<json::Value> {
                  auto r = svc->add_document_tags(id, tags);
                  if (!r.ok()) {
                    return r.error();
                  }
                  return empty();
                });
              }));

  ops.emplace("RemoveTagsFromResource",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto type = in.required_string("ResourceType");
                std::string id = in.required_string("ResourceId");
                auto keys = in.optional_string_list("TagKeys").value_or(std::vector<std::string>{});
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (type != "Document") {
                  return reply.fail(AwsError{400, "InvalidResourceType",
                                             "Signoff tags only resources of type Document."});
                }
                answer(*p, reply, [svc, id, keys]() -> signoff::Result<json::Value> {
                  auto r = svc->remove_document_tags(id, keys);
                  if (!r.ok()) {
                    return r.error();
                  }
                  return empty();
                });
              }));

  ops.emplace("ListTagsForResource",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto type = in.required_string("ResourceType");
                std::string id = in.required_string("ResourceId");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (type != "Document") {
                  return reply.fail(AwsError{400, "InvalidResourceType",
                                             "Signoff tags only resources of type Document."});
                }
                answer(*p, reply, [svc, id]() -> signoff::Result<json::Value> {
                  auto r = svc->document_tags(id);
                  if (!r.ok()) {
                    return r.error();
                  }
                  std::vector<json::Value> list;
                  for (const auto& t : *r) {
                    list.push_back(json::Value::object(
                        {{"Key", json::Value(t.key)}, {"Value", json::Value(t.value)}}));
                  }
                  return json::Value::object({{"TagList", json::Value::array(std::move(list))}});
                });
              }));

  ops.emplace("StartAutomationExecution",
              JsonOperation([svc, p, principal_of](const RequestContext& ctx, json::Value body,
                                                   JsonReply reply) {
                JsonReader in(body);
                automation::StartRequest r;
                r.document_name = in.required_string("DocumentName");
                r.document_version = in.optional_string("DocumentVersion").value_or("");
                r.parameters = read_string_list_map(in, "Parameters", "parameters");
                r.client_token = in.optional_string("ClientToken", {36, 36}).value_or("");
                auto mode = in.optional_string("Mode");
                check_enum(in, "mode", mode, {"Auto", "Interactive"});
                r.mode = mode.value_or("Auto");
                r.tags = read_tags(in);
                if (in.optional_array("Targets") || in.optional_array("TargetLocations") ||
                    in.optional_array("TargetMaps")) {
                  // Rate-controlled automations target managed instances, which Signoff has none
                  // of.
                  in.add_violation("targets", "[...]",
                                   "Signoff does not run rate-controlled automations");
                }
                in.optional_string("TargetParameterName");
                in.optional_string("MaxConcurrency");
                in.optional_string("MaxErrors");
                check_document_name(in, r.document_name);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                automation::Principal who = principal_of(ctx);
                answer(*p, reply, [svc, r = std::move(r), who]() -> signoff::Result<json::Value> {
                  auto id = svc->start_execution(r, who);
                  if (!id.ok()) {
                    return id.error();
                  }
                  return json::Value::object({{"AutomationExecutionId", json::Value(*id)}});
                });
              }));

  ops.emplace("GetAutomationExecution",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string id = in.required_string("AutomationExecutionId", {36, 36});
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, id] { return svc->get_execution(id); });
              }));

  ops.emplace("DescribeAutomationExecutions",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                auto filters = read_filters(
                    in,
                    {"DocumentNamePrefix", "ExecutionStatus", "ExecutionId", "ParentExecutionId",
                     "CurrentAction", "StartTimeBefore", "StartTimeAfter", "AutomationType",
                     "TagKey", "TargetResourceGroup", "AutomationSubtype", "OpsItemId"},
                    10);
                size_t max = max_results(in, 50, 50);
                std::string token = in.optional_string("NextToken").value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, filters, token, max] {
                  return svc->describe_executions(filters, token, max);
                });
              }));

  ops.emplace("DescribeAutomationStepExecutions",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string id = in.required_string("AutomationExecutionId", {36, 36});
                auto filters =
                    read_filters(in,
                                 {"StartTimeBefore", "StartTimeAfter", "StepExecutionStatus",
                                  "StepExecutionId", "StepName", "Action", "ParentStepExecutionId",
                                  "ParentStepIteration", "ParentStepIteratorValue"},
                                 6);
                size_t max = max_results(in, 50, 50);
                std::string token = in.optional_string("NextToken").value_or("");
                bool reverse = in.optional_bool("ReverseOrder").value_or(false);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [svc, id, filters, reverse, token, max] {
                  return svc->describe_step_executions(id, filters, reverse, token, max);
                });
              }));

  ops.emplace("SendAutomationSignal",
              JsonOperation([svc, p, principal_of](const RequestContext& ctx, json::Value body,
                                                   JsonReply reply) {
                JsonReader in(body);
                automation::Signal s;
                s.execution_id = in.required_string("AutomationExecutionId", {36, 36});
                auto type = in.optional_string("SignalType");
                if (!type) {
                  in.required_string("SignalType");
                }
                // The user guide's CLI example sends "Deny"; it is taken as Reject.
                if (type && *type == "Deny") {
                  type = "Reject";
                }
                check_enum(in, "signalType", type,
                           {"Approve", "Reject", "StartStep", "StopStep", "Resume", "Revoke"});
                s.type = type.value_or("");
                s.payload = read_string_list_map(in, "Payload", "payload");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                automation::Principal who = principal_of(ctx);
                answer(*p, reply, [svc, s, who]() -> signoff::Result<json::Value> {
                  auto r = svc->send_signal(s, who);
                  if (!r.ok()) {
                    return r.error();
                  }
                  return empty();
                });
              }));

  ops.emplace("StopAutomationExecution",
              JsonOperation([svc, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string id = in.required_string("AutomationExecutionId", {36, 36});
                auto type = in.optional_string("Type");
                check_enum(in, "type", type, {"Complete", "Cancel"});
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                std::string t = type.value_or("Cancel");
                answer(*p, reply, [svc, id, t]() -> signoff::Result<json::Value> {
                  auto r = svc->stop_execution(id, t);
                  if (!r.ok()) {
                    return r.error();
                  }
                  return empty();
                });
              }));

  router.add_json_service("ssm", "AmazonSSM", JsonVersion::V1_1, std::move(ops), {},
                          ssm_permissions(svc));
}

}  // namespace signoff::api
