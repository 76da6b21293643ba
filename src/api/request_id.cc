#include "api/request_id.h"

#include <cstdint>
#include <random>

namespace signoff::api {

std::string new_request_id() {
  // One generator per thread: request ids need uniqueness, not secrecy, and no lock.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  uint64_t high = generator();
  uint64_t low = generator();
  high = (high & ~0xF000ull) | 0x4000ull;              // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFull) | (1ull << 63);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) {
      id += '-';
    }
    uint64_t word = i < 16 ? high : low;
    int shift = 60 - 4 * (i % 16);
    id += kHex[(word >> shift) & 0xF];
  }
  return id;
}

}  // namespace signoff::api
