// JSONPath with the semantics of Jayway JsonPath as Step Functions runs it.
//
// A path is compiled once into a list of steps. Evaluation has two engines: definite paths (the
// common case: `$.a.b[0]`) walk const pointers and copy only the selected value; indefinite paths
// (wildcards, slices, unions, filters, deep scan) recurse and collect matches into an array.
//
// Jayway details kept on purpose:
// - Bracket-quoted names are taken verbatim: a backslash only stops the next character from
//   closing the name (`$['a\'b']` names `a\'b`), which is what AWS does (recorded case
//   ESCAPE_SEQUENCES_JSONPATH).
// - A missing member under a wildcard/filter/slice is skipped; on a definite path it means "no
//   result".
// - `['a','b']` as the last step merges the present members into one object (definite).
// - Deep scan visits nodes in pre-order; `..[?()]` tests every object node, not array elements.
#include "asl/jsonpath.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "asl/jsonpath_internal.h"

namespace signoff::asl {
namespace jsonpath_detail {
namespace {

constexpr int kMaxNesting = 32;          // filters inside filters, parentheses
constexpr int kMaxEvalDepth = 600;       // recursion while walking documents
constexpr size_t kWorkBudget = 4000000;  // node visits per select()

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

class Parser {
 public:
  Parser(std::string_view text, bool embedded, int nesting)
      : text_(text), embedded_(embedded), nesting_(nesting) {}

  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }
  const std::string& error() const { return error_; }

  // Parses a whole path starting at pos_ ('$' or, embedded, '@').
  bool parse_path(PathCore& out) {
    if (at_end()) {
      return fail("Path must not be empty");
    }
    char c = peek();
    if (c == '@') {
      if (!embedded_) {
        return fail("Path must start with '$'");
      }
      out.origin = Origin::Current;
      ++pos_;
    } else if (c == '$') {
      ++pos_;
      if (!at_end() && peek() == '$') {
        out.origin = Origin::Context;
        ++pos_;
      } else if (!at_end() && is_ident_start(peek())) {
        out.origin = Origin::Variable;
        size_t start = pos_;
        while (!at_end() && is_ident_char(peek())) {
          ++pos_;
        }
        out.variable.assign(text_.substr(start, pos_ - start));
      } else {
        out.origin = Origin::Input;
      }
    } else {
      return fail("Path must start with '$'");
    }
    while (!at_end()) {
      c = peek();
      if (c == '.') {
        if (!parse_dot(out)) {
          return false;
        }
      } else if (c == '[') {
        Step step;
        if (!parse_bracket(step)) {
          return false;
        }
        out.steps.push_back(std::move(step));
      } else if (embedded_) {
        break;
      } else {
        return fail("Could not parse token starting at position " + std::to_string(pos_));
      }
      if (!out.steps.empty() && out.steps.back().kind == StepKind::Function && !at_end() &&
          (peek() == '.' || peek() == '[')) {
        return fail("A function must be the last element of a path");
      }
    }
    finish(out);
    return true;
  }

  // Parses a filter expression up to (not including) the ')' closing `[?(`.
  bool parse_filter(FilterExpr& out) { return parse_or(out); }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
    }
    return false;
  }
  void skip_spaces() {
    while (!at_end() && is_space(peek())) {
      ++pos_;
    }
  }
  bool ends_dot_name(char c) const {
    if (c == '.' || c == '[' || c == '(' || is_space(c)) {
      return true;
    }
    if (embedded_) {
      return c == ')' || c == '=' || c == '!' || c == '<' || c == '>' || c == '&' || c == '|' ||
             c == ',' || c == ']';
    }
    return false;
  }

  bool parse_dot(PathCore& out) {
    ++pos_;  // '.'
    bool deep = false;
    if (!at_end() && peek() == '.') {
      deep = true;
      ++pos_;
    }
    if (at_end()) {
      return fail("Path must not end with a '.' or '..'");
    }
    Step step;
    step.deep = deep;
    char c = peek();
    if (c == '[') {
      if (!deep) {
        return fail("Could not parse token starting at position " + std::to_string(pos_));
      }
      if (!parse_bracket(step)) {
        return false;
      }
      step.deep = true;
      out.steps.push_back(std::move(step));
      return true;
    }
    if (c == '*') {
      ++pos_;
      step.kind = StepKind::Wildcard;
      out.steps.push_back(std::move(step));
      return true;
    }
    if (c == '.') {
      return fail("Path must not contain '...'");
    }
    size_t start = pos_;
    while (!at_end() && !ends_dot_name(peek())) {
      ++pos_;
    }
    if (pos_ == start) {
      return fail("Path must not end with a '.' or '..'");
    }
    std::string_view name = text_.substr(start, pos_ - start);
    if (!at_end() && peek() == '(') {
      if (deep) {
        return fail("Functions can not follow a deep scan");
      }
      ++pos_;
      skip_spaces();
      if (at_end() || peek() != ')') {
        return fail("Function arguments are not supported");
      }
      ++pos_;
      std::optional<FunctionKind> fn = function_by_name(name);
      if (!fn) {
        return fail("Function with name: " + std::string(name) + " does not exist.");
      }
      step.kind = StepKind::Function;
      step.function = *fn;
      step.name.assign(name);
      out.steps.push_back(std::move(step));
      return true;
    }
    step.kind = StepKind::Field;
    step.name.assign(name);
    out.steps.push_back(std::move(step));
    return true;
  }

  static std::optional<FunctionKind> function_by_name(std::string_view name) {
    if (name == "length")
      return FunctionKind::Length;
    if (name == "size")
      return FunctionKind::Length;
    if (name == "min")
      return FunctionKind::Min;
    if (name == "max")
      return FunctionKind::Max;
    if (name == "avg")
      return FunctionKind::Avg;
    if (name == "sum")
      return FunctionKind::Sum;
    if (name == "stddev")
      return FunctionKind::Stddev;
    if (name == "keys")
      return FunctionKind::Keys;
    if (name == "first")
      return FunctionKind::First;
    if (name == "last")
      return FunctionKind::Last;
    return std::nullopt;
  }

  bool parse_int(int64_t& out) {
    bool negative = false;
    if (!at_end() && peek() == '-') {
      negative = true;
      ++pos_;
    }
    if (at_end() || !is_digit(peek())) {
      return fail("Expected a number at position " + std::to_string(pos_));
    }
    int64_t v = 0;
    while (!at_end() && is_digit(peek())) {
      int d = peek() - '0';
      if (v > (std::numeric_limits<int64_t>::max() - d) / 10) {
        return fail("Array index out of range at position " + std::to_string(pos_));
      }
      v = v * 10 + d;
      ++pos_;
    }
    out = negative ? -v : v;
    return true;
  }

  // Reads a quoted name at pos_ (on the quote). Backslash protects the next character but is
  // kept, as AWS's Jayway does.
  bool read_quoted_raw(std::string& out) {
    char quote = peek();
    ++pos_;
    size_t start = pos_;
    bool escape = false;
    while (!at_end()) {
      char c = peek();
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == quote) {
        out.assign(text_.substr(start, pos_ - start));
        ++pos_;
        return true;
      }
      ++pos_;
    }
    return fail("Property has not been closed - missing closing " + std::string(1, quote));
  }

  bool parse_bracket(Step& step) {
    ++pos_;  // '['
    skip_spaces();
    if (at_end()) {
      return fail("Path must not end with a '['");
    }
    char c = peek();
    if (c == '*') {
      ++pos_;
      skip_spaces();
      if (at_end() || peek() != ']') {
        return fail("Expected ']' after '[*'");
      }
      ++pos_;
      step.kind = StepKind::Wildcard;
      return true;
    }
    if (c == '?') {
      ++pos_;
      skip_spaces();
      if (at_end() || peek() != '(') {
        return fail("Expected '(' after '[?'");
      }
      ++pos_;
      if (nesting_ >= kMaxNesting) {
        return fail("Filters are nested too deeply");
      }
      auto filter = std::make_shared<FilterExpr>();
      Parser sub(text_, true, nesting_ + 1);
      sub.set_pos(pos_);
      if (!sub.parse_filter(*filter)) {
        return fail(sub.error().empty() ? "Invalid filter" : sub.error());
      }
      pos_ = sub.pos();
      skip_spaces();
      if (at_end() || peek() != ')') {
        return fail("Expected ')' closing the filter at position " + std::to_string(pos_));
      }
      ++pos_;
      skip_spaces();
      if (at_end() || peek() != ']') {
        return fail("Expected ']' closing the filter at position " + std::to_string(pos_));
      }
      ++pos_;
      step.kind = StepKind::Filter;
      step.filter = std::move(filter);
      return true;
    }
    if (c == '\'' || c == '"') {
      std::vector<std::string> names;
      while (true) {
        if (at_end() || (peek() != '\'' && peek() != '"')) {
          return fail("Expected a quoted property name at position " + std::to_string(pos_));
        }
        std::string name;
        if (!read_quoted_raw(name)) {
          return false;
        }
        names.push_back(std::move(name));
        skip_spaces();
        if (at_end()) {
          return fail("Property has not been closed - missing ']'");
        }
        if (peek() == ',') {
          ++pos_;
          skip_spaces();
          continue;
        }
        if (peek() == ']') {
          ++pos_;
          break;
        }
        return fail("Property must be separated by comma or terminated by ']' at position " +
                    std::to_string(pos_));
      }
      if (names.size() == 1) {
        step.kind = StepKind::Field;
        step.name = std::move(names[0]);
      } else {
        step.kind = StepKind::FieldUnion;
        step.names = std::move(names);
      }
      return true;
    }
    if (is_digit(c) || c == '-' || c == ':') {
      std::optional<int64_t> first;
      if (c != ':') {
        int64_t v = 0;
        if (!parse_int(v)) {
          return false;
        }
        first = v;
      }
      skip_spaces();
      if (at_end()) {
        return fail("Path must not end with an open '['");
      }
      if (peek() == ':') {
        ++pos_;
        skip_spaces();
        step.kind = StepKind::Slice;
        step.from = first;
        if (!at_end() && (is_digit(peek()) || peek() == '-')) {
          int64_t v = 0;
          if (!parse_int(v)) {
            return false;
          }
          step.to = v;
          skip_spaces();
        }
        if (at_end() || peek() != ']') {
          return fail("Expected ']' closing the slice at position " + std::to_string(pos_));
        }
        ++pos_;
        return true;
      }
      if (!first) {
        return fail("Expected an array index at position " + std::to_string(pos_));
      }
      if (peek() == ']') {
        ++pos_;
        step.kind = StepKind::Index;
        step.index = *first;
        return true;
      }
      if (peek() != ',') {
        return fail("Expected ',' or ']' at position " + std::to_string(pos_));
      }
      step.kind = StepKind::IndexUnion;
      step.indexes.push_back(*first);
      while (!at_end() && peek() == ',') {
        ++pos_;
        skip_spaces();
        int64_t v = 0;
        if (!parse_int(v)) {
          return false;
        }
        step.indexes.push_back(v);
        skip_spaces();
      }
      if (at_end() || peek() != ']') {
        return fail("Expected ']' closing the index list at position " + std::to_string(pos_));
      }
      ++pos_;
      return true;
    }
    return fail("Could not parse token starting at position " + std::to_string(pos_));
  }

  // --- filters -------------------------------------------------------------------------------

  bool enter() {
    if (++nesting_ > kMaxNesting) {
      return fail("Filter expression is nested too deeply");
    }
    return true;
  }

  bool parse_or(FilterExpr& out) {
    if (!enter()) {
      return false;
    }
    FilterExpr first;
    if (!parse_and(first)) {
      return false;
    }
    skip_spaces();
    if (at_end() || text_.substr(pos_, 2) != "||") {
      out = std::move(first);
      --nesting_;
      return true;
    }
    out.kind = FilterKind::Or;
    out.children.push_back(std::move(first));
    while (!at_end() && text_.substr(pos_, 2) == "||") {
      pos_ += 2;
      FilterExpr next;
      if (!parse_and(next)) {
        return false;
      }
      out.children.push_back(std::move(next));
      skip_spaces();
    }
    --nesting_;
    return true;
  }

  bool parse_and(FilterExpr& out) {
    FilterExpr first;
    if (!parse_unary(first)) {
      return false;
    }
    skip_spaces();
    if (at_end() || text_.substr(pos_, 2) != "&&") {
      out = std::move(first);
      return true;
    }
    out.kind = FilterKind::And;
    out.children.push_back(std::move(first));
    while (!at_end() && text_.substr(pos_, 2) == "&&") {
      pos_ += 2;
      FilterExpr next;
      if (!parse_unary(next)) {
        return false;
      }
      out.children.push_back(std::move(next));
      skip_spaces();
    }
    return true;
  }

  bool parse_unary(FilterExpr& out) {
    skip_spaces();
    if (at_end()) {
      return fail("Filter expression is incomplete");
    }
    if (peek() == '!' && text_.substr(pos_, 2) != "!=") {
      ++pos_;
      if (!enter()) {
        return false;
      }
      FilterExpr inner;
      if (!parse_unary(inner)) {
        return false;
      }
      --nesting_;
      out.kind = FilterKind::Not;
      out.children.push_back(std::move(inner));
      return true;
    }
    if (peek() == '(') {
      ++pos_;
      if (!parse_or(out)) {
        return false;
      }
      skip_spaces();
      if (at_end() || peek() != ')') {
        return fail("Expected ')' in filter at position " + std::to_string(pos_));
      }
      ++pos_;
      return true;
    }
    return parse_comparison(out);
  }

  bool parse_comparison(FilterExpr& out) {
    if (!parse_operand(out.lhs)) {
      return false;
    }
    skip_spaces();
    if (at_end() || peek() == ')' || text_.substr(pos_, 2) == "&&" ||
        text_.substr(pos_, 2) == "||") {
      if (out.lhs.kind != OperandKind::Path) {
        return fail("A filter literal must be compared with something");
      }
      out.kind = FilterKind::Exists;
      return true;
    }
    static constexpr std::pair<std::string_view, CompareOp> kSymbols[] = {
        {"==", CompareOp::Eq}, {"!=", CompareOp::Ne}, {"<=", CompareOp::Le},
        {">=", CompareOp::Ge}, {"<", CompareOp::Lt},  {">", CompareOp::Gt}};
    static constexpr std::pair<std::string_view, CompareOp> kWords[] = {
        {"nin", CompareOp::Nin},           {"in", CompareOp::In},
        {"subsetof", CompareOp::SubsetOf}, {"anyof", CompareOp::AnyOf},
        {"noneof", CompareOp::NoneOf},     {"size", CompareOp::Size},
        {"empty", CompareOp::Empty},       {"contains", CompareOp::Contains}};
    bool found = false;
    if (text_.substr(pos_, 2) == "=~") {
      return fail("Regular expressions in filters are not supported");
    }
    for (const auto& [sym, op] : kSymbols) {
      if (text_.substr(pos_, sym.size()) == sym) {
        out.op = op;
        pos_ += sym.size();
        found = true;
        break;
      }
    }
    if (!found) {
      for (const auto& [word, op] : kWords) {
        if (text_.substr(pos_, word.size()) == word &&
            (pos_ + word.size() >= text_.size() || !is_ident_char(text_[pos_ + word.size()]))) {
          out.op = op;
          pos_ += word.size();
          found = true;
          break;
        }
      }
    }
    if (!found) {
      return fail("Unknown operator in filter at position " + std::to_string(pos_));
    }
    out.kind = FilterKind::Compare;
    return parse_operand(out.rhs);
  }

  bool parse_operand(Operand& out) {
    skip_spaces();
    if (at_end()) {
      return fail("Filter expression is incomplete");
    }
    char c = peek();
    if (c == '@' || c == '$') {
      out.kind = OperandKind::Path;
      auto core = std::make_shared<PathCore>();
      Parser sub(text_, true, nesting_ + 1);
      sub.set_pos(pos_);
      if (!sub.parse_path(*core)) {
        return fail(sub.error());
      }
      pos_ = sub.pos();
      out.path = std::move(core);
      return true;
    }
    out.kind = OperandKind::Literal;
    return parse_literal(out.literal, 0);
  }

  bool parse_literal(json::Value& out, int depth) {
    skip_spaces();
    if (at_end()) {
      return fail("Filter expression is incomplete");
    }
    char c = peek();
    if (c == '\'' || c == '"') {
      char quote = c;
      ++pos_;
      std::string s;
      while (!at_end() && peek() != quote) {
        if (peek() == '\\' && pos_ + 1 < text_.size()) {
          ++pos_;
        }
        s.push_back(peek());
        ++pos_;
      }
      if (at_end()) {
        return fail("String literal in filter is not closed");
      }
      ++pos_;
      out = json::Value(s);
      return true;
    }
    if (c == '-' || is_digit(c)) {
      size_t start = pos_;
      if (c == '-') {
        ++pos_;
      }
      while (!at_end() && (is_digit(peek()) || peek() == '.' || peek() == 'e' || peek() == 'E' ||
                           ((peek() == '+' || peek() == '-') &&
                            (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E')))) {
        ++pos_;
      }
      json::ParseResult r = json::parse(text_.substr(start, pos_ - start));
      if (!r.ok() || !r.value.is_number()) {
        return fail("Invalid number in filter at position " + std::to_string(start));
      }
      out = std::move(r.value);
      return true;
    }
    if (c == '[' || c == '{') {
      if (depth > kMaxNesting) {
        return fail("Filter literal is nested too deeply");
      }
      if (c == '{') {
        // Object literals: hand the balanced text to the JSON parser.
        size_t start = pos_;
        int level = 0;
        bool in_string = false;
        for (; !at_end(); ++pos_) {
          char d = peek();
          if (in_string) {
            if (d == '\\') {
              ++pos_;
            } else if (d == '"') {
              in_string = false;
            }
          } else if (d == '"') {
            in_string = true;
          } else if (d == '{' || d == '[') {
            ++level;
          } else if (d == '}' || d == ']') {
            if (--level == 0) {
              ++pos_;
              break;
            }
          }
        }
        json::ParseResult r = json::parse(text_.substr(start, pos_ - start), kMaxNesting);
        if (!r.ok()) {
          return fail("Invalid JSON literal in filter at position " + std::to_string(start));
        }
        out = std::move(r.value);
        return true;
      }
      ++pos_;
      std::vector<json::Value> items;
      skip_spaces();
      if (!at_end() && peek() == ']') {
        ++pos_;
        out = json::Value::array();
        return true;
      }
      while (true) {
        json::Value item;
        if (!parse_literal(item, depth + 1)) {
          return false;
        }
        items.push_back(std::move(item));
        skip_spaces();
        if (at_end()) {
          return fail("Array literal in filter is not closed");
        }
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (peek() == ']') {
          ++pos_;
          break;
        }
        return fail("Expected ',' or ']' in filter array at position " + std::to_string(pos_));
      }
      out = json::Value::array(std::move(items));
      return true;
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        out = word == "true"    ? json::Value(true)
              : word == "false" ? json::Value(false)
                                : json::Value();
        return true;
      }
    }
    if (c == '/') {
      return fail("Regular expressions in filters are not supported");
    }
    return fail("Unexpected character in filter at position " + std::to_string(pos_));
  }

  static void finish(PathCore& out) {
    bool definite = true;
    bool reference = true;
    for (size_t i = 0; i < out.steps.size(); ++i) {
      const Step& s = out.steps[i];
      if (s.deep) {
        definite = false;
        reference = false;
      }
      switch (s.kind) {
        case StepKind::Field:
          break;
        case StepKind::Index:
          if (s.index < 0) {
            reference = false;
          }
          break;
        case StepKind::FieldUnion:
          reference = false;
          if (i + 1 != out.steps.size()) {
            definite = false;
          }
          break;
        case StepKind::Function:
          reference = false;
          break;
        default:
          reference = false;
          definite = false;
          break;
      }
    }
    // Jayway hoists a trailing function over a leading deep scan: `$..price.sum()` sums the
    // matches instead of applying sum() to each one.
    out.function_over_matches =
        !out.steps.empty() && out.steps.back().kind == StepKind::Function && out.steps.front().deep;
    if (out.function_over_matches) {
      definite = true;
    }
    out.definite = definite;
    out.reference = reference && out.origin != Origin::Current;
    out.simple = true;
    for (const Step& s : out.steps) {
      if (s.deep || (s.kind != StepKind::Field && s.kind != StepKind::Index)) {
        out.simple = false;
      }
    }
  }

  std::string_view text_;
  bool embedded_;
  int nesting_;
  size_t pos_ = 0;
  std::string error_;
};

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

struct EvalContext {
  const PathRoots* roots;
  size_t budget = kWorkBudget;
  bool spend() {
    if (budget == 0) {
      return false;
    }
    --budget;
    return true;
  }
};

const json::Value* resolve_root(const PathCore& p, const PathRoots& roots,
                                const json::Value* current) {
  switch (p.origin) {
    case Origin::Input:
      return roots.input;
    case Origin::Context:
      return roots.context;
    case Origin::Variable:
      return roots.variables != nullptr ? roots.variables->lookup(p.variable) : nullptr;
    case Origin::Current:
      return current;
  }
  return nullptr;
}

size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) {
      n += (c >= 0xF0) ? 2 : 1;
    }
  }
  return n;
}

std::optional<json::Value> apply_function(FunctionKind fn, const json::Value& v) {
  switch (fn) {
    case FunctionKind::Length:
      if (v.is_array() || v.is_object()) {
        return json::Value(static_cast<int64_t>(v.size()));
      }
      if (v.is_string()) {
        return json::Value(static_cast<int64_t>(utf16_length(v.as_string())));
      }
      return std::nullopt;
    case FunctionKind::Keys: {
      if (!v.is_object()) {
        return std::nullopt;
      }
      std::vector<json::Value> keys;
      keys.reserve(v.size());
      for (const json::Member& m : v.as_object()) {
        keys.emplace_back(m.key);
      }
      return json::Value::array(std::move(keys));
    }
    case FunctionKind::First:
    case FunctionKind::Last:
      if (!v.is_array() || v.size() == 0) {
        return std::nullopt;
      }
      return fn == FunctionKind::First ? v.as_array().front() : v.as_array().back();
    case FunctionKind::Min:
    case FunctionKind::Max:
    case FunctionKind::Avg:
    case FunctionKind::Sum:
    case FunctionKind::Stddev: {
      if (!v.is_array()) {
        return std::nullopt;
      }
      size_t count = 0;
      double sum = 0, sumsq = 0;
      double lo = std::numeric_limits<double>::infinity();
      double hi = -std::numeric_limits<double>::infinity();
      for (const json::Value& item : v.as_array()) {
        if (!item.is_number()) {
          continue;
        }
        double d = item.as_double();
        ++count;
        sum += d;
        sumsq += d * d;
        lo = std::min(lo, d);
        hi = std::max(hi, d);
      }
      if (count == 0) {
        return std::nullopt;  // Jayway: "Aggregation function attempted to calculate value using
                              // empty array"
      }
      double n = static_cast<double>(count);
      switch (fn) {
        case FunctionKind::Min:
          return json::Value(lo);
        case FunctionKind::Max:
          return json::Value(hi);
        case FunctionKind::Avg:
          return json::Value(sum / n);
        case FunctionKind::Sum:
          return json::Value(sum);
        default: {
          double mean = sum / n;
          double var = sumsq / n - mean * mean;
          return json::Value(std::sqrt(var < 0 ? 0 : var));
        }
      }
    }
  }
  return std::nullopt;
}

void walk(const PathCore& p, size_t i, const json::Value& v, std::vector<json::Value>& out,
          EvalContext& ctx, int depth);

// Values of an operand: nullopt when a definite path selects nothing.
std::optional<json::Value> operand_value(const Operand& o, const json::Value& current,
                                         EvalContext& ctx, int depth);

bool evaluate_filter(const FilterExpr& f, const json::Value& current, EvalContext& ctx, int depth);

int64_t normalize_index(int64_t index, size_t size) {
  return index < 0 ? static_cast<int64_t>(size) + index : index;
}

// Applies steps[i] (ignoring its deep flag) to v and continues with i+1.
void apply_step(const PathCore& p, size_t i, const json::Value& v, std::vector<json::Value>& out,
                EvalContext& ctx, int depth) {
  const Step& s = p.steps[i];
  switch (s.kind) {
    case StepKind::Field:
      if (const json::Value* child = v.find(s.name)) {
        walk(p, i + 1, *child, out, ctx, depth + 1);
      }
      return;
    case StepKind::Index:
      if (v.is_array()) {
        int64_t idx = normalize_index(s.index, v.size());
        if (idx >= 0 && static_cast<size_t>(idx) < v.size()) {
          walk(p, i + 1, v.as_array()[static_cast<size_t>(idx)], out, ctx, depth + 1);
        }
      }
      return;
    case StepKind::IndexUnion:
      if (v.is_array()) {
        for (int64_t index : s.indexes) {
          int64_t idx = normalize_index(index, v.size());
          if (idx >= 0 && static_cast<size_t>(idx) < v.size()) {
            walk(p, i + 1, v.as_array()[static_cast<size_t>(idx)], out, ctx, depth + 1);
          }
        }
      }
      return;
    case StepKind::Wildcard:
      if (v.is_array()) {
        for (const json::Value& item : v.as_array()) {
          walk(p, i + 1, item, out, ctx, depth + 1);
        }
      } else if (v.is_object()) {
        for (const json::Member& m : v.as_object()) {
          walk(p, i + 1, m.value, out, ctx, depth + 1);
        }
      }
      return;
    case StepKind::Slice: {
      if (!v.is_array()) {
        return;
      }
      int64_t size = static_cast<int64_t>(v.size());
      int64_t from = s.from ? normalize_index(*s.from, v.size()) : 0;
      int64_t to = s.to ? normalize_index(*s.to, v.size()) : size;
      from = std::clamp<int64_t>(from, 0, size);
      to = std::clamp<int64_t>(to, 0, size);
      for (int64_t k = from; k < to; ++k) {
        walk(p, i + 1, v.as_array()[static_cast<size_t>(k)], out, ctx, depth + 1);
      }
      return;
    }
    case StepKind::FieldUnion:
      if (!v.is_object()) {
        return;
      }
      if (i + 1 == p.steps.size()) {
        std::vector<json::Member> members;
        for (const std::string& name : s.names) {
          if (const json::Value* child = v.find(name)) {
            members.push_back(json::Member{name, *child});
          }
        }
        walk(p, i + 1, json::Value::object(std::move(members)), out, ctx, depth + 1);
      } else {
        for (const std::string& name : s.names) {
          if (const json::Value* child = v.find(name)) {
            walk(p, i + 1, *child, out, ctx, depth + 1);
          }
        }
      }
      return;
    case StepKind::Filter:
      if (v.is_array()) {
        for (const json::Value& item : v.as_array()) {
          if (evaluate_filter(*s.filter, item, ctx, depth + 1)) {
            walk(p, i + 1, item, out, ctx, depth + 1);
          }
        }
      } else if (v.is_object()) {
        if (evaluate_filter(*s.filter, v, ctx, depth + 1)) {
          walk(p, i + 1, v, out, ctx, depth + 1);
        }
      }
      return;
    case StepKind::Function:
      if (auto r = apply_function(s.function, v)) {
        walk(p, i + 1, *r, out, ctx, depth + 1);
      }
      return;
  }
}

// Deep scan: apply steps[i] at v and at every descendant, pre-order.
void scan(const PathCore& p, size_t i, const json::Value& v, std::vector<json::Value>& out,
          EvalContext& ctx, int depth) {
  if (depth > kMaxEvalDepth || !ctx.spend()) {
    return;
  }
  const Step& s = p.steps[i];
  if (s.kind == StepKind::Filter) {
    if (v.is_object() && evaluate_filter(*s.filter, v, ctx, depth + 1)) {
      walk(p, i + 1, v, out, ctx, depth + 1);
    }
  } else {
    apply_step(p, i, v, out, ctx, depth);
  }
  if (v.is_array()) {
    for (const json::Value& item : v.as_array()) {
      scan(p, i, item, out, ctx, depth + 1);
    }
  } else if (v.is_object()) {
    for (const json::Member& m : v.as_object()) {
      scan(p, i, m.value, out, ctx, depth + 1);
    }
  }
}

void walk(const PathCore& p, size_t i, const json::Value& v, std::vector<json::Value>& out,
          EvalContext& ctx, int depth) {
  if (depth > kMaxEvalDepth || !ctx.spend()) {
    return;
  }
  if (i == p.steps.size()) {
    out.push_back(v);
    return;
  }
  if (p.steps[i].deep) {
    scan(p, i, v, out, ctx, depth);
  } else {
    apply_step(p, i, v, out, ctx, depth);
  }
}

// Definite paths without functions/unions: pointer walk, no allocation.
const json::Value* select_simple(const PathCore& p, const json::Value* v) {
  for (const Step& s : p.steps) {
    if (s.kind == StepKind::Field) {
      v = v->find(s.name);
    } else {
      if (!v->is_array()) {
        return nullptr;
      }
      int64_t idx = normalize_index(s.index, v->size());
      if (idx < 0) {
        return nullptr;
      }
      v = v->at(static_cast<size_t>(idx));
    }
    if (v == nullptr) {
      return nullptr;
    }
  }
  return v;
}

std::optional<json::Value> select_core(const PathCore& p, const json::Value& root, EvalContext& ctx,
                                       int depth) {
  if (p.simple) {
    const json::Value* v = select_simple(p, &root);
    if (v == nullptr) {
      return std::nullopt;
    }
    return *v;
  }
  std::vector<json::Value> out;
  if (p.function_over_matches) {
    PathCore upstream_view = p;  // rare path; copying keeps the walker simple
    upstream_view.steps.pop_back();
    walk(upstream_view, 0, root, out, ctx, depth);
    return apply_function(p.steps.back().function, json::Value::array(std::move(out)));
  }
  walk(p, 0, root, out, ctx, depth);
  if (p.definite) {
    if (out.empty()) {
      return std::nullopt;
    }
    return std::move(out.front());
  }
  return json::Value::array(std::move(out));
}

std::optional<json::Value> operand_value(const Operand& o, const json::Value& current,
                                         EvalContext& ctx, int depth) {
  if (o.kind == OperandKind::Literal) {
    return o.literal;
  }
  const json::Value* root = resolve_root(*o.path, *ctx.roots, &current);
  if (root == nullptr) {
    return std::nullopt;
  }
  return select_core(*o.path, *root, ctx, depth + 1);
}

bool both_numbers(const json::Value& a, const json::Value& b) {
  return a.is_number() && b.is_number();
}

int compare_numbers(const json::Value& a, const json::Value& b) {
  if (a.is_int() && b.is_int()) {
    return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
  }
  double x = a.as_double(), y = b.as_double();
  return x < y ? -1 : x > y ? 1 : 0;
}

// Jayway's ValueNode equality: numbers compare by value, and a number compares with a string by
// reading the string as a number (left number) or printing the number (left string).
bool values_equal(const json::Value& a, const json::Value& b) {
  if (both_numbers(a, b)) {
    return compare_numbers(a, b) == 0;
  }
  if (a.is_number() && b.is_string()) {
    json::ParseResult r = json::parse(b.as_string());
    return r.ok() && r.value.is_number() && compare_numbers(a, r.value) == 0;
  }
  if (a.is_string() && b.is_number()) {
    return a.as_string() == json::dump(b);
  }
  return a == b;
}

bool array_contains(const json::Value& arr, const json::Value& v) {
  if (!arr.is_array()) {
    return false;
  }
  for (const json::Value& item : arr.as_array()) {
    if (values_equal(v, item)) {
      return true;
    }
  }
  return false;
}

bool compare(CompareOp op, const std::optional<json::Value>& l,
             const std::optional<json::Value>& r) {
  if (op == CompareOp::Ne) {
    return !compare(CompareOp::Eq, l, r);
  }
  if (!l || !r) {
    return false;
  }
  const json::Value& a = *l;
  const json::Value& b = *r;
  switch (op) {
    case CompareOp::Eq:
      return values_equal(a, b);
    case CompareOp::Lt:
    case CompareOp::Le:
    case CompareOp::Gt:
    case CompareOp::Ge: {
      int c;
      if (both_numbers(a, b)) {
        c = compare_numbers(a, b);
      } else if (a.is_string() && b.is_string()) {
        int x = a.as_string().compare(b.as_string());
        c = x < 0 ? -1 : x > 0 ? 1 : 0;
      } else {
        return false;
      }
      switch (op) {
        case CompareOp::Lt:
          return c < 0;
        case CompareOp::Le:
          return c <= 0;
        case CompareOp::Gt:
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case CompareOp::In:
      return array_contains(b, a);
    case CompareOp::Nin:
      return b.is_array() && !array_contains(b, a);
    case CompareOp::SubsetOf:
    case CompareOp::AnyOf:
    case CompareOp::NoneOf: {
      if (!a.is_array() || !b.is_array()) {
        return false;
      }
      for (const json::Value& item : a.as_array()) {
        bool in = array_contains(b, item);
        if (op == CompareOp::SubsetOf && !in)
          return false;
        if (op == CompareOp::AnyOf && in)
          return true;
        if (op == CompareOp::NoneOf && in)
          return false;
      }
      return op != CompareOp::AnyOf;
    }
    case CompareOp::Size: {
      if (!b.is_number()) {
        return false;
      }
      int64_t n;
      if (a.is_array()) {
        n = static_cast<int64_t>(a.size());
      } else if (a.is_string()) {
        n = static_cast<int64_t>(utf16_length(a.as_string()));
      } else {
        return false;
      }
      return compare_numbers(json::Value(n), b) == 0;
    }
    case CompareOp::Empty: {
      if (!b.is_bool()) {
        return false;
      }
      bool empty;
      if (a.is_array()) {
        empty = a.size() == 0;
      } else if (a.is_string()) {
        empty = a.as_string().empty();
      } else {
        return false;
      }
      return empty == b.as_bool();
    }
    case CompareOp::Contains:
      if (a.is_array()) {
        return array_contains(a, b);
      }
      if (a.is_string() && b.is_string()) {
        return a.as_string().find(b.as_string()) != std::string_view::npos;
      }
      return false;
    case CompareOp::Ne:
      break;
  }
  return false;
}

bool evaluate_filter(const FilterExpr& f, const json::Value& current, EvalContext& ctx, int depth) {
  if (depth > kMaxEvalDepth || !ctx.spend()) {
    return false;
  }
  switch (f.kind) {
    case FilterKind::Or:
      for (const FilterExpr& c : f.children) {
        if (evaluate_filter(c, current, ctx, depth + 1)) {
          return true;
        }
      }
      return false;
    case FilterKind::And:
      for (const FilterExpr& c : f.children) {
        if (!evaluate_filter(c, current, ctx, depth + 1)) {
          return false;
        }
      }
      return true;
    case FilterKind::Not:
      return !evaluate_filter(f.children.front(), current, ctx, depth + 1);
    case FilterKind::Exists: {
      std::optional<json::Value> v = operand_value(f.lhs, current, ctx, depth);
      if (!v) {
        return false;
      }
      return f.lhs.path->definite || v->size() > 0;
    }
    case FilterKind::Compare:
      return compare(f.op, operand_value(f.lhs, current, ctx, depth),
                     operand_value(f.rhs, current, ctx, depth));
  }
  return false;
}

void append_normalized(const PathCore& p, std::string& out) {
  switch (p.origin) {
    case Origin::Input:
      out += '$';
      break;
    case Origin::Context:
      out += "$$";
      break;
    case Origin::Variable:
      out += '$';
      out += p.variable;
      break;
    case Origin::Current:
      out += '@';
      break;
  }
  for (const Step& s : p.steps) {
    if (s.deep) {
      out += "..";
    }
    switch (s.kind) {
      case StepKind::Field:
        out += "['";
        out += s.name;
        out += "']";
        break;
      case StepKind::FieldUnion:
        out += '[';
        for (size_t k = 0; k < s.names.size(); ++k) {
          out += k == 0 ? "'" : ",'";
          out += s.names[k];
          out += '\'';
        }
        out += ']';
        break;
      case StepKind::Index:
        out += '[';
        out += std::to_string(s.index);
        out += ']';
        break;
      case StepKind::IndexUnion:
        out += '[';
        for (size_t k = 0; k < s.indexes.size(); ++k) {
          if (k > 0) {
            out += ',';
          }
          out += std::to_string(s.indexes[k]);
        }
        out += ']';
        break;
      case StepKind::Wildcard:
        out += "[*]";
        break;
      case StepKind::Slice:
        out += '[';
        if (s.from) {
          out += std::to_string(*s.from);
        }
        out += ':';
        if (s.to) {
          out += std::to_string(*s.to);
        }
        out += ']';
        break;
      case StepKind::Filter:
        out += "[?]";
        break;
      case StepKind::Function:
        out += '.';
        out += s.name;
        out += "()";
        break;
    }
  }
}

}  // namespace

bool parse_path_prefix(std::string_view text, size_t start, PathCore& out, size_t* end,
                       std::string* error) {
  Parser parser(text, true, 0);
  parser.set_pos(start);
  if (!parser.parse_path(out)) {
    if (error != nullptr) {
      *error = parser.error();
    }
    return false;
  }
  *end = parser.pos();
  return true;
}

std::optional<json::Value> select(const PathCore& p, const PathRoots& roots) {
  const json::Value* root = resolve_root(p, roots, roots.input);
  if (root == nullptr) {
    if (p.definite) {
      return std::nullopt;
    }
    return json::Value::array();
  }
  if (p.simple) {
    const json::Value* v = select_simple(p, root);
    if (v == nullptr) {
      return std::nullopt;
    }
    return *v;
  }
  EvalContext ctx{&roots};
  return select_core(p, *root, ctx, 0);
}

}  // namespace jsonpath_detail

using jsonpath_detail::Origin;
using jsonpath_detail::PathCore;
using jsonpath_detail::StepKind;

JsonPath::JsonPath(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
JsonPath::JsonPath(const JsonPath&) = default;
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(const JsonPath&) = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;
JsonPath::~JsonPath() = default;

std::optional<JsonPath> JsonPath::compile(std::string_view text, std::string* error) {
  // Jayway trims the path before compiling it.
  size_t b = 0, e = text.size();
  while (b < e && jsonpath_detail::is_space(text[b])) {
    ++b;
  }
  while (e > b && jsonpath_detail::is_space(text[e - 1])) {
    --e;
  }
  std::string_view trimmed = text.substr(b, e - b);
  auto impl = std::make_shared<Impl>();
  impl->text.assign(text);
  jsonpath_detail::Parser parser(trimmed, false, 0);
  if (!parser.parse_path(impl->core)) {
    if (error != nullptr) {
      *error = parser.error();
    }
    return std::nullopt;
  }
  return JsonPath(std::move(impl));
}

const std::string& JsonPath::text() const {
  return impl_->text;
}

JsonPath::Root JsonPath::root() const {
  switch (impl_->core.origin) {
    case Origin::Context:
      return Root::Context;
    case Origin::Variable:
      return Root::Variable;
    default:
      return Root::Input;
  }
}

const std::string& JsonPath::variable() const {
  return impl_->core.variable;
}
bool JsonPath::is_reference_path() const {
  return impl_->core.reference;
}
bool JsonPath::is_definite() const {
  return impl_->core.definite;
}

std::string JsonPath::normalized() const {
  std::string out;
  jsonpath_detail::append_normalized(impl_->core, out);
  return out;
}

std::optional<json::Value> JsonPath::select(const PathRoots& roots) const {
  return jsonpath_detail::select(impl_->core, roots);
}

namespace {

// The step ResultPath cannot apply to `doc`, if any: a field of something that is not an object,
// or an index that is not inside an array. Missing fields are fine (they are created), but then
// every later step must be a field too.
std::optional<std::string> conflicting_step(const json::Value& doc, const PathCore& p) {
  const json::Value* node = &doc;
  for (const jsonpath_detail::Step& s : p.steps) {
    if (node == nullptr) {  // inside objects ResultPath creates
      if (s.kind != StepKind::Field) {
        return std::to_string(s.index);
      }
      continue;
    }
    if (s.kind == StepKind::Field) {
      if (!node->is_object()) {
        return s.name;
      }
      node = node->find(s.name);
    } else {
      if (!node->is_array() || s.index < 0 || static_cast<size_t>(s.index) >= node->size()) {
        return std::to_string(s.index);
      }
      node = node->at(static_cast<size_t>(s.index));
    }
  }
  return std::nullopt;
}

// Writes `value` at steps[i..] below `node`; conflicting_step() has ruled out failures. Mutates
// in place so a document nobody else holds is not copied.
void assign_into(json::Value& node, const PathCore& p, size_t i, json::Value& value) {
  const jsonpath_detail::Step& s = p.steps[i];
  bool last = i + 1 == p.steps.size();
  if (s.kind == StepKind::Field) {
    if (!node.is_object()) {
      node = json::Value::object();
    }
    std::vector<json::Member>& members = node.mutable_object();
    for (json::Member& m : members) {
      if (m.key == s.name) {
        if (last) {
          m.value = std::move(value);
        } else {
          assign_into(m.value, p, i + 1, value);
        }
        return;
      }
    }
    if (last) {
      members.push_back(json::Member{s.name, std::move(value)});
      return;
    }
    json::Value child = json::Value::object();
    assign_into(child, p, i + 1, value);
    node.mutable_object().push_back(json::Member{s.name, std::move(child)});
    return;
  }
  if (!node.is_array() || s.index < 0 || static_cast<size_t>(s.index) >= node.size()) {
    return;
  }
  json::Value& slot = node.mutable_array()[static_cast<size_t>(s.index)];
  if (last) {
    slot = std::move(value);
  } else {
    assign_into(slot, p, i + 1, value);
  }
}

}  // namespace

std::optional<json::Value> assign_at(json::Value doc, const JsonPath& path, json::Value value,
                                     std::string* error) {
  const PathCore& p = path.impl().core;
  if (p.origin != Origin::Input || !p.reference) {
    if (error != nullptr) {
      *error = "The path '" + path.text() + "' is not a valid reference path";
    }
    return std::nullopt;
  }
  if (p.steps.empty()) {
    return value;
  }
  if (std::optional<std::string> step = conflicting_step(doc, p)) {
    // AWS fails with States.ReferencePathConflict and shows the whole document.
    if (error != nullptr) {
      *error = "Unable to apply step \"" + *step + "\" to input " + json::dump(doc);
    }
    return std::nullopt;
  }
  assign_into(doc, p, 0, value);
  return doc;
}

}  // namespace signoff::asl
