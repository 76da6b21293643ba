#include "iam/ids.h"

#include <ctime>
#include <vector>

namespace signoff::iam {
namespace {

std::string draw(const Random& random, std::string_view alphabet, size_t length) {
  std::vector<unsigned char> bytes(length);
  random(bytes.data(), bytes.size());
  std::string out;
  out.reserve(length);
  // Alphabets of 32 or 64 characters divide 256, so masking keeps every character equally likely.
  for (unsigned char b : bytes) {
    out += alphabet[b % alphabet.size()];
  }
  return out;
}

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string new_id(const Random& random, std::string_view prefix, size_t length) {
  return std::string(prefix) + draw(random, kBase32, length);
}

std::string new_secret(const Random& random) {
  return draw(random, kBase64, 40);
}

std::string new_session_token(const Random& random) {
  return "IQoJb3JpZ2luX2Vj" + draw(random, kBase64, 128);
}

std::string iso8601(int64_t ms, bool with_millis) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (with_millis) {
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms % 1000));
    out += frac;
  }
  return out + "Z";
}

}  // namespace signoff::iam
