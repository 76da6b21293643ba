// The principals an AWS::IAM::Policy or AWS::IAM::ManagedPolicy applies to: its Roles, Users and
// Groups properties, as (entity type, name) pairs.
#pragma once

#include <set>
#include <string>
#include <utility>

#include "common/json.h"
#include "deploy/provider.h"
#include "iam/identity.h"

namespace signoff::deploy {

using PolicyTarget = std::pair<iam::EntityType, std::string>;

// Names or ARNs (CloudFormation accepts a role's ARN in Roles too): the name is what follows the
// last '/'.
inline std::set<PolicyTarget> policy_targets(const json::Value& props) {
  std::set<PolicyTarget> out;
  auto add = [&](const char* property, iam::EntityType type) {
    for (std::string name : prop_strings(props, property)) {
      if (size_t slash = name.rfind('/'); name.rfind("arn:", 0) == 0 && slash != name.npos) {
        name = name.substr(slash + 1);
      }
      out.emplace(type, name);
    }
  };
  add("Roles", iam::EntityType::Role);
  add("Users", iam::EntityType::User);
  add("Groups", iam::EntityType::Group);
  return out;
}

}  // namespace signoff::deploy
