#include "automation/document.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "automation/yaml.h"
#include "regex/regex.h"

namespace signoff::automation {

namespace {

Error invalid(std::string message) {
  return make_error("InvalidDocumentContent", std::move(message));
}

constexpr std::array<std::string_view, 23> kActions = {"aws:approve",
                                                       "aws:assertAwsResourceProperty",
                                                       "aws:branch",
                                                       "aws:changeInstanceState",
                                                       "aws:copyImage",
                                                       "aws:createImage",
                                                       "aws:createStack",
                                                       "aws:createTags",
                                                       "aws:deleteImage",
                                                       "aws:deleteStack",
                                                       "aws:executeAutomation",
                                                       "aws:executeAwsApi",
                                                       "aws:executeScript",
                                                       "aws:executeStateMachine",
                                                       "aws:invokeLambdaFunction",
                                                       "aws:invokeWebhook",
                                                       "aws:loop",
                                                       "aws:pause",
                                                       "aws:runCommand",
                                                       "aws:runInstances",
                                                       "aws:sleep",
                                                       "aws:updateVariable",
                                                       "aws:waitForAwsResourceProperty"};

constexpr std::array<std::string_view, 10> kImplemented = {"aws:approve",
                                                           "aws:sleep",
                                                           "aws:pause",
                                                           "aws:branch",
                                                           "aws:executeScript",
                                                           "aws:invokeLambdaFunction",
                                                           "aws:executeAutomation",
                                                           "aws:executeStateMachine",
                                                           "aws:executeAwsApi",
                                                           "aws:assertAwsResourceProperty"};

constexpr std::array<std::string_view, 6> kTypes = {"String",  "StringList", "Integer",
                                                    "Boolean", "StringMap",  "MapList"};

bool known_type(std::string_view t) {
  return std::find(kTypes.begin(), kTypes.end(), t) != kTypes.end() || t.rfind("AWS::", 0) == 0;
}

bool valid_step_name(std::string_view n) {
  if (n.empty() || n.size() > 100) {
    return false;
  }
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::optional<int64_t> int_of(const json::Value& v) {
  if (v.is_int()) {
    return v.as_int();
  }
  if (v.is_string()) {
    std::string s(v.as_string());
    if (!s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), ::isdigit)) {
      return std::stoll(s);
    }
  }
  return std::nullopt;
}

std::optional<bool> bool_of(const json::Value& v) {
  if (v.is_bool()) {
    return v.as_bool();
  }
  if (v.is_string()) {
    if (v.as_string() == "true") {
      return true;
    }
    if (v.as_string() == "false") {
      return false;
    }
  }
  return std::nullopt;
}

// A default must have the declared type (templated defaults are checked at start).
bool default_matches(const std::string& type, const json::Value& v) {
  if (type == "String" || type.rfind("AWS::", 0) == 0) {
    return v.is_string();
  }
  if (type == "StringList") {
    if (!v.is_array()) {
      return false;
    }
    return std::all_of(v.as_array().begin(), v.as_array().end(),
                       [](const json::Value& e) { return e.is_string(); });
  }
  if (type == "Integer") {
    return v.is_int() || (v.is_string() && int_of(v).has_value());
  }
  if (type == "Boolean") {
    return bool_of(v).has_value();
  }
  if (type == "StringMap") {
    return v.is_object();
  }
  if (type == "MapList") {
    if (!v.is_array()) {
      return false;
    }
    return std::all_of(v.as_array().begin(), v.as_array().end(),
                       [](const json::Value& e) { return e.is_object(); });
  }
  return true;
}

Result<ParameterDef> parse_parameter(const json::Member& m) {
  ParameterDef p;
  p.name = m.key;
  if (p.name.empty() || p.name.size() > 50) {
    return invalid("Parameter name " + p.name + " is invalid.");
  }
  const json::Value& v = m.value;
  if (!v.is_object()) {
    return invalid("Parameter " + p.name + " must be an object.");
  }
  const json::Value* type = v.find("type");
  if (!type || !type->is_string()) {
    return invalid("Parameter " + p.name + " is missing the required attribute type.");
  }
  p.type = std::string(type->as_string());
  if (!known_type(p.type)) {
    return invalid("Parameter " + p.name + " has an unsupported type " + p.type + ".");
  }
  if (const json::Value* d = v.find("description"); d && d->is_string()) {
    p.description = std::string(d->as_string());
  }
  if (const json::Value* d = v.find("default")) {
    bool templated = d->is_string() && d->as_string().find("{{") != std::string_view::npos;
    if (!templated && !default_matches(p.type, *d)) {
      return invalid("Default value for parameter " + p.name + " does not match type " + p.type +
                     ".");
    }
    p.default_value = *d;
  }
  if (const json::Value* a = v.find("allowedValues")) {
    if (!a->is_array()) {
      return invalid("allowedValues of parameter " + p.name + " must be a list.");
    }
    for (const json::Value& e : a->as_array()) {
      p.allowed_values.push_back(e);
    }
  }
  if (const json::Value* a = v.find("allowedPattern")) {
    if (!a->is_string()) {
      return invalid("allowedPattern of parameter " + p.name + " must be a string.");
    }
    p.allowed_pattern = std::string(a->as_string());
    if (!regex::compile(p.allowed_pattern, "").ok()) {
      return invalid("allowedPattern of parameter " + p.name + " is not a valid regex.");
    }
  }
  auto read_count = [&](const char* key, std::optional<int64_t>& out) -> bool {
    if (const json::Value* x = v.find(key)) {
      auto n = int_of(*x);
      if (!n || *n < 0) {
        return false;
      }
      out = n;
    }
    return true;
  };
  if (!read_count("minItems", p.min_items) || !read_count("maxItems", p.max_items) ||
      !read_count("minChars", p.min_chars) || !read_count("maxChars", p.max_chars)) {
    return invalid("Parameter " + p.name + " has an invalid minItems/maxItems/minChars/maxChars.");
  }
  return p;
}

Result<StepDef> parse_step(const json::Value& v, size_t index) {
  StepDef s;
  if (!v.is_object()) {
    return invalid("Step " + std::to_string(index + 1) + " must be an object.");
  }
  const json::Value* name = v.find("name");
  if (!name || !name->is_string()) {
    return invalid("Step name is missing in step " + std::to_string(index + 1) + ".");
  }
  s.name = std::string(name->as_string());
  if (!valid_step_name(s.name)) {
    return invalid("Step name " + s.name +
                   " is invalid. Step names can contain only letters, digits and underscores.");
  }
  const json::Value* action = v.find("action");
  if (!action || !action->is_string()) {
    return invalid("Action is missing in step " + s.name + ".");
  }
  s.action = std::string(action->as_string());
  if (!known_action(s.action)) {
    return invalid("Action " + s.action + " in step " + s.name + " is not supported.");
  }
  if (const json::Value* in = v.find("inputs")) {
    if (!in->is_object()) {
      return invalid("Inputs of step " + s.name + " must be an object.");
    }
    s.inputs = *in;
  } else {
    s.inputs = json::Value::object();
  }
  if (const json::Value* t = v.find("timeoutSeconds")) {
    auto n = int_of(*t);
    if (!n || *n < 1) {
      return invalid("timeoutSeconds of step " + s.name + " must be a positive integer.");
    }
    s.timeout_seconds = *n;
  }
  if (const json::Value* t = v.find("maxAttempts")) {
    auto n = int_of(*t);
    if (!n || *n < 1) {
      return invalid("maxAttempts of step " + s.name + " must be a positive integer.");
    }
    s.max_attempts = *n;
  }
  if (const json::Value* t = v.find("onFailure")) {
    if (!t->is_string()) {
      return invalid("onFailure of step " + s.name + " must be a string.");
    }
    s.on_failure = std::string(t->as_string());
  }
  if (const json::Value* t = v.find("onCancel")) {
    if (!t->is_string()) {
      return invalid("onCancel of step " + s.name + " must be a string.");
    }
    s.on_cancel = std::string(t->as_string());
  }
  if (const json::Value* t = v.find("nextStep")) {
    if (!t->is_string()) {
      return invalid("nextStep of step " + s.name + " must be a string.");
    }
    s.next_step = std::string(t->as_string());
  }
  if (const json::Value* t = v.find("isEnd")) {
    auto b = bool_of(*t);
    if (!b) {
      return invalid("isEnd of step " + s.name + " must be a boolean.");
    }
    s.is_end = *b;
  }
  if (const json::Value* t = v.find("isCritical")) {
    auto b = bool_of(*t);
    if (!b) {
      return invalid("isCritical of step " + s.name + " must be a boolean.");
    }
    s.is_critical = *b;
  }
  if (const json::Value* o = v.find("outputs")) {
    if (!o->is_array()) {
      return invalid("outputs of step " + s.name + " must be a list.");
    }
    for (const json::Value& e : o->as_array()) {
      const json::Value* n = e.find("Name");
      const json::Value* sel = e.find("Selector");
      if (!n || !n->is_string() || !sel || !sel->is_string()) {
        return invalid("Every output of step " + s.name + " needs a Name and a Selector.");
      }
      s.outputs.push_back(e);
    }
  }
  return s;
}

// Cross-step checks: unique names, transitions that name existing steps, branch choices.
Result<Unit> check_transitions(const Document& d) {
  for (size_t i = 0; i < d.steps.size(); ++i) {
    const StepDef& s = d.steps[i];
    for (size_t j = 0; j < i; ++j) {
      if (d.steps[j].name == s.name) {
        return invalid("Step name " + s.name + " is duplicated.");
      }
    }
  }
  auto target_ok = [&](const std::string& t, bool allow_continue) {
    if (t == "Abort" || (allow_continue && t == "Continue")) {
      return true;
    }
    return t.rfind("step:", 0) == 0 && d.step_index(t.substr(5)) >= 0;
  };
  for (const StepDef& s : d.steps) {
    if (!target_ok(s.on_failure, true)) {
      return invalid("onFailure value " + s.on_failure + " of step " + s.name + " is invalid.");
    }
    if (!target_ok(s.on_cancel, false)) {
      return invalid("onCancel value " + s.on_cancel + " of step " + s.name + " is invalid.");
    }
    if (!s.next_step.empty() && d.step_index(s.next_step) < 0) {
      return invalid("nextStep " + s.next_step + " of step " + s.name + " does not exist.");
    }
    if (s.action == "aws:branch") {
      const json::Value* choices = s.inputs.find("Choices");
      if (!choices || !choices->is_array() || choices->size() == 0) {
        return invalid("Step " + s.name + " of type aws:branch needs a list of Choices.");
      }
      for (const json::Value& c : choices->as_array()) {
        const json::Value* next = c.find("NextStep");
        if (!next || !next->is_string() || d.step_index(next->as_string()) < 0) {
          return invalid("A choice of step " + s.name + " names a NextStep that does not exist.");
        }
      }
      if (const json::Value* def = s.inputs.find("Default")) {
        if (!def->is_string() || d.step_index(def->as_string()) < 0) {
          return invalid("The Default of step " + s.name + " names a step that does not exist.");
        }
      }
    }
  }
  return Unit{};
}

bool all_of_charset(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
  });
}

}  // namespace

const StepDef* Document::step(std::string_view name) const {
  int i = step_index(name);
  return i < 0 ? nullptr : &steps[static_cast<size_t>(i)];
}

int Document::step_index(std::string_view name) const {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

const ParameterDef* Document::parameter(std::string_view name) const {
  for (const ParameterDef& p : parameters) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

bool known_action(std::string_view action) {
  return std::find(kActions.begin(), kActions.end(), action) != kActions.end();
}

bool implemented_action(std::string_view action) {
  return std::find(kImplemented.begin(), kImplemented.end(), action) != kImplemented.end();
}

Result<json::Value> parse_content(std::string_view content, std::string_view format) {
  if (format == "JSON" || format.empty()) {
    auto p = json::parse(content, 64);
    if (p.ok()) {
      return p.value;
    }
    if (format == "JSON") {
      return invalid("JSON not well-formed. at offset " + std::to_string(p.offset));
    }
  }
  if (format == "TEXT") {
    return invalid("Automation documents must be JSON or YAML.");
  }
  return parse_yaml(content);
}

Result<Document> parse_document(std::string_view content, std::string_view format) {
  auto parsed = parse_content(content, format);
  if (!parsed.ok()) {
    return parsed.error();
  }
  const json::Value& root = *parsed;
  if (!root.is_object()) {
    return invalid("The document content must be an object.");
  }
  Document d;
  d.content = root;
  const json::Value* schema = root.find("schemaVersion");
  if (!schema) {
    return make_error("InvalidDocumentSchemaVersion", "Document schema version is missing.");
  }
  std::string sv;
  if (schema->is_string()) {
    sv = std::string(schema->as_string());
  } else if (schema->is_double() || schema->is_int()) {
    std::string s;
    json::format_double(schema->as_double(), s);
    sv = s;
  }
  if (sv != "0.3") {
    return make_error(
        "InvalidDocumentSchemaVersion",
        "Document schema version, " + sv + ", is not supported for document type Automation.");
  }
  d.schema_version = sv;
  if (const json::Value* v = root.find("description"); v && v->is_string()) {
    d.description = std::string(v->as_string());
  }
  if (const json::Value* v = root.find("assumeRole")) {
    if (!v->is_string()) {
      return invalid("assumeRole must be a string.");
    }
    d.assume_role = std::string(v->as_string());
  }
  if (const json::Value* v = root.find("parameters")) {
    if (!v->is_object() && !v->is_null()) {
      return invalid("parameters must be an object.");
    }
    if (v->is_object()) {
      if (v->size() > 200) {
        return invalid("A document can declare at most 200 parameters.");
      }
      for (const json::Member& m : v->as_object()) {
        auto p = parse_parameter(m);
        if (!p.ok()) {
          return p.error();
        }
        d.parameters.push_back(std::move(*p));
      }
    }
  }
  const json::Value* steps = root.find("mainSteps");
  if (!steps || !steps->is_array() || steps->size() == 0) {
    return invalid("mainSteps must be a non-empty list of steps.");
  }
  for (size_t i = 0; i < steps->size(); ++i) {
    auto s = parse_step(*steps->at(i), i);
    if (!s.ok()) {
      return s.error();
    }
    d.steps.push_back(std::move(*s));
  }
  if (const json::Value* v = root.find("outputs")) {
    if (!v->is_array()) {
      return invalid("outputs must be a list.");
    }
    for (const json::Value& o : v->as_array()) {
      if (!o.is_string()) {
        return invalid("Every document output must be a string.");
      }
      d.outputs.emplace_back(o.as_string());
    }
  }
  auto t = check_transitions(d);
  if (!t.ok()) {
    return t.error();
  }
  return d;
}

bool valid_document_name(std::string_view name) {
  return name.size() >= 3 && name.size() <= 128 && all_of_charset(name, "_-.");
}

bool reserved_document_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.rfind("aws-", 0) == 0 || lower.rfind("amazon", 0) == 0 ||
         lower.rfind("amzn", 0) == 0;
}

bool valid_version_name(std::string_view name) {
  return !name.empty() && name.size() <= 128 && all_of_charset(name, "_-.");
}

}  // namespace signoff::automation
