#include "policy/ip.h"

#include <vector>

namespace signoff::policy {
namespace {

std::optional<int> parse_decimal(std::string_view s, int max) {
  if (s.empty() || s.size() > 3) {
    return std::nullopt;
  }
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  if (v > max || (s.size() > 1 && s[0] == '0')) {
    return std::nullopt;
  }
  return v;
}

bool parse_v4(std::string_view s, unsigned char* out) {
  for (int part = 0; part < 4; ++part) {
    const size_t dot = s.find('.');
    if ((part < 3) == (dot == std::string_view::npos)) {
      return false;
    }
    std::optional<int> v = parse_decimal(s.substr(0, dot), 255);
    if (!v) {
      return false;
    }
    out[part] = static_cast<unsigned char>(*v);
    s = part < 3 ? s.substr(dot + 1) : std::string_view();
  }
  return true;
}

int hex(char c) {
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

// Groups of one side of "::"; a trailing dotted IPv4 counts as two groups.
bool parse_groups(std::string_view s, std::vector<unsigned>& groups, bool allow_v4_tail) {
  if (s.empty()) {
    return true;
  }
  size_t start = 0;
  while (true) {
    const size_t colon = s.find(':', start);
    std::string_view g = s.substr(start, colon == std::string_view::npos ? colon : colon - start);
    if (colon == std::string_view::npos && allow_v4_tail && g.find('.') != std::string_view::npos) {
      unsigned char v4[4];
      if (!parse_v4(g, v4)) {
        return false;
      }
      groups.push_back(v4[0] << 8 | v4[1]);
      groups.push_back(v4[2] << 8 | v4[3]);
      return true;
    }
    if (g.empty() || g.size() > 4) {
      return false;
    }
    unsigned v = 0;
    for (char c : g) {
      const int h = hex(c);
      if (h < 0) {
        return false;
      }
      v = v * 16 + static_cast<unsigned>(h);
    }
    groups.push_back(v);
    if (colon == std::string_view::npos) {
      return true;
    }
    start = colon + 1;
  }
}

bool parse_v6(std::string_view s, unsigned char* out) {
  const size_t gap = s.find("::");
  std::vector<unsigned> head, tail;
  if (gap == std::string_view::npos) {
    if (!parse_groups(s, head, true) || head.size() != 8) {
      return false;
    }
  } else {
    if (s.find("::", gap + 1) != std::string_view::npos) {
      return false;
    }
    if (!parse_groups(s.substr(0, gap), head, false) ||
        !parse_groups(s.substr(gap + 2), tail, true) || head.size() + tail.size() > 7) {
      return false;
    }
  }
  std::vector<unsigned> all = head;
  all.resize(8 - tail.size(), 0);
  all.insert(all.end(), tail.begin(), tail.end());
  for (size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<unsigned char>(all[i] >> 8);
    out[2 * i + 1] = static_cast<unsigned char>(all[i] & 0xFF);
  }
  return true;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  IpAddress ip;
  if (text.find(':') != std::string_view::npos) {
    ip.v6 = true;
    if (!parse_v6(text, ip.bytes.data())) {
      return std::nullopt;
    }
    return ip;
  }
  if (!parse_v4(text, ip.bytes.data())) {
    return std::nullopt;
  }
  return ip;
}

std::optional<CidrBlock> parse_cidr(std::string_view text) {
  const size_t slash = text.find('/');
  std::optional<IpAddress> ip = parse_ip(text.substr(0, slash));
  if (!ip) {
    return std::nullopt;
  }
  const int max = ip->v6 ? 128 : 32;
  CidrBlock b{*ip, max};
  if (slash != std::string_view::npos) {
    std::optional<int> prefix = parse_decimal(text.substr(slash + 1), max);
    if (!prefix) {
      return std::nullopt;
    }
    b.prefix = *prefix;
  }
  return b;
}

bool cidr_contains(const CidrBlock& block, const IpAddress& ip) {
  if (block.base.v6 != ip.v6) {
    return false;
  }
  int bits = block.prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
    if ((block.base.bytes[i] & mask) != (ip.bytes[i] & mask)) {
      return false;
    }
  }
  return true;
}

}  // namespace signoff::policy
