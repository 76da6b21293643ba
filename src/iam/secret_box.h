// Secrets at rest: libsodium's crypto_secretbox (XSalsa20-Poly1305) under the master key kept in
// DATA/master.key, never in the database. A sealed value is base64(nonce || ciphertext), with a
// fresh random nonce per value, so the same secret never seals to the same text twice.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iam/identity.h"

namespace signoff::iam {

class SecretBox {
 public:
  explicit SecretBox(const MasterKey& key);
  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  std::string seal(std::string_view plaintext) const;
  // nullopt when the text was not sealed under this key or was altered.
  std::optional<std::string> open(std::string_view sealed) const;

 private:
  MasterKey key_;
};

// A new master key from libsodium's CSPRNG.
MasterKey generate_master_key();

}  // namespace signoff::iam
