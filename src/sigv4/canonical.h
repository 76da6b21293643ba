// The pieces of SigV4's canonical request, computed from the request as it arrived.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sigv4/sigv4.h"

namespace signoff::sigv4 {

// RFC 3986 unreserved characters stay, every other byte becomes %XX (uppercase hex).
std::string uri_encode(std::string_view s, bool keep_slash);
// %XX with two hex digits becomes the byte; anything else (a stray '%', '+') stays as it is.
std::string percent_decode(std::string_view s);

// Non-S3: dot segments and empty segments removed, then the (already encoded) path encoded
// again, which is what every AWS SDK signs. S3: the path exactly as sent.
std::string canonical_uri(std::string_view raw_path, bool s3_paths);

struct QueryParam {
  std::string name;  // decoded
  std::string value;
};
// Empty pieces ("a=1&&b=2") are skipped; a piece without '=' has an empty value.
std::vector<QueryParam> parse_query(std::string_view raw_query);
// Names and values re-encoded strictly, sorted by encoded name then encoded value; the
// parameter named skip (X-Amz-Signature for presigned URLs) is left out.
std::string canonical_query(const std::vector<QueryParam>& params, std::string_view skip = {});

// Leading/trailing whitespace dropped and inner runs collapsed to one space.
std::string trim_all(std::string_view value);
std::string to_lower(std::string_view s);

// "name:value\n" for each signed name (values of repeated headers joined with ','), in the
// order of signed_names, which must be lowercase and sorted. A signed header the request lacks
// contributes an empty value, so the signature simply fails to match.
std::string canonical_headers(const std::vector<Header>& headers,
                              const std::vector<std::string>& signed_names);
std::string join_signed_headers(const std::vector<std::string>& signed_names);

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              std::string_view headers, std::string_view signed_headers,
                              std::string_view payload_hash);
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);
std::string signature_hex(const SigningKey& key, std::string_view string_to_sign);

}  // namespace signoff::sigv4
