#include <algorithm>

#include "sigv4/canonical.h"
#include "sigv4/crypto.h"
#include "sigv4/sigv4.h"

namespace signoff::sigv4 {

std::string authorization_header(const Request& r, const SigningParams& p) {
  std::vector<std::string> names;
  for (std::string_view n : p.signed_headers) {
    names.push_back(to_lower(n));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string payload = r.body_sha256 ? *r.body_sha256 : sha256_hex(r.body);
  for (const Header& h : r.headers) {
    if (to_lower(h.name) == "x-amz-content-sha256") {
      payload = trim_all(h.value);
      break;
    }
  }
  const std::string date(p.amz_date.substr(0, 8));
  std::string scope = date;
  scope.append("/").append(p.region).append("/").append(p.service).append("/aws4_request");
  const std::string signed_line = join_signed_headers(names);
  const std::string cr = canonical_request(
      r.method, canonical_uri(r.path, p.s3_paths), canonical_query(parse_query(r.query)),
      canonical_headers(r.headers, names), signed_line, payload);
  const SigningKey key = derive_signing_key(p.secret_access_key, date, p.region, p.service);
  std::string out = "AWS4-HMAC-SHA256 Credential=";
  out.append(p.access_key_id).append("/").append(scope);
  out.append(", SignedHeaders=").append(signed_line);
  out.append(", Signature=").append(signature_hex(key, string_to_sign(p.amz_date, scope, cr)));
  return out;
}

}  // namespace signoff::sigv4
