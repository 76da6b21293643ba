// The links Signoff puts in confirmation and notification messages, served by Signoff itself:
//   {base}/sns/confirm?TopicArn=...&Token=...           (the token is a random secret)
//   {base}/sns/unsubscribe?SubscriptionArn=...&Signature=...
// An unsubscribe link is authenticated by an HMAC-SHA256 of the subscription ARN under a server
// key, so knowing (or guessing) an ARN is not enough to cancel someone's subscription.
#pragma once

#include <string>
#include <string_view>

namespace signoff::notify {

// RFC 3986 unreserved characters stay, everything else is %XX (safe in any query value).
std::string url_encode(std::string_view text);

class LinkSigner {
 public:
  // key: secret bytes (32 random bytes in the server).
  explicit LinkSigner(std::string key) : key_(std::move(key)) {}

  // Lowercase hex HMAC-SHA256 over purpose and subject (so a signature for one kind of link
  // never works for another).
  std::string sign(std::string_view purpose, std::string_view subject) const;
  // Constant-time comparison; false for malformed signatures.
  bool verify(std::string_view purpose, std::string_view subject, std::string_view signature) const;

 private:
  std::string key_;
};

std::string confirm_url(std::string_view base, std::string_view topic_arn, std::string_view token);
std::string unsubscribe_url(std::string_view base, std::string_view subscription_arn,
                            const LinkSigner& signer);

}  // namespace signoff::notify
