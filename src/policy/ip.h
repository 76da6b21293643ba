// IPv4 and IPv6 addresses and CIDR blocks for IpAddress / NotIpAddress.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace signoff::policy {

struct IpAddress {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};  // IPv4 uses the first 4
};

struct CidrBlock {
  IpAddress base;
  int prefix = 0;
};

std::optional<IpAddress> parse_ip(std::string_view text);
// "203.0.113.0/24", "2001:db8::/32", or a bare address (a /32 or /128 block).
std::optional<CidrBlock> parse_cidr(std::string_view text);
// Families never mix: an IPv4 block holds no IPv6 address and the reverse.
bool cidr_contains(const CidrBlock& block, const IpAddress& ip);

}  // namespace signoff::policy
