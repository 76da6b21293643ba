// Condition operators: names, and whether one condition entry holds for a request.
#pragma once

#include <string_view>

#include "policy/policy.h"

namespace signoff::policy {

// Splits "ForAnyValue:StringLikeIfExists" into its parts; false for an unknown operator (and for
// NullIfExists, which IAM does not have).
bool parse_operator(std::string_view name, Operator& op, SetQualifier& qualifier, bool& if_exists);

// variables: whether the document's version gives ${...} its meaning.
bool condition_holds(const Condition& c, const RequestContext& ctx, bool variables);

}  // namespace signoff::policy
