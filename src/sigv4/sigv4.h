// AWS Signature Version 4 verification.
//
// The edge hands over the request as it arrived (raw path and query, headers, body or its hash),
// the current time and a way to find an access key's secret; verify() answers who signed it or
// an Error carrying the texts AWS answers with. Nothing here reads a clock, a file or the
// environment, so every outcome is reproducible from its inputs.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace signoff::sigv4 {

struct Header {
  std::string_view name;
  std::string_view value;
};

// Views into the caller's buffers; they must outlive the verify() call.
struct Request {
  std::string_view method;
  std::string_view path;   // as on the request line, percent-encoded, without the query
  std::string_view query;  // as on the request line, without the '?'
  std::vector<Header> headers;
  std::string_view body;
  // Lowercase hex SHA-256 of the body when the caller hashed it while reading (body is ignored).
  std::optional<std::string> body_sha256;
};

// What the caller knows about an access key id.
struct Credential {
  std::string secret_access_key;
  // Temporary credentials: the token that must accompany the key; long-term keys have none.
  std::optional<std::string> session_token;
  // Temporary credentials: epoch seconds from which the token is refused as expired.
  std::optional<int64_t> expires_at;
};

// nullopt: the key id is unknown.
using CredentialLookup = std::function<std::optional<Credential>(std::string_view access_key_id)>;

using SigningKey = std::array<unsigned char, 32>;

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
// It only changes daily per key, region and service, so callers may cache it (see KeyCache).
SigningKey derive_signing_key(std::string_view secret_access_key, std::string_view date,
                              std::string_view region, std::string_view service);

// Optional caller-owned cache of derived keys, keyed by access key id and "date/region/service".
class KeyCache {
 public:
  virtual ~KeyCache() = default;
  virtual std::optional<SigningKey> find(std::string_view access_key_id,
                                         std::string_view scope) const = 0;
  virtual void store(std::string_view access_key_id, std::string_view scope,
                     const SigningKey& key) = 0;
};

struct Options {
  // When set, a credential scoped to another service or region is refused as AWS does.
  std::string_view expected_service;
  std::string_view expected_region;
  // S3 signs the path exactly as sent (encoded once, not normalized) and presigned URLs with
  // UNSIGNED-PAYLOAD; every other service double-encodes a normalized path.
  bool s3_paths = false;
  // Whether "x-amz-content-sha256: UNSIGNED-PAYLOAD" stands for the payload hash (S3 allows it;
  // none of the JSON or query services Signoff serves do).
  bool allow_unsigned_payload = false;
  // How far x-amz-date may be from now (AWS: 15 minutes).
  int64_t max_skew_seconds = 900;
  KeyCache* key_cache = nullptr;
};

enum class ErrorKind {
  MissingAuthentication,   // neither an Authorization header nor presigned query parameters
  IncompleteSignature,     // malformed Authorization header, presign parameters or date
  SignatureMismatch,       // the signature is not the one the secret gives
  SignatureExpired,        // x-amz-date older than now minus the allowed skew
  SignatureNotYetCurrent,  // x-amz-date later than now plus the allowed skew
  RequestExpired,          // presigned URL used after X-Amz-Date + X-Amz-Expires
  InvalidCredentialScope,  // scope date, region or service does not fit the request
  UnknownAccessKey,
  InvalidSessionToken,  // missing, wrong or unexpected session token
  ExpiredSessionToken,
  PayloadHashMismatch,  // x-amz-content-sha256 is not the body's hash
};

// The same failure worded for both protocol families: JSON services (awsJson, restJson:
// "__type"/"message") and query services (IAM, STS, SNS, CloudFormation: <Code>/<Message>).
struct Error {
  ErrorKind kind;
  std::string json_code;
  std::string json_message;
  std::string query_code;
  std::string query_message;
  int http_status;
  // For SignatureMismatch: what Signoff signed, for the server log (never sent to clients).
  std::string canonical_request;
  std::string string_to_sign;
};

struct Verified {
  std::string access_key_id;
  std::string date;  // YYYYMMDD from the credential scope
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // lowercase, sorted
  std::optional<std::string> session_token;
  int64_t request_time = 0;  // x-amz-date, epoch seconds
  bool presigned = false;
  std::optional<int64_t> expires_at;  // presigned: X-Amz-Date + X-Amz-Expires
};

class Verification {
 public:
  Verification(Verified v) : v_(std::move(v)) {}  // NOLINT(google-explicit-constructor)
  Verification(Error e) : v_(std::move(e)) {}     // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  const Verified& value() const { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<Verified, Error> v_;
};

// now: epoch seconds.
Verification verify(const Request& request, int64_t now, const CredentialLookup& lookup,
                    const Options& options = {});

// Signing, for outbound calls and for tests that need variants of a signed request.
struct SigningParams {
  std::string_view access_key_id;
  std::string_view secret_access_key;
  std::string_view region;
  std::string_view service;
  std::string_view amz_date;                     // YYYYMMDDTHHMMSSZ, also sent as x-amz-date
  std::vector<std::string_view> signed_headers;  // names present in the request
  bool s3_paths = false;
};

// The Authorization header value for request as it stands.
std::string authorization_header(const Request& request, const SigningParams& params);

}  // namespace signoff::sigv4
