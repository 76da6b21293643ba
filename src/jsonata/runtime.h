// Internal declarations shared by the parser, evaluator and function library. Nothing here is
// part of the public API (see jsonata.h); errors travel as JError exceptions inside the module
// and are turned into values at the API boundary.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "jsonata/value.h"
#include "regex/regex.h"

namespace signoff::jsonata {

struct JError {
  JError() = default;
  explicit JError(std::string c) : code(std::move(c)) {}
  JError(std::string c, Val v) : code(std::move(c)), value(std::move(v)), has_value(true) {}
  std::string code;
  int64_t position = -1;
  std::optional<std::string> token;
  Val value;
  bool has_value = false;
  Val value2;
  int index = 0;
  std::string message;  // explicit message ($error, $assert)
};

// ---- signatures ------------------------------------------------------------------------------
struct SigParam {
  std::string allowed;  // type symbols accepted, 'm' = missing
  char quant = 0;       // 0, '?', '+'
  char type = 0;        // s n b l o a f j x or '(' for a choice
  bool context = false;
  std::string subtype;  // for a<...>
};

struct Signature {
  std::vector<SigParam> params;
  std::string definition;
  // Validates (and coerces) arguments; throws T0410/T0411/T0412.
  ValVec validate(const ValVec& args, const Val& context) const;
  // True when validate would return args unchanged (padded with undefined to the parameter
  // count, which this does to args): the common case, checked without building anything.
  bool conforms(ValVec& args) const;
};
std::shared_ptr<Signature> parse_signature(const std::string& text);  // throws S0401/S0402

// ---- AST --------------------------------------------------------------------------------------
enum class NT : uint8_t {
  // raw parser output
  RawBinary,
  RawUnary,  // '-', '[', '{'
  Name,
  String,
  Number,
  Value,  // true/false/null
  Regex,
  Variable,
  Operator,  // 'and'/'or'/'in' used as names, '?' placeholders, '(end)'
  End,
  Wildcard,
  Descendant,
  Parent,
  Function,
  Partial,
  Lambda,
  Condition,
  Coalesce,
  Elvis,
  Block,
  Transform,
  // processed
  Path,
  Binary,
  Negate,
  ArrayCons,
  ObjectCons,
  Bind,
  Apply,
  Sort,
};

enum class Op : uint8_t {
  None,
  Plus,
  Minus,
  Mul,
  Div,
  Mod,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Concat,
  And,
  Or,
  In,
  Range,
  Dot,
  Bracket,
  Brace,
  Caret,
  At,
  Hash,
  Assign,
  Apply,
};

struct Node;
struct Slot {
  std::string label;
  int level = 1;
  int index = 0;
};

struct Stage {
  bool is_index = false;
  Node* expr = nullptr;
  std::string var;
  int64_t position = 0;
};

struct SortTerm {
  Node* expr = nullptr;
  bool descending = false;
};

struct Node {
  NT type;
  Op op = Op::None;
  int64_t position = 0;
  std::string str;  // name, string literal, variable, operator text
  double num = 0;
  int value_kind = 0;  // for Value: 0 null, 1 true, 2 false
  Node* lhs = nullptr;
  Node* rhs = nullptr;
  Node* expr = nullptr;
  std::vector<Node*> items;  // array items, block expressions, arguments, path steps
  std::vector<std::pair<Node*, Node*>> pairs;
  Node* procedure = nullptr;
  Node* cond = nullptr;
  Node* then_ = nullptr;
  Node* else_ = nullptr;
  Node* body = nullptr;
  std::vector<std::string> params;
  std::shared_ptr<Signature> sig;
  bool thunk = false;
  std::vector<SortTerm> terms;
  Node* pattern = nullptr;
  Node* update = nullptr;
  Node* del = nullptr;
  std::vector<Stage> predicate;
  std::vector<Stage> stages;
  bool has_group = false;
  std::vector<std::pair<Node*, Node*>> group;
  int64_t group_position = 0;
  bool has_focus = false;
  std::string focus;
  bool has_index = false;
  std::string index_var;
  Slot* ancestor = nullptr;
  Slot* slot = nullptr;
  bool has_seeking = false;
  std::vector<Slot*> seeking_parent;
  bool keep_array = false;
  bool cons_array = false;
  bool keep_singleton_array = false;
  bool tuple = false;
  std::shared_ptr<const regex::Regex> regex;
  std::string regex_source;
  // A path step that is a bare field name or variable (no predicate, stage, group, focus, index
  // or array marker): eval_path evaluates it on a single context without going through eval.
  bool simple_step = false;
};

struct Program {
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<std::unique_ptr<Slot>> slots;
  Node* root = nullptr;
  Node* make(NT t, int64_t pos) {
    nodes.push_back(std::make_unique<Node>());
    nodes.back()->type = t;
    nodes.back()->position = pos;
    return nodes.back().get();
  }
};

// Parses source into a processed AST; throws JError (S0xxx).
std::shared_ptr<Program> parse_program(std::string_view source);

// ---- regular expressions ----------------------------------------------------------------------
using RegexMatch = regex::Match;
// ECMAScript-dialect regex (src/regex/); flags "i", "m". Throws JError S0302 on a syntax error.
std::shared_ptr<const regex::Regex> compile_regex(std::string_view pattern, std::string_view flags);
// The first match at or after byte offset `from`. Throws JError U1001 past the step limit.
bool regex_search(const regex::Regex& re, std::string_view text, size_t from, RegexMatch& m);

// ---- environment & functions ------------------------------------------------------------------
struct Frame final : HeapObj {
  explicit Frame(std::shared_ptr<Frame> p) : parent(std::move(p)) {}
  // Long parent chains (repeated partial application) are released iteratively.
  ~Frame() override;
  std::shared_ptr<Frame> parent;
  NamedVals vars;
  void bind(std::string_view name, Val v) {
    for (auto& [k, val] : vars) {
      if (k == name) {
        val = std::move(v);
        return;
      }
    }
    vars.emplace_back(std::string(name), std::move(v));
  }
  const Val* lookup(std::string_view name) const {
    for (const Frame* f = this; f != nullptr; f = f->parent.get()) {
      for (const auto& [k, val] : f->vars) {
        if (k == name) {
          return &val;
        }
      }
    }
    return nullptr;
  }
};
using Env = std::shared_ptr<Frame>;

class Evaluator;
using NativeImpl = Val (*)(Evaluator& ev, ValVec& args, const Val& input, const Env& env);

enum class FnKind : uint8_t { Lambda, Native, Partial, Regex, Transform, Chain, Matcher, Host };

struct HostFunction;

struct Function final : HeapObj {
  ~Function() override;  // releases captured frames and values iteratively (release_deep)
  FnKind kind;
  // Lambda / Transform
  std::shared_ptr<const Program> program;  // keeps the AST alive
  const Node* node = nullptr;
  Env env;
  Val input;
  std::vector<std::string> params;
  std::shared_ptr<Signature> sig;
  bool thunk = false;
  // Native
  NativeImpl native = nullptr;
  std::shared_ptr<const HostFunction> host_fn;  // Host: a function of a Library
  std::string name;
  int arity = 0;
  // Partial: target with bound args (placeholders marked by nullopt)
  std::shared_ptr<Function> target;
  std::vector<std::optional<Val>> bound;
  // Regex
  std::shared_ptr<const regex::Regex> regex;
  std::string regex_source;
  size_t offset = 0;  // Matcher: byte offset where the next search starts
  // Chain
  std::shared_ptr<Function> first;
  std::shared_ptr<Function> second;
};

int function_arity(const Function& f);

// Registry of the built-in library.
struct NativeDef {
  const char* name;
  const char* signature;
  int arity;
  NativeImpl impl;
};
const std::vector<NativeDef>& native_functions();

// Coercions and predicates shared with the library.
bool is_numeric(const Val& v);  // throws D1001 on non-finite
std::optional<bool> to_boolean(const Val& v);
bool is_array_of_strings(const Val& v);
bool is_array_of_numbers(const Val& v);
Val append(const Val& a, const Val& b);
std::string to_string_fn(const Val& v, bool pretty = false);  // $string semantics

using ::signoff::append_utf8;
using ::signoff::u32_to_utf8;
using ::signoff::utf8_length;
using ::signoff::utf8_to_u32;

}  // namespace signoff::jsonata
