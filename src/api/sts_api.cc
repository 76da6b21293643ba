// STS: GetCallerIdentity and AssumeRole. AssumeRole authorizes itself (the role's trust policy
// together with the caller's identity policies), so its permission is declared handler_decides.
#include "api/iam_api.h"
#include "api/protocol/xml.h"
#include "api/service_util.h"
#include "iam/ids.h"

namespace signoff::api {

void register_sts_api(Router& router, iam::IdentityService& id) {
  QueryOperations ops;
  QueryPermissions perms;

  ops.emplace("GetCallerIdentity", QueryOperation([](const RequestContext& ctx,
                                                     const QueryParams&) -> Result<std::string> {
                XmlWriter x;
                x.element("Arn", ctx.principal.arn)
                    .element("UserId", ctx.principal.user_id)
                    .element("Account", ctx.principal.account);
                return x.finish();
              }));
  // Anyone who signs a request may ask who they are; no policy can deny it.
  perms.emplace("GetCallerIdentity",
                Permission<QueryParams>{"sts:GetCallerIdentity", nullptr, true});

  ops.emplace(
      "AssumeRole",
      QueryOperation([&id](const RequestContext& ctx, const QueryParams& q) -> Result<std::string> {
        iam::AssumeRoleRequest r;
        const std::string* arn = q.get("RoleArn");
        const std::string* session = q.get("RoleSessionName");
        if (arn == nullptr || session == nullptr) {
          return AwsError{400, "ValidationError",
                          std::string("1 validation error detected: Value null at '") +
                              (arn == nullptr ? "roleArn" : "roleSessionName") +
                              "' failed to satisfy constraint: Member must not be null"};
        }
        r.role_arn = *arn;
        r.session_name = *session;
        if (const std::string* d = q.get("DurationSeconds")) {
          char* end = nullptr;
          long long v = std::strtoll(d->c_str(), &end, 10);
          if (d->empty() || *end != '\0') {
            return AwsError{400, "ValidationError", "Invalid value for DurationSeconds: " + *d};
          }
          r.duration_seconds = v;
        }
        auto creds = id.assume_role(ctx.principal, r);
        if (!creds.ok()) {
          return to_aws(creds.error());
        }
        XmlWriter x;
        x.open("Credentials")
            .element("AccessKeyId", creds->access_key_id)
            .element("SecretAccessKey", creds->secret_access_key)
            .element("SessionToken", creds->session_token)
            .element("Expiration", iam::iso8601(creds->expiration_ms))
            .close()
            .open("AssumedRoleUser")
            .element("AssumedRoleId", creds->assumed_role_id)
            .element("Arn", creds->arn)
            .close();
        return x.finish();
      }));
  perms.emplace("AssumeRole", Permission<QueryParams>{"sts:AssumeRole", nullptr, true});

  router.add_query_service("sts", std::string(query_namespace("sts")), std::move(ops),
                           std::move(perms));
}

}  // namespace signoff::api
