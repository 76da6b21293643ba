#include "sigv4/canonical.h"

#include <algorithm>
#include <utility>

#include "sigv4/crypto.h"

namespace signoff::sigv4 {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

}  // namespace

std::string uri_encode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string canonical_uri(std::string_view raw_path, bool s3_paths) {
  if (raw_path.empty()) {
    return "/";
  }
  if (s3_paths) {
    return std::string(raw_path);
  }
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= raw_path.size()) {
    size_t slash = raw_path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = raw_path.size();
    }
    std::string_view seg = raw_path.substr(start, slash - start);
    if (seg == "..") {
      if (!segments.empty()) {
        segments.pop_back();
      }
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = slash + 1;
  }
  std::string normalized;
  normalized.reserve(raw_path.size());
  if (raw_path.front() == '/') {
    normalized.push_back('/');
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) {
      normalized.push_back('/');
    }
    normalized.append(segments[i]);
  }
  if (raw_path.back() == '/' && !segments.empty()) {
    normalized.push_back('/');
  }
  if (normalized.empty()) {
    // A relative path made only of dot segments: SDKs would sign "", but HTTP paths start with
    // '/', so this only happens for garbage input.
    return "/";
  }
  return uri_encode(normalized, /*keep_slash=*/true);
}

std::vector<QueryParam> parse_query(std::string_view raw) {
  std::vector<QueryParam> out;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t amp = raw.find('&', start);
    if (amp == std::string_view::npos) {
      amp = raw.size();
    }
    std::string_view piece = raw.substr(start, amp - start);
    if (!piece.empty()) {
      const size_t eq = piece.find('=');
      if (eq == std::string_view::npos) {
        out.push_back({percent_decode(piece), {}});
      } else {
        out.push_back({percent_decode(piece.substr(0, eq)), percent_decode(piece.substr(eq + 1))});
      }
    }
    start = amp + 1;
  }
  return out;
}

std::string canonical_query(const std::vector<QueryParam>& params, std::string_view skip) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const QueryParam& p : params) {
    if (!skip.empty() && p.name == skip) {
      continue;
    }
    encoded.emplace_back(uri_encode(p.name, false), uri_encode(p.value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out.append(name);
    out.push_back('=');
    out.append(value);
  }
  return out;
}

std::string trim_all(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
  }
  return out;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string canonical_headers(const std::vector<Header>& headers,
                              const std::vector<std::string>& signed_names) {
  std::vector<std::string> lowered;
  lowered.reserve(headers.size());
  for (const Header& h : headers) {
    lowered.push_back(to_lower(trim_all(h.name)));
  }
  std::string out;
  for (const std::string& name : signed_names) {
    out.append(name);
    out.push_back(':');
    bool first = true;
    for (size_t i = 0; i < headers.size(); ++i) {
      if (lowered[i] != name) {
        continue;
      }
      if (!first) {
        out.push_back(',');
      }
      out.append(trim_all(headers[i].value));
      first = false;
    }
    out.push_back('\n');
  }
  return out;
}

std::string join_signed_headers(const std::vector<std::string>& signed_names) {
  std::string out;
  for (const std::string& n : signed_names) {
    if (!out.empty()) {
      out.push_back(';');
    }
    out.append(n);
  }
  return out;
}

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              std::string_view headers, std::string_view signed_headers,
                              std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + uri.size() + query.size() + headers.size() + signed_headers.size() +
              payload_hash.size() + 5);
  out.append(method).append("\n");
  out.append(uri).append("\n");
  out.append(query).append("\n");
  out.append(headers).append("\n");
  out.append(signed_headers).append("\n");
  out.append(payload_hash);
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out.append(amz_date).append("\n");
  out.append(scope).append("\n");
  out.append(sha256_hex(canonical_request));
  return out;
}

std::string signature_hex(const SigningKey& key, std::string_view string_to_sign) {
  return to_hex(
      hmac_sha256({reinterpret_cast<const char*>(key.data()), key.size()}, string_to_sign));
}

}  // namespace signoff::sigv4
