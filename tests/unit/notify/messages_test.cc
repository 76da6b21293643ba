#include "notify/messages.h"

#include <gtest/gtest.h>

#include "notify/time_format.h"

namespace signoff::notify {
namespace {

Notification sample() {
  Notification n;
  n.message_id = "m-1";
  n.topic_arn = "arn:aws:sns:us-east-1:000000000000:t";
  n.subscription_arn = n.topic_arn + ":s";
  n.subject = "Subj";
  n.message = "Body";
  n.timestamp_ms = 1335920046655;  // 2012-05-02T00:54:06.655Z
  return n;
}

TEST(Messages, Timestamps) {
  EXPECT_EQ(iso8601_ms(1335920046655), "2012-05-02T00:54:06.655Z");
  EXPECT_EQ(rfc5322_date(1335920046655), "Wed, 02 May 2012 00:54:06 +0000");
}

TEST(Messages, CanonicalStringsInSnsOrder) {
  EXPECT_EQ(notification_string_to_sign(sample()),
            "Message\nBody\nMessageId\nm-1\nSubject\nSubj\nTimestamp\n2012-05-02T00:54:06.655Z\n"
            "TopicArn\narn:aws:sns:us-east-1:000000000000:t\nType\nNotification\n");
  Notification no_subject = sample();
  no_subject.subject.clear();
  EXPECT_EQ(notification_string_to_sign(no_subject).find("Subject"), std::string::npos);
}

TEST(Messages, HttpEnvelopeAndLambdaEvent) {
  std::string body = notification_json(sample(), "SIG", "http://h/cert.pem", "http://h/unsub");
  auto p = json::parse(body);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value.find("Type")->as_string(), "Notification");
  EXPECT_EQ(p.value.find("SignatureVersion")->as_string(), "1");
  EXPECT_EQ(p.value.find("SigningCertURL")->as_string(), "http://h/cert.pem");
  EXPECT_EQ(p.value.find("UnsubscribeURL")->as_string(), "http://h/unsub");
  EXPECT_EQ(p.value.find("MessageAttributes"), nullptr);  // absent when there are none

  auto e = json::parse(lambda_event_json(sample(), "SIG", "c", "u"));
  ASSERT_TRUE(e.ok());
  const json::Value* record = e.value.find("Records")->at(0);
  EXPECT_EQ(record->find("EventSource")->as_string(), "aws:sns");
  EXPECT_EQ(record->find("EventSubscriptionArn")->as_string(), sample().subscription_arn);
  const json::Value* sns = record->find("Sns");
  EXPECT_EQ(sns->find("SigningCertUrl")->as_string(), "c");
  EXPECT_EQ(sns->find("UnsubscribeUrl")->as_string(), "u");
  EXPECT_TRUE(sns->find("MessageAttributes")->is_object());
}

TEST(Messages, MailTexts) {
  MailText confirm = confirmation_mail("arn:t", "http://h/sns/confirm?x");
  EXPECT_EQ(confirm.subject, "AWS Notification - Subscription Confirmation");
  EXPECT_TRUE(
      confirm.body.starts_with("You have chosen to subscribe to the topic: \narn:t\n\n"
                               "To confirm this subscription, click or visit the link "
                               "below (If this was in error no action is necessary): \n"
                               "http://h/sns/confirm?x\n"));
  Notification n = sample();
  n.subject.clear();
  MailText note = notification_mail(n, "http://h/u");
  EXPECT_EQ(note.subject, "AWS Notification Message");
  EXPECT_NE(note.body.find("Body\n\n--\nIf you wish to stop receiving notifications from this "
                           "topic, please click or visit the link below to unsubscribe:\n"
                           "http://h/u\n"),
            std::string::npos);
  EXPECT_NE(confirmed_page("<arn>", "u").find("&lt;arn&gt;"), std::string::npos);
}

}  // namespace
}  // namespace signoff::notify
