#include "notify/links.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace signoff::notify {

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string LinkSigner::sign(std::string_view purpose, std::string_view subject) const {
  std::string data(purpose);
  data.push_back('\n');  // purposes hold no newline, so (purpose, subject) pairs never collide
  data.append(subject);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xf]);
  }
  return out;
}

bool LinkSigner::verify(std::string_view purpose, std::string_view subject,
                        std::string_view signature) const {
  std::string expected = sign(purpose, subject);
  if (signature.size() != expected.size()) {
    return false;
  }
  return CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

std::string confirm_url(std::string_view base, std::string_view topic_arn, std::string_view token) {
  return std::string(base) + "/sns/confirm?TopicArn=" + url_encode(topic_arn) +
         "&Token=" + url_encode(token);
}

std::string unsubscribe_url(std::string_view base, std::string_view subscription_arn,
                            const LinkSigner& signer) {
  return std::string(base) + "/sns/unsubscribe?SubscriptionArn=" + url_encode(subscription_arn) +
         "&Signature=" + signer.sign("unsubscribe", subscription_arn);
}

}  // namespace signoff::notify
