#include "notify/smtp_url.h"

#include <gtest/gtest.h>

namespace signoff::notify {
namespace {

TEST(SmtpUrl, HostAndDefaultPorts) {
  auto u = parse_smtp_url("smtp://relay.example.com");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "relay.example.com");
  EXPECT_EQ(u->port, 25);
  EXPECT_FALSE(u->implicit_tls);
  EXPECT_EQ(u->starttls, StartTls::Opportunistic);
  EXPECT_EQ(u->curl_url(), "smtp://relay.example.com:25");
  auto s = parse_smtp_url("smtps://relay.example.com/");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->implicit_tls);
  EXPECT_EQ(s->port, 465);
  EXPECT_EQ(s->curl_url(), "smtps://relay.example.com:465");
}

TEST(SmtpUrl, CredentialsArePercentDecodedAndRedacted) {
  auto u = parse_smtp_url("smtp://me%40corp:p%3Ass@w@relay:587?starttls=required");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->user, "me@corp");
  EXPECT_EQ(u->password, "p:ss@w");
  EXPECT_EQ(u->port, 587);
  EXPECT_EQ(u->starttls, StartTls::Required);
  EXPECT_EQ(u->redacted(), "smtp://me@corp:***@relay:587?starttls=required");
  EXPECT_EQ(u->curl_url().find("p:ss"), std::string::npos);
}

TEST(SmtpUrl, Ipv6) {
  auto u = parse_smtp_url("smtp://[::1]:2525?starttls=never");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 2525);
  EXPECT_EQ(u->starttls, StartTls::Never);
  EXPECT_EQ(u->curl_url(), "smtp://[::1]:2525");
}

TEST(SmtpUrl, Rejections) {
  for (const char* bad :
       {"", "http://x", "smtp://", "smtp://host:0", "smtp://host:70000", "smtp://host:x",
        "smtp://host/path", "smtp://[::1", "smtp://::1:25", "smtp://host?tls=1", "smtp://:pw@host",
        "smtp://u%zz@host", "smtp://ho st", "smtp://host:"}) {
    EXPECT_FALSE(parse_smtp_url(bad).ok()) << bad;
  }
  auto e = parse_smtp_url("smtp://user:hunter2@host:bad");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace signoff::notify
