#include "jsonata/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "jsonata/runtime.h"
#include "jsonata/stack.h"

namespace signoff::jsonata {

namespace {
// Objects whose destruction was deferred by release_deep; non-null while a drain is running.
thread_local std::vector<std::shared_ptr<HeapObj>>* t_pending = nullptr;
}  // namespace

void release_deep(std::shared_ptr<HeapObj>& p) noexcept {
  if (!p) {
    return;
  }
  if (p.use_count() != 1) {
    p.reset();  // another owner keeps it alive: no destructor runs here
    return;
  }
  if (t_pending != nullptr) {
    t_pending->push_back(std::move(p));
    return;
  }
  std::vector<std::shared_ptr<HeapObj>> pending;
  t_pending = &pending;
  pending.push_back(std::move(p));
  while (!pending.empty()) {
    std::shared_ptr<HeapObj> next = std::move(pending.back());
    pending.pop_back();
    next.reset();  // its destructor queues its own children on `pending`
  }
  t_pending = nullptr;
}

ArrayData::~ArrayData() {
  for (Val& v : items) {
    v.release_deep();
  }
}

ObjectData::~ObjectData() {
  for (auto& m : members) {
    m.second.release_deep();
  }
}

Frame::~Frame() {
  std::shared_ptr<HeapObj> p = std::move(parent);
  release_deep(p);
  for (auto& var : vars) {
    var.second.release_deep();
  }
}

Function::~Function() {
  std::shared_ptr<HeapObj> heap[] = {std::move(env), std::move(target), std::move(first),
                                     std::move(second)};
  for (auto& p : heap) {
    release_deep(p);
  }
  input.release_deep();
  for (auto& b : bound) {
    if (b) {
      b->release_deep();
    }
  }
}

const Val* ObjectData::find(std::string_view key) const {
  if (!index.empty()) {
    auto it = index.find(std::string(key));
    return it == index.end() ? nullptr : &members[it->second].second;
  }
  for (const auto& m : members) {
    if (m.first == key) {
      return &m.second;
    }
  }
  return nullptr;
}

void ObjectData::set(std::string key, Val v) {
  if (!index.empty()) {
    auto it = index.find(key);
    if (it != index.end()) {
      members[it->second].second = std::move(v);
      return;
    }
    index.emplace(key, members.size());
    members.emplace_back(std::move(key), std::move(v));
    return;
  }
  for (auto& m : members) {
    if (m.first == key) {
      m.second = std::move(v);
      return;
    }
  }
  members.emplace_back(std::move(key), std::move(v));
  if (members.size() > 16) {
    for (size_t i = 0; i < members.size(); ++i) {
      index.emplace(members[i].first, i);
    }
  }
}

void ObjectData::add_new(std::string key, Val v) {
  if (!index.empty()) {
    index.emplace(key, members.size());
  }
  members.emplace_back(std::move(key), std::move(v));
  if (index.empty() && members.size() > 16) {
    for (size_t i = 0; i < members.size(); ++i) {
      index.emplace(members[i].first, i);
    }
  }
}

bool ObjectData::erase(std::string_view key) {
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].first == key) {
      members.erase(members.begin() + static_cast<std::ptrdiff_t>(i));
      if (!index.empty()) {
        index.clear();
        for (size_t k = 0; k < members.size(); ++k) {
          index.emplace(members[k].first, k);
        }
      }
      return true;
    }
  }
  return false;
}

Val Val::from_json(const json::Value& j) {
  Val v;
  switch (j.kind()) {
    case json::Kind::Null:
      v.type_ = Type::Null;
      break;
    case json::Kind::Bool:
      v.type_ = Type::Bool;
      v.n_ = j.as_bool() ? 1 : 0;
      break;
    case json::Kind::Int:
    case json::Kind::Double:
      v.type_ = Type::Number;
      v.n_ = j.as_double();
      break;
    case json::Kind::String:
      v.type_ = Type::String;
      v.j_ = j;
      break;
    case json::Kind::Array:
      v.type_ = Type::Array;
      v.j_ = j;
      break;
    case json::Kind::Object:
      v.type_ = Type::Object;
      v.j_ = j;
      break;
  }
  return v;
}

Val Val::array(ValVec items, uint8_t flags) {
  Val v;
  v.type_ = Type::Array;
  v.flags_ = flags;
  auto data = std::allocate_shared<ArrayData>(PoolAlloc<ArrayData>());
  data->items = std::move(items);
  v.h_ = std::move(data);
  return v;
}

Val Val::range(double start, size_t len) {
  Val v;
  v.type_ = Type::Array;
  v.flags_ = kSequence;
  auto data = std::allocate_shared<ArrayData>(PoolAlloc<ArrayData>());
  data->is_range = true;
  data->range_start = start;
  data->range_len = len;
  v.h_ = std::move(data);
  return v;
}

Val Val::object(std::shared_ptr<ObjectData> data) {
  Val v;
  v.type_ = Type::Object;
  v.h_ = std::move(data);
  return v;
}

Val Val::function(std::shared_ptr<Function> fn) {
  Val v;
  v.type_ = Type::Function;
  v.h_ = std::move(fn);
  return v;
}

Function* Val::fn() const {
  return type_ == Type::Function ? static_cast<Function*>(h_.get()) : nullptr;
}

std::shared_ptr<Function> Val::fn_ptr() const {
  if (type_ != Type::Function) {
    return nullptr;
  }
  return std::static_pointer_cast<Function>(h_);
}

size_t Val::size() const {
  if (type_ != Type::Array) {
    return 0;
  }
  if (h_) {
    const auto* a = static_cast<const ArrayData*>(h_.get());
    return a->is_range ? a->range_len : a->items.size();
  }
  return j_.size();
}

Val Val::at(size_t i) const {
  if (type_ != Type::Array) {
    return Val();
  }
  if (h_) {
    const auto* a = static_cast<const ArrayData*>(h_.get());
    if (a->is_range) {
      return i < a->range_len ? number(a->range_start + static_cast<double>(i)) : Val();
    }
    return i < a->items.size() ? a->items[i] : Val();
  }
  const json::Value* e = j_.at(i);
  return e ? from_json(*e) : Val();
}

ValVec& Val::items() {
  if (!h_) {
    auto data = std::allocate_shared<ArrayData>(PoolAlloc<ArrayData>());
    if (j_.is_array()) {
      data->items.reserve(j_.size());
      for (const auto& e : j_.as_array()) {
        data->items.push_back(from_json(e));
      }
    }
    j_ = json::Value();
    type_ = Type::Array;
    h_ = std::move(data);
  } else if (static_cast<ArrayData*>(h_.get())->is_range) {
    const auto* r = static_cast<const ArrayData*>(h_.get());
    auto data = std::allocate_shared<ArrayData>(PoolAlloc<ArrayData>());
    data->items.reserve(r->range_len);
    for (size_t i = 0; i < r->range_len; ++i) {
      data->items.push_back(number(r->range_start + static_cast<double>(i)));
    }
    h_ = std::move(data);
  } else if (h_.use_count() > 1) {
    auto data =
        std::allocate_shared<ArrayData>(PoolAlloc<ArrayData>(), *static_cast<ArrayData*>(h_.get()));
    h_ = std::move(data);
  }
  return static_cast<ArrayData*>(h_.get())->items;
}

ObjectData& Val::obj() {
  if (!h_) {
    auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>());
    if (j_.is_object()) {
      for (const auto& m : j_.as_object()) {
        data->set(m.key, from_json(m.value));
      }
    }
    j_ = json::Value();
    type_ = Type::Object;
    h_ = std::move(data);
  } else if (h_.use_count() > 1) {
    auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>(),
                                                 *static_cast<ObjectData*>(h_.get()));
    h_ = std::move(data);
  }
  return *static_cast<ObjectData*>(h_.get());
}

Val Val::get(std::string_view key) const {
  if (type_ != Type::Object) {
    return Val();
  }
  if (h_) {
    const Val* v = static_cast<const ObjectData*>(h_.get())->find(key);
    return v ? *v : Val();
  }
  const json::Value* e = j_.find(key);
  return e ? from_json(*e) : Val();
}

bool Val::has(std::string_view key) const {
  if (type_ != Type::Object) {
    return false;
  }
  if (h_) {
    return static_cast<const ObjectData*>(h_.get())->find(key) != nullptr;
  }
  return j_.find(key) != nullptr;
}

size_t Val::object_size() const {
  if (type_ != Type::Object) {
    return 0;
  }
  if (h_) {
    return static_cast<const ObjectData*>(h_.get())->members.size();
  }
  return j_.size();
}

const void* Val::identity() const {
  if (h_) {
    return h_.get();
  }
  if (type_ == Type::Array || type_ == Type::Object) {
    return j_.is_array() ? static_cast<const void*>(j_.as_array().data())
                         : static_cast<const void*>(j_.as_object().data());
  }
  return nullptr;
}

json::Value to_json(const Val& v) {
  check_stack();
  switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
      return json::Value();
    case Type::Bool:
      return json::Value(v.as_bool());
    case Type::Number: {
      double d = v.as_number();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
        return json::Value(static_cast<int64_t>(d));
      }
      return json::Value(d);
    }
    case Type::String:
      return v.json();  // a string Val is a json::Value string: shared, not copied
    case Type::Array: {
      if (v.json_backed()) {
        return v.json();
      }
      std::vector<json::Value> out;
      size_t n = v.size();
      out.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        Val e = v.at(i);
        if (e.is_undefined()) {
          continue;
        }
        out.push_back(to_json(e));
      }
      return json::Value::array(std::move(out));
    }
    case Type::Object: {
      if (v.json_backed()) {
        return v.json();
      }
      const auto& od = *static_cast<const ObjectData*>(v.identity());
      std::vector<json::Member> members;
      members.reserve(od.members.size());
      for (const auto& [k, e] : od.members) {
        if (!e.is_undefined()) {
          members.push_back(json::Member{k, to_json(e)});
        }
      }
      return json::Value::object(std::move(members));
    }
    case Type::Function:
      return json::Value("");
  }
  return json::Value();
}

std::string number_to_string(double d) {
  if (std::isnan(d)) {
    return "NaN";
  }
  if (std::isinf(d)) {
    return d > 0 ? "Infinity" : "-Infinity";
  }
  if (d == 0) {
    return "0";
  }
  if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
    // Integers below 2^53 print as their exact digits, as JS does (the common case: counts,
    // indexes, keys built with $string).
    char ibuf[24];
    auto r = std::to_chars(ibuf, ibuf + sizeof(ibuf), static_cast<int64_t>(d));
    return std::string(ibuf, r.ptr);
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  bool neg = false;
  if (!sci.empty() && sci[0] == '-') {
    neg = true;
    sci.remove_prefix(1);
  }
  size_t epos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, epos)) {
    if (c != '.') {
      digits.push_back(c);
    }
  }
  int exp10 = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;
  std::string out = neg ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n));
    out += '.';
    out += digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += (n - 1) >= 0 ? "+" : "-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

namespace {

void quote_js(std::string_view s, std::string& out) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void newline(std::string& out, int indent) {
  out.push_back('\n');
  out.append(static_cast<size_t>(indent) * 2, ' ');
}

}  // namespace

void stringify(const Val& v, bool pretty, std::string& out, int indent) {
  check_stack();
  switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
      out += "null";
      return;
    case Type::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Type::Number: {
      double d = v.as_number();
      if (!std::isfinite(d)) {
        throw JError("D1001", v);
      }
      if (d == std::floor(d)) {
        out += number_to_string(d);
        return;
      }
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.14e", d);
      out += number_to_string(std::strtod(buf, nullptr));
      return;
    }
    case Type::String:
      quote_js(v.as_string(), out);
      return;
    case Type::Function:
      out += "\"\"";
      return;
    case Type::Array: {
      size_t n = v.size();
      if (n == 0) {
        out += "[]";
        return;
      }
      out.push_back('[');
      for (size_t i = 0; i < n; ++i) {
        if (i > 0) {
          out.push_back(',');
        }
        if (pretty) {
          newline(out, indent + 1);
        }
        stringify(v.at(i), pretty, out, indent + 1);
      }
      if (pretty) {
        newline(out, indent);
      }
      out.push_back(']');
      return;
    }
    case Type::Object: {
      bool first = true;
      out.push_back('{');
      v.for_each_member([&](std::string_view k, const Val& e) {
        if (e.is_undefined()) {
          return;
        }
        if (!first) {
          out.push_back(',');
        }
        first = false;
        if (pretty) {
          newline(out, indent + 1);
        }
        quote_js(k, out);
        out.push_back(':');
        if (pretty) {
          out.push_back(' ');
        }
        stringify(e, pretty, out, indent + 1);
      });
      if (pretty && !first) {
        newline(out, indent);
      }
      out.push_back('}');
      return;
    }
  }
}

bool strict_equal(const Val& a, const Val& b) {
  if (a.type() != b.type()) {
    return false;
  }
  switch (a.type()) {
    case Type::Undefined:
    case Type::Null:
      return true;
    case Type::Bool:
      return a.as_bool() == b.as_bool();
    case Type::Number:
      return a.as_number() == b.as_number();
    case Type::String:
      return a.as_string() == b.as_string();
    default:
      return a.identity() == b.identity();
  }
}

bool deep_equal(const Val& a, const Val& b) {
  if (a.type() != b.type()) {
    return false;
  }
  check_stack();
  switch (a.type()) {
    case Type::Array: {
      if (a.size() != b.size()) {
        return false;
      }
      for (size_t i = 0; i < a.size(); ++i) {
        if (!deep_equal(a.at(i), b.at(i))) {
          return false;
        }
      }
      return true;
    }
    case Type::Object: {
      if (a.object_size() != b.object_size()) {
        return false;
      }
      bool eq = true;
      a.for_each_member([&](std::string_view k, const Val& e) {
        if (eq && (!b.has(k) || !deep_equal(e, b.get(k)))) {
          eq = false;
        }
      });
      return eq;
    }
    default:
      return strict_equal(a, b);
  }
}

}  // namespace signoff::jsonata
