// What AWS::IAM::User, Group and Role share: their Policies and ManagedPolicyArns properties,
// brought from one template's values to the next through the identity service.
#pragma once

#include <map>
#include <string>

#include "common/json.h"
#include "common/result.h"
#include "deploy/resources/resources.h"
#include "iam/identity.h"

namespace signoff::deploy {

// Policies: [{PolicyName, PolicyDocument}] → name → document text.
std::map<std::string, std::string> inline_policies(const json::Value& props);

// Puts the inline policies that are new or changed in `after` (failing on the first refusal) and
// deletes those only `before` had (a failure there is ignored: the policy is gone from the
// template either way).
Result<Unit> reconcile_inline_policies(iam::IdentityService& id, iam::EntityType type,
                                       const std::string& name, const json::Value& before,
                                       const json::Value& after);

// The same for ManagedPolicyArns: attaches the new ones, detaches the dropped ones.
Result<Unit> reconcile_managed_policies(iam::IdentityService& id, iam::EntityType type,
                                        const std::string& name, const json::Value& before,
                                        const json::Value& after);

}  // namespace signoff::deploy
