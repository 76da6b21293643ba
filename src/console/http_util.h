// The console's HTTP details: cookies, its JSON answers and the security headers every answer
// carries. Cookie parsing reads outside input (fuzz target console_request_fuzz).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/message.h"
#include "common/json.h"

namespace signoff::console {

inline constexpr std::string_view kSessionCookie = "signoff_console";

// "a=1; b=2" → {("a","1"), ("b","2")}; malformed pairs are skipped, values are not decoded (the
// console's own cookies are hex).
std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header);
// The value of cookie `name` in the request's Cookie headers.
std::optional<std::string> cookie(const api::HttpRequest& request, std::string_view name);

// Set-Cookie for the session: Secure, HttpOnly, SameSite=Strict, Path=/console. max_age 0
// removes it.
std::string session_cookie(std::string_view value, long max_age_seconds);

// The headers every console answer carries: a strict Content-Security-Policy (own scripts and
// styles only, nothing inline, no framing), nosniff, no referrer, no caching of answers.
void security_headers(api::HttpResponse& r);

api::HttpResponse json_response(int status, const json::Value& body);
// {"error": {"code": type, "message": message}} — the shape every console API error has, an
// AWS error passed on unchanged.
api::HttpResponse error_response(int status, std::string_view code, std::string_view message);

// A request body the console's pages send: a JSON object. nullopt when it is not one.
std::optional<json::Value> json_body(const api::HttpRequest& request);
// The string member `key` of an object, "" when absent or not a string.
std::string text(const json::Value& object, std::string_view key);

// Whether the request's Origin (or, without one, Referer) is this server's own: the public URL's
// origin or the Host header's, so a page elsewhere cannot post here with the user's cookie.
bool same_origin(const api::HttpRequest& request, std::string_view public_origin);

}  // namespace signoff::console
