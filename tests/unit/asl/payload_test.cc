#include "asl/payload.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace signoff::asl {
namespace {

json::Value parse(std::string_view text) {
  json::ParseResult r = json::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error;
  return r.value;
}

class Vars : public VariableLookup {
 public:
  json::Value x = json::Value("var-x");
  const json::Value* lookup(std::string_view name) const override {
    return name == "x" ? &x : nullptr;
  }
};

struct EvalCase {
  const char* tmpl;
  const char* input;
  const char* expected;  // JSON output, or "!<cause>" for a States.Runtime failure
};

const EvalCase kCases[] = {
    {R"({"a":1,"b":[1,{"c":null}]})", "{}", R"({"a":1,"b":[1,{"c":null}]})"},
    {R"("just a string")", "{}", R"("just a string")"},
    {R"({"item.$":"$.items[0]"})", R"({"items":[{"k":0},{"k":1}]})", R"({"item":{"k":0}})"},
    {R"({"item.$":"$.item.items[*]"})", "{}", R"({"item":[]})"},
    {R"({"item.$":"$.items[1:].v"})", "{}", R"({"item":[]})"},
    {R"({"FromInput.$":"$.users[?(@.status == 0)]"})",
     R"({"users":[{"year":1997,"status":0},{"year":1998,"status":1}]})",
     R"({"FromInput":[{"year":1997,"status":0}]})"},
    {R"({"value.$":"$['Test\\\"\"Name\"']"})", R"({"Test\\\"\"Name\"":"Value\"\\"})",
     R"({"value":"Value\"\\"})"},
    {R"({"v.$":"$.payload.v","n.$":"$.payload.n","i":0})", R"({"payload":{"v":"x","n":7}})",
     R"({"v":"x","n":7,"i":0})"},
    {R"({"outer":{"inner.$":"$.a","k":true},"list":[{"x.$":"$.b"},2]})", R"({"a":1,"b":2})",
     R"({"outer":{"inner":1,"k":true},"list":[{"x":2},2]})"},
    {R"({"whole.$":"$","ctx.$":"$$.Execution.Id","var.$":"$x"})", R"({"a":1})",
     R"({"whole":{"a":1},"ctx":"exec-1","var":"var-x"})"},
    {R"j({"FunctionResult.$":"States.MathAdd($.n, 1)"})j", R"({"n":41})",
     R"({"FunctionResult":42})"},
    {R"j({"not_an_intrinsic":"States.Format('x')","$":"$.a"})j", "{}",
     R"j({"not_an_intrinsic":"States.Format('x')","$":"$.a"})j"},
    {R"({"a":1,"a.$":"$.b"})", R"({"b":2})", R"({"a":2})"},
    {R"({"value.$":"$.no_such_jsonpath"})", R"({"int-literal":0})",
     R"(!The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}')"},
    {R"({"deep":{"value.$":"$.a.b"}})", R"({"a":{}})",
     R"(!The JSONPath '$.a.b' specified for the field 'value.$' could not be found in the input '{"a":{}}')"},
    {R"({"c.$":"$$.Nope"})", R"({})",
     R"(!The JSONPath '$$.Nope' specified for the field 'c.$' could not be found in the input '{"Execution":{"Id":"exec-1"}}')"},
    {R"j({"h.$":"States.Hash($.missing, 'MD5')"})j", R"({})",
     R"(!The JSONPath '$.missing' specified for the field 'h.$' could not be found in the input '{}')"},
    {R"j({"m.$":"States.MathAdd($.s, 1)"})j", R"({"s":"1"})",
     "!Invalid arguments in States.MathAdd"},
};

TEST(PayloadTemplate, EvaluatesLikeAws) {
  json::Value context = parse(R"({"Execution":{"Id":"exec-1"}})");
  Vars vars;
  int passed = 0, failed = 0;
  for (const EvalCase& c : kCases) {
    Diagnostics d;
    auto t = PayloadTemplate::compile(parse(c.tmpl), "/States/S/Parameters", d);
    if (!t) {
      ADD_FAILURE() << c.tmpl << ": " << (d.empty() ? "" : d[0].message);
      ++failed;
      continue;
    }
    json::Value input = parse(c.input);
    SeededEntropy entropy(1);
    Outcome<json::Value> got = t->eval(PathRoots{&input, &context, &vars}, entropy);
    std::string want = c.expected;
    std::string got_text;
    bool ok;
    if (got.ok()) {
      got_text = json::dump(got.value());
      ok = want[0] != '!' && got_text == json::dump(parse(want));
    } else {
      got_text = got.failure().error + ": " + got.failure().cause;
      ok = want[0] == '!' && got.failure().error == "States.Runtime" &&
           got.failure().cause == want.substr(1);
    }
    if (ok) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << c.tmpl << " on " << c.input << " gave " << got_text << ", want " << want;
    }
  }
  std::printf("payload: %d passed, %d failed\n", passed, failed);
}

// Recorded on AWS: test_assign_from_value[BASE_ASSIGN_FROM_INTRINSIC_FUNCTION] (UUID left out).
TEST(PayloadTemplate, EveryIntrinsicInOneTemplate) {
  json::Value input = parse(R"j({"inputArray":[1,2,3,4,5,6],"duplicateArray":[1,2,2,3,3,4],
    "rawString":"Hello World","encodedString":"SGVsbG8gV29ybGQ=","inputString":"Hash this string",
    "json1":{"a":1,"b":2},"json2":{"c":3,"d":4},"jsonString":"{\"key\":\"value\"}",
    "jsonObject":{"test":"object"},"value1":5,"value2":3,"csvString":"a,b,c,d,e","name":"John",
    "place":"LocalStack"})j");
  json::Value tmpl = parse(R"j({"arrayOps":{"simpleArray.$":"States.Array('a', 'b', 'c')",
    "partitionedArray.$":"States.ArrayPartition($.inputArray, 2)",
    "containsElement.$":"States.ArrayContains($.inputArray, 5)",
    "numberRange.$":"States.ArrayRange(1, 10, 2)",
    "thirdElement.$":"States.ArrayGetItem($.inputArray, 2)",
    "arraySize.$":"States.ArrayLength($.inputArray)",
    "uniqueValues.$":"States.ArrayUnique($.duplicateArray)"},
    "encodingOps":{"encoded.$":"States.Base64Encode($.rawString)",
    "decoded.$":"States.Base64Decode($.encodedString)"},
    "hashOps":{"hashValue.$":"States.Hash($.inputString, 'SHA-256')"},
    "jsonOps":{"mergedJson.$":"States.JsonMerge($.json1, $.json2, false)",
    "parsedJson.$":"States.StringToJson($.jsonString)",
    "stringifiedJson.$":"States.JsonToString($.jsonObject)"},
    "mathOps":{"sum.$":"States.MathAdd($.value1, $.value2)"},
    "stringOps":{"splitString.$":"States.StringSplit($.csvString, ',')",
    "formattedString.$":"States.Format('Hello {}, welcome to {}!', $.name, $.place)"}})j");
  json::Value expected =
      parse(R"j({"arrayOps":{"uniqueValues":[1,2,3,4],"simpleArray":["a","b","c"],
    "thirdElement":3,"partitionedArray":[[1,2],[3,4],[5,6]],"arraySize":6,"containsElement":true,
    "numberRange":[1,3,5,7,9]},"encodingOps":{"decoded":"Hello World","encoded":"SGVsbG8gV29ybGQ="},
    "hashOps":{"hashValue":"1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"},
    "jsonOps":{"parsedJson":{"key":"value"},"mergedJson":{"a":1,"b":2,"c":3,"d":4},
    "stringifiedJson":"{\"test\":\"object\"}"},"mathOps":{"sum":8},
    "stringOps":{"formattedString":"Hello John, welcome to LocalStack!",
    "splitString":["a","b","c","d","e"]}})j");
  Diagnostics d;
  auto t = PayloadTemplate::compile(tmpl, "/States/State0/Assign", d);
  ASSERT_TRUE(t);
  SeededEntropy entropy(1);
  auto got = t->eval(PathRoots{&input, nullptr, nullptr}, entropy);
  ASSERT_TRUE(got.ok()) << got.failure().cause;
  EXPECT_EQ(got.value(), expected) << json::dump(got.value());
}

TEST(PayloadTemplate, ReportsInvalidDynamicFields) {
  struct Case {
    const char* tmpl;
    const char* message;
    const char* location;
  };
  const Case cases[] = {
      {R"j({"parsed.$":"States.Format('He said, \\\"Hello, {}!\\\"', 'Test \\\"Name\\\" Here')"})j",
       "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function "
       "call",
       "/States/IntrinsicEscape/Parameters"},
      {R"({"a.$":"not a path"})",
       "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
       "/States/IntrinsicEscape/Parameters"},
      {R"({"a.$":5})",
       "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
       "/States/IntrinsicEscape/Parameters"},
      {R"j({"a.$":"States.Nope()"})j",
       "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
       "/States/IntrinsicEscape/Parameters"},
      {R"({"x/y":{"a.$":"$["}})",
       "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
       "/States/IntrinsicEscape/Parameters/x~1y"},
      {R"({"l":[0,{"a.$":"$."}]})",
       "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
       "/States/IntrinsicEscape/Parameters/l/1"},
  };
  for (const Case& c : cases) {
    Diagnostics d;
    EXPECT_FALSE(PayloadTemplate::compile(parse(c.tmpl), "/States/IntrinsicEscape/Parameters", d))
        << c.tmpl;
    ASSERT_EQ(d.size(), 1u) << c.tmpl;
    EXPECT_EQ(d[0].code, "SCHEMA_VALIDATION_FAILED");
    EXPECT_EQ(d[0].severity, "ERROR");
    EXPECT_EQ(d[0].message, c.message);
    EXPECT_EQ(d[0].location, c.location);
  }
  Diagnostics two;
  EXPECT_FALSE(PayloadTemplate::compile(parse(R"({"a.$":"x","b.$":"y"})"), "/P", two));
  EXPECT_EQ(two.size(), 2u);
}

TEST(PayloadTemplate, ConstantTemplates) {
  Diagnostics d;
  EXPECT_TRUE(PayloadTemplate::compile(parse(R"({"a":{"b":[1,2]}})"), "/P", d)->is_constant());
  EXPECT_FALSE(PayloadTemplate::compile(parse(R"({"a":[{"b.$":"$"}]})"), "/P", d)->is_constant());
  EXPECT_TRUE(d.empty());
}

// The W1 workload's per-state work: two paths into Parameters, then ResultPath into the input.
TEST(PayloadTemplate, PassChainStateCost) {
  Diagnostics d;
  auto t = PayloadTemplate::compile(parse(R"({"v.$":"$.payload.v","n.$":"$.payload.n","i":0})"),
                                    "/P", d);
  auto result_path = JsonPath::compile("$.last", nullptr);
  ASSERT_TRUE(t);
  json::Value doc = parse(R"({"payload":{"v":"some value","n":12345},"last":null})");
  SeededEntropy entropy(1);
  constexpr int kIterations = 200000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) {
    Outcome<json::Value> params = t->eval(PathRoots{&doc, nullptr, nullptr}, entropy);
    auto next = assign_at(doc, *result_path, std::move(params.value()), nullptr);
    doc = std::move(*next);
  }
  auto ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
      kIterations;
  std::printf("W1 state (Parameters + ResultPath): %.1f ns\n", ns);
  EXPECT_EQ(
      json::dump(doc),
      R"({"payload":{"v":"some value","n":12345},"last":{"v":"some value","n":12345,"i":0}})");
}

}  // namespace
}  // namespace signoff::asl
