// Reading back a mail the drop wrote (or any RFC 5322 text): unfolded headers, RFC 2047 encoded
// words decoded, a quoted-printable or base64 body decoded, and the links in it. Pure and lenient:
// any bytes give a result, never a failure (what cannot be decoded is shown as it is).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notify/mime.h"

namespace signoff::notify {

struct ReadMail {
  std::vector<MailHeader> headers;                  // in order, values decoded
  std::string body;                                 // decoded, lines ending in \n
  std::string header(std::string_view name) const;  // "" when absent (case-insensitive)
};

ReadMail read_mail(std::string_view text);

// Every http:// or https:// URL in the text, in order.
std::vector<std::string> find_links(std::string_view text);

}  // namespace signoff::notify
