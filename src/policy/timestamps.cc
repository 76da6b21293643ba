#include "policy/timestamps.h"

namespace signoff::policy {
namespace {

long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool num(std::string_view s, size_t at, size_t n, unsigned& out) {
  if (at + n > s.size()) {
    return false;
  }
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

std::optional<long long> epoch_seconds(std::string_view s) {
  if (s.empty() || s.size() > 12) {
    return std::nullopt;
  }
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v * 1000;
}

}  // namespace

std::optional<long long> parse_policy_date(std::string_view s) {
  if (s.size() < 10 || s[4] != '-') {
    return epoch_seconds(s);
  }
  unsigned y, mo, d;
  if (!num(s, 0, 4, y) || !num(s, 5, 2, mo) || s[7] != '-' || !num(s, 8, 2, d) || mo < 1 ||
      mo > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  long long ms = days_from_civil(y, mo, d) * 86400000LL;
  if (s.size() == 10) {
    return ms;
  }
  if (s[10] != 'T' && s[10] != 't') {
    return std::nullopt;
  }
  unsigned h, mi, sec = 0;
  if (!num(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !num(s, 14, 2, mi) || h > 23 ||
      mi > 59) {
    return std::nullopt;
  }
  size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!num(s, i + 1, 2, sec) || sec > 60) {
      return std::nullopt;
    }
    i += 3;
  }
  long long frac_ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    long long scale = 100;
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      frac_ms += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) {
      return std::nullopt;
    }
  }
  ms += (h * 3600LL + mi * 60LL + sec) * 1000 + frac_ms;
  if (i == s.size()) {
    return ms;  // no zone: UTC, as AWS reads it
  }
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
    return ms;
  }
  if ((s[i] == '+' || s[i] == '-') && i + 6 == s.size() && s[i + 3] == ':') {
    unsigned oh, om;
    if (!num(s, i + 1, 2, oh) || !num(s, i + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    const long long offset = (oh * 3600LL + om * 60LL) * 1000;
    return s[i] == '+' ? ms - offset : ms + offset;
  }
  return std::nullopt;
}

}  // namespace signoff::policy
