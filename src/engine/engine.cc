// The Step Functions service's operations; execution mechanics are in live.cc, activity queues
// in activities.cc.
#include "engine/engine.h"

#include <cstdio>

#include <openssl/rand.h>

#include "engine/engine_impl.h"

namespace signoff::engine {

// ---------------------------------------------------------------------------------------------
// Helpers

std::string region_of_arn(std::string_view arn) {
  // arn:aws:states:REGION:...
  size_t a = arn.find(':');
  size_t b = a == std::string_view::npos ? a : arn.find(':', a + 1);
  size_t c = b == std::string_view::npos ? b : arn.find(':', b + 1);
  size_t d = c == std::string_view::npos ? c : arn.find(':', c + 1);
  if (d == std::string_view::npos) {
    return "us-east-1";
  }
  return std::string(arn.substr(c + 1, d - c - 1));
}

int64_t ns_to_ms(int64_t ns) {
  return ns / 1'000'000;
}

std::string execution_status_text(asl::ExecutionStatus s) {
  switch (s) {
    case asl::ExecutionStatus::Running:
      return "RUNNING";
    case asl::ExecutionStatus::Succeeded:
      return "SUCCEEDED";
    case asl::ExecutionStatus::Failed:
      return "FAILED";
    case asl::ExecutionStatus::TimedOut:
      return "TIMED_OUT";
    case asl::ExecutionStatus::Aborted:
      return "ABORTED";
  }
  return "RUNNING";
}

bool valid_resource_name(std::string_view name) {
  if (name.empty() || name.size() > 80) {
    return false;
  }
  for (unsigned char c : name) {
    if (c <= 0x20 || c == 0x7F) {
      return false;
    }
    switch (c) {
      case '<':
      case '>':
      case '{':
      case '}':
      case '[':
      case ']':
      case '?':
      case '*':
      case '"':
      case '#':
      case '%':
      case '\\':
      case '^':
      case '|':
      case '~':
      case '`':
      case '$':
      case '&':
      case ',':
      case ';':
      case ':':
      case '/':
        return false;
      default:
        break;
    }
  }
  return true;
}

std::string uuid_v4(uint64_t a, uint64_t b) {
  a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFFF),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return buf;
}

std::string random_uuid() {
  uint64_t r[2] = {0, 0};
  RAND_bytes(reinterpret_cast<unsigned char*>(r), sizeof r);
  return uuid_v4(r[0], r[1]);
}

namespace {

// AWS's InvalidArn wording for an ARN that is not of the expected Step Functions resource type.
std::optional<Error> check_arn(std::string_view arn, std::string_view type) {
  if (arn.substr(0, 15) != "arn:aws:states:") {
    return make_error("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + std::string(arn) + "'");
  }
  // arn:aws:states:REGION:ACCOUNT:TYPE:NAME...
  size_t pos = 15;
  for (int i = 0; i < 2; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string_view::npos) {
      return make_error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " +
                                          std::string(arn) + "'");
    }
    ++pos;
  }
  size_t end = arn.find(':', pos);
  std::string_view actual = arn.substr(pos, end == std::string_view::npos ? end : end - pos);
  if (actual != type && !(type == "execution" && actual == "express")) {
    return make_error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " +
                                        std::string(actual) + "'");
  }
  if (end == std::string_view::npos || end + 1 >= arn.size()) {
    return make_error("InvalidArn", "Invalid Arn: 'Resource ARN has an empty resource name: " +
                                        std::string(arn) + "'");
  }
  return std::nullopt;
}

Error machine_missing(const std::string& arn) {
  return make_error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
}

Error execution_missing(const std::string& arn) {
  return make_error("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
}

constexpr const char* kDefaultLogging = R"({"level":"OFF","includeExecutionData":false})";
constexpr const char* kDefaultTracing = R"({"enabled":false})";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Lifecycle

Engine::Impl::Impl(store::Store& s, const Clock& c, const EngineOptions& o)
    : store(s),
      clock(c),
      opts(o),
      timers(c, [this](TimerEntry&& e) { on_timer(std::move(e)); }),
      pool(o.task_threads == 0 ? 4 : o.task_threads) {
  std::string key(32, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32);
  tokens = std::make_unique<TaskTokens>(store.put_meta_if_absent("engine.token_key", key));
}

Engine::Engine(store::Store& store, const Clock& clock, EngineOptions options)
    : impl_(std::make_unique<Impl>(store, clock, options)), options_(std::move(options)) {}

Engine::~Engine() {
  stop();
}

void Engine::start() {
  impl_->recover();
  impl_->timers.start();
}

void Engine::stop() {
  impl_->timers.stop();
  impl_->pool.stop();
}

void Engine::add_integration(TaskIntegrationPtr integration) {
  std::lock_guard lock(impl_->integrations_mu);
  impl_->integrations.push_back(std::move(integration));
}

size_t Engine::running_in_memory() const {
  std::lock_guard lock(impl_->live_mu);
  return impl_->live.size();
}

// ---------------------------------------------------------------------------------------------
// State machines

ValidationResult Engine::validate_definition(const std::string& definition,
                                             const std::string& type) {
  asl::ParseOptions po;
  po.express = type == "EXPRESS";
  auto parsed = asl::parse_definition_text(definition, po);
  ValidationResult r;
  r.result = "OK";
  std::vector<json::Value> diags;
  for (const asl::Diagnostic& d : parsed.diagnostics) {
    if (d.severity == "ERROR") {
      r.result = "FAIL";
    }
    diags.push_back(json::Value::object({{"severity", json::Value(d.severity)},
                                         {"code", json::Value(d.code)},
                                         {"message", json::Value(d.message)},
                                         {"location", json::Value(d.location)}}));
  }
  r.diagnostics = json::Value::array(std::move(diags));
  return r;
}

Result<CreateStateMachineResponse> Engine::create_state_machine(
    const CreateStateMachineRequest& r) {
  if (!valid_resource_name(r.name)) {
    return make_error("InvalidName", "Invalid Name: '" + r.name + "'");
  }
  std::string type = r.type.empty() ? "STANDARD" : r.type;
  if (r.role_arn.substr(0, 8) != "arn:aws:" || r.role_arn.find(":iam::") == std::string::npos) {
    return make_error("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + r.role_arn + "'");
  }
  asl::ParseOptions po;
  po.express = type == "EXPRESS";
  auto parsed = asl::parse_definition_text(r.definition, po);
  if (!parsed.program) {
    return make_error("InvalidDefinition", asl::invalid_definition_message(parsed.diagnostics));
  }
  std::string region = r.region.empty() ? options_.default_region : r.region;
  store::StateMachineRecord sm;
  sm.arn = "arn:aws:states:" + region + ":" + options_.account + ":stateMachine:" + r.name;
  sm.name = r.name;
  sm.type = type;
  sm.definition = r.definition;
  sm.role_arn = r.role_arn;
  sm.description = r.description;
  sm.logging_configuration =
      r.logging_configuration.empty() ? kDefaultLogging : r.logging_configuration;
  sm.tracing_configuration =
      r.tracing_configuration.empty() ? kDefaultTracing : r.tracing_configuration;
  sm.revision_id = random_uuid();
  sm.creation_date_ms = impl_->clock.now_ms();
  sm.version = 1;
  auto st = impl_->store.create_state_machine(sm);
  if (st == store::WriteStatus::AlreadyExists) {
    auto existing = impl_->store.get_state_machine(sm.arn);
    // Idempotent when what defines the machine is the same; role and tags are not compared.
    if (existing && existing->definition == sm.definition && existing->type == sm.type &&
        existing->logging_configuration == sm.logging_configuration &&
        existing->tracing_configuration == sm.tracing_configuration) {
      return CreateStateMachineResponse{existing->arn, existing->creation_date_ms};
    }
    return make_error("StateMachineAlreadyExists",
                      "State Machine Already Exists: '" + sm.arn + "'");
  }
  if (!r.tags.empty()) {
    impl_->store.set_tags(sm.arn, r.tags);
  }
  return CreateStateMachineResponse{sm.arn, sm.creation_date_ms};
}

Result<store::StateMachineRecord> Engine::describe_state_machine(const std::string& arn) {
  if (auto e = check_arn(arn, "stateMachine")) {
    return *e;
  }
  auto sm = impl_->store.get_state_machine(arn);
  if (!sm) {
    return machine_missing(arn);
  }
  return *sm;
}

Result<UpdateStateMachineResponse> Engine::update_state_machine(
    const UpdateStateMachineRequest& r) {
  if (auto e = check_arn(r.state_machine_arn, "stateMachine")) {
    return *e;
  }
  if (!r.definition && !r.role_arn && !r.logging_configuration && !r.tracing_configuration) {
    return make_error("MissingRequiredParameter",
                      "Either the definition, the role ARN, the LoggingConfiguration, or the "
                      "TracingConfiguration must be specified");
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto sm = impl_->store.get_state_machine(r.state_machine_arn);
    if (!sm) {
      return machine_missing(r.state_machine_arn);
    }
    if (r.definition) {
      asl::ParseOptions po;
      po.express = sm->type == "EXPRESS";
      auto parsed = asl::parse_definition_text(*r.definition, po);
      if (!parsed.program) {
        return make_error("InvalidDefinition", asl::invalid_definition_message(parsed.diagnostics));
      }
      sm->definition = *r.definition;
    }
    if (r.role_arn) {
      if (r.role_arn->substr(0, 8) != "arn:aws:" ||
          r.role_arn->find(":iam::") == std::string::npos) {
        return make_error("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + *r.role_arn + "'");
      }
      sm->role_arn = *r.role_arn;
    }
    if (r.logging_configuration) {
      sm->logging_configuration = *r.logging_configuration;
    }
    if (r.tracing_configuration) {
      sm->tracing_configuration = *r.tracing_configuration;
    }
    int64_t expected = sm->version;
    sm->version += 1;
    sm->revision_id = random_uuid();
    sm->update_date_ms = impl_->clock.now_ms();
    store::StateMachineRevision rev{
        sm->arn,           sm->revision_id,           sm->definition,
        sm->role_arn,      sm->logging_configuration, sm->tracing_configuration,
        sm->update_date_ms};
    auto st = impl_->store.update_state_machine(*sm, expected, rev);
    if (st == store::WriteStatus::Ok) {
      return UpdateStateMachineResponse{sm->update_date_ms, sm->revision_id};
    }
    if (st == store::WriteStatus::NotFound) {
      return machine_missing(r.state_machine_arn);
    }
  }
  return make_error("ConflictException", "The state machine was updated concurrently; retry.");
}

Result<Unit> Engine::delete_state_machine(const std::string& arn) {
  if (auto e = check_arn(arn, "stateMachine")) {
    return *e;
  }
  impl_->store.delete_state_machine(arn);
  return Unit{};
}

Result<store::Page<store::StateMachineRecord>> Engine::list_state_machines(
    const std::string& next_token, size_t limit) {
  return impl_->store.list_state_machines(next_token, limit);
}

// ---------------------------------------------------------------------------------------------
// Executions

Result<StartExecutionResponse> Engine::start_execution(const StartExecutionRequest& r) {
  if (auto e = check_arn(r.state_machine_arn, "stateMachine")) {
    return *e;
  }
  auto sm = impl_->store.get_state_machine(r.state_machine_arn);
  if (sm && sm->type == "EXPRESS") {
    return impl_->start(r, false, nullptr);
  }
  return impl_->start(r, true, nullptr);
}

void Engine::start_sync_execution(const StartExecutionRequest& r,
                                  std::function<void(Result<SyncExecutionResult>)> done) {
  if (auto e = check_arn(r.state_machine_arn, "stateMachine")) {
    done(*e);
    return;
  }
  auto sm = impl_->store.get_state_machine(r.state_machine_arn);
  if (!sm) {
    done(machine_missing(r.state_machine_arn));
    return;
  }
  if (sm->type != "EXPRESS") {
    done(make_error("StateMachineTypeNotSupported",
                    "This operation is not supported by this type of state machine"));
    return;
  }
  auto shared_done = std::make_shared<std::function<void(Result<SyncExecutionResult>)>>(done);
  std::string machine = sm->arn;
  auto started = impl_->start(r, false, [shared_done, machine](const store::ExecutionRecord& rec) {
    (*shared_done)(SyncExecutionResult{rec, machine});
  });
  if (!started.ok()) {
    done(started.error());
  }
}

Result<store::ExecutionRecord> Engine::describe_execution(const std::string& arn) {
  if (auto e = check_arn(arn, "execution")) {
    return *e;
  }
  auto rec = impl_->store.get_execution(arn);
  if (!rec) {
    return execution_missing(arn);
  }
  return *rec;
}

Result<store::StateMachineRevision> Engine::describe_state_machine_for_execution(
    const std::string& arn, std::string* name_out) {
  if (auto e = check_arn(arn, "execution")) {
    return *e;
  }
  auto rec = impl_->store.get_execution(arn);
  if (!rec) {
    return execution_missing(arn);
  }
  auto rev = impl_->store.get_revision(rec->state_machine_arn, rec->revision_id);
  if (!rev) {
    return machine_missing(rec->state_machine_arn);
  }
  if (name_out != nullptr) {
    *name_out = rec->state_machine_arn.substr(rec->state_machine_arn.rfind(':') + 1);
  }
  return *rev;
}

Result<store::Page<store::ExecutionRecord>> Engine::list_executions(
    const std::string& machine_arn, const std::string& status_filter, const std::string& next_token,
    size_t limit) {
  if (auto e = check_arn(machine_arn, "stateMachine")) {
    return *e;
  }
  auto sm = impl_->store.get_state_machine(machine_arn);
  if (!sm) {
    return machine_missing(machine_arn);
  }
  if (sm->type == "EXPRESS") {
    return make_error("StateMachineTypeNotSupported",
                      "This operation is not supported by this type of state machine");
  }
  return impl_->store.list_executions(store::ExecutionFilter{machine_arn, status_filter},
                                      next_token, limit);
}

Result<std::vector<store::HistoryEventRecord>> Engine::history(const HistoryRequest& r) {
  if (auto e = check_arn(r.execution_arn, "execution")) {
    return *e;
  }
  if (!impl_->store.get_execution(r.execution_arn)) {
    return execution_missing(r.execution_arn);
  }
  return impl_->store.history(r.execution_arn, r.reverse, r.after_or_before_id, r.limit);
}

Result<int64_t> Engine::stop_execution(const std::string& arn, const std::string& error,
                                       const std::string& cause) {
  if (auto e = check_arn(arn, "execution")) {
    return *e;
  }
  if (LivePtr lp = impl_->find_live(arn)) {
    asl::Input in;
    in.kind = asl::Input::Kind::Stop;
    in.error = error;
    in.cause = cause;
    impl_->deliver(lp, std::move(in));
  }
  auto rec = impl_->store.get_execution(arn);
  if (!rec) {
    return execution_missing(arn);
  }
  return rec->stop_date_ms;
}

// ---------------------------------------------------------------------------------------------
// Callbacks

namespace {

Error invalid_token() {
  return make_error("InvalidToken", "Invalid Token: 'Invalid token'");
}
Error task_gone() {
  return make_error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

}  // namespace

std::optional<std::string> Engine::execution_of_task_token(const std::string& token) const {
  if (token.empty() || token.size() > 1024 || !impl_->tokens) {
    return std::nullopt;
  }
  auto target = impl_->tokens->open(token);
  if (!target) {
    return std::nullopt;
  }
  return target->execution_arn;
}

// Finds the live execution and task a token names, or the AWS error for a token that names
// nothing (any more).
static Result<LivePtr> resolve_token(Engine::Impl& impl, const std::string& token,
                                     uint64_t* task_id) {
  if (token.empty() || token.size() > 1024) {
    return invalid_token();
  }
  auto target = impl.tokens->open(token);
  if (!target) {
    return invalid_token();
  }
  *task_id = target->task_id;
  LivePtr lp = impl.find_live(target->execution_arn);
  if (!lp) {
    if (!impl.store.get_execution(target->execution_arn)) {
      return make_error("TaskDoesNotExist",
                        "Task Does Not Exist: 'Provided task does not exist anymore'");
    }
    return task_gone();
  }
  return lp;
}

static Result<Unit> complete_task(Engine::Impl& impl, const std::string& token, asl::Input in) {
  uint64_t id = 0;
  auto lp = resolve_token(impl, token, &id);
  if (!lp.ok()) {
    return lp.error();
  }
  in.id = id;
  bool done;
  {
    std::lock_guard lock(lp.value()->mu);
    if (lp.value()->done || lp.value()->tasks.count(id) == 0) {
      return task_gone();
    }
    impl.deliver_locked(lp.value(), std::move(in));
    done = lp.value()->done;
  }
  if (done) {
    impl.finished(lp.value());
  }
  return Unit{};
}

Result<Unit> Engine::send_task_success(const std::string& token, const std::string& output) {
  auto parsed = json::parse(output);
  if (output.size() > 256 * 1024) {
    return make_error("InvalidOutput",
                      "Invalid Output: 'Output size exceeds the maximum allowed size'");
  }
  if (!parsed.ok()) {
    return make_error("InvalidOutput", "Invalid Output: '" + parsed.error + "'");
  }
  asl::Input in;
  in.kind = asl::Input::Kind::TaskSucceeded;
  in.output = parsed.value;
  return complete_task(*impl_, token, std::move(in));
}

Result<Unit> Engine::send_task_failure(const std::string& token, const std::string& error,
                                       const std::string& cause) {
  asl::Input in;
  in.kind = asl::Input::Kind::TaskFailed;
  in.error = error;
  in.cause = cause;
  return complete_task(*impl_, token, std::move(in));
}

Result<Unit> Engine::send_task_heartbeat(const std::string& token) {
  uint64_t id = 0;
  auto lp = resolve_token(*impl_, token, &id);
  if (!lp.ok()) {
    return lp.error();
  }
  std::lock_guard lock(lp.value()->mu);
  auto it = lp.value()->tasks.find(id);
  if (lp.value()->done || it == lp.value()->tasks.end()) {
    return task_gone();
  }
  if (it->second.heartbeat_seconds > 0) {
    it->second.heartbeat_due_ms = impl_->clock.now_ms() + it->second.heartbeat_seconds * 1000;
  }
  return Unit{};
}

// ---------------------------------------------------------------------------------------------
// Tags

namespace {

bool resource_exists(store::Store& s, const std::string& arn) {
  if (arn.find(":stateMachine:") != std::string::npos) {
    return s.get_state_machine(arn).has_value();
  }
  if (arn.find(":activity:") != std::string::npos) {
    return s.get_activity(arn).has_value();
  }
  return false;
}

Error resource_missing(const std::string& arn) {
  return make_error("ResourceNotFound", "Resource not found: '" + arn + "'");
}

}  // namespace

Result<Unit> Engine::tag_resource(const std::string& arn, const std::vector<store::Tag>& tags) {
  if (!resource_exists(impl_->store, arn)) {
    return resource_missing(arn);
  }
  impl_->store.set_tags(arn, tags);
  return Unit{};
}

Result<Unit> Engine::untag_resource(const std::string& arn, const std::vector<std::string>& keys) {
  if (!resource_exists(impl_->store, arn)) {
    return resource_missing(arn);
  }
  impl_->store.remove_tags(arn, keys);
  return Unit{};
}

Result<std::vector<store::Tag>> Engine::list_tags(const std::string& arn) {
  if (!resource_exists(impl_->store, arn)) {
    return resource_missing(arn);
  }
  return impl_->store.tags(arn);
}

}  // namespace signoff::engine
