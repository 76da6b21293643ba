// The built-in function library ($sum, $string, $map, ...). Semantics follow the reference
// implementation's functions.js; each function receives arguments already validated and coerced
// against its signature.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "jsonata/evaluator.h"
#include "jsonata/format.h"
#include "jsonata/stack.h"

namespace signoff::jsonata {

// ---- shared helpers ---------------------------------------------------------------------------

bool is_numeric(const Val& v) {
  if (!v.is_number())
    return false;
  double d = v.as_number();
  if (std::isnan(d))
    return false;
  if (!std::isfinite(d))
    throw JError("D1001", v);
  return true;
}

std::optional<bool> to_boolean(const Val& v) {
  switch (v.type()) {
    case Type::Undefined:
      return std::nullopt;
    case Type::Null:
      return false;
    case Type::Bool:
      return v.as_bool();
    case Type::Number:
      return v.as_number() != 0 && !std::isnan(v.as_number());
    case Type::String:
      return !v.as_string().empty();
    case Type::Function:
      return false;
    case Type::Object:
      return v.object_size() > 0;
    case Type::Array: {
      check_stack();
      size_t n = v.size();
      if (n == 0)
        return false;
      if (n == 1)
        return to_boolean(v.at(0)).value_or(false);
      for (size_t i = 0; i < n; ++i) {
        if (to_boolean(v.at(i)).value_or(false))
          return true;
      }
      return false;
    }
  }
  return false;
}

bool is_array_of_strings(const Val& v) {
  if (!v.is_array())
    return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v.at(i).is_string())
      return false;
  }
  return true;
}

bool is_array_of_numbers(const Val& v) {
  if (!v.is_array())
    return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!is_numeric(v.at(i)))
      return false;
  }
  return true;
}

Val append(const Val& a, const Val& b) {
  if (a.is_undefined())
    return b;
  if (b.is_undefined())
    return a;
  ValVec out;
  out.reserve((a.is_array() ? a.size() : 1) + (b.is_array() ? b.size() : 1));
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i)
      out.push_back(a.at(i));
  } else {
    out.push_back(a);
  }
  if (b.is_array()) {
    for (size_t i = 0; i < b.size(); ++i)
      out.push_back(b.at(i));
  } else {
    out.push_back(b);
  }
  return Val::array(std::move(out));
}

std::string to_string_fn(const Val& v, bool pretty) {
  if (v.is_string())
    return std::string(v.as_string());
  if (v.is_function())
    return "";
  if (v.is_number() && !std::isfinite(v.as_number()))
    throw JError("D3001", v);
  std::string out;
  if (v.is_array() && v.has_flag(kOuterWrapper) && v.size() > 0) {
    stringify(v.at(0), pretty, out);
  } else {
    stringify(v, pretty, out);
  }
  return out;
}

std::shared_ptr<const regex::Regex> compile_regex(std::string_view pattern,
                                                  std::string_view flags) {
  auto re = regex::compile(pattern, flags);
  if (!re.ok()) {
    throw JError("S0302");
  }
  return std::move(*re);
}

bool regex_search(const regex::Regex& re, std::string_view text, size_t from, RegexMatch& m) {
  switch (re.search(text, from, m)) {
    case regex::Search::Found:
      return true;
    case regex::Search::NotFound:
      return false;
    case regex::Search::StepLimit:
      break;
  }
  JError e("U1001");
  e.message = "Regular expression evaluation exceeded its step limit";
  throw e;
}

int function_arity(const Function& f) {
  switch (f.kind) {
    case FnKind::Lambda:
      return static_cast<int>(f.params.size());
    case FnKind::Native:
    case FnKind::Host:
      return f.arity;
    case FnKind::Partial: {
      int n = 0;
      for (const auto& b : f.bound)
        n += b.has_value() ? 0 : 1;
      return n;
    }
    case FnKind::Chain:
    case FnKind::Transform:
      return 1;
    case FnKind::Regex:
      return 2;
    case FnKind::Matcher:
      return 0;
  }
  return 0;
}

namespace {

using Args = ValVec;

const Val& arg(const Args& a, size_t i) {
  static const Val undef;
  return i < a.size() ? a[i] : undef;
}

JError err_index(const char* code, Val v, int index) {
  JError e(code, std::move(v));
  e.index = index;
  return e;
}

// JS Array.prototype.slice index normalisation.
size_t rel_index(double v, size_t len) {
  if (std::isnan(v))
    return 0;
  double t = std::trunc(v);
  if (t < 0)
    return static_cast<size_t>(std::max(0.0, static_cast<double>(len) + t));
  return static_cast<size_t>(std::min(t, static_cast<double>(len)));
}

ValVec hof_args(const Val& func, const Val& a1, const Val& a2, const Val& a3) {
  ValVec out{a1};
  int n = function_arity(*func.fn());
  if (n >= 2)
    out.push_back(a2);
  if (n >= 3)
    out.push_back(a3);
  return out;
}

// ---- aggregation ----

Val fn_sum(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  double total = 0;
  for (size_t i = 0; i < v.size(); ++i)
    total += v.at(i).as_number();
  return Val::number(total);
}

Val fn_count(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val::number(0);
  return Val::number(static_cast<double>(v.size()));
}

Val fn_max(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined() || v.size() == 0)
    return Val();
  double m = -INFINITY;
  for (size_t i = 0; i < v.size(); ++i)
    m = std::max(m, v.at(i).as_number());
  return Val::number(m);
}

Val fn_min(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined() || v.size() == 0)
    return Val();
  double m = INFINITY;
  for (size_t i = 0; i < v.size(); ++i)
    m = std::min(m, v.at(i).as_number());
  return Val::number(m);
}

Val fn_average(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined() || v.size() == 0)
    return Val();
  double total = 0;
  for (size_t i = 0; i < v.size(); ++i)
    total += v.at(i).as_number();
  return Val::number(total / static_cast<double>(v.size()));
}

// ---- strings ----

Val fn_string(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  bool pretty = arg(a, 1).is_bool() && arg(a, 1).as_bool();
  return Val::string(to_string_fn(v, pretty));
}

Val fn_substring(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  std::u32string str = utf8_to_u32(s.as_string());
  double len = static_cast<double>(str.size());
  double start = arg(a, 1).as_number();
  if (len + start < 0)
    start = 0;
  if (!arg(a, 2).is_undefined()) {
    double length = arg(a, 2).as_number();
    if (length <= 0)
      return Val::string("");
    double end = start >= 0 ? start + length : len + start + length;
    size_t b = rel_index(start, str.size());
    size_t e = rel_index(end, str.size());
    if (e <= b)
      return Val::string("");
    return Val::string(u32_to_utf8(std::u32string_view(str).substr(b, e - b)));
  }
  size_t b = rel_index(start, str.size());
  return Val::string(u32_to_utf8(std::u32string_view(str).substr(b)));
}

Val fn_substring_before(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  std::string_view str = s.as_string();
  size_t pos = str.find(arg(a, 1).as_string());
  return Val::string(pos == std::string_view::npos ? str : str.substr(0, pos));
}

Val fn_substring_after(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  std::string_view str = s.as_string();
  std::string_view chars = arg(a, 1).as_string();
  size_t pos = str.find(chars);
  return Val::string(pos == std::string_view::npos ? str : str.substr(pos + chars.size()));
}

char32_t to_lower_cp(char32_t c) {
  if (c >= 'A' && c <= 'Z')
    return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7))
    return c + 32;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
    return c + 32;
  if (c >= 0x410 && c <= 0x42F)
    return c + 32;
  if (c >= 0x400 && c <= 0x40F)
    return c + 80;
  if (c >= 0x100 && c <= 0x17F && (c % 2) == 0 && c != 0x130 && c != 0x138)
    return c + 1;
  return c;
}

char32_t to_upper_cp(char32_t c) {
  if (c >= 'a' && c <= 'z')
    return c - 32;
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
    return c - 32;
  if (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2)
    return c - 32;
  if (c >= 0x430 && c <= 0x44F)
    return c - 32;
  if (c >= 0x450 && c <= 0x45F)
    return c - 80;
  if (c >= 0x100 && c <= 0x17F && (c % 2) == 1 && c != 0x131 && c != 0x138)
    return c - 1;
  return c;
}

Val fn_lowercase(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  std::u32string str = utf8_to_u32(s.as_string());
  for (auto& c : str)
    c = to_lower_cp(c);
  return Val::string(u32_to_utf8(str));
}

Val fn_uppercase(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  std::u32string str = utf8_to_u32(s.as_string());
  for (auto& c : str)
    c = to_upper_cp(c);
  return Val::string(u32_to_utf8(str));
}

Val fn_length(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  return Val::number(static_cast<double>(utf8_length(s.as_string())));
}

Val fn_trim(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  std::string out;
  bool in_ws = false;
  for (char c : s.as_string()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_ws)
        out.push_back(' ');
      in_ws = true;
    } else {
      out.push_back(c);
      in_ws = false;
    }
  }
  if (!out.empty() && out.front() == ' ')
    out.erase(0, 1);
  if (!out.empty() && out.back() == ' ')
    out.pop_back();
  return Val::string(out);
}

Val fn_pad(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  double width = arg(a, 1).as_number();
  std::u32string ch = U" ";
  if (arg(a, 2).is_string() && !arg(a, 2).as_string().empty())
    ch = utf8_to_u32(arg(a, 2).as_string());
  std::u32string str = utf8_to_u32(s.as_string());
  double pad_len = std::fabs(width) - static_cast<double>(str.size());
  if (pad_len <= 0)
    return s;
  if (pad_len > 1e7)
    throw JError("D3020", arg(a, 1));
  size_t n = static_cast<size_t>(pad_len);
  std::u32string padding;
  while (padding.size() < n)
    padding += ch;
  padding.resize(n);
  return Val::string(u32_to_utf8(width > 0 ? str + padding : padding + str));
}

struct MatchObj {
  std::string match;
  size_t start;  // code points
  size_t end;
  Val groups;
  Val next;
  // A regex literal is searched directly, without building the match objects a custom matcher
  // function returns (they dominated $replace and $split with a regex).
  std::shared_ptr<const regex::Regex> regex;
  std::string regex_source;
  Val subject;
  size_t offset = 0;  // byte offset where the next search starts
};

std::optional<MatchObj> native_match(const std::shared_ptr<const regex::Regex>& regex,
                                     const std::string& source, const Val& str, size_t from,
                                     bool is_next) {
  std::string_view s = str.as_string();
  if (is_next && from >= s.size())
    return std::nullopt;
  RegexMatch m;
  if (!regex_search(*regex, s, from, m))
    return std::nullopt;
  if (is_next && m.start == m.end) {
    JError e("D1004", Val::string(source));
    throw e;
  }
  MatchObj r;
  r.match = std::string(s.substr(m.start, m.end - m.start));
  r.start = utf8_length(s.substr(0, m.start));
  r.end = r.start + utf8_length(s.substr(m.start, m.end - m.start));
  ValVec groups;
  groups.reserve(m.groups.size());
  for (const auto& g : m.groups) {
    groups.push_back(g ? Val::string(s.substr(g->first, g->second - g->first)) : Val::string(""));
  }
  r.groups = Val::array(std::move(groups));
  r.regex = regex;
  r.regex_source = source;
  r.subject = str;
  r.offset = m.end;
  return r;
}

std::optional<MatchObj> read_match(const Val& m) {
  if (m.is_undefined())
    return std::nullopt;
  if (!m.is_object() || !m.get("start").is_number() || !m.get("end").is_number() ||
      !m.get("match").is_string()) {
    throw JError("T1010");
  }
  MatchObj r;
  Val match = m.get("match");
  r.match = match.is_string() ? std::string(match.as_string()) : "";
  Val s = m.get("start");
  Val e = m.get("end");
  r.start = s.is_number() ? static_cast<size_t>(std::max(0.0, s.as_number())) : 0;
  r.end = e.is_number() ? static_cast<size_t>(std::max(0.0, e.as_number()))
                        : r.start + utf8_length(r.match);
  r.groups = m.get("groups");
  if (!r.groups.is_array())
    r.groups = Val::array();
  r.next = m.get("next");
  return r;
}

std::optional<MatchObj> first_match(Evaluator& ev, const Val& matcher, const Val& str,
                                    const Env& env) {
  Function* f = matcher.fn();
  if (f != nullptr && f->kind == FnKind::Regex && str.is_string()) {
    return native_match(f->regex, f->regex_source, str, 0, false);
  }
  return read_match(ev.apply(matcher, {str}, Val(), env));
}

std::optional<MatchObj> next_match(Evaluator& ev, const MatchObj& m, const Env& env) {
  if (m.regex) {
    return native_match(m.regex, m.regex_source, m.subject, m.offset, true);
  }
  if (!m.next.is_function())
    return std::nullopt;
  return read_match(ev.apply(m.next, {}, Val(), env));
}

Val fn_contains(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  const Val& tok = arg(a, 1);
  if (tok.is_undefined())
    return Val();
  if (tok.is_string())
    return Val::boolean(s.as_string().find(tok.as_string()) != std::string_view::npos);
  return Val::boolean(first_match(ev, tok, s, env).has_value());
}

Val fn_split(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  const Val& lim = arg(a, 2);
  if (lim.is_number() && lim.as_number() < 0)
    throw err_index("D3020", lim, 3);
  ValVec result;
  size_t limit = SIZE_MAX;
  if (lim.is_number())
    limit = static_cast<size_t>(std::floor(lim.as_number()));
  if (limit == 0)
    return Val::array();
  std::string_view str = s.as_string();
  const Val& sep = arg(a, 1);
  if (sep.is_string()) {
    std::string_view sp = sep.as_string();
    if (sp.empty()) {
      std::u32string u = utf8_to_u32(str);
      for (char32_t c : u) {
        if (result.size() >= limit)
          break;
        result.push_back(Val::string(u32_to_utf8(std::u32string(1, c))));
      }
    } else {
      size_t pos = 0;
      while (result.size() < limit) {
        size_t idx = str.find(sp, pos);
        if (idx == std::string_view::npos) {
          result.push_back(Val::string(str.substr(pos)));
          break;
        }
        result.push_back(Val::string(str.substr(pos, idx - pos)));
        pos = idx + sp.size();
      }
    }
    return Val::array(std::move(result));
  }
  std::u32string u = utf8_to_u32(str);
  auto m = first_match(ev, sep, s, env);
  if (!m) {
    result.push_back(s);
    return Val::array(std::move(result));
  }
  size_t start = 0;
  size_t count = 0;
  while (m && count < limit) {
    size_t ms = std::min(m->start, u.size());
    result.push_back(Val::string(u32_to_utf8(ms > start ? u.substr(start, ms - start) : U"")));
    start = std::min(m->end, u.size());
    m = next_match(ev, *m, env);
    ++count;
  }
  if (count < limit)
    result.push_back(Val::string(u32_to_utf8(u.substr(start))));
  return Val::array(std::move(result));
}

Val fn_join(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  std::string sep = arg(a, 1).is_string() ? std::string(arg(a, 1).as_string()) : "";
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0)
      out += sep;
    out += v.at(i).as_string();
  }
  return Val::string(out);
}

Val fn_match(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  const Val& lim = arg(a, 2);
  if (lim.is_number() && lim.as_number() < 0)
    throw err_index("D3040", lim, 3);
  Val result = Val::sequence();
  if (lim.is_number() && lim.as_number() == 0)
    return result;
  double limit = lim.is_number() ? lim.as_number() : INFINITY;
  auto m = first_match(ev, arg(a, 1), s, env);
  double count = 0;
  while (m && count < limit) {
    Val o = Val::object();
    ObjectData& od = o.obj();
    od.set("match", Val::string(m->match));
    od.set("index", Val::number(static_cast<double>(m->start)));
    od.set("groups", m->groups);
    result.push(o);
    m = next_match(ev, *m, env);
    ++count;
  }
  return result;
}

std::string expand_replacement(std::string_view rep, const MatchObj& m) {
  std::string out;
  size_t position = 0;
  size_t ng = m.groups.size();
  size_t index = rep.find('$', position);
  while (index != std::string_view::npos && position < rep.size()) {
    out += rep.substr(position, index - position);
    position = index + 1;
    char d = position < rep.size() ? rep[position] : 0;
    if (d == '$') {
      out += '$';
      ++position;
    } else if (d == '0') {
      out += m.match;
      ++position;
    } else {
      size_t max_digits =
          ng == 0 ? 1 : static_cast<size_t>(std::floor(std::log10(static_cast<double>(ng)))) + 1;
      auto parse = [&](size_t digits) -> long {
        std::string_view sv = rep.substr(position, digits);
        size_t k = 0;
        while (k < sv.size() && sv[k] >= '0' && sv[k] <= '9')
          ++k;
        if (k == 0)
          return -1;
        return std::strtol(std::string(sv.substr(0, k)).c_str(), nullptr, 10);
      };
      long idx = parse(max_digits);
      if (max_digits > 1 && idx > static_cast<long>(ng))
        idx = parse(max_digits - 1);
      if (idx >= 0) {
        if (ng > 0 && idx >= 1 && static_cast<size_t>(idx) <= ng) {
          Val g = m.groups.at(static_cast<size_t>(idx - 1));
          if (g.is_string())
            out += g.as_string();
        }
        position += std::to_string(idx).size();
      } else {
        out += '$';
      }
    }
    index = rep.find('$', position);
  }
  if (position < rep.size())
    out += rep.substr(position);
  return out;
}

// $replace with a regex literal and a plain replacement string (no $n references): searched and
// spliced in byte offsets, building neither match objects nor a UTF-32 copy of the subject, which
// were most of the cost of the general path. Same rules: a zero-length match after the first is
// D1004.
Val replace_literal(const Function& f, const Val& s, std::string_view rep, double limit) {
  std::string_view str = s.as_string();
  RegexMatch m;
  if (!regex_search(*f.regex, str, 0, m))
    return s;
  std::string result;
  result.reserve(str.size() + rep.size());
  size_t position = 0;
  double count = 0;
  while (true) {
    result.append(str.substr(position, m.start - position));
    result.append(rep);
    position = m.end;
    ++count;
    if (count >= limit || position >= str.size() || !regex_search(*f.regex, str, position, m))
      break;
    if (m.start == m.end)
      throw JError("D1004", Val::string(f.regex_source));
  }
  result.append(str.substr(std::min(position, str.size())));
  return Val::string(result);
}

Val fn_replace(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& s = arg(a, 0);
  if (s.is_undefined())
    return Val();
  const Val& pattern = arg(a, 1);
  const Val& rep = arg(a, 2);
  const Val& lim = arg(a, 3);
  if (pattern.is_string() && pattern.as_string().empty())
    throw err_index("D3010", pattern, 2);
  if (lim.is_number() && lim.as_number() < 0)
    throw err_index("D3011", lim, 4);
  double limit = lim.is_number() ? lim.as_number() : INFINITY;
  if (limit == 0)
    return s;
  std::string_view str = s.as_string();
  std::string result;
  double count = 0;
  if (pattern.is_string()) {
    std::string_view p = pattern.as_string();
    std::string r = rep.is_string() ? std::string(rep.as_string()) : "";
    size_t position = 0;
    size_t idx = str.find(p, position);
    while (idx != std::string_view::npos && count < limit) {
      result += str.substr(position, idx - position);
      result += r;
      position = idx + p.size();
      ++count;
      idx = str.find(p, position);
    }
    result += str.substr(position);
    return Val::string(result);
  }
  if (Function* f = pattern.fn(); f != nullptr && f->kind == FnKind::Regex && rep.is_string() &&
                                  rep.as_string().find('$') == std::string_view::npos) {
    return replace_literal(*f, s, rep.as_string(), limit);
  }
  std::u32string u = utf8_to_u32(str);
  auto m = first_match(ev, pattern, s, env);
  if (!m)
    return s;
  size_t position = 0;
  while (m && count < limit) {
    size_t ms = std::min(m->start, u.size());
    if (ms > position)
      result += u32_to_utf8(u.substr(position, ms - position));
    if (rep.is_string()) {
      result += expand_replacement(rep.as_string(), *m);
    } else {
      Val mo = Val::object();
      ObjectData& od = mo.obj();
      od.set("match", Val::string(m->match));
      od.set("start", Val::number(static_cast<double>(m->start)));
      od.set("end", Val::number(static_cast<double>(m->end)));
      od.set("groups", m->groups);
      Val r = ev.apply(rep, {mo}, Val(), env);
      if (!r.is_string())
        throw JError("D3012", r);
      result += r.as_string();
    }
    position = ms + utf8_length(m->match);
    ++count;
    m = next_match(ev, *m, env);
  }
  if (position < u.size())
    result += u32_to_utf8(u.substr(position));
  return Val::string(result);
}

// ---- numbers ----

Val fn_number(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  if (v.is_number())
    return v;
  if (v.is_bool())
    return Val::number(v.as_bool() ? 1 : 0);
  if (v.is_string()) {
    std::string s(v.as_string());
    auto opt = parse_js_number_literal(s);
    if (opt)
      return Val::number(*opt);
  }
  throw err_index("D3030", v, 1);
}

Val fn_floor(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  return Val::number(std::floor(arg(a, 0).as_number()));
}

Val fn_ceil(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  return Val::number(std::ceil(arg(a, 0).as_number()));
}

Val fn_abs(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  return Val::number(std::fabs(arg(a, 0).as_number()));
}

Val fn_sqrt(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  double d = arg(a, 0).as_number();
  if (d < 0)
    throw err_index("D3060", arg(a, 0), 1);
  return Val::number(std::sqrt(d));
}

Val fn_power(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  double r = std::pow(arg(a, 0).as_number(), arg(a, 1).as_number());
  if (!std::isfinite(r)) {
    JError e("D3061", arg(a, 0));
    e.value2 = arg(a, 1);
    throw e;
  }
  return Val::number(r);
}

double js_round_half_up(double x) {
  return std::floor(x + 0.5);
}

double shift_decimal(double v, int precision) {
  std::string s = number_to_string(v);
  size_t e = s.find('e');
  std::string mant = e == std::string::npos ? s : s.substr(0, e);
  int exp = e == std::string::npos ? 0 : std::atoi(s.c_str() + e + 1);
  std::string t = mant + "e" + std::to_string(exp + precision);
  return std::strtod(t.c_str(), nullptr);
}

Val fn_round(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  double x = arg(a, 0).as_number();
  int precision = arg(a, 1).is_number() ? static_cast<int>(arg(a, 1).as_number()) : 0;
  if (precision != 0)
    x = shift_decimal(x, precision);
  double result = js_round_half_up(x);
  double diff = result - x;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2.0)) == 1)
    result -= 1;
  if (precision != 0)
    result = shift_decimal(result, -precision);
  if (result == 0)
    result = 0;
  return Val::number(result);
}

Val fn_random(Evaluator& ev, Args&, const Val&, const Env&) {
  return Val::number(ev.host().random());
}

Val fn_format_number(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  return Val::string(
      format_number(arg(a, 0).as_number(), std::string(arg(a, 1).as_string()), arg(a, 2)));
}

Val fn_format_base(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  double value = js_round_half_up(arg(a, 0).as_number());
  // the reference rounds with $round (banker's); match it
  Args r{arg(a, 0)};
  Evaluator* none = nullptr;
  (void)none;
  double x = arg(a, 0).as_number();
  double rr = js_round_half_up(x);
  if (std::fabs(rr - x) == 0.5 && std::fabs(std::fmod(rr, 2.0)) == 1)
    rr -= 1;
  value = rr;
  int radix = arg(a, 1).is_number() ? static_cast<int>(arg(a, 1).as_number()) : 10;
  if (radix < 2 || radix > 36)
    throw err_index("D3100", arg(a, 1), 2);
  bool neg = value < 0;
  double v = std::fabs(value);
  std::string digits;
  if (v == 0)
    digits = "0";
  while (v >= 1) {
    double q = std::floor(v / radix);
    int d = static_cast<int>(v - q * radix);
    digits.push_back(static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10));
    v = q;
  }
  if (neg)
    digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return Val::string(digits);
}

Val fn_format_integer(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  return Val::string(format_integer(arg(a, 0).as_number(), std::string(arg(a, 1).as_string())));
}

Val fn_parse_integer(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  auto r = parse_integer(std::string(arg(a, 0).as_string()), std::string(arg(a, 1).as_string()));
  if (!r)
    return Val();
  return Val::number(*r);
}

// ---- booleans ----

Val fn_boolean(Evaluator&, Args& a, const Val&, const Env&) {
  auto b = to_boolean(arg(a, 0));
  return b ? Val::boolean(*b) : Val();
}

Val fn_not(Evaluator&, Args& a, const Val&, const Env&) {
  auto b = to_boolean(arg(a, 0));
  return b ? Val::boolean(!*b) : Val();
}

Val fn_exists(Evaluator&, Args& a, const Val&, const Env&) {
  return Val::boolean(!arg(a, 0).is_undefined());
}

// ---- arrays ----

Val fn_append(Evaluator&, Args& a, const Val&, const Env&) {
  return append(arg(a, 0), arg(a, 1));
}

Val fn_reverse(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  if (v.size() <= 1)
    return v;
  ValVec out;
  for (size_t i = v.size(); i-- > 0;)
    out.push_back(v.at(i));
  return Val::array(std::move(out));
}

Val fn_shuffle(Evaluator& ev, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  if (v.size() <= 1)
    return v;
  ValVec out;
  for (size_t i = 0; i < v.size(); ++i)
    out.push_back(v.at(i));
  for (size_t i = out.size() - 1; i > 0; --i) {
    size_t j = static_cast<size_t>(std::floor(ev.host().random() * static_cast<double>(i + 1)));
    if (j > i)
      j = i;
    std::swap(out[i], out[j]);
  }
  return Val::array(std::move(out));
}

Val fn_distinct(Evaluator& ev, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  if (!v.is_array() || v.size() <= 1)
    return v;
  ValVec out;
  for (size_t i = 0; i < v.size(); ++i) {
    Val item = v.at(i);
    bool dup = false;
    ev.charge(out.size() / 16);
    for (const Val& o : out) {
      if (deep_equal(o, item)) {
        dup = true;
        break;
      }
    }
    if (!dup)
      out.push_back(item);
  }
  return Val::array(std::move(out), v.is_sequence() ? kSequence : 0);
}

Val fn_sort(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  if (v.size() <= 1)
    return v;
  ValVec items;
  for (size_t i = 0; i < v.size(); ++i)
    items.push_back(v.at(i));
  const Val& cmp = arg(a, 1);
  if (cmp.is_undefined()) {
    if (!is_array_of_numbers(v) && !is_array_of_strings(v))
      throw err_index("D3070", v, 1);
    merge_sort(items, [](const Val& x, const Val& y) {
      if (x.is_number())
        return x.as_number() > y.as_number();
      return x.as_string() > y.as_string();
    });
  } else {
    merge_sort(items, [&](const Val& x, const Val& y) {
      return to_boolean(ev.apply(cmp, {x, y}, Val(), env)).value_or(false);
    });
  }
  return Val::array(std::move(items));
}

Val fn_zip(Evaluator&, Args& a, const Val&, const Env&) {
  ValVec out;
  if (a.empty())
    return Val::array();
  size_t n = SIZE_MAX;
  for (const Val& x : a)
    n = std::min(n, x.is_array() ? x.size() : (x.is_undefined() ? 0 : 1));
  for (size_t i = 0; i < n; ++i) {
    ValVec tuple;
    for (const Val& x : a)
      tuple.push_back(x.is_array() ? x.at(i) : x);
    out.push_back(Val::array(std::move(tuple)));
  }
  return Val::array(std::move(out));
}

// ---- objects ----

void keys_into(const Val& v, std::vector<std::string>& out) {
  check_stack();
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i)
      keys_into(v.at(i), out);
  } else if (v.is_object()) {
    v.for_each_member([&](std::string_view k, const Val&) {
      if (std::find(out.begin(), out.end(), k) == out.end())
        out.emplace_back(k);
    });
  }
}

Val fn_keys(Evaluator&, Args& a, const Val&, const Env&) {
  std::vector<std::string> ks;
  keys_into(arg(a, 0), ks);
  ValVec out;
  for (auto& k : ks)
    out.push_back(Val::string(k));
  return Val::sequence(std::move(out));
}

Val lookup_fn(const Val& input, std::string_view key) {
  check_stack();
  if (input.is_array()) {
    ValVec out;
    for (size_t i = 0; i < input.size(); ++i) {
      Val r = lookup_fn(input.at(i), key);
      if (r.is_undefined())
        continue;
      if (r.is_array()) {
        for (size_t k = 0; k < r.size(); ++k)
          out.push_back(r.at(k));
      } else {
        out.push_back(r);
      }
    }
    return Val::sequence(std::move(out));
  }
  if (input.is_object())
    return input.get(key);
  return Val();
}

Val fn_lookup(Evaluator&, Args& a, const Val&, const Env&) {
  return lookup_fn(arg(a, 0), arg(a, 1).is_string() ? arg(a, 1).as_string() : "");
}

Val spread(const Val& v) {
  check_stack();
  if (v.is_array()) {
    Val result = Val::sequence();
    for (size_t i = 0; i < v.size(); ++i)
      result = append(result, spread(v.at(i)));
    return result;
  }
  if (v.is_object()) {
    Val result = Val::sequence();
    v.for_each_member([&](std::string_view k, const Val& m) {
      Val o = Val::object();
      o.obj().set(std::string(k), m);
      result.push(o);
    });
    return result;
  }
  return v;
}

Val fn_spread(Evaluator&, Args& a, const Val&, const Env&) {
  return spread(arg(a, 0));
}

Val fn_merge(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  if (v.is_undefined())
    return Val();
  auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>());
  for (size_t i = 0; i < v.size(); ++i) {
    v.at(i).for_each_member(
        [&](std::string_view k, const Val& m) { data->set(std::string(k), m); });
  }
  return Val::object(std::move(data));
}

Val fn_each(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& obj = arg(a, 0);
  if (obj.is_undefined())
    return Val();
  const Val& func = arg(a, 1);
  Val result = Val::sequence();
  obj.for_each_member([&](std::string_view k, const Val& m) {
    Val r = ev.apply(func, hof_args(func, m, Val::string(k), obj), Val(), env);
    if (!r.is_undefined())
      result.push(r);
  });
  return result;
}

Val fn_sift(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& obj = arg(a, 0);
  if (obj.is_undefined())
    return Val();
  const Val& func = arg(a, 1);
  auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>());
  obj.for_each_member([&](std::string_view k, const Val& m) {
    Val r = ev.apply(func, hof_args(func, m, Val::string(k), obj), Val(), env);
    if (to_boolean(r).value_or(false))
      data->set(std::string(k), m);
  });
  if (data->members.empty())
    return Val();
  return Val::object(std::move(data));
}

Val fn_error(Evaluator&, Args& a, const Val&, const Env&) {
  JError e("D3137");
  e.message =
      arg(a, 0).is_string() ? std::string(arg(a, 0).as_string()) : "$error() function evaluated";
  throw e;
}

Val fn_assert(Evaluator&, Args& a, const Val&, const Env&) {
  if (!arg(a, 0).is_bool() || !arg(a, 0).as_bool()) {
    JError e("D3141");
    e.message =
        arg(a, 1).is_string() ? std::string(arg(a, 1).as_string()) : "$assert() statement failed";
    throw e;
  }
  return Val();
}

Val fn_type(Evaluator&, Args& a, const Val&, const Env&) {
  const Val& v = arg(a, 0);
  switch (v.type()) {
    case Type::Undefined:
      return Val();
    case Type::Null:
      return Val::string("null");
    case Type::Number:
      return Val::string("number");
    case Type::String:
      return Val::string("string");
    case Type::Bool:
      return Val::string("boolean");
    case Type::Array:
      return Val::string("array");
    case Type::Function:
      return Val::string("function");
    case Type::Object:
      return Val::string("object");
  }
  return Val();
}

// ---- higher order ----

Val fn_map(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& arr = arg(a, 0);
  if (arr.is_undefined())
    return Val();
  const Val& func = arg(a, 1);
  Val result = Val::sequence();
  auto& out = result.items();
  for (size_t i = 0; i < arr.size(); ++i) {
    Val r = ev.apply(func, hof_args(func, arr.at(i), Val::number(static_cast<double>(i)), arr),
                     Val(), env);
    if (!r.is_undefined())
      out.push_back(std::move(r));
  }
  return result;
}

Val fn_filter(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& arr = arg(a, 0);
  if (arr.is_undefined())
    return Val();
  const Val& func = arg(a, 1);
  Val result = Val::sequence();
  auto& out = result.items();
  for (size_t i = 0; i < arr.size(); ++i) {
    Val item = arr.at(i);
    Val r =
        ev.apply(func, hof_args(func, item, Val::number(static_cast<double>(i)), arr), Val(), env);
    if (to_boolean(r).value_or(false))
      out.push_back(item);
  }
  return result;
}

Val fn_single(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& arr = arg(a, 0);
  if (arr.is_undefined())
    return Val();
  const Val& func = arg(a, 1);
  bool found = false;
  Val result;
  for (size_t i = 0; i < arr.size(); ++i) {
    Val item = arr.at(i);
    bool ok = true;
    if (!func.is_undefined()) {
      ok = to_boolean(ev.apply(func, hof_args(func, item, Val::number(static_cast<double>(i)), arr),
                               Val(), env))
               .value_or(false);
    }
    if (ok) {
      if (found)
        throw err_index("D3138", Val(), static_cast<int>(i));
      result = item;
      found = true;
    }
  }
  if (!found)
    throw JError("D3139");
  return result;
}

Val fn_reduce(Evaluator& ev, Args& a, const Val&, const Env& env) {
  const Val& seq = arg(a, 0);
  if (seq.is_undefined())
    return Val();
  const Val& func = arg(a, 1);
  int arity = function_arity(*func.fn());
  if (arity < 2)
    throw err_index("D3050", func, 1);
  Val result;
  size_t index;
  if (arg(a, 2).is_undefined() && seq.size() > 0) {
    result = seq.at(0);
    index = 1;
  } else {
    result = arg(a, 2);
    index = 0;
  }
  for (; index < seq.size(); ++index) {
    ValVec args{result, seq.at(index)};
    if (arity >= 3)
      args.push_back(Val::number(static_cast<double>(index)));
    if (arity >= 4)
      args.push_back(seq);
    result = ev.apply(func, std::move(args), Val(), env);
  }
  return result;
}

// ---- encoding ----

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Val fn_base64encode(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  std::string_view s = arg(a, 0).as_string();
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(s[i]) << 16) |
                 (static_cast<unsigned char>(s[i + 1]) << 8) | static_cast<unsigned char>(s[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i + 1 == s.size()) {
    unsigned n = static_cast<unsigned char>(s[i]) << 16;
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == s.size()) {
    unsigned n =
        (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += '=';
  }
  return Val::string(out);
}

Val fn_base64decode(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : arg(a, 0).as_string()) {
    const char* p = std::strchr(kB64, c);
    if (c == '=' || c == 0 || p == nullptr)
      continue;
    buf = (buf << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return Val::string(out);
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size())
      return false;
    if (len == 3) {
      unsigned cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6);
      if (cp >= 0xD800 && cp <= 0xDFFF)
        return false;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
        return false;
    }
    i += len;
  }
  return true;
}

Val encode_uri(const Args& a, const char* keep, const char* fname) {
  if (arg(a, 0).is_undefined())
    return Val();
  std::string_view s = arg(a, 0).as_string();
  if (!valid_utf8(s)) {
    JError e("D3140", arg(a, 0));
    e.message = std::string("Malformed URL passed to $") + fname + "(): \"" + std::string(s) + "\"";
    throw e;
  }
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) ||
        (c < 0x80 && std::strchr(keep, static_cast<char>(c)) != nullptr && c != 0)) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return Val::string(out);
}

Val decode_uri(const Args& a, const char* reserved, const char* fname) {
  if (arg(a, 0).is_undefined())
    return Val();
  std::string_view s = arg(a, 0).as_string();
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  auto malformed = [&]() {
    JError e("D3140", arg(a, 0));
    e.message = std::string("Malformed URL passed to $") + fname + "(): \"" + std::string(s) + "\"";
    return e;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0)
      throw malformed();
    char c = static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
    if (static_cast<unsigned char>(c) < 0x80 && std::strchr(reserved, c) != nullptr && c != 0) {
      out.append(s.substr(i, 3));
    } else {
      out.push_back(c);
    }
    i += 2;
  }
  if (!valid_utf8(out))
    throw malformed();
  return Val::string(out);
}

Val fn_encode_url_component(Evaluator&, Args& a, const Val&, const Env&) {
  return encode_uri(a, "-_.!~*'()", "encodeUrlComponent");
}
Val fn_encode_url(Evaluator&, Args& a, const Val&, const Env&) {
  return encode_uri(a, "-_.!~*'();/?:@&=+$,#", "encodeUrl");
}
Val fn_decode_url_component(Evaluator&, Args& a, const Val&, const Env&) {
  return decode_uri(a, "", "decodeUrlComponent");
}
Val fn_decode_url(Evaluator&, Args& a, const Val&, const Env&) {
  return decode_uri(a, ";/?:@&=+$,#", "decodeUrl");
}

// ---- misc ----

Val deep_copy(const Val& v) {
  check_stack();
  if (v.is_array()) {
    ValVec out;
    for (size_t i = 0; i < v.size(); ++i)
      out.push_back(deep_copy(v.at(i)));
    return Val::array(std::move(out));
  }
  if (v.is_object()) {
    auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>());
    v.for_each_member([&](std::string_view k, const Val& m) {
      if (!m.is_undefined())
        data->set(std::string(k), deep_copy(m));
    });
    return Val::object(std::move(data));
  }
  if (v.is_function())
    return Val::string("");
  return v;
}

Val fn_clone(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  return deep_copy(arg(a, 0));
}

Val fn_eval(Evaluator& ev, Args& a, const Val& input, const Env& env) {
  const Val& expr = arg(a, 0);
  if (expr.is_undefined())
    return Val();
  Val in = input;
  if (!arg(a, 1).is_undefined()) {
    in = arg(a, 1);
    if (in.is_array() && !in.is_sequence()) {
      in = Val::array({in}, kSequence | kOuterWrapper);
    }
  }
  std::shared_ptr<Program> prog;
  try {
    prog = parse_program(expr.as_string());
  } catch (JError& e) {
    JError out("D3120", Val::string(e.code));
    throw out;
  }
  auto saved = ev.program();
  ev.set_program(prog);
  try {
    Val r = ev.eval(prog->root, in, env);
    ev.set_program(saved);
    return r;
  } catch (JError& e) {
    ev.set_program(saved);
    if (e.code == "U1001")
      throw;
    JError out("D3121", Val::string(e.code));
    throw out;
  }
}

Val fn_now(Evaluator& ev, Args& a, const Val&, const Env&) {
  return Val::string(from_millis(
      static_cast<double>(ev.timestamp()),
      arg(a, 0).is_string() ? std::optional<std::string>(std::string(arg(a, 0).as_string()))
                            : std::nullopt,
      arg(a, 1).is_string() ? std::optional<std::string>(std::string(arg(a, 1).as_string()))
                            : std::nullopt));
}

Val fn_millis(Evaluator& ev, Args&, const Val&, const Env&) {
  return Val::number(static_cast<double>(ev.timestamp()));
}

Val fn_from_millis(Evaluator&, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  return Val::string(from_millis(
      arg(a, 0).as_number(),
      arg(a, 1).is_string() ? std::optional<std::string>(std::string(arg(a, 1).as_string()))
                            : std::nullopt,
      arg(a, 2).is_string() ? std::optional<std::string>(std::string(arg(a, 2).as_string()))
                            : std::nullopt));
}

Val fn_to_millis(Evaluator& ev, Args& a, const Val&, const Env&) {
  if (arg(a, 0).is_undefined())
    return Val();
  auto r = to_millis(std::string(arg(a, 0).as_string()),
                     arg(a, 1).is_string()
                         ? std::optional<std::string>(std::string(arg(a, 1).as_string()))
                         : std::nullopt,
                     static_cast<double>(ev.timestamp()));
  if (!r)
    return Val();
  return Val::number(*r);
}

}  // namespace

const std::vector<NativeDef>& native_functions() {
  static const std::vector<NativeDef> defs = {
      {"sum", "<a<n>:n>", 1, fn_sum},
      {"count", "<a:n>", 1, fn_count},
      {"max", "<a<n>:n>", 1, fn_max},
      {"min", "<a<n>:n>", 1, fn_min},
      {"average", "<a<n>:n>", 1, fn_average},
      {"string", "<x-b?:s>", 1, fn_string},
      {"substring", "<s-nn?:s>", 3, fn_substring},
      {"substringBefore", "<s-s:s>", 2, fn_substring_before},
      {"substringAfter", "<s-s:s>", 2, fn_substring_after},
      {"lowercase", "<s-:s>", 1, fn_lowercase},
      {"uppercase", "<s-:s>", 1, fn_uppercase},
      {"length", "<s-:n>", 1, fn_length},
      {"trim", "<s-:s>", 1, fn_trim},
      {"pad", "<s-ns?:s>", 3, fn_pad},
      {"match", "<s-f<s:o>n?:a<o>>", 3, fn_match},
      {"contains", "<s-(sf):b>", 2, fn_contains},
      {"replace", "<s-(sf)(sf)n?:s>", 4, fn_replace},
      {"split", "<s-(sf)n?:a<s>>", 3, fn_split},
      {"join", "<a<s>s?:s>", 2, fn_join},
      {"formatNumber", "<n-so?:s>", 3, fn_format_number},
      {"formatBase", "<n-n?:s>", 2, fn_format_base},
      {"formatInteger", "<n-s:s>", 2, fn_format_integer},
      {"parseInteger", "<s-s:n>", 2, fn_parse_integer},
      {"number", "<(nsb)-:n>", 1, fn_number},
      {"floor", "<n-:n>", 1, fn_floor},
      {"ceil", "<n-:n>", 1, fn_ceil},
      {"round", "<n-n?:n>", 2, fn_round},
      {"abs", "<n-:n>", 1, fn_abs},
      {"sqrt", "<n-:n>", 1, fn_sqrt},
      {"power", "<n-n:n>", 2, fn_power},
      {"random", "<:n>", 0, fn_random},
      {"boolean", "<x-:b>", 1, fn_boolean},
      {"not", "<x-:b>", 1, fn_not},
      {"map", "<af>", 2, fn_map},
      {"zip", "<a+>", 0, fn_zip},
      {"filter", "<af>", 2, fn_filter},
      {"single", "<af?>", 2, fn_single},
      {"reduce", "<afj?:j>", 3, fn_reduce},
      {"sift", "<o-f?:o>", 2, fn_sift},
      {"keys", "<x-:a<s>>", 1, fn_keys},
      {"lookup", "<x-s:x>", 2, fn_lookup},
      {"append", "<xx:a>", 2, fn_append},
      {"exists", "<x:b>", 1, fn_exists},
      {"spread", "<x-:a<o>>", 1, fn_spread},
      {"merge", "<a<o>:o>", 1, fn_merge},
      {"reverse", "<a:a>", 1, fn_reverse},
      {"each", "<o-f:a>", 2, fn_each},
      {"error", "<s?:x>", 1, fn_error},
      {"assert", "<bs?:x>", 2, fn_assert},
      {"type", "<x:s>", 1, fn_type},
      {"sort", "<af?:a>", 2, fn_sort},
      {"shuffle", "<a:a>", 1, fn_shuffle},
      {"distinct", "<x:x>", 1, fn_distinct},
      {"base64encode", "<s-:s>", 1, fn_base64encode},
      {"base64decode", "<s-:s>", 1, fn_base64decode},
      {"encodeUrlComponent", "<s-:s>", 1, fn_encode_url_component},
      {"encodeUrl", "<s-:s>", 1, fn_encode_url},
      {"decodeUrlComponent", "<s-:s>", 1, fn_decode_url_component},
      {"decodeUrl", "<s-:s>", 1, fn_decode_url},
      {"eval", "<sx?:x>", 2, fn_eval},
      {"toMillis", "<s-s?:n>", 2, fn_to_millis},
      {"fromMillis", "<n-s?s?:s>", 3, fn_from_millis},
      {"clone", "<(oa)-:o>", 1, fn_clone},
      {"now", "<s?s?:s>", 2, fn_now},
      {"millis", "<:n>", 0, fn_millis},
  };
  return defs;
}

}  // namespace signoff::jsonata
