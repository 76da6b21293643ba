// Fuzzes what SNS parses or renders from outside input: the SMTP URL (first line), Publish's
// MessageStructure JSON and the mail built around a subject and body (the rest). Checks the MIME
// invariants relays depend on: CRLF only, no header injection, encoded lines within 76.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "notify/message_structure.h"
#include "notify/mime.h"
#include "notify/smtp_url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff::notify;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  std::string_view first = text.substr(0, newline);
  std::string_view rest = newline == std::string_view::npos ? "" : text.substr(newline + 1);

  auto url = parse_smtp_url(first);
  if (url.ok()) {
    (void)url->curl_url();
    // The password never shows where redacted() puts "***" (unless it is "***" itself).
    if (!url->password.empty() && url->password != "***" &&
        url->redacted().find(":" + url->password + "@") != std::string::npos) {
      __builtin_trap();
    }
  }

  auto structure = parse_message_structure(rest);
  if (structure.ok() && structure->count("default") == 0) {
    __builtin_trap();
  }

  MailMessage mail;
  mail.from_name = std::string(first.substr(0, 40));
  mail.from_address = "a@b";
  mail.to = "c@d";
  mail.subject = std::string(first);
  mail.date = "Thu, 01 Jan 1970 00:00:00 +0000";
  mail.message_id = "id@x";
  mail.body = std::string(rest);
  std::string mime = build_mime(mail);
  size_t header_end = mime.find("\r\n\r\n");
  if (header_end == std::string::npos) {
    __builtin_trap();
  }
  for (size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n' && (i == 0 || mime[i - 1] != '\r')) {
      __builtin_trap();  // bare LF
    }
    if (mime[i] == '\r' && (i + 1 == mime.size() || mime[i + 1] != '\n')) {
      __builtin_trap();  // bare CR
    }
  }
  // Every header line is a header or a fold: a subject cannot start a new header.
  std::string_view head(mime.data(), header_end);
  size_t start = 0;
  int subjects = 0;
  while (start <= head.size()) {
    size_t end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.starts_with("Subject:")) {
      ++subjects;
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 2;
  }
  if (subjects != 1) {
    __builtin_trap();
  }
  if (mime.find("quoted-printable") != std::string::npos) {
    std::string_view body(mime.data() + header_end + 4, mime.size() - header_end - 4);
    size_t s = 0;
    while (s < body.size()) {
      size_t e = body.find("\r\n", s);
      size_t len = (e == std::string_view::npos ? body.size() : e) - s;
      if (len > 76) {
        __builtin_trap();
      }
      if (e == std::string_view::npos) {
        break;
      }
      s = e + 2;
    }
  }
  return 0;
}
