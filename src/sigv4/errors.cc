// Texts and codes, and where they were observed:
// - "The request signature we calculated does not match ..." with InvalidSignatureException
//   (JSON) / SignatureDoesNotMatch (query): boto/boto3#756 (STS response body), aws-sdk-js-v3#5811.
// - "Signature expired: A is now earlier than B (C - 15 min.)": aws/aws-sdk-js#254 (JSON,
//   InvalidSignatureException), aws/aws-sdk-js#265 and devsecops/bootcamp#101 (query, SNS/STS,
//   SignatureDoesNotMatch).
// - "Signature not yet current: A is still later than B (C + 5 min.)": serverless/enterprise#11.
// - "The security token included in the request is invalid." UnrecognizedClientException /
//   InvalidClientTokenId: aws-azure-login#37, evanshortiss/sns-mobile#14.
// - "Missing Authentication Token" (MissingAuthenticationTokenException): common-voice#1599;
//   "Request is missing Authentication Token" (MissingAuthenticationToken, STS):
//   amzn/selling-partner-api-docs#3081.
// - ExpiredToken(Exception) "The security token included in the request is expired", RequestExpired
//   (presigned URLs past their expiry), statuses: AWS API references, "Common Errors" pages.
// - "Request has expired" (presigned URL past X-Amz-Expires) and "Request is not valid yet": S3's
//   wording for the same conditions; no non-S3 response text was found.
// - XAmzContentSHA256Mismatch: S3's code and text for a body that does not match the header.
#include "sigv4/errors.h"

#include <utility>

#include "sigv4/amz_date.h"

namespace signoff::sigv4 {
namespace {

constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kInvalidToken = "The security token included in the request is invalid.";

Error make(ErrorKind kind, std::string_view json_code, std::string_view query_code,
           std::string message, int status) {
  Error e;
  e.kind = kind;
  e.json_code = json_code;
  e.query_code = query_code;
  e.json_message = message;
  e.query_message = std::move(message);
  e.http_status = status;
  return e;
}

Error mismatch_family(ErrorKind kind, std::string message) {
  return make(kind, "InvalidSignatureException", "SignatureDoesNotMatch", std::move(message), 403);
}

std::string minutes(int64_t skew) {
  // AWS prints the window in minutes ("15 min."); a window that is not whole minutes is
  // printed in seconds so the text never lies about it.
  return skew % 60 == 0 ? std::to_string(skew / 60) + " min." : std::to_string(skew) + " sec.";
}

}  // namespace

Error missing_authentication() {
  Error e = make(ErrorKind::MissingAuthentication, "MissingAuthenticationTokenException",
                 "MissingAuthenticationToken", "Missing Authentication Token", 403);
  e.query_message = "Request is missing Authentication Token";
  return e;
}

Error incomplete_signature(std::string message) {
  return make(ErrorKind::IncompleteSignature, "IncompleteSignatureException", "IncompleteSignature",
              std::move(message), 400);
}

Error signature_mismatch(std::string canonical_request, std::string string_to_sign) {
  Error e = mismatch_family(ErrorKind::SignatureMismatch, std::string(kMismatch));
  e.canonical_request = std::move(canonical_request);
  e.string_to_sign = std::move(string_to_sign);
  return e;
}

Error signature_expired(std::string_view amz_date, int64_t now, int64_t skew) {
  std::string m = "Signature expired: ";
  m.append(amz_date).append(" is now earlier than ").append(format_amz_date(now - skew));
  m.append(" (").append(format_amz_date(now)).append(" - ").append(minutes(skew)).append(")");
  return mismatch_family(ErrorKind::SignatureExpired, std::move(m));
}

Error signature_not_yet_current(std::string_view amz_date, int64_t now, int64_t skew) {
  std::string m = "Signature not yet current: ";
  m.append(amz_date).append(" is still later than ").append(format_amz_date(now + skew));
  m.append(" (").append(format_amz_date(now)).append(" + ").append(minutes(skew)).append(")");
  return mismatch_family(ErrorKind::SignatureNotYetCurrent, std::move(m));
}

Error presign_expired() {
  return make(ErrorKind::RequestExpired, "RequestExpired", "RequestExpired", "Request has expired",
              400);
}

Error presign_not_yet_valid() {
  return make(ErrorKind::SignatureNotYetCurrent, "RequestExpired", "RequestExpired",
              "Request is not valid yet", 400);
}

Error credential_scope(std::string message) {
  return mismatch_family(ErrorKind::InvalidCredentialScope, std::move(message));
}

Error unknown_access_key() {
  return make(ErrorKind::UnknownAccessKey, "UnrecognizedClientException", "InvalidClientTokenId",
              std::string(kInvalidToken), 403);
}

Error invalid_session_token() {
  return make(ErrorKind::InvalidSessionToken, "UnrecognizedClientException", "InvalidClientTokenId",
              std::string(kInvalidToken), 403);
}

Error expired_session_token() {
  return make(ErrorKind::ExpiredSessionToken, "ExpiredTokenException", "ExpiredToken",
              "The security token included in the request is expired", 403);
}

Error payload_hash_mismatch() {
  return make(ErrorKind::PayloadHashMismatch, "XAmzContentSHA256Mismatch",
              "XAmzContentSHA256Mismatch",
              "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
}

}  // namespace signoff::sigv4
