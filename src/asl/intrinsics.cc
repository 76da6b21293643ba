// States.* intrinsic functions.
//
// A call is parsed once into a tree (literals, compiled JsonPaths, nested calls). Argument counts
// are checked when the definition is loaded, as AWS does; argument types and values are checked
// when the call runs and fail with States.Runtime "Invalid arguments in States.<Name>".
//
// Numeric arguments follow what AWS does, which is not always what its guide says: MathAdd rounds
// half up (Java Math.round), while ArrayPartition, ArrayRange, ArrayGetItem and MathRandom
// truncate fractions toward zero. A seeded MathRandom reproduces java.util.Random so the same
// seed gives AWS's number.
#include "asl/intrinsics.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <openssl/evp.h>

#include "asl/jsonpath_internal.h"

namespace signoff::asl {
namespace {

constexpr int kMaxCallDepth = 10;          // AWS: up to 10 nested intrinsic functions
constexpr size_t kMaxStringChars = 10000;  // Base64Encode/Decode and Hash inputs
constexpr int64_t kMaxRangeItems = 1000;

enum class Fn : uint8_t {
  Format,
  StringToJson,
  JsonToString,
  Array,
  ArrayPartition,
  ArrayContains,
  ArrayRange,
  ArrayGetItem,
  ArrayLength,
  ArrayUnique,
  Base64Encode,
  Base64Decode,
  Hash,
  JsonMerge,
  MathRandom,
  MathAdd,
  StringSplit,
  Uuid,
};

struct FnInfo {
  std::string_view name;
  Fn fn;
  size_t min_args;
  size_t max_args;
};

constexpr size_t kVariadic = std::numeric_limits<size_t>::max();

constexpr FnInfo kFunctions[] = {
    {"States.Format", Fn::Format, 1, kVariadic},
    {"States.StringToJson", Fn::StringToJson, 1, 1},
    {"States.JsonToString", Fn::JsonToString, 1, 1},
    {"States.Array", Fn::Array, 0, kVariadic},
    {"States.ArrayPartition", Fn::ArrayPartition, 2, 2},
    {"States.ArrayContains", Fn::ArrayContains, 2, 2},
    {"States.ArrayRange", Fn::ArrayRange, 3, 3},
    {"States.ArrayGetItem", Fn::ArrayGetItem, 2, 2},
    {"States.ArrayLength", Fn::ArrayLength, 1, 1},
    {"States.ArrayUnique", Fn::ArrayUnique, 1, 1},
    {"States.Base64Encode", Fn::Base64Encode, 1, 1},
    {"States.Base64Decode", Fn::Base64Decode, 1, 1},
    {"States.Hash", Fn::Hash, 2, 2},
    {"States.JsonMerge", Fn::JsonMerge, 3, 3},
    {"States.MathRandom", Fn::MathRandom, 2, 3},
    {"States.MathAdd", Fn::MathAdd, 2, 2},
    {"States.StringSplit", Fn::StringSplit, 2, 2},
    {"States.UUID", Fn::Uuid, 0, 0},
};

// A States.Format template split at its `{}` placeholders. `valid` is false when the template
// has a brace that is neither escaped nor part of `{}`; AWS fails such calls when they run.
struct FormatTemplate {
  std::vector<std::string> pieces;  // pieces.size() == placeholders + 1
  bool valid = true;
};

struct Call;

struct Arg {
  enum class Kind : uint8_t { Literal, Path, Call };
  Kind kind = Kind::Literal;
  json::Value literal;
  std::optional<JsonPath> path;
  std::shared_ptr<const Call> call;
};

struct Call {
  const FnInfo* info = nullptr;
  std::vector<Arg> args;
  // States.Format with a literal template: split once at compile time.
  std::optional<FormatTemplate> literal_template;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// --------------------------------------------------------------------------------------------
// Parsing
// --------------------------------------------------------------------------------------------

class CallParser {
 public:
  explicit CallParser(std::string_view text) : text_(text) {}

  bool parse(Call& out) {
    skip_spaces();
    if (!parse_call(out, 1)) {
      return false;
    }
    skip_spaces();
    if (pos_ != text_.size()) {
      return fail("Unexpected text after the intrinsic function call at position " +
                  std::to_string(pos_));
    }
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skip_spaces() {
    while (!at_end() && is_space(peek())) {
      ++pos_;
    }
  }
  bool fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
    }
    return false;
  }

  bool parse_call(Call& out, int depth) {
    if (depth > kMaxCallDepth) {
      return fail("Intrinsic functions can be nested at most " + std::to_string(kMaxCallDepth) +
                  " deep");
    }
    size_t start = pos_;
    if (text_.substr(pos_, 7) != "States.") {
      return fail("Expected an intrinsic function at position " + std::to_string(pos_));
    }
    pos_ += 7;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) != 0)) {
      ++pos_;
    }
    std::string_view name = text_.substr(start, pos_ - start);
    for (const FnInfo& info : kFunctions) {
      if (info.name == name) {
        out.info = &info;
      }
    }
    if (out.info == nullptr) {
      return fail("Unknown intrinsic function " + std::string(name));
    }
    skip_spaces();
    if (at_end() || peek() != '(') {
      return fail("Expected '(' after " + std::string(name));
    }
    ++pos_;
    skip_spaces();
    if (!at_end() && peek() == ')') {
      ++pos_;
    } else {
      while (true) {
        Arg arg;
        std::optional<FormatTemplate> tmpl;
        if (!parse_arg(arg, depth, out.args.empty() ? &tmpl : nullptr)) {
          return false;
        }
        if (tmpl && out.info->fn == Fn::Format) {
          out.literal_template = std::move(tmpl);
        }
        out.args.push_back(std::move(arg));
        skip_spaces();
        if (at_end()) {
          return fail("Missing ')' closing " + std::string(name));
        }
        if (peek() == ',') {
          ++pos_;
          skip_spaces();
          continue;
        }
        if (peek() == ')') {
          ++pos_;
          break;
        }
        return fail("Expected ',' or ')' at position " + std::to_string(pos_));
      }
    }
    if (out.args.size() < out.info->min_args || out.args.size() > out.info->max_args) {
      return fail("Invalid number of arguments for " + std::string(name));
    }
    return true;
  }

  bool parse_arg(Arg& out, int depth, std::optional<FormatTemplate>* tmpl) {
    if (at_end()) {
      return fail("Missing argument");
    }
    char c = peek();
    if (c == '\'') {
      out.kind = Arg::Kind::Literal;
      return parse_string(out.literal, tmpl);
    }
    if (c == '$') {
      size_t start = pos_;
      jsonpath_detail::PathCore core;
      size_t end = 0;
      std::string error;
      if (!jsonpath_detail::parse_path_prefix(text_, start, core, &end, &error)) {
        return fail("Invalid path argument: " + error);
      }
      pos_ = end;
      std::optional<JsonPath> path = JsonPath::compile(text_.substr(start, end - start), &error);
      if (!path) {
        return fail("Invalid path argument: " + error);
      }
      out.kind = Arg::Kind::Path;
      out.path = std::move(path);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = pos_;
      ++pos_;
      while (!at_end()) {
        char d = peek();
        if ((d >= '0' && d <= '9') || d == '.' || d == 'e' || d == 'E' || d == '+' || d == '-') {
          ++pos_;
        } else {
          break;
        }
      }
      json::ParseResult r = json::parse(text_.substr(start, pos_ - start));
      if (!r.ok() || !r.value.is_number()) {
        return fail("Invalid number at position " + std::to_string(start));
      }
      out.kind = Arg::Kind::Literal;
      out.literal = std::move(r.value);
      return true;
    }
    if (text_.substr(pos_, 7) == "States.") {
      auto call = std::make_shared<Call>();
      if (!parse_call(*call, depth + 1)) {
        return false;
      }
      out.kind = Arg::Kind::Call;
      out.call = std::move(call);
      return true;
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        size_t after = pos_ + word.size();
        if (after < text_.size() && std::isalnum(static_cast<unsigned char>(text_[after])) != 0) {
          break;
        }
        pos_ = after;
        out.kind = Arg::Kind::Literal;
        out.literal = word == "true"    ? json::Value(true)
                      : word == "false" ? json::Value(false)
                                        : json::Value();
        return true;
      }
    }
    return fail("Invalid argument at position " + std::to_string(pos_));
  }

  // A single-quoted literal. Only \' \{ \} \\ are escapes; any other backslash makes the
  // definition invalid (AWS's ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION case).
  bool parse_string(json::Value& out, std::optional<FormatTemplate>* tmpl) {
    ++pos_;  // opening quote
    std::string s;
    FormatTemplate t;
    t.pieces.emplace_back();
    while (true) {
      if (at_end()) {
        return fail("String literal is not closed");
      }
      char c = peek();
      if (c == '\'') {
        ++pos_;
        break;
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) {
          return fail("Open escape at the end of a string literal");
        }
        char e = text_[pos_ + 1];
        if (e != '\'' && e != '{' && e != '}' && e != '\\') {
          return fail("Invalid escape sequence '\\" + std::string(1, e) + "' in string literal");
        }
        s.push_back(e);
        t.pieces.back().push_back(e);
        pos_ += 2;
        continue;
      }
      if (c == '{' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '}') {
        s += "{}";
        t.pieces.emplace_back();
        pos_ += 2;
        continue;
      }
      if (c == '{' || c == '}') {
        t.valid = false;
      }
      s.push_back(c);
      t.pieces.back().push_back(c);
      ++pos_;
    }
    out = json::Value(s);
    if (tmpl != nullptr) {
      *tmpl = std::move(t);
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

// --------------------------------------------------------------------------------------------
// Evaluation helpers
// --------------------------------------------------------------------------------------------

Failure invalid_arguments(const Call& c) {
  return runtime_failure("Invalid arguments in " + std::string(c.info->name));
}

// Java's Object.toString() of the Jackson/Map model AWS formats with: strings raw, maps as
// {k=v, k2=v2}, lists as [a, b].
void java_to_string(const json::Value& v, std::string& out, int depth) {
  if (depth > 600) {
    return;
  }
  switch (v.kind()) {
    case json::Kind::String:
      out.append(v.as_string());
      return;
    case json::Kind::Array: {
      out.push_back('[');
      bool first = true;
      for (const json::Value& item : v.as_array()) {
        if (!first) {
          out += ", ";
        }
        first = false;
        java_to_string(item, out, depth + 1);
      }
      out.push_back(']');
      return;
    }
    case json::Kind::Object: {
      out.push_back('{');
      bool first = true;
      for (const json::Member& m : v.as_object()) {
        if (!first) {
          out += ", ";
        }
        first = false;
        out += m.key;
        out.push_back('=');
        java_to_string(m.value, out, depth + 1);
      }
      out.push_back('}');
      return;
    }
    default:
      json::dump_to(v, out);
      return;
  }
}

FormatTemplate split_template(std::string_view s) {
  FormatTemplate t;
  t.pieces.emplace_back();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '}') {
      t.pieces.emplace_back();
      ++i;
      continue;
    }
    if (s[i] == '{' || s[i] == '}') {
      t.valid = false;
    }
    t.pieces.back().push_back(s[i]);
  }
  return t;
}

// A number with its fraction dropped toward zero; false for non-numbers and huge values.
bool truncated(const json::Value& v, int64_t* out) {
  if (v.is_int()) {
    *out = v.as_int();
    return true;
  }
  if (!v.is_double() || !std::isfinite(v.as_double())) {
    return false;
  }
  double t = std::trunc(v.as_double());
  if (t < -9.2e18 || t > 9.2e18) {
    return false;
  }
  *out = static_cast<int64_t>(t);
  return true;
}

// A number rounded like Java's Math.round: floor(x + 0.5).
bool rounded(const json::Value& v, int64_t* out) {
  if (v.is_int()) {
    *out = v.as_int();
    return true;
  }
  if (!v.is_double() || !std::isfinite(v.as_double())) {
    return false;
  }
  double r = std::floor(v.as_double() + 0.5);
  if (r < -9.2e18 || r > 9.2e18) {
    return false;
  }
  *out = static_cast<int64_t>(r);
  return true;
}

bool in_int32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
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

// Decoded bytes as Java's new String(bytes, UTF_8) sees them: malformed sequences become U+FFFD.
std::string sanitize_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  auto cont = [&](size_t k) {
    return k < in.size() && (static_cast<unsigned char>(in[k]) & 0xC0) == 0x80;
  };
  while (i < in.size()) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) {
      len = 2;
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(in[i + 1]) & 0x3Fu);
    } else if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2)) {
      len = 3;
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(in[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(in[i + 2]) & 0x3Fu);
      if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) {
        len = 0;
      }
    } else if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
      len = 4;
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(in[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(in[i + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(in[i + 3]) & 0x3Fu);
      if (cp < 0x10000 || cp > 0x10FFFF) {
        len = 0;
      }
    }
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(in.substr(i, len));
    i += len;
  }
  return out;
}

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(kBase64Alphabet[(n >> 6) & 63]);
    out.push_back(kBase64Alphabet[n & 63]);
  }
  size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) {
      n |= static_cast<unsigned char>(in[i + 1]) << 8;
    }
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// Java's Base64.getDecoder(): standard alphabet, padding optional but correct when present.
std::optional<std::string> base64_decode(std::string_view in) {
  size_t len = in.size();
  size_t pad = 0;
  while (len > 0 && in[len - 1] == '=' && pad < 2) {
    --len;
    ++pad;
  }
  if (pad > 0 && (len + pad) % 4 != 0) {
    return std::nullopt;
  }
  if (len % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(len * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; ++i) {
    char c = in[i];
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<std::string> digest_hex(std::string_view algorithm, std::string_view data) {
  const EVP_MD* md = nullptr;
  if (algorithm == "MD5") {
    md = EVP_md5();
  } else if (algorithm == "SHA-1") {
    md = EVP_sha1();
  } else if (algorithm == "SHA-256") {
    md = EVP_sha256();
  } else if (algorithm == "SHA-384") {
    md = EVP_sha384();
  } else if (algorithm == "SHA-512") {
    md = EVP_sha512();
  } else {
    return std::nullopt;
  }
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), buf, &n, md, nullptr) != 1) {
    return std::nullopt;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kHex[buf[i] >> 4]);
    out.push_back(kHex[buf[i] & 15]);
  }
  return out;
}

// Key for ArrayUnique: JSON with object members sorted, so {"a":1,"b":2} and {"b":2,"a":1} are
// the same item (Jackson's ObjectNode equality) while 1 and 1.0 stay different.
void canonical(const json::Value& v, std::string& out, int depth) {
  if (depth > 600) {
    return;
  }
  if (v.is_array()) {
    out.push_back('[');
    for (const json::Value& item : v.as_array()) {
      canonical(item, out, depth + 1);
      out.push_back(',');
    }
    out.push_back(']');
  } else if (v.is_object()) {
    std::vector<const json::Member*> members;
    members.reserve(v.size());
    for (const json::Member& m : v.as_object()) {
      members.push_back(&m);
    }
    std::sort(members.begin(), members.end(),
              [](const json::Member* a, const json::Member* b) { return a->key < b->key; });
    out.push_back('{');
    for (const json::Member* m : members) {
      json::quote_to(m->key, out);
      out.push_back(':');
      canonical(m->value, out, depth + 1);
      out.push_back(',');
    }
    out.push_back('}');
  } else {
    json::dump_to(v, out);
  }
}

// java.util.Random(seed).nextInt(bound).
int32_t java_random_next_int(int64_t seed, int32_t bound) {
  constexpr uint64_t kMultiplier = 0x5DEECE66DULL;
  constexpr uint64_t kMask = (1ULL << 48) - 1;
  uint64_t state = (static_cast<uint64_t>(seed) ^ kMultiplier) & kMask;
  auto next31 = [&]() {
    state = (state * kMultiplier + 0xBULL) & kMask;
    return static_cast<int32_t>(state >> 17);
  };
  if ((bound & -bound) == bound) {
    return static_cast<int32_t>((static_cast<int64_t>(bound) * next31()) >> 31);
  }
  int32_t bits, val;
  do {
    bits = next31();
    val = bits % bound;
  } while (static_cast<int64_t>(bits) - val + (bound - 1) > std::numeric_limits<int32_t>::max());
  return val;
}

struct EvalEnv {
  const PathRoots& roots;
  Entropy& entropy;
  std::string_view field;
};

Outcome<json::Value> eval_call(const Call& c, EvalEnv& env);

Failure path_not_found(const JsonPath& path, const EvalEnv& env) {
  const json::Value* root = nullptr;
  switch (path.root()) {
    case JsonPath::Root::Input:
      root = env.roots.input;
      break;
    case JsonPath::Root::Context:
      root = env.roots.context;
      break;
    case JsonPath::Root::Variable:
      root =
          env.roots.variables != nullptr ? env.roots.variables->lookup(path.variable()) : nullptr;
      if (root == nullptr) {
        root = env.roots.input;
      }
      break;
  }
  std::string cause = "The JSONPath '" + path.text() + "'";
  if (!env.field.empty()) {
    cause += " specified for the field '";
    cause += env.field;
    cause += "'";
  }
  cause += " could not be found in the input '";
  if (root != nullptr) {
    json::dump_to(*root, cause);
  } else {
    cause += "null";
  }
  cause += "'";
  return runtime_failure(std::move(cause));
}

Outcome<json::Value> eval_arg(const Arg& a, EvalEnv& env) {
  switch (a.kind) {
    case Arg::Kind::Literal:
      return a.literal;
    case Arg::Kind::Path: {
      std::optional<json::Value> v = a.path->select(env.roots);
      if (!v) {
        return path_not_found(*a.path, env);
      }
      return std::move(*v);
    }
    case Arg::Kind::Call:
      return eval_call(*a.call, env);
  }
  return json::Value();
}

Outcome<json::Value> run(const Call& c, std::span<const json::Value> args, EvalEnv& env) {
  auto bad = [&]() -> Outcome<json::Value> {
    return invalid_arguments(c);
  };
  switch (c.info->fn) {
    case Fn::Format: {
      if (!args[0].is_string()) {
        return bad();
      }
      FormatTemplate runtime;
      const FormatTemplate* t = nullptr;
      if (c.literal_template && c.args[0].kind == Arg::Kind::Literal) {
        t = &*c.literal_template;
      } else {
        runtime = split_template(args[0].as_string());
        t = &runtime;
      }
      if (!t->valid || t->pieces.size() != args.size()) {
        return bad();
      }
      std::string out = t->pieces[0];
      for (size_t i = 1; i < args.size(); ++i) {
        java_to_string(args[i], out, 0);
        out += t->pieces[i];
      }
      return json::Value(out);
    }
    case Fn::StringToJson: {
      if (!args[0].is_string()) {
        return bad();
      }
      std::string_view s = args[0].as_string();
      size_t b = 0, e = s.size();
      while (b < e && is_space(s[b])) {
        ++b;
      }
      while (e > b && is_space(s[e - 1])) {
        --e;
      }
      if (b == e) {
        return json::Value();
      }
      json::ParseResult r = json::parse(s.substr(b, e - b));
      if (!r.ok()) {
        return bad();
      }
      return std::move(r.value);
    }
    case Fn::JsonToString:
      return json::Value(json::dump(args[0]));
    case Fn::Array:
      return json::Value::array(std::vector<json::Value>(args.begin(), args.end()));
    case Fn::ArrayPartition: {
      int64_t size = 0;
      if (!args[0].is_array() || !truncated(args[1], &size) || size <= 0) {
        return bad();
      }
      auto items = args[0].as_array();
      std::vector<json::Value> chunks;
      size_t chunk =
          static_cast<size_t>(std::min<int64_t>(size, static_cast<int64_t>(items.size()) + 1));
      for (size_t i = 0; i < items.size(); i += chunk) {
        size_t end = std::min(items.size(), i + chunk);
        chunks.push_back(json::Value::array(
            std::vector<json::Value>(items.begin() + static_cast<std::ptrdiff_t>(i),
                                     items.begin() + static_cast<std::ptrdiff_t>(end))));
      }
      return json::Value::array(std::move(chunks));
    }
    case Fn::ArrayContains: {
      if (!args[0].is_array()) {
        return bad();
      }
      for (const json::Value& item : args[0].as_array()) {
        if (item == args[1]) {
          return json::Value(true);
        }
      }
      return json::Value(false);
    }
    case Fn::ArrayRange: {
      int64_t from = 0, to = 0, step = 0;
      if (!truncated(args[0], &from) || !truncated(args[1], &to) || !truncated(args[2], &step) ||
          step == 0 || !in_int32(from) || !in_int32(to) || !in_int32(step)) {
        return bad();
      }
      int64_t count = 0;
      if (from == to) {
        count = 1;
      } else if ((to > from) == (step > 0)) {
        count = (to - from) / step + 1;
      }
      if (count > kMaxRangeItems) {
        return bad();
      }
      std::vector<json::Value> items;
      items.reserve(static_cast<size_t>(count));
      for (int64_t k = 0; k < count; ++k) {
        items.emplace_back(from + k * step);
      }
      return json::Value::array(std::move(items));
    }
    case Fn::ArrayGetItem: {
      int64_t index = 0;
      if (!args[0].is_array() || !truncated(args[1], &index) || index < 0) {
        return bad();
      }
      if (args[0].size() == 0) {
        return json::Value();  // what AWS returns for any index into []
      }
      if (static_cast<uint64_t>(index) >= args[0].size()) {
        return bad();
      }
      return args[0].as_array()[static_cast<size_t>(index)];
    }
    case Fn::ArrayLength:
      if (!args[0].is_array()) {
        return bad();
      }
      return json::Value(static_cast<int64_t>(args[0].size()));
    case Fn::ArrayUnique: {
      if (!args[0].is_array()) {
        return bad();
      }
      std::unordered_set<std::string> seen;
      std::vector<json::Value> out;
      std::string key;
      for (const json::Value& item : args[0].as_array()) {
        key.clear();
        canonical(item, key, 0);
        if (seen.insert(key).second) {
          out.push_back(item);
        }
      }
      return json::Value::array(std::move(out));
    }
    case Fn::Base64Encode:
      if (!args[0].is_string() || utf16_length(args[0].as_string()) > kMaxStringChars) {
        return bad();
      }
      return json::Value(base64_encode(args[0].as_string()));
    case Fn::Base64Decode: {
      if (!args[0].is_string() || args[0].as_string().size() > kMaxStringChars) {
        return bad();
      }
      std::optional<std::string> bytes = base64_decode(args[0].as_string());
      if (!bytes) {
        return bad();
      }
      return json::Value(sanitize_utf8(*bytes));
    }
    case Fn::Hash: {
      if (!args[1].is_string() || args[0].is_null()) {
        return bad();
      }
      std::string data =
          args[0].is_string() ? std::string(args[0].as_string()) : json::dump(args[0]);
      if (utf16_length(data) > kMaxStringChars) {
        return bad();
      }
      std::optional<std::string> hex = digest_hex(args[1].as_string(), data);
      if (!hex) {
        return bad();
      }
      return json::Value(*hex);
    }
    case Fn::JsonMerge: {
      if (!args[0].is_object() || !args[1].is_object() ||
          (args[2].is_bool() && args[2].as_bool())) {
        return bad();
      }
      json::Value merged = args[0];
      for (const json::Member& m : args[1].as_object()) {
        merged.set(m.key, m.value);
      }
      return merged;
    }
    case Fn::MathRandom: {
      int64_t from = 0, to = 0;
      if (!truncated(args[0], &from) || !truncated(args[1], &to) || !in_int32(from) ||
          !in_int32(to) || from >= to) {
        return bad();
      }
      // Java computes the bound in int arithmetic; a range wider than int32 is refused there.
      int64_t bound = to - from;
      if (bound > std::numeric_limits<int32_t>::max()) {
        return bad();
      }
      if (args.size() == 3) {
        int64_t seed = 0;
        if (!truncated(args[2], &seed)) {
          return bad();
        }
        return json::Value(from + java_random_next_int(seed, static_cast<int32_t>(bound)));
      }
      // Unseeded: uniform without modulo bias, from the injected entropy.
      uint64_t range = static_cast<uint64_t>(bound);
      uint64_t limit =
          std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
      uint64_t r;
      do {
        r = env.entropy.next_u64();
      } while (r >= limit);
      return json::Value(from + static_cast<int64_t>(r % range));
    }
    case Fn::MathAdd: {
      int64_t a = 0, b = 0;
      if (!rounded(args[0], &a) || !rounded(args[1], &b) || !in_int32(a) || !in_int32(b) ||
          !in_int32(a + b)) {
        return bad();
      }
      return json::Value(a + b);
    }
    case Fn::StringSplit: {
      if (!args[0].is_string() || !args[1].is_string()) {
        return bad();
      }
      std::string_view s = args[0].as_string();
      std::string_view delims = args[1].as_string();
      // Java StringTokenizer: every character of the second argument is a delimiter and empty
      // tokens are dropped. Multi-byte delimiters are matched as whole UTF-8 sequences.
      auto seq_len = [](unsigned char lead) -> size_t {
        return lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      };
      auto is_delim = [&](size_t i, size_t len) {
        std::string_view ch = s.substr(i, len);
        for (size_t k = 0; k < delims.size();) {
          size_t dl = seq_len(static_cast<unsigned char>(delims[k]));
          if (delims.substr(k, dl) == ch) {
            return true;
          }
          k += dl;
        }
        return false;
      };
      std::vector<json::Value> tokens;
      size_t start = 0;
      size_t i = 0;
      while (i < s.size()) {
        size_t len = std::min(seq_len(static_cast<unsigned char>(s[i])), s.size() - i);
        if (is_delim(i, len)) {
          if (i > start) {
            tokens.emplace_back(s.substr(start, i - start));
          }
          start = i + len;
        }
        i += len;
      }
      if (s.size() > start) {
        tokens.emplace_back(s.substr(start));
      }
      return json::Value::array(std::move(tokens));
    }
    case Fn::Uuid: {
      uint64_t hi = env.entropy.next_u64();
      uint64_t lo = env.entropy.next_u64();
      hi = (hi & ~0xF000ULL) | 0x4000ULL;                         // version 4
      lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // IETF variant
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out;
      out.reserve(36);
      for (int i = 15; i >= 0; --i) {
        out.push_back(kHex[(hi >> (i * 4)) & 15]);
        if (i == 8 || i == 4) {
          out.push_back('-');
        }
      }
      out.push_back('-');
      for (int i = 15; i >= 0; --i) {
        out.push_back(kHex[(lo >> (i * 4)) & 15]);
        if (i == 12) {
          out.push_back('-');
        }
      }
      return json::Value(out);
    }
  }
  return bad();
}

Outcome<json::Value> eval_call(const Call& c, EvalEnv& env) {
  constexpr size_t kInline = 4;
  size_t n = c.args.size();
  std::array<json::Value, kInline> inline_args;
  std::vector<json::Value> heap_args;
  json::Value* argv = inline_args.data();
  if (n > kInline) {
    heap_args.resize(n);
    argv = heap_args.data();
  }
  for (size_t i = 0; i < n; ++i) {
    Outcome<json::Value> v = eval_arg(c.args[i], env);
    if (!v.ok()) {
      return std::move(v.failure());
    }
    argv[i] = std::move(v.value());
  }
  return run(c, std::span<const json::Value>(argv, n), env);
}

}  // namespace

bool is_intrinsic_call(std::string_view text) {
  return text.starts_with("States.");
}

struct Intrinsic::Impl {
  std::string text;
  Call call;
};

Intrinsic::Intrinsic(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Intrinsic::Intrinsic(const Intrinsic&) = default;
Intrinsic::Intrinsic(Intrinsic&&) noexcept = default;
Intrinsic& Intrinsic::operator=(const Intrinsic&) = default;
Intrinsic& Intrinsic::operator=(Intrinsic&&) noexcept = default;
Intrinsic::~Intrinsic() = default;

std::optional<Intrinsic> Intrinsic::compile(std::string_view text, std::string* error) {
  auto impl = std::make_shared<Impl>();
  impl->text.assign(text);
  CallParser parser(text);
  if (!parser.parse(impl->call)) {
    if (error != nullptr) {
      *error = parser.error();
    }
    return std::nullopt;
  }
  return Intrinsic(std::move(impl));
}

const std::string& Intrinsic::text() const {
  return impl_->text;
}

Outcome<json::Value> Intrinsic::eval(const PathRoots& roots, Entropy& entropy) const {
  return eval(roots, entropy, std::string_view());
}

Outcome<json::Value> Intrinsic::eval(const PathRoots& roots, Entropy& entropy,
                                     std::string_view field) const {
  EvalEnv env{roots, entropy, field};
  return eval_call(impl_->call, env);
}

}  // namespace signoff::asl
