// How deliveries leave the process: mail to the SMTP relay and HTTP(S) POSTs. An interface so the
// delivery runner is testable without sockets; the libcurl implementation is the real one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "notify/mime.h"
#include "notify/smtp_url.h"

namespace signoff::notify {

struct SendResult {
  enum class Kind { Delivered, Temporary, Permanent };
  Kind kind = Kind::Delivered;
  std::string detail;  // the relay's or server's answer, for the log (never credentials)
};

class Transport {
 public:
  virtual ~Transport() = default;
  // 4xx replies and connection failures are Temporary, 5xx replies Permanent.
  virtual SendResult send_mail(const std::string& from_address, const std::string& to,
                               const std::string& mime) = 0;
  // 2xx is Delivered; 429, 5xx and connection failures Temporary; other statuses Permanent.
  virtual SendResult post(const std::string& url, const std::vector<MailHeader>& headers,
                          const std::string& body) = 0;
};

// smtp: the relay; without one every mail fails permanently with a message saying so.
std::shared_ptr<Transport> make_curl_transport(std::optional<SmtpUrl> smtp);

}  // namespace signoff::notify
