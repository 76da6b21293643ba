// Mail read back from the drop: what build_mime writes comes back as it was (subjects with
// non-ASCII text, long quoted-printable lines with links), and odd input still gives a value.
#include "notify/mail_read.h"

#include <gtest/gtest.h>

namespace signoff::notify {
namespace {

MailMessage message(std::string subject, std::string body) {
  MailMessage m;
  m.from_name = "Approval requests";
  m.from_address = "no-reply@sns.amazonaws.com";
  m.to = "approver@example.com";
  m.subject = std::move(subject);
  m.date = "Tue, 01 Dec 2026 10:35:17 +0000";
  m.message_id = "x@signoff";
  m.body = std::move(body);
  return m;
}

struct RoundTrip {
  const char* subject;
  const char* body;
};

class MailRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(MailRoundTrip, ReadsBackWhatWasBuilt) {
  auto mail = read_mail(build_mime(message(GetParam().subject, GetParam().body)));
  EXPECT_EQ(mail.header("subject"), GetParam().subject);
  EXPECT_EQ(mail.header("To"), "approver@example.com");
  std::string body = mail.body;
  while (!body.empty() && body.back() == '\n') {
    body.pop_back();
  }
  EXPECT_EQ(body, GetParam().body);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MailRoundTrip,
    ::testing::Values(
        RoundTrip{"Automation approval request", "short body"},
        RoundTrip{"Demande d'approbation: déploiement ✓", "Bonjour,\nvoilà la demande."},
        RoundTrip{"Link",
                  "Visit http://127.0.0.1:8765/sns/confirm?TopicArn=arn%3Aaws%3Asns%3Aus-east-1"
                  "%3A000000000000%3Aapproval-flow-requests&Token=d15fdb34441545e4e10f257f8c29"
                  "63a572630b77ba8dd7c334f46dc38e67e9fa80f42fa252db7c62 to confirm."}));

TEST(MailRead, FindsLinksAcrossSoftBreaks) {
  std::string link =
      "http://127.0.0.1:8765/sns/confirm?TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A0000%3Ax&Token="
      "0123456789abcdef0123456789abcdef0123456789abcdef";
  auto mail = read_mail(build_mime(message("s", "Confirm: " + link + ".\nBye")));
  auto links = find_links(mail.body);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0], link);
}

TEST(MailRead, OddInputStillReads) {
  EXPECT_EQ(read_mail("").body, "");
  EXPECT_EQ(read_mail("no headers at all").header("Subject"), "");
  EXPECT_EQ(read_mail("Subject: =?UTF-8?Q?a_b?=\r\n\r\nx").header("Subject"), "a b");
  EXPECT_EQ(read_mail("Subject: =?x?Q?broken\r\n\r\n").header("Subject"), "=?x?Q?broken");
  EXPECT_EQ(read_mail("Content-Transfer-Encoding: base64\r\n\r\naGk=").body, "hi");
}

}  // namespace
}  // namespace signoff::notify
