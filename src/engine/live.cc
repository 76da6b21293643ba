// Running executions: one input at a time through the interpreter, one store transaction per
// transition, side effects after the commit, recovery by journal replay.
#include <cstdio>

#include "engine/engine_impl.h"

namespace signoff::engine {

namespace {

// Task tokens minted by the interpreter for .waitForTaskToken tasks of one execution.
class ExecutionMinter final : public asl::TokenMinter {
 public:
  ExecutionMinter(const TaskTokens& tokens, const std::string& arn) : tokens_(tokens), arn_(arn) {}
  std::string mint(uint64_t task_id) override { return tokens_.mint(arn_, task_id); }

 private:
  const TaskTokens& tokens_;
  const std::string& arn_;
};

std::string timer_job_id(const std::string& arn, uint64_t id) {
  return "t/" + arn + "/" + std::to_string(id);
}
std::string task_job_id(const std::string& arn, uint64_t id) {
  return "k/" + arn + "/" + std::to_string(id);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_activity(std::string_view resource) {
  return starts_with(resource, "arn:aws:states:") &&
         resource.find(":activity:") != std::string::npos;
}

json::Value input_to_json(const asl::Input& in, int64_t now_ns) {
  std::vector<json::Member> m;
  m.push_back({"k", json::Value(static_cast<int64_t>(in.kind))});
  m.push_back({"t", json::Value(now_ns)});
  if (in.id != 0) {
    m.push_back({"id", json::Value(static_cast<int64_t>(in.id))});
  }
  if (in.kind == asl::Input::Kind::TaskSucceeded) {
    m.push_back({"o", in.output});
  }
  if (!in.error.empty()) {
    m.push_back({"e", json::Value(in.error)});
  }
  if (!in.cause.empty()) {
    m.push_back({"c", json::Value(in.cause)});
  }
  return json::Value::object(std::move(m));
}

bool input_from_json(std::string_view text, asl::Input& in, int64_t& now_ns) {
  auto parsed = json::parse(text);
  if (!parsed.ok() || !parsed.value.is_object()) {
    return false;
  }
  const json::Value& v = parsed.value;
  const json::Value* k = v.find("k");
  const json::Value* t = v.find("t");
  if (k == nullptr || !k->is_int() || t == nullptr || !t->is_int()) {
    return false;
  }
  in.kind = static_cast<asl::Input::Kind>(k->as_int());
  now_ns = t->as_int();
  if (const json::Value* id = v.find("id"); id != nullptr && id->is_int()) {
    in.id = static_cast<uint64_t>(id->as_int());
  }
  if (const json::Value* o = v.find("o")) {
    in.output = *o;
  }
  if (const json::Value* e = v.find("e"); e != nullptr && e->is_string()) {
    in.error = std::string(e->as_string());
  }
  if (const json::Value* c = v.find("c"); c != nullptr && c->is_string()) {
    in.cause = std::string(c->as_string());
  }
  return true;
}

store::HistoryEventRecord to_record(const asl::HistoryEvent& e) {
  store::HistoryEventRecord r;
  r.id = e.id;
  r.timestamp_ms = ns_to_ms(e.timestamp);
  r.type = std::string(e.type);
  r.json = json::dump(asl::event_to_json(e, false));
  return r;
}

int64_t json_int(const json::Value& v, std::string_view key, int64_t fallback = 0) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_int() ? m->as_int() : fallback;
}
std::string json_str(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

}  // namespace

Result<Engine::Impl::MachineVersion> Engine::Impl::machine_version(const std::string& machine_arn,
                                                                   const std::string& revision_id) {
  std::string key = machine_arn + "#" + revision_id;
  {
    std::lock_guard lock(versions_mu);
    auto it = versions.find(key);
    if (it != versions.end()) {
      return it->second;
    }
  }
  auto rev = store.get_revision(machine_arn, revision_id);
  if (!rev) {
    return make_error("StateMachineDoesNotExist",
                      "State Machine Does Not Exist: '" + machine_arn + "'");
  }
  auto sm = store.get_state_machine(machine_arn);
  bool express = sm && sm->type == "EXPRESS";
  asl::ParseOptions po;
  po.express = express;
  auto parsed = asl::parse_definition_text(rev->definition, po);
  if (!parsed.program) {
    return make_error("InvalidDefinition", asl::invalid_definition_message(parsed.diagnostics));
  }
  auto info = std::make_shared<asl::MachineInfo>();
  info->arn = machine_arn;
  size_t colon = machine_arn.rfind(':');
  info->name = machine_arn.substr(colon + 1);
  info->role_arn = rev->role_arn;
  MachineVersion mv{parsed.program, info, express};
  std::lock_guard lock(versions_mu);
  versions.emplace(key, mv);
  return mv;
}

LivePtr Engine::Impl::find_live(const std::string& arn) {
  std::lock_guard lock(live_mu);
  auto it = live.find(arn);
  return it == live.end() ? nullptr : it->second;
}

Result<StartExecutionResponse> Engine::Impl::start(
    const StartExecutionRequest& r, bool durable,
    std::function<void(const store::ExecutionRecord&)> on_done) {
  auto sm = store.get_state_machine(r.state_machine_arn);
  if (!sm) {
    return make_error("StateMachineDoesNotExist",
                      "State Machine Does Not Exist: '" + r.state_machine_arn + "'");
  }
  std::string name = r.name;
  if (name.empty()) {
    name = random_uuid();
  }
  if (!valid_resource_name(name)) {
    return make_error("InvalidName", "Invalid Name: '" + name + "'");
  }
  std::string input_text = r.input.value_or("{}");
  if (input_text.size() > 256 * 1024) {
    return make_error("InvalidExecutionInput",
                      "Invalid State Machine Execution Input: 'Input size exceeds the maximum "
                      "allowed size of 262144 bytes'");
  }
  auto parsed_input = json::parse(input_text);
  if (!parsed_input.ok()) {
    return make_error("InvalidExecutionInput",
                      "Invalid State Machine Execution Input: '" + parsed_input.error + "'");
  }
  bool express = sm->type == "EXPRESS";
  std::string region = region_of_arn(sm->arn);
  std::string arn = "arn:aws:states:" + region + ":" + opts.account +
                    (express ? ":express:" : ":execution:") + sm->name + ":" + name;

  auto idempotent = [&](const store::ExecutionRecord& existing) -> Result<StartExecutionResponse> {
    if (existing.status == "RUNNING" && existing.input == input_text) {
      return StartExecutionResponse{existing.arn, existing.start_date_ms};
    }
    return make_error("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
  };
  if (durable) {
    if (auto existing = store.get_execution(arn)) {
      return idempotent(*existing);
    }
  }
  auto mv = machine_version(sm->arn, sm->revision_id);
  if (!mv.ok()) {
    return mv.error();
  }
  int64_t now_ns = clock.now_ns();
  auto lp = std::make_shared<Live>();
  Live& l = *lp;
  l.durable = durable;
  l.on_done = std::move(on_done);
  l.region = region;
  l.rec.arn = arn;
  l.rec.state_machine_arn = sm->arn;
  l.rec.revision_id = sm->revision_id;
  l.rec.name = name;
  l.rec.input = input_text;
  l.rec.start_date_ms = ns_to_ms(now_ns);
  l.rec.parent = r.parent;
  l.rec.trace_header = r.trace_header;
  l.entropy = asl::SeededEntropy(tokens->seed_for(arn));
  asl::ExecutionInfo info;
  info.machine = mv->info;
  info.name = name;
  info.express = express;
  info.start_time = now_ns;
  info.input = parsed_input.value;
  l.exec = std::make_unique<asl::Execution>(mv->program, std::move(info));

  std::unique_lock lock(l.mu);
  asl::Input start;
  start.kind = asl::Input::Kind::Start;
  ExecutionMinter minter(*tokens, l.rec.arn);
  asl::StepEnvironment env{now_ns, &l.entropy, &minter};
  asl::Transition t;
  l.exec->step(start, env, t);

  store::TransitionWrite w;
  store::ExecutionRecord row = l.rec;
  row.version = 1;
  row.last_event_id = l.exec->last_event_id();
  std::vector<asl::Command> commands = std::move(t.commands);
  for (const asl::HistoryEvent& e : t.events) {
    w.events.push_back(to_record(e));
  }
  l.journal_seq = 1;
  w.journal = store::JournalRecord{1, json::dump(input_to_json(start, now_ns))};
  auto status = l.exec->status();
  if (status != asl::ExecutionStatus::Running) {
    row.status = execution_status_text(status);
    row.output = status == asl::ExecutionStatus::Succeeded ? json::dump(l.exec->output()) : "";
    row.error = l.exec->error();
    row.cause = l.exec->cause();
    row.stop_date_ms = ns_to_ms(now_ns);
  }
  plan_commands(l, commands, now_ns, w);
  if (status != asl::ExecutionStatus::Running) {
    w.jobs_to_put.clear();
  }
  if (durable) {
    w.insert = row;
    auto ws = store.apply(w);
    if (ws == store::WriteStatus::AlreadyExists) {
      lock.unlock();
      if (auto existing = store.get_execution(arn)) {
        return idempotent(*existing);
      }
      return make_error("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
    }
    if (ws != store::WriteStatus::Ok) {
      return make_error("InternalFailure", "could not record the execution's start", 500);
    }
  }
  l.rec = row;
  StartExecutionResponse resp{arn, row.start_date_ms};
  if (status == asl::ExecutionStatus::Running) {
    std::lock_guard g(live_mu);
    live.emplace(arn, lp);
  }
  carry_out(lp, commands);
  if (status != asl::ExecutionStatus::Running) {
    l.done = true;
    lock.unlock();
    finished(lp);
  }
  return resp;
}

// Records what the transition's commands ask for (timers, tasks) in the live execution and as
// jobs of the write, so they exist durably before anything is carried out.
void Engine::Impl::plan_commands(Live& l, const std::vector<asl::Command>& commands, int64_t now_ns,
                                 store::TransitionWrite& w) {
  const std::string& arn = l.rec.arn;
  for (const asl::Command& c : commands) {
    switch (c.kind) {
      case asl::Command::Kind::StartTimer:
        l.timers.insert(c.timer.timer_id);
        w.jobs_to_put.push_back(store::JobRecord{timer_job_id(arn, c.timer.timer_id), "timer", arn,
                                                 ns_to_ms(c.timer.fire_at), "", 0, ""});
        break;
      case asl::Command::Kind::CancelTimer:
        if (l.timers.erase(c.timer.timer_id) > 0) {
          w.jobs_to_delete.push_back(timer_job_id(arn, c.timer.timer_id));
        }
        break;
      case asl::Command::Kind::CancelTask:
        if (l.tasks.erase(c.task.task_id) > 0) {
          w.jobs_to_delete.push_back(task_job_id(arn, c.task.task_id));
        }
        break;
      case asl::Command::Kind::RunTask: {
        const asl::RunTaskCommand& task = c.task;
        std::vector<json::Member> p;
        p.push_back({"task", json::Value(static_cast<int64_t>(task.task_id))});
        p.push_back({"resource", json::Value(task.resource)});
        p.push_back({"parameters", task.parameters});
        if (!task.task_token.empty()) {
          p.push_back({"token", json::Value(task.task_token)});
        }
        if (task.timeout_seconds) {
          p.push_back({"timeout", json::Value(*task.timeout_seconds)});
        }
        if (task.heartbeat_seconds) {
          p.push_back({"heartbeat", json::Value(*task.heartbeat_seconds)});
        }
        if (task.state != nullptr) {
          p.push_back({"state", json::Value(task.state->name)});
        }
        if (!task.credentials.is_null()) {
          p.push_back({"credentials", task.credentials});
        }
        p.push_back({"started", json::Value(ns_to_ms(now_ns))});
        LiveTask lt;
        lt.resource = task.resource;
        lt.token = task.task_token;
        if (lt.token.empty() && is_activity(task.resource)) {
          lt.token = tokens->mint(arn, task.task_id);
        }
        lt.heartbeat_seconds = task.heartbeat_seconds.value_or(0);
        l.tasks[task.task_id] = lt;
        int64_t due = task.timeout_seconds ? ns_to_ms(now_ns) + *task.timeout_seconds * 1000 : 0;
        w.jobs_to_put.push_back(store::JobRecord{task_job_id(arn, task.task_id), "task", arn, due,
                                                 json::dump(json::Value::object(std::move(p))), 0,
                                                 ""});
        break;
      }
    }
  }
}

bool Engine::Impl::deliver(const LivePtr& lp, asl::Input input) {
  bool done;
  {
    std::lock_guard lock(lp->mu);
    deliver_locked(lp, std::move(input));
    done = lp->done;
  }
  if (done) {
    finished(lp);
  }
  return !done;
}

void Engine::Impl::deliver_locked(const LivePtr& lp, asl::Input in) {
  Live& l = *lp;
  if (l.done) {
    return;
  }
  const std::string& arn = l.rec.arn;
  int64_t now_ns = clock.now_ns();
  ExecutionMinter minter(*tokens, arn);
  asl::StepEnvironment env{now_ns, &l.entropy, &minter};
  asl::Transition t;
  l.exec->step(in, env, t);

  std::vector<std::string> consumed;
  if (in.kind == asl::Input::Kind::TimerFired) {
    if (l.timers.erase(in.id) > 0) {
      consumed.push_back(timer_job_id(arn, in.id));
    }
  } else if (in.kind == asl::Input::Kind::TaskSucceeded ||
             in.kind == asl::Input::Kind::TaskFailed || in.kind == asl::Input::Kind::TaskTimedOut) {
    if (l.tasks.erase(in.id) > 0) {
      consumed.push_back(task_job_id(arn, in.id));
    }
  }
  if (t.events.empty() && t.commands.empty()) {
    // A stale input (a timer of an aborted branch, a late task result) changes nothing: it is
    // not journaled, only its job is dropped.
    if (l.durable) {
      for (const std::string& id : consumed) {
        store.delete_job(id);
      }
    }
    return;
  }

  store::TransitionWrite w;
  w.execution_arn = arn;
  w.expected_version = l.rec.version;
  store::ExecutionRecord row = l.rec;
  row.version = l.rec.version + 1;
  row.last_event_id = l.exec->last_event_id();
  for (const asl::HistoryEvent& e : t.events) {
    w.events.push_back(to_record(e));
  }
  w.journal = store::JournalRecord{l.journal_seq + 1, json::dump(input_to_json(in, now_ns))};
  w.jobs_to_delete = std::move(consumed);

  plan_commands(l, t.commands, now_ns, w);
  auto status = l.exec->status();
  if (status != asl::ExecutionStatus::Running) {
    row.status = execution_status_text(status);
    row.output = status == asl::ExecutionStatus::Succeeded ? json::dump(l.exec->output()) : "";
    row.error = l.exec->error();
    row.cause = l.exec->cause();
    row.stop_date_ms = ns_to_ms(now_ns);
    // Whatever the execution still waited on is moot now.
    for (uint64_t id : l.timers) {
      w.jobs_to_delete.push_back(timer_job_id(arn, id));
    }
    for (const auto& [id, task] : l.tasks) {
      w.jobs_to_delete.push_back(task_job_id(arn, id));
    }
    w.jobs_to_put.clear();
  }
  if (l.durable) {
    w.update = row;
    auto ws = store.apply(w);
    if (ws != store::WriteStatus::Ok) {
      // Only one process owns a store, so the version cannot move under us: this is a bug or a
      // damaged database. Stop driving the execution rather than write a diverging history.
      std::fprintf(stderr, "signoff: transition of %s not recorded (status %d); execution parked\n",
                   arn.c_str(), static_cast<int>(ws));
      l.done = true;
      return;
    }
  }
  l.rec = std::move(row);
  l.journal_seq += 1;
  if (status != asl::ExecutionStatus::Running) {
    l.done = true;
    l.timers.clear();
    l.tasks.clear();
    return;
  }
  carry_out(lp, t.commands);
}

void Engine::Impl::carry_out(const LivePtr& lp, std::vector<asl::Command>& commands) {
  for (asl::Command& c : commands) {
    if (c.kind == asl::Command::Kind::StartTimer) {
      timers.add(ns_to_ms(c.timer.fire_at), kStateTimer, c.timer.timer_id, lp);
    } else if (c.kind == asl::Command::Kind::RunTask) {
      dispatch_task(lp, c.task, false);
    }
  }
}

void Engine::Impl::dispatch_task(const LivePtr& lp, const asl::RunTaskCommand& cmd,
                                 bool /*redispatch*/) {
  Live& l = *lp;
  uint64_t id = cmd.task_id;
  auto it = l.tasks.find(id);
  if (it == l.tasks.end()) {
    return;
  }
  int64_t now = clock.now_ms();
  if (cmd.timeout_seconds) {
    timers.add(now + *cmd.timeout_seconds * 1000, kTaskTimeout, id, lp);
  }
  if (cmd.heartbeat_seconds) {
    it->second.heartbeat_due_ms = now + *cmd.heartbeat_seconds * 1000;
    timers.add(it->second.heartbeat_due_ms, kHeartbeat, id, lp);
  }
  const std::string& resource = cmd.resource;
  auto fail = [this, lp, id](std::string error, std::string cause) {
    pool.post([this, lp, id, error = std::move(error), cause = std::move(cause)] {
      asl::Input in;
      in.kind = asl::Input::Kind::TaskFailed;
      in.id = id;
      in.error = error;
      in.cause = cause;
      deliver(lp, std::move(in));
    });
  };

  if (is_activity(resource)) {
    enqueue_activity(resource,
                     QueuedActivityTask{lp, id, it->second.token, json::dump(cmd.parameters)});
    return;
  }

  if (starts_with(resource, "arn:aws:states:::states:startExecution")) {
    std::string mode = ends_with(resource, ".sync:2")             ? "sync2"
                       : ends_with(resource, ".sync")             ? "sync"
                       : ends_with(resource, ".waitForTaskToken") ? "token"
                                                                  : "plain";
    const json::Value& p = cmd.parameters;
    StartExecutionRequest child;
    child.state_machine_arn = json_str(p, "StateMachineArn");
    child.name = json_str(p, "Name");
    if (child.name.empty()) {
      // Deterministic, so a re-dispatch after a crash finds the same child instead of starting a
      // second one.
      uint64_t a = tokens->seed_for(l.rec.arn + "/child/" + std::to_string(id));
      uint64_t b = tokens->seed_for(l.rec.arn + "/child2/" + std::to_string(id));
      child.name = uuid_v4(a, b);
    }
    if (const json::Value* in = p.find("Input")) {
      child.input = in->is_string() ? std::string(in->as_string()) : json::dump(*in);
    }
    if (mode == "sync" || mode == "sync2") {
      child.parent =
          json::dump(json::Value::object({{"arn", json::Value(l.rec.arn)},
                                          {"task", json::Value(static_cast<int64_t>(id))},
                                          {"mode", json::Value(mode)}}));
    }
    std::string job_id = task_job_id(l.rec.arn, id);
    bool durable = l.durable;
    pool.post([this, lp, id, child, mode, fail, job_id, durable] {
      auto started = start(child, true, nullptr);
      StartExecutionResponse resp;
      if (started.ok()) {
        resp = started.value();
      } else if (started.error().type == "ExecutionAlreadyExists") {
        // Re-dispatched after a restart: the child the first dispatch started is this one (its
        // name is deterministic) when it has the same input.
        std::string machine_name =
            child.state_machine_arn.substr(child.state_machine_arn.rfind(':') + 1);
        std::string arn = "arn:aws:states:" + region_of_arn(child.state_machine_arn) + ":" +
                          opts.account + ":execution:" + machine_name + ":" + child.name;
        auto rec = store.get_execution(arn);
        if (!rec || rec->input != child.input.value_or("{}")) {
          fail("StepFunctions.ExecutionAlreadyExistsException", started.error().message);
          return;
        }
        resp = StartExecutionResponse{rec->arn, rec->start_date_ms};
        if ((mode == "sync" || mode == "sync2") && rec->status != "RUNNING") {
          auto copy = std::make_shared<Live>();
          copy->rec = *rec;
          finished(copy);
          return;
        }
      } else {
        fail("StepFunctions." + started.error().type + "Exception", started.error().message);
        return;
      }
      if (mode == "plain") {
        asl::Input in;
        in.kind = asl::Input::Kind::TaskSucceeded;
        in.id = id;
        in.output = json::Value::object({{"ExecutionArn", json::Value(resp.execution_arn)},
                                         {"StartDate", json::Value(resp.start_date_ms)}});
        deliver(lp, std::move(in));
        return;
      }
      if (durable) {
        mark_handed_over(job_id);
      }
    });
    return;
  }

  TaskIntegrationPtr integration;
  {
    std::lock_guard lock(integrations_mu);
    for (const auto& candidate : integrations) {
      if (candidate->handles(resource)) {
        integration = candidate;
        break;
      }
    }
  }
  if (!integration) {
    fail("States.TaskFailed", "Signoff does not implement the task resource '" + resource + "'");
    return;
  }
  TaskCall call;
  call.resource = resource;
  call.parameters = cmd.parameters;
  call.task_token = cmd.task_token;
  call.role_arn = l.exec->info().machine->role_arn;
  if (const json::Value* role = cmd.credentials.find("RoleArn"); role && role->is_string()) {
    call.role_arn = std::string(role->as_string());
  }
  call.region = l.region;
  call.account = opts.account;
  call.execution_arn = l.rec.arn;
  call.state_name = cmd.state != nullptr ? cmd.state->name : std::string();
  bool wait_for_token = cmd.wait_for_token;
  std::string job_id = task_job_id(l.rec.arn, id);
  bool durable = l.durable;
  integration->run(call, [this, lp, id, wait_for_token, job_id, durable](TaskResult result) {
    pool.post([this, lp, id, wait_for_token, job_id, durable, result = std::move(result)] {
      if (wait_for_token && result.ok) {
        // Handed over: after a restart only the deadlines are re-armed, the call is not
        // repeated (it would notify the callee twice).
        if (durable) {
          mark_handed_over(job_id);
        }
        return;
      }
      asl::Input in;
      in.id = id;
      if (result.ok) {
        in.kind = asl::Input::Kind::TaskSucceeded;
        in.output = result.output;
      } else {
        in.kind = asl::Input::Kind::TaskFailed;
        in.error = result.error;
        in.cause = result.cause;
      }
      deliver(lp, std::move(in));
    });
  });
}

void Engine::Impl::mark_handed_over(const std::string& job_id) {
  if (auto job = store.get_job(job_id)) {
    auto p = json::parse(job->payload);
    if (p.ok()) {
      p.value.set("dispatched", json::Value(true));
      job->payload = json::dump(p.value);
      store.put_job(*job);
    }
  }
}

void Engine::Impl::finished(const LivePtr& lp) {
  {
    std::lock_guard lock(live_mu);
    live.erase(lp->rec.arn);
  }
  if (lp->on_done) {
    lp->on_done(lp->rec);
  }
  const store::ExecutionRecord& rec = lp->rec;
  if (rec.parent.empty()) {
    return;
  }
  auto parent = json::parse(rec.parent);
  if (!parent.ok()) {
    return;
  }
  std::string parent_arn = json_str(parent.value, "arn");
  uint64_t task = static_cast<uint64_t>(json_int(parent.value, "task"));
  std::string mode = json_str(parent.value, "mode");
  bool sync2 = mode == "sync2";
  auto payload = [&](const std::string& text) -> json::Value {
    if (!sync2) {
      return json::Value(text);
    }
    auto p = json::parse(text);
    return p.ok() ? p.value : json::Value(text);
  };
  std::vector<json::Member> d;
  d.push_back({"ExecutionArn", json::Value(rec.arn)});
  d.push_back({"Input", payload(rec.input)});
  d.push_back({"InputDetails", json::Value::object({{"Included", json::Value(true)}})});
  d.push_back({"Name", json::Value(rec.name)});
  if (rec.status == "SUCCEEDED") {
    d.push_back({"Output", payload(rec.output)});
    d.push_back({"OutputDetails", json::Value::object({{"Included", json::Value(true)}})});
  }
  d.push_back({"RedriveCount", json::Value(0)});
  d.push_back({"RedriveStatus", json::Value("NOT_REDRIVABLE")});
  d.push_back({"StartDate", json::Value(rec.start_date_ms)});
  d.push_back({"StateMachineArn", json::Value(rec.state_machine_arn)});
  d.push_back({"Status", json::Value(rec.status)});
  d.push_back({"StopDate", json::Value(rec.stop_date_ms)});
  if (!rec.error.empty()) {
    d.push_back({"Error", json::Value(rec.error)});
  }
  if (!rec.cause.empty()) {
    d.push_back({"Cause", json::Value(rec.cause)});
  }
  json::Value describe = json::Value::object(std::move(d));
  asl::Input in;
  in.id = task;
  if (rec.status == "SUCCEEDED") {
    in.kind = asl::Input::Kind::TaskSucceeded;
    in.output = describe;
  } else {
    in.kind = asl::Input::Kind::TaskFailed;
    in.error = "States.TaskFailed";
    in.cause = json::dump(describe);
  }
  pool.post([this, parent_arn, in = std::move(in)]() mutable {
    if (LivePtr p = find_live(parent_arn)) {
      deliver(p, std::move(in));
    }
  });
}

void Engine::Impl::on_timer(TimerEntry&& e) {
  auto lp = std::static_pointer_cast<Live>(e.target);
  uint32_t kind = e.kind;
  uint64_t id = e.id;
  if (kind == kPollExpiry) {
    std::function<void(Result<std::optional<ActivityTask>>)> done;
    {
      std::lock_guard lock(activities_mu);
      for (auto& [arn, q] : activities) {
        for (auto it = q.waiters.begin(); it != q.waiters.end(); ++it) {
          if (it->id == id) {
            done = std::move(it->done);
            q.waiters.erase(it);
            break;
          }
        }
        if (done) {
          break;
        }
      }
    }
    if (done) {
      pool.post([done = std::move(done)] { done(std::optional<ActivityTask>()); });
    }
    return;
  }
  pool.post([this, lp, kind, id] {
    asl::Input in;
    in.id = id;
    if (kind == kStateTimer) {
      in.kind = asl::Input::Kind::TimerFired;
    } else {
      std::lock_guard lock(lp->mu);
      auto it = lp->tasks.find(id);
      if (lp->done || it == lp->tasks.end()) {
        return;
      }
      if (kind == kHeartbeat) {
        int64_t due = it->second.heartbeat_due_ms;
        if (due > clock.now_ms()) {
          timers.add(due, kHeartbeat, id, lp);
          return;
        }
      }
      in.kind = asl::Input::Kind::TaskTimedOut;
      in.error = kind == kHeartbeat ? "States.HeartbeatTimeout" : "States.Timeout";
    }
    deliver(lp, std::move(in));
  });
}

void Engine::Impl::recover() {
  for (store::ExecutionRecord& rec : store.running_executions()) {
    auto mv = machine_version(rec.state_machine_arn, rec.revision_id);
    auto journal = store.journal(rec.arn);
    if (!mv.ok() || journal.empty()) {
      std::fprintf(stderr, "signoff: cannot resume %s: %s\n", rec.arn.c_str(),
                   mv.ok() ? "empty journal" : mv.error().message.c_str());
      continue;
    }
    auto lp = std::make_shared<Live>();
    Live& l = *lp;
    l.rec = rec;
    l.region = region_of_arn(rec.state_machine_arn);
    l.entropy = asl::SeededEntropy(tokens->seed_for(rec.arn));
    asl::Input first;
    int64_t first_ns = 0;
    if (!input_from_json(journal.front().json, first, first_ns)) {
      continue;
    }
    asl::ExecutionInfo info;
    info.machine = mv->info;
    info.name = rec.name;
    info.express = false;
    info.start_time = first_ns;
    auto parsed_input = json::parse(rec.input);
    info.input = parsed_input.ok() ? parsed_input.value : json::Value::object();
    l.exec = std::make_unique<asl::Execution>(mv->program, std::move(info));
    ExecutionMinter minter(*tokens, l.rec.arn);
    asl::Transition scratch;
    bool ok = true;
    for (const store::JournalRecord& j : journal) {
      asl::Input in;
      int64_t now_ns = 0;
      if (!input_from_json(j.json, in, now_ns)) {
        ok = false;
        break;
      }
      asl::StepEnvironment env{now_ns, &l.entropy, &minter};
      scratch.clear();
      l.exec->step(in, env, scratch);
    }
    if (!ok || l.exec->last_event_id() != rec.last_event_id) {
      std::fprintf(stderr,
                   "signoff: replay of %s diverged (event %lld, stored %lld); not resumed\n",
                   rec.arn.c_str(), static_cast<long long>(l.exec->last_event_id()),
                   static_cast<long long>(rec.last_event_id));
      continue;
    }
    l.journal_seq = journal.back().seq;
    std::vector<store::JobRecord> jobs = store.jobs_by_owner(rec.arn);
    {
      std::lock_guard g(live_mu);
      live.emplace(rec.arn, lp);
    }
    std::lock_guard lock(l.mu);
    for (const store::JobRecord& job : jobs) {
      size_t slash = job.id.rfind('/');
      uint64_t id = std::strtoull(job.id.c_str() + slash + 1, nullptr, 10);
      if (job.kind == "timer") {
        l.timers.insert(id);
        timers.add(job.due_ms, kStateTimer, id, lp);
      } else if (job.kind == "task") {
        auto p = json::parse(job.payload);
        if (!p.ok()) {
          continue;
        }
        const json::Value& v = p.value;
        asl::RunTaskCommand cmd;
        cmd.task_id = id;
        cmd.resource = json_str(v, "resource");
        if (const json::Value* params = v.find("parameters")) {
          cmd.parameters = *params;
        }
        cmd.task_token = json_str(v, "token");
        cmd.wait_for_token = !cmd.task_token.empty() && !is_activity(cmd.resource);
        if (const json::Value* c = v.find("credentials")) {
          cmd.credentials = *c;
        }
        int64_t hb = json_int(v, "heartbeat");
        if (hb > 0) {
          cmd.heartbeat_seconds = hb;
        }
        LiveTask lt;
        lt.resource = cmd.resource;
        lt.token = cmd.task_token;
        if (lt.token.empty() && is_activity(cmd.resource)) {
          lt.token = tokens->mint(rec.arn, id);
        }
        lt.heartbeat_seconds = hb;
        l.tasks[id] = lt;
        if (job.due_ms > 0) {
          timers.add(job.due_ms, kTaskTimeout, id, lp);
        }
        const json::Value* dispatched = v.find("dispatched");
        bool handed_over =
            (dispatched != nullptr && dispatched->is_bool() && dispatched->as_bool()) ||
            !job.claimed_by.empty();
        if (handed_over) {
          if (hb > 0) {
            l.tasks[id].heartbeat_due_ms = clock.now_ms() + hb * 1000;
            timers.add(l.tasks[id].heartbeat_due_ms, kHeartbeat, id, lp);
          }
        } else {
          // Not yet handed over when the server stopped: hand it over now. The timeout keeps
          // its original deadline (re-armed above), so only the heartbeat is restarted here.
          cmd.timeout_seconds.reset();
          dispatch_task(lp, cmd, true);
        }
      }
    }
  }
}

}  // namespace signoff::engine
