// Fuzzes form decoding, AWS's list/map flattening and XML escaping. Input: the query string on the
// first line, the form body after it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/protocol/query_protocol.h"
#include "api/protocol/xml.h"

namespace {

// Escaped text may hold no markup characters and only the entities the escaper writes.
void check_escaped(std::string_view xml) {
  for (size_t i = 0; i < xml.size(); ++i) {
    char c = xml[i];
    if (c == '<' || c == '>' || c == '"' || c == '\'') {
      __builtin_trap();
    }
    if (c == '&') {
      std::string_view rest = xml.substr(i);
      if (!(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
            rest.starts_with("&quot;") || rest.starts_with("&apos;") ||
            rest.starts_with("&#13;"))) {
        __builtin_trap();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff::api;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  HttpRequest request;
  request.method = "POST";
  request.query = std::string(text.substr(0, newline));
  request.body = newline == std::string_view::npos ? "" : std::string(text.substr(newline + 1));
  request.headers.push_back(Header{"Content-Type", "application/x-www-form-urlencoded"});
  QueryParams params = query_request_params(request);
  size_t examined = 0;
  for (const auto& [key, value] : params.entries()) {
    check_escaped(xml_escape(key));
    check_escaped(xml_escape(value));
    std::string_view name = std::string_view(key).substr(0, key.find('.'));
    if (++examined > 32) {
      continue;  // flattening is quadratic in keys; a few names cover it
    }
    for (const QueryParams& element : params.structs(name)) {
      (void)element.list("member");
      (void)element.map("Value");
    }
    (void)params.list(name);
    (void)params.list(name, "");
    (void)params.map(name, "Name", "Value");
  }
  HttpResponse r = query_response(params.get_or("Action", "X"), query_namespace("sns"), "", "id");
  (void)r;
  return 0;
}
