// The job thread: carries out committed jobs (events, notifications, timers, calls into other
// services) and feeds their results back as transitions. Jobs are at-least-once: a crash after a
// side effect but before the job's deletion commits repeats the side effect on start.
#include <chrono>
#include <cstdio>

#include "automation/impl.h"

namespace signoff::automation {

namespace {

constexpr int64_t kMaxDeliveryAttempts = 10;

std::string port_error(const Error& e) {
  return e.type.empty() ? e.message : e.type + ": " + e.message;
}

}  // namespace

void AutomationService::Impl::job_loop() {
  while (true) {
    try {
      run_jobs_once();
    } catch (const std::exception& e) {
      // A failing store must not end the thread; the jobs stay and are retried.
      std::fprintf(stderr, "signoff: automation jobs: %s\n", e.what());
    }
    std::unique_lock<std::mutex> g(job_mu);
    job_cv.wait_for(g, std::chrono::milliseconds(opts.job_poll_ms),
                    [this] { return stopping || kicked; });
    if (stopping) {
      return;
    }
    kicked = false;
  }
}

void AutomationService::Impl::run_jobs_once() {
  std::lock_guard<std::mutex> g(run_mu);
  for (int round = 0; round < 100; ++round) {
    auto jobs = store.due_jobs(kJobKind, clock.now_ms(), 64);
    if (jobs.empty()) {
      return;
    }
    for (const store::JobRecord& job : jobs) {
      {
        std::lock_guard<std::mutex> s(job_mu);
        if (stopping) {
          return;
        }
      }
      handle_job(job);
    }
  }
}

void AutomationService::Impl::retry_later(const store::JobRecord& job, const std::string& why) {
  if (job.attempts + 1 >= kMaxDeliveryAttempts) {
    std::fprintf(stderr, "signoff: automation: giving up on job %s: %s\n", job.id.c_str(),
                 why.c_str());
    store.delete_job(job.id);
    return;
  }
  store::JobRecord again = job;
  again.attempts += 1;
  again.due_ms = clock.now_ms() + (int64_t{1000} << std::min<int64_t>(again.attempts, 8));
  store.put_job(again);
}

void AutomationService::Impl::handle_job(const store::JobRecord& job) {
  auto parsed = json::parse(job.payload);
  if (!parsed.ok()) {
    store.delete_job(job.id);
    return;
  }
  const json::Value& p = parsed.value;
  std::string type = text_of(p, "type");
  if (type == "event") {
    if (!ports.events) {
      store.delete_job(job.id);
      return;
    }
    std::vector<std::string> resources;
    if (const json::Value* r = p.find("resources")) {
      for (const json::Value& x : r->as_array()) {
        resources.emplace_back(x.as_string());
      }
    }
    auto res = ports.events->put_event("aws.ssm", text_of(p, "detailType"),
                                       json::dump(*p.find("detail")), resources);
    if (res.ok()) {
      store.delete_job(job.id);
    } else {
      retry_later(job, port_error(res.error()));
    }
    return;
  }
  if (type == "notify") {
    if (!ports.topics) {
      store.delete_job(job.id);
      return;
    }
    auto res =
        ports.topics->publish(text_of(p, "topic"), text_of(p, "subject"), text_of(p, "message"));
    if (res.ok()) {
      store.delete_job(job.id);
    } else {
      retry_later(job, port_error(res.error()));
    }
    return;
  }
  if (type == "agents") {
    return tell_agents(job, p);
  }
  if (type == "run") {
    return run_action(job, p);
  }
  if (type == "poll") {
    return poll_child(job, p);
  }
  handle_step_job(job, p);
}

// Agent approvers hear of a waiting approval once its step committed; they answer later through
// send_signal like anyone else.
void AutomationService::Impl::tell_agents(const store::JobRecord& job, const json::Value& p) {
  auto tx = load(job.owner);
  std::string key = text_of(p, "step");
  Tx::Step* step = tx ? tx->step(key) : nullptr;
  if (!ports.approvals || !step || text_of(tx->exec, "CurrentStepKey") != key ||
      text_of(step->doc, "StepStatus") != "Waiting") {
    store.delete_job(job.id);
    return;
  }
  const json::Value* approval = step->doc.find("Approval");
  const json::Value* resolved = step->doc.find("ResolvedInputs");
  WaitingApproval w;
  w.execution_id = job.owner;
  w.step_execution_id = text_of(step->doc, "StepExecutionId");
  w.step_name = text_of(step->doc, "StepName");
  w.document_name = text_of(tx->exec, "DocumentName");
  w.executed_by = text_of(tx->exec, "ExecutedBy");
  w.message = resolved ? text_of(*resolved, "Message") : "";
  w.min_required = approval ? int_of(*approval, "MinRequiredApprovals", 1) : 1;
  if (const json::Value* list = approval ? approval->find("Approvers") : nullptr) {
    for (const json::Value& a : list->as_array()) {
      w.approvers.emplace_back(a.as_string());
    }
  }
  if (const json::Value* typed = tx->exec.find("Typed")) {
    w.parameters = *typed;
  }
  if (const json::Value* tags = tx->exec.find("SignoffTags"); tags && tags->is_object()) {
    for (const json::Member& m : tags->as_object()) {
      if (m.value.is_string()) {
        w.signoff_tags.emplace_back(m.key, std::string(m.value.as_string()));
      }
    }
  }
  auto res = ports.approvals->approval_waiting(w);
  if (res.ok()) {
    store.delete_job(job.id);
  } else {
    retry_later(job, port_error(res.error()));
  }
}

// Timers: an approval or pause that timed out, a sleep that ended.
void AutomationService::Impl::handle_step_job(const store::JobRecord& job, const json::Value& p) {
  auto lock = lock_for(job.owner);
  std::lock_guard<std::mutex> g(*lock);
  auto tx = load(job.owner);
  std::string key = text_of(p, "step");
  if (!tx || !tx->step(key)) {
    store.delete_job(job.id);  // the step moved on; the timer is stale
    return;
  }
  auto doc = document_of(*tx);
  if (!doc.ok()) {
    store.delete_job(job.id);
    return;
  }
  std::string type = text_of(p, "type");
  tx->jobs_to_delete.push_back(job.id);
  const json::Value& step = tx->step_doc(key);
  std::string action = text_of(step, "Action");
  if (type == "wake") {
    complete_step(*tx, *doc, key, "Success", json::Value::object(), "");
  } else if (action == "aws:approve") {
    complete_step(
        *tx, *doc, key, "TimedOut",
        json::Value::object({{"ApprovalStatus", json::Value("Waiting")}}),
        "Step timed out while step is verifying approvers' decisions: the required approvals "
        "were not received within " +
            std::to_string(int_of(step, "TimeoutSeconds")) + " seconds.",
        "Timeout");
  } else {
    complete_step(
        *tx, *doc, key, "TimedOut", json::Value::object(),
        "Step timed out after " + std::to_string(int_of(step, "TimeoutSeconds")) + " seconds.",
        "Timeout");
  }
  advance(*tx, *doc);
  commit(*tx);
}

}  // namespace signoff::automation
