#include "asl/jsonata_template.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace signoff::asl {

bool is_jsonata_expression(const json::Value& v) {
  if (!v.is_string()) {
    return false;
  }
  std::string_view s = v.as_string();
  return s.size() >= 4 && s.substr(0, 2) == "{%" && s.substr(s.size() - 2) == "%}";
}

std::string_view jsonata_type_name(const json::Value& v) {
  switch (v.kind()) {
    case json::Kind::Null:
      return "null";
    case json::Kind::Bool:
      return "boolean";
    case json::Kind::Int:
    case json::Kind::Double:
      return "number";
    case json::Kind::String:
      return "string";
    case json::Kind::Array:
      return "array";
    case json::Kind::Object:
      return "object";
  }
  return "null";
}

namespace {

struct Expr {
  jsonata::Expression expression;
  std::string text;   // as AWS quotes it in messages
  std::string field;  // e.g. "Output/result"
  std::vector<std::string> variables;
  bool reads_states = false;
};

}  // namespace

struct JsonataTemplate::Impl {
  enum class Kind : uint8_t { Constant, Expression, Object, Array };
  Kind kind = Kind::Constant;
  json::Value constant;
  std::unique_ptr<Expr> expr;
  std::vector<std::pair<std::string, std::unique_ptr<Impl>>> members;  // Object / Array items
  std::string field;
  bool reads_states = false;  // some expression inside reads $states
};

namespace {

using Impl = JsonataTemplate::Impl;

std::string trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

std::unique_ptr<Impl> build(const json::Value& v, const std::string& field,
                            const std::string& location, Diagnostics& diags, bool& ok) {
  auto node = std::make_unique<Impl>();
  node->field = field;
  if (is_jsonata_expression(v)) {
    std::string_view s = v.as_string();
    std::string text = trim(s.substr(2, s.size() - 4));
    auto [compiled, error] = jsonata::Expression::compile(text, step_functions_library());
    if (!compiled) {
      diags.push_back(Diagnostic{
          "ERROR", "INVALID_JSONATA_EXPRESSION",
          "Invalid JSONata expression '" + text + "': " + error.code + ": " + error.message,
          location});
      ok = false;
      return node;
    }
    auto e = std::make_unique<Expr>(Expr{std::move(*compiled), text, field, {}, false});
    for (std::string& name : e->expression.free_variables()) {
      if (name == "states") {
        e->reads_states = true;
      } else {
        e->variables.push_back(std::move(name));
      }
    }
    node->reads_states = e->reads_states;
    node->kind = Impl::Kind::Expression;
    node->expr = std::move(e);
    return node;
  }
  if (v.is_object() || v.is_array()) {
    bool constant = true;
    bool object = v.is_object();
    node->kind = object ? Impl::Kind::Object : Impl::Kind::Array;
    auto add = [&](std::string key, std::string sub_field, std::string sub_loc,
                   const json::Value& item) {
      auto child = build(item, sub_field, sub_loc, diags, ok);
      constant = constant && child->kind == Impl::Kind::Constant;
      node->reads_states = node->reads_states || child->reads_states;
      node->members.emplace_back(std::move(key), std::move(child));
    };
    if (object) {
      for (const json::Member& m : v.as_object()) {
        add(m.key, field + "/" + m.key, location + "/" + m.key, m.value);
      }
    } else {
      size_t i = 0;
      for (const json::Value& item : v.as_array()) {
        std::string idx = std::to_string(i++);
        add(std::string(), field + "[" + idx + "]", location + "/" + idx, item);
      }
    }
    if (constant) {
      node->members.clear();
      node->kind = Impl::Kind::Constant;
      node->constant = v;
    }
    return node;
  }
  node->constant = v;
  return node;
}

Failure query_error(std::string cause) {
  return Failure{std::string(kQueryEvaluationError), std::move(cause)};
}

struct EvalState {
  const JsonataRoots& roots;
  json::Value states;  // built on first use
  bool states_built = false;
  std::string* failed_field;
};

const json::Value& states_of(EvalState& st) {
  if (!st.states_built) {
    std::vector<json::Member> m;
    m.reserve(4);
    if (st.roots.input != nullptr) {
      m.push_back(json::Member{"input", *st.roots.input});
    }
    if (st.roots.result != nullptr) {
      m.push_back(json::Member{"result", *st.roots.result});
    }
    if (st.roots.error_output != nullptr) {
      m.push_back(json::Member{"errorOutput", *st.roots.error_output});
    }
    if (st.roots.context != nullptr) {
      m.push_back(json::Member{"context", *st.roots.context});
    }
    st.states = json::Value::object(std::move(m));
    st.states_built = true;
  }
  return st.states;
}

// A Host for callers that give none: no clock, fixed randomness.
jsonata::Host& fallback_host() {
  thread_local jsonata::FixedHost host;
  return host;
}

Outcome<json::Value> eval_node(const Impl& node, EvalState& st) {
  switch (node.kind) {
    case Impl::Kind::Constant:
      return node.constant;
    case Impl::Kind::Expression: {
      const Expr& e = *node.expr;
      std::vector<jsonata::Binding> bindings;
      bindings.reserve(e.variables.size() + 1);
      if (e.reads_states) {
        bindings.push_back(jsonata::Binding{"states", states_of(st)});
      }
      if (st.roots.variables != nullptr) {
        for (const std::string& name : e.variables) {
          if (const json::Value* v = st.roots.variables->lookup(name)) {
            bindings.push_back(jsonata::Binding{name, *v});
          }
        }
      }
      jsonata::Host& host = st.roots.host != nullptr ? *st.roots.host : fallback_host();
      jsonata::Result r = e.expression.evaluate(nullptr, bindings, host);
      if (!r.ok) {
        *st.failed_field = e.field;
        return query_error("The JSONata expression '" + e.text + "' specified for the field '" +
                           e.field + "' threw an error during evaluation. " + r.error.code + ": " +
                           r.error.message);
      }
      if (r.undefined) {
        *st.failed_field = e.field;
        return query_error("The JSONata expression '" + e.text + "' specified for the field '" +
                           e.field + "' returned nothing (undefined).");
      }
      return std::move(r.value);
    }
    case Impl::Kind::Object: {
      std::vector<json::Member> out;
      out.reserve(node.members.size());
      for (const auto& [key, child] : node.members) {
        auto v = eval_node(*child, st);
        if (!v.ok()) {
          return v;
        }
        out.push_back(json::Member{key, std::move(v.value())});
      }
      return json::Value::object(std::move(out));
    }
    case Impl::Kind::Array: {
      std::vector<json::Value> out;
      out.reserve(node.members.size());
      for (const auto& member : node.members) {
        auto v = eval_node(*member.second, st);
        if (!v.ok()) {
          return v;
        }
        out.push_back(std::move(v.value()));
      }
      return json::Value::array(std::move(out));
    }
  }
  return json::Value();
}

}  // namespace

JsonataTemplate::JsonataTemplate(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
JsonataTemplate::JsonataTemplate(const JsonataTemplate&) = default;
JsonataTemplate::JsonataTemplate(JsonataTemplate&&) noexcept = default;
JsonataTemplate& JsonataTemplate::operator=(const JsonataTemplate&) = default;
JsonataTemplate& JsonataTemplate::operator=(JsonataTemplate&&) noexcept = default;
JsonataTemplate::~JsonataTemplate() = default;

std::optional<JsonataTemplate> JsonataTemplate::compile(const json::Value& value, std::string field,
                                                        std::string_view location,
                                                        Diagnostics& diagnostics) {
  bool ok = true;
  auto impl = build(value, field, std::string(location), diagnostics, ok);
  if (!ok) {
    return std::nullopt;
  }
  return JsonataTemplate(std::shared_ptr<const Impl>(std::move(impl)));
}

Outcome<json::Value> JsonataTemplate::eval(const JsonataRoots& roots,
                                           std::string* failed_field) const {
  std::string ignored;
  EvalState st{roots, json::Value(), false, failed_field != nullptr ? failed_field : &ignored};
  return eval_node(*impl_, st);
}

const std::string* JsonataTemplate::expression_text() const {
  return impl_->kind == Impl::Kind::Expression ? &impl_->expr->text : nullptr;
}

const std::string& JsonataTemplate::field() const {
  return impl_->field;
}

}  // namespace signoff::asl
