// PutEvents: each accepted event is matched once against its bus's compiled rules, and every
// (matching rule, target) becomes a delivery job committed before the call returns, so an
// accepted event survives a crash (at least once). TestEventPattern lives here too.
#include "bus/input_transform.h"
#include "bus/service_impl.h"

namespace signoff::bus {

namespace {

constexpr size_t kMaxEntries = 10;
constexpr size_t kMaxTotalBytes = 256 * 1024;

// EventBridge's entry size: the UTF-8 bytes of Source, DetailType, Detail and Resources, plus 14
// for a Time.
size_t entry_size(const PutEventsEntry& e) {
  size_t n = e.source.size() + e.detail_type.size() + e.detail.size();
  for (const std::string& r : e.resources) {
    n += r.size();
  }
  return n + (e.time_ms ? 14 : 0);
}

PutEventsResultEntry entry_error(std::string code, std::string message) {
  PutEventsResultEntry r;
  r.error_code = std::move(code);
  r.error_message = std::move(message);
  return r;
}

std::optional<PutEventsResultEntry> check_entry(const PutEventsEntry& e) {
  if (!e.has_source || e.source.empty()) {
    return entry_error("InvalidArgument",
                       "Parameter Source is not valid. Reason: Source is a required argument.");
  }
  if (!e.has_detail_type || e.detail_type.empty()) {
    return entry_error(
        "InvalidArgument",
        "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
  }
  if (!e.has_detail || e.detail.empty()) {
    return entry_error("InvalidArgument",
                       "Parameter Detail is not valid. Reason: Detail is a required argument.");
  }
  auto detail = json::parse(e.detail);
  if (!detail.ok() || !detail.value.is_object()) {
    return entry_error("MalformedDetail", "Detail is malformed.");
  }
  return std::nullopt;
}

TargetInput target_input(const json::Value& t) {
  TargetInput in;
  if (const json::Value* v = t.find("Input"); v && v->is_string()) {
    in.input = std::string(v->as_string());
  } else if (const json::Value* p = t.find("InputPath"); p && p->is_string()) {
    in.input_path = std::string(p->as_string());
  } else if (const json::Value* tr = t.find("InputTransformer"); tr && tr->is_object()) {
    InputTransformer x;
    x.input_template = sget(*tr, "InputTemplate");
    if (const json::Value* paths = tr->find("InputPathsMap"); paths && paths->is_object()) {
      for (const json::Member& m : paths->as_object()) {
        if (m.value.is_string()) {
          x.paths.emplace_back(m.key, std::string(m.value.as_string()));
        }
      }
    }
    in.transformer = std::move(x);
  }
  return in;
}

}  // namespace

std::string EventsService::Impl::envelope(const PutEventsEntry& e, const std::string& id,
                                          int64_t time_ms) {
  std::vector<json::Value> resources;
  for (const std::string& r : e.resources) {
    resources.emplace_back(r);
  }
  // Detail was checked to be an object; it is embedded as parsed so the envelope is one document.
  json::Value detail = json::parse(e.detail).value;
  json::Value env = json::Value::object({{"version", json::Value("0")},
                                         {"id", json::Value(id)},
                                         {"detail-type", json::Value(e.detail_type)},
                                         {"source", json::Value(e.source)},
                                         {"account", json::Value(opts.account)},
                                         {"time", json::Value(iso_time(time_ms))},
                                         {"region", json::Value(opts.region)},
                                         {"resources", json::Value::array(std::move(resources))},
                                         {"detail", detail}});
  return json::dump(env);
}

void EventsService::Impl::deliveries_for_rule(const std::string& bus, const json::Value& rule,
                                              const std::string& event_text,
                                              const json::Value& event, int64_t event_time_ms,
                                              std::vector<store::JobRecord>& jobs) {
  const json::Value* targets = rule.find("Targets");
  if (targets == nullptr || !targets->is_array()) {
    return;
  }
  TransformContext ctx;
  ctx.rule_arn = sget(rule, "Arn");
  ctx.rule_name = sget(rule, "Name");
  ctx.ingestion_time = iso_time(clock.now_ms());
  for (const json::Value& t : targets->as_array()) {
    store::JobRecord job;
    job.id = uuid();
    job.kind = kDeliveryJob;
    job.owner = ctx.rule_arn;
    job.due_ms = 0;
    std::string input = render_input(target_input(t), event, event_text, ctx);
    job.payload = json::dump(json::Value::object({{"bus", json::Value(bus)},
                                                  {"rule_arn", json::Value(ctx.rule_arn)},
                                                  {"rule_name", json::Value(ctx.rule_name)},
                                                  {"target", t},
                                                  {"input", json::Value(input)},
                                                  {"event", json::Value(event_text)},
                                                  {"event_time_ms", json::Value(event_time_ms)}}));
    jobs.push_back(std::move(job));
  }
}

void EventsService::Impl::route(const std::string& bus, const std::string& event_text,
                                std::vector<store::JobRecord>& jobs) {
  thread_local patterns::MatchScratch scratch;
  std::vector<patterns::RuleId> ids;
  std::vector<json::Value> rules;
  {
    std::shared_lock lock(state_mu);
    BusState* b = find_bus(bus);
    if (b == nullptr) {
      return;
    }
    if (b->matcher.match(event_text, scratch, ids) != patterns::MatchStatus::Ok) {
      return;
    }
    for (patterns::RuleId id : ids) {
      auto name = b->rule_of_id.find(id);
      if (name == b->rule_of_id.end()) {
        continue;
      }
      auto rule = b->rules.find(name->second);
      if (rule != b->rules.end()) {
        rules.push_back(rule->second.doc);
      }
    }
  }
  if (rules.empty()) {
    return;
  }
  auto event = json::parse(event_text);
  int64_t time_ms = clock.now_ms();
  for (const json::Value& rule : rules) {
    deliveries_for_rule(bus, rule, event_text, event.value, time_ms, jobs);
  }
}

Result<PutEventsResult> EventsService::put_events(const std::vector<PutEventsEntry>& entries) {
  Impl& m = *impl_;
  if (entries.empty() || entries.size() > kMaxEntries) {
    return make_error("ValidationException",
                      "1 validation error detected: Value at 'entries' failed to satisfy "
                      "constraint: Member must have length less than or equal to 10");
  }
  size_t total = 0;
  for (const PutEventsEntry& e : entries) {
    total += entry_size(e);
  }
  if (total > kMaxTotalBytes) {
    return make_error("ValidationException",
                      "Total size of the entries in the request is over the limit.");
  }
  PutEventsResult out;
  std::vector<store::JobRecord> jobs;
  int64_t now = m.clock.now_ms();
  for (const PutEventsEntry& e : entries) {
    if (auto bad = check_entry(e)) {
      out.entries.push_back(std::move(*bad));
      ++out.failed;
      continue;
    }
    std::string bus = bus_name_of(e.bus);
    {
      std::shared_lock lock(m.state_mu);
      if (m.find_bus(bus) == nullptr) {
        out.entries.push_back(
            entry_error("ResourceNotFoundException", "Event bus " + bus + " does not exist."));
        ++out.failed;
        continue;
      }
    }
    PutEventsResultEntry ok;
    ok.event_id = m.uuid();
    m.route(bus, m.envelope(e, ok.event_id, e.time_ms.value_or(now)), jobs);
    out.entries.push_back(std::move(ok));
  }
  if (!jobs.empty()) {
    store::DocumentBatch batch;
    batch.jobs_to_put = std::move(jobs);
    if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
      return make_error("InternalException", "The deliveries could not be recorded.", 500);
    }
    m.notify();
  }
  return out;
}

Result<bool> EventsService::test_event_pattern(const std::string& pattern,
                                               const std::string& event) {
  auto r = patterns::test_event_pattern(event, pattern);
  switch (r.kind) {
    case patterns::TestResult::Kind::Match:
      return true;
    case patterns::TestResult::Kind::NoMatch:
      return false;
    default:
      return make_error(r.error_code, r.message);
  }
}

}  // namespace signoff::bus
