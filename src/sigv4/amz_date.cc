#include "sigv4/amz_date.h"

namespace signoff::sigv4 {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (era-based, valid for any year).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool digits(std::string_view s, size_t from, size_t n, unsigned& out) {
  out = 0;
  for (size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

unsigned days_in_month(unsigned y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

void put2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

std::optional<int64_t> parse_amz_date(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z') {
    return std::nullopt;
  }
  unsigned y, mo, d, h, mi, s;
  if (!digits(t, 0, 4, y) || !digits(t, 4, 2, mo) || !digits(t, 6, 2, d) || !digits(t, 9, 2, h) ||
      !digits(t, 11, 2, mi) || !digits(t, 13, 2, s)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

std::string format_amz_date(int64_t epoch) {
  int64_t days = epoch / 86400;
  int64_t secs = epoch % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  const Civil c = civil_from_days(days);
  std::string out;
  out.reserve(16);
  const int64_t y = c.year < 0 ? 0 : c.year % 10000;
  put2(out, static_cast<unsigned>(y / 100));
  put2(out, static_cast<unsigned>(y % 100));
  put2(out, c.month);
  put2(out, c.day);
  out.push_back('T');
  put2(out, static_cast<unsigned>(secs / 3600));
  put2(out, static_cast<unsigned>(secs / 60 % 60));
  put2(out, static_cast<unsigned>(secs % 60));
  out.push_back('Z');
  return out;
}

}  // namespace signoff::sigv4
