// Tokenizer, Pratt parser and the post-parse pass that turns '.'/'[' chains into path steps with
// stages, resolves the parent operator and marks tail calls. The structure follows the reference
// implementation's algorithm so that error codes and positions agree with it.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "jsonata/runtime.h"
#include "jsonata/stack.h"

namespace signoff::jsonata {
namespace {

enum class TokType : uint8_t { Operator, Name, Variable, String, Number, Value, Regex, End };

struct Token {
  TokType type = TokType::End;
  std::string value;
  double num = 0;
  int value_kind = 0;
  int64_t position = 0;
  std::shared_ptr<const regex::Regex> regex;
};

bool is_op_char(char c) {
  return c != 0 && std::strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != nullptr;
}
bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

JError syntax(const char* code, int64_t pos, std::optional<std::string> token = std::nullopt) {
  JError e(code);
  e.position = pos;
  e.token = std::move(token);
  return e;
}

// Parsing and AST processing recurse once per nesting level ((((...)))), [[[...]]], a.b.c...);
// past the native stack budget (stack.h) the expression is refused with U1001, the code jsonata-js
// reports for running out of stack, instead of overflowing.
void check_nesting(int64_t pos) {
  if (stack_exhausted()) [[unlikely]] {
    JError e("U1001");
    e.position = pos;
    e.message = "Expression nesting too deep: exceeded the parser's stack budget";
    throw e;
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : s_(src) {}

  // Returns false at end of input.
  bool next(bool prefix, Token& t) {
    while (true) {
      if (pos_ >= s_.size()) {
        return false;
      }
      while (pos_ < s_.size() && is_ws(s_[pos_])) {
        ++pos_;
      }
      if (pos_ + 1 < s_.size() && s_[pos_] == '/' && s_[pos_ + 1] == '*') {
        size_t start = pos_;
        pos_ += 2;
        while (!(pos_ + 1 < s_.size() && s_[pos_] == '*' && s_[pos_ + 1] == '/')) {
          ++pos_;
          if (pos_ >= s_.size()) {
            throw syntax("S0106", static_cast<int64_t>(start));
          }
        }
        pos_ += 2;
        continue;
      }
      break;
    }
    if (pos_ >= s_.size()) {
      return false;
    }
    char c = s_[pos_];
    char c2 = pos_ + 1 < s_.size() ? s_[pos_ + 1] : 0;
    auto op = [&](std::string v, size_t len) {
      pos_ += len;
      t = Token{};
      t.type = TokType::Operator;
      t.value = std::move(v);
      t.position = static_cast<int64_t>(pos_);
      return true;
    };
    if (!prefix && c == '/') {
      ++pos_;
      return scan_regex(t);
    }
    if (c == '.' && c2 == '.')
      return op("..", 2);
    if (c == ':' && c2 == '=')
      return op(":=", 2);
    if (c == '!' && c2 == '=')
      return op("!=", 2);
    if (c == '>' && c2 == '=')
      return op(">=", 2);
    if (c == '<' && c2 == '=')
      return op("<=", 2);
    if (c == '*' && c2 == '*')
      return op("**", 2);
    if (c == '~' && c2 == '>')
      return op("~>", 2);
    if (c == '?' && c2 == ':')
      return op("?:", 2);
    if (c == '?' && c2 == '?')
      return op("??", 2);
    if (is_op_char(c))
      return op(std::string(1, c), 1);
    if (c == '"' || c == '\'') {
      return scan_string(c, t);
    }
    if (c >= '0' && c <= '9') {
      size_t p = pos_;
      if (s_[p] == '0') {
        ++p;
      } else {
        while (p < s_.size() && s_[p] >= '0' && s_[p] <= '9')
          ++p;
      }
      if (p + 1 < s_.size() && s_[p] == '.' && s_[p + 1] >= '0' && s_[p + 1] <= '9') {
        ++p;
        while (p < s_.size() && s_[p] >= '0' && s_[p] <= '9')
          ++p;
      }
      if (p < s_.size() && (s_[p] == 'e' || s_[p] == 'E')) {
        size_t q = p + 1;
        if (q < s_.size() && (s_[q] == '+' || s_[q] == '-'))
          ++q;
        if (q < s_.size() && s_[q] >= '0' && s_[q] <= '9') {
          while (q < s_.size() && s_[q] >= '0' && s_[q] <= '9')
            ++q;
          p = q;
        }
      }
      std::string text(s_.substr(pos_, p - pos_));
      double d = std::strtod(text.c_str(), nullptr);
      if (!std::isfinite(d)) {
        throw syntax("S0102", static_cast<int64_t>(pos_), text);
      }
      pos_ = p;
      t = Token{};
      t.type = TokType::Number;
      t.num = d;
      t.value = text;
      t.position = static_cast<int64_t>(pos_);
      return true;
    }
    if (c == '`') {
      ++pos_;
      size_t end = s_.find('`', pos_);
      if (end == std::string_view::npos) {
        pos_ = s_.size();
        throw syntax("S0105", static_cast<int64_t>(pos_));
      }
      t = Token{};
      t.type = TokType::Name;
      t.value = std::string(s_.substr(pos_, end - pos_));
      pos_ = end + 1;
      t.position = static_cast<int64_t>(pos_);
      return true;
    }
    size_t i = pos_;
    while (i < s_.size() && !is_ws(s_[i]) && !is_op_char(s_[i]))
      ++i;
    t = Token{};
    if (s_[pos_] == '$') {
      t.type = TokType::Variable;
      t.value = std::string(s_.substr(pos_ + 1, i - pos_ - 1));
      pos_ = i;
      t.position = static_cast<int64_t>(pos_);
      return true;
    }
    std::string name(s_.substr(pos_, i - pos_));
    pos_ = i;
    t.position = static_cast<int64_t>(pos_);
    t.value = name;
    if (name == "or" || name == "in" || name == "and") {
      t.type = TokType::Operator;
    } else if (name == "true" || name == "false" || name == "null") {
      t.type = TokType::Value;
      t.value_kind = name == "null" ? 0 : (name == "true" ? 1 : 2);
    } else {
      if (pos_ >= s_.size() && name.empty()) {
        return false;
      }
      t.type = TokType::Name;
    }
    return true;
  }

  size_t pos() const { return pos_; }

 private:
  bool scan_regex(Token& t) {
    size_t start = pos_;
    int depth = 0;
    auto closing = [&](size_t p) {
      if (s_[p] == '/' && depth == 0) {
        size_t bs = 0;
        while (p >= bs + 1 && s_[p - (bs + 1)] == '\\')
          ++bs;
        return bs % 2 == 0;
      }
      return false;
    };
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (closing(pos_)) {
        std::string pattern(s_.substr(start, pos_ - start));
        if (pattern.empty()) {
          throw syntax("S0301", static_cast<int64_t>(pos_));
        }
        ++pos_;
        size_t fstart = pos_;
        while (pos_ < s_.size() && (s_[pos_] == 'i' || s_[pos_] == 'm'))
          ++pos_;
        std::string flags(s_.substr(fstart, pos_ - fstart));
        t = Token{};
        t.type = TokType::Regex;
        t.value = pattern;
        t.regex = compile_regex(pattern, flags);
        t.position = static_cast<int64_t>(pos_);
        return true;
      }
      bool escaped = pos_ > 0 && s_[pos_ - 1] == '\\';
      if ((c == '(' || c == '[' || c == '{') && !escaped)
        ++depth;
      if ((c == ')' || c == ']' || c == '}') && !escaped)
        --depth;
      ++pos_;
    }
    throw syntax("S0302", static_cast<int64_t>(pos_));
  }

  static int hexval(char c) {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  }

  bool read_hex4(size_t at, unsigned& out) const {
    if (at + 4 > s_.size())
      return false;
    out = 0;
    for (size_t k = 0; k < 4; ++k) {
      int h = hexval(s_[at + k]);
      if (h < 0)
        return false;
      out = out * 16 + static_cast<unsigned>(h);
    }
    return true;
  }

  bool scan_string(char quote, Token& t) {
    ++pos_;
    std::string out;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\\') {
        ++pos_;
        char e = pos_ < s_.size() ? s_[pos_] : 0;
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            unsigned cp;
            if (!read_hex4(pos_ + 1, cp)) {
              throw syntax("S0104", static_cast<int64_t>(pos_));
            }
            pos_ += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 6 < s_.size() + 0 && s_[pos_ + 1] == '\\' &&
                s_[pos_ + 2] == 'u') {
              unsigned lo;
              if (read_hex4(pos_ + 3, lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                pos_ += 6;
              }
            }
            append_utf8(out, static_cast<char32_t>(cp));
            break;
          }
          default:
            throw syntax("S0103", static_cast<int64_t>(pos_), std::string(1, e));
        }
      } else if (c == quote) {
        ++pos_;
        t = Token{};
        t.type = TokType::String;
        t.value = std::move(out);
        t.position = static_cast<int64_t>(pos_);
        return true;
      } else {
        out += c;
      }
      ++pos_;
    }
    throw syntax("S0101", static_cast<int64_t>(pos_));
  }

  std::string_view s_;
  size_t pos_ = 0;
};

int lbp_of(const std::string& id) {
  static const std::pair<const char*, int> table[] = {
      {".", 75},   {"[", 80},  {"{", 70},  {"(", 80},  {"@", 80},  {"#", 80},  {"?", 20},
      {"+", 50},   {"-", 50},  {"*", 60},  {"/", 60},  {"%", 60},  {"=", 40},  {"<", 40},
      {">", 40},   {"^", 40},  {":=", 10}, {"!=", 40}, {"<=", 40}, {">=", 40}, {"~>", 40},
      {"and", 30}, {"or", 25}, {"in", 40}, {"&", 50},  {"?:", 40}, {"??", 40}};
  for (const auto& [k, v] : table) {
    if (id == k)
      return v;
  }
  return 0;
}

bool known_symbol(const std::string& id) {
  static const char* const syms[] = {
      ":",  ";", ",", ")", "]",  "}",  "..", ".", "+",   "-",  "*",  "/",
      "%",  "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>",
      "**", "(", "[", "^", "{",  ":=", "@",  "#", "?",   "|",  "?:", "??"};
  for (const char* s : syms) {
    if (id == s)
      return true;
  }
  return false;
}

Op binary_op(const std::string& v) {
  static const std::pair<const char*, Op> table[] = {
      {"+", Op::Plus},   {"-", Op::Minus},  {"*", Op::Mul},   {"/", Op::Div}, {"%", Op::Mod},
      {"=", Op::Eq},     {"!=", Op::Ne},    {"<", Op::Lt},    {"<=", Op::Le}, {">", Op::Gt},
      {">=", Op::Ge},    {"&", Op::Concat}, {"and", Op::And}, {"or", Op::Or}, {"in", Op::In},
      {"..", Op::Range}, {".", Op::Dot},    {"~>", Op::Apply}};
  for (const auto& [k, o] : table) {
    if (v == k)
      return o;
  }
  return Op::None;
}

class Parser {
 public:
  Parser(std::string_view src, Program& prog) : src_(src), lex_(src), prog_(prog) {}

  Node* parse() {
    advance(nullptr, false);
    Node* e = expression(0);
    if (id_ != "(end)") {
      throw syntax("S0201", cur_.position, cur_.value);
    }
    Node* r = process(e);
    if (r->type == NT::Parent || r->has_seeking) {
      throw syntax("S0217", r->position, type_name(r));
    }
    return r;
  }

 private:
  static std::string type_name(const Node* n) {
    switch (n->type) {
      case NT::Parent:
        return "parent";
      case NT::Path:
        return "path";
      case NT::Block:
        return "block";
      default:
        return "node";
    }
  }

  // Moves to the next token; `id` (if given) is the token expected at the current position.
  void advance(const char* id, bool infix) {
    if (id != nullptr && id_ != id) {
      throw syntax(id_ == "(end)" ? "S0203" : "S0202", cur_.position, cur_.value);
    }
    Token t;
    if (!lex_.next(infix, t)) {
      cur_ = Token{};
      cur_.position = static_cast<int64_t>(src_.size());
      id_ = "(end)";
      return;
    }
    cur_ = std::move(t);
    switch (cur_.type) {
      case TokType::Name:
      case TokType::Variable:
        id_ = "(name)";
        break;
      case TokType::Operator:
        if (!known_symbol(cur_.value)) {
          throw syntax("S0204", cur_.position, cur_.value);
        }
        id_ = cur_.value;
        break;
      case TokType::String:
      case TokType::Number:
      case TokType::Value:
        id_ = "(literal)";
        break;
      case TokType::Regex:
        id_ = "(regex)";
        break;
      case TokType::End:
        id_ = "(end)";
        break;
    }
  }

  Node* token_node(const Token& t) {
    NT type = NT::Operator;
    switch (t.type) {
      case TokType::Name:
        type = NT::Name;
        break;
      case TokType::Variable:
        type = NT::Variable;
        break;
      case TokType::String:
        type = NT::String;
        break;
      case TokType::Number:
        type = NT::Number;
        break;
      case TokType::Value:
        type = NT::Value;
        break;
      case TokType::Regex:
        type = NT::Regex;
        break;
      case TokType::Operator:
        type = NT::Operator;
        break;
      case TokType::End:
        type = NT::End;
        break;
    }
    Node* n = prog_.make(type, t.position);
    n->str = t.value;
    n->num = t.num;
    n->value_kind = t.value_kind;
    n->regex = t.regex;
    n->regex_source = t.value;
    return n;
  }

  Node* expression(int rbp) {
    check_nesting(cur_.position);
    Token t = cur_;
    std::string tid = id_;
    advance(nullptr, true);
    Node* left = nud(t, tid);
    while (rbp < lbp_of(id_)) {
      Token lt = cur_;
      std::string lid = id_;
      advance(nullptr, false);
      left = led(lt, lid, left);
    }
    return left;
  }

  Node* nud(const Token& t, const std::string& id) {
    if (id == "(name)" || id == "(literal)" || id == "(regex)" || id == "and" || id == "or" ||
        id == "in") {
      return token_node(t);
    }
    if (id == "(end)") {
      Node* n = prog_.make(NT::End, t.position);
      return n;
    }
    if (id == "-") {
      Node* n = prog_.make(NT::RawUnary, t.position);
      n->str = "-";
      n->expr = expression(70);
      return n;
    }
    if (id == "*")
      return prog_.make(NT::Wildcard, t.position);
    if (id == "**")
      return prog_.make(NT::Descendant, t.position);
    if (id == "%")
      return prog_.make(NT::Parent, t.position);
    if (id == "(") {
      Node* n = prog_.make(NT::Block, t.position);
      while (id_ != ")") {
        n->items.push_back(expression(0));
        if (id_ != ";")
          break;
        advance(";", false);
      }
      advance(")", true);
      return n;
    }
    if (id == "[") {
      Node* n = prog_.make(NT::RawUnary, t.position);
      n->str = "[";
      if (id_ != "]") {
        for (;;) {
          Node* item = expression(0);
          if (id_ == "..") {
            Node* range = prog_.make(NT::RawBinary, cur_.position);
            range->str = "..";
            range->op = Op::Range;
            range->lhs = item;
            advance("..", false);
            range->rhs = expression(0);
            item = range;
          }
          n->items.push_back(item);
          if (id_ != ",")
            break;
          advance(",", false);
        }
      }
      advance("]", true);
      return n;
    }
    if (id == "{") {
      Node* n = prog_.make(NT::RawUnary, t.position);
      n->str = "{";
      n->pairs = object_pairs();
      return n;
    }
    if (id == "|") {
      Node* n = prog_.make(NT::Transform, t.position);
      n->pattern = expression(0);
      advance("|", false);
      n->update = expression(0);
      if (id_ == ",") {
        advance(",", false);
        n->del = expression(0);
      }
      advance("|", false);
      return n;
    }
    throw syntax("S0211", t.position, t.value);
  }

  std::vector<std::pair<Node*, Node*>> object_pairs() {
    std::vector<std::pair<Node*, Node*>> a;
    if (id_ != "}") {
      for (;;) {
        Node* k = expression(0);
        advance(":", false);
        Node* v = expression(0);
        a.emplace_back(k, v);
        if (id_ != ",")
          break;
        advance(",", false);
      }
    }
    advance("}", true);
    return a;
  }

  Node* led(const Token& t, const std::string& id, Node* left) {
    if (id == "(") {
      Node* n = prog_.make(NT::Function, t.position);
      n->procedure = left;
      if (id_ != ")") {
        for (;;) {
          if (cur_.type == TokType::Operator && id_ == "?") {
            n->type = NT::Partial;
            n->items.push_back(token_node(cur_));
            advance("?", false);
          } else {
            n->items.push_back(expression(0));
          }
          if (id_ != ",")
            break;
          advance(",", false);
        }
      }
      advance(")", true);
      if (left->type == NT::Name && (left->str == "function" || left->str == "\xCE\xBB")) {
        for (Node* a : n->items) {
          if (a->type != NT::Variable) {
            throw syntax("S0208", a->position, a->str);
          }
        }
        n->type = NT::Lambda;
        for (Node* a : n->items)
          n->params.push_back(a->str);
        if (id_ == "<") {
          int64_t sig_pos = cur_.position;
          int depth = 1;
          std::string sig = "<";
          while (depth > 0 && id_ != "{" && id_ != "(end)") {
            advance(nullptr, false);
            if (id_ == ">") {
              --depth;
            } else if (id_ == "<") {
              ++depth;
            }
            sig += cur_.value;
          }
          advance(">", false);
          try {
            n->sig = parse_signature(sig);
          } catch (JError& e) {
            e.position = sig_pos + (e.position < 0 ? 0 : e.position);
            throw;
          }
        }
        advance("{", false);
        n->body = expression(0);
        advance("}", false);
      }
      return n;
    }
    if (id == "[") {
      if (id_ == "]") {
        Node* step = left;
        while (step != nullptr && step->type == NT::RawBinary && step->op == Op::Bracket) {
          step = step->lhs;
        }
        step->keep_array = true;
        advance("]", false);
        return left;
      }
      Node* n = prog_.make(NT::RawBinary, t.position);
      n->op = Op::Bracket;
      n->str = "[";
      n->lhs = left;
      n->rhs = expression(0);
      advance("]", true);
      return n;
    }
    if (id == "^") {
      advance("(", false);
      Node* n = prog_.make(NT::RawBinary, t.position);
      n->op = Op::Caret;
      n->str = "^";
      n->lhs = left;
      for (;;) {
        SortTerm term;
        if (id_ == "<") {
          advance("<", false);
        } else if (id_ == ">") {
          term.descending = true;
          advance(">", false);
        }
        term.expr = expression(0);
        n->terms.push_back(term);
        if (id_ != ",")
          break;
        advance(",", false);
      }
      advance(")", false);
      return n;
    }
    if (id == "{") {
      Node* n = prog_.make(NT::RawBinary, t.position);
      n->op = Op::Brace;
      n->str = "{";
      n->lhs = left;
      n->pairs = object_pairs();
      return n;
    }
    if (id == ":=") {
      if (left->type != NT::Variable) {
        throw syntax("S0212", left->position, left->str);
      }
      Node* n = prog_.make(NT::RawBinary, t.position);
      n->op = Op::Assign;
      n->str = ":=";
      n->lhs = left;
      n->rhs = expression(9);
      return n;
    }
    if (id == "@" || id == "#") {
      Node* n = prog_.make(NT::RawBinary, t.position);
      n->op = id == "@" ? Op::At : Op::Hash;
      n->str = id;
      n->lhs = left;
      n->rhs = expression(80);
      if (n->rhs->type != NT::Variable) {
        throw syntax("S0214", n->rhs->position, id);
      }
      return n;
    }
    if (id == "?") {
      Node* n = prog_.make(NT::Condition, t.position);
      n->cond = left;
      n->then_ = expression(0);
      if (id_ == ":") {
        advance(":", false);
        n->else_ = expression(0);
      }
      return n;
    }
    if (id == "?:" || id == "??") {
      Node* n = prog_.make(id == "?:" ? NT::Elvis : NT::Coalesce, t.position);
      n->cond = left;
      n->else_ = expression(0);
      return n;
    }
    Op op = binary_op(id);
    if (op == Op::None) {
      throw syntax("S0201", t.position, t.value);
    }
    Node* n = prog_.make(NT::RawBinary, t.position);
    n->op = op;
    n->str = id;
    n->lhs = left;
    n->rhs = expression(lbp_of(id));
    return n;
  }

  // ---- post-parse processing ----

  Slot* seek_parent(Node* node, Slot* slot) {
    switch (node->type) {
      case NT::Name:
      case NT::Wildcard:
        slot->level--;
        if (slot->level == 0) {
          if (node->ancestor == nullptr) {
            node->ancestor = slot;
          } else {
            slot->label = node->ancestor->label;
            node->ancestor = slot;
          }
          node->tuple = true;
        }
        break;
      case NT::Parent:
        slot->level++;
        break;
      case NT::Block:
        if (!node->items.empty()) {
          node->tuple = true;
          slot = seek_parent(node->items.back(), slot);
        }
        break;
      case NT::Path: {
        node->tuple = true;
        int index = static_cast<int>(node->items.size()) - 1;
        slot = seek_parent(node->items[static_cast<size_t>(index--)], slot);
        while (slot->level > 0 && index >= 0) {
          slot = seek_parent(node->items[static_cast<size_t>(index--)], slot);
        }
        break;
      }
      default:
        throw syntax("S0217", node->position, type_name(node));
    }
    return slot;
  }

  void push_ancestry(Node* result, Node* value) {
    if (value->has_seeking || value->type == NT::Parent) {
      std::vector<Slot*> slots = value->seeking_parent;
      if (value->type == NT::Parent)
        slots.push_back(value->slot);
      result->seeking_parent.insert(result->seeking_parent.end(), slots.begin(), slots.end());
      result->has_seeking = true;
    }
  }

  void resolve_ancestry(Node* path) {
    Node* last = path->items.back();
    std::vector<Slot*> slots = last->seeking_parent;
    if (last->type == NT::Parent)
      slots.push_back(last->slot);
    for (Slot* slot : slots) {
      int index = static_cast<int>(path->items.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          path->seeking_parent.push_back(slot);
          path->has_seeking = true;
          break;
        }
        Node* step = path->items[static_cast<size_t>(index--)];
        while (index >= 0 && step->has_focus && !step->focus.empty() &&
               path->items[static_cast<size_t>(index)]->has_focus) {
          step = path->items[static_cast<size_t>(index--)];
        }
        slot = seek_parent(step, slot);
      }
    }
  }

  Node* tail_call_optimize(Node* e) {
    if (e->type == NT::Function && e->predicate.empty()) {
      Node* thunk = prog_.make(NT::Lambda, e->position);
      thunk->thunk = true;
      thunk->body = e;
      return thunk;
    }
    if (e->type == NT::Condition) {
      e->then_ = tail_call_optimize(e->then_);
      if (e->else_ != nullptr)
        e->else_ = tail_call_optimize(e->else_);
      return e;
    }
    if (e->type == NT::Block) {
      if (!e->items.empty())
        e->items.back() = tail_call_optimize(e->items.back());
      return e;
    }
    return e;
  }

  Node* as_path(Node* n) {
    if (n->type == NT::Path)
      return n;
    Node* p = prog_.make(NT::Path, n->position);
    p->items.push_back(n);
    return p;
  }

  Node* process(Node* expr) {
    check_nesting(expr->position);
    Node* result = nullptr;
    switch (expr->type) {
      case NT::RawBinary:
        result = process_binary(expr);
        break;
      case NT::RawUnary: {
        if (expr->str == "[") {
          result = prog_.make(NT::ArrayCons, expr->position);
          for (Node* item : expr->items) {
            Node* v = process(item);
            push_ancestry(result, v);
            result->items.push_back(v);
          }
        } else if (expr->str == "{") {
          result = prog_.make(NT::ObjectCons, expr->position);
          for (auto& [k, v] : expr->pairs) {
            Node* key = process(k);
            push_ancestry(result, key);
            Node* val = process(v);
            push_ancestry(result, val);
            result->pairs.emplace_back(key, val);
          }
        } else {
          Node* inner = process(expr->expr);
          if (inner->type == NT::Number) {
            inner->num = -inner->num;
            result = inner;
          } else {
            result = prog_.make(NT::Negate, expr->position);
            result->expr = inner;
            push_ancestry(result, inner);
          }
        }
        break;
      }
      case NT::Function:
      case NT::Partial: {
        result = prog_.make(expr->type, expr->position);
        for (Node* a : expr->items) {
          Node* pa = process(a);
          push_ancestry(result, pa);
          result->items.push_back(pa);
        }
        result->procedure = process(expr->procedure);
        break;
      }
      case NT::Lambda: {
        result = prog_.make(NT::Lambda, expr->position);
        result->params = expr->params;
        result->sig = expr->sig;
        result->body = tail_call_optimize(process(expr->body));
        break;
      }
      case NT::Condition:
      case NT::Coalesce:
      case NT::Elvis: {
        result = prog_.make(expr->type, expr->position);
        result->cond = process(expr->cond);
        push_ancestry(result, result->cond);
        if (expr->then_ != nullptr) {
          result->then_ = process(expr->then_);
          push_ancestry(result, result->then_);
        }
        if (expr->else_ != nullptr) {
          result->else_ = process(expr->else_);
          push_ancestry(result, result->else_);
        }
        break;
      }
      case NT::Transform: {
        result = prog_.make(NT::Transform, expr->position);
        result->pattern = process(expr->pattern);
        result->update = process(expr->update);
        if (expr->del != nullptr)
          result->del = process(expr->del);
        break;
      }
      case NT::Block: {
        result = prog_.make(NT::Block, expr->position);
        for (Node* item : expr->items) {
          Node* part = process(item);
          push_ancestry(result, part);
          if (part->cons_array || (part->type == NT::Path && part->items[0]->cons_array)) {
            result->cons_array = true;
          }
          result->items.push_back(part);
        }
        break;
      }
      case NT::Name: {
        result = prog_.make(NT::Path, expr->position);
        result->items.push_back(expr);
        if (expr->keep_array)
          result->keep_singleton_array = true;
        break;
      }
      case NT::Parent: {
        result = prog_.make(NT::Parent, expr->position);
        prog_.slots.push_back(std::make_unique<Slot>());
        Slot* s = prog_.slots.back().get();
        s->label = "!" + std::to_string(ancestor_label_++);
        s->level = 1;
        s->index = ancestor_index_++;
        result->slot = s;
        break;
      }
      case NT::String:
      case NT::Number:
      case NT::Value:
      case NT::Wildcard:
      case NT::Descendant:
      case NT::Variable:
      case NT::Regex:
        result = expr;
        break;
      case NT::Operator:
        if (expr->str == "and" || expr->str == "or" || expr->str == "in") {
          expr->type = NT::Name;
          result = process(expr);
        } else if (expr->str == "?") {
          result = expr;
        } else {
          throw syntax("S0201", expr->position, expr->str);
        }
        break;
      case NT::End:
        throw syntax("S0207", expr->position);
      default:
        throw syntax("S0206", expr->position, expr->str);
    }
    if (expr->keep_array)
      result->keep_array = true;
    return result;
  }

  Node* process_binary(Node* expr) {
    Node* result = nullptr;
    switch (expr->op) {
      case Op::Dot: {
        Node* lstep = process(expr->lhs);
        if (lstep->type == NT::Path) {
          result = lstep;
        } else {
          result = prog_.make(NT::Path, lstep->position);
          result->items.push_back(lstep);
        }
        if (lstep->type == NT::Parent) {
          result->seeking_parent = {lstep->slot};
          result->has_seeking = true;
        }
        Node* rest = process(expr->rhs);
        if (rest->type == NT::Path) {
          result->items.insert(result->items.end(), rest->items.begin(), rest->items.end());
        } else {
          if (!rest->predicate.empty()) {
            rest->stages = std::move(rest->predicate);
            rest->predicate.clear();
          }
          result->items.push_back(rest);
        }
        for (Node* step : result->items) {
          if (step->type == NT::Number || step->type == NT::Value) {
            throw syntax("S0213", step->position, step->str);
          }
          if (step->type == NT::String)
            step->type = NT::Name;
        }
        for (Node* step : result->items) {
          if (step->keep_array)
            result->keep_singleton_array = true;
        }
        if (result->items.front()->type == NT::ArrayCons)
          result->items.front()->cons_array = true;
        if (result->items.back()->type == NT::ArrayCons)
          result->items.back()->cons_array = true;
        resolve_ancestry(result);
        break;
      }
      case Op::Bracket: {
        result = process(expr->lhs);
        Node* step = result;
        bool stages = false;
        if (result->type == NT::Path) {
          step = result->items.back();
          stages = true;
        }
        if (step->has_group) {
          throw syntax("S0209", expr->position);
        }
        Node* pred = process(expr->rhs);
        if (pred->has_seeking) {
          for (Slot* slot : pred->seeking_parent) {
            if (slot->level == 1) {
              seek_parent(step, slot);
            } else {
              slot->level--;
            }
          }
          push_ancestry(step, pred);
        }
        Stage st;
        st.expr = pred;
        st.position = expr->position;
        (stages ? step->stages : step->predicate).push_back(st);
        break;
      }
      case Op::Brace: {
        result = process(expr->lhs);
        if (result->has_group) {
          throw syntax("S0210", expr->position);
        }
        result->has_group = true;
        result->group_position = expr->position;
        for (auto& [k, v] : expr->pairs) {
          Node* pk = process(k);
          Node* pv = process(v);
          result->group.emplace_back(pk, pv);
        }
        break;
      }
      case Op::Caret: {
        result = as_path(process(expr->lhs));
        Node* sort = prog_.make(NT::Sort, expr->position);
        for (const SortTerm& t : expr->terms) {
          SortTerm pt;
          pt.descending = t.descending;
          pt.expr = process(t.expr);
          push_ancestry(sort, pt.expr);
          sort->terms.push_back(pt);
        }
        result->items.push_back(sort);
        resolve_ancestry(result);
        break;
      }
      case Op::Assign: {
        result = prog_.make(NT::Bind, expr->position);
        result->lhs = process(expr->lhs);
        result->rhs = process(expr->rhs);
        push_ancestry(result, result->rhs);
        break;
      }
      case Op::At: {
        result = process(expr->lhs);
        Node* step = result;
        if (result->type == NT::Path)
          step = result->items.back();
        if (!step->stages.empty() || !step->predicate.empty()) {
          throw syntax("S0215", expr->position);
        }
        if (step->type == NT::Sort) {
          throw syntax("S0216", expr->position);
        }
        if (expr->keep_array)
          step->keep_array = true;
        step->focus = expr->rhs->str;
        step->has_focus = true;
        step->tuple = true;
        break;
      }
      case Op::Hash: {
        result = process(expr->lhs);
        Node* step = result;
        if (result->type == NT::Path) {
          step = result->items.back();
        } else {
          result = prog_.make(NT::Path, step->position);
          result->items.push_back(step);
          if (!step->predicate.empty()) {
            step->stages = std::move(step->predicate);
            step->predicate.clear();
          }
        }
        if (step->stages.empty()) {
          step->index_var = expr->rhs->str;
          step->has_index = true;
        } else {
          Stage st;
          st.is_index = true;
          st.var = expr->rhs->str;
          st.position = expr->position;
          step->stages.push_back(st);
        }
        step->tuple = true;
        break;
      }
      case Op::Apply: {
        result = prog_.make(NT::Apply, expr->position);
        result->lhs = process(expr->lhs);
        result->rhs = process(expr->rhs);
        break;
      }
      default: {
        result = prog_.make(NT::Binary, expr->position);
        result->op = expr->op;
        result->str = expr->str;
        result->lhs = process(expr->lhs);
        result->rhs = process(expr->rhs);
        push_ancestry(result, result->lhs);
        push_ancestry(result, result->rhs);
        break;
      }
    }
    return result;
  }

  std::string_view src_;
  Lexer lex_;
  Program& prog_;
  Token cur_;
  std::string id_;
  int ancestor_label_ = 0;
  int ancestor_index_ = 0;
};

}  // namespace

std::shared_ptr<Program> parse_program(std::string_view source) {
  auto prog = std::make_shared<Program>();
  Parser p(source, *prog);
  prog->root = p.parse();
  for (const auto& n : prog->nodes) {
    bool leaf = n->type == NT::Name || (n->type == NT::Variable && !n->str.empty());
    n->simple_step = leaf && n->predicate.empty() && n->stages.empty() && !n->has_group &&
                     !n->keep_array && !n->tuple && !n->has_focus && !n->has_index &&
                     n->ancestor == nullptr && !n->cons_array;
  }
  return prog;
}

}  // namespace signoff::jsonata
