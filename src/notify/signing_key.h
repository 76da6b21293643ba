// The key SNS messages are signed with (SignatureVersion 1: SHA1withRSA, base64) and its
// self-signed certificate, served at SigningCertURL so subscribers can verify envelopes as they
// verify AWS's. Created on first start and kept in the store, so signatures survive restarts.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace signoff::notify {

class MessageSigner {
 public:
  // Reads the key from the store's meta, creating it once (concurrent first starts agree on one).
  // Throws std::runtime_error when OpenSSL cannot create or read it.
  static std::unique_ptr<MessageSigner> load_or_create(store::Store& store);
  ~MessageSigner();
  MessageSigner(const MessageSigner&) = delete;
  MessageSigner& operator=(const MessageSigner&) = delete;

  std::string sign_sha1(std::string_view data) const;
  const std::string& certificate_pem() const { return cert_pem_; }

 private:
  MessageSigner() = default;
  struct Key;
  std::unique_ptr<Key> key_;
  std::string cert_pem_;
};

}  // namespace signoff::notify
