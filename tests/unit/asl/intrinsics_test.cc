#include "asl/intrinsics.h"

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

struct EvalCase {
  const char* call;
  const char* input;
  const char* expected;  // JSON output, or "!<cause>" for a States.Runtime failure
};

// Outputs recorded on AWS (conformance cases) plus AWS behaviour observed for edge cases.
const EvalCase kCases[] = {
    {"States.Array()", "{}", "[]"},
    {"States.Array($.a, $.b)", R"({"a":"","b":null})", R"(["",null])"},
    {"States.Array(1, 'two', true, null, 1.5, States.Array())", "{}",
     R"([1,"two",true,null,1.5,[]])"},
    {"States.Array($.a)", R"({"a":{"Arg1":1,"Arg2":[]}})", R"([{"Arg1":1,"Arg2":[]}])"},
    // ArrayContains
    {"States.ArrayContains($.a, $.b)", R"({"a":[],"b":null})", "false"},
    {"States.ArrayContains($.a, $.b)", R"({"a":[[1,2,3],2],"b":[1,2,3]})", "true"},
    {"States.ArrayContains($.a, $.b)", R"({"a":[{"1":2,"2":[]}],"b":{"1":2,"2":[]}})", "true"},
    {"States.ArrayContains($.a, $.b)", R"({"a":[true,false],"b":false})", "true"},
    {"States.ArrayContains($.a, 5)", R"({"a":[1,2,3]})", "false"},
    {"States.ArrayContains('x', 5)", "{}", "!Invalid arguments in States.ArrayContains"},
    // ArrayLength / ArrayUnique
    {"States.ArrayLength($.a)", R"({"a":[1,2,3,4,5,6,7,8,9]})", "9"},
    {"States.ArrayLength($.a)", R"({"a":"str"})", "!Invalid arguments in States.ArrayLength"},
    {"States.ArrayUnique($.a)",
     R"({"a":[null,null,true,true,1,1,1.1,"x","x",[],[],{"a":1,"b":2},{"b":2,"a":1},{"a":1,"b":1}]})",
     R"([null,true,1,1.1,"x",[],{"a":1,"b":2},{"a":1,"b":1}])"},
    // ArrayPartition
    {"States.ArrayPartition($.a, 1)", R"({"a":[]})", "[]"},
    {"States.ArrayPartition($.a, 2)", R"({"a":[0,1]})", "[[0,1]]"},
    {"States.ArrayPartition($.a, 5)", R"({"a":[0,1]})", "[[0,1]]"},
    {"States.ArrayPartition($.a, 3)", R"({"a":[0,1,2,3]})", "[[0,1,2],[3]]"},
    {"States.ArrayPartition($.a, 4)", R"({"a":[1,2,3,4,5,6,7,8,9]})", "[[1,2,3,4],[5,6,7,8],[9]]"},
    {"States.ArrayPartition($.a, 2.6)", R"({"a":[1,2,3,4,5]})", "[[1,2],[3,4],[5]]"},
    {"States.ArrayPartition($.a, 2147483647)", R"({"a":[1,2,3]})", "[[1,2,3]]"},
    {"States.ArrayPartition($.a, 0.6)", R"({"a":[1]})",
     "!Invalid arguments in States.ArrayPartition"},
    {"States.ArrayPartition($.a, 0)", R"({"a":[1]})",
     "!Invalid arguments in States.ArrayPartition"},
    {"States.ArrayPartition($.a, -1)", R"({"a":[1]})",
     "!Invalid arguments in States.ArrayPartition"},
    {"States.ArrayPartition($.a, '2')", R"({"a":[1]})",
     "!Invalid arguments in States.ArrayPartition"},
    {"States.ArrayPartition('x', 2)", "{}", "!Invalid arguments in States.ArrayPartition"},
    // ArrayRange
    {"States.ArrayRange($.a, $.b, $.c)", R"({"a":0,"b":9,"c":3})", "[0,3,6,9]"},
    {"States.ArrayRange($.a, $.b, $.c)", R"({"a":0,"b":10,"c":3})", "[0,3,6,9]"},
    {"States.ArrayRange($.a, $.b, $.c)", R"({"a":1,"b":9,"c":9})", "[1]"},
    {"States.ArrayRange(0, 3, 1)", "{}", "[0,1,2,3]"},
    {"States.ArrayRange(3, 3, -1)", "{}", "[3]"},
    {"States.ArrayRange(5, 1, -2)", "{}", "[5,3,1]"},
    {"States.ArrayRange(5, 1, 1)", "{}", "[]"},
    {"States.ArrayRange(1.6, 1.4, 1)", "{}", "[1]"},
    {"States.ArrayRange(5.4, -0.6, -2.4)", "{}", "[5,3,1]"},
    {"States.ArrayRange(1, 10, 0.49)", "{}", "!Invalid arguments in States.ArrayRange"},
    {"States.ArrayRange(1, 1001, 1)", "{}", "!Invalid arguments in States.ArrayRange"},
    {"States.ArrayRange('a', 5, 1)", "{}", "!Invalid arguments in States.ArrayRange"},
    // ArrayGetItem
    {"States.ArrayGetItem($.a, 1)", R"({"a":["a","b","c"]})", "\"b\""},
    {"States.ArrayGetItem($.a, 1.2)", R"({"a":[10,20,30]})", "20"},
    {"States.ArrayGetItem($.a, 999)", R"({"a":[]})", "null"},
    {"States.ArrayGetItem($.a, 3)", R"({"a":[10,20,30]})",
     "!Invalid arguments in States.ArrayGetItem"},
    {"States.ArrayGetItem($.a, -1)", R"({"a":[10,20,30]})",
     "!Invalid arguments in States.ArrayGetItem"},
    {"States.ArrayGetItem($.a, '1')", R"({"a":[10]})", "!Invalid arguments in States.ArrayGetItem"},
    {"States.ArrayGetItem(States.StringSplit($.n, '-'), States.MathAdd(States.ArrayLength("
     "States.StringSplit($.n, '-')), -1))",
     R"({"n":"my-state-machine"})", "\"machine\""},
    // Base64
    {"States.Base64Encode($.s)", R"({"s":""})", "\"\""},
    {"States.Base64Encode($.s)", R"({"s":"Data to encode"})", "\"RGF0YSB0byBlbmNvZGU=\""},
    {"States.Base64Encode('ab')", "{}", "\"YWI=\""},
    {"States.Base64Decode($.s)", R"({"s":"RGF0YSB0byBlbmNvZGU="})", "\"Data to encode\""},
    {"States.Base64Decode('YWI')", "{}", "\"ab\""},
    {"States.Base64Decode('Y!==')", "{}", "!Invalid arguments in States.Base64Decode"},
    {"States.Base64Decode(5)", "{}", "!Invalid arguments in States.Base64Decode"},
    // Hash
    {"States.Hash($.d, $.a)", R"({"d":"input data","a":"MD5"})",
     "\"812f45842bc6d66ee14572ce20db8e86\""},
    {"States.Hash($.d, $.a)", R"({"d":"input data","a":"SHA-1"})",
     "\"aaff4a450a104cd177d28d18d74485e8cae074b7\""},
    {"States.Hash($.d, $.a)", R"({"d":"input data","a":"SHA-256"})",
     "\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\""},
    {"States.Hash($.d, $.a)", R"({"d":"input data","a":"SHA-384"})",
     "\"d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a"
     "15562\""},
    {"States.Hash($.d, $.a)", R"({"d":"input data","a":"SHA-512"})",
     "\"6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc5028"
     "3731a533d30d425402d4f91316d871303aac4\""},
    {"States.Hash('hello', 'sha-256')", "{}", "!Invalid arguments in States.Hash"},
    {"States.Hash('hello', 123)", "{}", "!Invalid arguments in States.Hash"},
    // JSON
    {"States.JsonMerge($.a, $.b, false)",
     R"({"a":{"a":{"a1":1,"a2":2},"b":2,"d":3},"b":{"a":{"a3":1,"a4":2},"c":3,"d":4}})",
     R"({"a":{"a3":1,"a4":2},"b":2,"d":4,"c":3})"},
    {"States.JsonMerge(States.StringToJson('{\"c\": \"false\"}'), $.x, false)", R"({"x":{"k":1}})",
     R"({"c":"false","k":1})"},
    {"States.JsonMerge($.a, $.b, true)", R"({"a":{},"b":{}})",
     "!Invalid arguments in States.JsonMerge"},
    {"States.JsonMerge($.a, $.b, false)", R"({"a":null,"b":{}})",
     "!Invalid arguments in States.JsonMerge"},
    {"States.JsonToString($.v)", R"({"v":null})", "\"null\""},
    {"States.JsonToString($.v)", R"({"v":1.1})", "\"1.1\""},
    {"States.JsonToString($.v)", R"({"v":{"Arg1":1,"Arg2":[]}})", R"("{\"Arg1\":1,\"Arg2\":[]}")"},
    {"States.StringToJson($.v)", R"({"v":""})", "null"},
    {"States.StringToJson($.v)", R"({"v":" "})", "null"},
    {"States.StringToJson($.v)", R"({"v":"-0"})", "0"},
    {"States.StringToJson($.v)", R"({"v":"\"HelloWorld\""})", "\"HelloWorld\""},
    {"States.StringToJson($.v)", R"({"v":"[1, 2, \"HelloWorld\"]"})", R"([1,2,"HelloWorld"])"},
    {"States.StringToJson($.v)", R"({"v":"{nope"})", "!Invalid arguments in States.StringToJson"},
    {"States.StringToJson($.v)", R"({"v":{}})", "!Invalid arguments in States.StringToJson"},
    // Math
    {"States.MathAdd($.a, $.b)", R"({"a":-9,"b":3})", "-6"},
    {"States.MathAdd($.a, $.b)", R"({"a":1.49,"b":1.5})", "3"},
    {"States.MathAdd($.a, $.b)", R"({"a":-1.5,"b":0})", "-1"},
    {"States.MathAdd($.a, $.b)", R"({"a":-1.51,"b":0})", "-2"},
    {"States.MathAdd($.a, $.b)", R"({"a":0.5,"b":0})", "1"},
    {"States.MathAdd($.a, $.b)", R"({"a":2.5,"b":0})", "3"},
    {"States.MathAdd($.a, $.b)", R"({"a":-0.5,"b":0.5})", "1"},
    {"States.MathAdd($.a, $.b)", R"({"a":-0.5,"b":0})", "0"},
    {"States.MathAdd($.a, $.b)", R"({"a":-2.5,"b":0})", "-2"},
    {"States.MathAdd($.a, $.b)", R"({"a":-1.5,"b":-1.51})", "-3"},
    {"States.MathAdd($.a, $.b)", R"({"a":1.49,"b":-1.49})", "0"},
    {"States.MathAdd($.n, -1)", R"({"n":111})", "110"},
    {"States.MathAdd(2147483646, 1)", "{}", "2147483647"},
    {"States.MathAdd(2147483647, 1)", "{}", "!Invalid arguments in States.MathAdd"},
    {"States.MathAdd(3000000000, -1)", "{}", "!Invalid arguments in States.MathAdd"},
    {"States.MathAdd('1', 2)", "{}", "!Invalid arguments in States.MathAdd"},
    {"States.MathAdd(true, 2)", "{}", "!Invalid arguments in States.MathAdd"},
    {"States.MathRandom(-5, 5, 42)", "{}", "-5"},
    {"States.MathRandom(1, 1)", "{}", "!Invalid arguments in States.MathRandom"},
    {"States.MathRandom(10, 5)", "{}", "!Invalid arguments in States.MathRandom"},
    {"States.MathRandom(1.4, 1.6)", "{}", "!Invalid arguments in States.MathRandom"},
    {"States.MathRandom(1, 10, null)", "{}", "!Invalid arguments in States.MathRandom"},
    // Strings
    {"States.StringSplit($.s, $.d)", R"({"s":" , ","d":","})", R"([" "," "])"},
    {"States.StringSplit($.s, $.d)", R"({"s":", , ,","d":","})", R"([" "," "])"},
    {"States.StringSplit($.s, $.d)", R"({"s":",,,,","d":","})", "[]"},
    {"States.StringSplit($.s, $.d)", R"({"s":"This.is+a,test=string","d":".+,="})",
     R"(["This","is","a","test","string"])"},
    {"States.StringSplit($.s, $.d)", R"({"s":"split on T and \nnew line","d":"T\n"})",
     R"(["split on "," and ","new line"])"},
    {"States.StringSplit('a→b', '→')", "{}", R"(["a","b"])"},
    {"States.StringSplit(1, ',')", "{}", "!Invalid arguments in States.StringSplit"},
    // Format
    {"States.Format('Formatting argument {}.', $.v)", R"({"v":""})", "\"Formatting argument .\""},
    {"States.Format('Formatting argument {}.', $.v)", R"({"v":null})",
     "\"Formatting argument null.\""},
    {"States.Format('Formatting argument {}.', $.v)", R"({"v":1})", "\"Formatting argument 1.\""},
    {"States.Format('Formatting argument {}.', $.v)", R"({"v":1.1})",
     "\"Formatting argument 1.1.\""},
    {"States.Format('fst={} and snd={}.', $.a, $.b)", R"({"a":"x","b":true})",
     "\"fst=x and snd=true.\""},
    {"States.Format('{}', $.m)", R"({"m":{"Id":"arn:1","Name":"sm"}})", "\"{Id=arn:1, Name=sm}\""},
    {"States.Format('{}', $.m)", R"({"m":[1,"a",{"k":[null]}]})", "\"[1, a, {k=[null]}]\""},
    {"States.Format('Name: \\'{}\\', \"{}\"', $.a, $.b)", R"({"a":"G","b":"M"})",
     R"("Name: 'G', \"M\"")"},
    {"States.Format('\\{\\} {} \\\\', $.a)", R"({"a":"x"})", R"("{} x \\")"},
    {"States.Format('no placeholders')", "{}", "\"no placeholders\""},
    {"States.Format($.t, $.a)", R"({"t":"It's {}!","a":"Pikachu"})", "\"It's Pikachu!\""},
    {"States.Format('{} {}', $.a)", R"({"a":"x"})", "!Invalid arguments in States.Format"},
    {"States.Format('{}', $.a, $.b)", R"({"a":"x","b":"y"})",
     "!Invalid arguments in States.Format"},
    {"States.Format('Hello {', $.a)", R"({"a":"x"})", "!Invalid arguments in States.Format"},
    {"States.Format('Hello {{}}', $.a)", R"({"a":"x"})", "!Invalid arguments in States.Format"},
    {"States.Format('}')", "{}", "!Invalid arguments in States.Format"},
    {"States.Format($.t, $.a)", R"({"t":123,"a":"x"})", "!Invalid arguments in States.Format"},
    // Missing paths
    {"States.Hash($.missing, 'SHA-256')", "{}",
     "!The JSONPath '$.missing' specified for the field 'f.$' could not be found in the input "
     "'{}'"},
    {"States.Format('{}', $$.Execution.Nope)", "{}",
     R"(!The JSONPath '$$.Execution.Nope' specified for the field 'f.$' could not be found in the input '{"Execution":{"Name":"exec"}}')"},
    {"States.Format('{}', $$.Execution.Name)", "{}", "\"exec\""},
    {"States.Format('{}', $v)", "{}", "\"var-value\""},
    {"States.Array($.a[*].b)", R"({"a":[{"b":1},{"c":2},{"b":3}]})", "[[1,3]]"},
};

class OneVariable : public VariableLookup {
 public:
  json::Value value = json::Value("var-value");
  const json::Value* lookup(std::string_view name) const override {
    return name == "v" ? &value : nullptr;
  }
};

TEST(Intrinsics, EvaluatesLikeAws) {
  json::Value context = parse(R"({"Execution":{"Name":"exec"}})");
  OneVariable vars;
  int passed = 0, failed = 0;
  for (const EvalCase& c : kCases) {
    std::string error;
    auto fn = Intrinsic::compile(c.call, &error);
    if (!fn) {
      ADD_FAILURE() << c.call << ": " << error;
      ++failed;
      continue;
    }
    json::Value input = parse(c.input);
    PathRoots roots{&input, &context, &vars};
    SeededEntropy entropy(1);
    Outcome<json::Value> got = fn->eval(roots, entropy, "f.$");
    std::string want = c.expected;
    bool ok;
    std::string got_text;
    if (got.ok()) {
      got_text = json::dump(got.value());
      ok = want[0] != '!' && got.value() == parse(want) && got_text == json::dump(parse(want));
    } else {
      got_text = got.failure().error + ": " + got.failure().cause;
      ok = want[0] == '!' && got.failure().error == "States.Runtime" &&
           got.failure().cause == want.substr(1);
    }
    if (ok) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << c.call << " on " << c.input << " gave " << got_text << ", want " << want;
    }
  }
  std::printf("intrinsics: %d passed, %d failed\n", passed, failed);
}

TEST(Intrinsics, TwoArgumentEvalLeavesOutTheField) {
  auto fn = Intrinsic::compile("States.Array($.x)", nullptr);
  ASSERT_TRUE(fn);
  json::Value input = parse(R"({"a":1})");
  SeededEntropy entropy(1);
  auto got = fn->eval(PathRoots{&input, nullptr, nullptr}, entropy);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.failure().cause, R"(The JSONPath '$.x' could not be found in the input '{"a":1}')");
}

TEST(Intrinsics, RejectsInvalidCallsAtCompileTime) {
  const char* cases[] = {
      "States.Nope()",
      "States.Format",
      "States.Format(",
      "States.Format()",
      "States.Format('a'",
      "States.Format('a' 'b')",
      "States.Format('unterminated)",
      "States.Format('He said, \\\"Hello, {}!\\\"', 'Test \\\"Name\\\" Here')",
      "States.Format('bad \\n escape')",
      "States.Format('open escape \\",
      "States.Array(1,)",
      "States.Array(,1)",
      "States.Array(x)",
      "States.Array(1) trailing",
      "States.Array($.)",
      "States.Array($.a[)",
      "States.Array(--1)",
      "States.Array(truex)",
      "States.MathAdd(1)",
      "States.MathAdd(1, 2, 3)",
      "States.MathRandom(1)",
      "States.MathRandom(1, 2, 3, 4)",
      "States.UUID(1)",
      "States.JsonMerge($.a, $.b)",
      "States.Hash('a')",
      "States.ArrayPartition($.arr, )",
      "states.Array()",
      "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array("
      "States.Array(States.Array(States.Array(States.Array())))))))))))",
  };
  for (const char* c : cases) {
    std::string error;
    EXPECT_FALSE(Intrinsic::compile(c, &error)) << c;
    EXPECT_FALSE(error.empty()) << c;
  }
  // Ten levels of nesting are allowed.
  EXPECT_TRUE(Intrinsic::compile(
      "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array("
      "States.Array(States.Array(States.Array(States.Array())))))))))",
      nullptr));
  EXPECT_TRUE(Intrinsic::compile("  States.Array( 1 ,  $.a , 'x' )  ", nullptr));
}

TEST(Intrinsics, IsIntrinsicCall) {
  EXPECT_TRUE(is_intrinsic_call("States.Format('x')"));
  EXPECT_TRUE(is_intrinsic_call("States.Nope"));
  EXPECT_FALSE(is_intrinsic_call("$.States"));
  EXPECT_FALSE(is_intrinsic_call(" States.Array()"));
  EXPECT_FALSE(is_intrinsic_call("states.Array()"));
}

TEST(Intrinsics, UuidAndRandomUseInjectedEntropy) {
  auto uuid = Intrinsic::compile("States.UUID()", nullptr);
  ASSERT_TRUE(uuid);
  json::Value input = json::Value::object();
  PathRoots roots{&input, nullptr, nullptr};
  SeededEntropy e1(7), e2(7);
  auto a = uuid->eval(roots, e1);
  auto b = uuid->eval(roots, e2);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a.value(), b.value());
  std::string text(a.value().as_string());
  // xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lowercase hex.
  ASSERT_EQ(text.size(), 36u) << text;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    EXPECT_EQ(text[i] == '-', dash) << text;
    if (!dash) {
      EXPECT_TRUE((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')) << text;
    }
  }
  EXPECT_EQ(text[14], '4') << text;
  EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;

  auto random = Intrinsic::compile("States.MathRandom(9999, 99999)", nullptr);
  ASSERT_TRUE(random);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SeededEntropy e(seed);
    auto r = random->eval(roots, e);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r.value().is_int());
    EXPECT_GE(r.value().as_int(), 9999);
    EXPECT_LT(r.value().as_int(), 99999);
  }
  // Seeded calls ignore the entropy and are reproducible.
  auto seeded = Intrinsic::compile("States.MathRandom(0, 999, 3)", nullptr);
  SeededEntropy e3(1), e4(2);
  EXPECT_EQ(seeded->eval(roots, e3).value(), seeded->eval(roots, e4).value());
}

TEST(Intrinsics, LimitsOnStringFunctions) {
  json::Value input = json::Value::object();
  input.set("ok", json::Value(std::string(10000, 'a')));
  input.set("long", json::Value(std::string(10001, 'a')));
  PathRoots roots{&input, nullptr, nullptr};
  SeededEntropy e(1);
  for (const char* fn : {"States.Base64Encode($.ok)", "States.Hash($.ok, 'SHA-256')"}) {
    EXPECT_TRUE(Intrinsic::compile(fn, nullptr)->eval(roots, e).ok()) << fn;
  }
  for (const char* fn : {"States.Base64Encode($.long)", "States.Hash($.long, 'SHA-256')"}) {
    EXPECT_FALSE(Intrinsic::compile(fn, nullptr)->eval(roots, e).ok()) << fn;
  }
}

}  // namespace
}  // namespace signoff::asl

namespace signoff::asl {
namespace {

// The W2 workload evaluates States.MathAdd($.n, 1) on every loop iteration.
TEST(Intrinsics, MathAddCost) {
  auto add = Intrinsic::compile("States.MathAdd($.n, 1)", nullptr);
  ASSERT_TRUE(add);
  json::Value doc = parse(R"({"n":0})");
  SeededEntropy entropy(1);
  constexpr int kIterations = 200000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) {
    Outcome<json::Value> n = add->eval(PathRoots{&doc, nullptr, nullptr}, entropy, "n.$");
    doc.set("n", std::move(n.value()));
  }
  auto ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
      kIterations;
  std::printf("States.MathAdd($.n, 1) evaluate: %.1f ns\n", ns);
  EXPECT_EQ(json::dump(doc), R"({"n":200000})");
}

}  // namespace
}  // namespace signoff::asl
