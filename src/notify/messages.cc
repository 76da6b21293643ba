#include "notify/messages.h"

#include "notify/time_format.h"

namespace signoff::notify {
namespace {

void canonical_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).push_back('\n');
  out.append(value).push_back('\n');
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string page(std::string_view title, std::string_view body_html) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + std::string(title) +
         "</title></head>\n<body style=\"font-family: sans-serif; margin: 3em;\">\n<h1>" +
         std::string(title) + "</h1>\n" + std::string(body_html) + "\n</body></html>\n";
}

json::Value sns_object(const Notification& n, std::string_view signature,
                       std::string_view signing_cert_url, std::string_view unsubscribe_url,
                       bool lambda_names) {
  std::vector<json::Member> m;
  m.push_back({"Type", json::Value("Notification")});
  m.push_back({"MessageId", json::Value(n.message_id)});
  m.push_back({"TopicArn", json::Value(n.topic_arn)});
  if (!n.subject.empty()) {
    m.push_back({"Subject", json::Value(n.subject)});
  } else if (lambda_names) {
    m.push_back({"Subject", json::Value()});  // Lambda events carry "Subject": null
  }
  m.push_back({"Message", json::Value(n.message)});
  m.push_back({"Timestamp", json::Value(iso8601_ms(n.timestamp_ms))});
  m.push_back({"SignatureVersion", json::Value("1")});
  m.push_back({"Signature", json::Value(signature)});
  // Lambda's event spells these two with "Url", the HTTP envelope with "URL".
  m.push_back({lambda_names ? "SigningCertUrl" : "SigningCertURL", json::Value(signing_cert_url)});
  m.push_back({lambda_names ? "UnsubscribeUrl" : "UnsubscribeURL", json::Value(unsubscribe_url)});
  if (lambda_names || n.message_attributes.size() > 0) {
    m.push_back({"MessageAttributes", n.message_attributes});
  }
  return json::Value::object(std::move(m));
}

}  // namespace

std::string confirmation_message(std::string_view topic_arn) {
  return "You have chosen to subscribe to the topic " + std::string(topic_arn) +
         ".\nTo confirm the subscription, visit the SubscribeURL included in this message.";
}

std::string notification_string_to_sign(const Notification& n) {
  std::string out;
  canonical_field(out, "Message", n.message);
  canonical_field(out, "MessageId", n.message_id);
  if (!n.subject.empty()) {
    canonical_field(out, "Subject", n.subject);
  }
  canonical_field(out, "Timestamp", iso8601_ms(n.timestamp_ms));
  canonical_field(out, "TopicArn", n.topic_arn);
  canonical_field(out, "Type", "Notification");
  return out;
}

std::string confirmation_string_to_sign(const Confirmation& c) {
  std::string out;
  canonical_field(out, "Message", confirmation_message(c.topic_arn));
  canonical_field(out, "MessageId", c.message_id);
  canonical_field(out, "SubscribeURL", c.subscribe_url);
  canonical_field(out, "Timestamp", iso8601_ms(c.timestamp_ms));
  canonical_field(out, "Token", c.token);
  canonical_field(out, "TopicArn", c.topic_arn);
  canonical_field(out, "Type", "SubscriptionConfirmation");
  return out;
}

std::string notification_json(const Notification& n, std::string_view signature,
                              std::string_view signing_cert_url, std::string_view unsubscribe_url) {
  return json::dump(sns_object(n, signature, signing_cert_url, unsubscribe_url, false));
}

std::string confirmation_json(const Confirmation& c, std::string_view signature,
                              std::string_view signing_cert_url) {
  return json::dump(json::Value::object({
      {"Type", json::Value("SubscriptionConfirmation")},
      {"MessageId", json::Value(c.message_id)},
      {"Token", json::Value(c.token)},
      {"TopicArn", json::Value(c.topic_arn)},
      {"Message", json::Value(confirmation_message(c.topic_arn))},
      {"SubscribeURL", json::Value(c.subscribe_url)},
      {"Timestamp", json::Value(iso8601_ms(c.timestamp_ms))},
      {"SignatureVersion", json::Value("1")},
      {"Signature", json::Value(signature)},
      {"SigningCertURL", json::Value(signing_cert_url)},
  }));
}

std::string lambda_event_json(const Notification& n, std::string_view signature,
                              std::string_view signing_cert_url, std::string_view unsubscribe_url) {
  json::Value record = json::Value::object({
      {"EventSource", json::Value("aws:sns")},
      {"EventVersion", json::Value("1.0")},
      {"EventSubscriptionArn", json::Value(n.subscription_arn)},
      {"Sns", sns_object(n, signature, signing_cert_url, unsubscribe_url, true)},
  });
  return json::dump(json::Value::object({{"Records", json::Value::array({record})}}));
}

MailText notification_mail(const Notification& n, std::string_view unsubscribe_url) {
  MailText mail;
  mail.subject = n.subject.empty() ? "AWS Notification Message" : n.subject;
  mail.body = n.message;
  mail.body +=
      "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit "
      "the link below to unsubscribe:\n";
  mail.body.append(unsubscribe_url);
  mail.body +=
      "\n\nPlease do not reply directly to this email. If you have any questions or comments "
      "regarding this email, please contact the administrator of this Signoff server.\n";
  return mail;
}

MailText confirmation_mail(std::string_view topic_arn, std::string_view confirm_url) {
  MailText mail;
  mail.subject = "AWS Notification - Subscription Confirmation";
  mail.body = "You have chosen to subscribe to the topic: \n";
  mail.body.append(topic_arn);
  mail.body +=
      "\n\nTo confirm this subscription, click or visit the link below (If this was in error no "
      "action is necessary): \n";
  mail.body.append(confirm_url);
  mail.body +=
      "\n\nPlease do not reply directly to this email. If you wish to remove yourself from "
      "receiving all future SNS subscription confirmation requests please ask the administrator "
      "of this Signoff server.\n";
  return mail;
}

std::string confirmed_page(std::string_view subscription_arn, std::string_view unsubscribe_url) {
  return page("Subscription confirmed!",
              "<p>You have successfully subscribed.</p>\n<p>Your subscription's id is:<br>" +
                  html_escape(subscription_arn) +
                  "</p>\n<p>If it was not your intention to "
                  "subscribe, <a href=\"" +
                  html_escape(unsubscribe_url) + "\">click here to unsubscribe</a>.</p>");
}

std::string unsubscribed_page(std::string_view subscription_arn, std::string_view endpoint) {
  return page("Subscription removed!",
              "<p>Your subscription to the topic below has been deactivated for " +
                  html_escape(endpoint) + ".</p>\n<p>" + html_escape(subscription_arn) +
                  "</p>\n<p>You will no longer receive notifications from this topic.</p>");
}

std::string link_error_page(std::string_view title, std::string_view detail) {
  return page(html_escape(title), "<p>" + html_escape(detail) + "</p>");
}

}  // namespace signoff::notify
