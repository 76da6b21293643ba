// Walks a template value for Ref, Fn::GetAtt, Fn::Sub variables and condition names.
#include "deploy/template/references.h"

#include <algorithm>

namespace signoff::deploy::tmpl {

namespace {

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) {
    v.push_back(std::move(s));
  }
}

void walk(const json::Value& v, const Names& names, References& out, int depth) {
  if (!out.error.empty() || depth > 512) {
    return;
  }
  if (v.is_array()) {
    for (const json::Value& x : v.as_array()) {
      walk(x, names, out, depth + 1);
    }
    return;
  }
  if (!v.is_object()) {
    return;
  }
  if (v.size() == 1) {
    const json::Member& m = v.as_object()[0];
    const json::Value& arg = m.value;
    if (m.key == "Ref") {
      if (!arg.is_string()) {
        out.error = "Template format error: Every Ref object must have a single String value.";
        return;
      }
      std::string name(arg.as_string());
      if (names.is_parameter(name)) {
        return;
      }
      if (names.is_resource(name)) {
        add_unique(out.resources, name);
      } else {
        add_unique(out.unresolved, name);
      }
      return;
    }
    if (m.key == "Fn::GetAtt") {
      std::string resource;
      if (arg.is_array() && arg.size() == 2 && arg.at(0)->is_string()) {
        resource = std::string(arg.at(0)->as_string());
        walk(*arg.at(1), names, out, depth + 1);
      } else if (arg.is_string()) {
        std::string s(arg.as_string());
        resource = s.substr(0, s.find('.'));
        if (s.find('.') == std::string::npos) {
          out.error = "Template error: every Fn::GetAtt object requires two non-empty parameters";
          return;
        }
      } else {
        out.error = "Template error: every Fn::GetAtt object requires two non-empty parameters";
        return;
      }
      if (!names.is_resource(resource)) {
        out.error =
            "Template error: instance of Fn::GetAtt references undefined resource " + resource;
        return;
      }
      add_unique(out.resources, resource);
      return;
    }
    if (m.key == "Fn::Sub") {
      const json::Value* text = &arg;
      const json::Value* vars = nullptr;
      if (arg.is_array()) {
        if (arg.size() != 2 || !arg.at(0)->is_string() || !arg.at(1)->is_object()) {
          out.error =
              "Template error: One or more Fn::Sub intrinsic functions don't specify "
              "expected arguments. Specify a string as first argument, and an optional "
              "second argument to specify a mapping of values to replace in the string";
          return;
        }
        text = arg.at(0);
        vars = arg.at(1);
        walk(*vars, names, out, depth + 1);
      } else if (!arg.is_string()) {
        out.error =
            "Template error: One or more Fn::Sub intrinsic functions don't specify "
            "expected arguments. Specify a string as first argument, and an optional "
            "second argument to specify a mapping of values to replace in the string";
        return;
      }
      for (const SubPart& p : parse_sub(text->as_string())) {
        if (!p.is_var || (vars && vars->find(p.text))) {
          continue;
        }
        size_t dot = p.text.find('.');
        if (dot != std::string::npos && !is_pseudo_parameter(p.text)) {
          std::string resource = p.text.substr(0, dot);
          if (!names.is_resource(resource)) {
            out.error =
                "Template error: instance of Fn::GetAtt references undefined resource " + resource;
            return;
          }
          add_unique(out.resources, resource);
        } else if (names.is_parameter(p.text)) {
        } else if (names.is_resource(p.text)) {
          add_unique(out.resources, p.text);
        } else {
          add_unique(out.unresolved, p.text);
        }
      }
      return;
    }
    if (m.key == "Fn::If") {
      if (!arg.is_array() || arg.size() != 3 || !arg.at(0)->is_string()) {
        out.error = "Template error: Fn::If requires a list argument with three elements";
        return;
      }
      std::string c(arg.at(0)->as_string());
      if (!names.is_condition(c)) {
        out.error = "Template format error: Unresolved condition dependency " + c + " in Fn::If";
        return;
      }
      walk(*arg.at(1), names, out, depth + 1);
      walk(*arg.at(2), names, out, depth + 1);
      return;
    }
    if (m.key == "Condition" && arg.is_string()) {
      if (!names.is_condition(arg.as_string())) {
        out.error = "Template format error: Unresolved condition dependency " +
                    std::string(arg.as_string()) + " in Fn::Condition";
      }
      return;
    }
  }
  for (const json::Member& m : v.as_object()) {
    walk(m.value, names, out, depth + 1);
  }
}

}  // namespace

bool is_pseudo_parameter(std::string_view n) {
  return n == "AWS::AccountId" || n == "AWS::Region" || n == "AWS::StackName" ||
         n == "AWS::StackId" || n == "AWS::Partition" || n == "AWS::URLSuffix" ||
         n == "AWS::NoValue" || n == "AWS::NotificationARNs";
}

void collect_references(const json::Value& value, const Names& names, References& out) {
  walk(value, names, out, 0);
}

std::vector<SubPart> parse_sub(std::string_view s) {
  std::vector<SubPart> parts;
  std::string literal;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      size_t close = s.find('}', i + 2);
      if (close == std::string_view::npos) {
        literal.append(s.substr(i));
        break;
      }
      std::string_view inner = s.substr(i + 2, close - i - 2);
      if (!inner.empty() && inner[0] == '!') {
        // ${!Literal} is the escape for a literal "${Literal}".
        literal += "${";
        literal.append(inner.substr(1));
        literal += "}";
      } else {
        // Surrounding spaces are not part of the name (CloudFormation trims them).
        size_t b = inner.find_first_not_of(' ');
        size_t e = inner.find_last_not_of(' ');
        std::string name =
            b == std::string_view::npos ? std::string() : std::string(inner.substr(b, e - b + 1));
        if (!literal.empty()) {
          parts.push_back({false, std::move(literal)});
          literal.clear();
        }
        parts.push_back({true, std::move(name)});
      }
      i = close + 1;
      continue;
    }
    literal += s[i++];
  }
  if (!literal.empty()) {
    parts.push_back({false, std::move(literal)});
  }
  return parts;
}

}  // namespace signoff::deploy::tmpl
