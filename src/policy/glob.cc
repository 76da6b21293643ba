#include "policy/glob.h"

namespace signoff::policy {
namespace {

char fold(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Dynamic programming over (pattern prefix, text prefix) so that stars with different powers
// (crossing colons or not) need no backtracking heuristics. row[j]: p[0..i) matches s[0..j).
bool match(const Pattern& p, std::string_view s, bool ignore_case, bool arn) {
  std::vector<char> row(s.size() + 1, 0);
  std::vector<char> next(s.size() + 1, 0);
  row[0] = 1;
  for (size_t i = 0; i < p.size(); ++i) {
    const GlobToken& t = p[i];
    std::fill(next.begin(), next.end(), 0);
    if (t.kind == GlobToken::Star) {
      const bool crosses =
          !arn || i + 1 == p.size() || (p[i + 1].kind == GlobToken::Literal && p[i + 1].c == ':');
      char reach = 0;
      for (size_t j = 0; j <= s.size(); ++j) {
        if (j > 0 && !crosses && s[j - 1] == ':') {
          reach = 0;  // a segment-bound star cannot swallow the colon
        }
        reach = static_cast<char>(reach | row[j]);
        next[j] = reach;
      }
    } else {
      for (size_t j = 0; j < s.size(); ++j) {
        if (!row[j]) {
          continue;
        }
        const bool ok = t.kind == GlobToken::One
                            ? !(arn && s[j] == ':')
                            : fold(t.c, ignore_case) == fold(s[j], ignore_case);
        if (ok) {
          next[j + 1] = 1;
        }
      }
    }
    row.swap(next);
  }
  return row[s.size()] != 0;
}

}  // namespace

Pattern literal_pattern(std::string_view text, bool wildcards) {
  Pattern p;
  p.reserve(text.size());
  for (char c : text) {
    if (wildcards && c == '*') {
      if (p.empty() || p.back().kind != GlobToken::Star) {
        p.push_back({GlobToken::Star, 0});
      }
    } else if (wildcards && c == '?') {
      p.push_back({GlobToken::One, 0});
    } else {
      p.push_back({GlobToken::Literal, c});
    }
  }
  return p;
}

bool glob_match(const Pattern& p, std::string_view s, bool ignore_case) {
  return match(p, s, ignore_case, false);
}

bool arn_match(const Pattern& p, std::string_view arn) {
  return match(p, arn, false, true);
}

}  // namespace signoff::policy
