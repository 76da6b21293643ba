#include "api/audit_api.h"

#include "api/service_util.h"

namespace signoff::api {

void register_audit_api(Router& router, automation::AutomationService& service) {
  automation::AutomationService* svc = &service;
  JsonOperations ops;
  ops.emplace(
      "ListAuditRecords",
      JsonOperation([svc](const RequestContext&, const json::Value& body) -> Result<json::Value> {
        JsonReader in(body);
        auto max = in.optional_int("MaxResults", {.min = 1, .max = 100});
        auto token = in.optional_string("NextToken", {.max = 64});
        if (auto e = in.error()) {
          return *e;
        }
        auto r = svc->list_audit_records(token.value_or(""), static_cast<size_t>(max.value_or(50)));
        if (!r.ok()) {
          return to_aws(r.error());
        }
        return *r;
      }));
  ops.emplace("VerifyAuditChain", JsonOperation([svc](const RequestContext&,
                                                      const json::Value&) -> Result<json::Value> {
                auto r = svc->verify_audit_chain();
                if (!r.ok()) {
                  return to_aws(r.error());
                }
                return *r;
              }));
  JsonPermissions perms{
      {"ListAuditRecords", Permission<json::Value>{"signoff:ListAuditRecords", nullptr}},
      {"VerifyAuditChain", Permission<json::Value>{"signoff:VerifyAuditChain", nullptr}},
  };
  router.add_json_service("signoff", "SignoffAudit", JsonVersion::V1_1, std::move(ops), {},
                          std::move(perms));
}

}  // namespace signoff::api
