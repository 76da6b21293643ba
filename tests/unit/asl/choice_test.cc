#include "asl/choice.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace signoff::asl {
namespace {

const char* const kLoc = "/States/Check/Choices/0";

json::Value parse_json(std::string_view text) {
  json::ParseResult r = json::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error;
  return r.value;
}

std::optional<Condition> compile(std::string_view rule, Diagnostics* out = nullptr,
                                 bool top_level = true) {
  Diagnostics d;
  auto c = Condition::compile(parse_json(rule), kLoc, top_level, d);
  if (out != nullptr) {
    *out = d;
  } else {
    for (const Diagnostic& x : d) {
      ADD_FAILURE() << rule << ": " << x.message << " at " << x.location;
    }
  }
  return c;
}

class Variables : public VariableLookup {
 public:
  explicit Variables(std::map<std::string, json::Value> v) : v_(std::move(v)) {}
  const json::Value* lookup(std::string_view name) const override {
    auto it = v_.find(std::string(name));
    return it == v_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, json::Value> v_;
};

// Evaluates `rule` on `input`; a failure is returned as "error: cause".
std::string run(std::string_view rule, std::string_view input, const json::Value* context = nullptr,
                const VariableLookup* variables = nullptr) {
  auto c = compile(rule);
  if (!c) {
    return "<compile failed>";
  }
  json::Value in = parse_json(input);
  Outcome<bool> r = c->evaluate(PathRoots{&in, context, variables});
  if (!r.ok()) {
    return r.failure().error + ": " + r.failure().cause;
  }
  return r.value() ? "true" : "false";
}

// ---- Recorded on AWS --------------------------------------------------------------------------

struct RecordedCase {
  const char* rule;
  const char* input;
  bool matches;
};

// Every distinct (rule, input, branch) of the choice_operators cases in
// /work/shared/conformance/asl/cases.jsonl (Choice "CheckValues" of the BASE_TEMPLATE machine;
// ConditionTrue = the rule matched).
const RecordedCase kRecorded[] = {
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":" ","Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":"","Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j",
     R"j({"Variable":"2023-02-24","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j",
     R"j({"Variable":"HelloWorld","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":0,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":0.0,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":1.1,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":[""],"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":[],"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j",
     R"j({"Variable":false,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j", R"j({"Variable":null,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":false})j",
     R"j({"Variable":{"A":0},"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":" ","Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":"","Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j",
     R"j({"Variable":"2023-02-24","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j",
     R"j({"Variable":"HelloWorld","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":0,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":0.0,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":1,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":1.1,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":[""],"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":[],"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":false,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":null,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":true,"Value":true})j",
     true},
    {R"j({"Variable":"$.Variable","BooleanEquals":true})j", R"j({"Variable":{},"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":" ","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":" ","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"2023-02-24","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"2023-02-24","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"HelloWorld","Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":"HelloWorld","Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":0.0,"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":0.0,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":1.1,"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":1.1,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":[""],"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":[""],"Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":[],"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":[],"Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":null,"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":true,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":{"A":0},"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":{"A":0},"Value":true})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":{},"Value":false})j", false},
    {R"j({"Variable":"$.Variable","BooleanEqualsPath":"$.Value"})j",
     R"j({"Variable":{},"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":"","Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j",
     R"j({"Variable":"2023-02-24","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j",
     R"j({"Variable":"HelloWorld","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":0,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":0.0,"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":1,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":1.1,"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":[""],"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":[],"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":null,"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":false})j", R"j({"Variable":{"A":0},"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":" ","Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j",
     R"j({"Variable":"2023-02-24","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j",
     R"j({"Variable":"HelloWorld","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":0,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":0.0,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":1,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":1.1,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":[""],"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":[],"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":false,"Value":true})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":true,"Value":true})j",
     true},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":{"A":0},"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsBoolean":true})j", R"j({"Variable":{},"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":"","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":0,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":0.0,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":1,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":[""],"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":[],"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":false,"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":{"A":0},"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNull":false})j", R"j({"Variable":{},"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":" ","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":"","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":"2023-02-24","Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":"HelloWorld","Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":0.0,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":1.1,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":[""],"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":[],"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":false,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":null,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":true,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":{"A":0},"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNull":true})j", R"j({"Variable":{},"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":" ","Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":"","Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j",
     R"j({"Variable":"2023-02-24","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j",
     R"j({"Variable":"HelloWorld","Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":0,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":1,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":[""],"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":[],"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":false,"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNumeric":false})j", R"j({"Variable":{"A":0},"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":" ","Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":"","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j",
     R"j({"Variable":"2023-02-24","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j",
     R"j({"Variable":"HelloWorld","Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":0,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":0.0,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":1,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":1.1,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":[""],"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":[],"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":false,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":true,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":{"A":0},"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsNumeric":true})j", R"j({"Variable":{},"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":" ","Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":"","Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":false})j", false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":false})j", false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":false})j", false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j",
     R"j({"Variable":"HelloWorld","Value":false})j", false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":0,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":1,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":[""],"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":[],"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":false,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":null,"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":{"A":0},"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":false})j", R"j({"Variable":{},"Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":" ","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":"","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j",
     R"j({"Variable":"2023-02-24","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j",
     R"j({"Variable":"HelloWorld","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":0.0,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":1,"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":[""],"Value":true})j",
     true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":[],"Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":false,"Value":true})j",
     true},
    {R"j({"Variable":"$.Variable","IsPresent":true})j", R"j({"Variable":null,"Value":true})j",
     true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":" ","Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":"","Value":false})j",
     false},
    {R"j({"Variable":"$.Variable","IsString":false})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":false})j", false},
    {R"j({"Variable":"$.Variable","IsString":false})j",
     R"j({"Variable":"2012-10-09T19:00:55+01:00","Value":false})j", false},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":0,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":0.0,"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":1,"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":[""],"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":[],"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":null,"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":{"A":0},"Value":false})j",
     true},
    {R"j({"Variable":"$.Variable","IsString":false})j", R"j({"Variable":{},"Value":false})j", true},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":"","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsString":true})j",
     R"j({"Variable":"2012-10-09T19:00:55","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsString":true})j",
     R"j({"Variable":"2023-02-24","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsString":true})j",
     R"j({"Variable":"HelloWorld","Value":true})j", true},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":0,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":0.0,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":1,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":1.1,"Value":true})j", false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":[""],"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":false,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":null,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":true,"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":{"A":0},"Value":true})j",
     false},
    {R"j({"Variable":"$.Variable","IsString":true})j", R"j({"Variable":{},"Value":true})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":" ","Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":"","Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":0,"Value":0.0})j", true},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":0.0,"Value":0.0})j",
     true},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":1,"Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":1.1,"Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":[""],"Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":false,"Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":true,"Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":{"A":0},"Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0.0})j", R"j({"Variable":{},"Value":0.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":" ","Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":"","Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":0.0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":1.1,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":[""],"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":[],"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":false,"Value":0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":null,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":true,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":0})j", R"j({"Variable":{"A":0},"Value":0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":"","Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":0,"Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":0.0,"Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":1,"Value":1.0})j", true},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":[""],"Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":[],"Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":false,"Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":null,"Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1.0})j", R"j({"Variable":true,"Value":1.0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":"","Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":0,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":0.0,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":1,"Value":1})j", true},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":1.1,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":[""],"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":[],"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":null,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":{"A":0},"Value":1})j",
     false},
    {R"j({"Variable":"$.Variable","NumericEquals":1})j", R"j({"Variable":{},"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEquals":2.22})j", R"j({"Variable":2.22,"Value":2.22})j",
     true},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":" ","Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":" ","Value":1.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":" ","Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":"","Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":"","Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":"","Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":0.0})j", true},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":0.0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":0.0,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":1.0})j", true},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":1})j", true},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1.1,"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1.1,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1.1,"Value":1.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":1.1,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":2.22,"Value":2.22})j", true},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":[""],"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":[""],"Value":1.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":[""],"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":[],"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":[],"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":[],"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":false,"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":false,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":false,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":null,"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":null,"Value":1.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":true,"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":true,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":true,"Value":1.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":true,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":{"A":0},"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":{"A":0},"Value":1.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":{"A":0},"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":{},"Value":0.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":{},"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":{},"Value":1.0})j", false},
    {R"j({"Variable":"$.Variable","NumericEqualsPath":"$.Value"})j",
     R"j({"Variable":{},"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericGreaterThan":0})j", R"j({"Variable":0,"Value":0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericGreaterThan":0})j", R"j({"Variable":0.0,"Value":0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericGreaterThan":0})j", R"j({"Variable":1,"Value":0})j",
     true},
    {R"j({"Variable":"$.Variable","NumericGreaterThan":1})j", R"j({"Variable":0,"Value":1})j",
     false},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEquals":0})j",
     R"j({"Variable":0.0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEquals":0})j", R"j({"Variable":1,"Value":0})j",
     true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEquals":1})j", R"j({"Variable":0,"Value":1})j",
     false},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEquals":1})j", R"j({"Variable":1,"Value":1})j",
     true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEqualsPath":"$.Value"})j",
     R"j({"Variable":0.0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":1})j", true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanPath":"$.Value"})j",
     R"j({"Variable":0,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericGreaterThanPath":"$.Value"})j",
     R"j({"Variable":0,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericGreaterThanPath":"$.Value"})j",
     R"j({"Variable":1,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericGreaterThanPath":"$.Value"})j",
     R"j({"Variable":1,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericLessThan":0})j", R"j({"Variable":0,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericLessThan":0})j", R"j({"Variable":0.0,"Value":0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericLessThan":0})j", R"j({"Variable":1,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericLessThan":1})j", R"j({"Variable":0,"Value":1})j", true},
    {R"j({"Variable":"$.Variable","NumericLessThan":1})j", R"j({"Variable":1,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","NumericLessThanEquals":0})j", R"j({"Variable":0,"Value":0})j",
     true},
    {R"j({"Variable":"$.Variable","NumericLessThanEquals":0})j", R"j({"Variable":0.0,"Value":0})j",
     true},
    {R"j({"Variable":"$.Variable","NumericLessThanEquals":0})j", R"j({"Variable":1,"Value":0})j",
     false},
    {R"j({"Variable":"$.Variable","NumericLessThanEquals":1})j", R"j({"Variable":0,"Value":1})j",
     true},
    {R"j({"Variable":"$.Variable","NumericLessThanEquals":1})j", R"j({"Variable":1,"Value":1})j",
     true},
    {R"j({"Variable":"$.Variable","NumericLessThanEqualsPath":"$.Value"})j",
     R"j({"Variable":0,"Value":1})j", true},
    {R"j({"Variable":"$.Variable","NumericLessThanEqualsPath":"$.Value"})j",
     R"j({"Variable":0.0,"Value":0})j", true},
    {R"j({"Variable":"$.Variable","NumericLessThanEqualsPath":"$.Value"})j",
     R"j({"Variable":1,"Value":1})j", true},
    {R"j({"Variable":"$.Variable","NumericLessThanPath":"$.Value"})j",
     R"j({"Variable":0,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericLessThanPath":"$.Value"})j",
     R"j({"Variable":0,"Value":1})j", true},
    {R"j({"Variable":"$.Variable","NumericLessThanPath":"$.Value"})j",
     R"j({"Variable":0.0,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericLessThanPath":"$.Value"})j",
     R"j({"Variable":1,"Value":0})j", false},
    {R"j({"Variable":"$.Variable","NumericLessThanPath":"$.Value"})j",
     R"j({"Variable":1,"Value":1})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"     "})j",
     R"j({"Variable":" ","Value":"     "})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"Hello"})j",
     R"j({"Variable":"Hello","Value":"Hello"})j", true},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":"","Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":0,"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":0.0,"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":1,"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":1.1,"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":[""],"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":false,"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":null,"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":true,"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":{"A":0},"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"HelloWorld"})j",
     R"j({"Variable":{},"Value":"HelloWorld"})j", false},
    {R"j({"Variable":"$.Variable","StringEquals":"\t\r\n"})j",
     R"j({"Variable":"\t\n","Value":"\t\r\n"})j", false},
    {R"j({"Variable":"$.Variable","StringEqualsPath":"$.Value"})j",
     R"j({"Variable":" ","Value":"     "})j", false},
    {R"j({"Variable":"$.Variable","StringEqualsPath":"$.Value"})j",
     R"j({"Variable":"Hello","Value":"Hello"})j", true},
    {R"j({"Variable":"$.Variable","StringEqualsPath":"$.Value"})j",
     R"j({"Variable":"\t\n","Value":"\t\r\n"})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThan":""})j", R"j({"Variable":"","Value":""})j",
     false},
    {R"j({"Variable":"$.Variable","StringGreaterThan":"A "})j",
     R"j({"Variable":"A","Value":"A "})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThan":"ABC"})j",
     R"j({"Variable":"AB","Value":"ABC"})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThan":"A\t\n\r"})j",
     R"j({"Variable":"A","Value":"A\t\n\r"})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThanEquals":""})j",
     R"j({"Variable":"","Value":""})j", true},
    {R"j({"Variable":"$.Variable","StringGreaterThanEquals":"A"})j",
     R"j({"Variable":"AB","Value":"A"})j", true},
    {R"j({"Variable":"$.Variable","StringGreaterThanEquals":"AB"})j",
     R"j({"Variable":"A","Value":"AB"})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThanEqualsPath":"$.Value"})j",
     R"j({"Variable":"","Value":""})j", true},
    {R"j({"Variable":"$.Variable","StringGreaterThanEqualsPath":"$.Value"})j",
     R"j({"Variable":"A","Value":"AB"})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThanPath":"$.Value"})j",
     R"j({"Variable":"","Value":""})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThanPath":"$.Value"})j",
     R"j({"Variable":"A","Value":"A "})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThanPath":"$.Value"})j",
     R"j({"Variable":"A","Value":"A\t\n\r"})j", false},
    {R"j({"Variable":"$.Variable","StringGreaterThanPath":"$.Value"})j",
     R"j({"Variable":"AB","Value":"ABC"})j", false},
    {R"j({"Variable":"$.Variable","StringLessThan":""})j", R"j({"Variable":"","Value":""})j",
     false},
    {R"j({"Variable":"$.Variable","StringLessThan":"A"})j", R"j({"Variable":"AB","Value":"A"})j",
     false},
    {R"j({"Variable":"$.Variable","StringLessThanEquals":""})j", R"j({"Variable":"","Value":""})j",
     true},
    {R"j({"Variable":"$.Variable","StringLessThanEquals":"A"})j",
     R"j({"Variable":"AB","Value":"A"})j", false},
    {R"j({"Variable":"$.Variable","StringLessThanEquals":"AB"})j",
     R"j({"Variable":"A","Value":"AB"})j", true},
    {R"j({"Variable":"$.Variable","StringLessThanEqualsPath":"$.Value"})j",
     R"j({"Variable":"","Value":""})j", true},
    {R"j({"Variable":"$.Variable","StringLessThanEqualsPath":"$.Value"})j",
     R"j({"Variable":"AB","Value":"A"})j", false},
    {R"j({"Variable":"$.Variable","StringLessThanPath":"$.Value"})j",
     R"j({"Variable":"","Value":""})j", false},
    {R"j({"Variable":"$.Variable","StringLessThanPath":"$.Value"})j",
     R"j({"Variable":"A","Value":"AB"})j", true},
    {R"j({"Variable":"$.Variable","StringLessThanPath":"$.Value"})j",
     R"j({"Variable":"AB","Value":"A"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":" ","Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:55Z"})j", true},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2012-10-09T19:00:56Z","Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2023-02-24 12:15:56.832957","Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":0,"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":0.0,"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":1,"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":1.1,"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":[""],"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":[],"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":false,"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":null,"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":{"A":0},"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":{},"Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEquals":"2012-10-09T19:00:56Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:56Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEqualsPath":"$.Value"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:56Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampEqualsPath":"$.Value"})j",
     R"j({"Variable":"2012-10-09T19:00:56Z","Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampGreaterThan":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampGreaterThan":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2012-10-09T19:00:56Z","Value":"2012-10-09T19:00:55Z"})j", true},
    {R"j({"Variable":"$.Variable","TimestampGreaterThan":"2012-10-09T19:00:56Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:56Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampGreaterThanEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:55Z"})j", true},
    {R"j({"Variable":"$.Variable","TimestampGreaterThanEquals":"2012-10-09T19:00:56Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:56Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampGreaterThanPath":"$.Value"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:56Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampLessThan":"2012-10-09T19:00:56Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:56Z"})j", true},
    {R"j({"Variable":"$.Variable","TimestampLessThanEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:55Z"})j", true},
    {R"j({"Variable":"$.Variable","TimestampLessThanEquals":"2012-10-09T19:00:55Z"})j",
     R"j({"Variable":"2012-10-09T19:00:56Z","Value":"2012-10-09T19:00:55Z"})j", false},
    {R"j({"Variable":"$.Variable","TimestampLessThanEquals":"2012-10-09T19:00:56Z"})j",
     R"j({"Variable":"2012-10-09T19:00:55Z","Value":"2012-10-09T19:00:56Z"})j", true},
    {R"j({"Variable":"$.Variable","TimestampLessThanPath":"$.Value"})j",
     R"j({"Variable":"2012-10-09T19:00:56Z","Value":"2012-10-09T19:00:55Z"})j", false},
};

TEST(ChoiceRecorded, EveryChoiceOperatorsCaseTakesAwsBranch) {
  int passed = 0;
  int failed = 0;
  for (const RecordedCase& c : kRecorded) {
    std::string got = run(c.rule, c.input);
    if (got == (c.matches ? "true" : "false")) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << c.rule << " on " << c.input << ": got " << got;
    }
  }
  std::printf("choice_operators: %d passed, %d failed\n", passed, failed);
}

// Choice states of the `scenarios`, `assign` and `context_object` cases, with the inputs they saw.
TEST(ChoiceRecorded, ScenarioRules) {
  const char* docs_not =
      R"({"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"})";
  const char* docs_and =
      R"({"And":[{"Variable":"$.value","NumericGreaterThanEquals":20},)"
      R"({"Variable":"$.value","NumericLessThan":30}],"Next":"ValueInTwenties"})";
  EXPECT_EQ(run(docs_not, R"({"type":"Private","value":22})"), "false");
  EXPECT_EQ(run(docs_not, R"({"type":"Public"})"), "true");
  EXPECT_EQ(run(docs_and, R"({"type":"Private","value":22})"), "true");
  EXPECT_EQ(run(docs_and, R"({"value":30})"), "false");
  EXPECT_EQ(run(docs_and, R"({"value":19.999})"), "false");

  const char* singleton = R"({"And":[{"Variable":"$.type","StringEquals":"Public"}],"Next":"P"})";
  EXPECT_EQ(run(singleton, R"({"type":"Public"})"), "true");

  const char* map_break =
      R"({"And":[{"IsPresent":true,"Variable":"$"},{"And":[{"IsNumeric":true,"Variable":"$"},)"
      R"({"NumericEquals":3,"Variable":"$"}]}],"Next":"Break"})";
  EXPECT_EQ(run(map_break, "3"), "true");
  EXPECT_EQ(run(map_break, "2"), "false");
  EXPECT_EQ(run(map_break, R"("3")"), "false");
  EXPECT_EQ(run(map_break, R"({"a":3})"), "false");

  const char* unsorted = R"({"BooleanEquals":true,"Next":"FinishTrue","Variable":"$.result.done"})";
  EXPECT_EQ(run(unsorted, R"({"result":{"done":true}})"), "true");
  EXPECT_EQ(run(unsorted, R"({"result":{"done":false}})"), "false");

  json::Value context = parse_json(R"({"Execution":{"Input":{"input-value":0}}})");
  EXPECT_EQ(run(R"({"Variable":"$$.Execution.Input.input-value","NumericLessThanEquals":0})", "{}",
                &context),
            "true");

  Variables vars({{"guess", "a"}, {"answer", "a"}, {"other", "b"}});
  EXPECT_EQ(
      run(R"({"Variable":"$guess","StringEqualsPath":"$answer","Next":"C"})", "{}", nullptr, &vars),
      "true");
  EXPECT_EQ(run(R"({"Variable":"$guess","StringEqualsPath":"$other"})", "{}", nullptr, &vars),
            "false");

  const char* assign_first =
      R"({"Variable":"$.input_value","IsPresent":false,"Assign":{"status":"UNKNOWN"},"Next":"F"})";
  EXPECT_EQ(run(assign_first, R"({"input_value":42})"), "false");
  EXPECT_EQ(run(assign_first, R"({})"), "true");
}

// ---- Runtime semantics -------------------------------------------------------------------------

struct RunCase {
  const char* rule;
  const char* input;
  const char* expected;  // "true", "false" or "error: cause"
};

void run_table(const std::vector<RunCase>& cases) {
  for (const RunCase& c : cases) {
    EXPECT_EQ(run(c.rule, c.input), c.expected) << c.rule << " on " << c.input;
  }
}

constexpr const char* kMissingX =
    "States.Runtime: Invalid path '$.x': The choice state's condition path references an invalid "
    "value.";

TEST(ChoiceRuntime, MissingPathsFailExceptForIsPresent) {
  run_table({
      {R"({"Variable":"$.x","StringEquals":"a"})", "{}", kMissingX},
      {R"({"Variable":"$.x","IsNull":true})", "{}", kMissingX},
      {R"({"Variable":"$.x","IsString":false})", "{}", kMissingX},
      {R"({"Variable":"$.x","IsTimestamp":false})", "{}", kMissingX},
      {R"({"Variable":"$.x","NumericEquals":1})", R"({"y":1})", kMissingX},
      {R"({"Variable":"$.x","IsPresent":true})", "{}", "false"},
      {R"({"Variable":"$.x","IsPresent":false})", "{}", "true"},
      {R"({"Variable":"$.x","IsPresent":true})", R"({"x":null})", "true"},
      {R"({"Variable":"$.x.y","IsPresent":true})", R"({"x":"s"})", "false"},
      {R"({"Variable":"$.x[2]","IsPresent":true})", R"({"x":[1,2]})", "false"},
      {R"({"Variable":"$.x[1]","IsPresent":true})", R"({"x":[1,2]})", "true"},
      {R"({"Variable":"$.a","StringEqualsPath":"$.x"})", R"({"a":"s"})", kMissingX},
      {R"({"Variable":"$.x","StringEqualsPath":"$.b"})", R"({"b":"s"})", kMissingX},
      {R"({"Variable":"$.a","StringEqualsPath":"$.b"})", R"({"a":"s","b":1})", "false"},
      {R"({"Variable":"$.a","NumericLessThanPath":"$.b"})", R"({"a":1,"b":"2"})", "false"},
      {R"({"Variable":"$.a","NumericLessThanPath":"$.b"})", R"({"a":1,"b":2})", "true"},
      {R"({"Variable":"$.a","TimestampLessThanPath":"$.b"})",
       R"({"a":"2020-01-01T00:00:00Z","b":"not a time"})", "false"},
      {R"({"Variable":"$.a","BooleanEqualsPath":"$.b"})", R"({"a":false,"b":false})", "true"},
      {R"({"Variable":"$.a","BooleanEqualsPath":"$.b"})", R"({"a":false,"b":0})", "false"},
  });
}

TEST(ChoiceRuntime, AndOrShortCircuitLeftToRight) {
  run_table({
      // The documented guard: StringEquals runs only when the key exists.
      {R"({"And":[{"Variable":"$.x","IsPresent":true},{"Variable":"$.x","StringEquals":"a"}]})",
       "{}", "false"},
      {R"({"And":[{"Variable":"$.x","StringEquals":"a"},{"Variable":"$.x","IsPresent":true}]})",
       "{}", kMissingX},
      {R"({"Or":[{"Variable":"$.y","IsNull":true},{"Variable":"$.x","StringEquals":"a"}]})",
       R"({"y":null})", "true"},
      {R"({"Or":[{"Variable":"$.y","IsNull":true},{"Variable":"$.x","StringEquals":"a"}]})",
       R"({"y":1})", kMissingX},
      {R"({"Not":{"Variable":"$.x","StringEquals":"a"}})", "{}", kMissingX},
      {R"({"Not":{"Not":{"Variable":"$.x","StringEquals":"a"}}})", R"({"x":"a"})", "true"},
      {R"({"Or":[{"Variable":"$.x","NumericEquals":1},{"And":[{"Variable":"$.x",)"
       R"("NumericGreaterThan":5},{"Not":{"Variable":"$.x","NumericEquals":7}}]}]})",
       R"({"x":6})", "true"},
      {R"({"Or":[{"Variable":"$.x","NumericEquals":1},{"And":[{"Variable":"$.x",)"
       R"("NumericGreaterThan":5},{"Not":{"Variable":"$.x","NumericEquals":7}}]}]})",
       R"({"x":7})", "false"},
  });
}

TEST(ChoiceRuntime, StringMatches) {
  struct Case {
    const char* pattern;  // JSON string literal contents
    const char* value;    // JSON value
    bool matches;
  };
  const Case cases[] = {
      {"log-*.txt", R"("log-2024.txt")", true},
      {"log-*.txt", R"("log-.txt")", true},
      {"log-*.txt", R"("log-2024.txt.gz")", false},
      {"*.log", R"("zebra.log")", true},
      {"foo*.*", R"("foobar.zebra")", true},
      {"foo*.*", R"("foobar")", false},
      {"*", R"("")", true},
      {"*", R"("anything")", true},
      {"", R"("")", true},
      {"", R"("a")", false},
      {"**", R"("x")", true},
      {"a*a", R"("a")", false},
      {"a*a", R"("aa")", true},
      {"ab*ba", R"("aba")", false},
      {"ab*ba", R"("abba")", true},
      {"a*b*c", R"("axxbyyc")", true},
      {"a*b*c", R"("acb")", false},
      {"*b*b*", R"("abab")", true},
      {"*b*b*", R"("ab")", false},
      {"exact", R"("exact")", true},
      {"exact", R"("Exact")", false},
      {R"(a\\*b)", R"("a*b")", true},  // escaped star is literal
      {R"(a\\*b)", R"("axb")", false},
      {R"(a\\\\*)", R"("a\\xyz")", true},  // escaped backslash, then a wildcard
      {R"(a\\\\*)", R"("axyz")", false},
      {"?", R"("x")", false},  // no other wildcards
      {"?", R"("?")", true},
      {"caf\u00e9*", R"("café au lait")", true},
      {"*", "1", false},
      {"*", "null", false},
      {"*", R"(["a"])", false},
  };
  for (const Case& c : cases) {
    std::string rule = std::string(R"({"Variable":"$.v","StringMatches":")") + c.pattern + "\"}";
    std::string input = std::string(R"({"v":)") + c.value + "}";
    EXPECT_EQ(run(rule, input), c.matches ? "true" : "false") << c.pattern << " ~ " << c.value;
  }
}

TEST(ChoiceRuntime, StringOrderIsJavaCompareTo) {
  run_table({
      {R"({"Variable":"$.v","StringLessThan":"B"})", R"({"v":"A"})", "true"},
      {R"({"Variable":"$.v","StringLessThan":"B"})", R"({"v":"a"})", "false"},  // by code unit
      {R"({"Variable":"$.v","StringLessThan":"AB"})", R"({"v":"A"})", "true"},  // prefix first
      {R"({"Variable":"$.v","StringGreaterThan":"z"})", R"({"v":"é"})", "true"},
      {R"({"Variable":"$.v","StringLessThanEquals":"é"})", R"({"v":"é"})", "true"},
      // U+FFFD is one UTF-16 unit 0xFFFD; U+1F600 starts with the surrogate 0xD83D, so Java puts
      // the emoji first although its code point (and UTF-8 bytes) are larger.
      {R"({"Variable":"$.v","StringLessThan":"\uFFFD"})", R"({"v":"\ud83d\ude00"})", "true"},
      {R"({"Variable":"$.v","StringGreaterThan":"\ud83d\ude00"})", R"({"v":"\uFFFD"})", "true"},
      {R"({"Variable":"$.v","StringGreaterThan":"\ud83d\ude00"})", R"({"v":"\uD7FF"})", "false"},
      {R"({"Variable":"$.v","StringLessThan":"\ud83d\ude01"})", R"({"v":"\ud83d\ude00"})", "true"},
      {R"({"Variable":"$.v","StringGreaterThan":"x\uE000"})", R"({"v":"x\ud800\udc00"})", "false"},
      {R"({"Variable":"$.v","StringEquals":"é"})", R"({"v":"e\u0301"})",
       "false"},  // no normalizing
  });
}

TEST(ChoiceRuntime, NumbersCompareByExactValue) {
  run_table({
      {R"({"Variable":"$.v","NumericEquals":9007199254740992})", R"({"v":9007199254740993})",
       "false"},
      {R"({"Variable":"$.v","NumericGreaterThan":9007199254740992})", R"({"v":9007199254740993})",
       "true"},
      {R"({"Variable":"$.v","NumericEquals":9223372036854775807})", R"({"v":9223372036854775807})",
       "true"},
      {R"({"Variable":"$.v","NumericLessThan":9223372036854775807})", R"({"v":9.3e18})", "false"},
      {R"({"Variable":"$.v","NumericGreaterThan":-9223372036854775808})", R"({"v":-9.3e18})",
       "false"},
      {R"({"Variable":"$.v","NumericLessThan":1.5})", R"({"v":1})", "true"},
      {R"({"Variable":"$.v","NumericGreaterThan":-1.5})", R"({"v":-1})", "true"},
      {R"({"Variable":"$.v","NumericLessThan":-1})", R"({"v":-1.5})", "true"},
      {R"({"Variable":"$.v","NumericEquals":0})", R"({"v":-0.0})", "true"},
      {R"({"Variable":"$.v","NumericEquals":100})", R"({"v":1e2})", "true"},
      {R"({"Variable":"$.v","NumericGreaterThanEquals":1e308})", R"({"v":1.7e308})", "true"},
      {R"({"Variable":"$.v","NumericLessThanEquals":2.5})", R"({"v":2.5})", "true"},
      {R"({"Variable":"$.v","NumericEquals":1})", R"({"v":true})", "false"},
      {R"({"Variable":"$.v","NumericEquals":1})", R"({"v":"1"})", "false"},
  });
}

TEST(ChoiceRuntime, TimestampsCompareByInstant) {
  run_table({
      {R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})",
       R"({"v":"2012-10-09T20:00:55+01:00"})", "true"},
      {R"({"Variable":"$.v","TimestampLessThan":"2012-10-09T19:00:55Z"})",
       R"({"v":"2012-10-09T19:00:54.999Z"})", "true"},
      {R"({"Variable":"$.v","TimestampGreaterThan":"2012-10-09T19:00:55Z"})",
       R"({"v":"2012-10-09T19:00:55.000000001Z"})", "true"},
      {R"({"Variable":"$.v","TimestampGreaterThanEquals":"2012-10-09T19:00:55Z"})",
       R"({"v":"2012-10-09T14:00:55-05:00"})", "true"},
      {R"({"Variable":"$.v","TimestampLessThanEquals":"9999-12-31T23:59:59Z"})",
       R"({"v":"0001-01-01T00:00:00Z"})", "true"},
      {R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})",
       R"({"v":"2012-10-09T19:00:55"})", "false"},
      {R"({"Variable":"$.v","TimestampLessThan":"2012-10-09T19:00:55Z"})", R"({"v":0})", "false"},
      {R"({"Variable":"$.a","TimestampEqualsPath":"$.b"})",
       R"({"a":"2012-10-09T19:00:55Z","b":"2012-10-09T21:00:55+02:00"})", "true"},
      {R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2012-10-09T19:00:55Z"})", "true"},
      {R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2012-10-09T19:00:55.5+01:00"})",
       "true"},
      {R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2012-10-09T19:00:55"})", "false"},
      {R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2023-02-24"})", "false"},
      {R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":1349809255})", "false"},
      {R"({"Variable":"$.v","IsTimestamp":false})", R"({"v":null})", "true"},
  });
}

TEST(ChoiceRuntime, RootsAndBracketPathsSelectTheSameValues) {
  const char* input = R"({"a":{"b c":[10,{"d":"x"}],"e":[1,2,3]},"f-g":true})";
  run_table({
      {R"({"Variable":"$['a']['b c'][1]['d']","StringEquals":"x"})", input, "true"},
      {R"({"Variable":"$.a['b c'][1].d","StringEquals":"x"})", input, "true"},
      {R"({"Variable":"$.a.e[2]","NumericEquals":3})", input, "true"},
      {R"({"Variable":"$.a.e[3]","IsPresent":true})", input, "false"},
      {R"({"Variable":"$.f-g","BooleanEquals":true})", input, "true"},
      {R"({"Variable":"$","IsPresent":true})", input, "true"},
      {R"({"Variable":"$.a.e","IsPresent":true})", input, "true"},
  });
  json::Value context = parse_json(R"({"State":{"Name":"Check"},"Map":{"Item":{"Index":2}}})");
  EXPECT_EQ(run(R"({"Variable":"$$.State.Name","StringEquals":"Check"})", "{}", &context), "true");
  EXPECT_EQ(
      run(R"({"Variable":"$$.Map.Item.Index","NumericEqualsPath":"$.i"})", R"({"i":2})", &context),
      "true");
  EXPECT_EQ(run(R"({"Variable":"$$.Nope","IsPresent":true})", "{}", &context), "false");
  Variables vars({{"cfg", parse_json(R"({"limits":[5,50]})")}});
  EXPECT_EQ(run(R"({"Variable":"$.n","NumericLessThanPath":"$cfg.limits[1]"})", R"({"n":7})",
                nullptr, &vars),
            "true");
  EXPECT_EQ(run(R"({"Variable":"$cfg.limits[0]","NumericEquals":5})", "{}", nullptr, &vars),
            "true");
  EXPECT_EQ(run(R"({"Variable":"$missing","IsPresent":true})", "{}", nullptr, &vars), "false");
  EXPECT_EQ(run(R"({"Variable":"$missing","IsNull":true})", "{}", nullptr, &vars),
            "States.Runtime: Invalid path '$missing': The choice state's condition path "
            "references an invalid value.");
}

// ---- Validation --------------------------------------------------------------------------------

struct InvalidCase {
  const char* rule;
  std::vector<std::pair<std::string, std::string>> diagnostics;  // message, location
  bool top_level = true;
};

TEST(ChoiceValidation, ReportsAwsDiagnostics) {
  const std::string l = kLoc;
  const InvalidCase cases[] = {
      {R"({"Variable":"$.x","Next":"A"})",
       {{"Exactly one comparison operator or one of the fields [And, Or, Not] must be present",
         l}}},
      {R"({"Next":"A"})",
       {{"Exactly one comparison operator or one of the fields [And, Or, Not] must be present",
         l}}},
      {R"({"Variable":"$.x","StringEquals":"a","NumericEquals":1})",
       {{"Exactly one comparison operator or one of the fields [And, Or, Not] must be present",
         l}}},
      {R"({"StringEquals":"a","Next":"A"})",
       {{"The field 'Variable' is required but was missing", l}}},
      {R"({"Variable":"x","StringEquals":"a"})",
       {{"Value is not a Reference Path: Reference path didn't start with '$'", l + "/Variable"}}},
      {R"({"Variable":7,"StringEquals":"a"})",
       {{"The value for the field 'Variable' must be a STRING", l + "/Variable"}}},
      {R"({"Variable":"$.x","StringEqualsPath":"a"})",
       {{"Value is not a Reference Path: Reference path didn't start with '$'",
         l + "/StringEqualsPath"}}},
      {R"({"Variable":"$.x","StringEquals":1})",
       {{"The value for the field 'StringEquals' must be a STRING", l + "/StringEquals"}}},
      {R"({"Variable":"$.x","StringMatches":null})",
       {{"The value for the field 'StringMatches' must be a STRING", l + "/StringMatches"}}},
      {R"({"Variable":"$.x","NumericEquals":"1"})",
       {{"The value for the field 'NumericEquals' must be a NUMBER", l + "/NumericEquals"}}},
      {R"({"Variable":"$.x","BooleanEquals":1})",
       {{"The value for the field 'BooleanEquals' must be a BOOLEAN", l + "/BooleanEquals"}}},
      {R"({"Variable":"$.x","IsNull":"true"})",
       {{"The value for the field 'IsNull' must be a BOOLEAN", l + "/IsNull"}}},
      {R"({"Variable":"$.x","TimestampEquals":"2016-13-01T00:00:00Z"})",
       {{"String does not match RFC3339 timestamp", l + "/TimestampEquals"}}},
      {R"({"Variable":"$.x","TimestampLessThan":"2016-01-01T00:00:00"})",
       {{"String does not match RFC3339 timestamp", l + "/TimestampLessThan"}}},
      {R"({"Variable":"$.x","StringEquals":"a","Foo":1})", {{"Field 'Foo' is not supported", l}}},
      {R"({"Variable":"$.x","StringEquals":"a","Output":"x"})",
       {{"Field 'Output' is not supported", l}}},
      {R"({"And":[{"Variable":"$.x","StringEquals":"a","Next":"B"}],"Next":"A"})",
       {{"Field 'Next' is not supported", l + "/And/0"}}},
      {R"({"Not":{"Variable":"$.x","StringEquals":"a","Assign":{}}})",
       {{"Field 'Assign' is not supported", l + "/Not"}}},
      {R"({"And":[],"Next":"A"})",
       {{"The value for the field 'And' must be a non-empty ARRAY", l + "/And"}}},
      {R"({"Or":{"Variable":"$.x","IsNull":true}})",
       {{"The value for the field 'Or' must be a non-empty ARRAY", l + "/Or"}}},
      {R"({"Not":[{"Variable":"$.x","IsNull":true}]})",
       {{"The value for the choice rule must be an OBJECT", l + "/Not"}}},
      {R"({"Not":{"Variable":"$.x","IsNull":true},"Variable":"$.y"})",
       {{"Field 'Variable' is not supported", l}}},
      {R"({"Or":[{"Variable":"$.x","IsNull":true},{"Variable":"$.y"},{"StringEquals":"s"}]})",
       {{"Exactly one comparison operator or one of the fields [And, Or, Not] must be present",
         l + "/Or/1"},
        {"The field 'Variable' is required but was missing", l + "/Or/2"}}},
      {R"([1])", {{"The value for the choice rule must be an OBJECT", l}}},
      {R"({"Variable":"$.x","StringEquals":"a"})", {{"Field 'Next' is not supported", l}}, false},
  };
  for (const InvalidCase& c : cases) {
    if (!c.top_level) {
      continue;  // covered below
    }
    Diagnostics d;
    EXPECT_FALSE(compile(c.rule, &d).has_value()) << c.rule;
    std::vector<std::pair<std::string, std::string>> got;
    for (const Diagnostic& x : d) {
      EXPECT_EQ(x.code, "SCHEMA_VALIDATION_FAILED");
      EXPECT_EQ(x.severity, "ERROR");
      got.emplace_back(x.message, x.location);
    }
    EXPECT_EQ(got, c.diagnostics) << c.rule;
  }
  Diagnostics d;
  EXPECT_FALSE(compile(R"({"Variable":"$.x","StringEquals":"a","Next":"A"})", &d, false));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "Field 'Next' is not supported");
}

TEST(ChoiceValidation, OperandPathsMustBeReferencePaths) {
  for (const char* path : {"$.a[*]", "$..a", "$.a[0:2]", "$.a[?(@.b)]", "$.a[0,1]"}) {
    for (const char* field : {"Variable", "NumericEqualsPath"}) {
      std::string rule =
          field == std::string("Variable")
              ? std::string(R"({"Variable":")") + path + R"(","NumericEquals":1})"
              : std::string(R"({"Variable":"$.v","NumericEqualsPath":")") + path + "\"}";
      Diagnostics d;
      EXPECT_FALSE(compile(rule, &d).has_value()) << rule;
      ASSERT_EQ(d.size(), 1u) << rule;
      EXPECT_EQ(d[0].location, std::string(kLoc) + "/" + field) << rule;
      EXPECT_EQ(d[0].message.rfind("Value is not a Reference Path: ", 0), 0u) << d[0].message;
    }
  }
}

TEST(ChoiceValidation, AcceptsEveryOperatorAndTopLevelExtras) {
  const char* ok[] = {
      R"({"Variable":"$.x","StringEquals":"a","Next":"A","Comment":"c","Assign":{"v":1}})",
      R"({"Variable":"$.x","StringLessThan":"a"})",
      R"({"Variable":"$.x","StringGreaterThan":"a"})",
      R"({"Variable":"$.x","StringLessThanEquals":"a"})",
      R"({"Variable":"$.x","StringGreaterThanEquals":"a"})",
      R"({"Variable":"$.x","StringMatches":"a*"})",
      R"({"Variable":"$.x","NumericEquals":1})",
      R"({"Variable":"$.x","NumericLessThan":1.5})",
      R"({"Variable":"$.x","NumericGreaterThan":-1})",
      R"({"Variable":"$.x","NumericLessThanEquals":0})",
      R"({"Variable":"$.x","NumericGreaterThanEquals":1e3})",
      R"({"Variable":"$.x","BooleanEquals":false})",
      R"({"Variable":"$.x","TimestampEquals":"2016-03-14T01:59:00Z"})",
      R"({"Variable":"$.x","TimestampLessThan":"2016-03-14T01:59:00.5+01:00"})",
      R"({"Variable":"$.x","TimestampGreaterThan":"2016-03-14T01:59:00Z"})",
      R"({"Variable":"$.x","TimestampLessThanEquals":"2016-03-14T01:59:00Z"})",
      R"({"Variable":"$.x","TimestampGreaterThanEquals":"2016-03-14T01:59:00Z"})",
      R"({"Variable":"$.x","StringEqualsPath":"$.y"})",
      R"({"Variable":"$.x","StringLessThanPath":"$.y"})",
      R"({"Variable":"$.x","StringGreaterThanPath":"$.y"})",
      R"({"Variable":"$.x","StringLessThanEqualsPath":"$.y"})",
      R"({"Variable":"$.x","StringGreaterThanEqualsPath":"$.y"})",
      R"({"Variable":"$.x","NumericEqualsPath":"$.y"})",
      R"({"Variable":"$.x","NumericLessThanPath":"$.y"})",
      R"({"Variable":"$.x","NumericGreaterThanPath":"$.y"})",
      R"({"Variable":"$.x","NumericLessThanEqualsPath":"$.y"})",
      R"({"Variable":"$.x","NumericGreaterThanEqualsPath":"$.y"})",
      R"({"Variable":"$.x","BooleanEqualsPath":"$$.y"})",
      R"({"Variable":"$.x","TimestampEqualsPath":"$v"})",
      R"({"Variable":"$.x","TimestampLessThanPath":"$.y"})",
      R"({"Variable":"$.x","TimestampGreaterThanPath":"$.y"})",
      R"({"Variable":"$.x","TimestampLessThanEqualsPath":"$.y"})",
      R"({"Variable":"$.x","TimestampGreaterThanEqualsPath":"$.y"})",
      R"({"Variable":"$","IsNull":true})",
      R"({"Variable":"$$.Execution.Id","IsPresent":true})",
      R"({"Variable":"$x","IsNumeric":true})",
      R"({"Variable":"$.x","IsString":false})",
      R"({"Variable":"$.x","IsBoolean":true})",
      R"({"Variable":"$.x","IsTimestamp":true})",
      R"({"And":[{"Variable":"$.x","IsNull":true,"Comment":"nested comments are fine"}]})",
      R"({"Or":[{"Not":{"Variable":"$.x","IsNull":true}},{"And":[{"Variable":"$.y","IsNull":true}]}]})",
  };
  for (const char* rule : ok) {
    EXPECT_TRUE(compile(rule).has_value()) << rule;
  }
}

TEST(ChoiceValidation, DeepNestingIsRejectedNotACrash) {
  std::string deep;
  for (int i = 0; i < 300; ++i) {
    deep += R"({"Not":)";
  }
  deep += R"({"Variable":"$.x","IsNull":true})";
  deep += std::string(300, '}');
  Diagnostics d;
  EXPECT_FALSE(compile(deep, &d).has_value());
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].code, "SCHEMA_VALIDATION_FAILED");

  std::string ok;
  for (int i = 0; i < 50; ++i) {
    ok += R"({"Not":)";
  }
  ok += R"({"Variable":"$.x","IsNull":true})";
  ok += std::string(50, '}');
  EXPECT_EQ(run(ok, R"({"x":null})"), "true");  // fifty negations
}

TEST(ChoiceCondition, CopiesShareTheCompiledRule) {
  auto c = compile(R"({"Variable":"$.n","NumericLessThan":10000})");
  ASSERT_TRUE(c.has_value());
  Condition copy = *c;
  Condition moved = std::move(copy);
  json::Value in = parse_json(R"({"n":3})");
  EXPECT_TRUE(moved.evaluate(PathRoots{&in, nullptr, nullptr}).value());
  copy = moved;
  EXPECT_TRUE(copy.evaluate(PathRoots{&in, nullptr, nullptr}).value());
}

// The W2 benchmark's rule runs 10,000 times per execution; keep it far under a microsecond.
TEST(ChoiceCondition, SimpleComparisonIsCheap) {
  auto c = compile(R"({"Variable":"$.n","NumericLessThan":10000,"Next":"Inc"})");
  ASSERT_TRUE(c.has_value());
  json::Value in = parse_json(R"({"n":42,"other":"field","more":[1,2,3]})");
  const PathRoots roots{&in, nullptr, nullptr};
  constexpr int kIterations = 200'000;
  int hits = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) {
    hits += c->evaluate(roots).value() ? 1 : 0;
  }
  auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_EQ(hits, kIterations);
  const double per_eval = static_cast<double>(ns) / kIterations;
  std::printf("NumericLessThan evaluate: %.1f ns\n", per_eval);
  EXPECT_LT(per_eval, 5000.0);  // generous: sanitizer builds run here too
}

}  // namespace
}  // namespace signoff::asl
