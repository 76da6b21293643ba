#include "bus/schedule.h"

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace signoff::bus {

namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 86'400'000;
constexpr int kFirstYear = 1970;
constexpr int kLastYear = 2199;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    }
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    }
    if (i > start) {
      out.push_back(s.substr(start, i - start));
    }
  }
  return out;
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  if (s.empty() || s.size() > 6) {
    return std::nullopt;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// 1 = Sunday .. 7 = Saturday.
int weekday_of(int64_t days) {
  int64_t w = (days + 4) % 7;  // 1970-01-01 was a Thursday (4 with Sunday = 0)
  if (w < 0) {
    w += 7;
  }
  return static_cast<int>(w) + 1;
}

const std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

struct FieldRange {
  int min;
  int max;
  const std::string_view* names = nullptr;  // names[0] is `min`
  size_t name_count = 0;
};

std::optional<int> field_value(std::string_view s, const FieldRange& r) {
  if (r.names != nullptr) {
    for (size_t i = 0; i < r.name_count; ++i) {
      if (s.size() == 3 && std::toupper(static_cast<unsigned char>(s[0])) == r.names[i][0] &&
          std::toupper(static_cast<unsigned char>(s[1])) == r.names[i][1] &&
          std::toupper(static_cast<unsigned char>(s[2])) == r.names[i][2]) {
        return r.min + static_cast<int>(i);
      }
    }
  }
  auto v = to_int(s);
  if (!v || *v < r.min || *v > r.max) {
    return std::nullopt;
  }
  return v;
}

// "*", "5", "1-5", "*/10", "3/15", "1-30/2", and lists of them. Sets bits value - base.
template <size_t N>
bool parse_list(std::string_view field, const FieldRange& r, int base, std::bitset<N>& out) {
  for (std::string_view item : split(field, ',')) {
    if (item.empty()) {
      return false;
    }
    int step = 1;
    if (size_t slash = item.find('/'); slash != std::string_view::npos) {
      auto s = to_int(item.substr(slash + 1));
      if (!s || *s <= 0) {
        return false;
      }
      step = *s;
      item = item.substr(0, slash);
    }
    int lo = r.min;
    int hi = r.max;
    if (item != "*") {
      size_t dash = item.find('-', 1);
      auto a = field_value(item.substr(0, dash), r);
      if (!a) {
        return false;
      }
      lo = *a;
      if (dash != std::string_view::npos) {
        auto b = field_value(item.substr(dash + 1), r);
        if (!b || *b < lo) {
          return false;
        }
        hi = *b;
      } else if (step == 1) {
        hi = lo;
      }
    }
    for (int v = lo; v <= hi; v += step) {
      out.set(static_cast<size_t>(v - base));
    }
  }
  return true;
}

bool parse_days(std::string_view f, CronSpec& c) {
  const FieldRange r{1, 31};
  if (f == "?") {
    c.any_day = true;
    return true;
  }
  if (f == "L") {
    c.last_day = true;
    return true;
  }
  if (f.rfind("L-", 0) == 0) {
    auto n = to_int(f.substr(2));
    if (!n || *n < 0 || *n > 30) {
      return false;
    }
    c.last_day = true;
    c.last_day_offset = *n;
    return true;
  }
  if (f == "LW") {
    c.last_weekday_of_month = true;
    return true;
  }
  if (!f.empty() && f.back() == 'W') {
    auto n = field_value(f.substr(0, f.size() - 1), r);
    if (!n) {
      return false;
    }
    c.nearest_weekday = *n;
    return true;
  }
  return parse_list(f, r, 0, c.days);
}

bool parse_weekdays(std::string_view f, CronSpec& c) {
  const FieldRange r{1, 7, kDayNames.data(), kDayNames.size()};
  if (f == "?") {
    c.any_weekday = true;
    return true;
  }
  if (f == "L") {  // the last day of the week: Saturday
    c.weekdays.set(7);
    return true;
  }
  if (!f.empty() && f.back() == 'L') {
    auto n = field_value(f.substr(0, f.size() - 1), r);
    if (!n) {
      return false;
    }
    c.last_weekday = *n;
    return true;
  }
  if (size_t hash = f.find('#'); hash != std::string_view::npos) {
    auto d = field_value(f.substr(0, hash), r);
    auto n = to_int(f.substr(hash + 1));
    if (!d || !n || *n < 1 || *n > 5) {
      return false;
    }
    c.nth_weekday = *d;
    c.nth_index = *n;
    return true;
  }
  return parse_list(f, r, 0, c.weekdays);
}

std::optional<Schedule> parse_rate(std::string_view body) {
  auto parts = split_spaces(body);
  if (parts.size() != 2) {
    return std::nullopt;
  }
  auto n = to_int(parts[0]);
  if (!n || *n <= 0) {
    return std::nullopt;
  }
  std::string_view unit = parts[1];
  // EventBridge wants the singular for 1 and the plural otherwise.
  bool plural = *n != 1;
  int64_t unit_ms = 0;
  if (unit == (plural ? "minutes" : "minute")) {
    unit_ms = kMinuteMs;
  } else if (unit == (plural ? "hours" : "hour")) {
    unit_ms = 60 * kMinuteMs;
  } else if (unit == (plural ? "days" : "day")) {
    unit_ms = kDayMs;
  } else {
    return std::nullopt;
  }
  Schedule s;
  s.kind = Schedule::Kind::Rate;
  s.period_ms = *n * unit_ms;
  return s;
}

std::optional<Schedule> parse_cron(std::string_view body) {
  auto f = split_spaces(body);
  if (f.size() != 6) {
    return std::nullopt;
  }
  Schedule s;
  s.kind = Schedule::Kind::Cron;
  CronSpec& c = s.cron;
  if (!parse_list(f[0], FieldRange{0, 59}, 0, c.minutes) ||
      !parse_list(f[1], FieldRange{0, 23}, 0, c.hours) || !parse_days(f[2], c) ||
      !parse_list(f[3], FieldRange{1, 12, kMonthNames.data(), kMonthNames.size()}, 0, c.months) ||
      !parse_weekdays(f[4], c) ||
      !parse_list(f[5], FieldRange{kFirstYear, kLastYear}, kFirstYear, c.years)) {
    return std::nullopt;
  }
  // Exactly one of day-of-month and day-of-week is '?', as EventBridge requires.
  if (c.any_day == c.any_weekday) {
    return std::nullopt;
  }
  return s;
}

int nearest_weekday(int y, int m, int target) {
  int dim = days_in_month(y, m);
  if (target > dim) {
    target = dim;
  }
  int wd = weekday_of(days_from_civil(y, m, target));
  if (wd == 7) {  // Saturday: the Friday before, unless that leaves the month
    return target == 1 ? 3 : target - 1;
  }
  if (wd == 1) {  // Sunday: the Monday after, unless that leaves the month
    return target == dim ? target - 2 : target + 1;
  }
  return target;
}

bool day_matches(const CronSpec& c, int y, int m, int d, int64_t days) {
  int dim = days_in_month(y, m);
  if (c.any_day) {
    int wd = weekday_of(days);
    if (c.last_weekday != 0) {
      return wd == c.last_weekday && d + 7 > dim;
    }
    if (c.nth_weekday != 0) {
      return wd == c.nth_weekday && (d - 1) / 7 + 1 == c.nth_index;
    }
    return c.weekdays.test(static_cast<size_t>(wd));
  }
  if (c.last_day) {
    return d == dim - c.last_day_offset;
  }
  if (c.nearest_weekday != 0) {
    return d == nearest_weekday(y, m, c.nearest_weekday);
  }
  if (c.last_weekday_of_month) {
    int last = dim;
    while (weekday_of(days_from_civil(y, m, last)) == 1 ||
           weekday_of(days_from_civil(y, m, last)) == 7) {
      --last;
    }
    return d == last;
  }
  return c.days.test(static_cast<size_t>(d));
}

}  // namespace

std::optional<Schedule> parse_schedule(std::string_view expression) {
  std::string_view e = trim(expression);
  if (e.size() > 256 || e.empty() || e.back() != ')') {
    return std::nullopt;
  }
  if (e.rfind("rate(", 0) == 0) {
    return parse_rate(e.substr(5, e.size() - 6));
  }
  if (e.rfind("cron(", 0) == 0) {
    return parse_cron(e.substr(5, e.size() - 6));
  }
  return std::nullopt;
}

std::optional<int64_t> next_fire(const Schedule& s, int64_t after_ms, int64_t anchor_ms) {
  if (s.kind == Schedule::Kind::Rate) {
    if (after_ms < anchor_ms) {
      return anchor_ms;
    }
    int64_t periods = (after_ms - anchor_ms) / s.period_ms + 1;
    return anchor_ms + periods * s.period_ms;
  }
  const CronSpec& c = s.cron;
  int64_t start = (after_ms / kMinuteMs + 1) * kMinuteMs;  // whole minutes strictly after
  int64_t day = start / kDayMs;
  int first_minute_of_day = static_cast<int>((start % kDayMs) / kMinuteMs);
  for (;; ++day, first_minute_of_day = 0) {
    int y = 0;
    int m = 0;
    int d = 0;
    civil_from_days(day, y, m, d);
    if (y > kLastYear) {
      return std::nullopt;
    }
    if (y < kFirstYear || !c.years.test(static_cast<size_t>(y - kFirstYear))) {
      day = days_from_civil(y + 1, 1, 1) - 1;  // skip to the next year
      continue;
    }
    if (!c.months.test(static_cast<size_t>(m))) {
      day = days_from_civil(y, m, days_in_month(y, m));  // skip to the month's end
      continue;
    }
    if (!day_matches(c, y, m, d, day)) {
      continue;
    }
    for (int minute_of_day = first_minute_of_day; minute_of_day < 24 * 60; ++minute_of_day) {
      if (c.hours.test(static_cast<size_t>(minute_of_day / 60)) &&
          c.minutes.test(static_cast<size_t>(minute_of_day % 60))) {
        return day * kDayMs + minute_of_day * kMinuteMs;
      }
    }
  }
}

}  // namespace signoff::bus
