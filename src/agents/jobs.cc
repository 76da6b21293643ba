// Evaluations: a dispatcher thread hands due "agents.job" jobs to worker threads; each worker
// checks the agent's switches and limits, obtains a verdict (rules, model or webhook), applies the
// guardrails, signals through the approval desk as the agent's role, and records the outcome
// with the job's deletion in one batch.
#include <chrono>
#include <cstdio>

#include "agents/chat.h"
#include "agents/impl.h"
#include "agents/rules.h"
#include "agents/webhook.h"

namespace signoff::agents {

namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// The context rules and models see: the approval, plus the Step Functions execution whose task
// token a parameter carries (a state machine that started this automation and waits on it).
json::Value context_of(const json::Value& approval, ExecutionInputs* executions) {
  json::Value ctx = approval;
  ctx.erase("SignoffTags");
  if (!executions) {
    return ctx;
  }
  const json::Value* params = approval.find("Parameters");
  if (!params || !params->is_object()) {
    return ctx;
  }
  for (const json::Member& p : params->as_object()) {
    const json::Value* v = &p.value;
    if (v->is_array() && v->size() == 1) {
      v = v->at(0);
    }
    if (!v->is_string() || v->as_string().size() < 40) {
      continue;
    }
    if (auto e = executions->for_task_token(std::string(v->as_string()))) {
      ctx.set("Execution", json::Value::object({{"ExecutionArn", json::Value(e->execution_arn)},
                                                {"Input", e->input}}));
      break;
    }
  }
  return ctx;
}

std::vector<std::pair<std::string, std::string>> tags_of(const json::Value& approval) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const json::Value* t = approval.find("SignoffTags"); t && t->is_object()) {
    for (const json::Member& m : t->as_object()) {
      if (m.value.is_string()) {
        out.emplace_back(m.key, std::string(m.value.as_string()));
      }
    }
  }
  return out;
}

}  // namespace

void AgentsService::Impl::kick() {
  std::lock_guard<std::mutex> g(job_mu);
  kicked = true;
  job_cv.notify_all();
}

void AgentsService::start() {
  Impl& m = *impl_;
  m.workers = std::make_unique<WorkerPool>(m.opts.workers);
  m.dispatcher = std::thread([&m] { m.dispatch_loop(); });
}

void AgentsService::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> g(m.job_mu);
    m.stopping = true;
    m.job_cv.notify_all();
  }
  if (m.dispatcher.joinable()) {
    m.dispatcher.join();
  }
  if (m.workers) {
    m.workers->stop();
    m.workers.reset();
  }
}

void AgentsService::run_due_jobs() {
  Impl& m = *impl_;
  for (const store::JobRecord& job : m.take_due()) {
    m.run_job(job);
  }
}

std::vector<store::JobRecord> AgentsService::Impl::take_due() {
  std::vector<store::JobRecord> out;
  auto due = store.due_jobs(kJobKind, clock.now_ms(), 64);
  std::lock_guard<std::mutex> g(job_mu);
  for (store::JobRecord& j : due) {
    if (in_flight.insert(j.id).second) {
      out.push_back(std::move(j));
    }
  }
  return out;
}

void AgentsService::Impl::dispatch_loop() {
  while (true) {
    try {
      for (const store::JobRecord& job : take_due()) {
        workers->post([this, job] { run_job(job); });
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "signoff: agents: %s\n", e.what());
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

namespace {

struct Outcome {
  std::string decision;  // Approve | Reject | Abstain | Delegated | Skipped | Failed
  Verdict verdict;
  std::string detail;  // why it abstained, or the signal's refusal
  bool retry = false;  // webhook: try again later
};

Outcome outcome(std::string decision, std::string detail, bool retry = false) {
  Outcome o;
  o.decision = std::move(decision);
  o.detail = std::move(detail);
  o.retry = retry;
  return o;
}

}  // namespace

void AgentsService::Impl::run_job(const store::JobRecord& job) {
  struct Release {
    Impl& m;
    std::string id;
    ~Release() {
      std::lock_guard<std::mutex> g(m.job_mu);
      m.in_flight.erase(id);
    }
  } release{*this, job.id};
  try {
    json::Value payload = json::parse(job.payload).value;
    std::string name = text_of(payload, "Agent");
    const json::Value* approval_p = payload.find("Approval");
    json::Value approval = approval_p ? *approval_p : json::Value::object();
    std::string exec_id = text_of(approval, "AutomationExecutionId");
    std::string step_id = text_of(approval, "StepExecutionId");
    int64_t now = clock.now_ms();

    auto rec = store.get_document(kAgentKind, name);
    json::Value agent = rec ? json::parse(rec->json).value : json::Value::object();
    std::string kind = text_of(agent, "Kind");
    std::string role = text_of(agent, "RoleArn");
    Outcome out;
    auto still_waiting = [&]() -> bool {
      if (!ports.approvals) {
        return false;
      }
      auto v = ports.approvals->current(exec_id);
      return v.ok() && v->waiting && v->step_execution_id == step_id;
    };
    auto suspended = [&]() {
      auto r = store.get_document(kAgentKind, name);
      return !r || text_of(json::parse(r->json).value, "State") != "Active";
    };
    const json::Value usage =
        agent.find("Usage") ? *agent.find("Usage") : json::Value(json::Value::object());
    int64_t hour_start = int_of(usage, "HourStartMs");
    int64_t in_hour = now - hour_start < kHourMs ? int_of(usage, "DecisionsThisHour") : 0;
    int64_t day_start = int_of(usage, "DayStartMs");
    int64_t tokens_today = now - day_start < kDayMs ? int_of(usage, "TokensToday") : 0;
    int64_t max_rate = int_of(agent, "MaxDecisionsPerHour");
    int64_t max_tokens = int_of(agent, "MaxTokensPerDay");
    json::Value ctx = context_of(approval, ports.executions);

    if (!rec) {
      out = outcome("Skipped", "the agent was deleted");
    } else if (text_of(agent, "State") != "Active") {
      out = outcome("Abstain", "the agent is suspended");
    } else if (!still_waiting()) {
      out = outcome("Skipped", "the approval is no longer waiting");
    } else if (max_rate > 0 && in_hour >= max_rate) {
      out = outcome("Abstain", "rate limit: " + std::to_string(max_rate) + " decisions per hour");
    } else if (kind == "Model" && max_tokens > 0 && tokens_today >= max_tokens) {
      out = outcome("Abstain", "spend limit: " + std::to_string(max_tokens) + " tokens per day");
    } else if (kind == "Policy") {
      const json::Value* p = agent.find("Policy");
      auto rules = PolicyRules::compile(p && p->find("Rules") ? *p->find("Rules") : json::Value());
      if (!rules.ok()) {
        out = outcome("Abstain", rules.error().message);
      } else {
        out.verdict = rules->evaluate(ctx, now);
        out.decision = std::string(decision_name(out.verdict.decision));
      }
    } else if (kind == "Model") {
      const json::Value& mc = *agent.find("Model");
      std::vector<std::pair<std::string, std::string>> headers{
          {"Content-Type", "application/json"}};
      if (const json::Value* k = mc.find("ApiKeySealed"); k && ports.secrets) {
        if (auto key = ports.secrets->open(std::string(k->as_string()))) {
          headers.emplace_back("Authorization", "Bearer " + *key);
        }
      }
      int64_t timeout_s = int_of(mc, "TimeoutSeconds", 30);
      std::string body = chat_request(text_of(mc, "Model"), text_of(mc, "SystemPrompt"), ctx,
                                      int_of(mc, "MaxTokens"));
      auto res = ports.http ? ports.http->post(completions_url(text_of(mc, "BaseUrl")), headers,
                                               body, timeout_s * 1000)
                            : Result<HttpResponse>(make_error("HttpError", "no HTTP client"));
      if (!res.ok()) {
        out = outcome("Abstain",
                      res.error().type == "Timeout"
                          ? "the model did not answer within " + std::to_string(timeout_s) + " s"
                          : "the model could not be reached: " + res.error().message);
      } else if (res->status < 200 || res->status > 299) {
        out = outcome("Abstain", "the model answered HTTP " + std::to_string(res->status));
      } else if (auto v = parse_chat_response(res->body); !v.ok()) {
        out = outcome("Abstain", v.error().message);
      } else {
        out.verdict = *v;
        out.decision = std::string(decision_name(v->decision));
      }
    } else if (kind == "Webhook") {
      const json::Value& wc = *agent.find("Webhook");
      std::optional<std::string> secret;
      if (const json::Value* s = wc.find("SecretSealed"); s && ports.secrets) {
        secret = ports.secrets->open(std::string(s->as_string()));
      }
      json::Value body_v = ctx;
      body_v.set("AgentName", json::Value(name));
      body_v.set("RoleArn", json::Value(role));
      std::string body = json::dump(body_v);
      int64_t ts = now / 1000;
      auto res = !secret || !ports.http
                     ? Result<HttpResponse>(make_error("HttpError", "the secret cannot be opened"))
                     : ports.http->post(text_of(wc, "Url"),
                                        {{"Content-Type", "application/json"},
                                         {kTimestampHeader, std::to_string(ts)},
                                         {kSignatureHeader, webhook_signature(*secret, ts, body)}},
                                        body, 10000);
      if (res.ok() && res->status >= 200 && res->status <= 299) {
        out = outcome("Delegated",
                      "the webhook took the request (HTTP " + std::to_string(res->status) + ")");
      } else {
        std::string why = res.ok() ? "HTTP " + std::to_string(res->status) : res.error().message;
        bool again = job.attempts + 1 < kMaxWebhookAttempts;
        out = outcome("Failed", "the webhook did not take the request: " + why, again);
      }
    } else {
      out = outcome("Skipped", "unknown agent kind");
    }

    if (out.retry) {
      store::JobRecord again = job;
      again.attempts += 1;
      again.due_ms = clock.now_ms() + (int64_t{1000} << std::min<int64_t>(again.attempts, 6));
      store.put_job(again);
      return;
    }

    // The guardrails, judged on the approval as it is now (the model may have taken a while).
    std::string agent_principal;
    if ((out.decision == "Approve" || out.decision == "Reject") && ports.approvals) {
      if (suspended()) {
        out.detail = "the agent was suspended while deciding";
        out.decision = "Abstain";
      }
      auto who = ports.approvals->principal_of_role(role);
      auto view = ports.approvals->current(exec_id);
      if (out.decision != "Abstain" &&
          (!who.ok() || !view.ok() || !view->waiting || view->step_execution_id != step_id)) {
        out.detail = !who.ok() ? who.error().message : "the approval is no longer waiting";
        out.decision = "Skipped";
      }
      if (out.decision == "Approve" || out.decision == "Reject") {
        agent_principal = *who;
        // Votes by any agent's role session are not human.
        std::vector<std::string> agent_roles;
        for (const store::DocumentRecord& d :
             store.list_documents(kAgentKind, "", "", 1000).items) {
          agent_roles.push_back(role_name_of(text_of(json::parse(d.json).value, "RoleArn")));
        }
        std::vector<Vote> votes;
        for (const CastVote& c : view->votes) {
          bool human = true;
          if (c.principal.find(":assumed-role/") != std::string::npos) {
            std::string rest = c.principal.substr(c.principal.find(":assumed-role/") + 14);
            std::string role_name = rest.substr(0, rest.find('/'));
            for (const std::string& r : agent_roles) {
              human = human && r != role_name;
            }
          }
          votes.push_back(Vote{c.principal, c.decision, human});
        }
        auto rule =
            human_rule_for(text_of(approval, "StepName"), tags_of(approval),
                           parse_human_rule(text_of(agent, "HumanRule")).value_or(HumanRule::None));
        Guarded g = apply_guardrails(out.verdict, number_of(agent, "MinConfidence", 0.8), rule,
                                     view->min_required, votes, agent_principal);
        if (g.decision == Decision::Abstain) {
          out.decision = "Abstain";
          out.detail = g.why;
        } else {
          auto sent = ports.approvals->decide(role, exec_id, out.decision,
                                              signal_comment(name, kind, out.verdict));
          if (!sent.ok()) {
            out.detail =
                "the signal was refused: " + sent.error().type + ": " + sent.error().message;
            out.decision = "Failed";
          }
        }
      }
    }

    // Outcome, usage and the job's deletion together.
    json::Value rec_v = json::Value::object({
        {"AgentName", json::Value(name)},
        {"AgentKind", json::Value(kind)},
        {"RoleArn", json::Value(role)},
        {"Principal", json::Value(agent_principal)},
        {"AutomationExecutionId", json::Value(exec_id)},
        {"StepExecutionId", json::Value(step_id)},
        {"StepName", json::Value(text_of(approval, "StepName"))},
        {"Decision", json::Value(out.decision)},
        {"Verdict", json::Value(decision_name(out.verdict.decision))},
        {"Confidence", json::Value(out.verdict.confidence)},
        {"Reason", json::Value(out.verdict.reason)},
        {"Detail", json::Value(out.detail)},
        {"Tokens", json::Value(out.verdict.tokens)},
        {"Time", epoch_seconds(now)},
    });
    store::DocumentBatch b;
    store::DocumentWrite dw;
    dw.doc.kind = kDecisionKind;
    dw.doc.key = text_of(payload, "DecisionKey");
    dw.doc.json = json::dump(rec_v);
    dw.doc.index = name;
    dw.doc.created_ms = now;
    dw.doc.updated_ms = now;
    b.writes.push_back(std::move(dw));
    b.jobs_to_delete.push_back(job.id);
    bool evaluated = out.decision == "Approve" || out.decision == "Reject" ||
                     out.decision == "Abstain" || out.decision == "Failed";
    std::lock_guard<std::mutex> g(agents_mu);
    auto fresh = store.get_document(kAgentKind, name);
    if (fresh && evaluated && (kind == "Model" || kind == "Policy")) {
      json::Value a = json::parse(fresh->json).value;
      json::Value u = a.find("Usage") ? *a.find("Usage") : json::Value(json::Value::object());
      if (now - int_of(u, "HourStartMs") >= kHourMs) {
        u.set("HourStartMs", json::Value(now));
        u.set("DecisionsThisHour", json::Value(0));
      }
      if (now - int_of(u, "DayStartMs") >= kDayMs) {
        u.set("DayStartMs", json::Value(now));
        u.set("TokensToday", json::Value(0));
      }
      u.set("DecisionsThisHour", json::Value(int_of(u, "DecisionsThisHour") + 1));
      u.set("TokensToday", json::Value(int_of(u, "TokensToday") + out.verdict.tokens));
      a.set("Usage", u);
      store::DocumentWrite aw;
      aw.doc.kind = kAgentKind;
      aw.doc.key = name;
      aw.doc.json = json::dump(a);
      aw.doc.created_ms = fresh->created_ms;
      aw.doc.updated_ms = now;
      aw.expected_version = fresh->version;
      b.writes.push_back(std::move(aw));
    }
    store.apply_documents(b);
  } catch (const std::exception& e) {
    // A failing store: the job stays and runs again.
    std::fprintf(stderr, "signoff: agents: job %s: %s\n", job.id.c_str(), e.what());
  }
}

}  // namespace signoff::agents
