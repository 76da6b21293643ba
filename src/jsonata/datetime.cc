// $formatInteger/$parseInteger (XPath format-integer pictures: decimal digit patterns with
// grouping, letters, roman numerals, words, ordinals) and $fromMillis/$toMillis (XPath
// format-dateTime pictures), following the reference implementation's datetime.js.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

#include "jsonata/format.h"

namespace signoff::jsonata {
namespace {

using U = std::u32string;

const char* const kFew[] = {"Zero",    "One",     "Two",       "Three",    "Four",
                            "Five",    "Six",     "Seven",     "Eight",    "Nine",
                            "Ten",     "Eleven",  "Twelve",    "Thirteen", "Fourteen",
                            "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char* const kOrdinals[] = {
    "Zeroth",     "First",     "Second",    "Third",       "Fourth",     "Fifth",     "Sixth",
    "Seventh",    "Eighth",    "Ninth",     "Tenth",       "Eleventh",   "Twelfth",   "Thirteenth",
    "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
const char* const kDecades[] = {"Twenty",  "Thirty", "Forty",  "Fifty",  "Sixty",
                                "Seventy", "Eighty", "Ninety", "Hundred"};
const char* const kMagnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};
const char* const kDays[] = {"",         "Monday", "Tuesday",  "Wednesday",
                             "Thursday", "Friday", "Saturday", "Sunday"};
const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};

std::string lookup_words(double num, bool prev, bool ord) {
  std::string words;
  if (num <= 19) {
    words = std::string(prev ? " and " : "") +
            (ord ? kOrdinals[static_cast<int>(num)] : kFew[static_cast<int>(num)]);
  } else if (num < 100) {
    int tens = static_cast<int>(num / 10);
    int rem = static_cast<int>(std::fmod(num, 10));
    words = std::string(prev ? " and " : "") + kDecades[tens - 2];
    if (rem > 0) {
      words += "-" + lookup_words(rem, false, ord);
    } else if (ord) {
      words = words.substr(0, words.size() - 1) + "ieth";
    }
  } else if (num < 1000) {
    int hundreds = static_cast<int>(num / 100);
    double rem = std::fmod(num, 100);
    words = std::string(prev ? ", " : "") + kFew[hundreds] + " Hundred";
    if (rem > 0) {
      words += lookup_words(rem, true, ord);
    } else if (ord) {
      words += "th";
    }
  } else {
    int mag = static_cast<int>(std::floor(std::log10(num) / 3));
    if (mag > 4)
      mag = 4;
    double factor = std::pow(10, mag * 3);
    double mant = std::floor(num / factor);
    double rem = num - mant * factor;
    words = std::string(prev ? ", " : "") + lookup_words(mant, false, false) + " " +
            kMagnitudes[mag - 1];
    if (rem > 0) {
      words += lookup_words(rem, true, ord);
    } else if (ord) {
      words += "th";
    }
  }
  return words;
}

const std::map<std::string, double>& word_values() {
  static const std::map<std::string, double> values = [] {
    std::map<std::string, double> m;
    auto lower = [](std::string s) {
      for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    for (int i = 0; i < 20; ++i)
      m[lower(kFew[i])] = i;
    for (int i = 0; i < 20; ++i)
      m[lower(kOrdinals[i])] = i;
    for (int i = 0; i < 9; ++i) {
      std::string w = lower(kDecades[i]);
      m[w] = (i + 2) * 10;
      m[w.substr(0, w.size() - 1) + "ieth"] = (i + 2) * 10;
    }
    m["hundredth"] = 100;
    for (int i = 0; i < 4; ++i) {
      std::string w = lower(kMagnitudes[i]);
      double v = std::pow(10, (i + 1) * 3);
      m[w] = v;
      m[w + "th"] = v;
    }
    return m;
  }();
  return values;
}

double words_to_number(const std::string& text) {
  // split on ", " | " and " | whitespace | '-'
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, ", ") == 0) {
      parts.push_back(cur);
      cur.clear();
      ++i;
    } else if (text.compare(i, 5, " and ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += 4;
    } else if (text[i] == ' ' || text[i] == '-' || text[i] == '\\' || text[i] == '\t') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(text[i]);
    }
  }
  parts.push_back(cur);
  std::vector<double> segs{0};
  const auto& wv = word_values();
  for (const auto& p : parts) {
    auto it = wv.find(p);
    double value = it == wv.end() ? NAN : it->second;
    if (value < 100) {
      double top = segs.back();
      segs.pop_back();
      if (top >= 1000) {
        segs.push_back(top);
        top = 0;
      }
      segs.push_back(top + value);
    } else {
      double top = segs.back();
      segs.pop_back();
      segs.push_back(top * value);
    }
  }
  double sum = 0;
  for (double s : segs)
    sum += s;
  return sum;
}

std::string decimal_to_roman(double value) {
  static const std::pair<int, const char*> numerals[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
  std::string out;
  int guard = 0;
  while (value >= 1 && ++guard < 100000) {
    for (const auto& [v, s] : numerals) {
      if (value >= v) {
        out += s;
        value -= v;
        break;
      }
    }
  }
  return out;
}

double roman_to_decimal(const std::string& roman) {
  auto val = [](char c) -> double {
    switch (c) {
      case 'M':
        return 1000;
      case 'D':
        return 500;
      case 'C':
        return 100;
      case 'L':
        return 50;
      case 'X':
        return 10;
      case 'V':
        return 5;
      case 'I':
        return 1;
      default:
        return NAN;
    }
  };
  double decimal = 0, max = 1;
  for (size_t i = roman.size(); i-- > 0;) {
    double v = val(roman[i]);
    if (v < max) {
      decimal -= v;
    } else {
      max = v;
      decimal += v;
    }
  }
  return decimal;
}

std::string decimal_to_letters(double value, char a) {
  std::string letters;
  while (value > 0) {
    letters.insert(letters.begin(), static_cast<char>(std::fmod(value - 1, 26) + a));
    value = std::floor((value - 1) / 26);
  }
  return letters;
}

double letters_to_decimal(const std::string& letters, char a) {
  double d = 0;
  for (size_t i = 0; i < letters.size(); ++i) {
    d += (letters[letters.size() - i - 1] - a + 1) * std::pow(26, static_cast<double>(i));
  }
  return d;
}

enum class Primary { Decimal, Letters, Roman, Words, Sequence };
enum class Case { Upper, Lower, Title };

struct Separator {
  size_t position;
  char32_t character;
};

struct IntFormat {
  Primary primary = Primary::Decimal;
  Case tcase = Case::Lower;
  bool ordinal = false;
  char32_t zero = '0';
  long mandatory = 0;
  long optional = 0;
  bool regular = false;
  Separator regular_sep{0, 0};
  std::vector<Separator> separators;
  std::string token;
  long n = -1;
};

const char32_t kDecimalGroups[] = {0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6,
                                   0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0,
                                   0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
                                   0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900,
                                   0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

IntFormat analyse_integer_picture(const std::string& picture) {
  IntFormat f;
  std::string primary = picture;
  size_t semi = picture.rfind(';');
  if (semi != std::string::npos) {
    primary = picture.substr(0, semi);
    std::string mod = picture.substr(semi + 1);
    if (!mod.empty() && mod[0] == 'o')
      f.ordinal = true;
  }
  if (primary == "A") {
    f.tcase = Case::Upper;
    f.primary = Primary::Letters;
  } else if (primary == "a") {
    f.primary = Primary::Letters;
  } else if (primary == "I") {
    f.tcase = Case::Upper;
    f.primary = Primary::Roman;
  } else if (primary == "i") {
    f.primary = Primary::Roman;
  } else if (primary == "W") {
    f.tcase = Case::Upper;
    f.primary = Primary::Words;
  } else if (primary == "Ww") {
    f.tcase = Case::Title;
    f.primary = Primary::Words;
  } else if (primary == "w") {
    f.primary = Primary::Words;
  } else {
    bool have_zero = false;
    char32_t zero = 0;
    long mandatory = 0, optional = 0;
    size_t sep_pos = 0;
    std::vector<Separator> seps;
    U cps = utf8_to_u32(primary);
    std::reverse(cps.begin(), cps.end());
    for (char32_t cp : cps) {
      bool digit = false;
      for (char32_t g : kDecimalGroups) {
        if (cp >= g && cp <= g + 9) {
          digit = true;
          ++mandatory;
          ++sep_pos;
          if (!have_zero) {
            zero = g;
            have_zero = true;
          } else if (g != zero) {
            throw JError("D3131");
          }
          break;
        }
      }
      if (!digit) {
        if (cp == '#') {
          ++sep_pos;
          ++optional;
        } else {
          seps.push_back(Separator{sep_pos, cp});
        }
      }
    }
    if (mandatory > 0) {
      f.primary = Primary::Decimal;
      f.zero = zero;
      f.mandatory = mandatory;
      f.optional = optional;
      size_t regular = 0;
      if (!seps.empty()) {
        bool same = true;
        for (const auto& s : seps)
          same = same && s.character == seps[0].character;
        if (same) {
          size_t factor = seps[0].position;
          for (size_t i = 1; i < seps.size(); ++i) {
            size_t a = factor, b = seps[i].position;
            while (b != 0) {
              size_t t = a % b;
              a = b;
              b = t;
            }
            factor = a;
          }
          regular = factor;
          for (size_t idx = 1; idx <= seps.size(); ++idx) {
            bool found = false;
            for (const auto& s : seps)
              found = found || s.position == idx * factor;
            if (!found) {
              regular = 0;
              break;
            }
          }
        }
      }
      if (regular > 0) {
        f.regular = true;
        f.regular_sep = Separator{regular, seps[0].character};
      } else {
        f.regular = false;
        f.separators = seps;
      }
    } else {
      f.primary = Primary::Sequence;
      f.token = primary;
    }
  }
  return f;
}

std::string upper(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string format_int(double value, const IntFormat& f) {
  bool negative = value < 0;
  value = std::fabs(value);
  std::string out;
  switch (f.primary) {
    case Primary::Letters:
      out = decimal_to_letters(value, f.tcase == Case::Upper ? 'A' : 'a');
      break;
    case Primary::Roman:
      out = decimal_to_roman(value);
      if (f.tcase == Case::Upper)
        out = upper(out);
      break;
    case Primary::Words:
      out = lookup_words(value, false, f.ordinal);
      if (f.tcase == Case::Upper) {
        out = upper(out);
      } else if (f.tcase == Case::Lower) {
        out = lower(out);
      }
      break;
    case Primary::Decimal: {
      std::string digits = number_to_string(value);
      long pad = f.mandatory - static_cast<long>(digits.size());
      if (pad > 0)
        digits = std::string(static_cast<size_t>(pad), '0') + digits;
      U u = utf8_to_u32(digits);
      if (f.zero != '0') {
        for (auto& c : u) {
          if (c >= '0' && c <= '9')
            c = c - '0' + f.zero;
        }
      }
      if (f.regular) {
        long n = (static_cast<long>(u.size()) - 1) / static_cast<long>(f.regular_sep.position);
        for (long ii = n; ii > 0; --ii) {
          long pos = static_cast<long>(u.size()) - ii * static_cast<long>(f.regular_sep.position);
          u.insert(static_cast<size_t>(pos), 1, f.regular_sep.character);
        }
      } else {
        for (auto it = f.separators.rbegin(); it != f.separators.rend(); ++it) {
          long pos = static_cast<long>(u.size()) - static_cast<long>(it->position);
          if (pos < 0)
            pos = 0;
          u.insert(static_cast<size_t>(pos), 1, it->character);
        }
      }
      if (f.ordinal) {
        char32_t last = u.empty() ? 0 : u.back();
        const char* suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : nullptr;
        if (suffix == nullptr || (u.size() > 1 && u[u.size() - 2] == '1'))
          suffix = "th";
        for (const char* c = suffix; *c; ++c)
          u.push_back(static_cast<char32_t>(*c));
      }
      out = u32_to_utf8(u);
      break;
    }
    case Primary::Sequence:
      throw JError("D3130", Val::string(f.token));
  }
  if (negative)
    out = "-" + out;
  return out;
}

// ---- calendar arithmetic (proleptic Gregorian, UTC) ----

constexpr double kDay = 86400000.0;

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t y;
  int m;  // 1..12
  int d;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{y + (m <= 2), m, d};
}

// Date.UTC(year, month0, day, h, m, s, ms) with JS overflow rules.
double date_utc(double y, double mon, double d = 1, double h = 0, double mi = 0, double s = 0,
                double ms = 0) {
  double ym = y + std::floor(mon / 12);
  double mn = std::fmod(mon, 12);
  if (mn < 0)
    mn += 12;
  double days = static_cast<double>(
                    days_from_civil(static_cast<int64_t>(ym), static_cast<int64_t>(mn) + 1, 1)) +
                d - 1;
  return days * kDay + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

struct DateParts {
  double t;
  int64_t year;
  int month;  // 0..11
  int day;
  int weekday;  // 0 = Sunday
  int hour, minute, second, millis;
};

DateParts parts_of(double t) {
  DateParts p{};
  p.t = t;
  double days = std::floor(t / kDay);
  double ms_in_day = t - days * kDay;
  Civil c = civil_from_days(static_cast<int64_t>(days));
  p.year = c.y;
  p.month = c.m - 1;
  p.day = c.d;
  int64_t wd = (static_cast<int64_t>(days) + 4) % 7;
  if (wd < 0)
    wd += 7;
  p.weekday = static_cast<int>(wd);
  int64_t msd = static_cast<int64_t>(ms_in_day);
  p.hour = static_cast<int>(msd / 3600000);
  p.minute = static_cast<int>((msd / 60000) % 60);
  p.second = static_cast<int>((msd / 1000) % 60);
  p.millis = static_cast<int>(msd % 1000);
  return p;
}

double start_of_first_week(int64_t year, int month0) {
  double jan1 = date_utc(static_cast<double>(year), month0);
  int day = parts_of(jan1).weekday;
  if (day == 0)
    day = 7;
  return day > 4 ? jan1 + (8 - day) * kDay : jan1 - (day - 1) * kDay;
}

double delta_weeks(double start, double end) {
  return (end - start) / (kDay * 7) + 1;
}

struct Component {
  bool is_string = false;
  double num = 0;
  std::string str;
};

Component fragment(const DateParts& d, char comp) {
  Component c;
  switch (comp) {
    case 'Y':
      c.num = static_cast<double>(d.year);
      break;
    case 'M':
      c.num = d.month + 1;
      break;
    case 'D':
      c.num = d.day;
      break;
    case 'd': {
      double today = date_utc(static_cast<double>(d.year), d.month, d.day);
      double first = date_utc(static_cast<double>(d.year), 0);
      c.num = (today - first) / kDay + 1;
      break;
    }
    case 'F':
      c.num = d.weekday == 0 ? 7 : d.weekday;
      break;
    case 'W': {
      double start = start_of_first_week(d.year, 0);
      double today = date_utc(static_cast<double>(d.year), d.month, d.day);
      double week = delta_weeks(start, today);
      if (week > 52) {
        if (today >= start_of_first_week(d.year + 1, 0))
          week = 1;
      } else if (week < 1) {
        week = delta_weeks(start_of_first_week(d.year - 1, 0), today);
      }
      c.num = std::floor(week);
      break;
    }
    case 'w': {
      double start = start_of_first_week(d.year, d.month);
      double today = date_utc(static_cast<double>(d.year), d.month, d.day);
      double week = delta_weeks(start, today);
      int64_t ny = d.month == 11 ? d.year + 1 : d.year;
      int nm = d.month == 11 ? 0 : d.month + 1;
      int64_t py = d.month == 0 ? d.year - 1 : d.year;
      int pm = d.month == 0 ? 11 : d.month - 1;
      if (week > 4) {
        if (today >= start_of_first_week(ny, nm))
          week = 1;
      } else if (week < 1) {
        week = delta_weeks(start_of_first_week(py, pm), today);
      }
      c.num = std::floor(week);
      break;
    }
    case 'X': {
      double start = start_of_first_week(d.year, 0);
      double end = start_of_first_week(d.year + 1, 0);
      c.num = static_cast<double>(d.t < start ? d.year - 1 : d.t >= end ? d.year + 1 : d.year);
      break;
    }
    case 'x': {
      double start = start_of_first_week(d.year, d.month);
      int64_t ny = d.month == 11 ? d.year + 1 : d.year;
      int nm = d.month == 11 ? 0 : d.month + 1;
      double end = start_of_first_week(ny, nm);
      int pm = d.month == 0 ? 11 : d.month - 1;
      c.num = d.t < start ? pm + 1 : d.t >= end ? nm + 1 : d.month + 1;
      break;
    }
    case 'H':
      c.num = d.hour;
      break;
    case 'h':
      c.num = d.hour % 12 == 0 ? 12 : d.hour % 12;
      break;
    case 'P':
      c.is_string = true;
      c.str = d.hour >= 12 ? "pm" : "am";
      break;
    case 'm':
      c.num = d.minute;
      break;
    case 's':
      c.num = d.second;
      break;
    case 'f':
      c.num = d.millis;
      break;
    case 'C':
    case 'E':
      c.is_string = true;
      c.str = "ISO";
      break;
    default:
      c.is_string = true;
      break;
  }
  return c;
}

struct Width {
  bool has_min = false, has_max = false;
  long min = 0, max = 0;
};

struct Part {
  bool literal = true;
  std::string value;
  char component = 0;
  std::string pres1, pres2;
  bool has_pres2 = false;
  bool ordinal = false;
  bool has_width = false;
  Width width;
  Case names = Case::Lower;
  bool has_names = false;
  bool has_int = false;
  IntFormat int_format;
  long n = -1;
};

const char* default_presentation(char c) {
  switch (c) {
    case 'Y':
    case 'M':
    case 'D':
    case 'd':
    case 'W':
    case 'w':
    case 'X':
    case 'x':
    case 'H':
    case 'h':
    case 'f':
      return "1";
    case 'F':
    case 'P':
    case 'C':
    case 'E':
      return "n";
    case 'm':
    case 's':
      return "01";
    case 'Z':
    case 'z':
      return "01:01";
    default:
      return nullptr;
  }
}

std::vector<Part> analyse_datetime_picture(const std::string& picture) {
  std::vector<Part> spec;
  auto add_literal = [&](size_t start, size_t end) {
    if (end > start) {
      std::string lit = picture.substr(start, end - start);
      std::string out;
      for (size_t i = 0; i < lit.size(); ++i) {
        if (lit[i] == ']' && i + 1 < lit.size() && lit[i + 1] == ']') {
          out += ']';
          ++i;
        } else {
          out += lit[i];
        }
      }
      Part p;
      p.value = out;
      spec.push_back(p);
    }
  };
  size_t start = 0, pos = 0;
  while (pos < picture.size()) {
    if (picture[pos] == '[') {
      if (pos + 1 < picture.size() && picture[pos + 1] == '[') {
        add_literal(start, pos);
        Part p;
        p.value = "[";
        spec.push_back(p);
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(start, pos);
      start = pos;
      pos = picture.find(']', start);
      if (pos == std::string::npos)
        throw JError("D3135");
      std::string marker;
      for (char c : picture.substr(start + 1, pos - start - 1)) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
          marker += c;
      }
      Part def;
      def.literal = false;
      def.component = marker.empty() ? 0 : marker[0];
      size_t comma = marker.rfind(',');
      std::string pres;
      if (comma != std::string::npos) {
        std::string wm = marker.substr(comma + 1);
        size_t dash = wm.find('-');
        std::string mn = dash == std::string::npos ? wm : wm.substr(0, dash);
        std::string mx = dash == std::string::npos ? "" : wm.substr(dash + 1);
        def.has_width = true;
        if (!mn.empty() && mn != "*") {
          def.width.has_min = true;
          def.width.min = std::strtol(mn.c_str(), nullptr, 10);
        }
        if (dash != std::string::npos && !mx.empty() && mx != "*") {
          def.width.has_max = true;
          def.width.max = std::strtol(mx.c_str(), nullptr, 10);
        }
        pres = marker.substr(1, comma - 1);
      } else {
        pres = marker.size() > 1 ? marker.substr(1) : "";
      }
      if (pres.size() == 1) {
        def.pres1 = pres;
      } else if (pres.size() > 1) {
        char last = pres.back();
        if (std::string("atco").find(last) != std::string::npos) {
          def.pres2 = std::string(1, last);
          def.has_pres2 = true;
          if (last == 'o')
            def.ordinal = true;
          def.pres1 = pres.substr(0, pres.size() - 1);
        } else {
          def.pres1 = pres;
        }
      } else {
        const char* d = default_presentation(def.component);
        if (d == nullptr)
          throw JError("D3132", Val::string(std::string(1, def.component)));
        def.pres1 = d;
      }
      if (def.pres1[0] == 'n') {
        def.has_names = true;
        def.names = Case::Lower;
      } else if (def.pres1[0] == 'N') {
        def.has_names = true;
        def.names = def.pres1.size() > 1 && def.pres1[1] == 'n' ? Case::Title : Case::Upper;
      } else if (std::string("YMDdFWwXxHhmsf").find(def.component) != std::string::npos) {
        std::string pattern = def.pres1;
        if (def.has_pres2)
          pattern += ";" + def.pres2;
        def.int_format = analyse_integer_picture(pattern);
        def.has_int = true;
        if (def.has_width && def.width.has_min && def.int_format.mandatory < def.width.min) {
          def.int_format.mandatory = def.width.min;
        }
        if (def.component == 'Y') {
          def.n = -1;
          if (def.has_width && def.width.has_max) {
            def.n = def.width.max;
            def.int_format.mandatory = def.n;
          } else {
            long w = def.int_format.mandatory + def.int_format.optional;
            if (w >= 2)
              def.n = w;
          }
        }
      }
      if (def.component == 'Z' || def.component == 'z') {
        def.int_format = analyse_integer_picture(def.pres1);
        def.has_int = true;
      }
      spec.push_back(def);
      start = pos + 1;
    }
    ++pos;
  }
  add_literal(start, pos);
  return spec;
}

}  // namespace

std::string format_integer(double value, const std::string& picture) {
  value = std::floor(value);
  return format_int(value, analyse_integer_picture(picture));
}

namespace {

struct Matcher {
  std::string regex;
  char component = 0;
  std::function<std::optional<double>(const std::string&)> parse;
};

std::string escape_regex(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string(".*+?^${}()|[]\\").find(c) != std::string::npos)
      out += '\\';
    out += c;
  }
  return out;
}

Matcher integer_matcher(const IntFormat& f) {
  Matcher m;
  bool is_upper = f.tcase == Case::Upper;
  std::string occurrences = f.n > 0 ? "{" + std::to_string(f.n) + "}" : "+";
  switch (f.primary) {
    case Primary::Letters:
      m.regex = is_upper ? "[A-Z]+" : "[a-z]+";
      m.parse = [is_upper](const std::string& v) -> std::optional<double> {
        return letters_to_decimal(v, is_upper ? 'A' : 'a');
      };
      break;
    case Primary::Roman:
      m.regex = is_upper ? "[MDCLXVI]+" : "[mdclxvi]+";
      m.parse = [](const std::string& v) -> std::optional<double> {
        return roman_to_decimal(upper(v));
      };
      break;
    case Primary::Words: {
      m.regex = "(?:";
      bool first = true;
      for (const auto& [k, v] : word_values()) {
        (void)v;
        if (!first)
          m.regex += "|";
        m.regex += k;
        first = false;
      }
      m.regex += "|and|[\\-, ])+";
      m.parse = [](const std::string& v) -> std::optional<double> {
        return words_to_number(lower(v));
      };
      break;
    }
    case Primary::Decimal: {
      m.regex = "[0-9]" + occurrences;
      if (f.ordinal)
        m.regex += "(?:th|st|nd|rd)";
      IntFormat fc = f;
      m.parse = [fc](const std::string& v) -> std::optional<double> {
        U digits = utf8_to_u32(v);
        if (fc.ordinal && digits.size() >= 2)
          digits.resize(digits.size() - 2);
        U clean;
        for (char32_t c : digits) {
          bool sep = false;
          if (fc.regular) {
            sep = c == ',';
          } else {
            for (const auto& s : fc.separators)
              sep = sep || s.character == c;
          }
          if (!sep)
            clean.push_back(c);
        }
        if (fc.zero != '0') {
          for (auto& c : clean)
            c = c - fc.zero + '0';
        }
        std::string ascii = u32_to_utf8(clean);
        size_t k = 0;
        if (k < ascii.size() && (ascii[k] == '-' || ascii[k] == '+'))
          ++k;
        size_t d0 = k;
        while (k < ascii.size() && ascii[k] >= '0' && ascii[k] <= '9')
          ++k;
        if (k == d0)
          return std::nullopt;
        return std::strtod(ascii.substr(0, k).c_str(), nullptr);
      };
      break;
    }
    case Primary::Sequence:
      throw JError("D3130", Val::string(f.token));
  }
  return m;
}

std::optional<double> parse_iso8601(const std::string& s) {
  // ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
  static const std::shared_ptr<const regex::Regex> re = compile_regex(
      "^(\\d{4})(-[01]\\d)?(-[0-3]\\d)?(T[0-2]\\d:[0-5]\\d:[0-5]\\d)?(\\.\\d+)?([+-][0-2]\\d:?[0-5]"
      "\\d|Z)?$",
      "");
  RegexMatch m;
  if (!regex_search(*re, s, 0, m) || m.start != 0 || m.end != s.size())
    return std::nullopt;
  auto grp = [&](size_t i) -> std::string {
    if (i >= m.groups.size() || !m.groups[i])
      return "";
    return s.substr(m.groups[i]->first, m.groups[i]->second - m.groups[i]->first);
  };
  double y = std::strtod(grp(0).c_str(), nullptr);
  double mon = grp(1).empty() ? 1 : std::strtod(grp(1).c_str() + 1, nullptr);
  double day = grp(2).empty() ? 1 : std::strtod(grp(2).c_str() + 1, nullptr);
  double h = 0, mi = 0, sec = 0, ms = 0;
  std::string t = grp(3);
  if (!t.empty()) {
    h = std::strtod(t.substr(1, 2).c_str(), nullptr);
    mi = std::strtod(t.substr(4, 2).c_str(), nullptr);
    sec = std::strtod(t.substr(7, 2).c_str(), nullptr);
  }
  std::string frac = grp(4);
  if (!frac.empty()) {
    std::string digits = frac.substr(1);
    digits.resize(3, '0');
    ms = std::strtod(digits.c_str(), nullptr);
  }
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || h > 24 || mi > 59 || sec > 59)
    return NAN;
  double result = date_utc(y, mon - 1, day, h, mi, sec, ms);
  std::string tz = grp(5);
  if (!tz.empty() && tz != "Z") {
    double sign = tz[0] == '-' ? -1 : 1;
    double th = std::strtod(tz.substr(1, 2).c_str(), nullptr);
    double tm = std::strtod(tz.substr(tz.size() - 2).c_str(), nullptr);
    result -= sign * (th * 60 + tm) * 60000;
  }
  return result;
}

}  // namespace

std::optional<double> parse_integer(const std::string& value, const std::string& picture) {
  IntFormat f = analyse_integer_picture(picture);
  Matcher m = integer_matcher(f);
  return m.parse(value);
}

std::string from_millis(double millis, const std::optional<std::string>& picture,
                        const std::optional<std::string>& timezone) {
  double offset_hours = 0, offset_minutes = 0;
  if (timezone) {
    double offset = std::strtod(timezone->c_str(), nullptr);
    offset = std::trunc(offset);
    offset_hours = std::floor(offset / 100);
    offset_minutes = std::fmod(offset, 100);
  }
  static const std::vector<Part> iso =
      analyse_datetime_picture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
  std::vector<Part> spec = picture ? analyse_datetime_picture(*picture) : iso;
  double offset_millis = (60 * offset_hours + offset_minutes) * 60 * 1000;
  DateParts date = parts_of(millis + offset_millis);
  std::string result;
  for (const Part& part : spec) {
    if (part.literal) {
      result += part.value;
      continue;
    }
    char comp = part.component;
    Component cv = fragment(date, comp);
    std::string out;
    if (std::string("YMDdFWwXxHhms").find(comp) != std::string::npos && comp != 0) {
      double v = cv.num;
      if (comp == 'Y' && part.n != -1)
        v = std::fmod(v, std::pow(10, part.n));
      if (part.has_names) {
        std::string name;
        if (comp == 'M' || comp == 'x') {
          name = kMonths[static_cast<int>(v) - 1];
        } else if (comp == 'F') {
          name = kDays[static_cast<int>(v)];
        } else {
          throw JError("D3133", Val::string(std::string(1, comp)));
        }
        if (part.names == Case::Upper) {
          name = upper(name);
        } else if (part.names == Case::Lower) {
          name = lower(name);
        }
        if (part.has_width && part.width.has_max &&
            static_cast<long>(name.size()) > part.width.max) {
          name = name.substr(0, static_cast<size_t>(part.width.max));
        }
        out = name;
      } else {
        out = format_int(v, part.int_format);
      }
    } else if (comp == 'f') {
      out = format_int(cv.num, part.int_format);
    } else if (comp == 'Z' || comp == 'z') {
      double offset = offset_hours * 100 + offset_minutes;
      if (part.int_format.regular) {
        out = format_int(offset, part.int_format);
      } else {
        long digits = part.int_format.mandatory;
        if (digits == 1 || digits == 2) {
          out = format_int(offset_hours, part.int_format);
          if (offset_minutes != 0)
            out += ":" + format_integer(offset_minutes, "00");
        } else if (digits == 3 || digits == 4) {
          out = format_int(offset, part.int_format);
        } else {
          throw JError("D3134", Val::number(static_cast<double>(digits)));
        }
      }
      if (offset >= 0)
        out = "+" + out;
      if (comp == 'z')
        out = "GMT" + out;
      if (offset == 0 && part.pres2 == "t")
        out = "Z";
    } else {
      out = cv.str;
      if (part.has_names && comp == 'P') {
        if (part.names == Case::Upper)
          out = upper(out);
      }
    }
    result += out;
  }
  return result;
}

std::optional<double> to_millis(const std::string& timestamp,
                                const std::optional<std::string>& picture, double now) {
  if (!picture) {
    auto r = parse_iso8601(timestamp);
    if (!r)
      throw JError("D3110", Val::string(timestamp));
    if (std::isnan(*r))
      return std::nullopt;
    return r;
  }
  std::vector<Part> spec = analyse_datetime_picture(*picture);
  std::vector<Matcher> parts;
  for (const Part& part : spec) {
    Matcher m;
    if (part.literal) {
      m.regex = escape_regex(part.value);
    } else if (part.component == 'Z' || part.component == 'z') {
      bool has_sep = part.int_format.regular;
      char32_t sep = part.int_format.regular_sep.character;
      std::string sep_s = u32_to_utf8(U(1, sep));
      m.regex = part.component == 'z' ? "GMT" : "";
      m.regex += "[-+][0-9]+";
      if (has_sep)
        m.regex += escape_regex(sep_s) + "[0-9]+";
      char comp = part.component;
      m.parse = [has_sep, sep_s, comp](const std::string& v0) -> std::optional<double> {
        std::string v = comp == 'z' ? v0.substr(3) : v0;
        double oh = 0, om = 0;
        if (has_sep) {
          size_t i = v.find(sep_s);
          oh = std::strtod(v.substr(0, i).c_str(), nullptr);
          om = std::strtod(v.substr(i + sep_s.size()).c_str(), nullptr);
        } else {
          size_t nd = v.size() - 1;
          if (nd <= 2) {
            oh = std::strtod(v.c_str(), nullptr);
          } else {
            oh = std::strtod(v.substr(0, 3).c_str(), nullptr);
            om = std::strtod(v.substr(3).c_str(), nullptr);
          }
        }
        return oh * 60 + om;
      };
    } else if (part.has_int) {
      IntFormat f = part.int_format;
      f.n = part.n;
      if (part.component != 'Y') {
        // Fixed-width fields (e.g. [M01]) match exactly that many digits so that pictures without
        // separators ([Y0001][M01][D01]) can be parsed; optional digits make the field variable.
        f.n = part.has_width && part.width.has_max
                  ? part.width.max
                  : (f.optional == 0 && f.mandatory >= 2 ? f.mandatory : -1);
      }
      m = integer_matcher(f);
      if (part.component == 'f') {
        // Fractional seconds: the digits are a decimal fraction of a second.
        m.regex = "[0-9]+";
        m.parse = [](const std::string& v) -> std::optional<double> {
          return std::floor(std::strtod(("0." + v).c_str(), nullptr) * 1000);
        };
      }
    } else {
      m.regex = "[a-zA-Z]+";
      std::map<std::string, double> lookup;
      if (part.component == 'M' || part.component == 'x') {
        for (int i = 0; i < 12; ++i) {
          std::string name = kMonths[i];
          if (part.has_width && part.width.has_max)
            name = name.substr(0, static_cast<size_t>(part.width.max));
          lookup[lower(name)] = i + 1;
        }
      } else if (part.component == 'F') {
        for (int i = 1; i < 8; ++i) {
          std::string name = kDays[i];
          if (part.has_width && part.width.has_max)
            name = name.substr(0, static_cast<size_t>(part.width.max));
          lookup[lower(name)] = i;
        }
      } else if (part.component == 'P') {
        lookup = {{"am", 0}, {"pm", 1}};
      } else {
        throw JError("D3133", Val::string(std::string(1, part.component)));
      }
      m.parse = [lookup](const std::string& v) -> std::optional<double> {
        auto it = lookup.find(lower(v));
        if (it == lookup.end())
          return std::nullopt;
        return it->second;
      };
    }
    m.component = part.literal ? 0 : part.component;
    parts.push_back(std::move(m));
  }
  std::string full = "^";
  for (const auto& p : parts)
    full += "(" + p.regex + ")";
  full += "$";
  auto re = compile_regex(full, "i");
  RegexMatch rm;
  if (!regex_search(*re, timestamp, 0, rm))
    return std::nullopt;
  std::map<char, double> comps;
  std::map<char, bool> present;
  // Group numbering: each part is one group; inner groups are non-capturing.
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].parse)
      continue;
    if (i >= rm.groups.size() || !rm.groups[i])
      continue;
    std::string text =
        timestamp.substr(rm.groups[i]->first, rm.groups[i]->second - rm.groups[i]->first);
    auto v = parts[i].parse(text);
    present[parts[i].component] = true;
    comps[parts[i].component] = v ? *v : NAN;
  }
  if (present.empty())
    return std::nullopt;
  int mask = 0;
  auto shift = [&](char c) {
    mask <<= 1;
    mask += present.count(c) ? 1 : 0;
  };
  auto is_type = [&](int type) {
    return (~type & mask) == 0 && (type & mask) != 0;
  };
  for (char c : std::string("YXMxWwdD"))
    shift(c);
  bool date_a = is_type(161);
  bool date_b = !date_a && is_type(130);
  bool date_c = is_type(84);
  bool date_d = !date_c && is_type(72);
  mask = 0;
  for (char c : std::string("PHhmsf"))
    shift(c);
  bool time_a = is_type(23);
  bool time_b = !time_a && is_type(47);
  std::string date_comps = date_b ? "YD" : date_c ? "XxwF" : date_d ? "XWF" : "YMD";
  std::string time_comps = time_b ? "Phmsf" : "Hmsf";
  std::string all = date_comps + time_comps;
  DateParts now_parts = parts_of(now);
  bool start_specified = false, end_specified = false;
  for (char c : all) {
    if (!present.count(c)) {
      if (start_specified) {
        comps[c] = std::string("MDd").find(c) != std::string::npos ? 1 : 0;
        end_specified = true;
      } else {
        Component f = fragment(now_parts, c);
        comps[c] = f.is_string ? (f.str == "pm" ? 1 : 0) : f.num;
      }
    } else {
      start_specified = true;
      if (end_specified)
        throw JError("D3136");
    }
  }
  if (comps['M'] > 0) {
    comps['M'] -= 1;
  } else {
    comps['M'] = 0;
  }
  if (date_b) {
    double first = date_utc(comps['Y'], 0);
    DateParts dp = parts_of(first + (comps['d'] - 1) * kDay);
    comps['M'] = dp.month;
    comps['D'] = dp.day;
  }
  if (date_c || date_d)
    throw JError("D3136");
  if (time_b) {
    comps['H'] = comps['h'] == 12 ? 0 : comps['h'];
    if (comps['P'] == 1)
      comps['H'] += 12;
  }
  double millis =
      date_utc(comps['Y'], comps['M'], comps['D'], comps['H'], comps['m'], comps['s'], comps['f']);
  double tz = present.count('Z') ? comps['Z'] : present.count('z') ? comps['z'] : 0;
  if (tz != 0 && !std::isnan(tz))
    millis -= tz * 60 * 1000;
  if (std::isnan(millis))
    return std::nullopt;
  return millis;
}

}  // namespace signoff::jsonata
