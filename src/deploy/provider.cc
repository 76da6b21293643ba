// Property readers shared by the resource providers.
#include "deploy/provider.h"

#include <cstdlib>

namespace signoff::deploy {

std::string prop_string(const json::Value& props, std::string_view name,
                        std::string_view fallback) {
  const json::Value* v = props.find(name);
  if (!v || v->is_null()) {
    return std::string(fallback);
  }
  if (v->is_string()) {
    return std::string(v->as_string());
  }
  if (v->is_int()) {
    return std::to_string(v->as_int());
  }
  if (v->is_bool()) {
    return v->as_bool() ? "true" : "false";
  }
  return json::dump(*v);
}

std::optional<int64_t> prop_int(const json::Value& props, std::string_view name) {
  const json::Value* v = props.find(name);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_int()) {
    return v->as_int();
  }
  if (v->is_double()) {
    return static_cast<int64_t>(v->as_double());
  }
  if (v->is_string()) {
    std::string s(v->as_string());
    char* end = nullptr;
    long long n = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end == s.c_str() + s.size()) {
      return n;
    }
  }
  return std::nullopt;
}

std::optional<bool> prop_bool(const json::Value& props, std::string_view name) {
  const json::Value* v = props.find(name);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_bool()) {
    return v->as_bool();
  }
  if (v->is_string()) {
    std::string_view s = v->as_string();
    if (s == "true" || s == "True") {
      return true;
    }
    if (s == "false" || s == "False") {
      return false;
    }
  }
  return std::nullopt;
}

json::Value prop_json(const json::Value& props, std::string_view name) {
  const json::Value* v = props.find(name);
  if (!v) {
    return json::Value();
  }
  if (v->is_string()) {
    auto p = json::parse(v->as_string());
    return p.ok() ? p.value : *v;
  }
  return *v;
}

std::string prop_document(const json::Value& props, std::string_view name) {
  const json::Value* v = props.find(name);
  if (!v || v->is_null()) {
    return {};
  }
  return v->is_string() ? std::string(v->as_string()) : json::dump(*v);
}

std::map<std::string, std::string> prop_map(const json::Value& props, std::string_view name) {
  std::map<std::string, std::string> out;
  const json::Value* v = props.find(name);
  if (v && v->is_object()) {
    for (const json::Member& m : v->as_object()) {
      out[m.key] = prop_string(*v, m.key);
    }
  }
  return out;
}

std::vector<std::string> prop_strings(const json::Value& props, std::string_view name) {
  std::vector<std::string> out;
  const json::Value* v = props.find(name);
  if (v && v->is_array()) {
    for (const json::Value& x : v->as_array()) {
      out.push_back(x.is_string() ? std::string(x.as_string()) : json::dump(x));
    }
  } else if (v && v->is_string()) {
    out.emplace_back(v->as_string());
  }
  return out;
}

bool prop_changed(const json::Value& a, const json::Value& b, std::string_view name) {
  const json::Value* x = a.find(name);
  const json::Value* y = b.find(name);
  if (!x || !y) {
    return (x == nullptr) != (y == nullptr);
  }
  return *x != *y;
}

std::vector<std::pair<std::string, std::string>> prop_tags(const json::Value& props,
                                                           std::string_view name) {
  std::vector<std::pair<std::string, std::string>> out;
  const json::Value* v = props.find(name);
  if (v && v->is_array()) {
    for (const json::Value& t : v->as_array()) {
      out.emplace_back(prop_string(t, "Key"), prop_string(t, "Value"));
    }
  }
  return out;
}

Error invalid_request(std::string message) {
  return make_error("InvalidRequest", std::move(message));
}

Error missing_property(const ResourceContext& ctx, std::string_view name) {
  return invalid_request("Properties validation failed for resource " + ctx.logical_id +
                         " with message: [#: required key [" + std::string(name) + "] not found]");
}

}  // namespace signoff::deploy
