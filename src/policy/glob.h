// IAM's wildcard matching: '*' (any run) and '?' (any one character).
//
// For ARNs (Resource, Arn* conditions) a wildcard stays inside its colon-separated segment,
// except a '*' that ends a segment (followed by ':' or the end of the pattern), which AWS lets
// run across colons. Actions and String*Like values match over the whole text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace signoff::policy {

struct GlobToken {
  enum Kind : unsigned char { Literal, Star, One } kind;
  char c;  // Literal only
};
using Pattern = std::vector<GlobToken>;

// Every '*' and '?' is a wildcard (no escapes: escaped characters come from variables.h).
Pattern literal_pattern(std::string_view text, bool wildcards);

bool glob_match(const Pattern& p, std::string_view s, bool ignore_case);
bool arn_match(const Pattern& p, std::string_view arn);

}  // namespace signoff::policy
