#include <map>
#include <string>

#include <gtest/gtest.h>

#include "sigv4/amz_date.h"
#include "sigv4/crypto.h"
#include "sigv4/sigv4.h"

namespace signoff::sigv4 {
namespace {

constexpr std::string_view kDocSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

CredentialLookup only(std::string_view key_id, Credential cred) {
  return [key_id = std::string(key_id),
          cred = std::move(cred)](std::string_view id) -> std::optional<Credential> {
    if (id == key_id) {
      return cred;
    }
    return std::nullopt;
  };
}

// The worked example of AWS's SigV4 documentation ("Examples of the complete Signature Version 4
// signing process": IAM ListUsers, 20150830T123600Z).
TEST(AwsDocumentation, IamListUsersExample) {
  Request r;
  r.method = "GET";
  r.path = "/";
  r.query = "Action=ListUsers&Version=2010-05-08";
  r.headers = {{"Host", "iam.amazonaws.com"},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"X-Amz-Date", "20150830T123600Z"},
               {"Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                "SignedHeaders=content-type;host;x-amz-date, "
                "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"}};
  const int64_t now = *parse_amz_date("20150830T123600Z");
  Verification v = verify(r, now, only("AKIDEXAMPLE", {std::string(kDocSecret), {}, {}}));
  ASSERT_TRUE(v.ok()) << v.error().json_message << "\n" << v.error().canonical_request;
  EXPECT_EQ(v.value().access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(v.value().region, "us-east-1");
  EXPECT_EQ(v.value().service, "iam");
  EXPECT_EQ(v.value().date, "20150830");
  EXPECT_EQ(v.value().signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-date"}));

  // The same document gives the derived key and the hash of the canonical request.
  SigningKey k = derive_signing_key(kDocSecret, "20150830", "us-east-1", "iam");
  EXPECT_EQ(to_hex(k), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  r.headers[3].value =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date, Signature=00";
  Verification bad = verify(r, now, only("AKIDEXAMPLE", {std::string(kDocSecret), {}, {}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
}

// get-vanilla from AWS's SigV4 test suite (service "service", host example.amazonaws.com).
TEST(AwsDocumentation, TestSuiteGetVanilla) {
  Request r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"Host", "example.amazonaws.com"},
               {"X-Amz-Date", "20150830T123600Z"},
               {"Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                "SignedHeaders=host;x-amz-date, "
                "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}};
  Verification v = verify(r, *parse_amz_date("20150830T123600Z"),
                          only("AKIDEXAMPLE", {std::string(kDocSecret), {}, {}}));
  EXPECT_TRUE(v.ok()) << v.error().json_message;
}

// A JSON 1.0 request built here and signed with authorization_header().
struct Fixture {
  std::string date = "20261201T002500Z";
  std::string body =
      R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:x"})";
  std::string auth;
  Request r;
  int64_t now = *parse_amz_date("20261201T002500Z");
  CredentialLookup lookup = only("AKIDEXAMPLE", {std::string(kDocSecret), {}, {}});

  explicit Fixture(std::vector<Header> extra = {}) {
    r.method = "POST";
    r.path = "/";
    r.body = body;
    r.headers = {{"Host", "127.0.0.1:8731"},
                 {"X-Amz-Target", "AWSStepFunctions.StartExecution"},
                 {"Content-Type", "application/x-amz-json-1.0"},
                 {"X-Amz-Date", date}};
    std::vector<std::string_view> names = {"host", "x-amz-target", "content-type", "x-amz-date"};
    for (const Header& h : extra) {
      r.headers.push_back(h);
      names.push_back(h.name);
    }
    SigningParams p{"AKIDEXAMPLE", kDocSecret, "us-east-1", "states", date, names, false};
    auth = authorization_header(r, p);
    r.headers.push_back({"Authorization", auth});
  }
  void set_auth(std::string value) {
    auth = std::move(value);
    r.headers.back().value = auth;
  }
};

TEST(Verify, AcceptsWhatItSigns) {
  Fixture f;
  Verification v = verify(f.r, f.now, f.lookup);
  ASSERT_TRUE(v.ok()) << v.error().json_message;
  EXPECT_FALSE(v.value().session_token);
  EXPECT_EQ(v.value().request_time, f.now);
}

TEST(Verify, MissingAuthentication) {
  Fixture f;
  f.r.headers.pop_back();
  Verification v = verify(f.r, f.now, f.lookup);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::MissingAuthentication);
  EXPECT_EQ(v.error().json_code, "MissingAuthenticationTokenException");
  EXPECT_EQ(v.error().json_message, "Missing Authentication Token");
  EXPECT_EQ(v.error().query_code, "MissingAuthenticationToken");
  EXPECT_EQ(v.error().query_message, "Request is missing Authentication Token");
  EXPECT_EQ(v.error().http_status, 403);
}

TEST(Verify, IncompleteAuthorizationHeader) {
  Fixture f;
  f.set_auth("Basic ZWxhc3RpYzpwYXNz==");
  Verification v = verify(f.r, f.now, f.lookup);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::IncompleteSignature);
  EXPECT_EQ(v.error().json_code, "IncompleteSignatureException");
  EXPECT_EQ(v.error().query_code, "IncompleteSignature");
  EXPECT_EQ(v.error().json_message,
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            "Authorization=Basic ZWxhc3RpYzpwYXNz==");

  f.r.headers.erase(f.r.headers.begin() + 3);  // x-amz-date
  f.set_auth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/states/aws4_request");
  v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().json_message,
            "Authorization header requires 'Signature' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization header requires existence of either a "
            "'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 "
            "Credential=AKIDEXAMPLE/20261201/us-east-1/states/aws4_request");
}

TEST(Verify, MissingEqualSign) {
  Fixture f;
  const std::string header =
      "AWS4-HMAC-SHA256 Credential= AKIDEXAMPLE/20261201/us-east-1/states/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc";
  f.set_auth(header);
  Verification v = verify(f.r, f.now, f.lookup);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().json_message,
            "'AKIDEXAMPLE/20261201/us-east-1/states/aws4_request' not a valid key=value pair "
            "(missing equal-sign) in Authorization header: '" +
                header + "'.");
}

TEST(Verify, CredentialShapeAndScope) {
  Fixture f;
  f.set_auth(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  Verification v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::IncompleteSignature);
  EXPECT_EQ(v.error().json_message,
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got 'AKIDEXAMPLE/20261201/us-east-1'");

  f.set_auth(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/states/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::InvalidCredentialScope);
  EXPECT_EQ(v.error().query_code, "SignatureDoesNotMatch");
  EXPECT_EQ(v.error().json_message,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
            "HTTP: '20261130' != '20261201', from '20261201T002500Z'.");

  Fixture g;
  Options o;
  o.expected_region = "eu-west-1";
  o.expected_service = "sns";
  v = verify(g.r, g.now, g.lookup, o);
  EXPECT_EQ(v.error().kind, ErrorKind::InvalidCredentialScope);
  EXPECT_EQ(v.error().json_code, "InvalidSignatureException");
  EXPECT_EQ(v.error().json_message,
            "Credential should be scoped to a valid region, not 'us-east-1'. Credential should be "
            "scoped to correct service: 'sns'. ");
}

TEST(Verify, HostMustBeSigned) {
  Fixture f;
  f.set_auth(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/states/aws4_request, "
      "SignedHeaders=x-amz-date, Signature=abc");
  Verification v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().json_message,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST(Verify, DateMustBeBasicIso8601) {
  Fixture f;
  f.r.headers[3] = {"Date", "Sun, 23 Nov 2014 04:07:43 GMT"};
  Verification v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::IncompleteSignature);
  EXPECT_EQ(v.error().json_message,
            "Date must be in ISO-8601 'basic format'. Got 'Sun, 23 Nov 2014 04:07:43 GMT'. See "
            "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(Verify, ClockSkewBothWays) {
  Fixture f;
  Verification v = verify(f.r, f.now + 15 * 60, f.lookup);
  EXPECT_TRUE(v.ok());
  v = verify(f.r, f.now + 15 * 60 + 1, f.lookup);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::SignatureExpired);

  // The example of the brief: signed at 00:00, received at 00:25.
  Fixture g;
  const std::string signed_at = "20261201T000000Z";
  g.r.headers[3].value = signed_at;
  SigningParams p{"AKIDEXAMPLE",          kDocSecret, "us-east-1", "states", signed_at,
                  {"host", "x-amz-date"}, false};
  g.set_auth(authorization_header(g.r, p));
  v = verify(g.r, *parse_amz_date("20261201T002500Z"), g.lookup);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().json_code, "InvalidSignatureException");
  EXPECT_EQ(v.error().query_code, "SignatureDoesNotMatch");
  EXPECT_EQ(v.error().json_message,
            "Signature expired: 20261201T000000Z is now earlier than 20261201T001000Z "
            "(20261201T002500Z - 15 min.)");

  v = verify(f.r, f.now - 16 * 60, f.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::SignatureNotYetCurrent);
  EXPECT_EQ(v.error().json_message,
            "Signature not yet current: 20261201T002500Z is still later than 20261201T002400Z "
            "(20261201T000900Z + 15 min.)");
}

TEST(Verify, UnknownKeyWrongSecretFlippedSignature) {
  Fixture f;
  Verification v = verify(f.r, f.now, only("AKIDOTHER", {std::string(kDocSecret), {}, {}}));
  EXPECT_EQ(v.error().kind, ErrorKind::UnknownAccessKey);
  EXPECT_EQ(v.error().json_code, "UnrecognizedClientException");
  EXPECT_EQ(v.error().query_code, "InvalidClientTokenId");
  EXPECT_EQ(v.error().json_message, "The security token included in the request is invalid.");

  v = verify(f.r, f.now, only("AKIDEXAMPLE", {"not-the-secret", {}, {}}));
  EXPECT_EQ(v.error().kind, ErrorKind::SignatureMismatch);
  EXPECT_EQ(v.error().json_message,
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.");

  std::string flipped = f.auth;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  f.set_auth(flipped);
  v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::SignatureMismatch);
}

TEST(Verify, BodyIsSigned) {
  Fixture f;
  std::string tampered = f.body + " ";
  f.r.body = tampered;
  EXPECT_EQ(verify(f.r, f.now, f.lookup).error().kind, ErrorKind::SignatureMismatch);
  // A caller that hashed the body while reading it passes the hash instead.
  Fixture g;
  g.r.body_sha256 = sha256_hex(g.body);
  g.r.body = {};
  EXPECT_TRUE(verify(g.r, g.now, g.lookup).ok());
}

TEST(Verify, ContentSha256Header) {
  const std::string good =
      sha256_hex(R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:x"})");
  Fixture f(std::vector<Header>{{"x-amz-content-sha256", good}});
  EXPECT_TRUE(verify(f.r, f.now, f.lookup).ok());

  const std::string other = sha256_hex("other");
  Fixture g(std::vector<Header>{{"x-amz-content-sha256", other}});
  Verification v = verify(g.r, g.now, g.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::PayloadHashMismatch);
  EXPECT_EQ(v.error().json_code, "XAmzContentSHA256Mismatch");

  Fixture u(std::vector<Header>{{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}});
  EXPECT_EQ(verify(u.r, u.now, u.lookup).error().kind, ErrorKind::SignatureMismatch);
  Options o;
  o.allow_unsigned_payload = true;
  EXPECT_TRUE(verify(u.r, u.now, u.lookup, o).ok());
}

TEST(Verify, SessionTokens) {
  Fixture f(std::vector<Header>{{"X-Amz-Security-Token", "tok"}});
  CredentialLookup temp = only("AKIDEXAMPLE", {std::string(kDocSecret), "tok", f.now + 60});
  Verification v = verify(f.r, f.now, temp);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().session_token, "tok");

  v = verify(f.r, f.now, only("AKIDEXAMPLE", {std::string(kDocSecret), "other", {}}));
  EXPECT_EQ(v.error().kind, ErrorKind::InvalidSessionToken);
  // A long-term key presented with a token is as wrong as a temporary key without one.
  v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::InvalidSessionToken);

  v = verify(f.r, f.now + 60, temp);
  EXPECT_EQ(v.error().kind, ErrorKind::ExpiredSessionToken);
  EXPECT_EQ(v.error().json_code, "ExpiredTokenException");
  EXPECT_EQ(v.error().query_code, "ExpiredToken");
  EXPECT_EQ(v.error().json_message, "The security token included in the request is expired");

  Fixture g;
  EXPECT_EQ(verify(g.r, g.now, temp).error().kind, ErrorKind::InvalidSessionToken);
}

TEST(Verify, BothMechanismsAtOnce) {
  Fixture f;
  f.r.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
  Verification v = verify(f.r, f.now, f.lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::IncompleteSignature);
}

TEST(Verify, PresignedParameterChecks) {
  Request r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"Host", "127.0.0.1:8731"}};
  const int64_t now = *parse_amz_date("20261201T000000Z");
  CredentialLookup lookup = only("AKIDEXAMPLE", {std::string(kDocSecret), {}, {}});
  r.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261201";
  EXPECT_EQ(verify(r, now, lookup).error().json_message,
            "Query-string authentication version 4 requires the X-Amz-Algorithm, "
            "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
            "X-Amz-Expires parameters.");
  const std::string base =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Fus-east-1%2F"
      "sts%2Faws4_request&X-Amz-Date=20261201T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature="
      "00&X-Amz-Expires=";
  std::string q = base + "604801";
  r.query = q;
  EXPECT_EQ(verify(r, now, lookup).error().json_message,
            "X-Amz-Expires must be less than a week (in seconds); that is, the given "
            "X-Amz-Expires must be less than 604800 seconds");
  q = base + "soon";
  r.query = q;
  EXPECT_EQ(verify(r, now, lookup).error().json_message, "X-Amz-Expires should be a number");
  q = base + "-5";
  r.query = q;
  EXPECT_EQ(verify(r, now, lookup).error().json_message, "X-Amz-Expires must be non-negative");
  q = base + "60";
  r.query = q;
  Verification v = verify(r, now + 61, lookup);
  EXPECT_EQ(v.error().kind, ErrorKind::RequestExpired);
  EXPECT_EQ(v.error().json_code, "RequestExpired");
  EXPECT_EQ(verify(r, now + 60, lookup).error().kind, ErrorKind::SignatureMismatch);
  EXPECT_EQ(verify(r, now - 16 * 60, lookup).error().kind, ErrorKind::SignatureNotYetCurrent);
}

class CountingCache : public KeyCache {
 public:
  std::optional<SigningKey> find(std::string_view id, std::string_view scope) const override {
    ++finds;
    auto it = keys.find(std::string(id) + "|" + std::string(scope));
    if (it == keys.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  void store(std::string_view id, std::string_view scope, const SigningKey& key) override {
    keys[std::string(id) + "|" + std::string(scope)] = key;
  }
  mutable int finds = 0;
  std::map<std::string, SigningKey> keys;
};

TEST(Verify, UsesTheCallersKeyCache) {
  Fixture f;
  CountingCache cache;
  Options o;
  o.key_cache = &cache;
  EXPECT_TRUE(verify(f.r, f.now, f.lookup, o).ok());
  ASSERT_EQ(cache.keys.size(), 1u);
  EXPECT_EQ(cache.keys.begin()->first, "AKIDEXAMPLE|20261201/us-east-1/states/aws4_request");
  EXPECT_TRUE(verify(f.r, f.now, f.lookup, o).ok());
  EXPECT_EQ(cache.finds, 2);
}

}  // namespace
}  // namespace signoff::sigv4
