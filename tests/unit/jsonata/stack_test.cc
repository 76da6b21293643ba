// Stack safety: no expression and no input may overflow the native stack. Every case runs on a
// thread with a small stack (server threads may have far less than the main thread's 8 MiB), with
// nesting far beyond anything the budget allows, and must fail with an error value instead.
#include "jsonata/stack.h"

#include <functional>
#include <string>

#include <gtest/gtest.h>
#include <pthread.h>

#include "jsonata/jsonata.h"

namespace signoff::jsonata {
namespace {

// Runs `body` on a fresh thread with a 1 MiB stack: twice the default budget (the budget, not the
// thread, is what sanitizer builds scale up, so the thread grows with it there).
void on_small_stack(const std::function<void()>& body) {
  const size_t bytes = 1024 * 1024 * kStackScale;
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, bytes), 0);
  pthread_t thread;
  auto trampoline = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, const_cast<std::function<void()>*>(&body)),
            0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

// "!CODE" for an error (built with += : g++ 12 falsely flags "!" + s, GCC bug 105329).
std::string failure(const std::string& code) {
  std::string out = "!";
  out += code;
  return out;
}

// "!CODE" for a compile or evaluation error, else the compact JSON result ("undefined").
std::string run(const std::string& expr, const Limits& limits = {},
                const json::Value* input = nullptr) {
  auto [ex, err] = Expression::compile(expr);
  if (!ex)
    return failure(err.code);
  FixedHost host;
  Result r = ex->evaluate(input, {}, host, limits);
  if (!r.ok)
    return failure(r.error.code);
  return r.undefined ? "undefined" : json::dump(r.value);
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i)
    out += s;
  return out;
}

// An object nested n levels deep, built by the expression itself ({'a': {'a': ...}}).
std::string nested(size_t n) {
  return "$reduce([1.." + std::to_string(n) + "], function($acc, $x){ {'a': $acc} }, {})";
}

TEST(JsonataStack, DeeplyNestedExpressionsFailToCompile) {
  on_small_stack([] {
    const size_t n = 100000;
    EXPECT_EQ(run(repeat("(", n) + "1" + repeat(")", n)), "!U1001");
    EXPECT_EQ(run(repeat("[", n) + "1" + repeat("]", n)), "!U1001");
    EXPECT_EQ(run(repeat("{'a':", n) + "1" + repeat("}", n)), "!U1001");
    EXPECT_EQ(run(repeat("-", n) + "1"), "!U1001");
    EXPECT_EQ(run(repeat("1+", n) + "1"), "!U1001");
    EXPECT_EQ(run(repeat("a.", n) + "a"), "!U1001");
    EXPECT_EQ(run(repeat("$f(", n) + "1" + repeat(")", n)), "!U1001");
    std::string regex = "$match('a', /";
    regex += repeat("(", n);
    regex += "a";
    regex += repeat(")", n);
    regex += "/)";
    // The regex engine bounds group nesting itself and refuses deeper patterns as malformed, as
    // JavaScript engines refuse a regular expression that is too large.
    EXPECT_EQ(run(regex), "!S0302");
    // Moderate nesting still works.
    EXPECT_EQ(run(repeat("(", 50) + "1" + repeat(")", 50)), "1");
    EXPECT_EQ(run(repeat("[", 50) + "1" + repeat("]", 50)).size(), 101U);
  });
}

TEST(JsonataStack, DeepRecursionFailsWithTheReferenceError) {
  on_small_stack([] {
    Limits unlimited_depth;
    unlimited_depth.max_depth = 1'000'000'000;  // only the stack budget can stop it
    auto [ex, err] = Expression::compile("($f := function($n){ $n + $f($n + 1) }; $f(0))");
    ASSERT_TRUE(ex);
    FixedHost host;
    Result r = ex->evaluate(nullptr, {}, host, unlimited_depth);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.error.code, "U1001");
    EXPECT_EQ(r.error.message,
              "Stack overflow error: Check for non-terminating recursive function.  Consider "
              "rewriting as tail-recursive.");
    // Non-tail recursion of a realistic depth passes within the default budget.
    EXPECT_EQ(run("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100))"), "100");
  });
}

TEST(JsonataStack, BudgetIsConfigurable) {
  const std::string expr = "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(60))";
  Limits small;
  small.max_stack_bytes = 16 * 1024;
  EXPECT_EQ(run(expr, small), "!U1001");
  EXPECT_EQ(run(expr), "60");
}

TEST(JsonataStack, DeeplyNestedValuesFailCleanly) {
  on_small_stack([] {
    // Result conversion, $string, equality, descendants and transform walk the value.
    EXPECT_EQ(run(nested(100000)), "!U1001");
    EXPECT_EQ(run("$string(" + nested(100000) + ")"), "!U1001");
    EXPECT_EQ(run("($a := " + nested(100000) + "; $a = $a ~> |a|{}|)"), "!U1001");
    EXPECT_EQ(run("$count(" + nested(100000) + ".**)"), "!U1001");
    // Building and freeing a value a million levels deep must not recurse either.
    EXPECT_EQ(run("$count([" + nested(1000000) + "])"), "1");
    EXPECT_EQ(run("$keys(" + nested(100000) + ")"), R"("a")");
    // A long chain of partial applications (each closes over the previous one's frame).
    EXPECT_EQ(run("($f := $reduce([1..200000], function($acc, $x){ {'f': $acc.f(?)} }, "
                  "{'f': function($v){ $v }}); 1)"),
              "1");
  });
}

TEST(JsonataStack, DeepJsonInputIsRefusedByTheParser) {
  on_small_stack([] {
    std::string text = repeat("[", 100000) + repeat("]", 100000);
    json::ParseResult parsed = json::parse(text);
    EXPECT_FALSE(parsed.ok());
    // Input at the parser's default depth limit is evaluated without trouble.
    std::string deep = repeat("{\"a\":", 500) + "1" + repeat("}", 500);
    json::ParseResult ok = json::parse(deep);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(run("$count(**)", {}, &ok.value), "501");
    EXPECT_EQ(run("$string($)", {}, &ok.value), json::dump(json::Value(deep)));
  });
}

}  // namespace
}  // namespace signoff::jsonata
