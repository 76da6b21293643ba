#include "api/internal_call.h"

namespace signoff::api {
namespace {

// RFC 3986 unreserved characters stay; everything else is %XX, as SDKs encode form bodies.
void append_form_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
}

HttpRequest post_to_root(std::string body) {
  return HttpRequest{.method = "POST",
                     .target = "/",
                     .path = "/",
                     .query = {},
                     .headers = {},
                     .body = std::move(body),
                     .remote_address = "internal"};
}

}  // namespace

HttpRequest json_call(std::string_view target, std::string body, std::string_view version) {
  HttpRequest request = post_to_root(std::move(body));
  request.headers.push_back({"X-Amz-Target", std::string(target)});
  std::string content_type = "application/x-amz-json-";
  content_type.append(version);  // not operator+: g++ 12 warns falsely (-Wrestrict) on it
  request.headers.push_back({"Content-Type", std::move(content_type)});
  return request;
}

HttpRequest query_call(std::string_view action, std::string_view version,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  std::string body = "Action=";
  append_form_encoded(body, action);
  body += "&Version=";
  append_form_encoded(body, version);
  for (const auto& [name, value] : params) {
    body.push_back('&');
    append_form_encoded(body, name);
    body.push_back('=');
    append_form_encoded(body, value);
  }
  HttpRequest request = post_to_root(std::move(body));
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  return request;
}

}  // namespace signoff::api
