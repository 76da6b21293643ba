#include "notify/mime.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace signoff::notify {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t crlf = text.find("\r\n", start);
    if (crlf == std::string::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, crlf - start));
    start = crlf + 2;
  }
}

MailMessage sample() {
  MailMessage m;
  m.from_name = "AWS Notifications";
  m.from_address = "no-reply@sns.amazonaws.com";
  m.to = "alice@example.com";
  m.subject = "Approval needed";
  m.date = "Tue, 01 Dec 2026 10:00:00 +0000";
  m.message_id = "1234@sns.signoff";
  m.body = "Hello\nworld";
  return m;
}

TEST(Mime, HeadersAndSevenBitBody) {
  std::string mime = build_mime(sample());
  EXPECT_NE(mime.find("From: \"AWS Notifications\" <no-reply@sns.amazonaws.com>\r\n"),
            std::string::npos);
  EXPECT_NE(mime.find("To: alice@example.com\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Subject: Approval needed\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Message-ID: <1234@sns.signoff>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Content-Transfer-Encoding: 7bit\r\n"), std::string::npos);
  EXPECT_TRUE(mime.ends_with("\r\n\r\nHello\r\nworld\r\n"));
  EXPECT_EQ(mime.find('\n'), mime.find("\r\n") + 1);  // no bare LF anywhere
  for (size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(mime[i - 1], '\r');
    }
  }
}

TEST(Mime, NonAsciiBodyIsQuotedPrintable) {
  MailMessage m = sample();
  m.body = "Grüße — approve?";
  std::string mime = build_mime(m);
  EXPECT_NE(mime.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Gr=C3=BC=C3=9Fe =E2=80=94 approve?"), std::string::npos);
}

TEST(Mime, QuotedPrintableLineLengthsAndEscapes) {
  std::string long_line(300, 'a');
  std::string qp = quoted_printable(long_line + "\n= tail \n");
  for (const std::string& line : lines(qp)) {
    EXPECT_LE(line.size(), 76u) << line;
  }
  EXPECT_NE(qp.find("=3D"), std::string::npos);      // '=' is escaped
  EXPECT_NE(qp.find("tail=20"), std::string::npos);  // trailing space before a break
  // Decoding the soft breaks gives back the line.
  std::string joined;
  for (const std::string& line : lines(qp)) {
    joined += line.ends_with("=") ? line.substr(0, line.size() - 1) : line + "\n";
  }
  EXPECT_EQ(joined.substr(0, 300), long_line);
}

TEST(Mime, QuotedPrintableNeverSplitsAnEscape) {
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += "é";
  }
  for (const std::string& line : lines(quoted_printable(text))) {
    EXPECT_LE(line.size(), 76u);
    size_t eq = line.rfind('=');
    // Either a soft break at the very end or a complete =XX escape.
    EXPECT_TRUE(eq == line.size() - 1 || eq + 3 == line.size()) << line;
  }
}

TEST(Mime, EncodedWordSubject) {
  EXPECT_EQ(encode_header_text("plain"), "plain");
  EXPECT_EQ(encode_header_text("ü"), "=?UTF-8?B?w7w=?=");
  std::string subject;
  for (int i = 0; i < 40; ++i) {
    subject += "ü";
  }
  std::string encoded = encode_header_text(subject);
  for (const std::string& line : lines(encoded)) {
    EXPECT_LE(line.size() + 9, 78u) << line;  // after "Subject: "
  }
  EXPECT_NE(encoded.find("\r\n =?UTF-8?B?"), std::string::npos);
}

TEST(Mime, HeaderInjectionIsNeutralized) {
  MailMessage m = sample();
  m.subject = "hi\r\nBcc: victim@example.com";
  std::string mime = build_mime(m);
  EXPECT_EQ(mime.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(mime.find("Subject: hi  Bcc: victim@example.com\r\n"), std::string::npos);
  EXPECT_EQ(format_mailbox("A \"B\"", "x@y<z>"), "\"A \\\"B\\\"\" <x@yz>");
}

TEST(Mime, LongAsciiHeadersFold) {
  MailMessage m = sample();
  m.subject = std::string(60, 'x') + " " + std::string(30, 'y');
  std::string mime = build_mime(m);
  EXPECT_NE(mime.find("Subject: " + std::string(60, 'x') + "\r\n " + std::string(30, 'y')),
            std::string::npos);
}

}  // namespace
}  // namespace signoff::notify
