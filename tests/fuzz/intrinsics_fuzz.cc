// Fuzzes Intrinsic::compile and eval. Input: the call on the first line, an optional JSON input
// document after it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "asl/entropy.h"
#include "asl/intrinsics.h"
#include "common/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  std::string_view call_text = text.substr(0, newline);
  std::string_view doc_text = newline == std::string_view::npos ? "" : text.substr(newline + 1);
  json::ParseResult parsed = json::parse(doc_text);
  json::Value doc =
      parsed.ok() ? parsed.value
                  : json::parse(R"({"s":"a,b","n":3,"a":[1,2,2,{"k":"v"}],"o":{"x":1}})").value;
  std::string error;
  auto call = asl::Intrinsic::compile(call_text, &error);
  if (!call) {
    return 0;
  }
  asl::SeededEntropy entropy(size);
  auto result = call->eval(asl::PathRoots{&doc, &doc, nullptr}, entropy, "f.$");
  if (result.ok()) {
    (void)json::dump(result.value());
  } else if (result.failure().error.empty() || result.failure().cause.empty()) {
    __builtin_trap();
  }
  return 0;
}
