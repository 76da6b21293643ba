#include "console/http_util.h"

#include <cctype>

namespace signoff::console {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// "http://host:port/path" → "http://host:port".
std::string_view origin_of(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return {};
  }
  size_t slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? url : url.substr(0, slash);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      continue;
    }
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::string(trim(pair.substr(0, eq))), std::string(value));
    if (out.size() > 64) {
      break;  // no browser sends more for one path; the rest is noise
    }
  }
  return out;
}

std::optional<std::string> cookie(const api::HttpRequest& request, std::string_view name) {
  for (const api::Header& h : request.headers) {
    if (!iequals(h.name, "Cookie")) {
      continue;
    }
    for (auto& [k, v] : parse_cookies(h.value)) {
      if (k == name) {
        return v;
      }
    }
  }
  return std::nullopt;
}

std::string session_cookie(std::string_view value, long max_age_seconds) {
  std::string c(kSessionCookie);
  c += '=';
  c += value;
  c += "; Path=/console; Max-Age=" + std::to_string(max_age_seconds);
  c += "; Secure; HttpOnly; SameSite=Strict";
  return c;
}

void security_headers(api::HttpResponse& r) {
  r.set_header("Content-Security-Policy",
               "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("Referrer-Policy", "no-referrer");
  r.set_header("X-Frame-Options", "DENY");
}

api::HttpResponse json_response(int status, const json::Value& body) {
  api::HttpResponse r;
  r.status = status;
  r.body = json::dump(body);
  r.set_header("Content-Type", "application/json");
  r.set_header("Cache-Control", "no-store");
  security_headers(r);
  return r;
}

api::HttpResponse error_response(int status, std::string_view code, std::string_view message) {
  return json_response(
      status,
      json::Value::object({{"error", json::Value::object({{"code", json::Value(code)},
                                                          {"message", json::Value(message)}})}}));
}

std::optional<json::Value> json_body(const api::HttpRequest& request) {
  if (request.body.size() > 256 * 1024) {
    return std::nullopt;
  }
  json::ParseResult p = json::parse(request.body, 64);
  if (!p.ok() || !p.value.is_object()) {
    return std::nullopt;
  }
  return p.value;
}

std::string text(const json::Value& object, std::string_view key) {
  const json::Value* v = object.find(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool same_origin(const api::HttpRequest& request, std::string_view public_origin) {
  std::string_view origin;
  if (const std::string* o = request.header("Origin")) {
    origin = *o;
  } else if (const std::string* ref = request.header("Referer")) {
    origin = origin_of(*ref);
  } else {
    return false;  // browsers send Origin on every POST fetch; without it, refuse
  }
  if (!public_origin.empty() && origin == origin_of(public_origin)) {
    return true;
  }
  const std::string* host = request.header("Host");
  if (host == nullptr) {
    return false;
  }
  return origin == "http://" + *host || origin == "https://" + *host;
}

}  // namespace signoff::console
