#include "notify/smtp_url.h"

#include <charconv>

namespace signoff::notify {
namespace {

Error bad(std::string why) {
  return make_error("InvalidSmtpUrl", "invalid SMTP URL: " + why);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Userinfo is percent-encoded so passwords may hold ':', '@' or '/'.
bool percent_decode(std::string_view in, std::string& out) {
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) {
      return false;
    }
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == ':';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string SmtpUrl::curl_url() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(implicit_tls ? "smtps://" : "smtp://") + h + ":" + std::to_string(port);
}

std::string SmtpUrl::redacted() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string s = implicit_tls ? "smtps://" : "smtp://";
  if (!user.empty()) {
    s += user + (password.empty() ? "" : ":***") + "@";
  }
  s += h + ":" + std::to_string(port);
  if (starttls == StartTls::Required) {
    s += "?starttls=required";
  } else if (starttls == StartTls::Never) {
    s += "?starttls=never";
  }
  return s;
}

Result<SmtpUrl> parse_smtp_url(std::string_view text) {
  SmtpUrl url;
  std::string_view rest;
  if (text.starts_with("smtp://")) {
    rest = text.substr(7);
  } else if (text.starts_with("smtps://")) {
    url.implicit_tls = true;
    url.port = 465;
    rest = text.substr(8);
  } else {
    return bad("the scheme must be smtp:// or smtps://");
  }
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.find('/') != std::string_view::npos) {
    return bad("a path is not allowed");
  }
  // The last '@' ends the userinfo: an unencoded '@' in a password still parses.
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = userinfo.find(':');
    if (!percent_decode(userinfo.substr(0, colon), url.user) ||
        (colon != std::string_view::npos &&
         !percent_decode(userinfo.substr(colon + 1), url.password))) {
      return bad("malformed percent-encoding in the user or password");
    }
    if (url.user.empty()) {
      return bad("empty user name");
    }
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with("[")) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return bad("unterminated IPv6 address");
    }
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        return bad("junk after the IPv6 address");
      }
      port = after.substr(1);
    }
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return bad("IPv6 addresses must be in brackets");
    }
  }
  if (!valid_host(host)) {
    return bad("missing or malformed host");
  }
  url.host = std::string(host);
  if (!port.empty() || rest.ends_with(":")) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return bad("the port must be a number from 1 to 65535");
    }
    url.port = static_cast<uint16_t>(value);
  }
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    if (pair == "starttls=required") {
      url.starttls = StartTls::Required;
    } else if (pair == "starttls=never") {
      url.starttls = StartTls::Never;
    } else if (pair == "starttls=opportunistic") {
      url.starttls = StartTls::Opportunistic;
    } else {
      return bad("unknown parameter '" + std::string(pair.substr(0, pair.find('='))) +
                 "' (known: starttls=required|opportunistic|never)");
    }
  }
  if (url.implicit_tls && url.starttls == StartTls::Required) {
    url.starttls = StartTls::Opportunistic;  // smtps is TLS already; nothing to upgrade
  }
  return url;
}

}  // namespace signoff::notify
