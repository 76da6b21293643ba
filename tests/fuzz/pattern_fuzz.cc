// Compiles the first line of the input as an event pattern, then matches the remaining lines (and
// the pattern text itself) as events. Invariants: no crash or sanitizer report; a rule matches an
// event the same way alone and inside a matcher holding other rules; results are stable when the
// scratch is reused.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/matcher.h"

namespace {

using signoff::patterns::Matcher;
using signoff::patterns::MatchScratch;
using signoff::patterns::MatchStatus;
using signoff::patterns::RuleId;

constexpr const char* kDecoys[] = {
    R"({"source":["aws.ec2"],"detail":{"state":[{"anything-but":"x"}]}})",
    R"({"a":[{"prefix":"a"},{"suffix":"z"},{"wildcard":"*b*"}]})",
    R"({"a":{"b":[{"numeric":[">",0,"<=",100]}],"c":[{"exists":false}]}})",
    R"({"$or":[{"a":[{"equals-ignore-case":"X"}]},{"b":[{"cidr":"10.0.0.0/8"}]}]})",
};

bool matched(const std::vector<RuleId>& out, RuleId id) {
  return std::find(out.begin(), out.end(), id) != out.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) {
    return 0;
  }
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view pattern = input.substr(0, nl);
  std::vector<std::string_view> events;
  events.push_back(pattern);
  while (nl != std::string_view::npos) {
    size_t start = nl + 1;
    nl = input.find('\n', start);
    events.push_back(input.substr(start, nl == std::string_view::npos ? nl : nl - start));
  }

  Matcher alone;
  if (!alone.add_rule(1, pattern).ok()) {
    return 0;
  }
  Matcher crowd;
  RuleId next = 100;
  for (const char* decoy : kDecoys) {
    if (!crowd.add_rule(next++, decoy).ok()) {
      std::abort();
    }
  }
  if (!crowd.add_rule(1, pattern).ok()) {
    std::abort();
  }
  MatchScratch a;
  MatchScratch b;
  std::vector<RuleId> out_a;
  std::vector<RuleId> out_b;
  for (std::string_view event : events) {
    out_a.clear();
    out_b.clear();
    MatchStatus sa = alone.match(event, a, out_a);
    MatchStatus sb = crowd.match(event, b, out_b);
    // A lone rule may stop reading early where the crowd reads on, so only compare full reads.
    if (sa == MatchStatus::Ok && sb == MatchStatus::Ok && matched(out_a, 1) != matched(out_b, 1)) {
      std::abort();
    }
    std::vector<RuleId> again;
    if (alone.match(event, a, again) != sa || matched(again, 1) != matched(out_a, 1)) {
      std::abort();
    }
  }
  return 0;
}
