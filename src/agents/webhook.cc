#include "agents/webhook.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace signoff::agents {

std::string webhook_signature(std::string_view secret, int64_t timestamp_s, std::string_view body) {
  std::string message = std::to_string(timestamp_s) + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

}  // namespace signoff::agents
