// Reading the signature's claims out of an Authorization header or presigned query parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sigv4/canonical.h"
#include "sigv4/sigv4.h"

namespace signoff::sigv4 {

// What the client claims; nothing here is checked against a secret yet.
struct Claims {
  std::string access_key_id;
  std::string scope_date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string scope;                        // date/region/service/aws4_request
  std::vector<std::string> signed_headers;  // lowercase, sorted, unique
  std::string signature;
  std::string amz_date;  // YYYYMMDDTHHMMSSZ as sent
  int64_t request_time = 0;
  std::optional<std::string> session_token;
  bool presigned = false;
  int64_t expires = 0;  // presigned: X-Amz-Expires seconds
};

using ClaimsOrError = std::variant<Claims, Error>;

// header: the Authorization value; date: x-amz-date, else Date, else nullopt.
ClaimsOrError parse_authorization_header(std::string_view header,
                                         std::optional<std::string_view> date);
ClaimsOrError parse_presigned_query(const std::vector<QueryParam>& params);

// Whether the query carries presigned-URL parameters at all.
bool has_presign_parameters(const std::vector<QueryParam>& params);

}  // namespace signoff::sigv4
