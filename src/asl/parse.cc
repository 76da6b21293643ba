// Definition parsing and validation. Diagnostics use AWS's codes, messages and JSON-pointer
// locations; every problem found is reported (not just the first), as
// ValidateStateMachineDefinition does.
#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "asl/definition.h"
#include "asl/timestamp.h"

namespace signoff::asl {

std::string_view state_type_name(StateType t) {
  switch (t) {
    case StateType::Pass:
      return "Pass";
    case StateType::Task:
      return "Task";
    case StateType::Choice:
      return "Choice";
    case StateType::Wait:
      return "Wait";
    case StateType::Succeed:
      return "Succeed";
    case StateType::Fail:
      return "Fail";
    case StateType::Parallel:
      return "Parallel";
    case StateType::Map:
      return "Map";
  }
  return "Pass";
}

uint32_t Program::find(std::string_view name) const {
  for (uint32_t i = 0; i < states.size(); ++i) {
    if (states[i].name == name) {
      return i;
    }
  }
  return kNoState;
}

std::string invalid_definition_message(const Diagnostics& diagnostics) {
  std::string out = "Invalid State Machine Definition: '";
  bool first = true;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != "ERROR") {
      continue;
    }
    if (!first) {
      out += ", ";
    }
    first = false;
    out += d.code + ": " + d.message + " at " + d.location;
  }
  out += "'";
  return out;
}

namespace {

bool is_jsonata_expr(const json::Value& v) {
  if (!v.is_string()) {
    return false;
  }
  std::string_view s = v.as_string();
  return s.size() >= 4 && s.substr(0, 2) == "{%" && s.substr(s.size() - 2) == "%}";
}

bool contains_context_ref(const json::Value& v) {
  switch (v.kind()) {
    case json::Kind::String:
      return v.as_string().find("$$") != std::string_view::npos ||
             v.as_string().find("$states.context") != std::string_view::npos;
    case json::Kind::Array:
      for (const json::Value& item : v.as_array()) {
        if (contains_context_ref(item)) {
          return true;
        }
      }
      return false;
    case json::Kind::Object:
      for (const json::Member& m : v.as_object()) {
        if (contains_context_ref(m.value)) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}

// Optimized integrations AWS recognizes (arn:aws:states:::SERVICE:ACTION[.pattern]).
bool known_integration(std::string_view service_action) {
  static constexpr std::array<std::string_view, 40> kKnown = {
      "lambda:invoke",
      "states:startExecution",
      "sns:publish",
      "sqs:sendMessage",
      "events:putEvents",
      "dynamodb:getItem",
      "dynamodb:putItem",
      "dynamodb:updateItem",
      "dynamodb:deleteItem",
      "ecs:runTask",
      "batch:submitJob",
      "glue:startJobRun",
      "athena:startQueryExecution",
      "athena:getQueryResults",
      "athena:getQueryExecution",
      "athena:stopQueryExecution",
      "codebuild:startBuild",
      "codebuild:stopBuild",
      "codebuild:batchDeleteBuilds",
      "codebuild:batchGetReports",
      "sagemaker:createTrainingJob",
      "sagemaker:createTransformJob",
      "sagemaker:createModel",
      "sagemaker:createEndpoint",
      "sagemaker:createEndpointConfig",
      "sagemaker:createHyperParameterTuningJob",
      "sagemaker:createLabelingJob",
      "sagemaker:createProcessingJob",
      "sagemaker:updateEndpoint",
      "elasticmapreduce:createCluster",
      "elasticmapreduce:terminateCluster",
      "elasticmapreduce:addStep",
      "elasticmapreduce:cancelStep",
      "eks:runJob",
      "eks:call",
      "apigateway:invoke",
      "http:invoke",
      "bedrock:invokeModel",
      "emr-serverless:startJobRun",
      "mediaconvert:createJob",
  };
  return std::find(kKnown.begin(), kKnown.end(), service_action) != kKnown.end();
}

// "arn:aws:states:::lambda:invoke.waitForTaskToken" → ("lambda", "invoke.waitForTaskToken");
// a Lambda function or activity ARN keeps the whole ARN as the resource.
void split_resource(State& s) {
  const std::string& r = s.resource;
  s.wait_for_token = r.size() > 17 && r.compare(r.size() - 17, 17, ".waitForTaskToken") == 0;
  size_t p = r.find(":states:::");
  if (p != std::string::npos) {
    std::string rest = r.substr(p + 10);
    // AWS SDK integrations: "aws-sdk:ssm:startAutomationExecution" → ("aws-sdk:ssm",
    // "startAutomationExecution"), as AWS's history events name them.
    size_t c = rest.rfind("aws-sdk:", 0) == 0 ? rest.find(':', 8) : rest.find(':');
    if (c != std::string::npos) {
      s.resource_type = rest.substr(0, c);
      s.resource_name = rest.substr(c + 1);
      return;
    }
  }
  s.resource_name = r;
  size_t a = r.find(':', 4);
  size_t b = a == std::string::npos ? a : r.find(':', a + 1);
  if (r.rfind("arn:", 0) == 0 && b != std::string::npos) {
    s.resource_type =
        r.find(":activity:") != std::string::npos ? "activity" : r.substr(a + 1, b - a - 1);
  } else {
    s.resource_type = "unknown";
  }
}

class DefinitionParser {
 public:
  DefinitionParser(const ParseOptions& options, Diagnostics& diags)
      : options_(options), diags_(diags) {}

  std::shared_ptr<Program> parse_program(const json::Value& v, const std::string& loc,
                                         QueryLanguage inherited, bool top_level) {
    auto program = std::make_shared<Program>();
    program->query_language = inherited;
    if (!v.is_object()) {
      add_schema_error(diags_, "Expected an object", loc.empty() ? "/" : loc);
      return nullptr;
    }
    std::string where = loc.empty() ? "/" : loc;
    const json::Value* states = v.find("States");
    const json::Value* start = v.find("StartAt");
    std::vector<std::string> missing;
    if (states == nullptr) {
      missing.push_back("States");
    }
    if (start == nullptr) {
      missing.push_back("StartAt");
    }
    if (!missing.empty()) {
      std::string msg = "These fields are required: [";
      for (size_t i = 0; i < missing.size(); ++i) {
        msg += (i ? ", " : "") + missing[i];
      }
      add_schema_error(diags_, msg + "]", where);
      return nullptr;
    }
    if (const json::Value* ql = v.find("QueryLanguage")) {
      if (!parse_query_language(*ql, loc + "/QueryLanguage", program->query_language)) {
        return nullptr;
      }
    }
    if (top_level) {
      machine_language_ = program->query_language;
    }
    if (const json::Value* c = v.find("Comment"); c != nullptr && c->is_string()) {
      program->comment = std::string(c->as_string());
    }
    if (top_level) {
      if (const json::Value* t = v.find("TimeoutSeconds")) {
        if (!t->is_int() || t->as_int() < 0) {
          add_schema_error(diags_,
                           "The value for the field 'TimeoutSeconds' must be a positive integer",
                           loc + "/TimeoutSeconds");
        } else {
          program->timeout_seconds = t->as_int();
        }
      }
    }
    if (!states->is_object()) {
      add_schema_error(diags_, "The value for the field 'States' must be an OBJECT",
                       loc + "/States");
      return nullptr;
    }
    if (!start->is_string()) {
      add_schema_error(diags_, "The value for the field 'StartAt' must be a STRING",
                       loc + "/StartAt");
      return nullptr;
    }
    // Names first, so that transitions can be resolved to indices.
    for (const json::Member& m : states->as_object()) {
      State s;
      s.name = m.key;
      program->states.push_back(std::move(s));
    }
    for (size_t i = 0; i < program->states.size(); ++i) {
      const json::Member& m = states->as_object()[i];
      parse_state(*program, program->states[i], m.value, loc + "/States/" + m.key);
    }
    program->start = program->find(start->as_string());
    if (program->start == kNoState) {
      diags_.push_back(Diagnostic{"ERROR", "MISSING_TRANSITION_TARGET",
                                  "Missing 'Next' target: " + std::string(start->as_string()),
                                  loc + "/StartAt"});
    }
    return program;
  }

 private:
  bool parse_query_language(const json::Value& v, const std::string& loc, QueryLanguage& out) {
    if (v.is_string() && v.as_string() == "JSONPath") {
      out = QueryLanguage::JsonPath;
      return true;
    }
    if (v.is_string() && v.as_string() == "JSONata") {
      out = QueryLanguage::Jsonata;
      return true;
    }
    add_schema_error(
        diags_, "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]", loc);
    return false;
  }

  uint32_t resolve(const Program& program, const json::Value& name, const std::string& loc) {
    if (!name.is_string()) {
      add_schema_error(diags_, "The value for the field 'Next' must be a STRING", loc);
      return kNoState;
    }
    uint32_t idx = program.find(name.as_string());
    if (idx == kNoState) {
      diags_.push_back(Diagnostic{"ERROR", "MISSING_TRANSITION_TARGET",
                                  "Missing 'Next' target: " + std::string(name.as_string()), loc});
    }
    return idx;
  }

  std::optional<JsonPath> path_field(const json::Value& state, std::string_view field,
                                     const std::string& loc) {
    const json::Value* v = state.find(field);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_string()) {
      add_schema_error(diags_,
                       "The value for the field '" + std::string(field) + "' must be a STRING",
                       loc + "/" + std::string(field));
      return std::nullopt;
    }
    std::string error;
    auto p = JsonPath::compile(v->as_string(), &error);
    if (!p) {
      add_schema_error(
          diags_, "The value for the field '" + std::string(field) + "' must be a valid JSONPath",
          loc + "/" + std::string(field));
    }
    return p;
  }

  OptionalPath optional_path(const json::Value& state, std::string_view field,
                             const std::string& loc, bool reference_only) {
    OptionalPath out;
    const json::Value* v = state.find(field);
    if (v == nullptr) {
      return out;
    }
    out.present = true;
    if (v->is_null()) {
      out.is_null = true;
      return out;
    }
    std::string error;
    if (v->is_string()) {
      out.path = JsonPath::compile(v->as_string(), &error);
    }
    if (!out.path || (reference_only && !out.path->is_reference_path())) {
      std::string what = reference_only ? "a valid Reference Path" : "a valid JSONPath";
      add_schema_error(diags_,
                       "The value for the field '" + std::string(field) + "' must be " + what,
                       loc + "/" + std::string(field));
      out.path.reset();
    }
    return out;
  }

  // A JSONata-mode field: literal JSON with "{% %}" expressions anywhere inside.
  std::optional<JsonataTemplate> jsonata_field(const json::Value& state, std::string_view field,
                                               const std::string& loc,
                                               const std::string& prefix = std::string()) {
    const json::Value* v = state.find(field);
    if (v == nullptr) {
      return std::nullopt;
    }
    return JsonataTemplate::compile(*v, prefix + std::string(field), loc + "/" + std::string(field),
                                    diags_);
  }

  // A JSONata-mode numeric field (TimeoutSeconds, MaxConcurrency, ...): a literal the JSONPath
  // rules check, or an expression evaluated when the state runs.
  std::optional<JsonataTemplate> jsonata_number_field(const json::Value& state,
                                                      std::string_view field,
                                                      const std::string& loc) {
    const json::Value* v = state.find(field);
    if (v == nullptr || !is_jsonata_expression(*v)) {
      return std::nullopt;
    }
    return jsonata_field(state, field, loc);
  }

  // Fields a state may carry only in the other query language; AWS reports them at the state.
  void check_language_fields(const State& s, const json::Value& v, const std::string& loc) {
    static constexpr std::array<std::string_view, 16> kJsonPathOnly = {
        "InputPath",
        "OutputPath",
        "ResultPath",
        "ResultSelector",
        "Parameters",
        "Result",
        "ItemsPath",
        "MaxConcurrencyPath",
        "TimeoutSecondsPath",
        "HeartbeatSecondsPath",
        "SecondsPath",
        "TimestampPath",
        "ErrorPath",
        "CausePath",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentagePath",
    };
    static constexpr std::array<std::string_view, 3> kJsonataOnly = {"Arguments", "Output",
                                                                     "Items"};
    bool jsonata = s.query_language == QueryLanguage::Jsonata;
    auto report = [&](std::string_view field) {
      add_schema_error(diags_,
                       std::string("The QueryLanguage is set to '") +
                           (jsonata ? "JSONata" : "JSONPath") + "', but field '" +
                           std::string(field) + "' is only supported for the '" +
                           (jsonata ? "JSONPath" : "JSONata") + "' QueryLanguage",
                       loc);
    };
    if (jsonata) {
      for (std::string_view f : kJsonPathOnly) {
        if (v.find(f) != nullptr) {
          report(f);
        }
      }
    } else {
      for (std::string_view f : kJsonataOnly) {
        if (v.find(f) != nullptr) {
          report(f);
        }
      }
    }
  }

  std::optional<PayloadTemplate> payload(const json::Value& state, std::string_view field,
                                         const std::string& loc) {
    const json::Value* v = state.find(field);
    if (v == nullptr) {
      return std::nullopt;
    }
    return PayloadTemplate::compile(*v, loc + "/" + std::string(field), diags_);
  }

  std::optional<int64_t> positive_int(const json::Value& state, std::string_view field,
                                      const std::string& loc, bool allow_zero) {
    const json::Value* v = state.find(field);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_int() || v->as_int() < (allow_zero ? 0 : 1)) {
      add_schema_error(
          diags_, "The value for the field '" + std::string(field) + "' must be a positive integer",
          loc + "/" + std::string(field));
      return std::nullopt;
    }
    return v->as_int();
  }

  std::vector<std::string> error_list(const json::Value& v, const std::string& loc) {
    std::vector<std::string> out;
    const json::Value* e = v.find("ErrorEquals");
    if (e == nullptr || !e->is_array() || e->size() == 0) {
      add_schema_error(diags_, "These fields are required: [ErrorEquals]", loc);
      return out;
    }
    for (const json::Value& item : e->as_array()) {
      if (item.is_string()) {
        out.emplace_back(item.as_string());
      }
    }
    return out;
  }

  void parse_retry_catch(const Program& program, State& s, const json::Value& v,
                         const std::string& loc) {
    if (const json::Value* retry = v.find("Retry")) {
      if (!retry->is_array()) {
        add_schema_error(diags_, "The value for the field 'Retry' must be an ARRAY",
                         loc + "/Retry");
      } else {
        size_t i = 0;
        for (const json::Value& r : retry->as_array()) {
          std::string rloc = loc + "/Retry/" + std::to_string(i++);
          Retrier rt;
          rt.errors = error_list(r, rloc);
          if (const json::Value* x = r.find("IntervalSeconds"); x != nullptr && x->is_number()) {
            rt.interval_seconds = x->as_double();
          }
          if (const json::Value* x = r.find("MaxAttempts"); x != nullptr && x->is_number()) {
            rt.max_attempts = static_cast<int64_t>(x->as_double());
          }
          if (const json::Value* x = r.find("BackoffRate"); x != nullptr && x->is_number()) {
            rt.backoff_rate = x->as_double();
          }
          if (const json::Value* x = r.find("MaxDelaySeconds"); x != nullptr && x->is_number()) {
            rt.max_delay_seconds = static_cast<int64_t>(x->as_double());
          }
          if (const json::Value* x = r.find("JitterStrategy"); x != nullptr && x->is_string()) {
            rt.full_jitter = x->as_string() == "FULL";
          }
          s.retriers.push_back(std::move(rt));
        }
      }
    }
    if (const json::Value* c = v.find("Catch")) {
      if (!c->is_array()) {
        add_schema_error(diags_, "The value for the field 'Catch' must be an ARRAY",
                         loc + "/Catch");
      } else {
        size_t i = 0;
        for (const json::Value& r : c->as_array()) {
          std::string cloc = loc + "/Catch/" + std::to_string(i++);
          Catcher ct;
          ct.errors = error_list(r, cloc);
          if (const json::Value* n = r.find("Next")) {
            ct.next = resolve(program, *n, cloc + "/Next");
          } else {
            add_schema_error(diags_, "These fields are required: [Next]", cloc);
          }
          std::string prefix = "Catch[" + std::to_string(i - 1) + "]/";
          if (s.query_language == QueryLanguage::Jsonata) {
            ct.jsonata_output = jsonata_field(r, "Output", cloc, prefix);
            ct.jsonata_assign = jsonata_field(r, "Assign", cloc, prefix);
          } else {
            ct.result_path = optional_path(r, "ResultPath", cloc, true);
            ct.assign = payload(r, "Assign", cloc);
          }
          s.catchers.push_back(std::move(ct));
        }
      }
    }
  }

  void check_resource(State& s, const std::string& loc) {
    std::string_view r = s.resource;
    size_t colon = r.find(":states:::");
    if (r.substr(0, 4) == "arn:" && colon != std::string_view::npos) {
      std::string_view rest = r.substr(colon + 10);
      std::string_view base = rest;
      std::string_view pattern;
      if (rest.substr(0, 8) == "aws-sdk:") {
        base = rest;
      } else if (size_t dot = rest.find('.'); dot != std::string_view::npos) {
        base = rest.substr(0, dot);
        pattern = rest.substr(dot);
      }
      if (options_.express && (pattern == ".sync" || pattern == ".sync:2")) {
        add_schema_error(diags_,
                         "Express state machine does not support '.sync' service integration",
                         loc + "/Resource");
        return;
      }
      if (options_.express && pattern == ".waitForTaskToken") {
        add_schema_error(diags_,
                         "Express state machine does not support '.waitForTaskToken' service "
                         "integration ",
                         loc + "/Resource");
        return;
      }
      // AWS SDK integrations support Request Response and .waitForTaskToken only: .sync (and
      // anything else after the action) is refused as an unknown resource, as AWS does; so is an
      // aws-sdk ARN without SERVICE:ACTION.
      bool sdk = rest.substr(0, 8) == "aws-sdk:";
      bool sdk_ok = true;
      if (sdk) {
        std::string_view sdk_rest = rest.substr(8);
        size_t c = sdk_rest.find(':');
        std::string_view action = c == std::string_view::npos ? "" : sdk_rest.substr(c + 1);
        size_t dot = action.find('.');
        sdk_ok =
            c > 0 && !action.empty() && action.find(':') == std::string_view::npos &&
            (dot == std::string_view::npos ? true
                                           : dot > 0 && action.substr(dot) == ".waitForTaskToken");
        if (options_.express && sdk_ok && dot != std::string_view::npos) {
          add_schema_error(diags_,
                           "Express state machine does not support '.waitForTaskToken' service "
                           "integration ",
                           loc + "/Resource");
          return;
        }
      }
      if ((sdk && !sdk_ok) || (!sdk && !known_integration(base))) {
        add_schema_error(diags_,
                         "The resource provided " + s.resource +
                             " is not recognized. The value is not a valid resource ARN, or the "
                             "resource is not available in this region.",
                         loc + "/Resource");
      }
    }
  }

  void parse_state(const Program& program, State& s, const json::Value& v, const std::string& loc) {
    s.location = loc;
    if (!v.is_object()) {
      add_schema_error(diags_, "The value for the state must be an OBJECT", loc);
      return;
    }
    s.query_language = program.query_language;
    bool downgraded = false;
    if (const json::Value* ql = v.find("QueryLanguage")) {
      QueryLanguage q = s.query_language;
      if (parse_query_language(*ql, loc + "/QueryLanguage", q)) {
        if (machine_language_ == QueryLanguage::Jsonata && q == QueryLanguage::JsonPath) {
          downgraded = true;
          add_schema_error(diags_,
                           "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole "
                           "state machine",
                           loc);
        }
        s.query_language = q;
      }
    }
    const json::Value* type = v.find("Type");
    if (type == nullptr) {
      add_schema_error(diags_, "These fields are required: [Type]", loc);
      return;
    }
    static constexpr std::array<std::pair<std::string_view, StateType>, 8> kTypes = {{
        {"Pass", StateType::Pass},
        {"Task", StateType::Task},
        {"Choice", StateType::Choice},
        {"Wait", StateType::Wait},
        {"Succeed", StateType::Succeed},
        {"Fail", StateType::Fail},
        {"Parallel", StateType::Parallel},
        {"Map", StateType::Map},
    }};
    bool found = false;
    for (const auto& [name, t] : kTypes) {
      if (type->is_string() && type->as_string() == name) {
        s.type = t;
        found = true;
      }
    }
    if (!found) {
      add_schema_error(diags_,
                       "The value for the field 'Type' must be one of [Pass, Task, Choice, Wait, "
                       "Succeed, Fail, Parallel, Map]",
                       loc + "/Type");
      return;
    }
    s.uses_context = contains_context_ref(v);
    bool jsonata = s.query_language == QueryLanguage::Jsonata;
    if (!downgraded) {
      check_language_fields(s, v, loc);
    }

    // Transitions.
    bool terminal =
        s.type == StateType::Succeed || s.type == StateType::Fail || s.type == StateType::Choice;
    const json::Value* next = v.find("Next");
    const json::Value* end = v.find("End");
    if (!terminal) {
      if (next != nullptr && end != nullptr) {
        add_schema_error(diags_, "Exactly one of the fields [Next, End] must be present", loc);
      } else if (next != nullptr) {
        s.next = resolve(program, *next, loc + "/Next");
      } else if (end != nullptr && end->is_bool() && end->as_bool()) {
        s.end = true;
      } else {
        add_schema_error(diags_, "Exactly one of the fields [Next, End] must be present", loc);
      }
    }

    // Data flow fields.
    if (jsonata) {
      s.jsonata_arguments = jsonata_field(v, "Arguments", loc);
      s.jsonata_output = jsonata_field(v, "Output", loc);
      s.jsonata_assign = jsonata_field(v, "Assign", loc);
    } else {
      s.input_path = optional_path(v, "InputPath", loc, false);
      s.output_path = optional_path(v, "OutputPath", loc, false);
      s.result_path = optional_path(v, "ResultPath", loc, true);
      s.parameters = payload(v, "Parameters", loc);
      s.result_selector = payload(v, "ResultSelector", loc);
      s.assign = payload(v, "Assign", loc);
    }
    if (const json::Value* r = v.find("Result")) {
      s.has_result = true;
      s.result = *r;
    }

    switch (s.type) {
      case StateType::Task:
        parse_task(s, v, loc);
        parse_retry_catch(program, s, v, loc);
        break;
      case StateType::Choice:
        parse_choice(program, s, v, loc);
        break;
      case StateType::Wait:
        parse_wait(s, v, loc);
        break;
      case StateType::Fail:
        parse_fail(s, v, loc);
        break;
      case StateType::Parallel:
        parse_parallel(s, v, loc);
        parse_retry_catch(program, s, v, loc);
        break;
      case StateType::Map:
        parse_map(s, v, loc);
        parse_retry_catch(program, s, v, loc);
        break;
      default:
        break;
    }
  }

  void parse_task(State& s, const json::Value& v, const std::string& loc) {
    const json::Value* r = v.find("Resource");
    if (r == nullptr || !r->is_string()) {
      add_schema_error(diags_, "These fields are required: [Resource]", loc);
      return;
    }
    s.resource = std::string(r->as_string());
    check_resource(s, loc);
    split_resource(s);
    bool jsonata = s.query_language == QueryLanguage::Jsonata;
    if (jsonata) {
      s.jsonata_timeout_seconds = jsonata_number_field(v, "TimeoutSeconds", loc);
      s.jsonata_heartbeat_seconds = jsonata_number_field(v, "HeartbeatSeconds", loc);
    }
    if (!s.jsonata_timeout_seconds) {
      s.timeout_seconds = positive_int(v, "TimeoutSeconds", loc, false);
    }
    if (!s.jsonata_heartbeat_seconds) {
      s.heartbeat_seconds = positive_int(v, "HeartbeatSeconds", loc, false);
    }
    if (!jsonata) {
      s.timeout_seconds_path = path_field(v, "TimeoutSecondsPath", loc);
      s.heartbeat_seconds_path = path_field(v, "HeartbeatSecondsPath", loc);
    }
    if (const json::Value* c = v.find("Credentials")) {
      if (!c->is_object() || (c->find("RoleArn") == nullptr && c->find("RoleArn.$") == nullptr)) {
        add_schema_error(diags_, "The field 'RoleArn' is required but was missing",
                         loc + "/Credentials");
      }
      s.credentials = *c;
    }
  }

  void parse_choice(const Program& program, State& s, const json::Value& v,
                    const std::string& loc) {
    const json::Value* choices = v.find("Choices");
    if (choices == nullptr || !choices->is_array() || choices->size() == 0) {
      add_schema_error(diags_, "These fields are required: [Choices]", loc);
      return;
    }
    size_t i = 0;
    for (const json::Value& c : choices->as_array()) {
      std::string cloc = loc + "/Choices/" + std::to_string(i++);
      ChoiceBranch b;
      if (const json::Value* n = c.find("Next")) {
        b.next = resolve(program, *n, cloc + "/Next");
      } else {
        add_schema_error(diags_, "These fields are required: [Next]", cloc);
      }
      if (s.query_language == QueryLanguage::Jsonata) {
        std::string prefix = "Choices[" + std::to_string(i - 1) + "]/";
        if (c.find("Condition") != nullptr) {
          b.jsonata_condition = jsonata_field(c, "Condition", cloc, prefix);
        } else {
          add_schema_error(diags_, "These fields are required: [Condition]", cloc);
        }
        b.jsonata_assign = jsonata_field(c, "Assign", cloc, prefix);
        b.jsonata_output = jsonata_field(c, "Output", cloc, prefix);
      } else {
        b.condition = Condition::compile(c, cloc, true, diags_);
        b.assign = payload(c, "Assign", cloc);
      }
      s.choices.push_back(std::move(b));
    }
    if (const json::Value* d = v.find("Default")) {
      s.default_next = resolve(program, *d, loc + "/Default");
    }
  }

  void parse_wait(State& s, const json::Value& v, const std::string& loc) {
    int count = 0;
    if (const json::Value* x = v.find("Seconds")) {
      ++count;
      if (is_jsonata_expr(*x) && s.query_language == QueryLanguage::Jsonata) {
        s.jsonata_seconds = jsonata_field(v, "Seconds", loc);
      } else if (!x->is_int() || x->as_int() < 0) {
        add_schema_error(diags_, "The value for the field 'Seconds' must be a positive integer",
                         loc + "/Seconds");
      } else {
        s.seconds = x->as_int();
      }
    }
    if (const json::Value* x = v.find("Timestamp")) {
      ++count;
      if (is_jsonata_expr(*x) && s.query_language == QueryLanguage::Jsonata) {
        s.jsonata_timestamp = jsonata_field(v, "Timestamp", loc);
      } else if (!x->is_string() || !parse_timestamp(x->as_string())) {
        add_schema_error(diags_, "String does not match RFC3339 timestamp", loc + "/Timestamp");
      } else {
        s.timestamp = std::string(x->as_string());
      }
    }
    if (v.find("SecondsPath") != nullptr) {
      ++count;
      s.seconds_path = path_field(v, "SecondsPath", loc);
    }
    if (v.find("TimestampPath") != nullptr) {
      ++count;
      s.timestamp_path = path_field(v, "TimestampPath", loc);
    }
    if (count != 1) {
      add_schema_error(diags_,
                       "Exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath] "
                       "must be present",
                       loc);
    }
  }

  void string_or_path(const json::Value& v, std::string_view field,
                      std::string_view path_field_name, const std::string& loc,
                      std::optional<std::string>& literal, std::optional<JsonPath>& path,
                      std::optional<Intrinsic>& intrinsic) {
    if (const json::Value* x = v.find(field); x != nullptr && x->is_string()) {
      literal = std::string(x->as_string());
    }
    if (const json::Value* x = v.find(path_field_name); x != nullptr && x->is_string()) {
      std::string error;
      if (is_intrinsic_call(x->as_string())) {
        intrinsic = Intrinsic::compile(x->as_string(), &error);
      } else {
        path = JsonPath::compile(x->as_string(), &error);
      }
      if (!path && !intrinsic) {
        add_schema_error(diags_,
                         "The value for the field '" + std::string(path_field_name) +
                             "' must be a valid JSONPath or a valid intrinsic function call",
                         loc + "/" + std::string(path_field_name));
      }
    }
  }

  void parse_fail(State& s, const json::Value& v, const std::string& loc) {
    if (s.query_language == QueryLanguage::Jsonata) {
      s.jsonata_error = jsonata_field(v, "Error", loc);
      s.jsonata_cause = jsonata_field(v, "Cause", loc);
      return;
    }
    string_or_path(v, "Error", "ErrorPath", loc, s.error, s.error_path, s.error_intrinsic);
    string_or_path(v, "Cause", "CausePath", loc, s.cause, s.cause_path, s.cause_intrinsic);
  }

  void parse_parallel(State& s, const json::Value& v, const std::string& loc) {
    const json::Value* branches = v.find("Branches");
    if (branches == nullptr || !branches->is_array()) {
      add_schema_error(diags_, "These fields are required: [Branches]", loc);
      return;
    }
    size_t i = 0;
    for (const json::Value& b : branches->as_array()) {
      auto p = parse_program(b, loc + "/Branches/" + std::to_string(i++), machine_language_, false);
      if (p) {
        s.branches.push_back(std::move(p));
      }
    }
  }

  void parse_map(State& s, const json::Value& v, const std::string& loc) {
    const json::Value* processor = v.find("ItemProcessor");
    std::string ploc = loc + "/ItemProcessor";
    if (processor == nullptr) {
      processor = v.find("Iterator");
      ploc = loc + "/Iterator";
    }
    if (processor == nullptr) {
      add_schema_error(diags_, "These fields are required: [ItemProcessor]", loc);
      return;
    }
    if (const json::Value* cfg = processor->find("ProcessorConfig")) {
      if (const json::Value* mode = cfg->find("Mode");
          mode != nullptr && mode->is_string() && mode->as_string() == "DISTRIBUTED") {
        s.distributed = true;
      }
    }
    // States inside fall back to the machine's language, not the Map's.
    s.processor = parse_program(*processor, ploc, machine_language_, false);
    bool jsonata = s.query_language == QueryLanguage::Jsonata;
    if (jsonata) {
      s.jsonata_items = jsonata_field(v, "Items", loc);
      s.jsonata_item_selector = jsonata_field(v, "ItemSelector", loc);
      s.jsonata_max_concurrency = jsonata_number_field(v, "MaxConcurrency", loc);
      s.jsonata_tolerated_count = jsonata_number_field(v, "ToleratedFailureCount", loc);
      s.jsonata_tolerated_percentage = jsonata_number_field(v, "ToleratedFailurePercentage", loc);
    } else {
      s.items_path = path_field(v, "ItemsPath", loc);
    }
    if (const json::Value* sel = v.find("ItemSelector")) {
      if (s.query_language == QueryLanguage::JsonPath) {
        s.item_selector = PayloadTemplate::compile(*sel, loc + "/ItemSelector", diags_);
      }
    } else if (const json::Value* params = v.find("Parameters");
               params != nullptr && s.query_language == QueryLanguage::JsonPath) {
      // Legacy Map: Parameters plays the role of ItemSelector.
      s.item_selector = s.parameters;
      s.parameters.reset();
    }
    if (const json::Value* mc = v.find("MaxConcurrency")) {
      if (mc->is_int() && mc->as_int() >= 0) {
        s.max_concurrency = mc->as_int();
      } else if (!(jsonata && is_jsonata_expr(*mc))) {
        add_schema_error(diags_,
                         "The value for the field 'MaxConcurrency' must be a positive integer",
                         loc + "/MaxConcurrency");
      }
    }
    if (!jsonata) {
      s.max_concurrency_path = path_field(v, "MaxConcurrencyPath", loc);
      s.tolerated_failure_count_path = path_field(v, "ToleratedFailureCountPath", loc);
      s.tolerated_failure_percentage_path = path_field(v, "ToleratedFailurePercentagePath", loc);
    }
    if (const json::Value* t = v.find("ToleratedFailureCount"); t != nullptr && t->is_int()) {
      s.tolerated_failure_count = t->as_int();
    }
    if (const json::Value* t = v.find("ToleratedFailurePercentage");
        t != nullptr && t->is_number()) {
      s.tolerated_failure_percentage = t->as_double();
    }
    if (const json::Value* r = v.find("ItemReader")) {
      s.item_reader = *r;
    }
    if (const json::Value* b = v.find("ItemBatcher")) {
      s.item_batcher = *b;
    }
    if (const json::Value* w = v.find("ResultWriter")) {
      s.result_writer = *w;
    }
    if (const json::Value* l = v.find("Label"); l != nullptr && l->is_string()) {
      s.label = std::string(l->as_string());
    }
  }

  const ParseOptions& options_;
  Diagnostics& diags_;
  // The top-level QueryLanguage: branches and item processors inherit it, and a state may not
  // downgrade it to JSONPath.
  QueryLanguage machine_language_ = QueryLanguage::JsonPath;
};

}  // namespace

ParsedDefinition parse_definition(const json::Value& definition, const ParseOptions& options) {
  ParsedDefinition out;
  DefinitionParser parser(options, out.diagnostics);
  auto program = parser.parse_program(definition, "", QueryLanguage::JsonPath, true);
  bool has_error = std::any_of(out.diagnostics.begin(), out.diagnostics.end(),
                               [](const Diagnostic& d) { return d.severity == "ERROR"; });
  if (!has_error && program) {
    out.program = std::move(program);
  }
  return out;
}

ParsedDefinition parse_definition_text(std::string_view text, const ParseOptions& options) {
  json::ParseResult r = json::parse(text);
  if (!r.ok()) {
    ParsedDefinition out;
    out.diagnostics.push_back(
        Diagnostic{"ERROR", "INVALID_JSON_DESCRIPTION",
                   "Invalid JSON: " + r.error + " at offset " + std::to_string(r.offset), "/"});
    return out;
  }
  return parse_definition(r.value, options);
}

}  // namespace signoff::asl
