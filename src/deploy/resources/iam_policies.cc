#include "deploy/resources/iam_policies.h"

#include <algorithm>
#include <vector>

namespace signoff::deploy {

std::map<std::string, std::string> inline_policies(const json::Value& props) {
  std::map<std::string, std::string> out;
  const json::Value* v = props.find("Policies");
  if (v && v->is_array()) {
    for (const json::Value& p : v->as_array()) {
      out[prop_string(p, "PolicyName")] = prop_document(p, "PolicyDocument");
    }
  }
  return out;
}

Result<Unit> reconcile_inline_policies(iam::IdentityService& id, iam::EntityType type,
                                       const std::string& name, const json::Value& before,
                                       const json::Value& after) {
  auto old_policies = inline_policies(before);
  for (const auto& [policy, document] : inline_policies(after)) {
    auto it = old_policies.find(policy);
    if (it == old_policies.end() || it->second != document) {
      if (auto r = id.put_inline_policy(type, name, policy, document); !r.ok()) {
        return r.error();
      }
    }
    old_policies.erase(policy);
  }
  for (const auto& [policy, document] : old_policies) {
    (void)id.delete_inline_policy(type, name, policy);
  }
  return Unit{};
}

Result<Unit> reconcile_managed_policies(iam::IdentityService& id, iam::EntityType type,
                                        const std::string& name, const json::Value& before,
                                        const json::Value& after) {
  auto contains = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  auto old_arns = prop_strings(before, "ManagedPolicyArns");
  auto new_arns = prop_strings(after, "ManagedPolicyArns");
  for (const std::string& arn : new_arns) {
    if (!contains(old_arns, arn)) {
      if (auto r = id.attach_policy(type, name, arn); !r.ok()) {
        return r.error();
      }
    }
  }
  for (const std::string& arn : old_arns) {
    if (!contains(new_arns, arn)) {
      (void)id.detach_policy(type, name, arn);
    }
  }
  return Unit{};
}

}  // namespace signoff::deploy
