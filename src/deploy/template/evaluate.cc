// Intrinsic functions and conditions. A value evaluates bottom-up; AWS::NoValue is carried as a
// flag so the enclosing object or array drops the member it stands in.
#include <set>

#include "deploy/template/references.h"
#include "deploy/template/template.h"

namespace signoff::deploy::tmpl {

namespace {

constexpr int kMaxDepth = 256;

struct Val {
  json::Value v;
  bool no_value = false;
};

std::string text_of(const json::Value& v) {
  if (v.is_string()) {
    return std::string(v.as_string());
  }
  if (v.is_int()) {
    return std::to_string(v.as_int());
  }
  if (v.is_double()) {
    std::string s;
    json::format_double(v.as_double(), s);
    return s;
  }
  if (v.is_bool()) {
    return v.as_bool() ? "true" : "false";
  }
  return json::dump(v);
}

const char* const kJoinError =
    "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and "
    "(2) a list of strings to be joined or a function that returns a list of strings (such as "
    "Fn::GetAZs) to be joined.";

class Evaluator {
 public:
  explicit Evaluator(const Scope& s) : scope_(s) {
    if (s.conditions) {
      conditions_ = *s.conditions;
    }
  }

  std::string error;

  std::optional<Val> eval(const json::Value& v, int depth) {
    if (depth > kMaxDepth) {
      return fail("Template error: template nesting is too deep");
    }
    if (v.is_array()) {
      std::vector<json::Value> items;
      for (const json::Value& x : v.as_array()) {
        auto r = eval(x, depth + 1);
        if (!r) {
          return std::nullopt;
        }
        if (!r->no_value) {
          items.push_back(std::move(r->v));
        }
      }
      return Val{json::Value::array(std::move(items))};
    }
    if (!v.is_object()) {
      return Val{v};
    }
    if (v.size() == 1) {
      const json::Member& m = v.as_object()[0];
      if (m.key == "Ref" || (m.key == "Condition" && m.value.is_string()) ||
          m.key.rfind("Fn::", 0) == 0) {
        return function(m.key, m.value, depth);
      }
    }
    std::vector<json::Member> members;
    for (const json::Member& m : v.as_object()) {
      auto r = eval(m.value, depth + 1);
      if (!r) {
        return std::nullopt;
      }
      if (!r->no_value) {
        members.push_back({m.key, std::move(r->v)});
      }
    }
    return Val{json::Value::object(std::move(members))};
  }

  std::optional<bool> condition(const std::string& name) {
    auto it = conditions_.find(name);
    if (it != conditions_.end()) {
      return it->second;
    }
    const json::Value* expr = nullptr;
    if (scope_.tmpl) {
      for (const auto& c : scope_.tmpl->conditions) {
        if (c.first == name) {
          expr = &c.second;
        }
      }
    }
    if (!expr) {
      fail("Template format error: Unresolved condition dependency " + name + " in Fn::If");
      return std::nullopt;
    }
    if (!visiting_.insert(name).second) {
      fail("Template error: circular condition dependency detected for " + name);
      return std::nullopt;
    }
    auto r = eval(*expr, 1);
    visiting_.erase(name);
    if (!r) {
      return std::nullopt;
    }
    auto b = as_bool(r->v);
    if (!b) {
      fail("Template error: Condition " + name + " must evaluate to a boolean");
      return std::nullopt;
    }
    conditions_[name] = *b;
    return *b;
  }

  const std::map<std::string, bool, std::less<>>& conditions() const { return conditions_; }

 private:
  std::nullopt_t fail(std::string e) {
    if (error.empty()) {
      error = std::move(e);
    }
    return std::nullopt;
  }

  static std::optional<bool> as_bool(const json::Value& v) {
    if (v.is_bool()) {
      return v.as_bool();
    }
    if (v.is_string() && (v.as_string() == "true" || v.as_string() == "false")) {
      return v.as_string() == "true";
    }
    return std::nullopt;
  }

  std::optional<json::Value> pseudo(std::string_view name) {
    const Pseudo& p = scope_.pseudo;
    if (name == "AWS::AccountId")
      return json::Value(p.account_id);
    if (name == "AWS::Region")
      return json::Value(p.region);
    if (name == "AWS::StackName")
      return json::Value(p.stack_name);
    if (name == "AWS::StackId")
      return json::Value(p.stack_id);
    if (name == "AWS::Partition")
      return json::Value(p.partition);
    if (name == "AWS::URLSuffix")
      return json::Value(p.url_suffix);
    if (name == "AWS::NotificationARNs") {
      std::vector<json::Value> arns;
      for (const std::string& a : p.notification_arns) {
        arns.push_back(json::Value(a));
      }
      return json::Value::array(std::move(arns));
    }
    return std::nullopt;
  }

  // Ref's value of a name (parameter, pseudo parameter or resource), for Ref and Fn::Sub.
  std::optional<json::Value> ref(const std::string& name) {
    if (scope_.tmpl) {
      if (const ParameterDecl* d = scope_.tmpl->parameter(name)) {
        auto it = scope_.params ? scope_.params->find(name) : ParameterValues::const_iterator();
        if (!scope_.params || it == scope_.params->end()) {
          return fail("Parameters: [" + name + "] must have values");
        }
        return parameter_ref_value(*d, it->second);
      }
    }
    if (auto p = pseudo(name)) {
      return p;
    }
    std::optional<std::string> r;
    if (scope_.resources.ref) {
      r = scope_.resources.ref(name);
    }
    if (!r) {
      return fail("Template format error: Unresolved resource dependencies [" + name +
                  "] in the Resources block of the template");
    }
    return json::Value(*r);
  }

  std::optional<json::Value> attribute(const std::string& resource, const std::string& attr) {
    if (scope_.tmpl && !scope_.tmpl->resource(resource)) {
      return fail("Template error: instance of Fn::GetAtt references undefined resource " +
                  resource);
    }
    std::optional<json::Value> r;
    if (scope_.resources.attribute) {
      r = scope_.resources.attribute(resource, attr);
    }
    if (!r) {
      return fail("Template error: resource " + resource + " does not support attribute type " +
                  attr + " in Fn::GetAtt");
    }
    return r;
  }

  std::optional<Val> arg(const json::Value& a, int depth) { return eval(a, depth + 1); }

  std::optional<Val> function(const std::string& name, const json::Value& a, int depth) {
    if (name == "Ref") {
      if (!a.is_string()) {
        return fail("Template format error: Every Ref object must have a single String value.");
      }
      if (a.as_string() == "AWS::NoValue") {
        return Val{json::Value(), true};
      }
      auto r = ref(std::string(a.as_string()));
      if (!r) {
        return std::nullopt;
      }
      return Val{*r};
    }
    if (name == "Condition") {
      auto c = condition(std::string(a.as_string()));
      if (!c) {
        return std::nullopt;
      }
      return Val{json::Value(*c)};
    }
    if (name == "Fn::GetAtt") {
      std::string resource, attr;
      if (a.is_string()) {
        std::string s(a.as_string());
        size_t dot = s.find('.');
        if (dot == std::string::npos) {
          return fail("Template error: every Fn::GetAtt object requires two non-empty parameters");
        }
        resource = s.substr(0, dot);
        attr = s.substr(dot + 1);
      } else if (a.is_array() && a.size() == 2 && a.at(0)->is_string()) {
        resource = std::string(a.at(0)->as_string());
        auto at = arg(*a.at(1), depth);
        if (!at) {
          return std::nullopt;
        }
        if (!at->v.is_string()) {
          return fail("Template error: every Fn::GetAtt object requires two non-empty parameters");
        }
        attr = std::string(at->v.as_string());
      } else {
        return fail("Template error: every Fn::GetAtt object requires two non-empty parameters");
      }
      auto r = attribute(resource, attr);
      if (!r) {
        return std::nullopt;
      }
      return Val{*r};
    }
    if (name == "Fn::Sub") {
      return sub(a, depth);
    }
    if (name == "Fn::Join") {
      if (!a.is_array() || a.size() != 2) {
        return fail(kJoinError);
      }
      auto delim = arg(*a.at(0), depth);
      auto list = delim ? arg(*a.at(1), depth) : std::nullopt;
      if (!list) {
        return std::nullopt;
      }
      if (!delim->v.is_string() || !list->v.is_array()) {
        return fail(kJoinError);
      }
      std::string out;
      bool first = true;
      for (const json::Value& x : list->v.as_array()) {
        if (x.is_array() || x.is_object()) {
          return fail(kJoinError);
        }
        if (!first) {
          out.append(delim->v.as_string());
        }
        out += text_of(x);
        first = false;
      }
      return Val{json::Value(out)};
    }
    if (name == "Fn::Select") {
      if (!a.is_array() || a.size() != 2) {
        return fail(
            "Template error: Fn::Select requires a list argument with two elements: an "
            "integer index and a list");
      }
      auto index = arg(*a.at(0), depth);
      auto list = index ? arg(*a.at(1), depth) : std::nullopt;
      if (!list) {
        return std::nullopt;
      }
      int64_t i = -1;
      if (index->v.is_int()) {
        i = index->v.as_int();
      } else if (index->v.is_string()) {
        std::string s(index->v.as_string());
        bool digits = !s.empty() && s.size() < 10;
        for (char c : s) {
          digits = digits && c >= '0' && c <= '9';
        }
        i = digits ? std::stoll(s) : -1;
      }
      if (!list->v.is_array()) {
        return fail(
            "Template error: Fn::Select requires a list argument with two elements: an "
            "integer index and a list");
      }
      if (i < 0 || static_cast<size_t>(i) >= list->v.size()) {
        return fail("Template error: Fn::Select cannot select nonexistent value at index " +
                    text_of(index->v));
      }
      return Val{*list->v.at(static_cast<size_t>(i))};
    }
    if (name == "Fn::Split") {
      if (!a.is_array() || a.size() != 2) {
        return fail(
            "Template error: every Fn::Split object requires two parameters, (1) a "
            "string delimiter and (2) a string to be split or a function that returns a "
            "string to be split.");
      }
      auto delim = arg(*a.at(0), depth);
      auto str = delim ? arg(*a.at(1), depth) : std::nullopt;
      if (!str) {
        return std::nullopt;
      }
      if (!delim->v.is_string() || delim->v.as_string().empty() || !str->v.is_string()) {
        return fail(
            "Template error: every Fn::Split object requires two parameters, (1) a "
            "string delimiter and (2) a string to be split or a function that returns a "
            "string to be split.");
      }
      std::string_view s = str->v.as_string(), d = delim->v.as_string();
      std::vector<json::Value> parts;
      size_t start = 0;
      while (true) {
        size_t at = s.find(d, start);
        parts.push_back(
            json::Value(s.substr(start, at == std::string_view::npos ? s.npos : at - start)));
        if (at == std::string_view::npos) {
          break;
        }
        start = at + d.size();
      }
      return Val{json::Value::array(std::move(parts))};
    }
    if (name == "Fn::If") {
      if (!a.is_array() || a.size() != 3 || !a.at(0)->is_string()) {
        return fail("Template error: Fn::If requires a list argument with three elements");
      }
      auto c = condition(std::string(a.at(0)->as_string()));
      if (!c) {
        return std::nullopt;
      }
      return arg(*a.at(*c ? 1 : 2), depth);
    }
    if (name == "Fn::Equals") {
      if (!a.is_array() || a.size() != 2) {
        return fail("Template error: Fn::Equals requires a list argument with two elements");
      }
      auto x = arg(*a.at(0), depth);
      auto y = x ? arg(*a.at(1), depth) : std::nullopt;
      if (!y) {
        return std::nullopt;
      }
      bool eq =
          (x->v.is_array() || x->v.is_object()) ? x->v == y->v : text_of(x->v) == text_of(y->v);
      return Val{json::Value(eq)};
    }
    if (name == "Fn::And" || name == "Fn::Or") {
      if (!a.is_array() || a.size() < 2 || a.size() > 10) {
        return fail("Template error: " + name +
                    " requires a list argument with between 2 and 10 conditions");
      }
      bool is_and = name == "Fn::And";
      bool result = is_and;
      for (const json::Value& c : a.as_array()) {
        auto r = arg(c, depth);
        if (!r) {
          return std::nullopt;
        }
        auto b = as_bool(r->v);
        if (!b) {
          return fail("Template error: every " + name + " member must be a condition");
        }
        result = is_and ? (result && *b) : (result || *b);
      }
      return Val{json::Value(result)};
    }
    if (name == "Fn::Not") {
      if (!a.is_array() || a.size() != 1) {
        return fail("Template error: Fn::Not requires a list argument with one element");
      }
      auto r = arg(*a.at(0), depth);
      if (!r) {
        return std::nullopt;
      }
      auto b = as_bool(r->v);
      if (!b) {
        return fail("Template error: every Fn::Not member must be a condition");
      }
      return Val{json::Value(!*b)};
    }
    if (name == "Fn::FindInMap") {
      if (!a.is_array() || (a.size() != 3 && a.size() != 4)) {
        return fail(
            "Template error: every Fn::FindInMap object requires three parameters, the "
            "map name, map key and the attribute for return value");
      }
      std::string keys[3];
      for (size_t i = 0; i < 3; ++i) {
        auto r = arg(*a.at(i), depth);
        if (!r) {
          return std::nullopt;
        }
        keys[i] = text_of(r->v);
      }
      const json::Value* m = scope_.tmpl ? scope_.tmpl->mappings.find(keys[0]) : nullptr;
      const json::Value* top = m ? m->find(keys[1]) : nullptr;
      const json::Value* second = top ? top->find(keys[2]) : nullptr;
      if (!second) {
        if (a.size() == 4) {
          if (const json::Value* d = a.at(3)->find("DefaultValue")) {
            return arg(*d, depth);
          }
        }
        if (!m) {
          return fail("Template error: Unable to get mapping for " + keys[0] + "::" + keys[1] +
                      "::" + keys[2]);
        }
        return fail("Template error: Unable to get mapping for " + keys[0] + "::" + keys[1] +
                    "::" + keys[2]);
      }
      return Val{*second};
    }
    if (name == "Fn::Base64") {
      auto r = arg(a, depth);
      if (!r) {
        return std::nullopt;
      }
      if (!r->v.is_string()) {
        return fail("Template error: every Fn::Base64 object must have a String value");
      }
      return Val{json::Value(base64(r->v.as_string()))};
    }
    if (name == "Fn::GetAZs") {
      auto r = arg(a, depth);
      if (!r) {
        return std::nullopt;
      }
      std::string region = r->v.is_string() ? std::string(r->v.as_string()) : "";
      if (region.empty()) {
        region = scope_.pseudo.region;
      }
      return Val{json::Value::array(
          {json::Value(region + "a"), json::Value(region + "b"), json::Value(region + "c")})};
    }
    if (name == "Fn::ImportValue") {
      auto r = arg(a, depth);
      if (!r) {
        return std::nullopt;
      }
      if (!r->v.is_string()) {
        return fail("Template error: the Fn::ImportValue function must have a String value");
      }
      std::string export_name(r->v.as_string());
      std::optional<std::string> value;
      if (scope_.import_value) {
        value = scope_.import_value(export_name);
      }
      if (!value) {
        return fail("No export named " + export_name + " found.");
      }
      return Val{json::Value(*value)};
    }
    if (name == "Fn::ToJsonString") {
      auto r = arg(a, depth);
      if (!r) {
        return std::nullopt;
      }
      return Val{json::Value(json::dump(r->v))};
    }
    if (name == "Fn::Length") {
      auto r = arg(a, depth);
      if (!r) {
        return std::nullopt;
      }
      if (!r->v.is_array()) {
        return fail("Template error: Fn::Length requires a list");
      }
      return Val{json::Value(static_cast<int64_t>(r->v.size()))};
    }
    return fail("Template format error: Unrecognized intrinsic function " + name +
                " is not supported by Signoff");
  }

  std::optional<Val> sub(const json::Value& a, int depth) {
    const char* shape_error =
        "Template error: One or more Fn::Sub intrinsic functions don't specify expected "
        "arguments. Specify a string as first argument, and an optional second argument to "
        "specify a mapping of values to replace in the string";
    std::string_view text;
    std::map<std::string, json::Value> vars;
    if (a.is_string()) {
      text = a.as_string();
    } else if (a.is_array() && a.size() == 2 && a.at(0)->is_string() && a.at(1)->is_object()) {
      text = a.at(0)->as_string();
      for (const json::Member& m : a.at(1)->as_object()) {
        auto r = arg(m.value, depth);
        if (!r) {
          return std::nullopt;
        }
        vars[m.key] = r->v;
      }
    } else {
      return fail(shape_error);
    }
    std::string out;
    for (const SubPart& p : parse_sub(text)) {
      if (!p.is_var) {
        out += p.text;
        continue;
      }
      std::optional<json::Value> v;
      if (auto it = vars.find(p.text); it != vars.end()) {
        v = it->second;
      } else if (size_t dot = p.text.find('.');
                 dot != std::string::npos && !is_pseudo_parameter(p.text)) {
        v = attribute(p.text.substr(0, dot), p.text.substr(dot + 1));
      } else {
        v = ref(p.text);
      }
      if (!v) {
        return std::nullopt;
      }
      if (v->is_array()) {
        // A list parameter in Sub reads as its comma-joined text.
        std::string joined;
        for (size_t i = 0; i < v->size(); ++i) {
          if (i) {
            joined += ",";
          }
          joined += text_of(*v->at(i));
        }
        out += joined;
      } else {
        out += text_of(*v);
      }
    }
    return Val{json::Value(out)};
  }

  static std::string base64(std::string_view in) {
    static const char* kChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    while (i + 2 < in.size()) {
      uint32_t n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                   static_cast<uint8_t>(in[i + 2]);
      out += kChars[(n >> 18) & 63];
      out += kChars[(n >> 12) & 63];
      out += kChars[(n >> 6) & 63];
      out += kChars[n & 63];
      i += 3;
    }
    if (i + 1 == in.size()) {
      uint32_t n = static_cast<uint8_t>(in[i]) << 16;
      out += kChars[(n >> 18) & 63];
      out += kChars[(n >> 12) & 63];
      out += "==";
    } else if (i + 2 == in.size()) {
      uint32_t n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
      out += kChars[(n >> 18) & 63];
      out += kChars[(n >> 12) & 63];
      out += kChars[(n >> 6) & 63];
      out += '=';
    }
    return out;
  }

  const Scope& scope_;
  std::map<std::string, bool, std::less<>> conditions_;
  std::set<std::string> visiting_;
};

}  // namespace

Outcome<std::map<std::string, bool, std::less<>>> evaluate_conditions(const Scope& scope) {
  using O = Outcome<std::map<std::string, bool, std::less<>>>;
  Evaluator e(scope);
  if (scope.tmpl) {
    for (const auto& c : scope.tmpl->conditions) {
      if (!e.condition(c.first)) {
        return O::fail(e.error);
      }
    }
  }
  return O{e.conditions(), {}};
}

Outcome<json::Value> evaluate(const json::Value& value, const Scope& scope) {
  Evaluator e(scope);
  auto r = e.eval(value, 0);
  if (!r) {
    return Outcome<json::Value>::fail(e.error);
  }
  return Outcome<json::Value>{r->no_value ? json::Value() : r->v, {}};
}

bool is_enabled(const std::string& condition, const Scope& scope) {
  if (condition.empty()) {
    return true;
  }
  if (!scope.conditions) {
    return true;
  }
  auto it = scope.conditions->find(condition);
  return it != scope.conditions->end() && it->second;
}

}  // namespace signoff::deploy::tmpl
