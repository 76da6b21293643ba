// IAM: users, groups, roles, access keys, inline and managed policies. Handlers decode the form
// parameters, call the identity service and write IAM's XML shapes; the permissions table at the
// end declares the IAM action and resource each operation is authorized against.
#include "api/iam_api.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "api/protocol/xml.h"
#include "api/service_util.h"
#include "iam/ids.h"

namespace signoff::api {
namespace {

using iam::EntityType;

std::string date(int64_t ms) {
  return iam::iso8601(ms);
}

// A required parameter, or IAM's "Value null ... Member must not be null".
struct Params {
  const QueryParams& q;
  std::optional<AwsError> error;

  std::string required(std::string_view name) {
    const std::string* v = q.get(name);
    if (v == nullptr && !error) {
      error = AwsError{400, "ValidationError",
                       "1 validation error detected: Value null at '" + iam_member_name(name) +
                           "' failed to satisfy constraint: Member must not be null"};
    }
    return v == nullptr ? std::string() : *v;
  }
  std::string optional(std::string_view name) const { return q.get_or(name); }
};

void user_xml(XmlWriter& x, const iam::User& u, std::string_view element = "User") {
  x.open(element)
      .element("Path", u.path)
      .element("UserName", u.name)
      .element("UserId", u.id)
      .element("Arn", u.arn)
      .element("CreateDate", date(u.created_ms))
      .close();
}

void group_xml(XmlWriter& x, const iam::Group& g) {
  x.open("Group")
      .element("Path", g.path)
      .element("GroupName", g.name)
      .element("GroupId", g.id)
      .element("Arn", g.arn)
      .element("CreateDate", date(g.created_ms))
      .close();
}

void role_xml(XmlWriter& x, const iam::Role& r, std::string_view element = "Role") {
  x.open(element)
      .element("Path", r.path)
      .element("RoleName", r.name)
      .element("RoleId", r.id)
      .element("Arn", r.arn)
      .element("CreateDate", date(r.created_ms))
      .element("AssumeRolePolicyDocument", iam_url_encode(r.assume_role_policy));
  if (!r.description.empty()) {
    x.element("Description", r.description);
  }
  x.element("MaxSessionDuration", std::to_string(r.max_session_duration)).close();
}

void policy_xml(XmlWriter& x, const iam::ManagedPolicy& p) {
  x.open("Policy")
      .element("PolicyName", p.name)
      .element("PolicyId", p.id)
      .element("Arn", p.arn)
      .element("Path", p.path)
      .element("DefaultVersionId", p.default_version)
      .element("AttachmentCount", std::to_string(p.attachment_count))
      .element("PermissionsBoundaryUsageCount", "0")
      .element("IsAttachable", "true");
  if (!p.description.empty()) {
    x.element("Description", p.description);
  }
  x.element("CreateDate", date(p.created_ms)).element("UpdateDate", date(p.updated_ms)).close();
}

void key_xml(XmlWriter& x, const iam::AccessKey& k, std::string_view element, bool secret) {
  x.open(element);
  if (!k.user_name.empty()) {
    x.element("UserName", k.user_name);
  }
  x.element("AccessKeyId", k.id).element("Status", k.status);
  if (secret) {
    x.element("SecretAccessKey", k.secret);
  }
  x.element("CreateDate", date(k.created_ms)).close();
}

std::string to_xml(XmlWriter& x) {
  return x.finish();
}

iam::Paging paging(const QueryParams& q) {
  iam::Paging p;
  p.marker = q.get_or("Marker");
  std::string max = q.get_or("MaxItems");
  if (!max.empty() && max.size() < 6 &&
      std::all_of(max.begin(), max.end(), [](char c) { return std::isdigit(c) != 0; })) {
    p.max_items = static_cast<size_t>(std::stoul(max));
  }
  return p;
}

void truncation_xml(XmlWriter& x, const std::string& marker) {
  x.element("IsTruncated", marker.empty() ? "false" : "true");
  if (!marker.empty()) {
    x.element("Marker", marker);
  }
}

// The user an access-key operation is about: UserName, else the caller (root: the account's own
// keys, "" for the service).
Result<std::string> key_owner(const RequestContext& ctx, const QueryParams& q) {
  if (const std::string* name = q.get("UserName")) {
    return *name;
  }
  switch (ctx.principal.kind) {
    case Principal::Kind::Root:
      return std::string();
    case Principal::Kind::User:
      return ctx.principal.user_name;
    case Principal::Kind::AssumedRole:
      break;
  }
  return AwsError{400, "ValidationError",
                  "Must specify userName when calling with non-User credentials"};
}

template <typename T>
Result<std::string> fail(const signoff::Result<T>& r) {
  return to_aws(r.error());
}

struct EntityParam {
  EntityType type;
  const char* parameter;  // "UserName"
  const char* prefix;     // "User" (operation names: PutUserPolicy, ...)
};
constexpr EntityParam kEntities[] = {{EntityType::User, "UserName", "User"},
                                     {EntityType::Group, "GroupName", "Group"},
                                     {EntityType::Role, "RoleName", "Role"}};

// arn:aws:iam::ACCOUNT:<type>/<path><name>, for permissions.
std::string iam_resource(const RequestContext& ctx, std::string_view type, std::string_view name,
                         std::string_view path = "/") {
  std::string arn = "arn:aws:iam::" + ctx.account + ":";
  arn.append(type).append(path.empty() ? "/" : path).append(name);
  return arn;
}

}  // namespace

std::string iam_member_name(std::string_view parameter) {
  std::string out(parameter);
  if (!out.empty()) {
    out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  }
  return out;
}

std::string iam_url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 2);
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

void register_iam_api(Router& router, iam::IdentityService& id) {
  QueryOperations ops;
  QueryPermissions perms;
  // Declares one operation: its handler and what it must be allowed to do.
  auto add = [&](const char* name, QueryOperation op, Permission<QueryParams> permission) {
    ops.emplace(name, std::move(op));
    perms.emplace(name, std::move(permission));
  };
  auto action = [](const char* name) {
    return std::string("iam:") + name;
  };
  auto user_res = [](const RequestContext& ctx, const QueryParams& q) {
    std::string name = q.get_or("UserName", ctx.principal.user_name);
    return name.empty() ? ctx.principal.arn : iam_resource(ctx, "user", name, q.get_or("Path"));
  };
  auto group_res = [](const RequestContext& ctx, const QueryParams& q) {
    return iam_resource(ctx, "group", q.get_or("GroupName"), q.get_or("Path"));
  };
  auto role_res = [](const RequestContext& ctx, const QueryParams& q) {
    return iam_resource(ctx, "role", q.get_or("RoleName"), q.get_or("Path"));
  };
  auto policy_res = [](const RequestContext&, const QueryParams& q) {
    return q.get_or("PolicyArn");
  };

  // ------------------------------------------------------------------------------- users
  add("CreateUser",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("UserName");
        if (p.error) {
          return *p.error;
        }
        auto u = id.create_user(name, q.get_or("Path"));
        if (!u.ok()) {
          return fail(u);
        }
        XmlWriter x;
        user_xml(x, *u);
        return to_xml(x);
      },
      {action("CreateUser"), user_res});
  add("GetUser",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        XmlWriter x;
        std::string name = q.get_or("UserName", ctx.principal.user_name);
        if (name.empty()) {
          if (!ctx.principal.is_root()) {
            return AwsError{400, "ValidationError",
                            "Must specify userName when calling with non-User credentials"};
          }
          // The account root answers for itself: no name or path, its ARN and the account id.
          x.open("User")
              .element("UserId", ctx.principal.user_id)
              .element("Arn", ctx.principal.arn)
              .element("CreateDate", date(0))
              .close();
          return to_xml(x);
        }
        auto u = id.get_user(name);
        if (!u.ok()) {
          return fail(u);
        }
        user_xml(x, *u);
        return to_xml(x);
      },
      {action("GetUser"), user_res});
  add("ListUsers",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        auto list = id.list_users(q.get_or("PathPrefix", "/"), paging(q));
        if (!list.ok()) {
          return fail(list);
        }
        XmlWriter x;
        x.open("Users");
        for (const iam::User& u : list->items) {
          user_xml(x, u, "member");
        }
        x.close();
        truncation_xml(x, list->marker);
        return to_xml(x);
      },
      {action("ListUsers"), [](const RequestContext& ctx, const QueryParams& q) {
         return iam_resource(ctx, "user", "", q.get_or("PathPrefix", "/"));
       }});
  add("DeleteUser",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("UserName");
        if (p.error) {
          return *p.error;
        }
        auto r = id.delete_user(name);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {action("DeleteUser"), user_res});

  // ------------------------------------------------------------------------- access keys
  add("CreateAccessKey",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        auto owner = key_owner(ctx, q);
        if (!owner.ok()) {
          return owner.error();
        }
        auto k = id.create_access_key(*owner);
        if (!k.ok()) {
          return fail(k);
        }
        XmlWriter x;
        key_xml(x, *k, "AccessKey", true);
        return to_xml(x);
      },
      {action("CreateAccessKey"), user_res});
  add("ListAccessKeys",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        auto owner = key_owner(ctx, q);
        if (!owner.ok()) {
          return owner.error();
        }
        auto keys = id.list_access_keys(*owner);
        if (!keys.ok()) {
          return fail(keys);
        }
        XmlWriter x;
        if (!owner->empty()) {
          x.element("UserName", (*keys).empty() ? *owner : (*keys)[0].user_name);
        }
        x.open("AccessKeyMetadata");
        for (const iam::AccessKey& k : *keys) {
          key_xml(x, k, "member", false);
        }
        x.close().element("IsTruncated", "false");
        return to_xml(x);
      },
      {action("ListAccessKeys"), user_res});
  add("DeleteAccessKey",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string key = p.required("AccessKeyId");
        auto owner = key_owner(ctx, q);
        if (p.error) {
          return *p.error;
        }
        if (!owner.ok()) {
          return owner.error();
        }
        auto r = id.delete_access_key(*owner, key);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {action("DeleteAccessKey"), user_res});
  add("UpdateAccessKey",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string key = p.required("AccessKeyId");
        std::string status = p.required("Status");
        auto owner = key_owner(ctx, q);
        if (p.error) {
          return *p.error;
        }
        if (!owner.ok()) {
          return owner.error();
        }
        auto r = id.update_access_key(*owner, key, status);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {action("UpdateAccessKey"), user_res});

  // ------------------------------------------------------------------------------ groups
  add("CreateGroup",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("GroupName");
        if (p.error) {
          return *p.error;
        }
        auto g = id.create_group(name, q.get_or("Path"));
        if (!g.ok()) {
          return fail(g);
        }
        XmlWriter x;
        group_xml(x, *g);
        return to_xml(x);
      },
      {action("CreateGroup"), group_res});
  add("GetGroup",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("GroupName");
        if (p.error) {
          return *p.error;
        }
        auto g = id.get_group(name);
        if (!g.ok()) {
          return fail(g);
        }
        auto members = id.group_members(name);
        if (!members.ok()) {
          return fail(members);
        }
        XmlWriter x;
        group_xml(x, *g);
        x.open("Users");
        for (const iam::User& u : *members) {
          user_xml(x, u, "member");
        }
        x.close().element("IsTruncated", "false");
        return to_xml(x);
      },
      {action("GetGroup"), group_res});
  add("DeleteGroup",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("GroupName");
        if (p.error) {
          return *p.error;
        }
        auto r = id.delete_group(name);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {action("DeleteGroup"), group_res});
  auto membership = [&id](bool add_user) {
    return [&id, add_user](const RequestContext&, const QueryParams& q) -> Result<std::string> {
      Params p{q, {}};
      std::string group = p.required("GroupName");
      std::string user = p.required("UserName");
      if (p.error) {
        return *p.error;
      }
      auto r =
          add_user ? id.add_user_to_group(group, user) : id.remove_user_from_group(group, user);
      return r.ok() ? Result<std::string>(std::string()) : fail(r);
    };
  };
  add("AddUserToGroup", membership(true), {action("AddUserToGroup"), group_res});
  add("RemoveUserFromGroup", membership(false), {action("RemoveUserFromGroup"), group_res});

  // ------------------------------------------------------------------------------- roles
  add("CreateRole",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("RoleName");
        std::string trust = p.required("AssumeRolePolicyDocument");
        if (p.error) {
          return *p.error;
        }
        std::optional<int64_t> max;
        if (const std::string* m = q.get("MaxSessionDuration")) {
          char* end = nullptr;
          long long v = std::strtoll(m->c_str(), &end, 10);
          if (m->empty() || *end != '\0') {
            return AwsError{400, "ValidationError", "Invalid value for MaxSessionDuration: " + *m};
          }
          max = v;
        }
        auto r = id.create_role(name, q.get_or("Path"), trust, q.get_or("Description"), max);
        if (!r.ok()) {
          return fail(r);
        }
        XmlWriter x;
        role_xml(x, *r);
        return to_xml(x);
      },
      {action("CreateRole"), role_res});
  add("GetRole",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("RoleName");
        if (p.error) {
          return *p.error;
        }
        auto r = id.get_role(name);
        if (!r.ok()) {
          return fail(r);
        }
        XmlWriter x;
        role_xml(x, *r);
        return to_xml(x);
      },
      {action("GetRole"), role_res});
  add("ListRoles",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        auto list = id.list_roles(q.get_or("PathPrefix", "/"), paging(q));
        if (!list.ok()) {
          return fail(list);
        }
        XmlWriter x;
        x.open("Roles");
        for (const iam::Role& r : list->items) {
          role_xml(x, r, "member");
        }
        x.close();
        truncation_xml(x, list->marker);
        return to_xml(x);
      },
      {action("ListRoles"), [](const RequestContext& ctx, const QueryParams& q) {
         return iam_resource(ctx, "role", "", q.get_or("PathPrefix", "/"));
       }});
  add("DeleteRole",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("RoleName");
        if (p.error) {
          return *p.error;
        }
        auto r = id.delete_role(name);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {action("DeleteRole"), role_res});
  add("UpdateAssumeRolePolicy",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("RoleName");
        std::string doc = p.required("PolicyDocument");
        if (p.error) {
          return *p.error;
        }
        auto r = id.update_assume_role_policy(name, doc);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {action("UpdateAssumeRolePolicy"), role_res});

  // ----------------------------------------------- inline policies and attachments, per entity
  for (const EntityParam& e : kEntities) {
    std::string prefix = e.prefix;
    std::function<std::string(const RequestContext&, const QueryParams&)> res = role_res;
    if (e.type == EntityType::User) {
      res = user_res;
    } else if (e.type == EntityType::Group) {
      res = group_res;
    }
    const EntityType type = e.type;
    const std::string param = e.parameter;
    add(("Put" + prefix + "Policy").c_str(),
        [&id, type, param](const RequestContext&, const QueryParams& q) -> Result<std::string> {
          Params p{q, {}};
          std::string entity = p.required(param);
          std::string name = p.required("PolicyName");
          std::string doc = p.required("PolicyDocument");
          if (p.error) {
            return *p.error;
          }
          auto r = id.put_inline_policy(type, entity, name, doc);
          return r.ok() ? Result<std::string>(std::string()) : fail(r);
        },
        {action(("Put" + prefix + "Policy").c_str()), res});
    add(("Get" + prefix + "Policy").c_str(),
        [&id, type, param](const RequestContext&, const QueryParams& q) -> Result<std::string> {
          Params p{q, {}};
          std::string entity = p.required(param);
          std::string name = p.required("PolicyName");
          if (p.error) {
            return *p.error;
          }
          auto doc = id.get_inline_policy(type, entity, name);
          if (!doc.ok()) {
            return fail(doc);
          }
          XmlWriter x;
          x.element(param, entity)
              .element("PolicyName", name)
              .element("PolicyDocument", iam_url_encode(*doc));
          return to_xml(x);
        },
        {action(("Get" + prefix + "Policy").c_str()), res});
    add(("Delete" + prefix + "Policy").c_str(),
        [&id, type, param](const RequestContext&, const QueryParams& q) -> Result<std::string> {
          Params p{q, {}};
          std::string entity = p.required(param);
          std::string name = p.required("PolicyName");
          if (p.error) {
            return *p.error;
          }
          auto r = id.delete_inline_policy(type, entity, name);
          return r.ok() ? Result<std::string>(std::string()) : fail(r);
        },
        {action(("Delete" + prefix + "Policy").c_str()), res});
    add(("List" + prefix + "Policies").c_str(),
        [&id, type, param](const RequestContext&, const QueryParams& q) -> Result<std::string> {
          Params p{q, {}};
          std::string entity = p.required(param);
          if (p.error) {
            return *p.error;
          }
          auto names = id.list_inline_policies(type, entity);
          if (!names.ok()) {
            return fail(names);
          }
          XmlWriter x;
          x.open("PolicyNames");
          for (const std::string& n : *names) {
            x.element("member", n);
          }
          x.close().element("IsTruncated", "false");
          return to_xml(x);
        },
        {action(("List" + prefix + "Policies").c_str()), res});
    auto attach = [&id, type, param](bool on) {
      return [&id, type, param, on](const RequestContext&,
                                    const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string entity = p.required(param);
        std::string arn = p.required("PolicyArn");
        if (p.error) {
          return *p.error;
        }
        auto r = on ? id.attach_policy(type, entity, arn) : id.detach_policy(type, entity, arn);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      };
    };
    add(("Attach" + prefix + "Policy").c_str(), attach(true),
        {action(("Attach" + prefix + "Policy").c_str()), res});
    add(("Detach" + prefix + "Policy").c_str(), attach(false),
        {action(("Detach" + prefix + "Policy").c_str()), res});
    add(("ListAttached" + prefix + "Policies").c_str(),
        [&id, type, param](const RequestContext&, const QueryParams& q) -> Result<std::string> {
          Params p{q, {}};
          std::string entity = p.required(param);
          if (p.error) {
            return *p.error;
          }
          auto list = id.list_attached_policies(type, entity);
          if (!list.ok()) {
            return fail(list);
          }
          XmlWriter x;
          x.open("AttachedPolicies");
          for (const auto& [name, arn] : *list) {
            x.open("member").element("PolicyName", name).element("PolicyArn", arn).close();
          }
          x.close().element("IsTruncated", "false");
          return to_xml(x);
        },
        {action(("ListAttached" + prefix + "Policies").c_str()), res});
  }

  // -------------------------------------------------------------------- managed policies
  add("CreatePolicy",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string name = p.required("PolicyName");
        std::string doc = p.required("PolicyDocument");
        if (p.error) {
          return *p.error;
        }
        auto created = id.create_policy(name, q.get_or("Path"), doc, q.get_or("Description"));
        if (!created.ok()) {
          return fail(created);
        }
        XmlWriter x;
        policy_xml(x, *created);
        return to_xml(x);
      },
      {action("CreatePolicy"), [](const RequestContext& ctx, const QueryParams& q) {
         return iam_resource(ctx, "policy", q.get_or("PolicyName"), q.get_or("Path"));
       }});
  add("GetPolicy",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string arn = p.required("PolicyArn");
        if (p.error) {
          return *p.error;
        }
        auto got = id.get_policy(arn);
        if (!got.ok()) {
          return fail(got);
        }
        XmlWriter x;
        policy_xml(x, *got);
        return to_xml(x);
      },
      {action("GetPolicy"), policy_res});
  add("GetPolicyVersion",
      [&id](const RequestContext&, const QueryParams& q) -> Result<std::string> {
        Params p{q, {}};
        std::string arn = p.required("PolicyArn");
        std::string version = p.required("VersionId");
        if (p.error) {
          return *p.error;
        }
        auto v = id.get_policy_version(arn, version);
        if (!v.ok()) {
          return fail(v);
        }
        auto policy = id.get_policy(arn);
        bool is_default = policy.ok() && policy->default_version == v->id;
        XmlWriter x;
        x.open("PolicyVersion")
            .element("Document", iam_url_encode(v->document))
            .element("VersionId", v->id)
            .element("IsDefaultVersion", is_default ? "true" : "false")
            .element("CreateDate", date(v->created_ms))
            .close();
        return to_xml(x);
      },
      {action("GetPolicyVersion"), policy_res});

  router.add_query_service("iam", std::string(query_namespace("iam")), std::move(ops),
                           std::move(perms));
}

}  // namespace signoff::api
