// Internal value model of the JSONata evaluator.
//
// JSONata evaluates over JavaScript values: besides JSON it has `undefined`, functions, and
// arrays carrying hidden flags (a "sequence" collapses to its single item, a constructed array
// does not flatten, ...). Input documents stay json::Value (wrapped, never converted) so a path
// over a large input copies nothing but refcounts; arrays and objects built during evaluation are
// internal containers of Val.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/json.h"
#include "jsonata/pool.h"

namespace signoff::jsonata {

enum class Type : uint8_t { Undefined, Null, Bool, Number, String, Array, Object, Function };

// Array flags, mirroring the properties jsonata-js sets on JS arrays.
enum ArrayFlag : uint8_t {
  kSequence = 1,
  kKeepSingleton = 2,
  kOuterWrapper = 4,
  kTupleStream = 8,
  kCons = 16,
};

class Val;
struct Function;
// Sequences and argument lists: their buffers come from the evaluator's pool (pool.h).
using ValVec = std::vector<Val, PoolAlloc<Val>>;
// Members of internal objects and variables of frames, same pool.
using NamedVals = std::vector<std::pair<std::string, Val>, PoolAlloc<std::pair<std::string, Val>>>;

struct HeapObj {
  virtual ~HeapObj() = default;
};

// Releases `p`. When it is the last owner, the object is destroyed iteratively: containers,
// closures and frames nested in it are queued on a per-thread list instead of being destroyed
// from inside their parent's destructor, so a value nested 10^6 levels deep (which $reduce can
// build) is freed without recursing once per level on the native stack.
void release_deep(std::shared_ptr<HeapObj>& p) noexcept;

struct ArrayData;
struct ObjectData;

class Val {
 public:
  Val() = default;
  // Hands this value's container (if any) to release_deep (destructors of containers).
  void release_deep() noexcept {
    if (h_) {
      jsonata::release_deep(h_);
    }
  }
  static Val undefined() { return Val(); }
  static Val null() {
    Val v;
    v.type_ = Type::Null;
    return v;
  }
  static Val boolean(bool b) {
    Val v;
    v.type_ = Type::Bool;
    v.n_ = b ? 1 : 0;
    return v;
  }
  static Val number(double d) {
    Val v;
    v.type_ = Type::Number;
    v.n_ = d;
    return v;
  }
  static Val string(std::string_view s) {
    Val v;
    v.type_ = Type::String;
    v.j_ = json::Value(s);
    return v;
  }
  static Val from_json(const json::Value& j);
  static Val array(ValVec items = {}, uint8_t flags = 0);
  static Val sequence(ValVec items = {}) { return array(std::move(items), kSequence); }
  static Val range(double start, size_t len);
  static Val object(std::shared_ptr<ObjectData> data);
  static Val object() { return object(std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>())); }
  static Val function(std::shared_ptr<Function> fn);

  Type type() const { return type_; }
  bool is_undefined() const { return type_ == Type::Undefined; }
  bool is_null() const { return type_ == Type::Null; }
  bool is_bool() const { return type_ == Type::Bool; }
  bool is_number() const { return type_ == Type::Number; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }
  bool is_function() const { return type_ == Type::Function; }

  bool as_bool() const { return n_ != 0; }
  double as_number() const { return n_; }
  // Empty for non-strings, so library code never trips on an unexpected undefined argument.
  std::string_view as_string() const {
    return type_ == Type::String ? j_.as_string() : std::string_view();
  }

  // Arrays.
  uint8_t flags() const { return flags_; }
  bool has_flag(uint8_t f) const { return (flags_ & f) != 0; }
  void set_flag(uint8_t f) { flags_ |= f; }
  void clear_flag(uint8_t f) { flags_ &= static_cast<uint8_t>(~f); }
  bool is_sequence() const { return type_ == Type::Array && has_flag(kSequence); }
  size_t size() const;
  Val at(size_t i) const;
  // Internal array storage (converts a json-backed array on first use; clones when shared).
  ValVec& items();
  void push(Val v) { items().push_back(std::move(v)); }

  // Objects.
  bool json_backed() const { return !h_ && (type_ == Type::Array || type_ == Type::Object); }
  // The json::Value of a json-backed array or object, or of a string.
  const json::Value& json() const { return j_; }
  Val get(std::string_view key) const;  // undefined when absent
  bool has(std::string_view key) const;
  template <typename F>
  void for_each_member(F&& f) const;
  size_t object_size() const;
  // Mutable internal object storage (converts json-backed objects, clones when shared).
  ObjectData& obj();

  Function* fn() const;
  std::shared_ptr<Function> fn_ptr() const;

  // Identity of a container (JS reference equality), nullptr for scalars.
  const void* identity() const;

 private:
  Type type_ = Type::Undefined;
  uint8_t flags_ = 0;
  double n_ = 0;
  json::Value j_;
  std::shared_ptr<HeapObj> h_;
};

struct ArrayData final : HeapObj {
  ~ArrayData() override;
  ValVec items;
  // A range [a..b] stays lazy until something needs the elements (ranges may hold 10^7 numbers).
  bool is_range = false;
  double range_start = 0;
  size_t range_len = 0;
};

struct ObjectData final : HeapObj {
  ~ObjectData() override;
  NamedVals members;
  // Built once an object grows past a few members so grouping and lookups stay linear overall.
  std::unordered_map<std::string, size_t> index;
  const Val* find(std::string_view key) const;
  void set(std::string key, Val v);
  // set() for a key known to be absent (no search for an existing member).
  void add_new(std::string key, Val v);
  bool erase(std::string_view key);
};

template <typename F>
void Val::for_each_member(F&& f) const {
  if (type_ != Type::Object) {
    return;
  }
  if (h_) {
    for (const auto& [k, v] : static_cast<const ObjectData*>(h_.get())->members) {
      f(std::string_view(k), v);
    }
  } else {
    for (const auto& m : j_.as_object()) {
      f(std::string_view(m.key), from_json(m.value));
    }
  }
}

// JSON conversion of a result (functions become "" like JSON.stringify with jsonata's replacer is
// not applied here: they are dropped from objects and become null in arrays).
json::Value to_json(const Val& v);

// JavaScript Number-to-String.
std::string number_to_string(double d);
// JSON.stringify with jsonata's replacer (numbers to 15 significant digits, functions as "").
// Throws D1001 on non-finite numbers.
void stringify(const Val& v, bool pretty, std::string& out, int indent = 0);

bool deep_equal(const Val& a, const Val& b);
// JS strict equality (containers by identity).
bool strict_equal(const Val& a, const Val& b);

}  // namespace signoff::jsonata
