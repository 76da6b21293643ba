// A small ECMAScript-style regular expression engine.
//
// Why not std::regex: libstdc++'s executor recurses once per character for constructs like `.*`,
// so a long input can overflow the native stack, and it has no work limit. This engine compiles
// the pattern to a little instruction program and runs a backtracking VM with an explicit stack
// and a step budget, over code points (so `.` matches a whole character, as in JS with the u flag
// for BMP text). Supported: alternation, groups (capturing, (?:), named), lookahead (?= ?!),
// greedy/lazy quantifiers incl. {n,m}, classes with ranges and \d\w\s, anchors, \b \B,
// backreferences, flags i and m.
#include "regex/regex.h"

#include <algorithm>
#include <cstring>
#include <deque>

#include "common/utf8.h"

namespace signoff::regex {
namespace {

// Thrown inside the engine only; compile() and search() turn them into values.
struct SyntaxFailure {};
struct StepLimitReached {};

// Groups nest by recursion in the parser and the compiler: ((((...)))) past this depth is refused
// as a syntax error instead of exhausting the native stack of whatever thread compiles it.
constexpr int kMaxNesting = 256;

constexpr uint64_t kStepBudget = 20'000'000;
constexpr size_t kMaxProgram = 200'000;

char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z')
    return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
    return c + 32;
  if (c >= 0x391 && c <= 0x3AB)
    return c + 32;
  if (c >= 0x410 && c <= 0x42F)
    return c + 32;
  return c;
}

bool is_word(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}
bool is_line_term(char32_t c) {
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

struct ClassSet {
  std::vector<std::pair<char32_t, char32_t>> ranges;
  bool negate = false;
  bool digit = false, not_digit = false, word = false, not_word = false, space = false,
       not_space = false;
  bool matches_raw(char32_t c) const {
    for (auto& [a, b] : ranges) {
      if (c >= a && c <= b)
        return true;
    }
    if (digit && c >= '0' && c <= '9')
      return true;
    if (not_digit && !(c >= '0' && c <= '9'))
      return true;
    if (word && is_word(c))
      return true;
    if (not_word && !is_word(c))
      return true;
    if (space && is_space(c))
      return true;
    if (not_space && !is_space(c))
      return true;
    return false;
  }
  bool matches(char32_t c, bool icase) const {
    bool m = matches_raw(c);
    if (!m && icase) {
      char32_t l = fold(c);
      char32_t u = c;
      if (c >= 'a' && c <= 'z')
        u = c - 32;
      m = matches_raw(l) || matches_raw(u);
    }
    return m != negate;
  }
};

enum class Opc : uint8_t {
  Char,
  Any,
  Class,
  Split,
  Jmp,
  Save,
  Bol,
  Eol,
  WordB,
  NotWordB,
  Backref,
  Look,
  Mark,
  Progress,
  Match
};

struct Inst {
  Opc op;
  char32_t c = 0;
  int x = 0;  // target / slot / class index / group
  int y = 0;
  bool negate = false;
};

// Pattern AST.
struct RNode {
  enum Kind {
    Empty,
    Char,
    Any,
    Class,
    Seq,
    Alt,
    Group,
    NonCap,
    Look,
    Repeat,
    Bol,
    Eol,
    WordB,
    NotWordB,
    Backref
  } kind;
  char32_t c = 0;
  int cls = -1;
  int group = 0;
  bool negate = false;
  int min = 0, max = -1;
  bool lazy = false;
  std::vector<std::unique_ptr<RNode>> kids;
};

class RegexParser {
 public:
  RegexParser(std::u32string p, std::vector<ClassSet>& classes)
      : p_(std::move(p)), classes_(classes) {}
  std::unique_ptr<RNode> parse() {
    auto n = alt();
    if (i_ < p_.size())
      fail();
    return n;
  }
  int groups() const { return ngroups_; }

 private:
  [[noreturn]] void fail() { throw SyntaxFailure{}; }
  bool more() const { return i_ < p_.size(); }
  char32_t peek() const { return p_[i_]; }

  std::unique_ptr<RNode> alt() {
    if (++depth_ > kMaxNesting)
      fail();
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{depth_};
    auto first = seq();
    if (!more() || peek() != '|')
      return first;
    auto n = std::make_unique<RNode>();
    n->kind = RNode::Alt;
    n->kids.push_back(std::move(first));
    while (more() && peek() == '|') {
      ++i_;
      n->kids.push_back(seq());
    }
    return n;
  }

  std::unique_ptr<RNode> seq() {
    auto n = std::make_unique<RNode>();
    n->kind = RNode::Seq;
    while (more() && peek() != '|' && peek() != ')') {
      n->kids.push_back(quantified());
    }
    return n;
  }

  bool read_int(int& out) {
    size_t s = i_;
    long v = 0;
    while (more() && peek() >= '0' && peek() <= '9') {
      v = v * 10 + (peek() - '0');
      if (v > 100000)
        v = 100000;
      ++i_;
    }
    out = static_cast<int>(v);
    return i_ > s;
  }

  std::unique_ptr<RNode> quantified() {
    auto atom_node = atom();
    if (!more())
      return atom_node;
    int mn = -1, mx = -1;
    char32_t q = peek();
    if (q == '*') {
      mn = 0;
      mx = -1;
      ++i_;
    } else if (q == '+') {
      mn = 1;
      mx = -1;
      ++i_;
    } else if (q == '?') {
      mn = 0;
      mx = 1;
      ++i_;
    } else if (q == '{') {
      size_t save = i_;
      ++i_;
      int a;
      if (read_int(a)) {
        mn = a;
        mx = a;
        if (more() && peek() == ',') {
          ++i_;
          int b;
          mx = read_int(b) ? b : -1;
        }
        if (more() && peek() == '}') {
          ++i_;
        } else {
          i_ = save;
          mn = -1;
        }
      } else {
        i_ = save;
      }
      if (mn < 0)
        return atom_node;
      if (mx >= 0 && mx < mn)
        fail();
    } else {
      return atom_node;
    }
    auto r = std::make_unique<RNode>();
    r->kind = RNode::Repeat;
    r->min = mn;
    r->max = mx;
    if (more() && peek() == '?') {
      r->lazy = true;
      ++i_;
    }
    r->kids.push_back(std::move(atom_node));
    return r;
  }

  char32_t hex_escape(int digits) {
    char32_t v = 0;
    for (int k = 0; k < digits; ++k) {
      if (!more())
        fail();
      char32_t c = peek();
      int h = (c >= '0' && c <= '9')   ? static_cast<int>(c - '0')
              : (c >= 'a' && c <= 'f') ? static_cast<int>(c - 'a' + 10)
              : (c >= 'A' && c <= 'F') ? static_cast<int>(c - 'A' + 10)
                                       : -1;
      if (h < 0)
        fail();
      v = v * 16 + static_cast<char32_t>(h);
      ++i_;
    }
    return v;
  }

  // Parses an escape after '\'; returns true with `c` for a single character, or fills `cls`.
  bool escape(char32_t& c, ClassSet& cls, bool& is_class) {
    if (!more())
      fail();
    char32_t e = peek();
    ++i_;
    is_class = false;
    switch (e) {
      case 'd':
        cls.digit = true;
        is_class = true;
        return true;
      case 'D':
        cls.not_digit = true;
        is_class = true;
        return true;
      case 'w':
        cls.word = true;
        is_class = true;
        return true;
      case 'W':
        cls.not_word = true;
        is_class = true;
        return true;
      case 's':
        cls.space = true;
        is_class = true;
        return true;
      case 'S':
        cls.not_space = true;
        is_class = true;
        return true;
      case 'n':
        c = '\n';
        return true;
      case 'r':
        c = '\r';
        return true;
      case 't':
        c = '\t';
        return true;
      case 'f':
        c = '\f';
        return true;
      case 'v':
        c = '\v';
        return true;
      case '0':
        c = 0;
        return true;
      case 'x':
        c = hex_escape(2);
        return true;
      case 'u':
        if (more() && peek() == '{') {
          ++i_;
          char32_t v = 0;
          while (more() && peek() != '}') {
            size_t before = i_;
            v = v * 16 + hex_escape(1);
            if (i_ == before)
              fail();
          }
          if (!more())
            fail();
          ++i_;
          c = v;
          return true;
        }
        c = hex_escape(4);
        return true;
      case 'c':
        if (more()) {
          c = peek() % 32;
          ++i_;
          return true;
        }
        c = '\\';
        return true;
      default:
        c = e;
        return true;
    }
  }

  std::unique_ptr<RNode> atom() {
    auto n = std::make_unique<RNode>();
    char32_t c = peek();
    ++i_;
    switch (c) {
      case '.':
        n->kind = RNode::Any;
        return n;
      case '^':
        n->kind = RNode::Bol;
        return n;
      case '$':
        n->kind = RNode::Eol;
        return n;
      case '(': {
        if (more() && peek() == '?') {
          ++i_;
          if (!more())
            fail();
          char32_t k = peek();
          ++i_;
          if (k == ':') {
            n->kind = RNode::NonCap;
          } else if (k == '=' || k == '!') {
            n->kind = RNode::Look;
            n->negate = k == '!';
          } else if (k == '<') {
            // named group (?<name>...)
            while (more() && peek() != '>')
              ++i_;
            if (!more())
              fail();
            ++i_;
            n->kind = RNode::Group;
            n->group = ++ngroups_;
          } else {
            fail();
          }
        } else {
          n->kind = RNode::Group;
          n->group = ++ngroups_;
        }
        n->kids.push_back(alt());
        if (!more() || peek() != ')')
          fail();
        ++i_;
        return n;
      }
      case '[':
        return char_class();
      case '\\': {
        if (more() && peek() == 'b') {
          ++i_;
          n->kind = RNode::WordB;
          return n;
        }
        if (more() && peek() == 'B') {
          ++i_;
          n->kind = RNode::NotWordB;
          return n;
        }
        if (more() && peek() >= '1' && peek() <= '9') {
          int g = 0;
          read_int(g);
          n->kind = RNode::Backref;
          n->group = g;
          return n;
        }
        ClassSet cls;
        bool is_class;
        char32_t ch;
        escape(ch, cls, is_class);
        if (is_class) {
          classes_.push_back(cls);
          n->kind = RNode::Class;
          n->cls = static_cast<int>(classes_.size() - 1);
        } else {
          n->kind = RNode::Char;
          n->c = ch;
        }
        return n;
      }
      case ')':
      case '*':
      case '+':
      case '?':
        fail();
      default:
        n->kind = RNode::Char;
        n->c = c;
        return n;
    }
  }

  std::unique_ptr<RNode> char_class() {
    ClassSet cls;
    if (more() && peek() == '^') {
      cls.negate = true;
      ++i_;
    }
    bool first = true;
    while (more() && (peek() != ']' || false)) {
      (void)first;
      first = false;
      char32_t lo;
      bool is_class = false;
      if (peek() == '\\') {
        ++i_;
        if (more() && peek() == 'b') {
          ++i_;
          lo = '\b';
        } else {
          ClassSet sub;
          escape(lo, sub, is_class);
          if (is_class) {
            cls.digit |= sub.digit;
            cls.not_digit |= sub.not_digit;
            cls.word |= sub.word;
            cls.not_word |= sub.not_word;
            cls.space |= sub.space;
            cls.not_space |= sub.not_space;
            continue;
          }
        }
      } else {
        lo = peek();
        ++i_;
      }
      char32_t hi = lo;
      if (i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        if (peek() == '\\') {
          ++i_;
          ClassSet sub;
          bool sub_class;
          escape(hi, sub, sub_class);
          if (sub_class) {
            cls.ranges.emplace_back(lo, lo);
            cls.ranges.emplace_back('-', '-');
            cls.digit |= sub.digit;
            cls.word |= sub.word;
            cls.space |= sub.space;
            continue;
          }
        } else {
          hi = peek();
          ++i_;
        }
        if (hi < lo)
          fail();
      }
      cls.ranges.emplace_back(lo, hi);
    }
    if (!more())
      fail();
    ++i_;  // ']'
    classes_.push_back(cls);
    auto n = std::make_unique<RNode>();
    n->kind = RNode::Class;
    n->cls = static_cast<int>(classes_.size() - 1);
    return n;
  }

  std::u32string p_;
  size_t i_ = 0;
  std::vector<ClassSet>& classes_;
  int ngroups_ = 0;
  int depth_ = 0;
};

bool can_be_empty(const RNode& n) {
  switch (n.kind) {
    case RNode::Char:
    case RNode::Any:
    case RNode::Class:
      return false;
    case RNode::Seq:
      for (auto& k : n.kids) {
        if (!can_be_empty(*k))
          return false;
      }
      return true;
    case RNode::Alt:
      for (auto& k : n.kids) {
        if (can_be_empty(*k))
          return true;
      }
      return false;
    case RNode::Group:
    case RNode::NonCap:
      return can_be_empty(*n.kids[0]);
    case RNode::Repeat:
      return n.min == 0 || can_be_empty(*n.kids[0]);
    default:
      return true;
  }
}

class Compiler {
 public:
  Compiler(std::vector<Inst>& prog, bool icase) : prog_(prog), icase_(icase) {}
  int marks = 0;

  void emit_node(const RNode& n) {
    if (prog_.size() > kMaxProgram) {
      throw SyntaxFailure{};
    }
    switch (n.kind) {
      case RNode::Empty:
        break;
      case RNode::Char:
        prog_.push_back(Inst{Opc::Char, icase_ ? fold(n.c) : n.c});
        break;
      case RNode::Any:
        prog_.push_back(Inst{Opc::Any});
        break;
      case RNode::Class: {
        Inst in{Opc::Class};
        in.x = n.cls;
        prog_.push_back(in);
        break;
      }
      case RNode::Bol:
        prog_.push_back(Inst{Opc::Bol});
        break;
      case RNode::Eol:
        prog_.push_back(Inst{Opc::Eol});
        break;
      case RNode::WordB:
        prog_.push_back(Inst{Opc::WordB});
        break;
      case RNode::NotWordB:
        prog_.push_back(Inst{Opc::NotWordB});
        break;
      case RNode::Backref: {
        Inst in{Opc::Backref};
        in.x = n.group;
        prog_.push_back(in);
        break;
      }
      case RNode::Seq:
        for (auto& k : n.kids)
          emit_node(*k);
        break;
      case RNode::Alt: {
        std::vector<size_t> jumps;
        for (size_t i = 0; i < n.kids.size(); ++i) {
          if (i + 1 < n.kids.size()) {
            size_t split = prog_.size();
            prog_.push_back(Inst{Opc::Split});
            prog_[split].x = static_cast<int>(prog_.size());
            emit_node(*n.kids[i]);
            jumps.push_back(prog_.size());
            prog_.push_back(Inst{Opc::Jmp});
            prog_[split].y = static_cast<int>(prog_.size());
          } else {
            emit_node(*n.kids[i]);
          }
        }
        for (size_t j : jumps)
          prog_[j].x = static_cast<int>(prog_.size());
        break;
      }
      case RNode::Group: {
        Inst s{Opc::Save};
        s.x = n.group * 2;
        prog_.push_back(s);
        emit_node(*n.kids[0]);
        Inst e{Opc::Save};
        e.x = n.group * 2 + 1;
        prog_.push_back(e);
        break;
      }
      case RNode::NonCap:
        emit_node(*n.kids[0]);
        break;
      case RNode::Look: {
        size_t look = prog_.size();
        Inst in{Opc::Look};
        in.negate = n.negate;
        prog_.push_back(in);
        emit_node(*n.kids[0]);
        prog_.push_back(Inst{Opc::Match});
        prog_[look].x = static_cast<int>(prog_.size());  // continuation
        break;
      }
      case RNode::Repeat: {
        const RNode& body = *n.kids[0];
        for (int i = 0; i < n.min; ++i)
          emit_node(body);
        bool empty = can_be_empty(body);
        if (n.max < 0) {
          size_t loop = prog_.size();
          prog_.push_back(Inst{Opc::Split});
          size_t body_start = prog_.size();
          int mark = marks++;
          if (empty) {
            Inst m{Opc::Mark};
            m.x = mark;
            prog_.push_back(m);
          }
          emit_node(body);
          if (empty) {
            Inst p{Opc::Progress};
            p.x = mark;
            prog_.push_back(p);
          }
          Inst j{Opc::Jmp};
          j.x = static_cast<int>(loop);
          prog_.push_back(j);
          size_t after = prog_.size();
          prog_[loop].x = static_cast<int>(n.lazy ? after : body_start);
          prog_[loop].y = static_cast<int>(n.lazy ? body_start : after);
        } else {
          std::vector<size_t> splits;
          for (int i = n.min; i < n.max; ++i) {
            size_t split = prog_.size();
            prog_.push_back(Inst{Opc::Split});
            splits.push_back(split);
            size_t body_start = prog_.size();
            emit_node(body);
            prog_[split].x = static_cast<int>(body_start);
          }
          size_t after = prog_.size();
          for (size_t s : splits) {
            if (n.lazy) {
              prog_[s].y = prog_[s].x;
              prog_[s].x = static_cast<int>(after);
            } else {
              prog_[s].y = static_cast<int>(after);
            }
          }
        }
        break;
      }
    }
  }

 private:
  std::vector<Inst>& prog_;
  bool icase_;
};

struct TextCache {
  std::string text;
  std::u32string cps;
  std::vector<size_t> offsets;  // byte offset of each code point, plus end
};

const TextCache& decode(std::string_view s) {
  thread_local TextCache cache;
  if (cache.text.size() == s.size() && cache.text == s && !cache.offsets.empty())
    return cache;
  cache.text.assign(s);
  cache.cps.clear();
  cache.offsets.clear();
  for (size_t i = 0; i < s.size();) {
    cache.offsets.push_back(i);
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size())
      len = 1;
    if (len == 1 && c < 0x80) {
      cache.cps.push_back(c);  // ASCII: no decoding
    } else {
      std::u32string one = utf8_to_u32(s.substr(i, len));
      cache.cps.push_back(one.empty() ? c : one[0]);
    }
    i += len;
  }
  cache.offsets.push_back(s.size());
  return cache;
}

class VmRegex final : public Regex {
 public:
  VmRegex(std::vector<Inst> prog, std::vector<ClassSet> classes, int groups, int marks, bool icase,
          bool multiline)
      : prog_(std::move(prog)),
        classes_(std::move(classes)),
        groups_(groups),
        marks_(marks),
        icase_(icase),
        multiline_(multiline) {}

  size_t group_count() const override { return static_cast<size_t>(groups_); }

  Search search(std::string_view text, size_t from, Match& m) const override {
    try {
      return search_or_throw(text, from, m) ? Search::Found : Search::NotFound;
    } catch (const StepLimitReached&) {
      return Search::StepLimit;
    }
  }

 private:
  bool search_or_throw(std::string_view text, size_t from, Match& m) const {
    const TextCache& tc = decode(text);
    size_t start_cp = static_cast<size_t>(
        std::lower_bound(tc.offsets.begin(), tc.offsets.end(), from) - tc.offsets.begin());
    uint64_t steps = 0;
    // Reused per thread (search does not re-enter itself): one search per $replace/$match item.
    thread_local std::vector<long> caps;
    thread_local std::vector<long> marks;
    caps.assign(static_cast<size_t>((groups_ + 1) * 2), -1);
    marks.assign(static_cast<size_t>(marks_), -1);
    for (size_t s = start_cp; s <= tc.cps.size(); ++s) {
      std::fill(caps.begin(), caps.end(), -1);
      long end;
      if (run(tc.cps, 0, static_cast<long>(s), caps, marks, steps, end, 0)) {
        m.start = tc.offsets[s];
        m.end = tc.offsets[static_cast<size_t>(end)];
        m.groups.clear();
        for (int g = 1; g <= groups_; ++g) {
          long a = caps[static_cast<size_t>(g * 2)], b = caps[static_cast<size_t>(g * 2 + 1)];
          if (a >= 0 && b >= 0) {
            m.groups.emplace_back(std::make_pair(tc.offsets[static_cast<size_t>(a)],
                                                 tc.offsets[static_cast<size_t>(b)]));
          } else {
            m.groups.emplace_back(std::nullopt);
          }
        }
        return true;
      }
    }
    return false;
  }

  bool eq(char32_t a, char32_t b) const { return icase_ ? fold(a) == b : a == b; }

  // Runs the program from pc at position pos; on success sets end.
  struct Entry {
    int kind;  // 0 choice, 1 undo cap, 2 undo mark
    int pc;
    long pos;
    long old;
  };

  bool run(const std::u32string& t, int pc0, long pos0, std::vector<long>& caps,
           std::vector<long>& marks, uint64_t& steps, long& end_out, size_t level) const {
    // Backtracking stacks reused per thread, one per lookaround nesting level (a deque keeps the
    // outer levels' stacks in place when a deeper level is added).
    thread_local std::deque<std::vector<Entry>> stacks;
    if (stacks.size() <= level)
      stacks.resize(level + 1);
    std::vector<Entry>& stack = stacks[level];
    stack.clear();
    int pc = pc0;
    long pos = pos0;
    long n = static_cast<long>(t.size());
    while (true) {
      if (++steps > kStepBudget) {
        throw StepLimitReached{};
      }
      const Inst& in = prog_[static_cast<size_t>(pc)];
      bool ok = true;
      switch (in.op) {
        case Opc::Char:
          if (pos < n && eq(t[static_cast<size_t>(pos)], in.c)) {
            ++pos;
            ++pc;
          } else {
            ok = false;
          }
          break;
        case Opc::Any:
          if (pos < n && !is_line_term(t[static_cast<size_t>(pos)])) {
            ++pos;
            ++pc;
          } else {
            ok = false;
          }
          break;
        case Opc::Class:
          if (pos < n &&
              classes_[static_cast<size_t>(in.x)].matches(t[static_cast<size_t>(pos)], icase_)) {
            ++pos;
            ++pc;
          } else {
            ok = false;
          }
          break;
        case Opc::Split:
          stack.push_back(Entry{0, in.y, pos, 0});
          pc = in.x;
          break;
        case Opc::Jmp:
          pc = in.x;
          break;
        case Opc::Save:
          stack.push_back(Entry{1, in.x, 0, caps[static_cast<size_t>(in.x)]});
          caps[static_cast<size_t>(in.x)] = pos;
          ++pc;
          break;
        case Opc::Mark:
          stack.push_back(Entry{2, in.x, 0, marks[static_cast<size_t>(in.x)]});
          marks[static_cast<size_t>(in.x)] = pos;
          ++pc;
          break;
        case Opc::Progress:
          if (marks[static_cast<size_t>(in.x)] == pos) {
            ok = false;
          } else {
            ++pc;
          }
          break;
        case Opc::Bol:
          if (pos == 0 || (multiline_ && is_line_term(t[static_cast<size_t>(pos - 1)]))) {
            ++pc;
          } else {
            ok = false;
          }
          break;
        case Opc::Eol:
          if (pos == n || (multiline_ && is_line_term(t[static_cast<size_t>(pos)]))) {
            ++pc;
          } else {
            ok = false;
          }
          break;
        case Opc::WordB:
        case Opc::NotWordB: {
          bool a = pos > 0 && is_word(t[static_cast<size_t>(pos - 1)]);
          bool b = pos < n && is_word(t[static_cast<size_t>(pos)]);
          bool at_b = a != b;
          if (at_b == (in.op == Opc::WordB)) {
            ++pc;
          } else {
            ok = false;
          }
          break;
        }
        case Opc::Backref: {
          long a = in.x <= groups_ ? caps[static_cast<size_t>(in.x * 2)] : -1;
          long b = in.x <= groups_ ? caps[static_cast<size_t>(in.x * 2 + 1)] : -1;
          if (a < 0 || b < 0) {
            ++pc;
            break;
          }
          long len = b - a;
          if (pos + len > n) {
            ok = false;
            break;
          }
          for (long k = 0; k < len && ok; ++k) {
            if (!eq(t[static_cast<size_t>(pos + k)],
                    icase_ ? fold(t[static_cast<size_t>(a + k)]) : t[static_cast<size_t>(a + k)]))
              ok = false;
          }
          if (ok) {
            pos += len;
            ++pc;
          }
          break;
        }
        case Opc::Look: {
          std::vector<long> sub_caps = caps;
          std::vector<long> sub_marks = marks;
          long e;
          bool matched = run(t, pc + 1, pos, sub_caps, sub_marks, steps, e, level + 1);
          if (matched != in.negate) {
            if (matched)
              caps = sub_caps;
            pc = in.x;
          } else {
            ok = false;
          }
          break;
        }
        case Opc::Match:
          end_out = pos;
          return true;
      }
      if (!ok) {
        while (true) {
          if (stack.empty())
            return false;
          Entry e = stack.back();
          stack.pop_back();
          if (e.kind == 1) {
            caps[static_cast<size_t>(e.pc)] = e.old;
          } else if (e.kind == 2) {
            marks[static_cast<size_t>(e.pc)] = e.old;
          } else {
            pc = e.pc;
            pos = e.pos;
            break;
          }
        }
      }
    }
  }

  std::vector<Inst> prog_;
  std::vector<ClassSet> classes_;
  int groups_;
  int marks_;
  bool icase_;
  bool multiline_;
};

}  // namespace

Result<std::shared_ptr<const Regex>> compile(std::string_view pattern, std::string_view flags) {
  try {
    std::vector<ClassSet> classes;
    RegexParser parser(utf8_to_u32(pattern), classes);
    auto ast = parser.parse();
    bool icase = flags.find('i') != std::string_view::npos;
    bool multiline = flags.find('m') != std::string_view::npos;
    std::vector<Inst> prog;
    Compiler c(prog, icase);
    c.emit_node(*ast);
    prog.push_back(Inst{Opc::Match});
    return std::shared_ptr<const Regex>(std::make_shared<VmRegex>(
        std::move(prog), std::move(classes), parser.groups(), c.marks, icase, multiline));
  } catch (const SyntaxFailure&) {
    return Error{"SyntaxError", "Invalid regular expression: " + std::string(pattern)};
  }
}

Result<bool> matches_whole(std::string_view pattern, std::string_view text) {
  auto re = compile("^(?:" + std::string(pattern) + ")$", "");
  if (!re.ok()) {
    return Error{"SyntaxError", "Invalid regular expression: " + std::string(pattern)};
  }
  Match m;
  switch ((*re)->search(text, 0, m)) {
    case Search::Found:
      return true;
    case Search::NotFound:
      return false;
    case Search::StepLimit:
      break;
  }
  return Error{"StepLimit", "Regular expression evaluation exceeded its step limit"};
}

Result<bool> contains_match(std::string_view pattern, std::string_view text) {
  auto re = compile(pattern, "");
  if (!re.ok()) {
    return std::move(re).error();
  }
  Match m;
  switch ((*re)->search(text, 0, m)) {
    case Search::Found:
      return true;
    case Search::NotFound:
      return false;
    case Search::StepLimit:
      break;
  }
  return Error{"StepLimit", "Regular expression evaluation exceeded its step limit"};
}

}  // namespace signoff::regex
