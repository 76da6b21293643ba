// Fuzzes what agent approvers parse from outside: a model's chat-completions response (first
// byte even) and a policy agent's Rules, compiled then evaluated against the rest of the input
// as the approval context (first byte odd; the text is split at the first newline).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agents/chat.h"
#include "agents/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  if (size == 0) {
    return 0;
  }
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    auto v = agents::parse_chat_response(text);
    if (v.ok() && !(v->confidence >= 0 && v->confidence <= 1)) {
      __builtin_trap();
    }
    return 0;
  }
  size_t newline = text.find('\n');
  auto rules = json::parse(text.substr(0, newline), 64);
  if (!rules.ok()) {
    return 0;
  }
  auto compiled = agents::PolicyRules::compile(rules.value);
  if (!compiled.ok()) {
    return 0;
  }
  auto context =
      json::parse(newline == std::string_view::npos ? "{}" : text.substr(newline + 1), 64);
  if (context.ok()) {
    (void)compiled->evaluate(context.value, 0);
  }
  return 0;
}
