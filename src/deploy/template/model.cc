// The template's sections as a model, and the checks CloudFormation makes before it creates
// anything: sections, resource shapes, references, conditions and the dependency graph.
#include <algorithm>
#include <set>

#include "deploy/template/references.h"
#include "deploy/template/template.h"

namespace signoff::deploy::tmpl {

namespace {

using O = Outcome<Template>;

bool alphanumeric(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

std::string scalar_text(const json::Value& v) {
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
  return {};
}

bool known_parameter_type(std::string_view t) {
  if (t == "String" || t == "Number" || t == "List<Number>" || t == "CommaDelimitedList") {
    return true;
  }
  if (t.rfind("AWS::", 0) == 0) {
    return true;
  }
  return t.rfind("List<AWS::", 0) == 0 && t.back() == '>';
}

std::optional<double> number_of(const json::Value& v) {
  if (v.is_number()) {
    return v.as_double();
  }
  if (v.is_string()) {
    std::string s(v.as_string());
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size()) {
      return d;
    }
  }
  return std::nullopt;
}

std::string parse_parameters(const json::Value& section, Template& t) {
  if (section.is_null()) {
    return {};
  }
  if (!section.is_object()) {
    return "Template format error: Parameters must be an object";
  }
  for (const json::Member& m : section.as_object()) {
    if (!alphanumeric(m.key)) {
      return "Template format error: Parameter name " + m.key + " is non alphanumeric.";
    }
    const json::Value& p = m.value;
    const json::Value* type = p.find("Type");
    if (!p.is_object() || !type || !type->is_string()) {
      return "Template format error: Every Parameters object must contain a Type member.";
    }
    ParameterDecl d;
    d.name = m.key;
    d.type = std::string(type->as_string());
    if (!known_parameter_type(d.type)) {
      return "Template format error: Unrecognized parameter type: " + d.type;
    }
    for (const json::Member& f : p.as_object()) {
      const std::string& k = f.key;
      const json::Value& v = f.value;
      if (k == "Type") {
      } else if (k == "Default") {
        if (v.is_array()) {
          std::string joined;
          for (size_t i = 0; i < v.size(); ++i) {
            if (i) {
              joined += ",";
            }
            joined += scalar_text(*v.at(i));
          }
          d.default_value = joined;
        } else {
          d.default_value = scalar_text(v);
        }
      } else if (k == "AllowedValues") {
        if (!v.is_array()) {
          return "Template format error: Every AllowedValues object in the Parameters section "
                 "must contain a list of values.";
        }
        for (const json::Value& a : v.as_array()) {
          d.allowed_values.push_back(scalar_text(a));
        }
      } else if (k == "AllowedPattern") {
        d.allowed_pattern = scalar_text(v);
      } else if (k == "MinLength" || k == "MaxLength" || k == "MinValue" || k == "MaxValue") {
        auto n = number_of(v);
        if (!n) {
          return "Template format error: Every " + k +
                 " object in the Parameters section must "
                 "contain a number.";
        }
        if (k == "MinLength") {
          d.min_length = static_cast<int64_t>(*n);
        } else if (k == "MaxLength") {
          d.max_length = static_cast<int64_t>(*n);
        } else if (k == "MinValue") {
          d.min_value = *n;
        } else {
          d.max_value = *n;
        }
      } else if (k == "NoEcho") {
        d.no_echo = v.is_bool() ? v.as_bool() : scalar_text(v) == "true";
      } else if (k == "Description") {
        d.description = scalar_text(v);
      } else if (k == "ConstraintDescription") {
        d.constraint_description = scalar_text(v);
      } else {
        return "Template format error: Invalid template parameter property '" + k + "'";
      }
    }
    t.parameters.push_back(std::move(d));
  }
  return {};
}

std::string parse_resources(const json::Value& section, Template& t) {
  if (!section.is_object() || section.size() == 0) {
    return "Template format error: At least one Resources member must be defined.";
  }
  for (const json::Member& m : section.as_object()) {
    if (!alphanumeric(m.key)) {
      return "Template format error: Resource name " + m.key + " is non alphanumeric.";
    }
    const json::Value& r = m.value;
    const json::Value* type = r.find("Type");
    if (!r.is_object() || !type || !type->is_string() || type->as_string().empty()) {
      return "Template format error: [/Resources/" + m.key +
             "] Every Resources object must contain a Type member.";
    }
    ResourceDecl d;
    d.logical_id = m.key;
    d.type = std::string(type->as_string());
    d.properties = json::Value::object();
    for (const json::Member& f : r.as_object()) {
      const std::string& k = f.key;
      const json::Value& v = f.value;
      if (k == "Type") {
      } else if (k == "Properties") {
        if (!v.is_object() && !v.is_null()) {
          return "Template format error: [/Resources/" + m.key +
                 "/Properties] Every Properties object must be a JSON object";
        }
        if (v.is_object()) {
          d.properties = v;
        }
      } else if (k == "DependsOn") {
        if (v.is_string()) {
          d.depends_on.push_back(std::string(v.as_string()));
        } else if (v.is_array()) {
          for (const json::Value& x : v.as_array()) {
            if (!x.is_string()) {
              return "Template format error: DependsOn must be a string or list of strings.";
            }
            d.depends_on.push_back(std::string(x.as_string()));
          }
        } else {
          return "Template format error: DependsOn must be a string or list of strings.";
        }
      } else if (k == "Condition") {
        if (!v.is_string()) {
          return "Template format error: Every Condition member must be a string.";
        }
        d.condition = std::string(v.as_string());
      } else if (k == "DeletionPolicy" || k == "UpdateReplacePolicy") {
        std::string p = scalar_text(v);
        if (p != "Delete" && p != "Retain" && p != "Snapshot" && p != "RetainExceptOnCreate") {
          return "Template format error: Unrecognized " + k + " " + p + " for resource " + m.key;
        }
        if (k == "DeletionPolicy") {
          d.deletion_policy = p;
        }
      } else if (k == "Metadata") {
        d.metadata = v;
      } else if (k == "CreationPolicy" || k == "UpdatePolicy" || k == "Version") {
        // Accepted and ignored: no resource type here signals or rolls instances.
      } else {
        return "Template format error: Invalid template resource property '" + k + "'";
      }
    }
    t.resources.push_back(std::move(d));
  }
  return {};
}

std::string parse_outputs(const json::Value& section, Template& t) {
  if (section.is_null()) {
    return {};
  }
  if (!section.is_object()) {
    return "Template format error: Outputs must be an object";
  }
  for (const json::Member& m : section.as_object()) {
    if (!alphanumeric(m.key)) {
      return "Template format error: Output name " + m.key + " is non alphanumeric.";
    }
    const json::Value* value = m.value.find("Value");
    if (!m.value.is_object() || !value) {
      return "Template format error: Every Outputs member must contain a Value object";
    }
    OutputDecl o;
    o.name = m.key;
    o.value = *value;
    if (const json::Value* d = m.value.find("Description")) {
      o.description = scalar_text(*d);
    }
    if (const json::Value* e = m.value.find("Export")) {
      const json::Value* name = e->find("Name");
      if (!name) {
        return "Template format error: Output " + m.key +
               " is malformed. The Name field of "
               "every Export member must be specified and consist only of alphanumeric "
               "characters, colons, or hyphens.";
      }
      o.export_name = *name;
    }
    if (const json::Value* c = m.value.find("Condition")) {
      o.condition = scalar_text(*c);
    }
    t.outputs.push_back(std::move(o));
  }
  return {};
}

std::string join_names(const std::vector<std::string>& names) {
  std::string s = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) {
      s += ", ";
    }
    s += names[i];
  }
  return s + "]";
}

// Every name used in the template must be declared, and resources must form a DAG.
std::string check_references(Template& t) {
  std::set<std::string, std::less<>> conditions;
  for (const auto& c : t.conditions) {
    conditions.insert(c.first);
  }
  Names names;
  names.is_resource = [&](std::string_view n) {
    return t.resource(n) != nullptr;
  };
  names.is_parameter = [&](std::string_view n) {
    return t.parameter(n) != nullptr || is_pseudo_parameter(n);
  };
  names.is_condition = [&](std::string_view n) {
    return conditions.count(n) > 0;
  };

  for (const auto& c : t.conditions) {
    References refs;
    collect_references(c.second, names, refs);
    if (!refs.error.empty()) {
      return refs.error;
    }
    if (!refs.resources.empty() || !refs.unresolved.empty()) {
      std::vector<std::string> all = refs.resources;
      all.insert(all.end(), refs.unresolved.begin(), refs.unresolved.end());
      return "Template format error: Unresolved dependencies " + join_names(all) +
             ". Cannot reference resources in the Conditions block of the template";
    }
  }
  std::vector<std::string> unresolved;
  for (ResourceDecl& r : t.resources) {
    if (!r.condition.empty() && !conditions.count(r.condition)) {
      return "Template format error: Unresolved dependencies [" + r.condition +
             "]. Cannot reference resources in the Conditions block of the template";
    }
    References refs;
    collect_references(r.properties, names, refs);
    if (!refs.error.empty()) {
      return refs.error;
    }
    std::set<std::string> deps(refs.resources.begin(), refs.resources.end());
    for (const std::string& d : r.depends_on) {
      if (!t.resource(d)) {
        refs.unresolved.push_back(d);
      }
      deps.insert(d);
    }
    for (const std::string& u : refs.unresolved) {
      if (std::find(unresolved.begin(), unresolved.end(), u) == unresolved.end()) {
        unresolved.push_back(u);
      }
    }
    deps.erase(r.logical_id);  // a self-reference is a cycle; reported below through DependsOn
    r.dependencies.assign(deps.begin(), deps.end());
    for (const std::string& x : refs.resources) {
      if (x == r.logical_id) {
        return "Circular dependency between resources: [" + r.logical_id + "]";
      }
    }
  }
  if (!unresolved.empty()) {
    return "Template format error: Unresolved resource dependencies " + join_names(unresolved) +
           " in the Resources block of the template";
  }
  for (const OutputDecl& o : t.outputs) {
    if (!o.condition.empty() && !conditions.count(o.condition)) {
      return "Template format error: Unresolved dependencies [" + o.condition +
             "]. Cannot reference resources in the Conditions block of the template";
    }
    References refs;
    collect_references(o.value, names, refs);
    collect_references(o.export_name, names, refs);
    if (!refs.error.empty()) {
      return refs.error;
    }
    if (!refs.unresolved.empty()) {
      return "Template format error: Unresolved resource dependencies " +
             join_names(refs.unresolved) + " in the Outputs block of the template";
    }
  }
  // Kahn's algorithm; what cannot be ordered is on a cycle or behind one.
  std::map<std::string, size_t> pending;
  for (const ResourceDecl& r : t.resources) {
    pending[r.logical_id] = r.dependencies.size();
  }
  std::set<std::string> done;
  bool progress = true;
  while (progress) {
    progress = false;
    for (const ResourceDecl& r : t.resources) {
      if (done.count(r.logical_id)) {
        continue;
      }
      bool ready = true;
      for (const std::string& d : r.dependencies) {
        ready = ready && done.count(d);
      }
      if (ready) {
        done.insert(r.logical_id);
        progress = true;
      }
    }
  }
  if (done.size() != t.resources.size()) {
    std::vector<std::string> cycle;
    for (const ResourceDecl& r : t.resources) {
      if (!done.count(r.logical_id)) {
        cycle.push_back(r.logical_id);
      }
    }
    return "Circular dependency between resources: " + join_names(cycle);
  }
  return {};
}

}  // namespace

bool ParameterDecl::is_list() const {
  return type == "CommaDelimitedList" || type.rfind("List<", 0) == 0;
}

const ResourceDecl* Template::resource(std::string_view logical_id) const {
  for (const ResourceDecl& r : resources) {
    if (r.logical_id == logical_id) {
      return &r;
    }
  }
  return nullptr;
}

const ParameterDecl* Template::parameter(std::string_view name) const {
  for (const ParameterDecl& p : parameters) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

std::vector<std::string> Template::creation_order() const {
  std::vector<std::string> order;
  std::set<std::string> done;
  bool progress = true;
  while (progress && order.size() < resources.size()) {
    progress = false;
    for (const ResourceDecl& r : resources) {
      if (done.count(r.logical_id)) {
        continue;
      }
      bool ready = true;
      for (const std::string& d : r.dependencies) {
        ready = ready && done.count(d);
      }
      if (ready) {
        done.insert(r.logical_id);
        order.push_back(r.logical_id);
        progress = true;
      }
    }
  }
  return order;
}

Outcome<Template> build_template(const json::Value& root) {
  if (!root.is_object()) {
    return O::fail("Template format error: JSON not well-formed. (line 1, column 1)");
  }
  Template t;
  t.root = root;
  t.mappings = json::Value::object();
  std::vector<std::string> invalid;
  static const char* const kSections[] = {"AWSTemplateFormatVersion",
                                          "Description",
                                          "Metadata",
                                          "Parameters",
                                          "Rules",
                                          "Mappings",
                                          "Conditions",
                                          "Transform",
                                          "Resources",
                                          "Outputs",
                                          "Hooks"};
  for (const json::Member& m : root.as_object()) {
    bool known = false;
    for (const char* s : kSections) {
      known = known || m.key == s;
    }
    if (!known) {
      invalid.push_back(m.key);
    }
  }
  if (!invalid.empty()) {
    std::string list;
    for (size_t i = 0; i < invalid.size(); ++i) {
      if (i) {
        list += ", ";
      }
      list += invalid[i];
    }
    return O::fail("Template format error: Invalid template property or properties [" + list + "]");
  }
  if (const json::Value* v = root.find("AWSTemplateFormatVersion")) {
    if (scalar_text(*v) != "2010-09-09") {
      return O::fail("Template format error: Unsupported template version: " + scalar_text(*v));
    }
  }
  if (const json::Value* d = root.find("Description")) {
    if (!d->is_string()) {
      return O::fail("Template format error: Every Description member must be a string.");
    }
    t.description = std::string(d->as_string());
  }
  if (const json::Value* tr = root.find("Transform")) {
    if (tr->is_string()) {
      t.transforms.push_back(std::string(tr->as_string()));
    } else if (tr->is_array()) {
      for (const json::Value& x : tr->as_array()) {
        t.transforms.push_back(scalar_text(x));
      }
    }
    if (!t.transforms.empty()) {
      return O::fail("Template format error: Transforms are not supported by Signoff: " +
                     t.transforms[0]);
    }
  }
  if (const json::Value* m = root.find("Mappings")) {
    if (!m->is_object()) {
      return O::fail("Template format error: Every Mappings member must be a map");
    }
    for (const json::Member& mm : m->as_object()) {
      if (!mm.value.is_object()) {
        return O::fail("Template format error: Every Mappings member " + mm.key + " must be a map");
      }
      for (const json::Member& second : mm.value.as_object()) {
        if (!second.value.is_object()) {
          return O::fail(
              "Template format error: Every Mappings attribute must be a String or a "
              "List.");
        }
      }
    }
    t.mappings = *m;
  }
  if (const json::Value* c = root.find("Conditions")) {
    if (!c->is_object()) {
      return O::fail("Template format error: Every Conditions member must be an object");
    }
    for (const json::Member& m : c->as_object()) {
      t.conditions.emplace_back(m.key, m.value);
    }
  }
  const json::Value* resources = root.find("Resources");
  if (!resources) {
    return O::fail("Template format error: At least one Resources member must be defined.");
  }
  for (auto* step : {&parse_parameters, &parse_resources, &parse_outputs}) {
    const char* section = step == &parse_parameters  ? "Parameters"
                          : step == &parse_resources ? "Resources"
                                                     : "Outputs";
    const json::Value* v = root.find(section);
    std::string e = (*step)(v ? *v : json::Value(), t);
    if (!e.empty()) {
      return O::fail(e);
    }
  }
  for (const ParameterDecl& p : t.parameters) {
    if (t.resource(p.name)) {
      return O::fail("Template format error: Parameter and Resource names must be unique: " +
                     p.name);
    }
  }
  if (std::string e = check_references(t); !e.empty()) {
    return O::fail(e);
  }
  return O{std::move(t), {}};
}

Outcome<Template> parse_template(std::string_view text) {
  auto root = parse_text(text);
  if (!root.ok()) {
    return O::fail(root.error);
  }
  return build_template(*root);
}

}  // namespace signoff::deploy::tmpl
