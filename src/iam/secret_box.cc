#include "iam/secret_box.h"

#include <stdexcept>
#include <vector>

#include <sodium.h>

namespace signoff::iam {
namespace {

void ensure_sodium() {
  // sodium_init is idempotent and thread-safe; it fails only when no entropy source exists.
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not be initialized");
  }
}

}  // namespace

SecretBox::SecretBox(const MasterKey& key) : key_(key) {
  ensure_sodium();
}

SecretBox::~SecretBox() {
  sodium_memzero(key_.data(), key_.size());
}

std::string SecretBox::seal(std::string_view plaintext) const {
  std::vector<unsigned char> buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plaintext.size());
  unsigned char* nonce = buf.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, key_.data());
  std::string out(sodium_base64_ENCODED_LEN(buf.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> SecretBox::open(std::string_view sealed) const {
  std::vector<unsigned char> buf(sealed.size());
  size_t len = 0;
  if (sodium_base642bin(buf.data(), buf.size(), sealed.data(), sealed.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 buf.data() + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, buf.data(), key_.data()) != 0) {
    return std::nullopt;
  }
  return plain;
}

MasterKey generate_master_key() {
  ensure_sodium();
  MasterKey key;
  crypto_secretbox_keygen(key.data());
  return key;
}

}  // namespace signoff::iam
