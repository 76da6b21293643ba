// Message texts: "Authorization header requires 'X' parameter." and "'x' not a valid key=value
// pair (missing equal-sign) in Authorization header: '...'." as AWS returns them (quoted in
// aws/chalice#828, iann0036/cloud9-sync#10, awslabs/fhir-works-on-aws-deployment#379); "Date must
// be in ISO-8601 'basic format'. Got '...'." (brendanhay/amazonka#5, SQS); "'Host' or
// ':authority' must be a 'SignedHeader' in the AWS Authorization." (aws/aws-sdk-php#2469). The
// credential-shape texts and the presigned-parameter texts follow AWS's (S3's) wording.
#include "sigv4/authorization.h"

#include <algorithm>
#include <utility>

#include "sigv4/amz_date.h"
#include "sigv4/errors.h"

namespace signoff::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::vector<std::string_view> split_tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (is_space(s[i]) || s[i] == ',')) {
      ++i;
    }
    const size_t start = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != ',') {
      ++i;
    }
    if (i > start) {
      out.push_back(s.substr(start, i - start));
    }
  }
  return out;
}

std::optional<Error> parse_credential(std::string_view credential, Claims& c) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t slash = credential.find('/', start);
    parts.push_back(credential.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  if (parts.size() != 5) {
    return incomplete_signature(
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '" +
        std::string(credential) + "'");
  }
  if (parts[4] != "aws4_request") {
    return credential_scope(
        "Credential should be scoped with a valid terminator: 'aws4_request', "
        "not '" +
        std::string(parts[4]) + "'. ");
  }
  c.access_key_id = parts[0];
  c.scope_date = parts[1];
  c.region = parts[2];
  c.service = parts[3];
  c.scope = std::string(credential.substr(parts[0].size() + 1));
  return std::nullopt;
}

std::vector<std::string> parse_signed_headers(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t semi = list.find(';', start);
    if (semi == std::string_view::npos) {
      semi = list.size();
    }
    std::string name = to_lower(trim_all(list.substr(start, semi - start)));
    if (!name.empty()) {
      out.push_back(std::move(name));
    }
    start = semi + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<Error> parse_date(std::string_view text, Claims& c) {
  std::optional<int64_t> t = parse_amz_date(text);
  if (!t) {
    return incomplete_signature("Date must be in ISO-8601 'basic format'. Got '" +
                                std::string(text) + "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  c.amz_date = text;
  c.request_time = *t;
  return std::nullopt;
}

// Checks shared by both forms once the raw pieces are in place.
std::optional<Error> finish(std::string_view credential, std::string_view signed_headers,
                            Claims& c) {
  if (auto e = parse_credential(credential, c)) {
    return e;
  }
  c.signed_headers = parse_signed_headers(signed_headers);
  if (!std::binary_search(c.signed_headers.begin(), c.signed_headers.end(), "host")) {
    return incomplete_signature(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (c.scope_date != std::string_view(c.amz_date).substr(0, 8)) {
    return credential_scope(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '" +
        c.scope_date + "' != '" + c.amz_date.substr(0, 8) + "', from '" + c.amz_date + "'.");
  }
  return std::nullopt;
}

const QueryParam* find_param(const std::vector<QueryParam>& params, std::string_view name) {
  for (const QueryParam& p : params) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace

ClaimsOrError parse_authorization_header(std::string_view header,
                                         std::optional<std::string_view> date) {
  size_t i = 0;
  while (i < header.size() && is_space(header[i])) {
    ++i;
  }
  size_t alg_end = i;
  while (alg_end < header.size() && !is_space(header[alg_end])) {
    ++alg_end;
  }
  const std::string_view algorithm = header.substr(i, alg_end - i);
  std::optional<std::string_view> credential, signed_headers, signature;
  for (std::string_view token : split_tokens(header.substr(alg_end))) {
    const size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      return incomplete_signature("'" + std::string(token) +
                                  "' not a valid key=value pair (missing equal-sign) in "
                                  "Authorization header: '" +
                                  std::string(header) + "'.");
    }
    const std::string_view key = token.substr(0, eq);
    const std::string_view value = token.substr(eq + 1);
    if (key == "Credential") {
      credential = value;
    } else if (key == "SignedHeaders") {
      signed_headers = value;
    } else if (key == "Signature") {
      signature = value;
    }
  }
  std::string missing;
  auto require = [&missing](bool present, std::string_view sentence) {
    if (!present) {
      missing.append(sentence).append(" ");
    }
  };
  require(credential.has_value(), "Authorization header requires 'Credential' parameter.");
  require(signature.has_value(), "Authorization header requires 'Signature' parameter.");
  require(signed_headers.has_value(), "Authorization header requires 'SignedHeaders' parameter.");
  require(date.has_value(),
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!missing.empty()) {
    return incomplete_signature(missing + "Authorization=" + std::string(header));
  }
  if (algorithm != kAlgorithm) {
    return incomplete_signature("Unsupported AWS 'algorithm': '" + std::string(algorithm) + "'");
  }
  Claims c;
  if (auto e = parse_date(*date, c)) {
    return *e;
  }
  if (auto e = finish(*credential, *signed_headers, c)) {
    return *e;
  }
  c.signature = *signature;
  return c;
}

bool has_presign_parameters(const std::vector<QueryParam>& params) {
  return find_param(params, "X-Amz-Algorithm") != nullptr ||
         find_param(params, "X-Amz-Credential") != nullptr ||
         find_param(params, "X-Amz-Signature") != nullptr;
}

ClaimsOrError parse_presigned_query(const std::vector<QueryParam>& params) {
  const QueryParam* algorithm = find_param(params, "X-Amz-Algorithm");
  const QueryParam* credential = find_param(params, "X-Amz-Credential");
  const QueryParam* date = find_param(params, "X-Amz-Date");
  const QueryParam* expires = find_param(params, "X-Amz-Expires");
  const QueryParam* signed_headers = find_param(params, "X-Amz-SignedHeaders");
  const QueryParam* signature = find_param(params, "X-Amz-Signature");
  if (!algorithm || !credential || !date || !expires || !signed_headers || !signature) {
    return incomplete_signature(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
        "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
  }
  if (algorithm->value != kAlgorithm) {
    return incomplete_signature("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  Claims c;
  c.presigned = true;
  const std::string& ex = expires->value;
  if (ex.empty() || ex.size() > 12 ||
      !std::all_of(ex.begin(), ex.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return incomplete_signature(ex.size() > 1 && ex[0] == '-' ? "X-Amz-Expires must be non-negative"
                                                              : "X-Amz-Expires should be a number");
  }
  c.expires = std::stoll(ex);
  if (c.expires > 604800) {
    return incomplete_signature(
        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires "
        "must be less than 604800 seconds");
  }
  if (auto e = parse_date(date->value, c)) {
    return *e;
  }
  if (auto e = finish(credential->value, signed_headers->value, c)) {
    return *e;
  }
  c.signature = signature->value;
  if (const QueryParam* token = find_param(params, "X-Amz-Security-Token")) {
    c.session_token = token->value;
  }
  return c;
}

}  // namespace signoff::sigv4
