// The AWS managed policies Signoff knows, with their documents as AWS publishes them
// (docs.aws.amazon.com/aws-managed-policy/latest/reference/). Attaching one works like on AWS;
// they cannot be changed or deleted.
#pragma once

#include <span>
#include <string_view>

namespace signoff::iam {

struct AwsManagedPolicy {
  std::string_view name;
  std::string_view path;  // "/" or "/service-role/"
  std::string_view id;    // ANPA...
  std::string_view version;
  std::string_view description;
  std::string_view created;  // ISO 8601, as AWS lists it
  std::string_view updated;
  std::string_view document;
};

std::span<const AwsManagedPolicy> aws_managed_policies();
// By ARN (arn:aws:iam::aws:policy/PATH/NAME); nullptr when unknown.
const AwsManagedPolicy* find_aws_managed_policy(std::string_view arn);

}  // namespace signoff::iam
