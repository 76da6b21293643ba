#include <algorithm>
#include <utility>

#include "sigv4/authorization.h"
#include "sigv4/canonical.h"
#include "sigv4/crypto.h"
#include "sigv4/errors.h"
#include "sigv4/sigv4.h"

namespace signoff::sigv4 {
namespace {

struct SigningHeaders {
  std::optional<std::string_view> authorization;
  std::optional<std::string_view> amz_date;
  std::optional<std::string_view> date;
  std::optional<std::string_view> security_token;
  std::optional<std::string_view> content_sha256;
};

bool name_is(std::string_view name, std::string_view lower) {
  return name.size() == lower.size() && to_lower(name) == lower;
}

SigningHeaders find_headers(const std::vector<Header>& headers) {
  SigningHeaders out;
  // The first occurrence wins: a duplicate cannot displace what a proxy in front checked.
  auto take = [](std::optional<std::string_view>& slot, std::string_view v) {
    if (!slot) {
      slot = v;
    }
  };
  for (const Header& h : headers) {
    if (name_is(h.name, "authorization")) {
      take(out.authorization, h.value);
    } else if (name_is(h.name, "x-amz-date")) {
      take(out.amz_date, h.value);
    } else if (name_is(h.name, "date")) {
      take(out.date, h.value);
    } else if (name_is(h.name, "x-amz-security-token")) {
      take(out.security_token, h.value);
    } else if (name_is(h.name, "x-amz-content-sha256")) {
      take(out.content_sha256, h.value);
    }
  }
  return out;
}

bool is_hex_digest(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::optional<Error> check_time(const Claims& c, int64_t now, int64_t skew) {
  if (c.presigned) {
    if (c.request_time > now + skew) {
      return presign_not_yet_valid();
    }
    if (now > c.request_time + c.expires) {
      return presign_expired();
    }
    return std::nullopt;
  }
  if (c.request_time < now - skew) {
    return signature_expired(c.amz_date, now, skew);
  }
  if (c.request_time > now + skew) {
    return signature_not_yet_current(c.amz_date, now, skew);
  }
  return std::nullopt;
}

std::optional<Error> check_scope(const Claims& c, const Options& o) {
  std::string message;
  if (!o.expected_region.empty() && c.region != o.expected_region) {
    message.append("Credential should be scoped to a valid region, not '")
        .append(c.region)
        .append("'. ");
  }
  if (!o.expected_service.empty() && c.service != o.expected_service) {
    message.append("Credential should be scoped to correct service: '")
        .append(o.expected_service)
        .append("'. ");
  }
  if (message.empty()) {
    return std::nullopt;
  }
  return credential_scope(std::move(message));
}

std::optional<Error> check_token(const Credential& cred, const std::optional<std::string>& token,
                                 int64_t now) {
  if (cred.session_token.has_value() != token.has_value()) {
    return invalid_session_token();
  }
  if (token && !equal_constant_time(*token, *cred.session_token)) {
    return invalid_session_token();
  }
  if (cred.expires_at && now >= *cred.expires_at) {
    return expired_session_token();
  }
  return std::nullopt;
}

// The payload line of the canonical request, or the mismatch between header and body.
std::variant<std::string, Error> payload_hash(const Request& r, const SigningHeaders& h,
                                              const Claims& c, const Options& o) {
  std::string body_hash = r.body_sha256 ? to_lower(*r.body_sha256) : sha256_hex(r.body);
  if (h.content_sha256) {
    const std::string declared = trim_all(*h.content_sha256);
    if (declared == "UNSIGNED-PAYLOAD" && o.allow_unsigned_payload) {
      return declared;
    }
    if (is_hex_digest(declared)) {
      if (to_lower(declared) != body_hash) {
        return payload_hash_mismatch();
      }
      return declared;
    }
    // Streaming and unsigned payloads are not accepted here: signing over the body's real hash
    // makes such requests fail as signature mismatches.
    return body_hash;
  }
  if (c.presigned && o.s3_paths) {
    return std::string("UNSIGNED-PAYLOAD");
  }
  return body_hash;
}

SigningKey signing_key(const Claims& c, const Credential& cred, KeyCache* cache) {
  if (cache) {
    if (std::optional<SigningKey> k = cache->find(c.access_key_id, c.scope)) {
      return *k;
    }
  }
  SigningKey k = derive_signing_key(cred.secret_access_key, c.scope_date, c.region, c.service);
  if (cache) {
    cache->store(c.access_key_id, c.scope, k);
  }
  return k;
}

}  // namespace

Verification verify(const Request& r, int64_t now, const CredentialLookup& lookup,
                    const Options& o) {
  const SigningHeaders h = find_headers(r.headers);
  const std::vector<QueryParam> params = parse_query(r.query);
  const bool presigned = has_presign_parameters(params);
  if (!h.authorization && !presigned) {
    return missing_authentication();
  }
  if (h.authorization && presigned) {
    return incomplete_signature(
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature "
        "query string parameter or the Authorization header should be specified");
  }
  ClaimsOrError parsed = h.authorization ? parse_authorization_header(
                                               *h.authorization, h.amz_date ? h.amz_date : h.date)
                                         : parse_presigned_query(params);
  if (parsed.index() == 1) {
    return std::get<1>(std::move(parsed));
  }
  Claims& c = std::get<0>(parsed);
  if (!c.presigned && h.security_token) {
    c.session_token = std::string(*h.security_token);
  }
  if (auto e = check_scope(c, o)) {
    return *e;
  }
  if (auto e = check_time(c, now, o.max_skew_seconds)) {
    return *e;
  }
  std::optional<Credential> cred = lookup ? lookup(c.access_key_id) : std::nullopt;
  if (!cred) {
    return unknown_access_key();
  }
  if (auto e = check_token(*cred, c.session_token, now)) {
    return *e;
  }
  std::variant<std::string, Error> payload = payload_hash(r, h, c, o);
  if (payload.index() == 1) {
    return std::get<1>(std::move(payload));
  }
  std::string cr = canonical_request(r.method, canonical_uri(r.path, o.s3_paths),
                                     canonical_query(params, c.presigned ? "X-Amz-Signature" : ""),
                                     canonical_headers(r.headers, c.signed_headers),
                                     join_signed_headers(c.signed_headers), std::get<0>(payload));
  std::string sts = string_to_sign(c.amz_date, c.scope, cr);
  const std::string expected = signature_hex(signing_key(c, *cred, o.key_cache), sts);
  if (!equal_constant_time(expected, c.signature)) {
    return signature_mismatch(std::move(cr), std::move(sts));
  }
  Verified v;
  v.access_key_id = std::move(c.access_key_id);
  v.date = std::move(c.scope_date);
  v.region = std::move(c.region);
  v.service = std::move(c.service);
  v.signed_headers = std::move(c.signed_headers);
  v.session_token = std::move(c.session_token);
  v.request_time = c.request_time;
  v.presigned = c.presigned;
  if (c.presigned) {
    v.expires_at = c.request_time + c.expires;
  }
  return v;
}

}  // namespace signoff::sigv4
