// Fuzzes what the console parses from outside: Cookie and Origin/Referer headers, JSON request
// bodies, AWS answers (errors of both protocols, XML texts) and step listings turned into the
// approval view. Input: the first line is a header value, the rest a body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "console/approvals.h"
#include "console/calls.h"
#include "console/http_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);

  (void)console::parse_cookies(line);
  api::HttpRequest r;
  r.headers = {{"Cookie", std::string(line)},
               {"Origin", std::string(line)},
               {"Referer", std::string(line)},
               {"Host", "127.0.0.1:8765"}};
  r.body = std::string(rest);
  (void)console::cookie(r, console::kSessionCookie);
  (void)console::same_origin(r, line);
  if (auto body = console::json_body(r)) {
    (void)console::text(*body, "userName");
    (void)console::approval_from_steps(*body);
    (void)console::approvers_from(body->find("Approvers"));
  }
  console::Answer answer{400, "", std::string(rest)};
  (void)console::error_of(answer);
  (void)console::xml_text(rest, line.substr(0, 16));
  (void)console::execution_in_token(line);
  return 0;
}
