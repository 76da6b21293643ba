// The JSONata query language in the interpreter: a state reads $states.input (and
// $states.result, $states.errorOutput, $states.context) and variables; Arguments, Output and
// Assign replace the five JSONPath fields.
#include <cmath>

#include "asl/interpreter.h"
#include "asl/interpreter_internal.h"

namespace signoff::asl {

namespace {

const JsonataTemplate* ptr(const std::optional<JsonataTemplate>& t) {
  return t ? &*t : nullptr;
}

Failure unexpected_type(const JsonataTemplate& t, std::string_view expected, const json::Value& v) {
  const std::string* text = t.expression_text();
  return Failure{
      std::string(kQueryEvaluationError),
      "The JSONata expression '" + (text ? *text : json::dump(v)) + "' specified for the field '" +
          t.field() + "' returned an unexpected result type. Expected '" + std::string(expected) +
          "', but was '" + std::string(jsonata_type_name(v)) + "' for value: " + json::dump(v)};
}

}  // namespace

void Execution::evaluation_failed(int32_t f, Failure failure, const std::string& location,
                                  const StepEnvironment& env, Transition& out,
                                  std::string_view failed_event, bool catchable) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  std::string cause = "An error occurred while executing the state '" + s.name +
                      "' (entered at the event id #" + std::to_string(fr.entered_id) + "). " +
                      failure.cause;
  HistoryEvent& e = emit(out, "EvaluationFailed", &fr, env);
  std::vector<json::Member> d;
  d.reserve(4);
  d.push_back(json::Member{"cause", json::Value(cause)});
  d.push_back(json::Member{"error", json::Value(failure.error)});
  if (!location.empty()) {
    d.push_back(json::Member{"location", json::Value(location)});
  }
  d.push_back(json::Member{"state", json::Value(s.name)});
  e.details = json::Value::object(std::move(d));
  Failure full{std::move(failure.error), std::move(cause)};
  if (catchable) {
    fail_state(f, std::move(full), env, out, failed_event);
  } else {
    frame_failed(f, std::move(full), env, out);
  }
}

std::optional<json::Value> Execution::eval_jsonata(int32_t f, const JsonataTemplate& t,
                                                   const json::Value* result,
                                                   const json::Value* context,
                                                   const StepEnvironment& env, Transition& out,
                                                   std::string_view failed_event) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  StepHost host(env.now, env.entropy);
  JsonataRoots roots{&fr.input, result, nullptr, context, fr.scope.get(), &host};
  std::string field;
  auto v = t.eval(roots, &field);
  if (!v.ok()) {
    evaluation_failed(f, std::move(v.failure()), field, env, out, failed_event);
    return std::nullopt;
  }
  return std::move(v.value());
}

std::optional<double> Execution::eval_jsonata_number(int32_t f, const JsonataTemplate& t,
                                                     bool integer, double min, double max,
                                                     const StepEnvironment& env, Transition& out,
                                                     std::string_view failed_event) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  json::Value context;
  if (s.uses_context) {
    context = context_object(fr, env);
  }
  auto v = eval_jsonata(f, t, nullptr, s.uses_context ? &context : nullptr, env, out, failed_event);
  if (!v) {
    return std::nullopt;
  }
  bool whole = v->is_int() || (v->is_double() && std::isfinite(v->as_double()) &&
                               std::floor(v->as_double()) == v->as_double());
  if (!v->is_number() || (integer && !whole)) {
    evaluation_failed(f, unexpected_type(t, integer ? "integer" : "number", *v), t.field(), env,
                      out, failed_event);
    return std::nullopt;
  }
  double d = v->as_double();
  if (d < min || d > max) {
    const std::string* text = t.expression_text();
    evaluation_failed(f,
                      Failure{std::string(kQueryEvaluationError),
                              "The JSONata expression '" + (text ? *text : std::string()) +
                                  "' specified for the field '" + t.field() +
                                  "' returned an out-of-range value: " + json::dump(*v)},
                      t.field(), env, out, failed_event);
    return std::nullopt;
  }
  return d;
}

void Execution::complete_jsonata(int32_t f, uint32_t next, const json::Value* result,
                                 const json::Value* error_output, const JsonataTemplate* assign,
                                 const JsonataTemplate* output, json::Value default_output,
                                 bool catchable, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  json::Value context;
  if (s.uses_context && (assign != nullptr || output != nullptr)) {
    context = context_object(fr, env);
  }
  StepHost host(env.now, env.entropy);
  JsonataRoots roots{&fr.input,      result, error_output, s.uses_context ? &context : nullptr,
                     fr.scope.get(), &host};
  std::string field;
  json::Value values;
  if (assign != nullptr) {
    auto a = assign->eval(roots, &field);
    if (!a.ok()) {
      evaluation_failed(f, std::move(a.failure()), field, env, out, {}, catchable);
      return;
    }
    values = std::move(a.value());
  }
  json::Value output_value = std::move(default_output);
  if (output != nullptr) {
    auto o = output->eval(roots, &field);
    if (!o.ok()) {
      evaluation_failed(f, std::move(o.failure()), field, env, out, {}, catchable);
      return;
    }
    output_value = std::move(o.value());
  }
  // Variables change only once both fields are evaluated: neither sees this state's Assign.
  json::Value assigned;
  if (values.is_object() && values.size() > 0) {
    std::vector<json::Member> shown;
    shown.reserve(values.size());
    for (const json::Member& m : values.as_object()) {
      fr.scope->set(m.key, m.value);
      shown.push_back(json::Member{m.key, text_of(m.value)});
    }
    assigned = json::Value::object(std::move(shown));
  }
  transition(f, next, std::move(output_value), std::move(assigned), env, out);
}

void Execution::execute_jsonata(int32_t f, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  fr.effective = fr.input;
  switch (s.type) {
    case StateType::Task:
      start_task(f, env, out);
      return;
    case StateType::Wait:
      start_wait(f, env, out);
      return;
    case StateType::Parallel:
      start_parallel(f, env, out);
      return;
    case StateType::Map:
      start_map(f, env, out);
      return;
    case StateType::Pass:
      complete_jsonata(f, s.end ? kNoState : s.next, nullptr, nullptr, ptr(s.jsonata_assign),
                       ptr(s.jsonata_output), fr.input, true, env, out);
      return;
    case StateType::Succeed:
      complete_jsonata(f, kNoState, nullptr, nullptr, ptr(s.jsonata_assign), ptr(s.jsonata_output),
                       fr.input, true, env, out);
      return;
    case StateType::Fail: {
      json::Value context;
      if (s.uses_context) {
        context = context_object(fr, env);
      }
      const json::Value* ctx = s.uses_context ? &context : nullptr;
      Failure failure;
      for (auto [t, dest] : {std::pair{&s.jsonata_error, &failure.error},
                             std::pair{&s.jsonata_cause, &failure.cause}}) {
        if (!*t) {
          continue;
        }
        auto v = eval_jsonata(f, **t, nullptr, ctx, env, out);
        if (!v) {
          return;
        }
        if (!v->is_string()) {
          evaluation_failed(f, unexpected_type(**t, "string", *v), (*t)->field(), env, out);
          return;
        }
        *dest = std::string(v->as_string());
      }
      frame_failed(f, std::move(failure), env, out);
      return;
    }
    case StateType::Choice: {
      json::Value context;
      if (s.uses_context) {
        context = context_object(fr, env);
      }
      const json::Value* ctx = s.uses_context ? &context : nullptr;
      for (const ChoiceBranch& b : s.choices) {
        if (!b.jsonata_condition) {
          continue;
        }
        auto v = eval_jsonata(f, *b.jsonata_condition, nullptr, ctx, env, out);
        if (!v) {
          return;
        }
        if (!v->is_bool()) {
          evaluation_failed(f, unexpected_type(*b.jsonata_condition, "boolean", *v),
                            b.jsonata_condition->field(), env, out);
          return;
        }
        if (v->as_bool()) {
          // A matched rule's own Assign and Output take the place of the state's.
          const JsonataTemplate* assign =
              b.jsonata_assign ? &*b.jsonata_assign : ptr(s.jsonata_assign);
          const JsonataTemplate* output =
              b.jsonata_output ? &*b.jsonata_output : ptr(s.jsonata_output);
          complete_jsonata(f, b.next, nullptr, nullptr, assign, output, fr.input, true, env, out);
          return;
        }
      }
      if (s.default_next == kNoState) {
        frame_failed(f,
                     Failure{"States.NoChoiceMatched",
                             "No Matches! Choice state '" + s.name +
                                 "' did not match any choice and does not have a default state."},
                     env, out);
        return;
      }
      complete_jsonata(f, s.default_next, nullptr, nullptr, ptr(s.jsonata_assign),
                       ptr(s.jsonata_output), fr.input, true, env, out);
      return;
    }
  }
}

}  // namespace signoff::asl
