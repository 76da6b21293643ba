// Parses and evaluates arbitrary expressions. Input layout: the expression, optionally followed by
// a NUL byte and a JSON input document. Depth and step limits keep every run short.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "jsonata/jsonata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view expr = text;
  std::string_view doc;
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    expr = text.substr(0, nul);
    doc = text.substr(nul + 1);
  }
  auto [compiled, err] = jsonata::Expression::compile(expr);
  if (!compiled)
    return 0;
  json::ParseResult input =
      json::parse(doc.empty() ? std::string_view("{\"a\":[1,2,{\"b\":\"c\"}]}") : doc);
  jsonata::FixedHost host(1700000000000, 3);
  jsonata::Limits limits;
  limits.max_depth = 200;
  limits.max_steps = 200000;
  (void)compiled->evaluate(input.ok() ? &input.value : nullptr, {}, host, limits);
  return 0;
}
