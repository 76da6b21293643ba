// IAM login profiles (console passwords): CreateLoginProfile, GetLoginProfile,
// UpdateLoginProfile, DeleteLoginProfile and ChangePassword, merged into the "iam" query service.
#include "api/iam_api.h"
#include "api/protocol/xml.h"
#include "api/service_util.h"
#include "iam/ids.h"

namespace signoff::api {
namespace {

AwsError missing(std::string_view parameter) {
  return AwsError{400, "ValidationError",
                  "1 validation error detected: Value null at '" + iam_member_name(parameter) +
                      "' failed to satisfy constraint: Member must not be null"};
}

// The user a login-profile operation is about: UserName, else the calling user.
Result<std::string> profile_user(const RequestContext& ctx, const QueryParams& q) {
  if (const std::string* name = q.get("UserName")) {
    return *name;
  }
  if (ctx.principal.kind == Principal::Kind::User) {
    return ctx.principal.user_name;
  }
  return missing("UserName");
}

// "true"/"false" as IAM reads booleans; anything else is a ValidationError.
Result<std::optional<bool>> optional_bool(const QueryParams& q, std::string_view name) {
  const std::string* v = q.get(name);
  if (v == nullptr) {
    return std::optional<bool>();
  }
  if (*v == "true" || *v == "false") {
    return std::optional<bool>(*v == "true");
  }
  return AwsError{400, "ValidationError",
                  "1 validation error detected: Value '" + *v + "' at '" + iam_member_name(name) +
                      "' failed to satisfy constraint: Member must be a boolean"};
}

std::string profile_xml(const iam::LoginProfile& p) {
  XmlWriter x;
  x.open("LoginProfile")
      .element("UserName", p.user_name)
      .element("CreateDate", iam::iso8601(p.created_ms))
      .element("PasswordResetRequired", p.password_reset_required ? "true" : "false")
      .close();
  return x.finish();
}

template <typename T>
Result<std::string> fail(const signoff::Result<T>& r) {
  return to_aws(r.error());
}

}  // namespace

void register_iam_login_api(Router& router, iam::IdentityService& id) {
  QueryOperations ops;
  QueryPermissions perms;
  auto add = [&](const char* name, QueryOperation op, Permission<QueryParams> permission) {
    ops.emplace(name, std::move(op));
    perms.emplace(name, std::move(permission));
  };
  auto user_res = [](const RequestContext& ctx, const QueryParams& q) {
    std::string name = q.get_or("UserName", ctx.principal.user_name);
    return name.empty() ? ctx.principal.arn : "arn:aws:iam::" + ctx.account + ":user/" + name;
  };

  add("CreateLoginProfile",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        auto user = profile_user(ctx, q);
        if (!user.ok()) {
          return user.error();
        }
        const std::string* password = q.get("Password");
        if (password == nullptr) {
          return missing("Password");
        }
        auto reset = optional_bool(q, "PasswordResetRequired");
        if (!reset.ok()) {
          return reset.error();
        }
        auto p = id.create_login_profile(*user, *password, reset->value_or(false));
        if (!p.ok()) {
          return fail(p);
        }
        return profile_xml(*p);
      },
      {"iam:CreateLoginProfile", user_res});
  add("GetLoginProfile",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        auto user = profile_user(ctx, q);
        if (!user.ok()) {
          return user.error();
        }
        auto p = id.get_login_profile(*user);
        if (!p.ok()) {
          return fail(p);
        }
        return profile_xml(*p);
      },
      {"iam:GetLoginProfile", user_res});
  add("UpdateLoginProfile",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        auto user = profile_user(ctx, q);
        if (!user.ok()) {
          return user.error();
        }
        auto reset = optional_bool(q, "PasswordResetRequired");
        if (!reset.ok()) {
          return reset.error();
        }
        std::optional<std::string> password;
        if (const std::string* pw = q.get("Password")) {
          password = *pw;
        }
        auto r = id.update_login_profile(*user, std::move(password), *reset);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {"iam:UpdateLoginProfile", user_res});
  add("DeleteLoginProfile",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        auto user = profile_user(ctx, q);
        if (!user.ok()) {
          return user.error();
        }
        auto r = id.delete_login_profile(*user);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      {"iam:DeleteLoginProfile", user_res});
  add("ChangePassword",
      [&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        const std::string* old_password = q.get("OldPassword");
        const std::string* new_password = q.get("NewPassword");
        if (old_password == nullptr) {
          return missing("OldPassword");
        }
        if (new_password == nullptr) {
          return missing("NewPassword");
        }
        if (ctx.principal.kind != Principal::Kind::User) {
          return AwsError{400, "InvalidUserType", "Only IAM users can change their own password."};
        }
        auto r = id.change_password(ctx.principal.user_name, *old_password, *new_password);
        return r.ok() ? Result<std::string>(std::string()) : fail(r);
      },
      // The user's own password: the resource is the caller.
      {"iam:ChangePassword", [](const RequestContext& ctx, const QueryParams&) {
         return ctx.principal.arn;
       }});

  router.add_query_service("iam", std::string(query_namespace("iam")), std::move(ops),
                           std::move(perms));
}

}  // namespace signoff::api
