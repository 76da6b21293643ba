#include "patterns/compiler.h"

#include <algorithm>
#include <utility>

#include "common/utf8.h"

namespace signoff::patterns {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) {
      out.emplace_back(path.substr(start));
      return out;
    }
    out.emplace_back(path.substr(start, dot - start));
    start = dot + 1;
  }
}

namespace {

enum class Tok : uint8_t {
  StartObject,
  EndObject,
  StartArray,
  EndArray,
  FieldName,
  String,
  Number,
  True,
  False,
  Null,
  End,  // nothing more at the root
};

bool is_number_token(Tok t) {
  return t == Tok::Number;
}

// A pull tokenizer whose syntax errors read like Jackson's (the JSON library behind AWS's
// pattern parser), first line only.
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {}

  // False on a syntax error (see error()).
  bool next(Tok& tok) {
    if (has_pending_) {
      has_pending_ = false;
      tok = pending_;
      text_ = pending_text_;
      return true;
    }
    skip_ws();
    if (frames_.empty()) {
      if (root_done_ || pos_ >= s_.size()) {
        tok = Tok::End;
        return true;
      }
      root_done_ = true;
      return value(tok);
    }
    Frame& f = frames_.back();
    if (pos_ >= s_.size()) {
      return eof_in_container();
    }
    char c = s_[pos_];
    if (c == ']' || c == '}') {
      bool is_object = f.object;
      if ((c == '}') != is_object) {
        return fail(std::string("Unexpected close marker '") + c + "': expected '" +
                    (is_object ? '}' : ']') + "' (for " + (is_object ? "Object" : "Array") +
                    " starting at " + location(f.start) + ")");
      }
      if (f.count > 0 && !f.after_value) {
        // A trailing comma: Jackson wants a value or a name here.
        return f.object ? fail(unexpected(pos_, "was expecting double-quote to start field name"))
                        : fail(unexpected(pos_, kExpectedValue));
      }
      ++pos_;
      frames_.pop_back();
      tok = is_object ? Tok::EndObject : Tok::EndArray;
      after_value();
      return true;
    }
    if (f.after_value) {
      if (c != ',') {
        return fail(unexpected(pos_, f.object ? "was expecting comma to separate Object entries"
                                              : "was expecting comma to separate Array entries"));
      }
      ++pos_;
      f.after_value = false;
      skip_ws();
      if (pos_ >= s_.size()) {
        return eof_in_container();
      }
      c = s_[pos_];
      if (c == ']' || c == '}') {
        return f.object ? fail(unexpected(pos_, "was expecting double-quote to start field name"))
                        : fail(unexpected(pos_, kExpectedValue));
      }
    }
    if (!f.object) {
      return value(tok);
    }
    // Object: a field name, its colon, and (as Jackson does) the start of its value.
    if (c != '"') {
      return fail(unexpected(pos_, "was expecting double-quote to start field name"));
    }
    ++pos_;
    std::string name;
    if (!string_body(name)) {
      return false;
    }
    skip_ws();
    if (pos_ >= s_.size()) {
      return fail("Unexpected end-of-input within/between Object entries");
    }
    if (s_[pos_] != ':') {
      return fail(unexpected(pos_, "was expecting a colon to separate field name and value"));
    }
    ++pos_;
    skip_ws();
    if (pos_ >= s_.size()) {
      return fail("Unexpected end-of-input within/between Object entries");
    }
    Tok v;
    if (!value(v)) {
      return false;
    }
    pending_ = v;
    pending_text_ = std::move(text_);
    has_pending_ = true;
    text_ = std::move(name);
    tok = Tok::FieldName;
    return true;
  }

  const std::string& text() const { return text_; }
  const std::string& error() const { return error_; }
  size_t depth() const { return frames_.size(); }

 private:
  static constexpr const char* kExpectedValue =
      "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or "
      "'false')";

  struct Frame {
    bool object;
    size_t start;
    int count = 0;
    bool after_value = false;
  };

  void skip_ws() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  void after_value() {
    if (!frames_.empty()) {
      frames_.back().after_value = true;
      ++frames_.back().count;
    }
  }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  // Jackson's "[Source: (String)"..."; line: L, column: C]".
  std::string location(size_t at) const {
    int line = 1;
    int column = 1;
    for (size_t i = 0; i < at && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string shown(s_.substr(0, std::min<size_t>(s_.size(), 500)));
    std::string out = "[Source: (String)\"" + shown + "\"";
    if (s_.size() > 500) {
      out += "[truncated " + std::to_string(s_.size() - 500) + " chars]";
    }
    out += "; line: " + std::to_string(line) + ", column: " + std::to_string(column) + "]";
    return out;
  }

  bool eof_in_container() {
    const Frame& f = frames_.back();
    return fail(std::string("Unexpected end-of-input: expected close marker for ") +
                (f.object ? "OBJECT" : "ARRAY") + " (start marker at " + location(f.start) + ")");
  }

  // Jackson's _getCharDesc for the character at byte offset at.
  std::string char_desc(size_t at) const {
    auto b = static_cast<unsigned char>(s_[at]);
    uint32_t cp = b;
    size_t len = 1;
    if (b >= 0xC0) {
      len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
      if (at + len <= s_.size()) {
        cp = b & (0xFF >> (len + 1));
        for (size_t k = 1; k < len; ++k) {
          cp = (cp << 6) | (static_cast<unsigned char>(s_[at + k]) & 0x3F);
        }
      } else {
        len = 1;
      }
    }
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      return "(CTRL-CHAR, code " + std::to_string(cp) + ")";
    }
    std::string shown(s_.substr(at, len));
    if (cp > 255) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "%x", cp);
      return "'" + shown + "' (code " + std::to_string(cp) + " / 0x" + hex + ")";
    }
    return "'" + shown + "' (code " + std::to_string(cp) + ")";
  }

  std::string unexpected(size_t at, std::string_view tail) const {
    return "Unexpected character (" + char_desc(at) + "): " + std::string(tail);
  }

  static bool ident_part(char c) {
    auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || u >= 0x80;
  }

  bool invalid_token(size_t start) {
    size_t end = start;
    while (end < s_.size() && ident_part(s_[end]) && end - start < 256) {
      ++end;
    }
    if (end == start) {
      end = start + 1;
    }
    return fail("Unrecognized token '" + std::string(s_.substr(start, end - start)) +
                "': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
                "'false')");
  }

  bool literal(std::string_view word, Tok kind, Tok& tok) {
    size_t start = pos_;
    if (s_.substr(pos_, word.size()) != word ||
        (pos_ + word.size() < s_.size() && ident_part(s_[pos_ + word.size()]))) {
      return invalid_token(start);
    }
    pos_ += word.size();
    tok = kind;
    text_ = std::string(word);
    after_value();
    return true;
  }

  bool value(Tok& tok) {
    char c = s_[pos_];
    switch (c) {
      case '{':
      case '[':
        frames_.push_back(Frame{c == '{', pos_});
        ++pos_;
        tok = c == '{' ? Tok::StartObject : Tok::StartArray;
        text_ = std::string(1, c);
        return true;
      case '"': {
        ++pos_;
        std::string str;
        if (!string_body(str)) {
          return false;
        }
        text_ = std::move(str);
        tok = Tok::String;
        after_value();
        return true;
      }
      case 't':
        return literal("true", Tok::True, tok);
      case 'f':
        return literal("false", Tok::False, tok);
      case 'n':
        return literal("null", Tok::Null, tok);
      default:
        break;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number(tok);
    }
    if (ident_part(c)) {
      return invalid_token(pos_);
    }
    return fail(unexpected(pos_, kExpectedValue));
  }

  bool number(Tok& tok) {
    size_t start = pos_;
    if (s_[pos_] == '-') {
      ++pos_;
      if (pos_ >= s_.size()) {
        return fail("Unexpected end-of-input in number value");
      }
      if (!(s_[pos_] >= '0' && s_[pos_] <= '9')) {
        return fail("Unexpected character (" + char_desc(pos_) +
                    ") in numeric value: expected digit (0-9) to follow minus sign, for valid "
                    "numeric value");
      }
    }
    if (s_[pos_] == '0' && pos_ + 1 < s_.size() && s_[pos_ + 1] >= '0' && s_[pos_ + 1] <= '9') {
      return fail("Invalid numeric value: Leading zeroes not allowed");
    }
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) {
        if (pos_ >= s_.size()) {
          return fail("Unexpected end-of-input in number value");
        }
        return fail("Unexpected character (" + char_desc(pos_) +
                    ") in numeric value: Decimal point not followed by a digit");
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        ++pos_;
      }
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) {
        ++pos_;
      }
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) {
        if (pos_ >= s_.size()) {
          return fail("Unexpected end-of-input in number value");
        }
        return fail("Unexpected character (" + char_desc(pos_) +
                    ") in numeric value: Exponent indicator not followed by a digit");
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        ++pos_;
      }
    }
    text_ = std::string(s_.substr(start, pos_ - start));
    tok = Tok::Number;
    after_value();
    return true;
  }

  bool hex4(uint32_t& out) {
    out = 0;
    for (int k = 0; k < 4; ++k) {
      if (pos_ >= s_.size()) {
        return fail("Unexpected end-of-input within/between String entries");
      }
      char c = s_[pos_];
      int h = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (h < 0) {
        return fail("Unexpected character (" + char_desc(pos_) +
                    "): expected a hex-digit for character escape sequence");
      }
      out = out * 16 + static_cast<uint32_t>(h);
      ++pos_;
    }
    return true;
  }

  // After the opening quote.
  bool string_body(std::string& out) {
    while (true) {
      if (pos_ >= s_.size()) {
        return fail("Unexpected end-of-input: was expecting closing quote for a string value");
      }
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        return fail("Illegal unquoted character (" + char_desc(pos_) +
                    "): has to be escaped using backslash to be included in string value");
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= s_.size()) {
        return fail("Unexpected end-of-input in character escape sequence");
      }
      char e = s_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) {
            return false;
          }
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 1 < s_.size() && s_[pos_] == '\\' &&
              s_[pos_ + 1] == 'u') {
            size_t save = pos_;
            pos_ += 2;
            uint32_t low;
            if (!hex4(low)) {
              return false;
            }
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
              cp = 0xFFFD;
            }
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          append_utf8(out, static_cast<char32_t>(cp));
          break;
        }
        default:
          pos_ -= 1;
          return fail("Unrecognized character escape " + char_desc(pos_));
      }
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::vector<Frame> frames_;
  bool root_done_ = false;
  bool has_pending_ = false;
  Tok pending_ = Tok::End;
  std::string pending_text_;
  std::string text_;
  std::string error_;
};

constexpr const char* kTooComplex =
    "Rule is too complex - try using fewer wildcard characters or fewer repeating character "
    "sequences after a wildcard character";

bool is_reserved_in_or(std::string_view name) {
  return name == "anything-but" || name == "exists" || name == "prefix" || name == "suffix" ||
         name == "numeric" || name == "cidr" || name == "equals-ignore-case" ||
         name == "wildcard" || name == "exactly";
}

class Compiler {
 public:
  explicit Compiler(std::string_view text) : tok_(text) {}

  CompileResult run() {
    CompileResult result;
    Tok t;
    if (!next(t)) {
      result.error = error_;
      return result;
    }
    if (t != Tok::StartObject) {
      result.error = "Filter is not an object";
      return result;
    }
    std::vector<Rule> rules;
    std::vector<std::string> path;
    if (!parse_object(rules, path, false)) {
      result.error = error_;
      return result;
    }
    for (auto& rule : rules) {
      SubRule sub;
      sub.fields = std::move(rule);
      for (const auto& field : sub.fields) {
        std::vector<std::string> wildcards;
        for (const auto& c : field.conds) {
          if (c.kind == CondKind::Wildcard) {
            wildcards.push_back(c.text);
          } else if (c.kind == CondKind::ButWildcard) {
            wildcards.insert(wildcards.end(), c.strings.begin(), c.strings.end());
          }
        }
        if (!wildcards.empty() && wildcard_complexity(wildcards) > kMaxWildcardComplexity) {
          result.error = kTooComplex;
          return result;
        }
      }
      result.pattern.subrules.push_back(std::move(sub));
    }
    return result;
  }

 private:
  using Rule = std::vector<Field>;

  bool next(Tok& t) {
    if (!tok_.next(t)) {
      error_ = tok_.error();
      return false;
    }
    return true;
  }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool parse_object(std::vector<Rule>& rules, std::vector<std::string>& path, bool in_or) {
    if (tok_.depth() > static_cast<size_t>(kMaxPatternDepth)) {
      return fail("Event pattern is nested too deeply");
    }
    bool fields_present = false;
    while (true) {
      Tok t;
      if (!next(t)) {
        return false;
      }
      if (t == Tok::EndObject) {
        break;
      }
      fields_present = true;
      std::string name = tok_.text();
      if (name == "$or") {
        if (!parse_or(rules, path)) {
          return false;
        }
        continue;
      }
      if (in_or && is_reserved_in_or(name)) {
        return fail(name + " is Ruler reserved fieldName which cannot be used inside $or.");
      }
      if (!next(t)) {
        return false;
      }
      if (t == Tok::StartObject) {
        path.push_back(name);
        if (!parse_object(rules, path, in_or)) {
          return false;
        }
        path.pop_back();
      } else if (t == Tok::StartArray) {
        if (!write_rules(rules, path, name)) {
          return false;
        }
      } else {
        return fail("\"" + name + "\" must be an object or an array");
      }
    }
    if (!fields_present) {
      return fail("Empty objects are not allowed");
    }
    return true;
  }

  bool parse_or(std::vector<Rule>& rules, std::vector<std::string>& path) {
    std::vector<Rule> current = rules;
    rules.clear();
    Tok t;
    if (!next(t)) {
      return false;
    }
    if (t != Tok::StartArray) {
      return fail("It must be an Array followed with $or.");
    }
    int count = 0;
    while (true) {
      if (!next(t)) {
        return false;
      }
      if (t == Tok::EndArray) {
        break;
      }
      ++count;
      if (t != Tok::StartObject) {
        return fail("Only JSON object is allowed in array of $or relationship.");
      }
      std::vector<Rule> forked = current;
      if (forked.empty()) {
        forked.emplace_back();
      }
      if (!parse_object(forked, path, true)) {
        return false;
      }
      for (auto& r : forked) {
        rules.push_back(std::move(r));
      }
      if (rules.size() > kMaxSubRules) {
        return fail("Event pattern has too many $or combinations");
      }
    }
    if (count < 2) {
      return fail("There must have at least 2 Objects in $or relationship.");
    }
    return true;
  }

  bool write_rules(std::vector<Rule>& rules, const std::vector<std::string>& path,
                   const std::string& name) {
    Field field;
    for (const auto& p : path) {
      field.path += p;
      field.path += '.';
    }
    field.path += name;
    field.segments = split_path(field.path);
    while (true) {
      Tok t;
      if (!next(t)) {
        return false;
      }
      if (t == Tok::EndArray) {
        break;
      }
      Cond c;
      switch (t) {
        case Tok::StartObject:
          if (!match_expression(c)) {
            return false;
          }
          break;
        case Tok::String: {
          IpAddress ip;
          if (parse_ip(tok_.text(), ip)) {
            c.kind = CondKind::Cidr;
            c.cidr.base = ip;
            c.cidr.bits = ip.size * 8;
          } else {
            c.kind = CondKind::ExactString;
            c.text = tok_.text();
          }
          break;
        }
        case Tok::Number: {
          c.kind = CondKind::ExactNumber;
          c.text = tok_.text();
          ScaledNumber n = parse_scaled(c.text);
          c.comparable = n.status == NumberStatus::Ok;
          c.number = n.value;
          break;
        }
        case Tok::Null:
          c.kind = CondKind::ExactNull;
          break;
        case Tok::True:
          c.kind = CondKind::ExactTrue;
          break;
        case Tok::False:
          c.kind = CondKind::ExactFalse;
          break;
        default:
          return fail("Match value must be String, number, true, false, or null");
      }
      field.conds.push_back(std::move(c));
    }
    if (field.conds.empty()) {
      return fail("Empty arrays are not allowed");
    }
    if (rules.empty()) {
      rules.emplace_back();
    }
    for (auto& rule : rules) {
      auto it = std::find_if(rule.begin(), rule.end(),
                             [&](const Field& f) { return f.path == field.path; });
      if (it != rule.end()) {
        *it = field;
      } else {
        rule.push_back(field);
      }
    }
    return true;
  }

  bool expect_end_object(const char* message) {
    Tok t;
    if (!next(t)) {
      return false;
    }
    if (t != Tok::EndObject) {
      return fail(message);
    }
    return true;
  }

  static constexpr const char* kOneKey = "Only one key allowed in match expression";
  static constexpr const char* kTooManyElements = "Too many elements in numeric expression";

  bool scaled(const std::string& text, int64_t& out) {
    ScaledNumber n = parse_scaled(text);
    if (n.status != NumberStatus::Ok) {
      return fail(number_error(n.status, text));
    }
    out = n.value;
    return true;
  }

  bool match_expression(Cond& c) {
    Tok t;
    if (!next(t)) {
      return false;
    }
    if (t != Tok::FieldName) {
      return fail("Match expression name not found");
    }
    const std::string op = tok_.text();
    if (op == "exactly") {
      if (!next(t)) {
        return false;
      }
      if (t != Tok::String) {
        return fail("exact match pattern must be a string");
      }
      c.kind = CondKind::ExactString;
      c.text = tok_.text();
      return expect_end_object(kOneKey);
    }
    if (op == "prefix" || op == "suffix") {
      const bool prefix = op == "prefix";
      if (!next(t)) {
        return false;
      }
      if (t == Tok::StartObject) {
        if (!next(t)) {
          return false;
        }
        if (t != Tok::FieldName) {
          return fail(prefix ? "Prefix expression name not found"
                             : "Suffix expression name not found");
        }
        if (tok_.text() != "equals-ignore-case") {
          return fail((prefix ? "Unsupported prefix pattern: " : "Unsupported suffix pattern: ") +
                      tok_.text());
        }
        if (!next(t)) {
          return false;
        }
        if (t != Tok::String) {
          return fail("equals-ignore-case match pattern must be a string");
        }
        c.kind = prefix ? CondKind::PrefixFold : CondKind::SuffixFold;
        c.text = fold_case(tok_.text());
        return expect_end_object(kOneKey) && expect_end_object(kOneKey);
      }
      if (t != Tok::String) {
        return fail(prefix ? "prefix match pattern must be a string"
                           : "suffix match pattern must be a string");
      }
      c.kind = prefix ? CondKind::Prefix : CondKind::Suffix;
      c.text = tok_.text();
      return expect_end_object(kOneKey);
    }
    if (op == "numeric") {
      if (!next(t)) {
        return false;
      }
      if (t != Tok::StartArray) {
        return fail("Value of numeric must be an array.");
      }
      c.kind = CondKind::Numeric;
      if (!numeric(c.range)) {
        return false;
      }
      return expect_end_object(kTooManyElements);
    }
    if (op == "anything-but") {
      return anything_but(c);
    }
    if (op == "exists") {
      if (!next(t)) {
        return false;
      }
      if (t == Tok::True) {
        c.kind = CondKind::Exists;
      } else if (t == Tok::False) {
        c.kind = CondKind::Absent;
      } else {
        return fail("exists match pattern must be either true or false.");
      }
      return expect_end_object(kOneKey);
    }
    if (op == "cidr") {
      if (!next(t)) {
        return false;
      }
      if (t != Tok::String) {
        return fail("prefix match pattern must be a string");
      }
      c.kind = CondKind::Cidr;
      if (auto err = parse_cidr(tok_.text(), c.cidr)) {
        return fail(*err);
      }
      return expect_end_object(kOneKey);
    }
    if (op == "equals-ignore-case") {
      if (!next(t)) {
        return false;
      }
      if (t != Tok::String) {
        return fail("equals-ignore-case match pattern must be a string");
      }
      c.kind = CondKind::EqualsFold;
      c.text = fold_case(tok_.text());
      return expect_end_object(kOneKey);
    }
    if (op == "wildcard") {
      if (!next(t)) {
        return false;
      }
      if (t != Tok::String) {
        return fail("wildcard match pattern must be a string");
      }
      if (auto err = check_wildcard(tok_.text())) {
        return fail(*err);
      }
      c.kind = CondKind::Wildcard;
      c.text = tok_.text();
      return expect_end_object(kOneKey);
    }
    return fail("Unrecognized match type " + op);
  }

  bool numeric(NumericRange& r) {
    Tok t;
    if (!next(t)) {
      return false;
    }
    if (t != Tok::String) {
      return fail("Invalid member in numeric match: " + tok_.text());
    }
    const std::string op = tok_.text();
    if (!next(t)) {
      return false;
    }
    if (op == "=") {
      if (!is_number_token(t)) {
        return fail("Value of equals must be numeric");
      }
      int64_t v;
      if (!scaled(tok_.text(), v)) {
        return false;
      }
      r.has_low = r.has_high = true;
      r.low = r.high = v;
      if (!next(t)) {
        return false;
      }
      if (t != Tok::EndArray) {
        return fail(kTooManyElements);
      }
      return true;
    }
    if (op == ">=" || op == ">") {
      if (!is_number_token(t)) {
        return fail("Value of " + op + " must be numeric");
      }
      if (!scaled(tok_.text(), r.low)) {
        return false;
      }
      r.has_low = true;
      r.low_open = op == ">";
      if (!next(t)) {
        return false;
      }
      if (t == Tok::EndArray) {
        return true;
      }
      if (t != Tok::String) {
        return fail("Bad value in numeric range: " + tok_.text());
      }
      const std::string op2 = tok_.text();
      if (op2 != "<" && op2 != "<=") {
        return fail("Bad numeric range operator: " + op2);
      }
      if (!next(t)) {
        return false;
      }
      if (!is_number_token(t)) {
        return fail("Value of " + op2 + " must be numeric");
      }
      if (!scaled(tok_.text(), r.high)) {
        return false;
      }
      r.has_high = true;
      r.high_open = op2 == "<";
      if (!next(t)) {
        return false;
      }
      if (t != Tok::EndArray) {
        return fail("Too many terms in numeric range expression");
      }
      return true;
    }
    if (op == "<=" || op == "<") {
      if (!is_number_token(t)) {
        return fail("Value of " + op + " must be numeric");
      }
      if (!scaled(tok_.text(), r.high)) {
        return false;
      }
      r.has_high = true;
      r.high_open = op == "<";
      if (!next(t)) {
        return false;
      }
      if (t != Tok::EndArray) {
        return fail(kTooManyElements);
      }
      return true;
    }
    return fail("Unrecognized numeric range operator: " + op);
  }

  bool anything_but(Cond& c) {
    Tok t;
    if (!next(t)) {
      return false;
    }
    CondKind kind = CondKind::ButStrings;
    bool set_form = false;
    if (t == Tok::StartObject) {
      if (!next(t)) {
        return false;
      }
      if (t != Tok::FieldName) {
        return fail("Anything-But expression name not found");
      }
      const std::string& sub = tok_.text();
      if (sub == "equals-ignore-case") {
        kind = CondKind::ButFold;
      } else if (sub == "prefix") {
        kind = CondKind::ButPrefix;
      } else if (sub == "suffix") {
        kind = CondKind::ButSuffix;
      } else if (sub == "wildcard") {
        kind = CondKind::ButWildcard;
      } else {
        return fail("Unsupported anything-but pattern: " + sub);
      }
      set_form = true;
      if (!next(t)) {
        return false;
      }
    }
    if (t != Tok::StartArray && t != Tok::String && t != Tok::Number) {
      return fail("Value of anything-but must be an array or single string/number value.");
    }
    c.kind = kind;
    if (!set_form) {
      bool has_number = false;
      bool has_string = false;
      auto add = [&](Tok v) {
        if (v == Tok::String) {
          has_string = true;
          c.strings.push_back(tok_.text());
          return true;
        }
        if (v == Tok::Number) {
          has_number = true;
          int64_t n;
          if (!scaled(tok_.text(), n)) {
            return false;
          }
          c.numbers.push_back(n);
          return true;
        }
        return fail(t == Tok::StartArray
                        ? "Inside anything but list, start|null|boolean is not supported."
                        : "Inside anything-but list, start|null|boolean is not supported.");
      };
      if (t == Tok::StartArray) {
        while (true) {
          Tok v;
          if (!next(v)) {
            return false;
          }
          if (v == Tok::EndArray) {
            break;
          }
          if (!add(v)) {
            return false;
          }
        }
        if (has_number == has_string) {
          return fail(
              "Inside anything but list, either all values are number or string, mixed type is "
              "not supported");
        }
      } else if (!add(t)) {
        return false;
      }
      c.kind = has_number ? CondKind::ButNumbers : CondKind::ButStrings;
      return expect_end_object(kTooManyElements);
    }
    auto add_set = [&](Tok v) {
      if (v != Tok::String) {
        if (kind == CondKind::ButFold) {
          return fail(
              "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
              "supported.");
        }
        if (kind == CondKind::ButWildcard) {
          return fail("wildcard match pattern must be a string");
        }
        return fail("prefix/suffix match pattern must be a string");
      }
      const std::string& text = tok_.text();
      if ((kind == CondKind::ButPrefix || kind == CondKind::ButSuffix) && text.empty()) {
        return fail("Null prefix/suffix not allowed");
      }
      if (kind == CondKind::ButWildcard) {
        if (auto err = check_wildcard(text)) {
          return fail(*err);
        }
      }
      c.strings.push_back(kind == CondKind::ButFold ? fold_case(text) : text);
      return true;
    };
    if (t == Tok::StartArray) {
      while (true) {
        Tok v;
        if (!next(v)) {
          return false;
        }
        if (v == Tok::EndArray) {
          break;
        }
        if (!add_set(v)) {
          return false;
        }
      }
    } else if (!add_set(t)) {
      return false;
    }
    return expect_end_object(kTooManyElements) && expect_end_object(kTooManyElements);
  }

  Tokenizer tok_;
  std::string error_;
};

}  // namespace

CompileResult compile_pattern(std::string_view json) {
  if (json.size() > kMaxPatternBytes) {
    CompileResult r;
    r.error = "Event pattern is too long";
    return r;
  }
  return Compiler(json).run();
}

}  // namespace signoff::patterns
