// Policy variables in Resource and condition values: ${aws:username}, ${aws:PrincipalTag/x},
// ${key, 'default'}, and the escapes ${*}, ${?}, ${$} that stand for the literal characters.
// Only documents with Version 2012-10-17 have variables; older ones treat "${" as text.
#pragma once

#include <optional>
#include <string_view>

#include "policy/glob.h"
#include "policy/policy.h"

namespace signoff::policy {

// The value as a wildcard pattern, with variables replaced (their values never act as
// wildcards). nullopt when a variable has no value and no default: the value matches nothing.
std::optional<Pattern> resolve_pattern(std::string_view text, bool variables,
                                       const RequestContext& ctx);
// The value as plain text (for StringEquals, Numeric*, ...), same rules.
std::optional<std::string> resolve_text(std::string_view text, bool variables,
                                        const RequestContext& ctx);

}  // namespace signoff::policy
