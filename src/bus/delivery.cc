// The delivery runner: a dispatcher thread that finds due delivery jobs (new ones wake it at
// once; retries and schedules come due by polling) and hands them to worker threads, which carry
// each one out through a port. Success deletes the job; a retryable failure puts it back with a
// later due time under the target's RetryPolicy; anything else goes to the dead-letter queue.
// A job is deleted only after its target took it, so a crash means a repeat, never a loss.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "bus/retry.h"
#include "bus/schedule.h"
#include "bus/service_impl.h"

namespace signoff::bus {

namespace {

constexpr size_t kDueBatch = 256;

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

std::optional<Delivery> decode(const store::JobRecord& job) {
  auto p = json::parse(job.payload);
  if (!p.ok() || !p.value.is_object()) {
    return std::nullopt;
  }
  Delivery d;
  d.bus = sget(p.value, "bus");
  d.rule_arn = sget(p.value, "rule_arn");
  d.rule_name = sget(p.value, "rule_name");
  if (const json::Value* t = p.value.find("target")) {
    d.target = *t;
  }
  d.input = sget(p.value, "input");
  d.event = sget(p.value, "event");
  if (const json::Value* t = p.value.find("event_time_ms"); t && t->is_int()) {
    d.event_time_ms = t->as_int();
  }
  return d;
}

RetryPolicy policy_of(const json::Value& target) {
  RetryPolicy p;
  if (const json::Value* r = target.find("RetryPolicy"); r && r->is_object()) {
    if (const json::Value* n = r->find("MaximumRetryAttempts"); n && n->is_int()) {
      p.maximum_retry_attempts = n->as_int();
    }
    if (const json::Value* n = r->find("MaximumEventAgeInSeconds"); n && n->is_int()) {
      p.maximum_event_age_seconds = n->as_int();
    }
  }
  return p;
}

// The name segment after `marker` in an ARN ("api-destination/NAME/uuid" → NAME).
std::string name_after(const std::string& arn, std::string_view marker) {
  size_t at = arn.find(marker);
  if (at == std::string::npos) {
    return "";
  }
  std::string rest = arn.substr(at + marker.size());
  return rest.substr(0, rest.find('/'));
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

void EventsService::Impl::start_runner() {
  std::lock_guard lock(run_mu);
  if (started) {
    return;
  }
  started = true;
  stopping = false;
  for (unsigned i = 0; i < std::max(1u, opts.delivery_threads); ++i) {
    workers.emplace_back([this] { worker_loop(); });
  }
  dispatcher = std::thread([this] { dispatch_loop(); });
}

void EventsService::Impl::stop_runner() {
  {
    std::lock_guard lock(run_mu);
    if (!started) {
      return;
    }
    stopping = true;
    started = false;
  }
  run_cv.notify_all();
  queue_cv.notify_all();
  if (dispatcher.joinable()) {
    dispatcher.join();
  }
  for (std::thread& t : workers) {
    t.join();
  }
  workers.clear();
  queue.clear();
  in_flight.clear();
}

void EventsService::Impl::notify() {
  {
    std::lock_guard lock(run_mu);
    wake = true;
  }
  run_cv.notify_one();
}

void EventsService::Impl::dispatch_loop() {
  for (;;) {
    {
      std::lock_guard lock(run_mu);
      if (stopping) {
        return;
      }
    }
    try {
      int64_t now = clock.now_ms();
      std::vector<store::JobRecord> due = store.due_jobs(kDeliveryJob, now, kDueBatch);
      {
        std::lock_guard lock(run_mu);
        for (store::JobRecord& job : due) {
          if (in_flight.insert(job.id).second) {
            queue.push_back(std::move(job));
          }
        }
      }
      queue_cv.notify_all();
      for (const store::JobRecord& job : store.due_jobs(kScheduleJob, now, kDueBatch)) {
        fire_schedule(job);
      }
    } catch (const std::exception& e) {
      // A failing store (disk full, I/O error): report it and try again at the next poll.
      std::fprintf(stderr, "signoff: events: delivery runner: %s\n", e.what());
    }
    std::unique_lock lock(run_mu);
    run_cv.wait_for(lock, std::chrono::milliseconds(opts.poll_interval_ms),
                    [this] { return stopping || wake; });
    wake = false;
  }
}

void EventsService::Impl::worker_loop() {
  for (;;) {
    store::JobRecord job;
    {
      std::unique_lock lock(run_mu);
      queue_cv.wait(lock, [this] { return stopping || !queue.empty(); });
      if (stopping) {
        return;
      }
      job = std::move(queue.front());
      queue.pop_front();
    }
    try {
      run_delivery(job);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "signoff: events: delivery %s: %s\n", job.id.c_str(), e.what());
    }
    {
      std::lock_guard lock(run_mu);
      in_flight.erase(job.id);
    }
  }
}

void EventsService::Impl::run_delivery(const store::JobRecord& job) {
  auto d = decode(job);
  if (!d) {
    store.delete_job(job.id);  // not ours to understand: keeping it would retry it forever
    return;
  }
  DeliveryOutcome out = deliver(job, *d);
  if (out.ok) {
    store.delete_job(job.id);
    return;
  }
  if (out.retryable) {
    int64_t attempts = job.attempts + 1;
    auto next =
        next_attempt_ms(policy_of(d->target), attempts, d->event_time_ms, clock.now_ms(), jitter());
    if (next) {
      store::JobRecord again = job;
      again.attempts = attempts;
      again.due_ms = *next;
      store.put_job(again);
      return;
    }
  }
  dead_letter(job, *d, out.error);
}

DeliveryOutcome EventsService::Impl::deliver(const store::JobRecord& job, const Delivery& d) {
  std::string arn = sget(d.target, "Arn");
  if (contains(arn, ":states:") && contains(arn, ":stateMachine:")) {
    if (!ports.state_machines) {
      return DeliveryOutcome::permanent("Step Functions is not available");
    }
    return ports.state_machines->start_execution(arn, job.id, d.input, sget(d.target, "RoleArn"));
  }
  if (contains(arn, ":lambda:")) {
    if (!ports.functions) {
      return DeliveryOutcome::permanent("Lambda is not available");
    }
    return ports.functions->invoke_async(arn, d.input, d.rule_arn);
  }
  if (contains(arn, ":sns:")) {
    if (!ports.topics) {
      return DeliveryOutcome::permanent("SNS is not available");
    }
    return ports.topics->publish(arn, d.input, d.rule_arn);
  }
  if (contains(arn, ":events:") && contains(arn, ":event-bus/")) {
    return deliver_to_bus(job, d, bus_name_of(arn));
  }
  if (contains(arn, ":events:") && contains(arn, ":api-destination/")) {
    return deliver_http(d);
  }
  return DeliveryOutcome::permanent("Signoff does not deliver to targets like " + arn);
}

DeliveryOutcome EventsService::Impl::deliver_to_bus(const store::JobRecord& job, const Delivery& d,
                                                    const std::string& bus) {
  {
    std::shared_lock lock(state_mu);
    if (find_bus(bus) == nullptr) {
      return DeliveryOutcome::permanent("Event bus " + bus + " does not exist.");
    }
  }
  // The event's deliveries on the next bus replace this job in one commit: handed over once.
  store::DocumentBatch batch;
  route(bus, d.event, batch.jobs_to_put);
  batch.jobs_to_delete.push_back(job.id);
  store.apply_documents(batch);
  if (!batch.jobs_to_put.empty()) {
    notify();
  }
  return DeliveryOutcome::success();
}

DeliveryOutcome EventsService::Impl::deliver_http(const Delivery& d) {
  if (!ports.http) {
    return DeliveryOutcome::permanent("HTTP delivery is not available");
  }
  std::string arn = sget(d.target, "Arn");
  auto dest_doc = store.get_document(kDestinationKind, name_after(arn, "api-destination/"));
  if (!dest_doc) {
    return DeliveryOutcome::permanent("API destination " + arn + " does not exist.");
  }
  json::Value dest = json::parse(dest_doc->json).value;
  std::string connection_arn = sget(dest, "ConnectionArn");
  auto conn_doc = store.get_document(kConnectionKind, name_after(connection_arn, "connection/"));
  if (!conn_doc) {
    return DeliveryOutcome::permanent("Connection " + connection_arn + " does not exist.");
  }
  json::Value conn = json::parse(conn_doc->json).value;

  HttpCall call;
  call.method = sget(dest, "HttpMethod");
  call.body = d.input;
  call.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  call.headers.emplace_back("User-Agent", "Amazon/EventBridge/ApiDestinations");
  const json::Value* auth = conn.find("AuthParameters");
  std::string type = sget(conn, "AuthorizationType");
  if (auth != nullptr && type == "API_KEY") {
    if (const json::Value* k = auth->find("ApiKeyAuthParameters")) {
      call.headers.emplace_back(sget(*k, "ApiKeyName"), sget(*k, "ApiKeyValue"));
    }
  } else if (auth != nullptr && type == "BASIC") {
    if (const json::Value* b = auth->find("BasicAuthParameters")) {
      call.headers.emplace_back(
          "Authorization", "Basic " + base64(sget(*b, "Username") + ":" + sget(*b, "Password")));
    }
  }
  // The endpoint's '*' wildcards take the target's PathParameterValues in order.
  std::string url = sget(dest, "InvocationEndpoint");
  const json::Value* hp = d.target.find("HttpParameters");
  if (hp != nullptr) {
    if (const json::Value* values = hp->find("PathParameterValues"); values && values->is_array()) {
      for (const json::Value& v : values->as_array()) {
        size_t star = url.find('*');
        if (star == std::string::npos || !v.is_string()) {
          break;
        }
        url.replace(star, 1, std::string(v.as_string()));
      }
    }
    if (const json::Value* h = hp->find("HeaderParameters"); h && h->is_object()) {
      for (const json::Member& m : h->as_object()) {
        if (m.value.is_string()) {
          call.headers.emplace_back(m.key, std::string(m.value.as_string()));
        }
      }
    }
    if (const json::Value* q = hp->find("QueryStringParameters"); q && q->is_object()) {
      char sep = url.find('?') == std::string::npos ? '?' : '&';
      for (const json::Member& m : q->as_object()) {
        if (m.value.is_string()) {
          url += sep;
          url += url_encode(m.key) + "=" + url_encode(m.value.as_string());
          sep = '&';
        }
      }
    }
  }
  call.url = url;
  HttpAnswer a = ports.http->send(call);
  if (a.status >= 200 && a.status < 300) {
    return DeliveryOutcome::success();
  }
  std::string why = a.status == 0 ? "HTTP delivery failed: " + a.error
                                  : "HTTP endpoint answered " + std::to_string(a.status);
  // As EventBridge: these answers are worth retrying; other client errors are final.
  bool retry = a.status == 0 || a.status == 401 || a.status == 407 || a.status == 409 ||
               a.status == 429 || a.status >= 500;
  return retry ? DeliveryOutcome::retry(why) : DeliveryOutcome::permanent(why);
}

void EventsService::Impl::dead_letter(const store::JobRecord& job, const Delivery& d,
                                      const std::string& reason) {
  std::string dlq;
  if (const json::Value* c = d.target.find("DeadLetterConfig"); c && c->is_object()) {
    dlq = sget(*c, "Arn");
  }
  std::string target_arn = sget(d.target, "Arn");
  if (contains(dlq, ":sns:") && ports.topics) {
    if (ports.topics->publish(dlq, d.event, d.rule_arn).ok) {
      store.delete_job(job.id);
      return;
    }
  }
  // SQS is not implemented (and SNS may not be): the dead letter is kept as a document, with
  // what SQS would carry as message attributes.
  std::fprintf(stderr, "signoff: events: dead letter for %s (rule %s): %s\n", target_arn.c_str(),
               d.rule_arn.c_str(), reason.c_str());
  int64_t now = clock.now_ms();
  json::Value doc = json::Value::object({{"EventId", json::Value(job.id)},
                                         {"Event", json::Value(d.event)},
                                         {"Input", json::Value(d.input)},
                                         {"RULE_ARN", json::Value(d.rule_arn)},
                                         {"TARGET_ARN", json::Value(target_arn)},
                                         {"DeadLetterArn", json::Value(dlq)},
                                         {"ERROR_MESSAGE", json::Value(reason)},
                                         {"RETRY_ATTEMPTS", json::Value(job.attempts)},
                                         {"Time", json::Value(iso_time(now))}});
  store::DocumentBatch batch;
  batch.writes.push_back(
      {store::DocumentWrite::Op::Put,
       store::DocumentRecord{kDeadLetterKind, job.id, json::dump(doc), dlq, 0, now, now},
       store::kAnyVersion});
  batch.jobs_to_delete.push_back(job.id);
  store.apply_documents(batch);
}

void EventsService::Impl::fire_schedule(const store::JobRecord& job) {
  std::lock_guard w(write_mu);
  auto p = json::parse(job.payload);
  std::string bus = p.ok() ? sget(p.value, "bus") : "";
  std::string rule_name = p.ok() ? sget(p.value, "rule") : "";
  int64_t anchor = 0;
  if (const json::Value* a = p.ok() ? p.value.find("anchor_ms") : nullptr; a && a->is_int()) {
    anchor = a->as_int();
  }
  json::Value rule;
  {
    std::shared_lock lock(state_mu);
    if (BusState* b = find_bus(bus)) {
      if (auto it = b->rules.find(rule_name); it != b->rules.end()) {
        rule = it->second.doc;
      }
    }
  }
  auto schedule = parse_schedule(sget(rule, "ScheduleExpression"));
  if (!rule.is_object() || sget(rule, "State") != "ENABLED" || !schedule) {
    store.delete_job(job.id);
    return;
  }
  std::string id = uuid();
  std::string rule_arn = sget(rule, "Arn");
  json::Value event =
      json::Value::object({{"version", json::Value("0")},
                           {"id", json::Value(id)},
                           {"detail-type", json::Value("Scheduled Event")},
                           {"source", json::Value("aws.events")},
                           {"account", json::Value(opts.account)},
                           {"time", json::Value(iso_time(job.due_ms))},
                           {"region", json::Value(opts.region)},
                           {"resources", json::Value::array({json::Value(rule_arn)})},
                           {"detail", json::Value::object()}});
  store::DocumentBatch batch;
  int64_t now = clock.now_ms();
  deliveries_for_rule(bus, rule, json::dump(event), event, now, batch.jobs_to_put);
  // After downtime the missed period fires once (now), then the schedule resumes: the next firing
  // is the first one after now, not after the one that was missed.
  auto next = next_fire(*schedule, std::max(now, job.due_ms), anchor);
  if (next) {
    store::JobRecord again = job;
    again.due_ms = *next;
    batch.jobs_to_put.push_back(again);
  } else {
    batch.jobs_to_delete.push_back(job.id);
  }
  store.apply_documents(batch);
  notify();
}

// ---------------------------------------------------------------------------------------------

EventsService::EventsService(store::Store& store, const Clock& clock, BusPorts ports,
                             BusOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(ports), std::move(options))) {}

EventsService::~EventsService() {
  stop();
}

void EventsService::start() {
  impl_->load();
  impl_->start_runner();
}

void EventsService::stop() {
  impl_->stop_runner();
}

size_t EventsService::pending_deliveries() {
  return impl_->store.jobs_by_kind(kDeliveryJob).size();
}

}  // namespace signoff::bus
