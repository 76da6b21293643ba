#include "common/json.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <new>

namespace signoff::json {
namespace detail {

struct RefCounted {
  std::atomic<uint32_t> refs{1};
};

struct StringRep : RefCounted {
  std::string text;
};

struct ArrayRep : RefCounted {
  std::vector<Value> items;
};

struct ObjectRep : RefCounted {
  std::vector<Member> members;
};

}  // namespace detail

namespace {

template <typename Rep>
void inc(Rep* r) noexcept {
  r->refs.fetch_add(1, std::memory_order_relaxed);
}

template <typename Rep>
bool dec(Rep* r) noexcept {
  return r->refs.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

}  // namespace

Value::Value(std::string_view s) : tag_(Tag::SmallString), sso_len_(0), i_(0) {
  if (s.size() <= kSmallMax) {
    sso_len_ = static_cast<uint8_t>(s.size());
    if (!s.empty()) {
      std::memcpy(small_chars(), s.data(), s.size());
    }
    return;
  }
  tag_ = Tag::String;
  auto* rep = new detail::StringRep();
  rep->text.assign(s.data(), s.size());
  s_ = rep;
}

Value Value::array() {
  return array(std::vector<Value>());
}

Value Value::object() {
  return object(std::vector<Member>());
}

Value Value::array(std::vector<Value> items) {
  Value v;
  v.tag_ = Tag::Array;
  auto* rep = new detail::ArrayRep();
  rep->items = std::move(items);
  v.a_ = rep;
  return v;
}

Value Value::object(std::vector<Member> members) {
  Value v;
  v.tag_ = Tag::Object;
  auto* rep = new detail::ObjectRep();
  rep->members = std::move(members);
  v.o_ = rep;
  return v;
}

void Value::retain() const noexcept {
  switch (tag_) {
    case Tag::String:
      inc(s_);
      break;
    case Tag::Array:
      inc(a_);
      break;
    case Tag::Object:
      inc(o_);
      break;
    default:
      break;
  }
}

void Value::release() noexcept {
  switch (tag_) {
    case Tag::String:
      if (dec(s_)) {
        delete s_;
      }
      break;
    case Tag::Array:
      if (dec(a_)) {
        delete a_;
      }
      break;
    case Tag::Object:
      if (dec(o_)) {
        delete o_;
      }
      break;
    default:
      break;
  }
}

Value::Value(const Value& other) noexcept : tag_(other.tag_), sso_len_(other.sso_len_), i_(0) {
  std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(Value));
  retain();
}

Value::Value(Value&& other) noexcept : tag_(other.tag_), sso_len_(other.sso_len_), i_(0) {
  std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(Value));
  other.tag_ = Tag::Null;
}

Value& Value::operator=(const Value& other) noexcept {
  if (this != &other) {
    other.retain();
    release();
    std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(Value));
  }
  return *this;
}

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    release();
    std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(Value));
    other.tag_ = Tag::Null;
  }
  return *this;
}

Value::~Value() {
  release();
}

Kind Value::kind() const noexcept {
  switch (tag_) {
    case Tag::Null:
      return Kind::Null;
    case Tag::Bool:
      return Kind::Bool;
    case Tag::Int:
      return Kind::Int;
    case Tag::Double:
      return Kind::Double;
    case Tag::SmallString:
    case Tag::String:
      return Kind::String;
    case Tag::Array:
      return Kind::Array;
    case Tag::Object:
      return Kind::Object;
  }
  return Kind::Null;
}

std::string_view Value::as_string() const noexcept {
  if (tag_ == Tag::SmallString) {
    return {small_chars(), sso_len_};
  }
  if (tag_ == Tag::String) {
    return s_->text;
  }
  assert(false && "as_string on a non-string");
  return {};
}

std::span<const Value> Value::as_array() const noexcept {
  if (tag_ != Tag::Array) {
    return {};
  }
  return a_->items;
}

std::span<const Member> Value::as_object() const noexcept {
  if (tag_ != Tag::Object) {
    return {};
  }
  return o_->members;
}

size_t Value::size() const noexcept {
  if (tag_ == Tag::Array) {
    return a_->items.size();
  }
  if (tag_ == Tag::Object) {
    return o_->members.size();
  }
  return 0;
}

const Value* Value::find(std::string_view key) const noexcept {
  if (tag_ != Tag::Object) {
    return nullptr;
  }
  for (const Member& m : o_->members) {
    if (m.key == key) {
      return &m.value;
    }
  }
  return nullptr;
}

const Value* Value::at(size_t index) const noexcept {
  if (tag_ != Tag::Array || index >= a_->items.size()) {
    return nullptr;
  }
  return &a_->items[index];
}

bool Value::unique() const noexcept {
  switch (tag_) {
    case Tag::String:
      return s_->refs.load(std::memory_order_acquire) == 1;
    case Tag::Array:
      return a_->refs.load(std::memory_order_acquire) == 1;
    case Tag::Object:
      return o_->refs.load(std::memory_order_acquire) == 1;
    default:
      return true;
  }
}

std::vector<Value>& Value::mutable_array() {
  assert(tag_ == Tag::Array);
  if (!unique()) {
    auto* copy = new detail::ArrayRep();
    copy->items = a_->items;
    release();
    a_ = copy;
  }
  return a_->items;
}

std::vector<Member>& Value::mutable_object() {
  assert(tag_ == Tag::Object);
  if (!unique()) {
    auto* copy = new detail::ObjectRep();
    copy->members = o_->members;
    release();
    o_ = copy;
  }
  return o_->members;
}

void Value::set(std::string_view key, Value v) {
  auto& members = mutable_object();
  for (Member& m : members) {
    if (m.key == key) {
      m.value = std::move(v);
      return;
    }
  }
  members.push_back(Member{std::string(key), std::move(v)});
}

bool Value::erase(std::string_view key) {
  if (find(key) == nullptr) {
    return false;
  }
  auto& members = mutable_object();
  members.erase(
      std::remove_if(members.begin(), members.end(), [&](const Member& m) { return m.key == key; }),
      members.end());
  return true;
}

void Value::push_back(Value v) {
  mutable_array().push_back(std::move(v));
}

bool operator==(const Value& a, const Value& b) noexcept {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) {
      return a.i_ == b.i_;
    }
    return a.as_double() == b.as_double();
  }
  Kind ka = a.kind();
  if (ka != b.kind()) {
    return false;
  }
  switch (ka) {
    case Kind::Null:
      return true;
    case Kind::Bool:
      return a.b_ == b.b_;
    case Kind::String:
      return a.as_string() == b.as_string();
    case Kind::Array: {
      if (a.a_ == b.a_) {
        return true;
      }
      auto x = a.as_array();
      auto y = b.as_array();
      return std::equal(x.begin(), x.end(), y.begin(), y.end());
    }
    case Kind::Object: {
      if (a.o_ == b.o_) {
        return true;
      }
      if (a.size() != b.size()) {
        return false;
      }
      for (const Member& m : a.as_object()) {
        const Value* other = b.find(m.key);
        if (other == nullptr || !(*other == m.value)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

namespace {

class Parser {
 public:
  Parser(std::string_view text, size_t max_depth) : p_(text.data()), end_(p_ + text.size()) {
    begin_ = p_;
    max_depth_ = max_depth;
  }

  ParseResult run() {
    ParseResult r;
    skip_ws();
    if (!parse_value(r.value, 0)) {
      r.value = Value();
      r.error = error_.empty() ? "invalid JSON" : error_;
      r.offset = static_cast<size_t>(p_ - begin_);
      return r;
    }
    skip_ws();
    if (p_ != end_) {
      r.value = Value();
      r.error = "unexpected text after the JSON value";
      r.offset = static_cast<size_t>(p_ - begin_);
    }
    return r;
  }

 private:
  bool fail(const char* msg) {
    if (error_.empty()) {
      error_ = msg;
    }
    return false;
  }

  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
      ++p_;
    }
  }

  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return fail("invalid literal");
    }
    p_ += word.size();
    return true;
  }

  bool parse_value(Value& out, size_t depth) {
    if (p_ >= end_) {
      return fail("unexpected end of input");
    }
    switch (*p_) {
      case '{':
        return parse_object(out, depth);
      case '[':
        return parse_array(out, depth);
      case '"': {
        std::string s;
        if (!parse_string(s)) {
          return false;
        }
        out = Value(std::string_view(s));
        return true;
      }
      case 't':
        out = Value(true);
        return literal("true");
      case 'f':
        out = Value(false);
        return literal("false");
      case 'n':
        out = Value();
        return literal("null");
      default:
        return parse_number(out);
    }
  }

  bool parse_object(Value& out, size_t depth) {
    if (depth >= max_depth_) {
      return fail("JSON nested too deeply");
    }
    ++p_;
    std::vector<Member> members;
    skip_ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      out = Value::object(std::move(members));
      return true;
    }
    while (true) {
      skip_ws();
      if (p_ >= end_ || *p_ != '"') {
        return fail("expected a string key");
      }
      Member m;
      if (!parse_string(m.key)) {
        return false;
      }
      skip_ws();
      if (p_ >= end_ || *p_ != ':') {
        return fail("expected ':'");
      }
      ++p_;
      skip_ws();
      if (!parse_value(m.value, depth + 1)) {
        return false;
      }
      members.push_back(std::move(m));
      skip_ws();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        break;
      }
      return fail("expected ',' or '}'");
    }
    out = Value::object(std::move(members));
    return true;
  }

  bool parse_array(Value& out, size_t depth) {
    if (depth >= max_depth_) {
      return fail("JSON nested too deeply");
    }
    ++p_;
    std::vector<Value> items;
    skip_ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      out = Value::array(std::move(items));
      return true;
    }
    while (true) {
      skip_ws();
      Value v;
      if (!parse_value(v, depth + 1)) {
        return false;
      }
      items.push_back(std::move(v));
      skip_ws();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == ']') {
        ++p_;
        break;
      }
      return fail("expected ',' or ']'");
    }
    out = Value::array(std::move(items));
    return true;
  }

  static void append_utf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool hex4(uint32_t& cp) {
    if (end_ - p_ < 4) {
      return fail("truncated \\u escape");
    }
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = *p_++;
      cp <<= 4;
      if (c >= '0' && c <= '9') {
        cp |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        cp |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        cp |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return fail("invalid \\u escape");
      }
    }
    return true;
  }

  bool parse_string(std::string& s) {
    ++p_;  // opening quote
    while (true) {
      const char* run = p_;
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) {
        ++p_;
      }
      s.append(run, p_);
      if (p_ >= end_) {
        return fail("unterminated string");
      }
      char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c != '\\') {
        return fail("control character in string");
      }
      ++p_;
      if (p_ >= end_) {
        return fail("unterminated string");
      }
      char e = *p_++;
      switch (e) {
        case '"':
          s.push_back('"');
          break;
        case '\\':
          s.push_back('\\');
          break;
        case '/':
          s.push_back('/');
          break;
        case 'b':
          s.push_back('\b');
          break;
        case 'f':
          s.push_back('\f');
          break;
        case 'n':
          s.push_back('\n');
          break;
        case 'r':
          s.push_back('\r');
          break;
        case 't':
          s.push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) {
            return false;
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
              p_ += 2;
              if (!hex4(low)) {
                return false;
              }
              if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              } else {
                append_utf8(s, 0xFFFD);
                cp = low;
              }
            } else {
              cp = 0xFFFD;
            }
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          append_utf8(s, cp);
          break;
        }
        default:
          return fail("invalid escape in string");
      }
    }
  }

  bool parse_number(Value& out) {
    const char* start = p_;
    bool is_int = true;
    if (p_ < end_ && *p_ == '-') {
      ++p_;
    }
    if (p_ >= end_ || *p_ < '0' || *p_ > '9') {
      return fail("invalid value");
    }
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
        ++p_;
      }
    }
    if (p_ < end_ && *p_ == '.') {
      is_int = false;
      ++p_;
      if (p_ >= end_ || *p_ < '0' || *p_ > '9') {
        return fail("invalid number");
      }
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
        ++p_;
      }
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      is_int = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) {
        ++p_;
      }
      if (p_ >= end_ || *p_ < '0' || *p_ > '9') {
        return fail("invalid number");
      }
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
        ++p_;
      }
    }
    if (is_int) {
      int64_t i = 0;
      auto [ptr, ec] = std::from_chars(start, p_, i);
      if (ec == std::errc() && ptr == p_) {
        out = Value(i);
        return true;
      }
    }
    double d = 0;
    auto [ptr, ec] = std::from_chars(start, p_, d);
    if (ec == std::errc::result_out_of_range) {
      d = (*start == '-') ? -HUGE_VAL : HUGE_VAL;
      // Underflow gives a tiny value instead; from_chars reports both as out of range.
      if (p_ - start > 1) {
        const char* e = std::find_if(start, p_, [](char c) { return c == 'e' || c == 'E'; });
        if (e != p_ && e + 1 < p_ && e[1] == '-') {
          d = (*start == '-') ? -0.0 : 0.0;
        }
      }
    } else if (ec != std::errc() || ptr != p_) {
      return fail("invalid number");
    }
    out = Value(d);
    return true;
  }

  const char* p_;
  const char* end_;
  const char* begin_;
  size_t max_depth_;
  std::string error_;
};

}  // namespace

ParseResult parse(std::string_view text, size_t max_depth) {
  return Parser(text, max_depth).run();
}

// ---------------------------------------------------------------------------------------------
// Serializer

void quote_to(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const char* run = s.data();
  const char* end = s.data() + s.size();
  for (const char* p = run; p < end; ++p) {
    auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(run, p);
    run = p + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(run, end);
  out.push_back('"');
}

void format_double(double d, std::string& out) {
  if (std::isnan(d) || std::isinf(d)) {
    // JSON has no spelling for these; the JVM services never emit them either.
    out.append("null");
    return;
  }
  if (d == std::floor(d) && std::fabs(d) < 1e7) {
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(d));
    (void)ec;
    if (d == 0 && std::signbit(d)) {
      out.push_back('-');
    }
    out.append(buf, ptr);
    out.append(".0");
    return;
  }
  char buf[64];
  double mag = std::fabs(d);
  if (mag >= 1e-3 && mag < 1e7) {
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    (void)ec;
    out.append(buf, ptr);
    return;
  }
  // Java's Double.toString: d.dddE[-]n with at least one fraction digit.
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  (void)ec;
  std::string_view s(buf, static_cast<size_t>(ptr - buf));
  size_t e = s.find('e');
  std::string_view mant = s.substr(0, e);
  std::string_view exp = s.substr(e + 1);
  out.append(mant);
  if (mant.find('.') == std::string_view::npos) {
    out.append(".0");
  }
  out.push_back('E');
  if (!exp.empty() && exp[0] == '+') {
    exp.remove_prefix(1);
  }
  bool neg = !exp.empty() && exp[0] == '-';
  if (neg) {
    out.push_back('-');
    exp.remove_prefix(1);
  }
  while (exp.size() > 1 && exp[0] == '0') {
    exp.remove_prefix(1);
  }
  out.append(exp);
}

void dump_to(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Kind::Null:
      out.append("null");
      return;
    case Kind::Bool:
      out.append(v.as_bool() ? "true" : "false");
      return;
    case Kind::Int: {
      char buf[24];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v.as_int());
      (void)ec;
      out.append(buf, ptr);
      return;
    }
    case Kind::Double:
      format_double(v.as_double(), out);
      return;
    case Kind::String:
      quote_to(v.as_string(), out);
      return;
    case Kind::Array: {
      out.push_back('[');
      bool first = true;
      for (const Value& item : v.as_array()) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        dump_to(item, out);
      }
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      out.push_back('{');
      bool first = true;
      for (const Member& m : v.as_object()) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        quote_to(m.key, out);
        out.push_back(':');
        dump_to(m.value, out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string dump(const Value& v) {
  std::string out;
  dump_to(v, out);
  return out;
}

size_t dumped_size(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return 4;
    case Kind::Bool:
      return v.as_bool() ? 4 : 5;
    case Kind::Int:
    case Kind::Double:
    case Kind::String: {
      std::string tmp;
      dump_to(v, tmp);
      return tmp.size();
    }
    case Kind::Array: {
      size_t n = 2 + (v.size() > 0 ? v.size() - 1 : 0);
      for (const Value& item : v.as_array()) {
        n += dumped_size(item);
      }
      return n;
    }
    case Kind::Object: {
      size_t n = 2 + (v.size() > 0 ? v.size() - 1 : 0);
      for (const Member& m : v.as_object()) {
        std::string key;
        quote_to(m.key, key);
        n += key.size() + 1 + dumped_size(m.value);
      }
      return n;
    }
  }
  return 0;
}

}  // namespace signoff::json
