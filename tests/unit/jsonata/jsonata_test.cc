#include "jsonata/jsonata.h"

#include <string>

#include <gtest/gtest.h>

namespace signoff::jsonata {
namespace {

struct Case {
  const char* expr;
  const char* input;   // JSON text, nullptr = undefined
  const char* expect;  // compact JSON, "undefined", or "!CODE" for an error
};

std::string run(const char* expr, const char* input, const Limits& limits = {},
                std::vector<Binding> bindings = {}, Host* host = nullptr) {
  auto [ex, err] = Expression::compile(expr);
  if (!ex)
    return "!" + err.code;
  FixedHost fixed(1700000000000);
  json::Value in;
  if (input != nullptr)
    in = json::parse(input).value;
  Result r = ex->evaluate(input ? &in : nullptr, bindings, host ? *host : fixed, limits);
  if (!r.ok)
    return "!" + r.error.code;
  if (r.undefined)
    return "undefined";
  return json::dump(r.value);
}

const char* kDoc =
    R"({"Account":{"Name":"Firefly","Order":[{"OrderID":"o1","Product":[{"Name":"Hat","Price":34.45,"Quantity":2},{"Name":"Cap","Price":21.67,"Quantity":1}]},{"OrderID":"o2","Product":[{"Name":"Hat","Price":34.45,"Quantity":4}]}]}})";

const Case kCases[] = {
    // paths, flattening, predicates
    {"Account.Name", kDoc, R"("Firefly")"},
    {"Account.Order.Product.Name", kDoc, R"(["Hat","Cap","Hat"])"},
    {"Account.Order[0].OrderID", kDoc, R"("o1")"},
    {"Account.Order.Product[0].Name", kDoc, R"(["Hat","Hat"])"},
    {"(Account.Order.Product)[0].Name", kDoc, R"("Hat")"},
    {"Account.Order[-1].OrderID", kDoc, R"("o2")"},
    {"Account.Order.Product[Price > 30].Quantity", kDoc, "[2,4]"},
    {"Account.Order[OrderID='o2'].Product.Name[]", kDoc, R"(["Hat"])"},
    {"Account.Missing", kDoc, "undefined"},
    {"$sum(Account.Order.Product.(Price * Quantity))", kDoc, "228.37"},
    {"Account.**.Quantity", kDoc, "[2,1,4]"},
    {"Account.*.OrderID", kDoc, R"(["o1","o2"])"},
    {"Account.Order.Product.%.OrderID", kDoc, R"(["o1","o1","o2"])"},
    {"lib.loans@$l.books@$b[$l.isbn=$b.isbn].{'t': $b.t, 'c': $l.c}",
     R"({"lib":{"loans":[{"isbn":"1","c":"x"},{"isbn":"2","c":"y"}],"books":[{"isbn":"2","t":"B"},{"isbn":"1","t":"A"}]}})",
     R"([{"t":"A","c":"x"},{"t":"B","c":"y"}])"},
    {"Account.Order#$i.{'i': $i}", kDoc, R"([{"i":0},{"i":1}])"},
    {"Account.Order.Product^(>Price, Name).Name", kDoc, R"(["Hat","Hat","Cap"])"},
    {"Account.Order.Product{Name: $sum(Quantity)}", kDoc, R"({"Hat":6,"Cap":1})"},
    {"[1,2,3][$ > 1]", nullptr, "[2,3]"},
    {"$[1]", "[5,6,7]", "6"},
    // operators and literals
    {"1 + 2 * 3", nullptr, "7"},
    {"7 % 3", nullptr, "1"},
    {"0.1 + 0.2", nullptr, "0.30000000000000004"},
    {"10 / 4", nullptr, "2.5"},
    {"'a' & 1 & true", nullptr, R"("a1true")"},
    {"1 = 1.0 and 'a' < 'b'", nullptr, "true"},
    {"3 in [1,2,3]", nullptr, "true"},
    {"[1..5]", nullptr, "[1,2,3,4,5]"},
    {"$count([1..10000000])", nullptr, "10000000"},
    {"true ? 'y' : 'n'", nullptr, R"("y")"},
    {"missing ?? 'dflt'", nullptr, R"("dflt")"},
    {"'' ?: 'dflt'", nullptr, R"("dflt")"},
    {"{'a': [1, {'b': null}]}", nullptr, R"({"a":[1,{"b":null}]})"},
    {"/* comment */ 42", nullptr, "42"},
    // functions, lambdas, closures
    {"$string(3.0)", nullptr, R"("3")"},
    {"$string({'a': 1e21})", nullptr, R"("{\"a\":1e+21}")"},
    {"$uppercase('héllo')", nullptr, R"("HÉLLO")"},
    {"$length('héllo')", nullptr, "5"},
    {"$substring('hello world', -5, 3)", nullptr, R"("wor")"},
    {"$split('a,b,,c', ',')", nullptr, R"(["a","b","","c"])"},
    {"$join(['a','b'], '-')", nullptr, R"("a-b")"},
    {"$replace('abcabc', /b(c)/, '[$1]')", nullptr, R"("a[c]a[c]")"},
    {"$match('ab12cd345', /[0-9]+/).match", nullptr, R"(["12","345"])"},
    {"$contains('Hello', /^h/i)", nullptr, "true"},
    {"$round(2.5) & ',' & $round(3.5) & ',' & $round(1.255, 2)", nullptr, R"("2,4,1.26")"},
    {"$formatNumber(1234.5678, '#,##0.00')", nullptr, R"("1,234.57")"},
    {"$formatInteger(1999, 'I')", nullptr, R"("MCMXCIX")"},
    {"$formatInteger(21, 'w;o')", nullptr, R"("twenty-first")"},
    {"$parseInteger('one hundred and two', 'w')", nullptr, "102"},
    {"$formatBase(255, 16)", nullptr, R"("ff")"},
    {"$fromMillis(0)", nullptr, R"("1970-01-01T00:00:00.000Z")"},
    {"$fromMillis(1521801216617, '[D1o] [MNn] [Y]')", nullptr, R"("23rd March 2018")"},
    {"$toMillis('2018-03-23T10:33:36.617Z')", nullptr, "1521801216617"},
    {"$toMillis('23/03/2018', '[D]/[M]/[Y]')", nullptr, "1521763200000"},
    {"$millis()", nullptr, "1700000000000"},
    {"$map([1,2,3], function($v, $i){ $v * $i })", nullptr, "[0,2,6]"},
    {"$filter([1,2,3,4], function($v){ $v % 2 = 0 })", nullptr, "[2,4]"},
    {"$reduce([1,2,3,4], function($a, $b){ $a + $b })", nullptr, "10"},
    {"$sort([3,1,2])", nullptr, "[1,2,3]"},
    {"$sort(['b','a'], function($l, $r){ $l < $r })", nullptr, R"(["b","a"])"},
    {"$keys({'a':1,'b':2})", nullptr, R"(["a","b"])"},
    {"$merge([{'a':1},{'b':2}])", nullptr, R"({"a":1,"b":2})"},
    {"$each({'a':1}, function($v, $k){ $k & $v })", nullptr, R"("a1")"},
    {"$zip([1,2],[3,4])", nullptr, "[[1,3],[2,4]]"},
    {"$distinct([1,2,1,[3],[3]])", nullptr, "[1,2,[3]]"},
    {"$type(function(){1})", nullptr, R"("function")"},
    {"$boolean([0, false])", nullptr, "false"},
    {"$number('0x1F')", nullptr, "31"},
    {"$eval('1 +')", nullptr, "!D3120"},
    {"$eval('$error(\"x\")')", nullptr, "!D3121"},
    {"($x := 2; $eval('$x * 3'))", nullptr, "6"},
    {"($add := function($a, $b){ $a + $b }; $inc := $add(?, 1); $inc(41))", nullptr, "42"},
    {"($f := $uppercase ~> $substring(?, 0, 2); $f('hello'))", nullptr, R"("HE")"},
    {"($counter := function($n){ function(){ $n + 1 } }; $counter(4)())", nullptr, "5"},
    {"($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(20000, 0))", nullptr,
     "20000"},
    {"$base64decode($base64encode('héllo'))", nullptr, R"("héllo")"},
    {"$encodeUrlComponent('a b&c')", nullptr, R"("a%20b%26c")"},
    // transforms
    {R"($ ~> |Account.Order.Product|{'Price': Price * 2}, ['Quantity']|)", kDoc, nullptr},
    // errors
    {"1 + 'a'", nullptr, "!T2002"},
    {"'a' + 1", nullptr, "!T2001"},
    {"1 < 'a'", nullptr, "!T2009"},
    {"$undefinedfn()", nullptr, "!T1006"},
    {"uppercase('a')", nullptr, "!T1005"},
    {"$substring('a', 'b')", nullptr, "!T0410"},
    {"$sum(['a'])", nullptr, "!T0412"},
    {"{1: 2}", nullptr, "!T1003"},
    {"[1..2e7]", nullptr, "!D2014"},
    {"$number('x')", nullptr, "!D3030"},
    {"$error('boom')", nullptr, "!D3137"},
    {"1 +", nullptr, "!S0207"},
    {"(1", nullptr, "!S0203"},
    {"'abc", nullptr, "!S0101"},
    {"5.", nullptr, "!S0207"},
    {"1 2", nullptr, "!S0201"},
    {"$f := 1", nullptr, "1"},
    {"1 := 1", nullptr, "!S0212"},
    {"%", nullptr, "!S0217"},
    {"$single([1,2])", nullptr, "!D3138"},
    {"1/0", nullptr, "!D1001"},
};

TEST(Jsonata, TableOfExpressions) {
  size_t passed = 0, failed = 0;
  for (const Case& c : kCases) {
    if (c.expect == nullptr)
      continue;
    std::string got = run(c.expr, c.input);
    if (got == c.expect) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << c.expr << "\n  expected " << c.expect << "\n  got      " << got;
    }
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
}

TEST(Jsonata, TransformCopiesAndLeavesInputAlone) {
  auto [ex, err] =
      Expression::compile(R"($ ~> |Account.Order.Product|{'Price': Price * 2}, ['Quantity']|)");
  ASSERT_TRUE(ex);
  json::Value in = json::parse(kDoc).value;
  std::string before = json::dump(in);
  FixedHost host;
  Result r = ex->evaluate(&in, {}, host);
  ASSERT_TRUE(r.ok) << r.error.code;
  EXPECT_EQ(json::dump(in), before);
  EXPECT_EQ(json::dump(*r.value.find("Account")->find("Order")->at(1)->find("Product")->at(0)),
            R"({"Name":"Hat","Price":68.9})");
}

TEST(Jsonata, IntegralResultsAreInts) {
  auto [ex, err] = Expression::compile("[1.5 * 2, 2.5, 1e300]");
  ASSERT_TRUE(ex);
  FixedHost host;
  Result r = ex->evaluate(nullptr, {}, host);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.value.at(0)->is_int());
  EXPECT_TRUE(r.value.at(1)->is_double());
  EXPECT_TRUE(r.value.at(2)->is_double());
}

TEST(Jsonata, CompileOnceEvaluateManyWithBindings) {
  auto [ex, err] = Expression::compile("$states.input.n * $factor");
  ASSERT_TRUE(ex);
  FixedHost host;
  for (int i = 0; i < 100; ++i) {
    json::Value states = json::parse("{\"input\":{\"n\":" + std::to_string(i) + "}}").value;
    Result r = ex->evaluate(nullptr, {{"states", states}, {"factor", json::Value(3)}}, host);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.value.as_int(), i * 3);
  }
}

TEST(Jsonata, SyntaxErrorsCarryPositionAndToken) {
  auto [ex, err] = Expression::compile("Account.Order[0");
  EXPECT_FALSE(ex);
  EXPECT_EQ(err.code, "S0203");
  auto [ex2, err2] = Expression::compile("1 + ]");
  EXPECT_FALSE(ex2);
  EXPECT_EQ(err2.code, "S0211");
  EXPECT_EQ(err2.token, "]");
  EXPECT_EQ(err2.position, 5);
}

TEST(Jsonata, DepthLimitStopsRunawayRecursion) {
  Limits limits;
  limits.max_depth = 200;
  EXPECT_EQ(run("($f := function($n){ $n + $f($n + 1) }; $f(0))", nullptr, limits), "!U1001");
  // Tail calls run in constant depth.
  EXPECT_EQ(run("($f := function($n){ $n > 5000 ? $n : $f($n + 1) }; $f(0))", nullptr, limits),
            "5001");
}

TEST(Jsonata, StepLimitStopsLongLoops) {
  Limits limits;
  limits.max_steps = 10000;
  EXPECT_EQ(run("($f := function($n){ $f($n + 1) }; $f(0))", nullptr, limits), "!U1001");
  EXPECT_EQ(run("$map([1..100000], function($v){ $v })", nullptr, limits), "!U1001");
}

class TickingHost : public Host {
 public:
  int64_t now_millis() override { return 0; }
  double random() override { return 0.5; }
  int64_t monotonic_millis() override { return ticks_ += 5; }

 private:
  int64_t ticks_ = 0;
};

TEST(Jsonata, TimeLimitUsesTheHostClock) {
  Limits limits;
  limits.timeout_ms = 100;
  TickingHost host;
  EXPECT_EQ(run("($f := function($n){ $f($n + 1) }; $f(0))", nullptr, limits, {}, &host), "!U1001");
}

TEST(Jsonata, CatastrophicRegexIsBounded) {
  std::string expr = "$contains('" + std::string(40, 'a') + "!', /^(a+)+$/)";
  EXPECT_EQ(run(expr.c_str(), nullptr), "!U1001");
  std::string long_text = "$length($replace('" + std::string(100000, 'x') + "', /x*/, 'y'))";
  EXPECT_EQ(run(long_text.c_str(), nullptr), "1");
}

TEST(Jsonata, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  std::string got = run(deep.c_str(), nullptr);
  EXPECT_EQ(got[0], '!');
  std::string arr(5000, '[');
  EXPECT_EQ(run(arr.c_str(), nullptr)[0], '!');
}

TEST(Jsonata, RandomAndNowComeFromTheHost) {
  FixedHost a(42, 7), b(42, 7);
  auto [ex, err] = Expression::compile("[$random(), $random(), $now()]");
  ASSERT_TRUE(ex);
  Result ra = ex->evaluate(nullptr, {}, a);
  Result rb = ex->evaluate(nullptr, {}, b);
  ASSERT_TRUE(ra.ok);
  EXPECT_EQ(json::dump(ra.value), json::dump(rb.value));
  EXPECT_EQ(std::string(ra.value.at(2)->as_string()), "1970-01-01T00:00:00.042Z");
}

}  // namespace
}  // namespace signoff::jsonata
