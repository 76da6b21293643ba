// $formatNumber (XPath F&O 3.1 format-number, as the reference implements it), and helpers.
#include "jsonata/format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace signoff::jsonata {

std::optional<double> parse_js_number_literal(const std::string& s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-')
    ++i;
  size_t d0 = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9')
    ++i;
  bool ok = i > d0;
  if (ok && i < s.size() && s[i] == '.') {
    size_t f0 = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    ok = i > f0;
  }
  if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
      ++i;
    size_t e0 = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    ok = i > e0;
  }
  if (ok && i == s.size()) {
    double d = std::strtod(s.c_str(), nullptr);
    if (std::isfinite(d))
      return d;
    return std::nullopt;
  }
  if (s.size() > 2 && s[0] == '0') {
    int base = 0;
    char p = s[1];
    if (p == 'x' || p == 'X')
      base = 16;
    if (p == 'o' || p == 'O')
      base = 8;
    if (p == 'b' || p == 'B')
      base = 2;
    if (base != 0) {
      double v = 0;
      for (size_t k = 2; k < s.size(); ++k) {
        char c = s[k];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : 99;
        if (d >= base)
          return std::nullopt;
        v = v * base + d;
      }
      return v;
    }
  }
  return std::nullopt;
}

double jsonata_round(double x, int precision) {
  auto shift = [](double v, int p) {
    std::string s = number_to_string(v);
    size_t e = s.find('e');
    std::string mant = e == std::string::npos ? s : s.substr(0, e);
    int exp = e == std::string::npos ? 0 : std::atoi(s.c_str() + e + 1);
    std::string t = mant + "e" + std::to_string(exp + p);
    return std::strtod(t.c_str(), nullptr);
  };
  if (precision != 0)
    x = shift(x, precision);
  double result = std::floor(x + 0.5);
  double diff = result - x;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2.0)) == 1)
    result -= 1;
  if (precision != 0)
    result = shift(result, -precision);
  if (result == 0)
    result = 0;
  return result;
}

namespace {

using U = std::u32string;

JError ferr(const char* code) {
  return JError(code);
}

size_t find(const U& s, char32_t c, size_t from = 0) {
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == c)
      return i;
  }
  return U::npos;
}
size_t rfind(const U& s, char32_t c) {
  for (size_t i = s.size(); i-- > 0;) {
    if (s[i] == c)
      return i;
  }
  return U::npos;
}
bool contains(const U& s, char32_t c) {
  return find(s, c) != U::npos;
}

struct Props {
  char32_t decimal = '.', grouping = ',', exponent = 'e', minus = '-', percent = '%',
           permille = 0x2030, zero = '0', digit = '#', pattern = ';';
  U infinity = U"Infinity", nan = U"NaN";
};

struct Parts {
  U prefix, suffix, active, mantissa, integer, fractional, sub;
  bool has_exponent = false;
  U exponent;
};

struct Pic {
  std::vector<size_t> int_groups;
  size_t regular = 0;
  long min_int = 0;
  long scaling = 0;
  U prefix, suffix;
  std::vector<size_t> frac_groups;
  long min_frac = 0, max_frac = 0, min_exp = 0;
  U picture;
  U fractional;
};

}  // namespace

std::string format_number(double value, const std::string& picture_utf8, const Val& options) {
  Props p;
  if (options.is_object()) {
    options.for_each_member([&](std::string_view k, const Val& v) {
      if (!v.is_string())
        return;
      U s = utf8_to_u32(v.as_string());
      char32_t c = s.empty() ? 0 : s[0];
      if (k == "decimal-separator")
        p.decimal = c;
      else if (k == "grouping-separator")
        p.grouping = c;
      else if (k == "exponent-separator")
        p.exponent = c;
      else if (k == "minus-sign")
        p.minus = c;
      else if (k == "percent")
        p.percent = c;
      else if (k == "per-mille")
        p.permille = c;
      else if (k == "zero-digit")
        p.zero = c;
      else if (k == "digit")
        p.digit = c;
      else if (k == "pattern-separator")
        p.pattern = c;
      else if (k == "infinity")
        p.infinity = s;
      else if (k == "NaN")
        p.nan = s;
    });
  }
  U family;
  for (int i = 0; i < 10; ++i)
    family.push_back(p.zero + static_cast<char32_t>(i));
  U active = family;
  active.push_back(p.decimal);
  active.push_back(p.exponent);
  active.push_back(p.grouping);
  active.push_back(p.digit);
  active.push_back(p.pattern);
  auto is_digit = [&](char32_t c) {
    return contains(family, c);
  };
  auto is_active = [&](char32_t c) {
    return contains(active, c);
  };

  U picture = utf8_to_u32(picture_utf8);
  std::vector<U> subs;
  {
    U cur;
    for (char32_t c : picture) {
      if (c == p.pattern) {
        subs.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    subs.push_back(cur);
  }
  if (subs.size() > 2)
    throw ferr("D3080");

  auto split_parts = [&](const U& sub) {
    Parts r;
    r.sub = sub;
    size_t pl = 0;
    for (size_t i = 0; i < sub.size(); ++i) {
      if (is_active(sub[i]) && sub[i] != p.exponent) {
        pl = i;
        break;
      }
    }
    r.prefix = sub.substr(0, pl);
    size_t sl = 0;
    for (size_t i = sub.size(); i-- > 0;) {
      if (is_active(sub[i]) && sub[i] != p.exponent) {
        sl = sub.size() - i - 1;
        break;
      }
    }
    r.suffix = sub.substr(sub.size() - sl);
    r.active = pl <= sub.size() - sl ? sub.substr(pl, sub.size() - sl - pl) : U();
    size_t epos = find(sub, p.exponent, pl);
    if (epos == U::npos || epos > sub.size() - sl) {
      r.mantissa = r.active;
    } else {
      r.mantissa = r.active.substr(0, std::min(epos, r.active.size()));
      r.has_exponent = true;
      r.exponent = epos + 1 <= r.active.size() ? r.active.substr(epos + 1) : U();
    }
    size_t dpos = find(r.mantissa, p.decimal);
    if (dpos == U::npos) {
      r.integer = r.mantissa;
      r.fractional = r.suffix;
    } else {
      r.integer = r.mantissa.substr(0, dpos);
      r.fractional = r.mantissa.substr(dpos + 1);
    }
    return r;
  };

  auto validate = [&](const Parts& parts) {
    const char* error = nullptr;
    const U& sub = parts.sub;
    size_t dpos = find(sub, p.decimal);
    if (dpos != rfind(sub, p.decimal))
      error = "D3081";
    if (find(sub, p.percent) != rfind(sub, p.percent))
      error = "D3082";
    if (find(sub, p.permille) != rfind(sub, p.permille))
      error = "D3083";
    if (contains(sub, p.percent) && contains(sub, p.permille))
      error = "D3084";
    bool valid = false;
    for (char32_t c : parts.mantissa) {
      if (is_digit(c) || c == p.digit) {
        valid = true;
        break;
      }
    }
    if (!valid)
      error = "D3085";
    for (char32_t c : parts.active) {
      if (!is_active(c))
        error = "D3086";
    }
    if (dpos != U::npos) {
      if ((dpos > 0 && sub[dpos - 1] == p.grouping) ||
          (dpos + 1 < sub.size() && sub[dpos + 1] == p.grouping)) {
        error = "D3087";
      }
    } else if (!parts.integer.empty() && parts.integer.back() == p.grouping) {
      error = "D3088";
    }
    for (size_t i = 0; i + 1 < sub.size(); ++i) {
      if (sub[i] == p.grouping && sub[i + 1] == p.grouping)
        error = "D3089";
    }
    size_t opt = find(parts.integer, p.digit);
    if (opt != U::npos) {
      for (size_t i = 0; i < opt; ++i) {
        if (is_digit(parts.integer[i]))
          error = "D3090";
      }
    }
    opt = rfind(parts.fractional, p.digit);
    if (opt != U::npos) {
      for (size_t i = opt; i < parts.fractional.size(); ++i) {
        if (is_digit(parts.fractional[i]))
          error = "D3091";
      }
    }
    if (parts.has_exponent && !parts.exponent.empty() &&
        (contains(sub, p.percent) || contains(sub, p.permille))) {
      error = "D3092";
    }
    if (parts.has_exponent) {
      bool bad = parts.exponent.empty();
      for (char32_t c : parts.exponent) {
        if (!is_digit(c))
          bad = true;
      }
      if (bad)
        error = "D3093";
    }
    if (error != nullptr)
      throw ferr(error);
  };

  auto analyse = [&](const Parts& parts) {
    Pic r;
    auto grouping_positions = [&](const U& part, bool to_left) {
      std::vector<size_t> positions;
      size_t gp = find(part, p.grouping);
      while (gp != U::npos) {
        size_t count = 0;
        if (to_left) {
          for (size_t i = 0; i < gp && i < part.size(); ++i)
            count += (is_digit(part[i]) || part[i] == p.digit) ? 1 : 0;
        } else {
          for (size_t i = gp; i < part.size(); ++i)
            count += (is_digit(part[i]) || part[i] == p.digit) ? 1 : 0;
        }
        positions.push_back(count);
        gp = find(parts.integer, p.grouping, gp + 1);
      }
      return positions;
    };
    r.int_groups = grouping_positions(parts.integer, false);
    if (!r.int_groups.empty()) {
      auto gcd = [](size_t a, size_t b) {
        while (b != 0) {
          size_t t = a % b;
          a = b;
          b = t;
        }
        return a;
      };
      size_t factor = r.int_groups[0];
      for (size_t i = 1; i < r.int_groups.size(); ++i)
        factor = gcd(factor, r.int_groups[i]);
      r.regular = factor;
      for (size_t idx = 1; idx <= r.int_groups.size(); ++idx) {
        if (std::find(r.int_groups.begin(), r.int_groups.end(), idx * factor) ==
            r.int_groups.end()) {
          r.regular = 0;
          break;
        }
      }
    }
    r.frac_groups = grouping_positions(parts.fractional, true);
    for (char32_t c : parts.integer)
      r.min_int += is_digit(c) ? 1 : 0;
    r.scaling = r.min_int;
    for (char32_t c : parts.fractional) {
      r.min_frac += is_digit(c) ? 1 : 0;
      r.max_frac += (is_digit(c) || c == p.digit) ? 1 : 0;
    }
    if (r.min_int == 0 && r.max_frac == 0) {
      if (parts.has_exponent) {
        r.min_frac = 1;
        r.max_frac = 1;
      } else {
        r.min_int = 1;
      }
    }
    if (parts.has_exponent && r.min_int == 0 && contains(parts.integer, p.digit))
      r.min_int = 1;
    if (r.min_int == 0 && r.min_frac == 0)
      r.min_frac = 1;
    if (parts.has_exponent) {
      for (char32_t c : parts.exponent)
        r.min_exp += is_digit(c) ? 1 : 0;
    }
    r.prefix = parts.prefix;
    r.suffix = parts.suffix;
    r.picture = parts.sub;
    r.fractional = parts.fractional;
    return r;
  };

  std::vector<Parts> parts;
  for (const U& s : subs)
    parts.push_back(split_parts(s));
  for (const Parts& pt : parts)
    validate(pt);
  std::vector<Pic> vars;
  for (const Parts& pt : parts)
    vars.push_back(analyse(pt));
  if (vars.size() == 1) {
    vars.push_back(vars[0]);
    vars[1].prefix = U(1, p.minus) + vars[1].prefix;
  }
  const Pic& pic = value >= 0 ? vars[0] : vars[1];
  double adjusted = value;
  if (contains(pic.picture, p.percent)) {
    adjusted = value * 100;
  } else if (contains(pic.picture, p.permille)) {
    adjusted = value * 1000;
  }
  double mantissa = adjusted;
  bool has_exp = false;
  long exponent = 0;
  if (pic.min_exp != 0) {
    has_exp = true;
    double max_m = std::pow(10, pic.scaling);
    double min_m = std::pow(10, pic.scaling - 1);
    int guard = 0;
    double sign = mantissa < 0 ? -1 : 1;
    mantissa = std::fabs(mantissa);
    while (mantissa < min_m && mantissa != 0 && ++guard < 400) {
      mantissa *= 10;
      exponent -= 1;
    }
    while (mantissa > max_m && ++guard < 800) {
      mantissa /= 10;
      exponent += 1;
    }
    mantissa *= sign;
  }
  double rounded = jsonata_round(mantissa, static_cast<int>(pic.max_frac));
  auto make_string = [&](double v, long dp) {
    std::vector<char> buf(400);
    std::snprintf(buf.data(), buf.size(), "%.*f", static_cast<int>(std::min(dp, 100L)),
                  std::fabs(v));
    U out;
    for (char* c = buf.data(); *c != 0; ++c) {
      if (*c >= '0' && *c <= '9') {
        out.push_back(family[static_cast<size_t>(*c - '0')]);
      } else {
        out.push_back(static_cast<char32_t>(*c));
      }
    }
    return out;
  };
  U s = make_string(rounded, pic.max_frac);
  size_t dp = find(s, '.');
  if (dp == U::npos) {
    s.push_back(p.decimal);
  } else {
    s[dp] = p.decimal;
  }
  while (!s.empty() && s.front() == p.zero)
    s.erase(0, 1);
  while (!s.empty() && s.back() == p.zero)
    s.pop_back();
  long dpos = static_cast<long>(find(s, p.decimal));
  long pad_left = pic.min_int - dpos;
  long pad_right = pic.min_frac - (static_cast<long>(s.size()) - dpos - 1);
  if (pad_left > 0)
    s = U(static_cast<size_t>(pad_left), p.zero) + s;
  if (pad_right > 0)
    s += U(static_cast<size_t>(pad_right), p.zero);
  dpos = static_cast<long>(find(s, p.decimal));
  if (pic.regular > 0) {
    long group_count = (dpos - 1) / static_cast<long>(pic.regular);
    for (long g = 1; g <= group_count; ++g) {
      long at = dpos - g * static_cast<long>(pic.regular);
      if (at >= 0)
        s.insert(static_cast<size_t>(at), 1, p.grouping);
    }
  } else {
    for (size_t pos : pic.int_groups) {
      long at = dpos - static_cast<long>(pos);
      if (at >= 0 && at <= static_cast<long>(s.size()))
        s.insert(static_cast<size_t>(at), 1, p.grouping);
      ++dpos;
    }
  }
  dpos = static_cast<long>(find(s, p.decimal));
  for (size_t pos : pic.frac_groups) {
    size_t at = pos + static_cast<size_t>(dpos) + 1;
    if (at <= s.size())
      s.insert(at, 1, p.grouping);
  }
  dpos = static_cast<long>(find(s, p.decimal));
  if (pic.fractional.empty() || dpos == static_cast<long>(s.size()) - 1) {
    if (!s.empty() && s.back() == p.decimal)
      s.pop_back();
  }
  if (has_exp) {
    U e = make_string(static_cast<double>(exponent), 0);
    long pl = pic.min_exp - static_cast<long>(e.size());
    if (pl > 0)
      e = U(static_cast<size_t>(pl), p.zero) + e;
    s.push_back(p.exponent);
    if (exponent < 0)
      s.push_back(p.minus);
    s += e;
  }
  return u32_to_utf8(pic.prefix + s + pic.suffix);
}

}  // namespace signoff::jsonata
