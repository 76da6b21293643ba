// Compiles a Choice rule from arbitrary JSON and evaluates it on arbitrary input. The input is
// "<rule JSON>\n<state input JSON>"; the state input also serves as the context object and as
// the value of every variable, so $$ and $name paths reach real data.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "asl/choice.h"
#include "asl/timestamp.h"

namespace {

class EveryVariable : public signoff::asl::VariableLookup {
 public:
  explicit EveryVariable(const signoff::json::Value& v) : v_(v) {}
  const signoff::json::Value* lookup(std::string_view name) const override {
    return name.empty() || name[0] == 'u' ? nullptr : &v_;  // some names are unset
  }

 private:
  const signoff::json::Value& v_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t nl = text.find('\n');
  std::string_view rule_text = text.substr(0, nl);
  std::string_view input_text = nl == std::string_view::npos ? "{}" : text.substr(nl + 1);

  if (auto t = asl::parse_timestamp(rule_text)) {
    (void)asl::format_timestamp(*t);
  }
  json::ParseResult rule = json::parse(rule_text);
  if (!rule.ok()) {
    return 0;
  }
  asl::Diagnostics diagnostics;
  auto condition = asl::Condition::compile(rule.value, "/States/S/Choices/0", true, diagnostics);
  if (!condition) {
    return 0;
  }
  json::ParseResult input = json::parse(input_text);
  if (!input.ok()) {
    return 0;
  }
  EveryVariable variables(input.value);
  asl::Outcome<bool> r =
      condition->evaluate(asl::PathRoots{&input.value, &input.value, &variables});
  (void)r.ok();
  return 0;
}
