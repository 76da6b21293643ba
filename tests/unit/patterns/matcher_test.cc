// Data-driven tables per operator: each row is a pattern, an event and whether it matches.
#include "patterns/matcher.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace signoff::patterns {
namespace {

struct MatchCase {
  const char* pattern;
  const char* event;
  bool match;
};

void PrintTo(const MatchCase& c, std::ostream* os) {
  *os << c.pattern << " vs " << c.event << " -> " << (c.match ? "match" : "no match");
}

bool matches(const char* pattern, const char* event, std::string* error = nullptr) {
  Matcher m;
  PatternStatus st = m.add_rule(7, pattern);
  if (!st.ok()) {
    if (error != nullptr) {
      *error = st.message;
    }
    ADD_FAILURE() << "pattern rejected: " << pattern << ": " << st.message;
    return false;
  }
  MatchScratch scratch;
  std::vector<RuleId> out;
  EXPECT_EQ(m.match(event, scratch, out), MatchStatus::Ok) << event;
  return !out.empty();
}

class OperatorTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(OperatorTest, Matches) {
  const MatchCase& c = GetParam();
  EXPECT_EQ(matches(c.pattern, c.event), c.match) << c.pattern << "\n" << c.event;
}

INSTANTIATE_TEST_SUITE_P(
    Exact, OperatorTest,
    ::testing::Values(MatchCase{R"({"a":["x"]})", R"({"a":"x"})", true},
                      MatchCase{R"({"a":["x"]})", R"({"a":"y"})", false},
                      MatchCase{R"({"a":["x","y"]})", R"({"a":"y"})", true},
                      MatchCase{R"({"a":["x"]})", R"({"b":"x"})", false},
                      MatchCase{R"({"a":["300"]})", R"({"a":300})", false},
                      MatchCase{R"({"a":[300]})", R"({"a":"300"})", false},
                      MatchCase{R"({"a":[300]})", R"({"a":300.0})", true},
                      MatchCase{R"({"a":[300]})", R"({"a":3e2})", true},
                      MatchCase{R"({"a":[0.1]})", R"({"a":1e-1})", true},
                      MatchCase{R"({"a":[123456789012]})", R"({"a":123456789012})", true},
                      MatchCase{R"({"a":[1.0000001]})", R"({"a":1.0000001})", true},
                      MatchCase{R"({"a":[1.0000001]})", R"({"a":1.0000002})", false},
                      MatchCase{R"({"a":[true]})", R"({"a":true})", true},
                      MatchCase{R"({"a":[false]})", R"({"a":true})", false},
                      MatchCase{R"({"a":[null]})", R"({"a":null})", true},
                      MatchCase{R"({"a":[null]})", R"({"b":1})", false},
                      MatchCase{R"({"a":[""]})", R"({"a":""})", true},
                      MatchCase{R"({"a":["é"]})", R"({"a":"\u00e9"})", true},
                      MatchCase{R"({"a":["\ud83d\ude80"]})", R"({"a":"🚀"})", true},
                      MatchCase{R"({"a":[{"exactly":"x"}]})", R"({"a":"x"})", true},
                      MatchCase{R"({"MY_KEY":["v"]})", R"({"my_key":"v"})", false},
                      MatchCase{R"({"a":["10.0.0.1"]})", R"({"a":"10.0.0.1"})", true},
                      MatchCase{R"({"a":["2001:db8::1"]})", R"({"a":"2001:0db8:0:0::1"})", true}));

INSTANTIATE_TEST_SUITE_P(
    Arrays, OperatorTest,
    ::testing::Values(
        MatchCase{R"({"a":["x"]})", R"({"a":["y","x"]})", true},
        MatchCase{R"({"a":["x"]})", R"({"a":[]})", false},
        MatchCase{R"({"a":[null]})", R"({"a":[]})", false},
        MatchCase{R"({"a":["x"]})", R"({"a":[["y"],["x"]]})", true},
        MatchCase{R"({"a":{"b":["1"]}})", R"({"a":[{"b":"2"},{"b":"1"}]})", true},
        // Fields from different elements of one array never combine.
        MatchCase{R"({"a":{"b":["1"],"c":["2"]}})",
                  R"({"a":[{"b":"1","c":"x"},{"b":"y","c":"2"}]})", false},
        MatchCase{R"({"a":{"b":["1"],"c":["2"]}})",
                  R"({"a":[{"b":"1","c":"x"},{"b":"1","c":"2"}]})", true},
        MatchCase{R"({"a":{"b":["1"]},"d":["4"]})", R"({"a":[{"b":"1"}],"d":"4"})", true},
        MatchCase{R"({"detail":{"automations":{"id":[{"exists":true}]}}})",
                  R"({"detail":{"automations":[{"k":"v"},{"id":"x"},{"k2":"v"}]}})", true}));

INSTANTIATE_TEST_SUITE_P(
    Paths, OperatorTest,
    ::testing::Values(
        MatchCase{R"({"detail":{"state.status":["running"]}})",
                  R"({"detail":{"state":{"status":"running"}}})", true},
        MatchCase{R"({"detail":{"state":{"status":["running"]}}})",
                  R"({"detail":{"state.status":"running"}})", true},
        MatchCase{R"({"detail":{"state.status":{"status":["running"]}}})",
                  R"({"detail":{"state":{"status":"running"}}})", false},
        MatchCase{R"({"detail":{"state":{"status":["running"]}}})",
                  R"({"detail":{"state.status":{"status":"running"}}})", false},
        MatchCase{R"({"detail":{"my-key":["my-value"]}})",
                  R"({"detail":"{\"my-key\": \"my-value\"}"})", false},
        MatchCase{R"({"a":{"b":{"c":["d"]}}})", R"({"x":[1,{"y":2}],"a":{"b":{"c":"d"}}})", true},
        MatchCase{R"({"a\"b":["q\"uote"]})", R"({"a\"b":"q\"uote"})", true},
        MatchCase{R"({"a":["x"],"a":["y"]})", R"({"a":"y"})", true},
        MatchCase{R"({"a":["x"],"a":["y"]})", R"({"a":"x"})", false},
        // A repeated event key: the first occurrence wins, so stopping early changes nothing.
        MatchCase{R"({"a":["y"]})", R"({"a":"x","a":"y"})", false},
        MatchCase{R"({"a":["x"]})", R"({"a":"x","a":"y"})", true}));

INSTANTIATE_TEST_SUITE_P(
    Prefix, OperatorTest,
    ::testing::Values(MatchCase{R"({"a":[{"prefix":"ab"}]})", R"({"a":"abc"})", true},
                      MatchCase{R"({"a":[{"prefix":"ab"}]})", R"({"a":"ab"})", true},
                      MatchCase{R"({"a":[{"prefix":"ab"}]})", R"({"a":"xab"})", false},
                      MatchCase{R"({"a":[{"prefix":""}]})", R"({"a":"anything"})", true},
                      MatchCase{R"({"a":[{"prefix":""}]})", R"({"a":12})", false},
                      MatchCase{R"({"a":[{"prefix":"1"}]})", R"({"a":12})", false},
                      MatchCase{R"({"a":[{"prefix":{"equals-ignore-case":"EventB"}}]})",
                                R"({"a":"eVeNtBridge"})", true},
                      MatchCase{R"({"a":[{"prefix":{"equals-ignore-case":"EventB"}}]})",
                                R"({"a":"Event"})", false}));

INSTANTIATE_TEST_SUITE_P(
    Suffix, OperatorTest,
    ::testing::Values(MatchCase{R"({"a":[{"suffix":".png"}]})", R"({"a":"x.png"})", true},
                      MatchCase{R"({"a":[{"suffix":".png"}]})", R"({"a":"x.PNG"})", false},
                      MatchCase{R"({"a":[{"suffix":""}]})", R"({"a":"x"})", true},
                      MatchCase{R"({"a":[{"suffix":{"equals-ignore-case":".png"}}]})",
                                R"({"a":"x.PnG"})", true},
                      MatchCase{R"({"a":[{"suffix":{"equals-ignore-case":".png"}}]})",
                                R"({"a":"x.jpg"})", false}));

INSTANTIATE_TEST_SUITE_P(
    EqualsIgnoreCase, OperatorTest,
    ::testing::Values(MatchCase{R"({"a":[{"equals-ignore-case":"AbC"}]})", R"({"a":"aBc"})", true},
                      MatchCase{R"({"a":[{"equals-ignore-case":"abc"}]})", R"({"a":"abcd"})",
                                false},
                      MatchCase{R"({"a":[{"equals-ignore-case":""}]})", R"({"a":""})", true},
                      MatchCase{R"({"a":[{"equals-ignore-case":""}]})", R"({"a":"x"})", false},
                      MatchCase{R"({"a":[{"equals-ignore-case":"ÉTÉ"}]})", R"({"a":"été"})", true},
                      MatchCase{R"({"a":[{"equals-ignore-case":"ΑΒΓ"}]})", R"({"a":"αβγ"})", true},
                      MatchCase{R"({"a":[{"equals-ignore-case":"1"}]})", R"({"a":1})", false}));

INSTANTIATE_TEST_SUITE_P(
    Wildcard, OperatorTest,
    ::testing::Values(MatchCase{R"({"a":[{"wildcard":"*.png"}]})", R"({"a":"x.png"})", true},
                      MatchCase{R"({"a":[{"wildcard":"a*c"}]})", R"({"a":"abbbc"})", true},
                      MatchCase{R"({"a":[{"wildcard":"a*c"}]})", R"({"a":"ac"})", true},
                      MatchCase{R"({"a":[{"wildcard":"a*c"}]})", R"({"a":"acb"})", false},
                      MatchCase{R"({"a":[{"wildcard":"*"}]})", R"({"a":""})", true},
                      MatchCase{R"({"a":[{"wildcard":"*"}]})", R"({"a":5})", false},
                      MatchCase{R"({"a":[{"wildcard":""}]})", R"({"a":""})", true},
                      MatchCase{R"({"a":[{"wildcard":""}]})", R"({"a":"x"})", false},
                      MatchCase{R"({"a":[{"wildcard":"a\\*b"}]})", R"({"a":"a*b"})", true},
                      MatchCase{R"({"a":[{"wildcard":"a\\*b"}]})", R"({"a":"axb"})", false},
                      MatchCase{R"({"a":[{"wildcard":"a\\\\b"}]})", R"({"a":"a\\b"})", true},
                      MatchCase{R"({"a":[{"wildcard":"/Users/*/dir/dir/dir/dir/dir/doc.txt"}]})",
                                R"({"a":"/Users/u/dir/dir/dir/dir/dir/doc.txt"})", true},
                      MatchCase{R"({"a":[{"wildcard":"/Users/*/dir/dir/dir/dir/dir/doc.txt"}]})",
                                R"({"a":"/Users/u/dir/dir/dir/dir/other/doc.txt"})", false},
                      MatchCase{R"({"a":[{"wildcard":"*a*b*"}]})", R"({"a":"xxaxxbxx"})", true},
                      MatchCase{R"({"a":[{"wildcard":"*a*b*"}]})", R"({"a":"xxbxxaxx"})", false},
                      MatchCase{R"({"a":[{"wildcard":"ab*ba"}]})", R"({"a":"aba"})", false}));

INSTANTIATE_TEST_SUITE_P(
    AnythingBut, OperatorTest,
    ::testing::Values(
        MatchCase{R"({"a":[{"anything-but":"x"}]})", R"({"a":"y"})", true},
        MatchCase{R"({"a":[{"anything-but":"x"}]})", R"({"a":"x"})", false},
        MatchCase{R"({"a":[{"anything-but":"x"}]})", R"({"a":null})", true},
        MatchCase{R"({"a":[{"anything-but":"x"}]})", R"({"a":5})", true},
        MatchCase{R"({"a":[{"anything-but":"x"}]})", R"({"b":5})", false},
        MatchCase{R"({"a":[{"anything-but":"x"}]})", R"({"a":["x","y"]})", true},
        MatchCase{R"({"a":[{"anything-but":"x"}]})", R"({"a":["x"]})", false},
        MatchCase{R"({"a":[{"anything-but":["x","y"]}]})", R"({"a":"y"})", false},
        MatchCase{R"({"a":[{"anything-but":[100,200]}]})", R"({"a":100.0})", false},
        MatchCase{R"({"a":[{"anything-but":[100,200]}]})", R"({"a":150})", true},
        MatchCase{R"({"a":[{"anything-but":[100,200]}]})", R"({"a":"100"})", true},
        MatchCase{R"({"a":[{"anything-but":0}]})", R"({"a":0})", false},
        MatchCase{R"({"a":[{"anything-but":{"prefix":"init"}}]})", R"({"a":"initial"})", false},
        MatchCase{R"({"a":[{"anything-but":{"prefix":"init"}}]})", R"({"a":"post"})", true},
        MatchCase{R"({"a":[{"anything-but":{"prefix":"init"}}]})", R"({"a":12})", true},
        MatchCase{R"({"a":[{"anything-but":{"prefix":["a","b"]}}]})", R"({"a":"bee"})", false},
        MatchCase{R"({"a":[{"anything-but":{"suffix":".txt"}}]})", R"({"a":"f.txt"})", false},
        MatchCase{R"({"a":[{"anything-but":{"suffix":".txt"}}]})", R"({"a":"f.bak"})", true},
        MatchCase{R"({"a":[{"anything-but":{"equals-ignore-case":"ABC"}}]})", R"({"a":"abc"})",
                  false},
        MatchCase{R"({"a":[{"anything-but":{"equals-ignore-case":["ABC","d"]}}]})", R"({"a":"D"})",
                  false},
        MatchCase{R"({"a":[{"anything-but":{"equals-ignore-case":"ABC"}}]})", R"({"a":"abcd"})",
                  true},
        MatchCase{R"({"a":[{"anything-but":{"wildcard":"*/init/*"}}]})", R"({"a":"dir/init/file"})",
                  false},
        MatchCase{R"({"a":[{"anything-but":{"wildcard":"*/init/*"}}]})", R"({"a":"dir/post/file"})",
                  true},
        MatchCase{R"({"a":[{"anything-but":{"wildcard":""}}]})", R"({"a":"x"})", true},
        MatchCase{R"({"a":[{"anything-but":{"wildcard":""}}]})", R"({"a":""})", false}));

INSTANTIATE_TEST_SUITE_P(
    Numeric, OperatorTest,
    ::testing::Values(MatchCase{R"({"a":[{"numeric":[">",100]}]})", R"({"a":101.0})", true},
                      MatchCase{R"({"a":[{"numeric":[">",100]}]})", R"({"a":100})", false},
                      MatchCase{R"({"a":[{"numeric":[">=",100]}]})", R"({"a":100})", true},
                      MatchCase{R"({"a":[{"numeric":["<",100]}]})", R"({"a":99.999999})", true},
                      MatchCase{R"({"a":[{"numeric":["<=",100]}]})", R"({"a":100.000001})", false},
                      MatchCase{R"({"a":[{"numeric":[">",0,"<=",5]}]})", R"({"a":5})", true},
                      MatchCase{R"({"a":[{"numeric":[">",0,"<=",5]}]})", R"({"a":0})", false},
                      MatchCase{R"({"a":[{"numeric":[">=",0,"<",5]}]})", R"({"a":5})", false},
                      MatchCase{R"({"a":[{"numeric":["=",301.8]}]})", R"({"a":301.80})", true},
                      MatchCase{R"({"a":[{"numeric":["=",3.018e2]}]})", R"({"a":301.8})", true},
                      MatchCase{R"({"a":[{"numeric":[">",100]}]})", R"({"a":"300"})", false},
                      MatchCase{R"({"a":[{"numeric":[">",100]}]})", R"({"a":null})", false},
                      MatchCase{R"({"a":[{"numeric":[">",-5]}]})", R"({"a":-4.5})", true},
                      MatchCase{R"({"a":[{"numeric":[">",0]}]})", R"({"a":6e9})", false},
                      MatchCase{R"({"a":[{"numeric":[">",0]}]})", R"({"a":[-1,2]})", true}));

INSTANTIATE_TEST_SUITE_P(
    Exists, OperatorTest,
    ::testing::Values(
        MatchCase{R"({"a":[{"exists":true}]})", R"({"a":"x"})", true},
        MatchCase{R"({"a":[{"exists":true}]})", R"({"a":null})", true},
        MatchCase{R"({"a":[{"exists":true}]})", R"({"b":"x"})", false},
        MatchCase{R"({"a":[{"exists":true}]})", R"({"a":{"b":1}})", false},
        MatchCase{R"({"a":[{"exists":true}]})", R"({"a":[]})", false},
        MatchCase{R"({"a":[{"exists":false}]})", R"({"b":"x"})", true},
        MatchCase{R"({"a":[{"exists":false}]})", R"({"a":"x"})", false},
        MatchCase{R"({"a":[{"exists":false}]})", R"({"a":[]})", true},
        MatchCase{R"({"a":[{"exists":false}]})", R"({"a":{"b":1}})", true},
        MatchCase{R"({"a":[{"exists":false}],"b":["x"]})", R"({"b":"x"})", true},
        MatchCase{R"({"a":[{"exists":false}],"b":["x"]})", R"({"b":"y"})", false},
        MatchCase{R"({"a":[{"anything-but":["r"]},{"exists":false}]})", R"({"c":1})", true},
        MatchCase{R"({"a":[{"anything-but":["r"]},{"exists":false}]})", R"({"a":"r"})", false},
        MatchCase{R"({"a":[{"exists":true},{"prefix":"IGNORED"}]})", R"({"a":"v"})", true}));

INSTANTIATE_TEST_SUITE_P(
    Cidr, OperatorTest,
    ::testing::Values(
        MatchCase{R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"10.0.0.255"})", true},
        MatchCase{R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"10.0.1.0"})", false},
        MatchCase{R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"10.0.0.256"})", false},
        MatchCase{R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":123})", false},
        MatchCase{R"({"ip":[{"cidr":"10.0.0.0/8"}]})", R"({"ip":"10.200.1.1"})", true},
        MatchCase{R"({"ip":[{"cidr":"2001:db8:1234:1a00::/64"}]})",
                  R"({"ip":"2001:0db8:1234:1a00:0000:0000:0000:0000"})", true},
        MatchCase{R"({"ip":[{"cidr":"2001:db8:1234:1a00::/64"}]})",
                  R"({"ip":"2001:0db8:123f:1a01:0000:0000:0000:0000"})", false},
        MatchCase{R"({"ip":[{"cidr":"::ffff:10.0.0.0/120"}]})", R"({"ip":"::ffff:10.0.0.7"})",
                  true}));

INSTANTIATE_TEST_SUITE_P(
    Or, OperatorTest,
    ::testing::Values(MatchCase{R"({"d":{"$or":[{"c":[{"numeric":[">",0,"<=",5]}]},{"x":["y"]}]}})",
                                R"({"d":{"c":0,"x":"y"}})", true},
                      MatchCase{R"({"d":{"$or":[{"c":[{"numeric":[">",0,"<=",5]}]},{"x":["y"]}]}})",
                                R"({"d":{"c":0,"x":"z"}})", false},
                      MatchCase{R"({"s":["a"],"$or":[{"m":["1"]},{"n":["2"],"o":["3"]}]})",
                                R"({"s":"a","n":"2","o":"3"})", true},
                      MatchCase{R"({"s":["a"],"$or":[{"m":["1"]},{"n":["2"],"o":["3"]}]})",
                                R"({"s":"b","m":"1"})", false},
                      MatchCase{R"({"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":["3"]}]}]})",
                                R"({"c":"3"})", true}));

struct ErrorCase {
  const char* pattern;
  const char* reason;
};

void PrintTo(const ErrorCase& c, std::ostream* os) {
  *os << c.pattern;
}

class PatternErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(PatternErrorTest, Rejected) {
  const ErrorCase& c = GetParam();
  PatternStatus st = check_pattern(c.pattern);
  EXPECT_EQ(st.message, std::string("Event pattern is not valid. Reason: ") + c.reason)
      << c.pattern;
  Matcher m;
  EXPECT_FALSE(m.add_rule(1, c.pattern).ok());
  EXPECT_EQ(m.rule_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Aws, PatternErrorTest,
    ::testing::Values(
        ErrorCase{R"({"resources":[]})", "Empty arrays are not allowed"},
        ErrorCase{R"({"a":{}})", "Empty objects are not allowed"},
        ErrorCase{R"({"int":42})", "\"int\" must be an object or an array"},
        ErrorCase{R"(["not","a","dict"])", "Filter is not an object"},
        ErrorCase{R"("x")", "Filter is not an object"}, ErrorCase{"", "Filter is not an object"},
        ErrorCase{"this is valid json but not a dict",
                  "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or "
                  "token 'null', 'true' or 'false')"},
        ErrorCase{R"({"not": closed mark")",
                  "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object "
                  "or token 'null', 'true' or 'false')"},
        ErrorCase{"{'bad': 'quotation'}",
                  "Unexpected character (''' (code 39)): was expecting double-quote to start "
                  "field name"},
        ErrorCase{R"({"a":["x"] "b":["y"]})",
                  "Unexpected character ('\"' (code 34)): was expecting comma to separate Object "
                  "entries"},
        ErrorCase{R"({"a":[["x"]]})", "Match value must be String, number, true, false, or null"},
        ErrorCase{R"({"a":[{"NUMERIC":["=",5]}]})", "Unrecognized match type NUMERIC"},
        ErrorCase{R"({"a":[{"EXISTS":true}]})", "Unrecognized match type EXISTS"},
        ErrorCase{R"({"a":[{}]})", "Match expression name not found"},
        ErrorCase{R"({"a":[{"prefix":"x","suffix":"y"}]})",
                  "Only one key allowed in match expression"},
        ErrorCase{R"({"a":[{"prefix":123}]})", "prefix match pattern must be a string"},
        ErrorCase{R"({"a":[{"prefix":["x"]}]})", "prefix match pattern must be a string"},
        ErrorCase{R"({"a":[{"suffix":[".png"]}]})", "suffix match pattern must be a string"},
        ErrorCase{R"({"a":[{"prefix":{"foo":"x"}}]})", "Unsupported prefix pattern: foo"},
        ErrorCase{R"({"a":[{"equals-ignore-case":["x"]}]})",
                  "equals-ignore-case match pattern must be a string"},
        ErrorCase{R"({"a":[{"equals-ignore-case":{"prefix":"x"}}]})",
                  "equals-ignore-case match pattern must be a string"},
        ErrorCase{R"({"a":[{"wildcard":123}]})", "wildcard match pattern must be a string"},
        ErrorCase{R"({"a":[{"wildcard":"a**b"}]})", "Consecutive wildcard characters at pos 2"},
        ErrorCase{R"({"a":[{"wildcard":"arn:aws:events:us-east-1:**:event-bus/*"}]})",
                  "Consecutive wildcard characters at pos 26"},
        ErrorCase{R"({"a":[{"wildcard":"a\\b"}]})", "Invalid escape character at pos 2"},
        ErrorCase{R"({"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}]})",
                  "Rule is too complex - try using fewer wildcard characters or fewer repeating "
                  "character sequences after a wildcard character"},
        ErrorCase{R"({"a":[{"numeric":10}]})", "Value of numeric must be an array."},
        ErrorCase{R"({"a":[{"numeric":[">",0,">",0]}]})", "Bad numeric range operator: >"},
        ErrorCase{R"({"a":[{"numeric":[">",0,"<"]}]})", "Value of < must be numeric"},
        ErrorCase{R"({"a":[{"numeric":["=","x"]}]})", "Value of equals must be numeric"},
        ErrorCase{R"({"a":[{"numeric":["<",1,">",0]}]})",
                  "Too many elements in numeric expression"},
        ErrorCase{R"({"a":[{"numeric":["!=",1]}]})", "Unrecognized numeric range operator: !="},
        ErrorCase{R"({"a":[{"numeric":[5]}]})", "Invalid member in numeric match: 5"},
        ErrorCase{R"({"a":[{"numeric":[">",0,"<",1,2]}]})",
                  "Too many terms in numeric range expression"},
        ErrorCase{R"({"a":[{"numeric":[">",6000000000]}]})",
                  "Value must be between -5000000000 and 5000000000, inclusive"},
        ErrorCase{R"({"a":[{"anything-but":null}]})",
                  "Value of anything-but must be an array or single string/number value."},
        ErrorCase{R"({"a":[{"anything-but":{"prefix":{"equals-ignore-case":"f"}}}]})",
                  "Value of anything-but must be an array or single string/number value."},
        ErrorCase{R"({"a":[{"anything-but":{"equals-ignore-case":123}}]})",
                  "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
                  "supported."},
        ErrorCase{R"({"a":[{"anything-but":{"equals-ignore-case":[1,2]}}]})",
                  "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
                  "supported."},
        ErrorCase{R"({"a":[{"anything-but":{"prefix":[123,"x"]}}]})",
                  "prefix/suffix match pattern must be a string"},
        ErrorCase{R"({"a":[{"anything-but":{"suffix":""}}]})", "Null prefix/suffix not allowed"},
        ErrorCase{R"({"a":[{"anything-but":{"wildcard":[1]}}]})",
                  "wildcard match pattern must be a string"},
        ErrorCase{R"({"a":[{"anything-but":{"regex":"x"}}]})",
                  "Unsupported anything-but pattern: regex"},
        ErrorCase{R"({"a":[{"anything-but":["x",1]}]})",
                  "Inside anything but list, either all values are number or string, mixed type "
                  "is not supported"},
        ErrorCase{R"({"a":[{"anything-but":[null]}]})",
                  "Inside anything but list, start|null|boolean is not supported."},
        ErrorCase{R"({"a":[{"exists":"yes"}]})",
                  "exists match pattern must be either true or false."},
        ErrorCase{R"({"a":[{"cidr":"bad-filter"}]})", "Malformed CIDR, one '/' required"},
        ErrorCase{R"({"a":[{"cidr":"bad-/64filter"}]})",
                  "Malformed CIDR, mask bits must be an integer"},
        ErrorCase{R"({"a":[{"cidr":"xx.11.xx/8"}]})", "Nonstandard IP address: xx.11.xx"},
        ErrorCase{R"({"a":[{"cidr":"10.0.0.0/33"}]})", "IPv4 mask bits must be < 32"},
        ErrorCase{R"({"a":[{"cidr":["x"]}]})", "prefix match pattern must be a string"},
        ErrorCase{R"({"$or":{"a":["x"]}})", "It must be an Array followed with $or."},
        ErrorCase{R"({"$or":[{"a":["x"]}]})",
                  "There must have at least 2 Objects in $or relationship."},
        ErrorCase{R"({"$or":[{"a":["x"]},"b"]})",
                  "Only JSON object is allowed in array of $or relationship."},
        ErrorCase{R"({"$or":[{"a":["x"]},{"prefix":["y"]}]})",
                  "prefix is Ruler reserved fieldName which cannot be used inside $or."}));

Matcher& big_matcher() {
  static Matcher m;
  static bool built = [] {
    std::vector<std::string> texts;
    for (int i = 0; i < 10000; ++i) {
      texts.push_back(R"({"source":["app)" + std::to_string(i) +
                      R"("],"detail":{"n":[{"numeric":[">",)" + std::to_string(i) + "]}]}}");
    }
    std::vector<std::pair<RuleId, std::string_view>> rules;
    for (int i = 0; i < 10000; ++i) {
      rules.emplace_back(static_cast<RuleId>(i), texts[static_cast<size_t>(i)]);
    }
    for (const auto& st : m.add_rules(rules)) {
      EXPECT_TRUE(st.ok()) << st.message;
    }
    return true;
  }();
  (void)built;
  return m;
}

TEST(MatcherTest, ManyRulesOneAutomaton) {
  Matcher& m = big_matcher();
  EXPECT_EQ(m.rule_count(), 10000u);
  MatchScratch scratch;
  std::vector<RuleId> out;
  ASSERT_EQ(m.match(R"({"source":"app42","detail":{"n":43}})", scratch, out), MatchStatus::Ok);
  EXPECT_EQ(out, std::vector<RuleId>{42});
  out.clear();
  ASSERT_EQ(m.match(R"({"source":"app42","detail":{"n":42}})", scratch, out), MatchStatus::Ok);
  EXPECT_TRUE(out.empty());
}

TEST(MatcherTest, AddReplaceRemove) {
  Matcher m;
  MatchScratch scratch;
  std::vector<RuleId> out;
  ASSERT_TRUE(m.add_rule(1, R"({"a":["x"]})").ok());
  ASSERT_TRUE(m.add_rule(2, R"({"a":[{"prefix":"x"}]})").ok());
  m.match(R"({"a":"x"})", scratch, out);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (std::vector<RuleId>{1, 2}));
  ASSERT_TRUE(m.add_rule(1, R"({"a":["y"]})").ok());
  out.clear();
  m.match(R"({"a":"x"})", scratch, out);
  EXPECT_EQ(out, std::vector<RuleId>{2});
  EXPECT_TRUE(m.remove_rule(2));
  EXPECT_FALSE(m.remove_rule(2));
  out.clear();
  m.match(R"({"a":"x"})", scratch, out);
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(m.add_rule(3, R"({"a":[]})").ok());
  EXPECT_EQ(m.rule_count(), 1u);
  EXPECT_NE(m.debug_dump().find("rules: 1"), std::string::npos);
}

TEST(MatcherTest, RuleWithOrMatchesOnce) {
  Matcher m;
  ASSERT_TRUE(m.add_rule(5, R"({"$or":[{"a":["1"]},{"b":["2"]}]})").ok());
  MatchScratch scratch;
  std::vector<RuleId> out;
  m.match(R"({"a":"1","b":"2"})", scratch, out);
  EXPECT_EQ(out, std::vector<RuleId>{5});
}

TEST(MatcherTest, EventErrors) {
  Matcher m;
  ASSERT_TRUE(m.add_rule(1, R"({"a":["x"]})").ok());
  MatchScratch scratch;
  std::vector<RuleId> out;
  EXPECT_EQ(m.match("[1]", scratch, out), MatchStatus::NotObject);
  EXPECT_EQ(m.match("", scratch, out), MatchStatus::NotObject);
  EXPECT_EQ(m.match(R"({"a":)", scratch, out), MatchStatus::Malformed);
  EXPECT_EQ(m.match(R"({"a":"x)", scratch, out), MatchStatus::Malformed);
  std::string deep(1000, '[');
  EXPECT_EQ(m.match(R"({"a":)" + deep, scratch, out), MatchStatus::TooDeep);
}

TEST(MatcherTest, ReadersNeverBlockOnWriter) {
  Matcher m;
  ASSERT_TRUE(m.add_rule(0, R"({"a":["x"]})").ok());
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      MatchScratch scratch;
      std::vector<RuleId> out;
      while (!stop.load()) {
        out.clear();
        m.match(R"({"a":"x"})", scratch, out);
        if (std::find(out.begin(), out.end(), RuleId{0}) == out.end()) {
          ++bad;
        }
      }
    });
  }
  for (int i = 1; i < 200; ++i) {
    ASSERT_TRUE(m.add_rule(static_cast<RuleId>(i), R"({"a":[{"prefix":"x"}]})").ok());
    if (i % 3 == 0) {
      m.remove_rule(static_cast<RuleId>(i - 1));
    }
  }
  stop = true;
  for (auto& th : readers) {
    th.join();
  }
  EXPECT_EQ(bad.load(), 0);
}

struct ApiCase {
  const char* event;
  const char* pattern;
  TestResult::Kind kind;
  const char* message;
};

class TestEventPatternTest : public ::testing::TestWithParam<ApiCase> {};

TEST_P(TestEventPatternTest, Result) {
  const ApiCase& c = GetParam();
  TestResult r = test_event_pattern(c.event, c.pattern);
  EXPECT_EQ(r.kind, c.kind) << c.event << " / " << c.pattern << ": " << r.message;
  EXPECT_EQ(r.message, c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Api, TestEventPatternTest,
    ::testing::Values(
        ApiCase{
            R"({"id":"1","source":"s","detail-type":"t","account":"1","region":"r","time":"t"})",
            R"({"source":["s"]})", TestResult::Kind::Match, ""},
        ApiCase{
            R"({"id":"1","source":"s","detail-type":"t","account":"1","region":"r","time":"t"})",
            R"({"source":["x"]})", TestResult::Kind::NoMatch, ""},
        ApiCase{R"({"testEvent":"value"})", R"({"source":["x"]})", TestResult::Kind::InvalidEvent,
                "Parameter Event is not valid."},
        ApiCase{R"("plain string")", R"({"source":["x"]})", TestResult::Kind::InvalidEvent,
                "Parameter Event is not valid."},
        ApiCase{R"(["plain string"])", R"({"source":["x"]})", TestResult::Kind::InvalidEvent,
                "Parameter Event is not valid."},
        ApiCase{
            R"({"id":"1","source":"s","detail-type":"t","account":"1","region":"r","time":"t"})",
            R"({"source":"x"})", TestResult::Kind::InvalidPattern,
            "Event pattern is not valid. Reason: \"source\" must be an object or an array"}));

}  // namespace
}  // namespace signoff::patterns
