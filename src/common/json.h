// Immutable-by-default JSON values with structural sharing.
//
// Why not Boost.JSON's value: the interpreter hands the same document to a state's input, its
// history event, the next state's input and the ResultPath merge. With deep-copying values every
// transition would copy the whole document several times. Here arrays and objects are
// reference-counted and copy-on-write: copying a Value is a refcount increment, and mutating one
// (set/push_back) clones only the top-level container when it is shared. Short strings (up to 14
// bytes) live inline, so most keys and small values need no allocation.
//
// Numbers keep the distinction JSON text makes: integers that fit int64 are Int, everything else is
// Double. Equality compares numbers by value and objects regardless of member order.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::json {

enum class Kind : uint8_t { Null, Bool, Int, Double, String, Array, Object };

struct Member;
class Value;

namespace detail {
struct StringRep;
struct ArrayRep;
struct ObjectRep;
}  // namespace detail

class Value {
 public:
  Value() noexcept : tag_(Tag::Null), sso_len_(0), i_(0) {}
  Value(std::nullptr_t) noexcept : Value() {}  // NOLINT(google-explicit-constructor)
  Value(bool b) noexcept : tag_(Tag::Bool), sso_len_(0), i_(0) { b_ = b; }  // NOLINT
  Value(int v) noexcept : Value(static_cast<int64_t>(v)) {}                 // NOLINT
  Value(int64_t v) noexcept : tag_(Tag::Int), sso_len_(0), i_(v) {}         // NOLINT
  Value(double v) noexcept : tag_(Tag::Double), sso_len_(0), d_(v) {}       // NOLINT
  Value(std::string_view s);                                                // NOLINT
  Value(const char* s) : Value(std::string_view(s)) {}                      // NOLINT
  Value(const std::string& s) : Value(std::string_view(s)) {}               // NOLINT
  // Pointers other than const char* must not silently become bool.
  template <typename T>
  Value(T*) = delete;

  // Overloads instead of default arguments: Member is incomplete here, which clang rejects.
  static Value array();
  static Value array(std::vector<Value> items);
  static Value object();
  static Value object(std::vector<Member> members);

  Value(const Value& other) noexcept;
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other) noexcept;
  Value& operator=(Value&& other) noexcept;
  ~Value();

  Kind kind() const noexcept;
  bool is_null() const noexcept { return tag_ == Tag::Null; }
  bool is_bool() const noexcept { return tag_ == Tag::Bool; }
  bool is_int() const noexcept { return tag_ == Tag::Int; }
  bool is_double() const noexcept { return tag_ == Tag::Double; }
  bool is_number() const noexcept { return tag_ == Tag::Int || tag_ == Tag::Double; }
  bool is_string() const noexcept { return tag_ == Tag::SmallString || tag_ == Tag::String; }
  bool is_array() const noexcept { return tag_ == Tag::Array; }
  bool is_object() const noexcept { return tag_ == Tag::Object; }

  // Accessors; calling one on the wrong kind is a programmer error (checked in debug builds).
  bool as_bool() const noexcept { return b_; }
  int64_t as_int() const noexcept { return i_; }
  double as_double() const noexcept { return tag_ == Tag::Int ? static_cast<double>(i_) : d_; }
  std::string_view as_string() const noexcept;
  std::span<const Value> as_array() const noexcept;
  std::span<const Member> as_object() const noexcept;

  // Elements of an array or members of an object; 0 for scalars.
  size_t size() const noexcept;
  // Object member by key, or nullptr when this is not an object or has no such member.
  const Value* find(std::string_view key) const noexcept;
  // Array element, or nullptr when out of range or not an array.
  const Value* at(size_t index) const noexcept;

  // Copy-on-write mutation: the container is cloned first when another Value shares it.
  std::vector<Value>& mutable_array();
  std::vector<Member>& mutable_object();
  void set(std::string_view key, Value v);  // replaces an existing member or appends
  bool erase(std::string_view key);
  void push_back(Value v);

  // Whether this handle is the only owner of its container (true for scalars).
  bool unique() const noexcept;

  friend bool operator==(const Value& a, const Value& b) noexcept;
  friend bool operator!=(const Value& a, const Value& b) noexcept { return !(a == b); }

 private:
  enum class Tag : uint8_t { Null, Bool, Int, Double, SmallString, String, Array, Object };
  static constexpr size_t kSmallMax = 14;

  void release() noexcept;
  void retain() const noexcept;
  char* small_chars() noexcept { return reinterpret_cast<char*>(this) + 2; }
  const char* small_chars() const noexcept { return reinterpret_cast<const char*>(this) + 2; }

  Tag tag_;
  uint8_t sso_len_;
  char pad_[6] = {};
  union {
    bool b_;
    int64_t i_;
    double d_;
    detail::StringRep* s_;
    detail::ArrayRep* a_;
    detail::ObjectRep* o_;
  };
};

static_assert(sizeof(Value) == 16, "Value must stay two words");

struct Member {
  std::string key;
  Value value;
};

// Parsing. Errors are values: ok() false with a message and the byte offset of the problem.
struct ParseResult {
  Value value;
  std::string error;  // empty on success
  size_t offset = 0;
  bool ok() const { return error.empty(); }
};
// Nesting deeper than max_depth is an error. The parser recurses once per level, about 0.45 KiB of
// native stack each (parse_object + parse_value at -O3), so the default bounds it near 230 KiB,
// safe on any thread; callers passing a larger max_depth must budget for that stack.
ParseResult parse(std::string_view text, size_t max_depth = 512);

// Compact serialization (no spaces), as Step Functions prints payloads.
std::string dump(const Value& v);
void dump_to(const Value& v, std::string& out);
// Serialized size in bytes without building the string (for payload limits).
size_t dumped_size(const Value& v);
// A double formatted the way the JVM-based AWS services print it: shortest round-trip digits,
// always with a fraction or exponent (1.0, 1.5E10).
void format_double(double d, std::string& out);
// Appends s as a JSON string literal (with quotes and escapes).
void quote_to(std::string_view s, std::string& out);

}  // namespace signoff::json
