// SSM Parameter Store over AWS JSON 1.1 (AmazonSSM.*Parameter*): request shapes validated as
// AWS's model constrains them, ParameterStore calls on the blocking pool, responses as returned.
#include <algorithm>

#include "api/protocol/json_protocol.h"
#include "api/ssm_api.h"

namespace signoff::api {

namespace {

using automation::ParameterFilter;
using automation::ParameterStore;
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
  const json::Value* v = body.find(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<std::string> string_list(const json::Value& body, const char* name) {
  std::vector<std::string> out;
  if (const json::Value* v = body.find(name); v != nullptr && v->is_array()) {
    for (const json::Value& s : v->as_array()) {
      if (s.is_string()) {
        out.emplace_back(s.as_string());
      }
    }
  }
  return out;
}

// A parameter's ARN as IAM sees it, from a name that may carry a selector or be an ARN already.
std::string parameter_arn(const RequestContext& ctx, std::string name) {
  if (name.rfind("arn:", 0) == 0) {
    return name;
  }
  if (size_t colon = name.find(':'); colon != std::string::npos) {
    name.resize(colon);
  }
  return "arn:aws:ssm:" + ctx.region + ":" + ctx.account + ":parameter" +
         (name.rfind('/', 0) == 0 ? name : "/" + name);
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

std::vector<std::string> names_1_to_10(JsonReader& in, const char* name, const char* path) {
  auto names = in.optional_string_list(name);
  if (!names) {
    in.required_string(name);  // reports the missing member
    return {};
  }
  if (names->empty()) {
    in.add_violation(path, "[]", "Member must have length greater than or equal to 1");
  } else if (names->size() > 10) {
    in.add_violation(path, "[...]", "Member must have length less than or equal to 10");
  }
  for (const std::string& n : *names) {
    if (n.empty() || n.size() > 2048) {
      in.add_violation(path, n.substr(0, 64),
                       "Member must satisfy constraint: [Member must have length less than or "
                       "equal to 2048, Member must have length greater than or equal to 1]");
    }
  }
  return *names;
}

std::vector<ParameterFilter> read_parameter_filters(JsonReader& in) {
  std::vector<ParameterFilter> out;
  auto list = in.optional_array("ParameterFilters");
  if (!list) {
    return out;
  }
  for (const json::Value& f : list->as_array()) {
    JsonReader fr(f, "parameterFilters");
    ParameterFilter pf;
    pf.key = fr.required_string("Key", {1, 132});
    pf.option = fr.optional_string("Option", {1, 10}).value_or("");
    pf.values = fr.optional_string_list("Values").value_or(std::vector<std::string>{});
    if (auto e = fr.error()) {
      in.add_violation("parameterFilters", pf.key, e->message);
      continue;
    }
    out.push_back(std::move(pf));
  }
  return out;
}

// The filter keys and options AWS accepts, checked after the shape (InvalidFilterKey,
// InvalidFilterOption, InvalidFilterValue are their own errors, not ValidationException).
std::optional<AwsError> check_filters(const std::vector<ParameterFilter>& filters,
                                      const std::vector<std::string>& keys) {
  for (const ParameterFilter& f : filters) {
    bool tag = f.key.rfind("tag:", 0) == 0;
    if (!tag && std::find(keys.begin(), keys.end(), f.key) == keys.end()) {
      std::string set;
      for (const std::string& k : keys) {
        set += (set.empty() ? "" : ", ") + k;
      }
      return AwsError{400, "InvalidFilterKey",
                      "The following filter key is not valid: " + f.key +
                          ". Valid filter keys include: [" + set + "]."};
    }
    std::vector<std::string> options = {"Equals"};
    if (f.key == "Name") {
      options = {"BeginsWith", "Equals", "Contains"};
    } else if (f.key == "Path") {
      options = {"Recursive", "OneLevel"};
    } else if (tag || f.key == "KeyId") {
      options = {"Equals", "BeginsWith"};
    }
    if (!f.option.empty() && std::find(options.begin(), options.end(), f.option) == options.end()) {
      std::string set;
      for (const std::string& o : options) {
        set += (set.empty() ? "" : ", ") + o;
      }
      return AwsError{400, "InvalidFilterOption",
                      "The filter option is not valid. Valid options are: [" + set + "]."};
    }
    if (!tag && f.values.empty()) {
      return AwsError{
          400, "InvalidFilterValue",
          "The following filter values are missing : null for filter key " + f.key + "."};
    }
  }
  return std::nullopt;
}

size_t max_results(JsonReader& in, int64_t max) {
  return static_cast<size_t>(in.optional_int("MaxResults", {1, max}).value_or(max));
}

// GetParameters and DeleteParameters name several parameters; the router authorizes the first
// (the declared resource), and each further name must be allowed as well, as AWS checks every
// one of them.
std::optional<AwsError> authorize_rest(const Authorizer* authorizer, const RequestContext& ctx,
                                       const std::string& action,
                                       const std::vector<std::string>& names) {
  if (authorizer == nullptr) {
    return std::nullopt;
  }
  for (size_t i = 1; i < names.size(); ++i) {
    std::string arn = parameter_arn(ctx, names[i]);
    Decision d = authorizer->authorize(ctx.principal, action, arn);
    if (d != Decision::Allow) {
      return access_denied(Protocol::Json, "ssm", ctx.principal, action, arn, d);
    }
  }
  return std::nullopt;
}

JsonPermissions parameter_permissions() {
  using Body = const json::Value&;
  using Resource = std::function<std::string(const RequestContext&, Body)>;
  auto perm = [](const char* action, Resource r) {
    return Permission<json::Value>{std::string("ssm:") + action, std::move(r)};
  };
  auto named = [](const char* field) -> Resource {
    return [field](const RequestContext& ctx, Body body) {
      return parameter_arn(ctx, member(body, field));
    };
  };
  auto first = [](const char* field) -> Resource {
    return [field](const RequestContext& ctx, Body body) {
      auto names = string_list(body, field);
      return parameter_arn(ctx, names.empty() ? std::string() : names.front());
    };
  };
  return {
      {"PutParameter", perm("PutParameter", named("Name"))},
      {"GetParameter", perm("GetParameter", named("Name"))},
      {"GetParameters", perm("GetParameters", first("Names"))},
      {"GetParametersByPath", perm("GetParametersByPath", named("Path"))},
      {"DeleteParameter", perm("DeleteParameter", named("Name"))},
      {"DeleteParameters", perm("DeleteParameters", first("Names"))},
      {"DescribeParameters", perm("DescribeParameters", nullptr)},
      {"GetParameterHistory", perm("GetParameterHistory", named("Name"))},
  };
}

}  // namespace

void register_ssm_parameter_api(Router& router, ParameterStore& store, BlockingPool& pool,
                                const Authorizer* authorizer) {
  JsonOperations ops;
  ParameterStore* ps = &store;
  BlockingPool* p = &pool;

  ops.emplace("PutParameter",
              JsonOperation([ps, p](const RequestContext& ctx, json::Value body, JsonReply reply) {
                JsonReader in(body);
                automation::PutParameterRequest r;
                r.name = in.required_string("Name", {1, 2048});
                r.description = in.optional_string("Description", {0, 1024});
                r.value = in.required_string("Value", {1, 8192});
                r.type = in.optional_string("Type");
                r.key_id = in.optional_string("KeyId", {1, 256});
                r.overwrite = in.optional_bool("Overwrite").value_or(false);
                r.allowed_pattern = in.optional_string("AllowedPattern", {0, 1024});
                r.tier = in.optional_string("Tier");
                in.optional_string("Policies", {1, 4096});
                r.data_type = in.optional_string("DataType", {0, 128});
                if (auto tags = in.optional_array("Tags")) {
                  if (tags->size() > 1000) {
                    in.add_violation("tags", "[...]",
                                     "Member must have length less than or equal to 1000");
                  }
                  for (const json::Value& t : tags->as_array()) {
                    JsonReader tr(t, "tags");
                    automation::ParameterTag tag;
                    tag.key = tr.required_string("Key", {1, 128});
                    tag.value = tr.required_string("Value", {0, 256});
                    if (auto e = tr.error()) {
                      return reply.fail(*e);
                    }
                    r.tags.push_back(std::move(tag));
                  }
                }
                check_enum(in, "type", r.type, {"String", "StringList", "SecureString"});
                check_enum(in, "tier", r.tier, {"Standard", "Advanced", "Intelligent-Tiering"});
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                std::string who = ctx.principal.arn;
                answer(*p, reply, [ps, r = std::move(r), who] { return ps->put(r, who); });
              }));

  ops.emplace("GetParameter",
              JsonOperation([ps, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string name = in.required_string("Name", {1, 2048});
                bool decrypt = in.optional_bool("WithDecryption").value_or(false);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [ps, name, decrypt] { return ps->get(name, decrypt); });
              }));

  ops.emplace("GetParameters",
              JsonOperation([ps, p, authorizer](const RequestContext& ctx, json::Value body,
                                                JsonReply reply) {
                JsonReader in(body);
                auto names = names_1_to_10(in, "Names", "names");
                bool decrypt = in.optional_bool("WithDecryption").value_or(false);
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (auto denied = authorize_rest(authorizer, ctx, "ssm:GetParameters", names)) {
                  return reply.fail(*denied);
                }
                answer(*p, reply, [ps, names, decrypt] { return ps->get_many(names, decrypt); });
              }));

  ops.emplace("GetParametersByPath",
              JsonOperation([ps, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string path = in.required_string("Path", {1, 2048});
                bool recursive = in.optional_bool("Recursive").value_or(false);
                bool decrypt = in.optional_bool("WithDecryption").value_or(false);
                auto filters = read_parameter_filters(in);
                automation::ParameterPageRequest page;
                page.max_results = max_results(in, 10);
                page.next_token = in.optional_string("NextToken").value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (auto e = check_filters(filters, {"Type", "KeyId", "Label"})) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [ps, path, recursive, decrypt, filters, page] {
                  return ps->get_by_path(path, recursive, decrypt, filters, page);
                });
              }));

  ops.emplace("DeleteParameter",
              JsonOperation([ps, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string name = in.required_string("Name", {1, 2048});
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply, [ps, name]() -> signoff::Result<json::Value> {
                  auto r = ps->remove(name);
                  if (!r.ok()) {
                    return r.error();
                  }
                  return json::Value::object();
                });
              }));

  ops.emplace("DeleteParameters",
              JsonOperation([ps, p, authorizer](const RequestContext& ctx, json::Value body,
                                                JsonReply reply) {
                JsonReader in(body);
                auto names = names_1_to_10(in, "Names", "names");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (auto denied = authorize_rest(authorizer, ctx, "ssm:DeleteParameters", names)) {
                  return reply.fail(*denied);
                }
                answer(*p, reply, [ps, names] { return ps->remove_many(names); });
              }));

  ops.emplace("DescribeParameters",
              JsonOperation([ps, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::vector<ParameterFilter> filters;
                bool old_style = false;
                if (auto list = in.optional_array("Filters")) {
                  old_style = true;
                  for (const json::Value& f : list->as_array()) {
                    JsonReader fr(f, "filters");
                    auto key = fr.optional_string("Key");
                    if (!key) {
                      fr.required_string("Key");
                    }
                    check_enum(in, "filters.member.key", key, {"Name", "Type", "KeyId"});
                    ParameterFilter pf;
                    pf.key = key.value_or("");
                    pf.values =
                        fr.optional_string_list("Values").value_or(std::vector<std::string>{});
                    if (auto e = fr.error()) {
                      return reply.fail(*e);
                    }
                    filters.push_back(std::move(pf));
                  }
                }
                auto parameter_filters = read_parameter_filters(in);
                automation::ParameterPageRequest page;
                page.max_results = max_results(in, 50);
                page.next_token = in.optional_string("NextToken").value_or("");
                in.optional_bool("Shared");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                if (old_style && !parameter_filters.empty()) {
                  return reply.fail(AwsError{
                      400, "ValidationException",
                      "You can use either Filters or ParameterFilters in a single request."});
                }
                if (!old_style) {
                  if (auto e = check_filters(parameter_filters, {"Name", "Type", "KeyId", "Path",
                                                                 "Tier", "DataType", "Label"})) {
                    return reply.fail(*e);
                  }
                  filters = std::move(parameter_filters);
                }
                answer(*p, reply, [ps, filters, page] { return ps->describe(filters, page); });
              }));

  ops.emplace("GetParameterHistory",
              JsonOperation([ps, p](const RequestContext&, json::Value body, JsonReply reply) {
                JsonReader in(body);
                std::string name = in.required_string("Name", {1, 2048});
                bool decrypt = in.optional_bool("WithDecryption").value_or(false);
                automation::ParameterPageRequest page;
                page.max_results = max_results(in, 50);
                page.next_token = in.optional_string("NextToken").value_or("");
                if (auto e = in.error()) {
                  return reply.fail(*e);
                }
                answer(*p, reply,
                       [ps, name, decrypt, page] { return ps->history(name, decrypt, page); });
              }));

  router.add_json_service("ssm", "AmazonSSM", JsonVersion::V1_1, std::move(ops), {},
                          parameter_permissions());
}

}  // namespace signoff::api
