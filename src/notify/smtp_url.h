// The SMTP relay setting: smtp://[user[:password]@]host[:port][?starttls=required|never]
// (STARTTLS is tried when offered unless told otherwise) and smtps://... for TLS from the first
// byte. The password is kept for the relay and never printed: redacted() is what logs show.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace signoff::notify {

enum class StartTls : uint8_t { Opportunistic, Required, Never };

struct SmtpUrl {
  bool implicit_tls = false;  // smtps://
  StartTls starttls = StartTls::Opportunistic;
  std::string host;  // without brackets for IPv6 literals
  uint16_t port = 25;
  std::string user;  // percent-decoded; "" for no AUTH
  std::string password;

  // The URL libcurl connects to (no credentials: they travel as separate options).
  std::string curl_url() const;
  // For logs: scheme, user and host, the password replaced by "***".
  std::string redacted() const;
};

// Errors name the problem without echoing the password.
Result<SmtpUrl> parse_smtp_url(std::string_view text);

}  // namespace signoff::notify
