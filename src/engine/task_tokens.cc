#include "engine/task_tokens.h"

#include <array>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace signoff::engine {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::array<unsigned char, 32> hmac(std::string_view key, std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

std::string payload_of(std::string_view arn, uint64_t task_id) {
  std::string p(arn);
  p.push_back('\n');
  p += std::to_string(task_id);
  return p;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) |
                 uint8_t(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (i + 2 == bytes.size()) {
    uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    if (c == '-')
      return 62;
    if (c == '_')
      return 63;
    return -1;
  };
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) {
      return std::nullopt;
    }
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string TaskTokens::mint(std::string_view execution_arn, uint64_t task_id) const {
  std::string payload = payload_of(execution_arn, task_id);
  auto mac = hmac(key_, payload);
  std::string token = base64url_encode(payload);
  token.push_back('.');
  token += base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), 32));
  return token;
}

std::optional<TokenTarget> TaskTokens::open(std::string_view token) const {
  size_t dot = token.find('.');
  if (dot == std::string_view::npos || token.size() > 2048) {
    return std::nullopt;
  }
  auto payload = base64url_decode(token.substr(0, dot));
  auto mac = base64url_decode(token.substr(dot + 1));
  if (!payload || !mac || mac->size() != 32) {
    return std::nullopt;
  }
  auto expected = hmac(key_, *payload);
  if (CRYPTO_memcmp(expected.data(), mac->data(), 32) != 0) {
    return std::nullopt;
  }
  size_t nl = payload->rfind('\n');
  if (nl == std::string::npos || nl + 1 >= payload->size()) {
    return std::nullopt;
  }
  TokenTarget t;
  t.execution_arn = payload->substr(0, nl);
  for (size_t i = nl + 1; i < payload->size(); ++i) {
    char c = (*payload)[i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    t.task_id = t.task_id * 10 + uint64_t(c - '0');
  }
  return t;
}

uint64_t TaskTokens::seed_for(std::string_view execution_arn) const {
  std::string data = "seed\n";
  data += execution_arn;
  auto mac = hmac(key_, data);
  uint64_t seed = 0;
  std::memcpy(&seed, mac.data(), sizeof seed);
  return seed;
}

}  // namespace signoff::engine
