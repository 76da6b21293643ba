// Feeds an arbitrary HTTP-ish request to the SigV4 verifier and its canonicalization. The input
// is "METHOD PATH?QUERY\nName: value\n...\n\nbody"; every part may be garbage.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sigv4/amz_date.h"
#include "sigv4/canonical.h"
#include "sigv4/sigv4.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff::sigv4;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t blank = text.find("\n\n");
  std::string_view head = text.substr(0, blank);
  std::string_view body = blank == std::string_view::npos ? "" : text.substr(blank + 2);

  Request r;
  size_t nl = head.find('\n');
  std::string_view line = head.substr(0, nl);
  const size_t sp = line.find(' ');
  r.method = line.substr(0, sp);
  std::string_view target = sp == std::string_view::npos ? "/" : line.substr(sp + 1);
  const size_t q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string_view::npos ? "" : target.substr(q + 1);
  while (nl != std::string_view::npos) {
    const size_t start = nl + 1;
    nl = head.find('\n', start);
    std::string_view h = head.substr(start, nl == std::string_view::npos ? nl : nl - start);
    const size_t colon = h.find(':');
    if (colon != std::string_view::npos) {
      r.headers.push_back({h.substr(0, colon), h.substr(colon + 1)});
    }
  }
  r.body = body;

  (void)canonical_uri(r.path, false);
  (void)canonical_uri(r.path, true);
  (void)canonical_query(parse_query(r.query), "X-Amz-Signature");
  for (const Header& h : r.headers) {
    (void)trim_all(h.value);
    if (auto t = parse_amz_date(h.value)) {
      (void)format_amz_date(*t);
    }
  }

  CredentialLookup lookup = [](std::string_view id) -> std::optional<Credential> {
    if (id.empty() || id[0] == 'U') {
      return std::nullopt;  // some keys are unknown
    }
    if (id[0] == 'A' && id.size() > 1 && id[1] == 'S') {
      return Credential{"secret", "token", 1796083200};
    }
    return Credential{"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}};
  };
  const int64_t now = 1796083200;  // 20261201T000000Z
  Verification v = verify(r, now, lookup);
  Options o;
  o.s3_paths = true;
  o.allow_unsigned_payload = true;
  o.expected_region = "us-east-1";
  o.expected_service = "states";
  v = verify(r, now, lookup, o);
  if (v.ok()) {
    (void)v.value().access_key_id;
  }
  return 0;
}
