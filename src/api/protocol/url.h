// Percent-decoding for paths, query strings and form bodies. Lenient as AWS's front ends are: an
// escape that is not %XX stays as written instead of failing the request.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signoff::api {

// plus_is_space: '+' means ' ' in query strings and form bodies, but not in paths.
std::string percent_decode(std::string_view text, bool plus_is_space);

// "a=1&b=x%20y&c" → {("a","1"), ("b","x y"), ("c","")}, in order; empty pairs are skipped.
std::vector<std::pair<std::string, std::string>> decode_form(std::string_view form);

}  // namespace signoff::api
