#include "notify/signing_key.h"

#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace signoff::notify {
namespace {

constexpr std::string_view kMetaKey = "sns.signing_key";
constexpr std::string_view kSeparator = "\n--signoff-cert--\n";

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

// A fresh RSA-2048 key and a ten-year self-signed certificate for it, both PEM.
std::string create_key_and_cert() {
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  if (pkey == nullptr) {
    throw std::runtime_error("cannot create the SNS signing key");
  }
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert, pkey);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sns.signoff.local"), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, pkey, EVP_sha256());
  BIO* key_bio = BIO_new(BIO_s_mem());
  BIO* cert_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(key_bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_X509(cert_bio, cert);
  std::string out = bio_string(key_bio) + std::string(kSeparator) + bio_string(cert_bio);
  BIO_free(key_bio);
  BIO_free(cert_bio);
  X509_free(cert);
  EVP_PKEY_free(pkey);
  return out;
}

}  // namespace

struct MessageSigner::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

MessageSigner::~MessageSigner() = default;

std::unique_ptr<MessageSigner> MessageSigner::load_or_create(store::Store& store) {
  std::optional<std::string> stored = store.get_meta(kMetaKey);
  std::string text = stored ? *stored : store.put_meta_if_absent(kMetaKey, create_key_and_cert());
  size_t sep = text.find(kSeparator);
  if (sep == std::string::npos) {
    throw std::runtime_error("the stored SNS signing key is malformed");
  }
  std::string key_pem = text.substr(0, sep);
  BIO* bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) {
    throw std::runtime_error("the stored SNS signing key cannot be read");
  }
  std::unique_ptr<MessageSigner> signer(new MessageSigner());
  signer->key_ = std::make_unique<Key>();
  signer->key_->pkey = pkey;
  signer->cert_pem_ = text.substr(sep + kSeparator.size());
  return signer;
}

std::string MessageSigner::sign_sha1(std::string_view data) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha1(), nullptr, key_->pkey) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) == 1) {
    sig.resize(len);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
      len = 0;
    }
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  std::string out(4 * ((sig.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(sig.data()),
                          static_cast<int>(sig.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace signoff::notify
