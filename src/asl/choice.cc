// JSONPath-mode Choice rules. A rule compiles once into a small tree of nodes with every literal
// operand pre-converted (timestamps parsed, StringMatches patterns split at their wildcards) so
// that evaluating a simple comparison reads the input in place and allocates nothing.
#include "asl/choice.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "asl/timestamp_internal.h"

namespace signoff::asl {
namespace {

// Deeper nesting than any hand-written rule; bounds compile and evaluate recursion.
constexpr int kMaxDepth = 100;

enum class Family : uint8_t {
  String,
  Numeric,
  Boolean,
  Timestamp,
  Matches,
  IsNull,
  IsPresent,
  IsNumeric,
  IsString,
  IsBoolean,
  IsTimestamp,
};

enum class Cmp : uint8_t { Eq, Lt, Gt, Le, Ge };

struct OperatorInfo {
  std::string_view name;
  Family family;
  Cmp cmp;
  bool path;  // the operand is a reference path into the input
};

constexpr std::array<OperatorInfo, 39> kOperators = {{
    {"StringEquals", Family::String, Cmp::Eq, false},
    {"StringEqualsPath", Family::String, Cmp::Eq, true},
    {"StringLessThan", Family::String, Cmp::Lt, false},
    {"StringLessThanPath", Family::String, Cmp::Lt, true},
    {"StringGreaterThan", Family::String, Cmp::Gt, false},
    {"StringGreaterThanPath", Family::String, Cmp::Gt, true},
    {"StringLessThanEquals", Family::String, Cmp::Le, false},
    {"StringLessThanEqualsPath", Family::String, Cmp::Le, true},
    {"StringGreaterThanEquals", Family::String, Cmp::Ge, false},
    {"StringGreaterThanEqualsPath", Family::String, Cmp::Ge, true},
    {"StringMatches", Family::Matches, Cmp::Eq, false},
    {"NumericEquals", Family::Numeric, Cmp::Eq, false},
    {"NumericEqualsPath", Family::Numeric, Cmp::Eq, true},
    {"NumericLessThan", Family::Numeric, Cmp::Lt, false},
    {"NumericLessThanPath", Family::Numeric, Cmp::Lt, true},
    {"NumericGreaterThan", Family::Numeric, Cmp::Gt, false},
    {"NumericGreaterThanPath", Family::Numeric, Cmp::Gt, true},
    {"NumericLessThanEquals", Family::Numeric, Cmp::Le, false},
    {"NumericLessThanEqualsPath", Family::Numeric, Cmp::Le, true},
    {"NumericGreaterThanEquals", Family::Numeric, Cmp::Ge, false},
    {"NumericGreaterThanEqualsPath", Family::Numeric, Cmp::Ge, true},
    {"BooleanEquals", Family::Boolean, Cmp::Eq, false},
    {"BooleanEqualsPath", Family::Boolean, Cmp::Eq, true},
    {"TimestampEquals", Family::Timestamp, Cmp::Eq, false},
    {"TimestampEqualsPath", Family::Timestamp, Cmp::Eq, true},
    {"TimestampLessThan", Family::Timestamp, Cmp::Lt, false},
    {"TimestampLessThanPath", Family::Timestamp, Cmp::Lt, true},
    {"TimestampGreaterThan", Family::Timestamp, Cmp::Gt, false},
    {"TimestampGreaterThanPath", Family::Timestamp, Cmp::Gt, true},
    {"TimestampLessThanEquals", Family::Timestamp, Cmp::Le, false},
    {"TimestampLessThanEqualsPath", Family::Timestamp, Cmp::Le, true},
    {"TimestampGreaterThanEquals", Family::Timestamp, Cmp::Ge, false},
    {"TimestampGreaterThanEqualsPath", Family::Timestamp, Cmp::Ge, true},
    {"IsNull", Family::IsNull, Cmp::Eq, false},
    {"IsPresent", Family::IsPresent, Cmp::Eq, false},
    {"IsNumeric", Family::IsNumeric, Cmp::Eq, false},
    {"IsString", Family::IsString, Cmp::Eq, false},
    {"IsBoolean", Family::IsBoolean, Cmp::Eq, false},
    {"IsTimestamp", Family::IsTimestamp, Cmp::Eq, false},
}};

const OperatorInfo* find_operator(std::string_view name) {
  for (const OperatorInfo& op : kOperators) {
    if (op.name == name) {
      return &op;
    }
  }
  return nullptr;
}

// A Variable or ...Path operand. Paths made only of plain field names and array indexes are
// walked here directly (no copy, no refcount traffic); anything else goes through JsonPath.
class Accessor {
 public:
  Accessor(JsonPath path) : path_(std::move(path)) { fast_ = plan(); }  // NOLINT

  const std::string& text() const { return path_.text(); }

  // The selected value, or nullptr when the path selects nothing. `holder` keeps a value that
  // JsonPath had to produce alive.
  const json::Value* resolve(const PathRoots& roots, std::optional<json::Value>& holder) const {
    if (!fast_) {
      holder = path_.select(roots);
      return holder ? &*holder : nullptr;
    }
    const json::Value* v = nullptr;
    switch (path_.root()) {
      case JsonPath::Root::Input:
        v = roots.input;
        break;
      case JsonPath::Root::Context:
        v = roots.context;
        break;
      case JsonPath::Root::Variable:
        v = roots.variables != nullptr ? roots.variables->lookup(path_.variable()) : nullptr;
        break;
    }
    for (const Step& s : steps_) {
      if (v == nullptr) {
        return nullptr;
      }
      v = s.is_index ? v->at(s.index) : v->find(s.name);
    }
    return v;
  }

 private:
  struct Step {
    std::string name;
    size_t index = 0;
    bool is_index = false;
  };

  static bool plain_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  }

  bool plan() {
    std::string_view t = path_.text();
    switch (path_.root()) {
      case JsonPath::Root::Input:
        if (t.substr(0, 1) != "$") {
          return false;
        }
        t.remove_prefix(1);
        break;
      case JsonPath::Root::Context:
        if (t.substr(0, 2) != "$$") {
          return false;
        }
        t.remove_prefix(2);
        break;
      case JsonPath::Root::Variable: {
        const std::string& name = path_.variable();
        if (t.size() < name.size() + 1 || t[0] != '$' || t.substr(1, name.size()) != name) {
          return false;
        }
        t.remove_prefix(name.size() + 1);
        break;
      }
    }
    while (!t.empty()) {
      Step s;
      if (t[0] == '.') {
        size_t n = 1;
        while (n < t.size() && plain_name_char(t[n])) {
          ++n;
        }
        if (n == 1) {
          return false;
        }
        s.name = std::string(t.substr(1, n - 1));
        t.remove_prefix(n);
      } else if (t[0] == '[') {
        size_t n = 1;
        size_t index = 0;
        while (n < t.size() && t[n] >= '0' && t[n] <= '9' && n < 10) {
          index = index * 10 + static_cast<size_t>(t[n] - '0');
          ++n;
        }
        if (n == 1 || n >= t.size() || t[n] != ']') {
          return false;
        }
        s.index = index;
        s.is_index = true;
        t.remove_prefix(n + 1);
      } else {
        return false;
      }
      steps_.push_back(std::move(s));
    }
    return true;
  }

  JsonPath path_;
  std::vector<Step> steps_;
  bool fast_ = false;
};

// StringMatches pattern: the literal text between unescaped '*' wildcards.
struct Glob {
  std::vector<std::string> parts;  // stars + 1 entries

  static Glob compile(std::string_view pattern) {
    Glob g;
    g.parts.emplace_back();
    for (size_t i = 0; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (c == '\\' && i + 1 < pattern.size()) {
        g.parts.back().push_back(pattern[++i]);
      } else if (c == '*') {
        g.parts.emplace_back();
      } else {
        g.parts.back().push_back(c);
      }
    }
    return g;
  }

  // '*' matches any run of characters. Matching bytes of UTF-8 is the same as matching
  // characters: a literal part can only line up with whole encoded characters.
  bool matches(std::string_view s) const {
    if (parts.size() == 1) {
      return s == parts[0];
    }
    const std::string& first = parts.front();
    const std::string& last = parts.back();
    if (s.size() < first.size() + last.size() || s.substr(0, first.size()) != first ||
        s.substr(s.size() - last.size()) != last) {
      return false;
    }
    // Leftmost placement of each middle part leaves the most room for the rest.
    std::string_view middle = s.substr(first.size(), s.size() - first.size() - last.size());
    for (size_t i = 1; i + 1 < parts.size(); ++i) {
      size_t at = middle.find(parts[i]);
      if (at == std::string_view::npos) {
        return false;
      }
      middle.remove_prefix(at + parts[i].size());
    }
    return true;
  }
};

// Java's String.compareTo orders by UTF-16 code units; UTF-8 bytes order by code point. The two
// differ only between supplementary characters (surrogate pairs, 0xD800..) and U+E000..U+FFFF.
uint32_t decode_at(std::string_view s, size_t i) {
  const auto b = [&](size_t k) {
    return static_cast<uint8_t>(s[k]);
  };
  uint32_t c = b(i);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (i + len > s.size()) {
    return c;
  }
  if (len == 1) {
    return c;
  }
  uint32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  return cp;
}

uint64_t utf16_order_key(uint32_t cp) {
  return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x200000ULL : cp;
}

int compare_java(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) {
    ++i;
  }
  if (i == n) {
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
  }
  const auto ua = static_cast<uint8_t>(a[i]);
  const auto ub = static_cast<uint8_t>(b[i]);
  if (ua < 0x80 && ub < 0x80) {
    return ua < ub ? -1 : 1;
  }
  // Back up to the start of the character holding the first difference (same in both strings,
  // since everything before it is equal).
  size_t start = i;
  while (start > 0 && (static_cast<uint8_t>(a[start]) & 0xC0) == 0x80 && i - start < 3) {
    --start;
  }
  const uint64_t ka = utf16_order_key(decode_at(a, start));
  const uint64_t kb = utf16_order_key(decode_at(b, start));
  if (ka != kb) {
    return ka < kb ? -1 : 1;
  }
  return ua < ub ? -1 : 1;
}

// Numbers compare by value, exactly, whether the JSON text made them integers or doubles.
int compare_numbers(const json::Value& a, const json::Value& b) {
  if (a.is_int() && b.is_int()) {
    return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
  }
  if (a.is_double() && b.is_double()) {
    return a.as_double() < b.as_double() ? -1 : a.as_double() > b.as_double() ? 1 : 0;
  }
  const bool a_int = a.is_int();
  const int64_t i = a_int ? a.as_int() : b.as_int();
  const double d = a_int ? b.as_double() : a.as_double();
  int r;  // sign of (i - d)
  if (d >= 9223372036854775808.0) {
    r = -1;
  } else if (d < -9223372036854775808.0) {
    r = 1;
  } else {
    const auto t = static_cast<int64_t>(d);  // exact: |d| < 2^63
    if (i != t) {
      r = i < t ? -1 : 1;
    } else {
      const double frac = d - static_cast<double>(t);
      r = frac > 0 ? -1 : frac < 0 ? 1 : 0;
    }
  }
  return a_int ? r : -r;
}

bool apply(Cmp cmp, int c) {
  switch (cmp) {
    case Cmp::Eq:
      return c == 0;
    case Cmp::Lt:
      return c < 0;
    case Cmp::Gt:
      return c > 0;
    case Cmp::Le:
      return c <= 0;
    case Cmp::Ge:
      return c >= 0;
  }
  return false;
}

enum class NodeKind : uint8_t { Compare, And, Or, Not };

struct Node {
  NodeKind kind = NodeKind::Compare;
  Family family = Family::String;
  Cmp cmp = Cmp::Eq;
  std::optional<Accessor> variable;
  std::optional<Accessor> operand_path;  // ...Path operators
  json::Value literal;                   // String/Numeric/Boolean/Is* operand
  Instant timestamp;                     // Timestamp* literal operand
  Glob glob;                             // StringMatches
  std::vector<Node> children;            // And/Or/Not
};

std::string invalid_path_cause(const std::string& path) {
  return "Invalid path '" + path +
         "': The choice state's condition path references an invalid value.";
}

// Compares a present Variable value against a present operand value of a comparison family.
bool compare_values(const Node& n, const json::Value& v, const json::Value& operand) {
  switch (n.family) {
    case Family::String:
      return v.is_string() && operand.is_string() &&
             apply(n.cmp, n.cmp == Cmp::Eq ? (v.as_string() == operand.as_string() ? 0 : 1)
                                           : compare_java(v.as_string(), operand.as_string()));
    case Family::Numeric:
      return v.is_number() && operand.is_number() && apply(n.cmp, compare_numbers(v, operand));
    case Family::Boolean:
      return v.is_bool() && operand.is_bool() && v.as_bool() == operand.as_bool();
    case Family::Timestamp: {
      if (!v.is_string() || !operand.is_string()) {
        return false;
      }
      auto a = parse_instant(v.as_string());
      auto b = parse_instant(operand.as_string());
      return a && b && apply(n.cmp, *a < *b ? -1 : *a > *b ? 1 : 0);
    }
    default:
      return false;
  }
}

Outcome<bool> evaluate_node(const Node& n, const PathRoots& roots) {
  switch (n.kind) {
    case NodeKind::And:
      for (const Node& c : n.children) {
        Outcome<bool> r = evaluate_node(c, roots);
        if (!r.ok() || !r.value()) {
          return r;
        }
      }
      return true;
    case NodeKind::Or:
      for (const Node& c : n.children) {
        Outcome<bool> r = evaluate_node(c, roots);
        if (!r.ok() || r.value()) {
          return r;
        }
      }
      return false;
    case NodeKind::Not: {
      Outcome<bool> r = evaluate_node(n.children.front(), roots);
      if (!r.ok()) {
        return r;
      }
      return !r.value();
    }
    case NodeKind::Compare:
      break;
  }
  std::optional<json::Value> holder;
  const json::Value* v = n.variable->resolve(roots, holder);
  if (n.family == Family::IsPresent) {
    return (v != nullptr) == n.literal.as_bool();
  }
  if (v == nullptr) {
    return runtime_failure(invalid_path_cause(n.variable->text()));
  }
  switch (n.family) {
    case Family::IsNull:
      return v->is_null() == n.literal.as_bool();
    case Family::IsNumeric:
      return v->is_number() == n.literal.as_bool();
    case Family::IsString:
      return v->is_string() == n.literal.as_bool();
    case Family::IsBoolean:
      return v->is_bool() == n.literal.as_bool();
    case Family::IsTimestamp:
      return (v->is_string() && parse_instant(v->as_string()).has_value()) == n.literal.as_bool();
    case Family::Matches:
      return v->is_string() && n.glob.matches(v->as_string());
    default:
      break;
  }
  if (n.operand_path) {
    std::optional<json::Value> operand_holder;
    const json::Value* operand = n.operand_path->resolve(roots, operand_holder);
    if (operand == nullptr) {
      return runtime_failure(invalid_path_cause(n.operand_path->text()));
    }
    return compare_values(n, *v, *operand);
  }
  if (n.family == Family::Timestamp) {
    if (!v->is_string()) {
      return false;
    }
    auto a = parse_instant(v->as_string());
    return a && apply(n.cmp, *a < n.timestamp ? -1 : *a > n.timestamp ? 1 : 0);
  }
  return compare_values(n, *v, n.literal);
}

// ---- compilation ---------------------------------------------------------------------------

class Compiler {
 public:
  explicit Compiler(Diagnostics& d) : diags_(d) {}

  bool failed() const { return failed_; }

  std::optional<Node> rule(const json::Value& r, const std::string& loc, bool top_level,
                           int depth) {
    if (depth > kMaxDepth) {
      error("Choice rules are nested too deeply", loc);
      return std::nullopt;
    }
    if (!r.is_object()) {
      error("The value for the choice rule must be an OBJECT", loc);
      return std::nullopt;
    }
    const json::Value* variable = nullptr;
    std::vector<std::pair<const OperatorInfo*, const json::Value*>> operators;
    std::vector<const json::Member*> booleans;
    for (const json::Member& m : r.as_object()) {
      if (m.key == "Variable") {
        variable = &m.value;
      } else if (m.key == "And" || m.key == "Or" || m.key == "Not") {
        booleans.push_back(&m);
      } else if (const OperatorInfo* op = find_operator(m.key)) {
        operators.emplace_back(op, &m.value);
      } else if (m.key == "Comment" || (top_level && (m.key == "Next" || m.key == "Assign"))) {
        // Next and Assign belong to the Choice state's parser.
      } else {
        error("Field '" + m.key + "' is not supported", loc);
      }
    }
    if (operators.size() + booleans.size() != 1) {
      error("Exactly one comparison operator or one of the fields [And, Or, Not] must be present",
            loc);
      return std::nullopt;
    }
    if (!booleans.empty()) {
      if (variable != nullptr) {
        error("Field 'Variable' is not supported", loc);
      }
      return boolean(*booleans.front(), loc, depth);
    }
    const OperatorInfo& op = *operators.front().first;
    const json::Value& operand = *operators.front().second;
    Node n;
    n.family = op.family;
    n.cmp = op.cmp;
    if (variable == nullptr) {
      error("The field 'Variable' is required but was missing", loc);
    } else {
      n.variable = reference_path(*variable, "Variable", loc);
    }
    const std::string field(op.name);
    const std::string floc = loc + "/" + field;
    if (op.path) {
      n.operand_path = reference_path(operand, field, loc);
    } else {
      switch (op.family) {
        case Family::String:
        case Family::Matches:
          if (!operand.is_string()) {
            error("The value for the field '" + field + "' must be a STRING", floc);
          } else if (op.family == Family::Matches) {
            n.glob = Glob::compile(operand.as_string());
          }
          break;
        case Family::Numeric:
          if (!operand.is_number()) {
            error("The value for the field '" + field + "' must be a NUMBER", floc);
          }
          break;
        case Family::Timestamp:
          if (!operand.is_string()) {
            error("The value for the field '" + field + "' must be a STRING", floc);
          } else if (auto t = parse_instant(operand.as_string())) {
            n.timestamp = *t;
          } else {
            error("String does not match RFC3339 timestamp", floc);
          }
          break;
        default:  // BooleanEquals and the Is* tests
          if (!operand.is_bool()) {
            error("The value for the field '" + field + "' must be a BOOLEAN", floc);
          }
          break;
      }
      n.literal = operand;
    }
    return n;
  }

 private:
  std::optional<Node> boolean(const json::Member& m, const std::string& loc, int depth) {
    Node n;
    const std::string floc = loc + "/" + m.key;
    if (m.key == "Not") {
      n.kind = NodeKind::Not;
      if (auto c = rule(m.value, floc, false, depth + 1)) {
        n.children.push_back(std::move(*c));
      }
      return n;
    }
    n.kind = m.key == "And" ? NodeKind::And : NodeKind::Or;
    if (!m.value.is_array() || m.value.size() == 0) {
      error("The value for the field '" + m.key + "' must be a non-empty ARRAY", floc);
      return std::nullopt;
    }
    size_t i = 0;
    for (const json::Value& c : m.value.as_array()) {
      if (auto child = rule(c, floc + "/" + std::to_string(i), false, depth + 1)) {
        n.children.push_back(std::move(*child));
      }
      ++i;
    }
    return n;
  }

  std::optional<Accessor> reference_path(const json::Value& v, const std::string& field,
                                         const std::string& loc) {
    const std::string floc = loc + "/" + field;
    if (!v.is_string()) {
      error("The value for the field '" + field + "' must be a STRING", floc);
      return std::nullopt;
    }
    std::string_view text = v.as_string();
    if (text.empty() || text[0] != '$') {
      error("Value is not a Reference Path: Reference path didn't start with '$'", floc);
      return std::nullopt;
    }
    std::string why;
    std::optional<JsonPath> p = JsonPath::compile(text, &why);
    if (!p) {
      error("Value is not a Reference Path: " + why, floc);
      return std::nullopt;
    }
    if (!p->is_reference_path() || !p->is_definite()) {
      error("Value is not a Reference Path: only field names and array indexes are allowed", floc);
      return std::nullopt;
    }
    return Accessor(std::move(*p));
  }

  void error(std::string message, const std::string& loc) {
    add_schema_error(diags_, std::move(message), loc);
    failed_ = true;
  }

  Diagnostics& diags_;
  bool failed_ = false;
};

}  // namespace

struct Condition::Impl {
  Node root;
};

std::optional<Condition> Condition::compile(const json::Value& rule, std::string_view location,
                                            bool top_level, Diagnostics& diagnostics) {
  Compiler c(diagnostics);
  std::optional<Node> root = c.rule(rule, std::string(location), top_level, 0);
  if (!root || c.failed()) {
    return std::nullopt;
  }
  return Condition(std::make_shared<const Impl>(Impl{std::move(*root)}));
}

Outcome<bool> Condition::evaluate(const PathRoots& roots) const {
  return evaluate_node(impl_->root, roots);
}

Condition::Condition(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Condition::Condition(const Condition&) = default;
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(const Condition&) = default;
Condition& Condition::operator=(Condition&&) noexcept = default;
Condition::~Condition() = default;

}  // namespace signoff::asl
