// What subscribers receive, worded and shaped as SNS words and shapes it: the JSON envelopes of
// HTTP(S) and email-json deliveries, the Lambda event, the texts of confirmation and notification
// mails, and the canonical strings SNS signs (SignatureVersion 1: SHA1withRSA over them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"

namespace signoff::notify {

struct Notification {
  std::string message_id;
  std::string topic_arn;
  std::string subscription_arn;
  std::string subject;  // "" when the publisher gave none
  std::string message;  // already chosen for the subscriber's protocol
  int64_t timestamp_ms = 0;
  // {"name": {"Type": "String", "Value": "v"}, ...} as the envelopes carry them.
  json::Value message_attributes = json::Value::object();
};

struct Confirmation {
  std::string message_id;
  std::string topic_arn;
  std::string token;
  std::string subscribe_url;
  int64_t timestamp_ms = 0;
};

// The text SNS puts in Message of a SubscriptionConfirmation.
std::string confirmation_message(std::string_view topic_arn);

std::string notification_string_to_sign(const Notification& n);
std::string confirmation_string_to_sign(const Confirmation& c);

// HTTP(S) bodies (also the email-json mail body).
std::string notification_json(const Notification& n, std::string_view signature,
                              std::string_view signing_cert_url, std::string_view unsubscribe_url);
std::string confirmation_json(const Confirmation& c, std::string_view signature,
                              std::string_view signing_cert_url);

// {"Records":[{"EventSource":"aws:sns",...,"Sns":{...}}]}
std::string lambda_event_json(const Notification& n, std::string_view signature,
                              std::string_view signing_cert_url, std::string_view unsubscribe_url);

struct MailText {
  std::string subject;
  std::string body;
};

MailText notification_mail(const Notification& n, std::string_view unsubscribe_url);
MailText confirmation_mail(std::string_view topic_arn, std::string_view confirm_url);

// The HTML pages the confirm and unsubscribe links answer with.
std::string confirmed_page(std::string_view subscription_arn, std::string_view unsubscribe_url);
std::string unsubscribed_page(std::string_view subscription_arn, std::string_view endpoint);
std::string link_error_page(std::string_view title, std::string_view detail);

}  // namespace signoff::notify
