#include "patterns/values.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "common/utf8.h"

namespace signoff::patterns {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

ScaledNumber parse_scaled(std::string_view t) {
  ScaledNumber result;
  const size_t n = t.size();
  size_t i = 0;
  bool negative = false;
  if (i < n && t[i] == '-') {
    negative = true;
    ++i;
  }
  const size_t int_start = i;
  while (i < n && is_digit(t[i])) {
    ++i;
  }
  const size_t int_len = i - int_start;
  if (int_len == 0 || (t[int_start] == '0' && int_len > 1)) {
    return result;
  }
  size_t frac_start = i;
  size_t frac_len = 0;
  if (i < n && t[i] == '.') {
    frac_start = ++i;
    while (i < n && is_digit(t[i])) {
      ++i;
    }
    frac_len = i - frac_start;
    if (frac_len == 0) {
      return result;
    }
  }
  int64_t exponent = 0;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (t[i] == '+' || t[i] == '-')) {
      exp_negative = t[i] == '-';
      ++i;
    }
    const size_t exp_start = i;
    while (i < n && is_digit(t[i])) {
      // Clamped: anything this large is out of range or too precise either way.
      if (exponent < 1000000) {
        exponent = exponent * 10 + (t[i] - '0');
      }
      ++i;
    }
    if (i == exp_start) {
      return result;
    }
    if (exp_negative) {
      exponent = -exponent;
    }
  }
  if (i != n) {
    return result;
  }
  // The digits int_digits ++ frac_digits, read as one integer D, give value * 1e6 = D * 10^k.
  const size_t total = int_len + frac_len;
  auto digit_at = [&](size_t j) -> char {
    return j < int_len ? t[int_start + j] : t[frac_start + (j - int_len)];
  };
  size_t first = 0;
  while (first < total && digit_at(first) == '0') {
    ++first;
  }
  if (first == total) {
    result.status = NumberStatus::Ok;
    result.value = 0;
    return result;
  }
  size_t last = total - 1;
  while (digit_at(last) == '0') {
    --last;
  }
  int64_t k =
      exponent - static_cast<int64_t>(frac_len) + 6 + static_cast<int64_t>(total - 1 - last);
  if (k < 0) {
    result.status = NumberStatus::TooPrecise;
    return result;
  }
  const int64_t significant = static_cast<int64_t>(last - first + 1);
  if (significant + k > 16) {
    result.status = NumberStatus::OutOfRange;
    return result;
  }
  uint64_t v = 0;
  for (size_t j = first; j <= last; ++j) {
    v = v * 10 + static_cast<uint64_t>(digit_at(j) - '0');
  }
  for (int64_t j = 0; j < k; ++j) {
    v *= 10;
  }
  if (v > static_cast<uint64_t>(kNumberLimit)) {
    result.status = NumberStatus::OutOfRange;
    return result;
  }
  result.status = NumberStatus::Ok;
  result.value = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return result;
}

bool is_json_number(std::string_view text) {
  return parse_scaled(text).status != NumberStatus::NotANumber;
}

std::string number_error(NumberStatus status, std::string_view text) {
  switch (status) {
    case NumberStatus::TooPrecise:
      return "Only values upto 6 decimals are supported";
    case NumberStatus::OutOfRange:
      return "Value must be between -5000000000 and 5000000000, inclusive";
    case NumberStatus::NotANumber:
      return "Invalid number: " + std::string(text);
    case NumberStatus::Ok:
      break;
  }
  return {};
}

namespace {

uint32_t lower_code_point(uint32_t c) {
  if (c < 0x80) {
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  }
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) {
    return c + 32;
  }
  if (c >= 0x100 && c <= 0x17F) {
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
      return (c % 2 == 0) ? c + 1 : c;
    }
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
      return (c % 2 == 1) ? c + 1 : c;
    }
    if (c == 0x178) {
      return 0xFF;
    }
    return c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) {
    return c + 32;
  }
  if (c == 0x386) {
    return 0x3AC;
  }
  if (c >= 0x388 && c <= 0x38A) {
    return c + 37;
  }
  if (c == 0x38C) {
    return 0x3CC;
  }
  if (c == 0x38E || c == 0x38F) {
    return c + 63;
  }
  if (c >= 0x410 && c <= 0x42F) {
    return c + 32;
  }
  if (c >= 0x400 && c <= 0x40F) {
    return c + 80;
  }
  return c;
}

}  // namespace

void fold_case(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    unsigned char b = p[i];
    if (b < 0x80) {
      out.push_back(static_cast<char>((b >= 'A' && b <= 'Z') ? b + 32 : b));
      ++i;
      continue;
    }
    // Only two-byte sequences hold the letters we map; everything else is copied unchanged.
    if ((b & 0xE0) == 0xC0 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      uint32_t c = (static_cast<uint32_t>(b & 0x1F) << 6) | (p[i + 1] & 0x3F);
      if (c >= 0x80) {
        append_utf8(out, static_cast<char32_t>(lower_code_point(c)));
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<char>(b));
    ++i;
  }
}

std::string fold_case(std::string_view in) {
  std::string out;
  fold_case(in, out);
  return out;
}

bool is_folded_ascii(std::string_view in) {
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> check_wildcard(std::string_view text) {
  // Positions count the opening quote event-ruler puts in front of the value.
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '*') {
      if (i + 1 < text.size() && text[i + 1] == '*') {
        return "Consecutive wildcard characters at pos " + std::to_string(i + 1);
      }
    } else if (text[i] == '\\') {
      if (i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '\\')) {
        ++i;
        continue;
      }
      return "Invalid escape character at pos " + std::to_string(i + 1);
    }
  }
  return std::nullopt;
}

Glob compile_glob(std::string_view text) {
  Glob glob;
  glob.parts.emplace_back();
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '*') {
      glob.parts.emplace_back();
    } else if (c == '\\' && i + 1 < text.size()) {
      glob.parts.back().push_back(text[++i]);
    } else {
      glob.parts.back().push_back(c);
    }
  }
  return glob;
}

bool glob_match(const Glob& glob, std::string_view s) {
  const auto& parts = glob.parts;
  if (parts.size() == 1) {
    return s == parts[0];
  }
  const std::string& first = parts.front();
  const std::string& last = parts.back();
  if (s.size() < first.size() + last.size()) {
    return false;
  }
  if (s.compare(0, first.size(), first) != 0 ||
      s.compare(s.size() - last.size(), last.size(), last) != 0) {
    return false;
  }
  // Leftmost placement of each middle part is optimal for '*'-only globs, so this is linear-ish.
  size_t pos = first.size();
  const size_t end = s.size() - last.size();
  for (size_t k = 1; k + 1 < parts.size(); ++k) {
    const std::string& part = parts[k];
    if (part.empty()) {
      continue;
    }
    if (end < pos + part.size()) {
      return false;
    }
    size_t found = s.substr(pos, end - pos).find(part);
    if (found == std::string_view::npos) {
      return false;
    }
    pos += found + part.size();
  }
  return true;
}

int wildcard_complexity(std::span<const std::string> wildcards) {
  constexpr int kStar = 256;
  // Each value is matched with event-ruler's surrounding quotes, which add literal positions.
  std::vector<std::vector<int>> tokens;
  std::vector<int> alphabet;
  for (const auto& w : wildcards) {
    std::vector<int> t{'"'};
    for (size_t i = 0; i < w.size(); ++i) {
      if (w[i] == '*') {
        t.push_back(kStar);
      } else if (w[i] == '\\' && i + 1 < w.size()) {
        t.push_back(static_cast<unsigned char>(w[++i]));
      } else {
        t.push_back(static_cast<unsigned char>(w[i]));
      }
    }
    t.push_back('"');
    for (int tok : t) {
      if (tok != kStar) {
        alphabet.push_back(tok);
      }
    }
    tokens.push_back(std::move(t));
  }
  std::sort(alphabet.begin(), alphabet.end());
  alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());
  alphabet.push_back(-1);  // stands for every byte no pattern names

  using State = std::vector<uint32_t>;  // (pattern << 16) | position
  auto close = [&](State& s) {
    for (size_t i = 0; i < s.size(); ++i) {
      uint32_t pi = s[i] >> 16;
      uint32_t p = s[i] & 0xFFFF;
      if (p < tokens[pi].size() && tokens[pi][p] == kStar) {
        uint32_t next = (pi << 16) | (p + 1);
        if (std::find(s.begin(), s.end(), next) == s.end()) {
          s.push_back(next);
        }
      }
    }
    std::sort(s.begin(), s.end());
  };
  auto weight = [&](const State& s) {
    int w = 0;
    for (uint32_t st : s) {
      if ((st & 0xFFFF) < tokens[st >> 16].size()) {
        ++w;
      }
    }
    return w;
  };
  State start;
  for (uint32_t pi = 0; pi < tokens.size(); ++pi) {
    start.push_back(pi << 16);
  }
  close(start);
  std::set<State> seen{start};
  std::vector<State> pending{start};
  int best = weight(start);
  constexpr size_t kMaxStates = 4096;
  while (!pending.empty() && seen.size() < kMaxStates) {
    State cur = std::move(pending.back());
    pending.pop_back();
    for (int b : alphabet) {
      State next;
      for (uint32_t st : cur) {
        uint32_t pi = st >> 16;
        uint32_t p = st & 0xFFFF;
        if (p >= tokens[pi].size()) {
          continue;
        }
        int tok = tokens[pi][p];
        if (tok == kStar) {
          next.push_back(st);
        } else if (tok == b) {
          next.push_back((pi << 16) | (p + 1));
        }
      }
      if (next.empty()) {
        continue;
      }
      std::sort(next.begin(), next.end());
      next.erase(std::unique(next.begin(), next.end()), next.end());
      close(next);
      best = std::max(best, weight(next));
      if (best > kMaxWildcardComplexity) {
        return best;
      }
      if (seen.insert(next).second) {
        pending.push_back(std::move(next));
      }
    }
  }
  return best;
}

namespace {

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

bool parse_ipv4(std::string_view text, uint8_t* out) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    size_t start = i;
    int value = 0;
    while (i < text.size() && is_digit(text[i]) && i - start < 3) {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start || value > 255) {
      return false;
    }
    out[part++] = static_cast<uint8_t>(value);
    if (part < 4) {
      if (i >= text.size() || text[i] != '.') {
        return false;
      }
      ++i;
    }
  }
  return i == text.size();
}

bool parse_ipv6(std::string_view text, uint8_t* out) {
  uint16_t head[8];
  uint16_t tail[8];
  int head_n = 0;
  int tail_n = 0;
  bool gap = false;
  size_t i = 0;
  if (text.size() >= 2 && text[0] == ':' && text[1] == ':') {
    gap = true;
    i = 2;
  } else if (!text.empty() && text[0] == ':') {
    return false;
  }
  while (i < text.size()) {
    // An embedded IPv4 tail ends the address.
    size_t group_end = i;
    while (group_end < text.size() && text[group_end] != ':') {
      ++group_end;
    }
    std::string_view group = text.substr(i, group_end - i);
    int& count = gap ? tail_n : head_n;
    uint16_t* dest = gap ? tail : head;
    if (group.find('.') != std::string_view::npos) {
      uint8_t v4[4];
      if (group_end != text.size() || !parse_ipv4(group, v4) || head_n + tail_n + 2 > 8) {
        return false;
      }
      dest[count++] = static_cast<uint16_t>((v4[0] << 8) | v4[1]);
      dest[count++] = static_cast<uint16_t>((v4[2] << 8) | v4[3]);
      i = group_end;
      break;
    }
    if (group.empty() || group.size() > 4 || head_n + tail_n >= 8) {
      return false;
    }
    int value = 0;
    for (char c : group) {
      int h = hex_value(c);
      if (h < 0) {
        return false;
      }
      value = value * 16 + h;
    }
    dest[count++] = static_cast<uint16_t>(value);
    i = group_end;
    if (i < text.size()) {
      ++i;  // the ':'
      if (i < text.size() && text[i] == ':') {
        if (gap) {
          return false;
        }
        gap = true;
        ++i;
      } else if (i == text.size()) {
        return false;  // trailing single ':'
      }
    }
  }
  int total = head_n + tail_n;
  if (gap ? total > 7 : total != 8) {
    return false;
  }
  uint16_t groups[8] = {};
  for (int k = 0; k < head_n; ++k) {
    groups[k] = head[k];
  }
  for (int k = 0; k < tail_n; ++k) {
    groups[8 - tail_n + k] = tail[k];
  }
  for (int k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<uint8_t>(groups[k] >> 8);
    out[2 * k + 1] = static_cast<uint8_t>(groups[k] & 0xFF);
  }
  return true;
}

}  // namespace

bool parse_ip(std::string_view text, IpAddress& out) {
  if (text.empty() || text.size() > 45) {
    return false;
  }
  if (text.find(':') == std::string_view::npos) {
    if (!parse_ipv4(text, out.bytes)) {
      return false;
    }
    out.size = 4;
    return true;
  }
  if (!parse_ipv6(text, out.bytes)) {
    return false;
  }
  out.size = 16;
  return true;
}

IpAddress mask_ip(const IpAddress& addr, int bits) {
  IpAddress out = addr;
  for (int i = 0; i < out.size; ++i) {
    int keep = bits - 8 * i;
    if (keep >= 8) {
      continue;
    }
    if (keep <= 0) {
      out.bytes[i] = 0;
    } else {
      out.bytes[i] &= static_cast<uint8_t>(0xFF << (8 - keep));
    }
  }
  return out;
}

std::optional<std::string> parse_cidr(std::string_view text, CidrBlock& out) {
  // Java's String.split("/") semantics: trailing empty pieces are dropped.
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    pieces.push_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  while (pieces.size() > 1 && pieces.back().empty()) {
    pieces.pop_back();
  }
  if (pieces.size() != 2) {
    return std::string("Malformed CIDR, one '/' required");
  }
  // Integer.parseInt: optional sign, decimal digits, int32 range.
  std::string_view mask = pieces[1];
  size_t i = 0;
  bool negative = false;
  if (!mask.empty() && (mask[0] == '+' || mask[0] == '-')) {
    negative = mask[0] == '-';
    i = 1;
  }
  if (i >= mask.size()) {
    return std::string("Malformed CIDR, mask bits must be an integer");
  }
  int64_t bits = 0;
  for (; i < mask.size(); ++i) {
    if (!is_digit(mask[i])) {
      return std::string("Malformed CIDR, mask bits must be an integer");
    }
    bits = bits * 10 + (mask[i] - '0');
    if (bits > 2147483648LL) {
      return std::string("Malformed CIDR, mask bits must be an integer");
    }
  }
  if (negative) {
    bits = -bits;
  }
  if (bits > 2147483647LL) {
    return std::string("Malformed CIDR, mask bits must be an integer");
  }
  if (bits < 0) {
    return std::string("Malformed CIDR, mask bits must not be negative");
  }
  IpAddress ip;
  if (!parse_ip(pieces[0], ip)) {
    return "Nonstandard IP address: " + std::string(pieces[0]);
  }
  if (ip.size == 4 && bits > 31) {
    return std::string("IPv4 mask bits must be < 32");
  }
  if (ip.size == 16 && bits > 127) {
    return std::string("IPv6 mask bits must be < 128");
  }
  // event-ruler keeps the address as written as the low end of the range (it is not masked).
  out.base = ip;
  out.bits = static_cast<int>(bits);
  return std::nullopt;
}

}  // namespace signoff::patterns
