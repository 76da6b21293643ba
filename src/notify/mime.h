// Plain-text mail as RFC 5322 + MIME: the headers SNS's mails carry, a UTF-8 body in 7bit when it
// is short-lined ASCII and quoted-printable otherwise, non-ASCII header text as RFC 2047 encoded
// words. Every line ends in CRLF and stays within 78 characters (76 in encoded parts), so any
// relay accepts it unchanged. Pure: the caller supplies the date and the Message-ID.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace signoff::notify {

struct MailHeader {
  std::string name;
  std::string value;
};

struct MailMessage {
  std::string from_name;     // display name, e.g. "AWS Notifications"
  std::string from_address;  // no-reply@sns.amazonaws.com
  std::string to;            // one address
  std::string subject;
  std::string date;                       // RFC 5322 date (rfc5322_date)
  std::string message_id;                 // without angle brackets: "uuid@signoff"
  std::string body;                       // UTF-8; any line ending
  std::vector<MailHeader> extra_headers;  // e.g. List-Unsubscribe (ASCII values)
};

// The whole message, headers and body, ready for SMTP DATA.
std::string build_mime(const MailMessage& mail);

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks become CRLF, lines are soft-broken
// at 76 characters, trailing whitespace before a break is encoded.
std::string quoted_printable(std::string_view text);

// A header value as is when it is printable ASCII, else as "=?UTF-8?B?...?=" words of at most 75
// characters each (never splitting a UTF-8 sequence), separated by CRLF SP folds. CR and LF in
// the input never survive (header injection).
std::string encode_header_text(std::string_view text);

// A mailbox for From/To: `"Display Name" <addr>` (the name encoded when needed).
std::string format_mailbox(std::string_view display_name, std::string_view address);

}  // namespace signoff::notify
