// The regular expression engine behind every user-given pattern: ECMAScript results on ordinary
// patterns, and bounded work and stack on hostile ones.
#include "regex/regex.h"

#include <string>

#include <gtest/gtest.h>

namespace signoff::regex {
namespace {

struct Case {
  const char* pattern;
  const char* text;
  bool whole;     // matches_whole
  bool contains;  // contains_match
};

// Whole-text and partial matching on the patterns SSM documents and CloudFormation templates use.
const Case kCases[] = {
    {"[a-z][a-z0-9-]*", "release-gate", true, true},
    {"[a-z][a-z0-9-]*", "Release", false, true},
    {"^\\d+$", "12345", true, true},
    {"^\\d+$", "12a45", false, false},
    {"a|ab", "ab", true, true},  // whole matching tries every alternative, not the leftmost
    {"arn:aws:iam::\\d{12}:role/.+", "arn:aws:iam::123456789012:role/approvers", true, true},
    {"arn:aws:iam::\\d{12}:role/.+", "arn:aws:iam::1234:role/x", false, false},
    {"(?:prod|staging)", "staging", true, true},
    {"(?:prod|staging)", "preprod", false, true},
    {"[^\\s]+", "no spaces", false, true},
    {"", "", true, true},
    {"", "x", false, true},
    {"é+", "éé", true, true},  // code points, not bytes
    {".", "é", true, true},
};

TEST(Regex, WholeAndPartialMatches) {
  for (const Case& c : kCases) {
    auto whole = matches_whole(c.pattern, c.text);
    auto contains = contains_match(c.pattern, c.text);
    ASSERT_TRUE(whole.ok()) << c.pattern;
    ASSERT_TRUE(contains.ok()) << c.pattern;
    EXPECT_EQ(*whole, c.whole) << c.pattern << " on " << c.text;
    EXPECT_EQ(*contains, c.contains) << c.pattern << " on " << c.text;
  }
}

TEST(Regex, CapturesAreByteOffsets) {
  auto re = compile("(\\w+)@(\\w+)", "");
  ASSERT_TRUE(re.ok());
  Match m;
  std::string text = "mail: ops@example";
  ASSERT_EQ((*re)->search(text, 0, m), Search::Found);
  EXPECT_EQ(text.substr(m.start, m.end - m.start), "ops@example");
  ASSERT_EQ(m.groups.size(), 2u);
  EXPECT_EQ(text.substr(m.groups[1]->first, m.groups[1]->second - m.groups[1]->first), "example");
  EXPECT_EQ((*re)->group_count(), 2u);
}

TEST(Regex, MalformedPatternsAreErrors) {
  for (const char* bad : {"(", "[a-", "a{2,1}", "*a", "(?<", ")"}) {
    auto re = compile(bad, "");
    ASSERT_FALSE(re.ok()) << bad;
    EXPECT_EQ(re.error().type, "SyntaxError") << bad;
  }
}

TEST(Regex, HostileInputIsBounded) {
  // Deep nesting is refused before it can recurse deeply.
  std::string deep = std::string(100000, '(') + "a" + std::string(100000, ')');
  EXPECT_FALSE(compile(deep, "").ok());
  // Catastrophic backtracking runs out of steps instead of running for ever.
  auto evil = contains_match("^(a+)+$", std::string(40, 'a') + "!");
  ASSERT_FALSE(evil.ok());
  EXPECT_EQ(evil.error().type, "StepLimit");
  // A long text under `.*` needs no native stack per character.
  auto long_text = matches_whole(".*x", std::string(1'000'000, 'y') + "x");
  ASSERT_TRUE(long_text.ok());
  EXPECT_TRUE(*long_text);
}

}  // namespace
}  // namespace signoff::regex
