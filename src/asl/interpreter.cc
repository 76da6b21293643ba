#include "asl/interpreter.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "asl/interpreter_internal.h"

namespace signoff::asl {

namespace {

const json::Value& not_truncated() {
  static const json::Value v = json::Value::object({json::Member{"truncated", false}});
  return v;
}

bool is_entered(std::string_view type) {
  return type.size() > 7 && type.substr(type.size() - 7) == "Entered";
}
bool is_exited(std::string_view type) {
  return type.size() > 6 && type.substr(type.size() - 6) == "Exited";
}

std::string details_key(std::string_view type) {
  if (is_entered(type) && type.find("State") != std::string_view::npos) {
    return "stateEnteredEventDetails";
  }
  if (is_exited(type) && type.find("State") != std::string_view::npos) {
    return "stateExitedEventDetails";
  }
  std::string key(type);
  key[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[0])));
  return key + "EventDetails";
}

bool error_matches(const std::vector<std::string>& names, const std::string& error) {
  for (const std::string& n : names) {
    if (n == error) {
      return true;
    }
    if (n == "States.ALL" && error != "States.Runtime" && error != "States.DataLimitExceeded") {
      return true;
    }
    if (n == "States.TaskFailed" && error != "States.Timeout" && error != "States.Runtime" &&
        error != "States.DataLimitExceeded" && error.rfind("States.", 0) != 0) {
      return true;
    }
  }
  return false;
}

std::string region_of(const std::string& arn) {
  // arn:partition:service:region:...
  size_t a = arn.find(':');
  size_t b = a == std::string::npos ? a : arn.find(':', a + 1);
  size_t c = b == std::string::npos ? b : arn.find(':', b + 1);
  size_t d = c == std::string::npos ? c : arn.find(':', c + 1);
  if (d == std::string::npos) {
    return "us-east-1";
  }
  std::string r = arn.substr(c + 1, d - c - 1);
  return r.empty() ? "us-east-1" : r;
}

}  // namespace

std::string ExecutionInfo::arn() const {
  std::string out = machine->arn;
  size_t p = out.find(":stateMachine:");
  if (p != std::string::npos) {
    out.replace(p, 14, express ? ":express:" : ":execution:");
  }
  out += ':';
  out += name;
  return out;
}

std::string_view execution_status_name(ExecutionStatus s) {
  switch (s) {
    case ExecutionStatus::Running:
      return "RUNNING";
    case ExecutionStatus::Succeeded:
      return "SUCCEEDED";
    case ExecutionStatus::Failed:
      return "FAILED";
    case ExecutionStatus::TimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::Aborted:
      return "ABORTED";
  }
  return "RUNNING";
}

json::Value event_to_json(const HistoryEvent& e, bool parsed_payloads) {
  std::vector<json::Member> m;
  m.push_back(json::Member{"id", json::Value(e.id)});
  m.push_back(json::Member{"previousEventId", json::Value(e.previous_event_id)});
  m.push_back(json::Member{"timestamp", json::Value(format_timestamp(e.timestamp))});
  m.push_back(json::Member{"type", json::Value(e.type)});
  auto payload = [&](const json::Value& v) {
    return parsed_payloads ? v : text_of(v);
  };
  if (e.state != nullptr) {
    std::vector<json::Member> d;
    d.push_back(json::Member{"name", json::Value(e.state->name)});
    if (is_entered(e.type)) {
      d.push_back(json::Member{"input", payload(e.payload)});
      d.push_back(json::Member{"inputDetails", not_truncated()});
    } else {
      d.push_back(json::Member{"output", payload(e.payload)});
      d.push_back(json::Member{"outputDetails", not_truncated()});
      if (!e.assigned.is_null()) {
        d.push_back(json::Member{"assignedVariables", e.assigned});
        d.push_back(json::Member{"assignedVariablesDetails", not_truncated()});
      }
    }
    m.push_back(json::Member{details_key(e.type), json::Value::object(std::move(d))});
  } else if (!e.details.is_null()) {
    json::Value d = e.details;
    if (!parsed_payloads) {
      for (const char* key : {"input", "output", "parameters"}) {
        if (const json::Value* v = d.find(key)) {
          d.set(key, text_of(*v));
        }
      }
    }
    m.push_back(json::Member{details_key(e.type), std::move(d)});
  }
  return json::Value::object(std::move(m));
}

// ---------------------------------------------------------------------------------------------
// Execution

Execution::Execution(std::shared_ptr<const Program> program, ExecutionInfo info)
    : program_(std::move(program)), info_(std::move(info)) {}

Execution::~Execution() = default;

int32_t Execution::new_frame(const Program* program, int32_t parent, uint32_t slot) {
  int32_t f;
  if (!free_frames_.empty()) {
    f = free_frames_.back();
    free_frames_.pop_back();
    *frames_[static_cast<size_t>(f)] = Frame();
  } else {
    f = static_cast<int32_t>(frames_.size());
    frames_.push_back(std::make_unique<Frame>());
  }
  Frame& fr = *frames_[static_cast<size_t>(f)];
  fr.program = program;
  fr.parent = parent;
  fr.slot = slot;
  fr.live = true;
  fr.state = program->start;
  return f;
}

void Execution::release_frame(int32_t f) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  fr.live = false;
  fr.input = json::Value();
  fr.effective = json::Value();
  fr.scope.reset();
  fr.fan.reset();
  free_frames_.push_back(f);
}

HistoryEvent& Execution::emit(Transition& out, std::string_view type, Frame* frame,
                              const StepEnvironment& env) {
  if (frame != nullptr && frame->silent) {
    if (!discarded_) {
      discarded_ = std::make_unique<HistoryEvent>();
    }
    *discarded_ = HistoryEvent();
    return *discarded_;
  }
  HistoryEvent& e = out.events.emplace_back();
  e.type = type;
  e.id = next_event_id_++;
  e.timestamp = env.now;
  if (frame != nullptr) {
    e.previous_event_id = frame->last_id;
    frame->last_id = e.id;
  }
  return e;
}

std::string Execution::token_for(uint64_t task_id, const StepEnvironment& env) {
  if (env.tokens != nullptr) {
    return env.tokens->mint(task_id);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 2; ++i) {  // 128 bits
    uint64_t r = env.entropy->next_u64();
    for (int j = 0; j < 16; ++j) {
      t.push_back(kHex[(r >> (j * 4)) & 0xF]);
    }
  }
  return t;
}

std::string Execution::map_run_arn(const State& s, const StepEnvironment& env) const {
  // arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID, derived from the machine's ARN.
  std::string arn = info_.machine->arn;
  size_t p = arn.find(":stateMachine:");
  if (p != std::string::npos) {
    arn.replace(p, 14, ":mapRun:");
  }
  uint64_t id = env.entropy->next_u64();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string suffix;
  for (int i = 0; i < 8; ++i) {
    suffix.push_back(kHex[(id >> (i * 4)) & 0xF]);
  }
  return arn + "/" + (s.label.empty() ? s.name : s.label) + ":" + suffix;
}

json::Value Execution::context_object(const Frame& frame, const StepEnvironment& env) const {
  const State& s = frame.program->states[frame.state];
  std::vector<json::Member> exec;
  exec.reserve(6);
  exec.push_back(json::Member{"Id", json::Value(info_.arn())});
  exec.push_back(json::Member{"Input", info_.input});
  exec.push_back(json::Member{"Name", json::Value(info_.name)});
  exec.push_back(json::Member{"RoleArn", json::Value(info_.machine->role_arn)});
  exec.push_back(json::Member{"StartTime", json::Value(format_timestamp(info_.start_time))});
  exec.push_back(json::Member{"RedriveCount", json::Value(0)});
  std::vector<json::Member> sm;
  sm.push_back(json::Member{"Id", json::Value(info_.machine->arn)});
  sm.push_back(json::Member{"Name", json::Value(info_.machine->name)});
  std::vector<json::Member> st;
  st.reserve(3);
  st.push_back(json::Member{"EnteredTime", json::Value(format_timestamp(env.now))});
  st.push_back(json::Member{"Name", json::Value(s.name)});
  if (frame.retry_count > 0) {
    st.push_back(json::Member{"RetryCount", json::Value(static_cast<int64_t>(frame.retry_count))});
  }
  std::vector<json::Member> ctx;
  ctx.reserve(4);
  ctx.push_back(json::Member{"Execution", json::Value::object(std::move(exec))});
  ctx.push_back(json::Member{"StateMachine", json::Value::object(std::move(sm))});
  ctx.push_back(json::Member{"State", json::Value::object(std::move(st))});
  if (!frame.task_token.empty()) {
    ctx.push_back(json::Member{
        "Task", json::Value::object({json::Member{"Token", json::Value(frame.task_token)}})});
  }
  return json::Value::object(std::move(ctx));
}

void Execution::step(const Input& input, const StepEnvironment& env, Transition& out) {
  if (status_ != ExecutionStatus::Running) {
    return;
  }
  switch (input.kind) {
    case Input::Kind::Start: {
      if (!frames_.empty()) {
        return;
      }
      HistoryEvent& e = emit(out, "ExecutionStarted", nullptr, env);
      std::vector<json::Member> d;
      d.reserve(3);
      d.push_back(json::Member{"input", info_.input});
      d.push_back(json::Member{"inputDetails", not_truncated()});
      d.push_back(json::Member{"roleArn", json::Value(info_.machine->role_arn)});
      e.details = json::Value::object(std::move(d));
      int32_t root = new_frame(program_.get(), -1, 0);
      Frame& fr = *frames_[static_cast<size_t>(root)];
      fr.input = info_.input;
      fr.scope = std::make_shared<VarScope>();
      if (program_->timeout_seconds) {
        Command c;
        c.kind = Command::Kind::StartTimer;
        c.timer.timer_id = 0;  // timer 0 is the execution's TimeoutSeconds
        c.timer.fire_at = env.now + *program_->timeout_seconds * kNanos;
        out.commands.push_back(std::move(c));
      }
      push_work(Work{root, Action::Enter});
      break;
    }
    case Input::Kind::TaskSucceeded:
    case Input::Kind::TaskFailed:
    case Input::Kind::TaskTimedOut:
    case Input::Kind::TaskSubmitted:
    case Input::Kind::ActivityStarted:
      on_task_result(input, env, out);
      break;
    case Input::Kind::TimerFired:
      on_timer(input, env, out);
      break;
    case Input::Kind::Stop: {
      HistoryEvent& e = emit(out, "ExecutionAborted", nullptr, env);
      std::vector<json::Member> d;
      if (!input.error.empty()) {
        d.push_back(json::Member{"error", json::Value(input.error)});
      }
      if (!input.cause.empty()) {
        d.push_back(json::Member{"cause", json::Value(input.cause)});
      }
      e.details = d.empty() ? json::Value() : json::Value::object(std::move(d));
      status_ = ExecutionStatus::Aborted;
      error_ = input.error;
      cause_ = input.cause;
      work_.clear();
      work_head_ = 0;
      return;
    }
  }
  run(env, out);
}

void Execution::run(const StepEnvironment& env, Transition& out) {
  while (work_head_ < work_.size() && status_ == ExecutionStatus::Running) {
    Work w = work_[work_head_++];
    if (work_head_ == work_.size()) {
      work_.clear();
      work_head_ = 0;
    }
    if (!frames_[static_cast<size_t>(w.frame)]->live) {
      continue;
    }
    if (w.action == Action::Enter) {
      enter_state(w.frame, env, out);
    } else {
      execute_state(w.frame, env, out);
    }
  }
}

void Execution::enter_state(int32_t f, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  HistoryEvent& e = emit(out, kEnteredNames[static_cast<size_t>(s.type)], &fr, env);
  e.state = &s;
  e.payload = fr.input;
  fr.entered_id = e.id;
  fr.retry_count = 0;
  fr.attempts.assign(s.retriers.size(), 0);
  push_work(Work{f, Action::Execute});
}

Outcome<json::Value> Execution::apply_input_path(const Frame& frame, const State& s,
                                                 const json::Value& input,
                                                 const json::Value* context) {
  if (!s.input_path.present) {
    return input;
  }
  if (s.input_path.is_null) {
    return json::Value::object();
  }
  PathRoots roots{&input, context, frame.scope.get()};
  auto v = s.input_path.path->select(roots);
  if (!v) {
    return runtime_failure("Invalid path '" + s.input_path.path->text() +
                           "' : No results for path: " + s.input_path.path->normalized());
  }
  return std::move(*v);
}

// ResultPath: where a state's result goes in its raw input (absent: replaces it; null: discarded).
Outcome<json::Value> Execution::apply_result_path(const Frame& fr, const OptionalPath& result_path,
                                                  json::Value result) {
  if (!result_path.present) {
    return result;
  }
  if (result_path.is_null) {
    return fr.input;
  }
  std::string error;
  auto merged = assign_at(fr.input, *result_path.path, std::move(result), &error);
  if (!merged) {
    return runtime_failure(std::move(error));
  }
  return std::move(*merged);
}

// OutputPath: the part of the output passed on (absent: all of it; null: {}).
Outcome<json::Value> Execution::apply_output_path(const Frame& fr, const State& s,
                                                  json::Value output, const json::Value* context) {
  if (!s.output_path.present) {
    return output;
  }
  if (s.output_path.is_null) {
    return json::Value::object();
  }
  PathRoots roots{&output, context, fr.scope.get()};
  auto v = s.output_path.path->select(roots);
  if (!v) {
    return runtime_failure("Invalid path '" + s.output_path.path->text() +
                           "' : No results for path: " + s.output_path.path->normalized());
  }
  return std::move(*v);
}

Outcome<json::Value> Execution::assign_variables(int32_t f, const PayloadTemplate* assign,
                                                 const json::Value& dollar,
                                                 const json::Value* context,
                                                 const StepEnvironment& env) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  PathRoots roots{&dollar, context, fr.scope.get()};
  auto values = assign->eval(roots, *env.entropy);
  if (!values.ok()) {
    return values.failure();
  }
  // All right-hand sides see the variables as they were before this Assign.
  std::vector<json::Member> shown;
  for (const json::Member& m : values.value().as_object()) {
    fr.scope->set(m.key, m.value);
    shown.push_back(json::Member{m.key, text_of(m.value)});
  }
  if (shown.empty()) {
    return json::Value();  // an empty Assign records nothing
  }
  return json::Value::object(std::move(shown));
}

void Execution::execute_state(int32_t f, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  if (s.query_language == QueryLanguage::Jsonata) {
    execute_jsonata(f, env, out);
    return;
  }
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
    default:
      break;
  }
  json::Value context;
  if (s.uses_context) {
    context = context_object(fr, env);
  }
  const json::Value* ctx = s.uses_context ? &context : nullptr;

  auto effective = apply_input_path(fr, s, fr.input, ctx);
  if (!effective.ok()) {
    runtime_error(f, effective.failure().cause, env, out);
    return;
  }

  switch (s.type) {
    case StateType::Pass: {
      json::Value result;
      if (s.parameters) {
        PathRoots roots{&effective.value(), ctx, fr.scope.get()};
        auto p = s.parameters->eval(roots, *env.entropy);
        if (!p.ok()) {
          fail_state(f, std::move(p.failure()), env, out);
          return;
        }
        effective.value() = std::move(p.value());
      }
      result = s.has_result ? s.result : effective.value();
      fr.effective = std::move(effective.value());
      finish_state(f, std::move(result), env, out);
      return;
    }
    case StateType::Succeed: {
      json::Value output = std::move(effective.value());
      auto shaped = apply_output_path(fr, s, std::move(output), ctx);
      if (!shaped.ok()) {
        runtime_error(f, shaped.failure().cause, env, out);
        return;
      }
      output = std::move(shaped.value());
      HistoryEvent& e = emit(out, kExitedNames[static_cast<size_t>(s.type)], &fr, env);
      e.state = &s;
      e.payload = output;
      frame_succeeded(f, std::move(output), env, out);
      return;
    }
    case StateType::Fail: {
      Failure failure;
      PathRoots roots{&effective.value(), ctx, fr.scope.get()};
      auto resolve = [&](const std::optional<std::string>& literal,
                         const std::optional<JsonPath>& path, const std::optional<Intrinsic>& fn,
                         const char* field, std::string& dest) -> bool {
        if (literal) {
          dest = *literal;
          return true;
        }
        if (path) {
          auto v = path->select(roots);
          if (!v) {
            runtime_error(f,
                          "The JSONPath '" + path->text() + "' specified for the field '" + field +
                              "' could not be found in the input '" +
                              json::dump(effective.value()) + "'",
                          env, out);
            return false;
          }
          if (!v->is_string()) {
            runtime_error(f,
                          std::string("The ") + field + " field must be a string: " + path->text(),
                          env, out);
            return false;
          }
          dest = std::string(v->as_string());
          return true;
        }
        if (fn) {
          auto v = fn->eval(roots, *env.entropy);
          if (!v.ok()) {
            finish_execution(ExecutionStatus::Failed, json::Value(), v.failure(), env, out);
            return false;
          }
          dest = v.value().is_string() ? std::string(v.value().as_string()) : json::dump(v.value());
          return true;
        }
        return true;
      };
      if (!resolve(s.error, s.error_path, s.error_intrinsic, "ErrorPath", failure.error)) {
        return;
      }
      if (!resolve(s.cause, s.cause_path, s.cause_intrinsic, "CausePath", failure.cause)) {
        return;
      }
      frame_failed(f, std::move(failure), env, out);
      return;
    }
    case StateType::Choice: {
      PathRoots roots{&effective.value(), ctx, fr.scope.get()};
      uint32_t next = kNoState;
      const PayloadTemplate* assign = s.assign ? &*s.assign : nullptr;
      for (const ChoiceBranch& b : s.choices) {
        auto r = b.condition->evaluate(roots);
        if (!r.ok()) {
          runtime_error(f, r.failure().cause, env, out);
          return;
        }
        if (r.value()) {
          next = b.next;
          if (b.assign) {
            assign = &*b.assign;
          }
          break;
        }
      }
      if (next == kNoState) {
        next = s.default_next;
      }
      if (next == kNoState) {
        frame_failed(f,
                     Failure{"States.NoChoiceMatched",
                             "No Matches! Choice state '" + s.name +
                                 "' did not match any choice and does not have a default state."},
                     env, out);
        return;
      }
      json::Value assigned;
      if (assign != nullptr) {
        auto a = assign_variables(f, assign, effective.value(), ctx, env);
        if (!a.ok()) {
          runtime_error(f, a.failure().cause, env, out);
          return;
        }
        assigned = std::move(a.value());
      }
      json::Value output = std::move(effective.value());
      auto shaped = apply_output_path(fr, s, std::move(output), ctx);
      if (!shaped.ok()) {
        runtime_error(f, shaped.failure().cause, env, out);
        return;
      }
      output = std::move(shaped.value());
      transition(f, next, std::move(output), std::move(assigned), env, out);
      return;
    }
    default:
      return;
  }
}

// Applies ResultSelector (already done by callers that have one), ResultPath, Assign and
// OutputPath to a state's result, then leaves the state.
void Execution::finish_state(int32_t f, json::Value result, const StepEnvironment& env,
                             Transition& out) {
  complete_state(f, std::move(result), env, out);
}

void Execution::complete_state(int32_t f, json::Value result, const StepEnvironment& env,
                               Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  if (s.query_language == QueryLanguage::Jsonata) {
    // Task, Parallel and Map have a result ($states.result, the default output); Wait passes
    // its input on.
    bool has_result =
        s.type == StateType::Task || s.type == StateType::Parallel || s.type == StateType::Map;
    json::Value default_output = has_result ? result : fr.input;
    complete_jsonata(f, s.end ? kNoState : s.next, has_result ? &result : nullptr, nullptr,
                     s.jsonata_assign ? &*s.jsonata_assign : nullptr,
                     s.jsonata_output ? &*s.jsonata_output : nullptr, std::move(default_output),
                     true, env, out);
    return;
  }
  // Only Assign and OutputPath can read the context object here.
  json::Value context;
  bool need_context = s.uses_context && (s.assign || s.output_path.path);
  if (need_context) {
    context = context_object(fr, env);
  }
  const json::Value* ctx = need_context ? &context : nullptr;

  json::Value assigned;
  if (s.assign) {
    auto a = assign_variables(f, &*s.assign, result, ctx, env);
    if (!a.ok()) {
      runtime_error(f, a.failure().cause, env, out);
      return;
    }
    assigned = std::move(a.value());
  }

  auto merged = apply_result_path(fr, s.result_path, std::move(result));
  if (!merged.ok()) {
    runtime_error(f, merged.failure().cause, env, out);
    return;
  }
  json::Value output = std::move(merged.value());
  auto shaped = apply_output_path(fr, s, std::move(output), ctx);
  if (!shaped.ok()) {
    runtime_error(f, shaped.failure().cause, env, out);
    return;
  }
  output = std::move(shaped.value());
  transition(f, s.end ? kNoState : s.next, std::move(output), std::move(assigned), env, out);
}

void Execution::transition(int32_t f, uint32_t next, json::Value output, json::Value assigned,
                           const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  HistoryEvent& e = emit(out, kExitedNames[static_cast<size_t>(s.type)], &fr, env);
  e.state = &s;
  e.payload = output;
  e.assigned = std::move(assigned);
  if (next == kNoState) {
    frame_succeeded(f, std::move(output), env, out);
    return;
  }
  fr.state = next;
  fr.input = std::move(output);
  fr.effective = json::Value();
  push_work(Work{f, Action::Enter});
}

void Execution::runtime_error(int32_t f, std::string detail, const StepEnvironment& env,
                              Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  std::string cause = "An error occurred while executing the state '" + s.name +
                      "' (entered at the event id #" + std::to_string(fr.entered_id) + "). " +
                      detail;
  // States.Runtime is neither retried nor caught: it ends the execution.
  finish_execution(ExecutionStatus::Failed, json::Value(), Failure{"States.Runtime", cause}, env,
                   out);
}

void Execution::fail_state(int32_t f, Failure failure, const StepEnvironment& env, Transition& out,
                           std::string_view failed_event) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  if (failure.error == "States.Runtime" || failure.error == "States.DataLimitExceeded") {
    std::string detail = failure.cause;
    if (failure.error == "States.Runtime") {
      runtime_error(f, detail, env, out);
    } else {
      finish_execution(ExecutionStatus::Failed, json::Value(), std::move(failure), env, out);
    }
    return;
  }
  for (size_t i = 0; i < s.retriers.size(); ++i) {
    const Retrier& r = s.retriers[i];
    if (!error_matches(r.errors, failure.error)) {
      continue;
    }
    if (fr.attempts[i] >= r.max_attempts) {
      break;  // the first matching retrier decides; exhausted means no retry
    }
    double delay = r.interval_seconds * std::pow(r.backoff_rate, fr.attempts[i]);
    if (r.max_delay_seconds && delay > static_cast<double>(*r.max_delay_seconds)) {
      delay = static_cast<double>(*r.max_delay_seconds);
    }
    if (r.full_jitter) {
      double u = static_cast<double>(env.entropy->next_u64() >> 11) / 9007199254740992.0;
      delay *= u;
    }
    ++fr.attempts[i];
    ++fr.retry_count;
    fr.retry_pending = true;
    fr.waiting_timer = next_wait_id_++;
    Command c;
    c.kind = Command::Kind::StartTimer;
    c.timer.timer_id = fr.waiting_timer;
    c.timer.fire_at = env.now + static_cast<int64_t>(delay * static_cast<double>(kNanos));
    out.commands.push_back(std::move(c));
    return;
  }
  if (!failed_event.empty()) {
    emit(out, failed_event, &fr, env);
  }
  for (const Catcher& c : s.catchers) {
    if (!error_matches(c.errors, failure.error)) {
      continue;
    }
    json::Value err = error_output(failure);
    if (s.query_language == QueryLanguage::Jsonata) {
      complete_jsonata(f, c.next, nullptr, &err, c.jsonata_assign ? &*c.jsonata_assign : nullptr,
                       c.jsonata_output ? &*c.jsonata_output : nullptr, err, false, env, out);
      return;
    }
    json::Value assigned;
    if (c.assign) {
      auto a = assign_variables(f, &*c.assign, err, nullptr, env);
      if (!a.ok()) {
        runtime_error(f, a.failure().cause, env, out);
        return;
      }
      assigned = std::move(a.value());
    }
    auto merged = apply_result_path(fr, c.result_path, std::move(err));
    if (!merged.ok()) {
      runtime_error(f, merged.failure().cause, env, out);
      return;
    }
    json::Value output = std::move(merged.value());
    transition(f, c.next, std::move(output), std::move(assigned), env, out);
    return;
  }
  frame_failed(f, std::move(failure), env, out);
}

void Execution::frame_succeeded(int32_t f, json::Value output, const StepEnvironment& env,
                                Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  if (fr.parent < 0) {
    finish_execution(ExecutionStatus::Succeeded, std::move(output), Failure{}, env, out);
    return;
  }
  child_done(fr.parent, f, true, std::move(output), Failure{}, env, out);
}

void Execution::frame_failed(int32_t f, Failure failure, const StepEnvironment& env,
                             Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  if (fr.parent < 0) {
    finish_execution(ExecutionStatus::Failed, json::Value(), std::move(failure), env, out);
    return;
  }
  child_done(fr.parent, f, false, json::Value(), std::move(failure), env, out);
}

void Execution::finish_execution(ExecutionStatus status, json::Value output, Failure failure,
                                 const StepEnvironment& env, Transition& out) {
  if (status_ != ExecutionStatus::Running) {
    return;
  }
  Frame* root = frames_.empty() ? nullptr : frames_[0].get();
  status_ = status;
  work_.clear();
  work_head_ = 0;
  if (status == ExecutionStatus::Succeeded) {
    HistoryEvent& e = emit(out, "ExecutionSucceeded", root, env);
    std::vector<json::Member> d;
    d.push_back(json::Member{"output", output});
    d.push_back(json::Member{"outputDetails", not_truncated()});
    e.details = json::Value::object(std::move(d));
    output_ = std::move(output);
    return;
  }
  error_ = failure.error;
  cause_ = failure.cause;
  std::vector<json::Member> d;
  if (!failure.cause.empty()) {
    d.push_back(json::Member{"cause", json::Value(failure.cause)});
  }
  if (!failure.error.empty()) {
    d.push_back(json::Member{"error", json::Value(failure.error)});
  }
  HistoryEvent& e =
      emit(out, status == ExecutionStatus::TimedOut ? "ExecutionTimedOut" : "ExecutionFailed", root,
           env);
  e.details = d.empty() ? json::Value() : json::Value::object(std::move(d));
}

// ---------------------------------------------------------------------------------------------
// Task and Wait

void Execution::start_task(int32_t f, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  bool wait_for_token =
      s.resource.size() > 17 && s.resource.substr(s.resource.size() - 17) == ".waitForTaskToken";
  uint64_t task_id = next_wait_id_++;
  fr.task_token = wait_for_token ? token_for(task_id, env) : std::string();
  json::Value context;
  if (s.uses_context) {
    context = context_object(fr, env);
  }
  const json::Value* ctx = s.uses_context ? &context : nullptr;
  auto effective = apply_input_path(fr, s, fr.input, ctx);
  if (!effective.ok()) {
    runtime_error(f, effective.failure().cause, env, out);
    return;
  }
  json::Value params = effective.value();
  if (s.parameters) {
    PathRoots roots{&effective.value(), ctx, fr.scope.get()};
    auto p = s.parameters->eval(roots, *env.entropy);
    if (!p.ok()) {
      fail_state(f, std::move(p.failure()), env, out);
      return;
    }
    params = std::move(p.value());
  }
  std::optional<int64_t> timeout_expr;
  std::optional<int64_t> heartbeat_expr;
  if (s.query_language == QueryLanguage::Jsonata) {
    if (s.jsonata_arguments) {
      auto p = eval_jsonata(f, *s.jsonata_arguments, nullptr, ctx, env, out);
      if (!p) {
        return;
      }
      params = std::move(*p);
    }
    constexpr double kMaxSeconds = 99999999;
    if (s.jsonata_timeout_seconds) {
      auto v = eval_jsonata_number(f, *s.jsonata_timeout_seconds, true, 1, kMaxSeconds, env, out);
      if (!v) {
        return;
      }
      timeout_expr = static_cast<int64_t>(*v);
    }
    if (s.jsonata_heartbeat_seconds) {
      auto v = eval_jsonata_number(f, *s.jsonata_heartbeat_seconds, true, 1, kMaxSeconds, env, out);
      if (!v) {
        return;
      }
      heartbeat_expr = static_cast<int64_t>(*v);
    }
  }
  RunTaskCommand cmd;
  cmd.task_id = task_id;
  cmd.resource = s.resource;
  cmd.parameters = params;
  cmd.wait_for_token = wait_for_token;
  cmd.task_token = fr.task_token;
  cmd.credentials = s.credentials;
  cmd.state = &s;
  PathRoots roots{&effective.value(), ctx, fr.scope.get()};
  cmd.timeout_seconds = s.timeout_seconds;
  if (s.timeout_seconds_path) {
    auto v = s.timeout_seconds_path->select(roots);
    if (v && v->is_int() && v->as_int() > 0) {
      cmd.timeout_seconds = v->as_int();
    }
  }
  cmd.heartbeat_seconds = s.heartbeat_seconds;
  if (s.heartbeat_seconds_path) {
    auto v = s.heartbeat_seconds_path->select(roots);
    if (v && v->is_int() && v->as_int() > 0) {
      cmd.heartbeat_seconds = v->as_int();
    }
  }
  // Only literal values are shown in TaskScheduled; evaluated ones bound the task all the same.
  std::optional<int64_t> shown_timeout = cmd.timeout_seconds;
  std::optional<int64_t> shown_heartbeat = cmd.heartbeat_seconds;
  if (timeout_expr) {
    cmd.timeout_seconds = timeout_expr;
  }
  if (heartbeat_expr) {
    cmd.heartbeat_seconds = heartbeat_expr;
  }
  const std::string& type = s.resource_type;
  const std::string& resource = s.resource_name;
  if (type == "activity") {
    // Activities have their own events: scheduled now, started when a worker takes the task.
    HistoryEvent& e = emit(out, "ActivityScheduled", &fr, env);
    std::vector<json::Member> d;
    d.reserve(5);
    if (shown_heartbeat) {
      d.push_back(json::Member{"heartbeatInSeconds", json::Value(*shown_heartbeat)});
    }
    d.push_back(json::Member{"input", params});
    d.push_back(json::Member{"inputDetails", not_truncated()});
    d.push_back(json::Member{"resource", json::Value(resource)});
    if (shown_timeout) {
      d.push_back(json::Member{"timeoutInSeconds", json::Value(*shown_timeout)});
    }
    e.details = json::Value::object(std::move(d));
  } else {
    {
      HistoryEvent& e = emit(out, "TaskScheduled", &fr, env);
      std::vector<json::Member> d;
      d.reserve(6);
      d.push_back(json::Member{"parameters", params});
      d.push_back(json::Member{"region", json::Value(region_of(info_.machine->arn))});
      d.push_back(json::Member{"resource", json::Value(resource)});
      d.push_back(json::Member{"resourceType", json::Value(type)});
      if (shown_timeout) {
        d.push_back(json::Member{"timeoutInSeconds", json::Value(*shown_timeout)});
      }
      if (shown_heartbeat) {
        d.push_back(json::Member{"heartbeatInSeconds", json::Value(*shown_heartbeat)});
      }
      e.details = json::Value::object(std::move(d));
    }
    {
      HistoryEvent& e = emit(out, "TaskStarted", &fr, env);
      e.details = json::Value::object({json::Member{"resource", json::Value(resource)},
                                       json::Member{"resourceType", json::Value(type)}});
    }
  }
  fr.waiting_task = task_id;
  Command c;
  c.kind = Command::Kind::RunTask;
  c.task = std::move(cmd);
  out.commands.push_back(std::move(c));
}

void Execution::on_task_result(const Input& in, const StepEnvironment& env, Transition& out) {
  int32_t f = -1;
  for (size_t i = 0; i < frames_.size(); ++i) {
    if (frames_[i]->live && frames_[i]->waiting_task == in.id && in.id != 0) {
      f = static_cast<int32_t>(i);
      break;
    }
  }
  if (f < 0) {
    return;  // stale: the task was already completed, timed out or its branch aborted
  }
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  const std::string& type = s.resource_type;
  const std::string& resource = s.resource_name;
  bool activity = type == "activity";
  if (in.kind == Input::Kind::TaskSubmitted || in.kind == Input::Kind::ActivityStarted) {
    // Progress, not completion: the task stays outstanding.
    if (in.kind == Input::Kind::ActivityStarted) {
      HistoryEvent& e = emit(out, "ActivityStarted", &fr, env);
      e.details = json::Value::object({json::Member{"workerName", json::Value(in.worker_name)}});
    } else {
      HistoryEvent& e = emit(out, "TaskSubmitted", &fr, env);
      e.details = json::Value::object({json::Member{"output", in.output},
                                       json::Member{"outputDetails", not_truncated()},
                                       json::Member{"resource", json::Value(resource)},
                                       json::Member{"resourceType", json::Value(type)}});
    }
    return;
  }
  fr.waiting_task = 0;
  fr.task_token.clear();
  if (in.kind == Input::Kind::TaskSucceeded) {
    HistoryEvent& e = emit(out, activity ? "ActivitySucceeded" : "TaskSucceeded", &fr, env);
    std::vector<json::Member> d;
    d.reserve(4);
    d.push_back(json::Member{"output", in.output});
    d.push_back(json::Member{"outputDetails", not_truncated()});
    if (!activity) {
      d.push_back(json::Member{"resource", json::Value(resource)});
      d.push_back(json::Member{"resourceType", json::Value(type)});
    }
    e.details = json::Value::object(std::move(d));
    json::Value result = in.output;
    if (s.result_selector) {
      PathRoots roots{&in.output, nullptr, fr.scope.get()};
      json::Value context;
      if (s.uses_context) {
        context = context_object(fr, env);
        roots.context = &context;
      }
      auto r = s.result_selector->eval(roots, *env.entropy);
      if (!r.ok()) {
        fail_state(f, std::move(r.failure()), env, out);
        run(env, out);
        return;
      }
      result = std::move(r.value());
    }
    complete_state(f, std::move(result), env, out);
  } else {
    bool timed_out = in.kind == Input::Kind::TaskTimedOut;
    const char* type_name = activity ? (timed_out ? "ActivityTimedOut" : "ActivityFailed")
                                     : (timed_out ? "TaskTimedOut" : "TaskFailed");
    HistoryEvent& e = emit(out, type_name, &fr, env);
    std::vector<json::Member> d;
    if (!in.cause.empty()) {
      d.push_back(json::Member{"cause", json::Value(in.cause)});
    }
    d.push_back(json::Member{"error", json::Value(in.error)});
    if (!activity) {
      d.push_back(json::Member{"resource", json::Value(resource)});
      d.push_back(json::Member{"resourceType", json::Value(type)});
    }
    e.details = json::Value::object(std::move(d));
    fail_state(f, Failure{in.error, in.cause}, env, out);
  }
  run(env, out);
}

void Execution::start_wait(int32_t f, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  json::Value context;
  if (s.uses_context) {
    context = context_object(fr, env);
  }
  const json::Value* ctx = s.uses_context ? &context : nullptr;
  auto effective = apply_input_path(fr, s, fr.input, ctx);
  if (!effective.ok()) {
    runtime_error(f, effective.failure().cause, env, out);
    return;
  }
  fr.effective = effective.value();
  PathRoots roots{&effective.value(), ctx, fr.scope.get()};
  EpochNanos fire_at = env.now;
  if (s.jsonata_seconds) {
    constexpr double kMaxSeconds = 99999999;
    auto v = eval_jsonata_number(f, *s.jsonata_seconds, true, 0, kMaxSeconds, env, out);
    if (!v) {
      return;
    }
    fire_at = env.now + static_cast<int64_t>(*v) * kNanos;
  } else if (s.jsonata_timestamp) {
    auto v = eval_jsonata(f, *s.jsonata_timestamp, nullptr, ctx, env, out);
    if (!v) {
      return;
    }
    std::optional<EpochNanos> t;
    if (v->is_string()) {
      t = parse_timestamp(v->as_string());
    }
    if (!t) {
      std::string shown = v->is_string() ? std::string(v->as_string()) : json::dump(*v);
      evaluation_failed(f,
                        Failure{std::string(kQueryEvaluationError),
                                "The Timestamp field cannot be parsed as an ISO-8601 extended "
                                "offset date-time format string: " +
                                    shown},
                        "Timestamp", env, out);
      return;
    }
    fire_at = *t;
  } else if (s.seconds) {
    fire_at = env.now + *s.seconds * kNanos;
  } else if (s.timestamp) {
    fire_at = parse_timestamp(*s.timestamp).value_or(env.now);
  } else if (s.seconds_path) {
    auto v = s.seconds_path->select(roots);
    if (!v) {
      runtime_error(
          f,
          "The JSONPath '" + s.seconds_path->text() +
              "' specified for the field 'SecondsPath' could not be found in the input '" +
              json::dump(effective.value()) + "'",
          env, out);
      return;
    }
    std::string shown = json::dump(*v);
    if (!v->is_int()) {
      runtime_error(f,
                    "The SecondsPath parameter cannot be parsed as a long value: " +
                        s.seconds_path->text() + " == " + shown,
                    env, out);
      return;
    }
    if (v->as_int() < 0) {
      runtime_error(f,
                    "The SecondsPath parameter references a negative value: " +
                        s.seconds_path->text() + " == " + shown,
                    env, out);
      return;
    }
    fire_at = env.now + v->as_int() * kNanos;
  } else if (s.timestamp_path) {
    auto v = s.timestamp_path->select(roots);
    std::optional<EpochNanos> t;
    if (v && v->is_string()) {
      t = parse_timestamp(v->as_string());
    }
    if (!t) {
      std::string shown =
          !v ? "null" : (v->is_string() ? std::string(v->as_string()) : json::dump(*v));
      runtime_error(f,
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended "
                    "offset date-time format string: " +
                        s.timestamp_path->text() + " == " + shown,
                    env, out);
      return;
    }
    fire_at = *t;
  }
  fr.waiting_timer = next_wait_id_++;
  fr.retry_pending = false;
  Command c;
  c.kind = Command::Kind::StartTimer;
  c.timer.timer_id = fr.waiting_timer;
  c.timer.fire_at = fire_at;
  out.commands.push_back(std::move(c));
}

void Execution::on_timer(const Input& in, const StepEnvironment& env, Transition& out) {
  if (in.id == 0) {
    finish_execution(ExecutionStatus::TimedOut, json::Value(),
                     Failure{"States.Timeout", "The execution has timed out."}, env, out);
    return;
  }
  for (size_t i = 0; i < frames_.size(); ++i) {
    Frame& fr = *frames_[i];
    if (!fr.live || fr.waiting_timer != in.id) {
      continue;
    }
    fr.waiting_timer = 0;
    int32_t f = static_cast<int32_t>(i);
    if (fr.retry_pending) {
      fr.retry_pending = false;
      push_work(Work{f, Action::Execute});
    } else {
      // A Wait state's time has come: its output is its effective input.
      complete_state(f, fr.effective, env, out);
    }
    run(env, out);
    return;
  }
}

// ---------------------------------------------------------------------------------------------
// Parallel and Map

void Execution::start_parallel(int32_t f, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  json::Value context;
  if (s.uses_context) {
    context = context_object(fr, env);
  }
  const json::Value* ctx = s.uses_context ? &context : nullptr;
  auto effective = apply_input_path(fr, s, fr.input, ctx);
  if (!effective.ok()) {
    runtime_error(f, effective.failure().cause, env, out);
    return;
  }
  if (s.parameters) {
    PathRoots roots{&effective.value(), ctx, fr.scope.get()};
    auto p = s.parameters->eval(roots, *env.entropy);
    if (!p.ok()) {
      fail_state(f, std::move(p.failure()), env, out);
      return;
    }
    effective.value() = std::move(p.value());
  }
  if (s.jsonata_arguments) {
    auto p = eval_jsonata(f, *s.jsonata_arguments, nullptr, ctx, env, out, "ParallelStateFailed");
    if (!p) {
      return;
    }
    effective.value() = std::move(*p);
  }
  fr.effective = effective.value();
  emit(out, "ParallelStateStarted", &fr, env);
  fr.fan_out().children.clear();
  fr.fan_out().results.assign(s.branches.size(), json::Value());
  fr.fan_out().done = 0;
  fr.fan_out().failed = 0;
  fr.fan_out().running = s.branches.size();
  for (size_t i = 0; i < s.branches.size(); ++i) {
    int32_t c = new_frame(s.branches[i].get(), f, static_cast<uint32_t>(i));
    Frame& child = *frames_[static_cast<size_t>(c)];
    Frame& parent = *frames_[static_cast<size_t>(f)];
    child.input = parent.effective;
    child.silent = parent.silent;
    child.scope = std::make_shared<VarScope>();
    child.scope->parent = parent.scope;
    child.last_id = parent.last_id;
    parent.fan_out().children.push_back(c);
    push_work(Work{c, Action::Enter});
  }
  if (s.branches.empty()) {
    complete_state(f, json::Value::array(), env, out);
  }
}

void Execution::start_map(int32_t f, const StepEnvironment& env, Transition& out) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  const State& s = fr.program->states[fr.state];
  json::Value context;
  if (s.uses_context) {
    context = context_object(fr, env);
  }
  const json::Value* ctx = s.uses_context ? &context : nullptr;
  auto effective = apply_input_path(fr, s, fr.input, ctx);
  if (!effective.ok()) {
    runtime_error(f, effective.failure().cause, env, out);
    return;
  }
  fr.effective = effective.value();
  PathRoots roots{&fr.effective, ctx, fr.scope.get()};
  json::Value items = fr.effective;
  if (s.items_path) {
    auto v = s.items_path->select(roots);
    if (!v) {
      runtime_error(f,
                    "Invalid path '" + s.items_path->text() +
                        "' : No results for path: " + s.items_path->normalized(),
                    env, out);
      return;
    }
    items = std::move(*v);
  }
  bool jsonata = s.query_language == QueryLanguage::Jsonata;
  if (jsonata && s.jsonata_items) {
    auto v = eval_jsonata(f, *s.jsonata_items, nullptr, ctx, env, out, "MapStateFailed");
    if (!v) {
      return;
    }
    if (!v->is_array()) {
      const std::string* text = s.jsonata_items->expression_text();
      evaluation_failed(
          f,
          Failure{std::string(kQueryEvaluationError),
                  "The JSONata expression '" + (text ? *text : json::dump(*v)) +
                      "' specified for the field 'Items' returned an unexpected "
                      "result type. Expected 'array', but was '" +
                      std::string(jsonata_type_name(*v)) + "' for value: " + json::dump(*v)},
          "Items", env, out, "MapStateFailed");
      return;
    }
    items = std::move(*v);
  } else if (jsonata && !items.is_array()) {
    evaluation_failed(f,
                      Failure{std::string(kQueryEvaluationError),
                              "Map state input must be an array but was: " + json::dump(items)},
                      "", env, out, "MapStateFailed");
    return;
  }
  if (!items.is_array()) {
    runtime_error(f,
                  "Items of type " + std::string(items.is_object() ? "object" : "value") +
                      " are not an array",
                  env, out);
    return;
  }
  fr.fan_out().max_concurrency = s.max_concurrency;
  if (s.max_concurrency_path) {
    auto v = s.max_concurrency_path->select(roots);
    if (!v || !v->is_int() || v->as_int() < 0) {
      std::string shown =
          !v ? "null" : (v->is_string() ? std::string(v->as_string()) : json::dump(*v));
      runtime_error(f,
                    "The MaxConcurrencyPath field refers to value \"" + shown +
                        "\" which is not a valid integer: " + s.max_concurrency_path->text(),
                    env, out);
      return;
    }
    fr.fan_out().max_concurrency = v->as_int();
  }
  if (s.jsonata_max_concurrency) {
    auto v = eval_jsonata_number(f, *s.jsonata_max_concurrency, true, 0, 2147483647, env, out,
                                 "MapStateFailed");
    if (!v) {
      return;
    }
    fr.fan_out().max_concurrency = static_cast<int64_t>(*v);
  }
  {
    HistoryEvent& e = emit(out, "MapStateStarted", &fr, env);
    e.details = json::Value::object(
        {json::Member{"length", json::Value(static_cast<int64_t>(items.size()))}});
  }
  fr.fan_out().tolerated_count = s.tolerated_failure_count.value_or(-1);
  if (s.tolerated_failure_count_path) {
    auto v = s.tolerated_failure_count_path->select(roots);
    if (!v || !v->is_int()) {
      std::string shown =
          !v ? "null" : (v->is_string() ? std::string(v->as_string()) : json::dump(*v));
      runtime_error(
          f,
          "The ToleratedFailureCountPath field refers to value \"" + shown +
              "\" which is not a valid integer: " + s.tolerated_failure_count_path->text(),
          env, out);
      return;
    }
    if (v->as_int() < 0) {
      runtime_error(f, "ToleratedFailureCount cannot be negative.", env, out);
      return;
    }
    fr.fan_out().tolerated_count = v->as_int();
  }
  fr.fan_out().tolerated_percentage = s.tolerated_failure_percentage.value_or(-1);
  if (s.tolerated_failure_percentage_path) {
    auto v = s.tolerated_failure_percentage_path->select(roots);
    if (!v || !v->is_number()) {
      std::string shown =
          !v ? "null" : (v->is_string() ? std::string(v->as_string()) : json::dump(*v));
      runtime_error(
          f,
          "The ToleratedFailurePercentagePath field refers to value \"" + shown +
              "\" which is not a valid float: " + s.tolerated_failure_percentage_path->text(),
          env, out);
      return;
    }
    if (v->as_double() < 0 || v->as_double() > 100) {
      runtime_error(f, "ToleratedFailurePercentage must be between 0 and 100.", env, out);
      return;
    }
    fr.fan_out().tolerated_percentage = v->as_double();
  }
  if (s.jsonata_tolerated_count) {
    auto v = eval_jsonata_number(f, *s.jsonata_tolerated_count, true, 0, 2147483647, env, out,
                                 "MapStateFailed");
    if (!v) {
      return;
    }
    fr.fan_out().tolerated_count = static_cast<int64_t>(*v);
  }
  if (s.jsonata_tolerated_percentage) {
    auto v = eval_jsonata_number(f, *s.jsonata_tolerated_percentage, false, 0, 100, env, out,
                                 "MapStateFailed");
    if (!v) {
      return;
    }
    fr.fan_out().tolerated_percentage = *v;
  }
  fr.fan_out().items.assign(items.as_array().begin(), items.as_array().end());
  fr.fan_out().results.assign(fr.fan_out().items.size(), json::Value());
  fr.fan_out().next_item = 0;
  fr.fan_out().running = 0;
  fr.fan_out().done = 0;
  fr.fan_out().failed = 0;
  fr.fan_out().children.clear();
  if (s.distributed) {
    HistoryEvent& e = emit(out, "MapRunStarted", &fr, env);
    e.details = json::Value::object({json::Member{"mapRunArn", json::Value(map_run_arn(s, env))}});
  }
  if (fr.fan_out().items.empty()) {
    if (s.distributed) {
      emit(out, "MapRunSucceeded", &fr, env);
    }
    emit(out, "MapStateSucceeded", &fr, env);
    complete_state(f, json::Value::array(), env, out);
    return;
  }
  launch_map_iterations(f, env, out);
}

void Execution::launch_map_iterations(int32_t f, const StepEnvironment& env, Transition& out) {
  // AWS runs at most 40 inline iterations at once; 0 means "as many as allowed".
  constexpr int64_t kInlineLimit = 40;
  while (true) {
    Frame& fr = *frames_[static_cast<size_t>(f)];
    const State& s = fr.program->states[fr.state];
    int64_t limit = fr.fan_out().max_concurrency == 0
                        ? kInlineLimit
                        : std::min(fr.fan_out().max_concurrency, kInlineLimit);
    if (fr.fan_out().next_item >= fr.fan_out().items.size() ||
        static_cast<int64_t>(fr.fan_out().running) >= limit) {
      return;
    }
    size_t index = fr.fan_out().next_item++;
    json::Value item_input = fr.fan_out().items[index];
    if (s.jsonata_item_selector) {
      json::Value context = context_object(fr, env);
      std::vector<json::Member> item;
      item.push_back(json::Member{"Index", json::Value(static_cast<int64_t>(index))});
      item.push_back(json::Member{"Value", fr.fan_out().items[index]});
      context.set(
          "Map", json::Value::object({json::Member{"Item", json::Value::object(std::move(item))}}));
      StepHost host(env.now, env.entropy);
      JsonataRoots roots{&fr.input, nullptr, nullptr, &context, fr.scope.get(), &host};
      std::string field;
      auto v = s.jsonata_item_selector->eval(roots, &field);
      if (!v.ok()) {
        // Iterations already running end with the state.
        abort_children(f);
        evaluation_failed(f, std::move(v.failure()), field, env, out, "MapStateFailed");
        return;
      }
      item_input = std::move(v.value());
    } else if (s.item_selector) {
      json::Value context = context_object(fr, env);
      std::vector<json::Member> item;
      item.push_back(json::Member{"Index", json::Value(static_cast<int64_t>(index))});
      item.push_back(json::Member{"Value", fr.fan_out().items[index]});
      context.set(
          "Map", json::Value::object({json::Member{"Item", json::Value::object(std::move(item))}}));
      PathRoots roots{&fr.effective, &context, fr.scope.get()};
      auto v = s.item_selector->eval(roots, *env.entropy);
      if (!v.ok()) {
        runtime_error(f, v.failure().cause, env, out);
        return;
      }
      item_input = std::move(v.value());
    }
    if (!s.distributed) {
      HistoryEvent& e = emit(out, "MapIterationStarted", &fr, env);
      e.details =
          json::Value::object({json::Member{"index", json::Value(static_cast<int64_t>(index))},
                               json::Member{"name", json::Value(s.name)}});
    }
    int32_t c = new_frame(s.processor.get(), f, static_cast<uint32_t>(index));
    Frame& child = *frames_[static_cast<size_t>(c)];
    Frame& parent = *frames_[static_cast<size_t>(f)];
    child.input = std::move(item_input);
    child.silent = parent.silent || s.distributed;
    child.scope = std::make_shared<VarScope>();
    child.scope->parent = parent.scope;
    child.last_id = parent.last_id;
    parent.fan_out().children.push_back(c);
    ++parent.fan_out().running;
    push_work(Work{c, Action::Enter});
  }
}

void Execution::abort_children(int32_t f) {
  Frame& fr = *frames_[static_cast<size_t>(f)];
  for (int32_t c : fr.fan_out().children) {
    Frame& child = *frames_[static_cast<size_t>(c)];
    if (child.live) {
      abort_children(c);
      release_frame(c);
    }
  }
  fr.fan_out().children.clear();
}

void Execution::child_done(int32_t parent, int32_t child, bool ok, json::Value output,
                           Failure failure, const StepEnvironment& env, Transition& out) {
  Frame& pf = *frames_[static_cast<size_t>(parent)];
  const State& s = pf.program->states[pf.state];
  Frame& cf = *frames_[static_cast<size_t>(child)];
  uint32_t slot = cf.slot;
  int64_t child_last = cf.last_id;
  pf.fan_out().children.erase(
      std::remove(pf.fan_out().children.begin(), pf.fan_out().children.end(), child),
      pf.fan_out().children.end());
  release_frame(child);
  pf.last_id = std::max(pf.last_id, child_last);

  if (s.type == StateType::Parallel) {
    if (!ok) {
      abort_children(parent);
      fail_state(parent, std::move(failure), env, out, "ParallelStateFailed");
      return;
    }
    pf.fan_out().results[slot] = std::move(output);
    if (++pf.fan_out().done < s.branches.size()) {
      return;
    }
  } else {
    --pf.fan_out().running;
    ++pf.fan_out().done;
    if (!s.distributed) {
      HistoryEvent& e = emit(out, ok ? "MapIterationSucceeded" : "MapIterationFailed", &pf, env);
      e.details =
          json::Value::object({json::Member{"index", json::Value(static_cast<int64_t>(slot))},
                               json::Member{"name", json::Value(s.name)}});
    }
    if (ok) {
      pf.fan_out().results[slot] = std::move(output);
    } else {
      ++pf.fan_out().failed;
      bool tolerated = false;
      if (pf.fan_out().tolerated_count >= 0 &&
          static_cast<int64_t>(pf.fan_out().failed) <= pf.fan_out().tolerated_count) {
        tolerated = true;
      }
      if (pf.fan_out().tolerated_percentage >= 0 &&
          static_cast<double>(pf.fan_out().failed) * 100.0 <=
              pf.fan_out().tolerated_percentage * static_cast<double>(pf.fan_out().items.size())) {
        tolerated = true;
      }
      if (!tolerated) {
        abort_children(parent);
        if (s.distributed) {
          emit(out, "MapRunFailed", &pf, env);
        }

        if (pf.fan_out().tolerated_count >= 0 || pf.fan_out().tolerated_percentage >= 0) {
          failure = Failure{"States.ExceedToleratedFailureThreshold",
                            "The specified tolerated failure threshold was exceeded"};
        }
        fail_state(parent, std::move(failure), env, out, "MapStateFailed");
        return;
      }
      pf.fan_out().results[slot] = error_output(failure);
    }
    if (pf.fan_out().done < pf.fan_out().items.size()) {
      launch_map_iterations(parent, env, out);
      return;
    }
    if (s.distributed) {
      emit(out, "MapRunSucceeded", &pf, env);
    }
    emit(out, "MapStateSucceeded", &pf, env);
  }

  json::Value result = json::Value::array(std::move(pf.fan_out().results));
  pf.fan_out().results.clear();
  pf.fan_out().items.clear();
  if (s.result_selector) {
    PathRoots roots{&result, nullptr, pf.scope.get()};
    json::Value context;
    if (s.uses_context) {
      context = context_object(pf, env);
      roots.context = &context;
    }
    auto r = s.result_selector->eval(roots, *env.entropy);
    if (!r.ok()) {
      fail_state(parent, std::move(r.failure()), env, out);
      return;
    }
    result = std::move(r.value());
  }
  complete_state(parent, std::move(result), env, out);
}

}  // namespace signoff::asl
