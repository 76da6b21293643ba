#include "logs/logs.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace signoff::logs {

namespace {

constexpr std::string_view kGroupKind = "logs.group";
constexpr std::string_view kStreamKind = "logs.stream";
constexpr std::string_view kChunkKind = "logs.events";

std::string pad(int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%010lld", static_cast<long long>(n));
  return buf;
}

int64_t num(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_number() ? static_cast<int64_t>(m->as_double()) : 0;
}

Error group_missing() {
  return make_error("ResourceNotFoundException", "The specified log group does not exist.");
}
Error stream_missing() {
  return make_error("ResourceNotFoundException", "The specified log stream does not exist.");
}

// Filter patterns: space-separated terms that must all appear; "quoted phrases" are one term.
// (JSON and space-delimited patterns are not supported; they match nothing special.)
std::vector<std::string> terms(const std::string& pattern) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == ' ') {
      ++i;
      continue;
    }
    if (pattern[i] == '"') {
      size_t end = pattern.find('"', i + 1);
      if (end == std::string::npos) {
        end = pattern.size();
      }
      out.push_back(pattern.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    size_t end = pattern.find(' ', i);
    if (end == std::string::npos) {
      end = pattern.size();
    }
    out.push_back(pattern.substr(i, end - i));
    i = end;
  }
  return out;
}

bool matches(const std::vector<std::string>& ts, const std::string& message) {
  for (const std::string& t : ts) {
    if (message.find(t) == std::string::npos) {
      return false;
    }
  }
  return true;
}

size_t parse_offset(const std::string& token, char kind) {
  if (token.size() < 3 || token[0] != kind || token[1] != '/') {
    return SIZE_MAX;
  }
  return static_cast<size_t>(std::strtoull(token.c_str() + 2, nullptr, 10));
}

}  // namespace

LogsService::LogsService(store::Store& store, const Clock& clock, LogsOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

LogsService::~LogsService() {
  stop();
}

void LogsService::start() {
  thread_ = std::thread([this] { flusher(); });
}

void LogsService::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  flush();
}

void LogsService::flusher() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(options_.flush_ms));
    lock.unlock();
    try {
      flush();
    } catch (const std::exception&) {
      // A failing store: the events stay buffered and the next flush retries.
    }
    lock.lock();
  }
}

std::string LogsService::group_key(const std::string& region, const std::string& group) const {
  return region + ":" + group;
}

bool LogsService::group_exists(const std::string& region, const std::string& group) {
  return store_.get_document(kGroupKind, group_key(region, group)).has_value();
}

LogsService::Stream* LogsService::load_stream_locked(const std::string& key) {
  auto it = streams_.find(key);
  if (it != streams_.end()) {
    return &it->second;
  }
  auto doc = store_.get_document(kStreamKind, key);
  if (!doc) {
    return nullptr;
  }
  auto p = json::parse(doc->json);
  Stream s;
  s.key = key;
  s.meta = p.ok() ? p.value : json::Value::object();
  s.chunks = num(s.meta, "chunks");
  return &streams_.emplace(key, std::move(s)).first->second;
}

void LogsService::flush() {
  std::lock_guard flushing(flush_mu_);
  store::DocumentBatch batch;
  std::vector<std::pair<std::string, int64_t>> written;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, s] : streams_) {
      if (s.pending.empty()) {
        continue;
      }
      std::vector<json::Value> rows;
      int64_t bytes = 0;
      for (const Event& e : s.pending) {
        rows.push_back(json::Value::array(
            {json::Value(e.timestamp), json::Value(e.ingestion), json::Value(e.message)}));
        bytes += static_cast<int64_t>(e.message.size());
        int64_t first = num(s.meta, "firstEventTimestamp");
        if (first == 0 || e.timestamp < first) {
          s.meta.set("firstEventTimestamp", json::Value(e.timestamp));
        }
        if (e.timestamp > num(s.meta, "lastEventTimestamp")) {
          s.meta.set("lastEventTimestamp", json::Value(e.timestamp));
        }
        s.meta.set("lastIngestionTime", json::Value(e.ingestion));
      }
      s.pending.clear();
      store::DocumentWrite cw;
      cw.doc.kind = std::string(kChunkKind);
      cw.doc.key = key + ":" + pad(s.chunks);
      cw.doc.json = json::dump(json::Value::array(std::move(rows)));
      cw.doc.created_ms = clock_.now_ms();
      cw.doc.updated_ms = cw.doc.created_ms;
      batch.writes.push_back(std::move(cw));
      s.chunks += 1;
      s.meta.set("chunks", json::Value(s.chunks));
      s.meta.set("storedBytes", json::Value(num(s.meta, "storedBytes") + bytes));
      store::DocumentWrite sw;
      sw.doc.kind = std::string(kStreamKind);
      sw.doc.key = key;
      sw.doc.json = json::dump(s.meta);
      sw.doc.created_ms = num(s.meta, "creationTime");
      sw.doc.updated_ms = clock_.now_ms();
      batch.writes.push_back(std::move(sw));
    }
  }
  if (!batch.writes.empty()) {
    store_.apply_documents(batch);
  }
}

Result<Unit> LogsService::create_log_group(const std::string& region, const std::string& name) {
  if (name.empty() || name.size() > 512) {
    return make_error("InvalidParameterException",
                      "1 validation error detected: Value '" + name +
                          "' at 'logGroupName' failed to satisfy constraint: Member must have "
                          "length greater than or equal to 1");
  }
  int64_t now = clock_.now_ms();
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc.kind = std::string(kGroupKind);
  w.doc.key = group_key(region, name);
  w.doc.json = json::dump(json::Value::object(
      {{"logGroupName", json::Value(name)}, {"creationTime", json::Value(now)}}));
  w.doc.created_ms = now;
  w.doc.updated_ms = now;
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  if (store_.apply_documents(batch) == store::WriteStatus::AlreadyExists) {
    return make_error("ResourceAlreadyExistsException", "The specified log group already exists");
  }
  return Unit{};
}

Result<Unit> LogsService::delete_log_group(const std::string& region, const std::string& name) {
  flush();
  std::string gk = group_key(region, name);
  if (!store_.get_document(kGroupKind, gk)) {
    return group_missing();
  }
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = std::string(kGroupKind);
  w.doc.key = gk;
  batch.writes.push_back(w);
  for (std::string_view kind : {kStreamKind, kChunkKind}) {
    std::string after;
    for (;;) {
      auto page = store_.list_documents(kind, gk + ":", after, 1000);
      for (const auto& d : page.items) {
        store::DocumentWrite dw;
        dw.op = store::DocumentWrite::Op::Delete;
        dw.doc.kind = d.kind;
        dw.doc.key = d.key;
        batch.writes.push_back(std::move(dw));
      }
      if (page.next_key.empty()) {
        break;
      }
      after = page.next_key;
    }
  }
  {
    std::lock_guard lock(mu_);
    for (auto it = streams_.begin(); it != streams_.end();) {
      it = it->first.rfind(gk + ":", 0) == 0 ? streams_.erase(it) : std::next(it);
    }
  }
  store_.apply_documents(batch);
  return Unit{};
}

Result<Unit> LogsService::set_retention(const std::string& region, const std::string& name,
                                        std::optional<int> days) {
  static constexpr int kAllowed[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                     365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
  if (days && std::find(std::begin(kAllowed), std::end(kAllowed), *days) == std::end(kAllowed)) {
    return make_error("InvalidParameterException",
                      "1 validation error detected: Value '" + std::to_string(*days) +
                          "' at 'retentionInDays' failed to satisfy constraint: Member must "
                          "satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, "
                          "365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]");
  }
  auto d = store_.get_document(kGroupKind, group_key(region, name));
  if (!d) {
    return group_missing();
  }
  auto p = json::parse(d->json);
  json::Value g = p.ok() ? p.value : json::Value::object();
  if (days) {
    g.set("retentionInDays", json::Value(*days));
  } else {
    g.erase("retentionInDays");
  }
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = *d;
  w.doc.json = json::dump(g);
  w.doc.updated_ms = clock_.now_ms();
  w.expected_version = d->version;
  batch.writes.push_back(std::move(w));
  if (store_.apply_documents(batch) != store::WriteStatus::Ok) {
    return make_error("OperationAbortedException",
                      "Multiple concurrent requests to update the same resource were in conflict.");
  }
  return Unit{};
}

Result<json::Value> LogsService::describe_log_groups(const ListRequest& r) {
  auto page = store_.list_documents(kGroupKind, r.region + ":" + r.prefix, r.next_token,
                                    r.limit == 0 ? 50 : r.limit);
  std::vector<json::Value> groups;
  for (const auto& d : page.items) {
    auto p = json::parse(d.json);
    if (!p.ok()) {
      continue;
    }
    json::Value g = p.value;
    const json::Value* n = g.find("logGroupName");
    std::string name = n != nullptr && n->is_string() ? std::string(n->as_string()) : "";
    std::string arn = "arn:aws:logs:" + r.region + ":" + options_.account + ":log-group:" + name;
    g.set("metricFilterCount", json::Value(0));
    g.set("arn", json::Value(arn + ":*"));
    g.set("storedBytes", json::Value(0));
    g.set("logGroupClass", json::Value("STANDARD"));
    g.set("logGroupArn", json::Value(arn));
    groups.push_back(std::move(g));
  }
  json::Value out = json::Value::object({{"logGroups", json::Value::array(std::move(groups))}});
  if (!page.next_key.empty()) {
    out.set("nextToken", json::Value(page.next_key));
  }
  return out;
}

Result<Unit> LogsService::create_log_stream(const std::string& region, const std::string& group,
                                            const std::string& stream) {
  if (stream.empty() || stream.find(':') != std::string::npos ||
      stream.find('*') != std::string::npos) {
    return make_error("InvalidParameterException",
                      "1 validation error detected: Value '" + stream +
                          "' at 'logStreamName' failed to satisfy constraint: Member must "
                          "satisfy regular expression pattern: [^:*]*");
  }
  if (!group_exists(region, group)) {
    return group_missing();
  }
  int64_t now = clock_.now_ms();
  std::string key = group_key(region, group) + ":" + stream;
  json::Value meta = json::Value::object({{"logStreamName", json::Value(stream)},
                                          {"creationTime", json::Value(now)},
                                          {"chunks", json::Value(0)}});
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc.kind = std::string(kStreamKind);
  w.doc.key = key;
  w.doc.json = json::dump(meta);
  w.doc.created_ms = now;
  w.doc.updated_ms = now;
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  std::lock_guard flushing(flush_mu_);
  if (store_.apply_documents(batch) == store::WriteStatus::AlreadyExists) {
    return make_error("ResourceAlreadyExistsException", "The specified log stream already exists");
  }
  return Unit{};
}

void LogsService::ensure_stream(const std::string& region, const std::string& group,
                                const std::string& stream) {
  if (!group_exists(region, group)) {
    create_log_group(region, group);
  }
  create_log_stream(region, group, stream);
}

void LogsService::append(const std::string& region, const std::string& group,
                         const std::string& stream, std::vector<InputEvent> events) {
  std::lock_guard lock(mu_);
  Stream* s = load_stream_locked(group_key(region, group) + ":" + stream);
  if (s == nullptr) {
    return;
  }
  int64_t now = clock_.now_ms();
  for (InputEvent& e : events) {
    s->pending.push_back(Event{e.timestamp, now, std::move(e.message)});
  }
}

Result<json::Value> LogsService::put_log_events(const std::string& region, const std::string& group,
                                                const std::string& stream,
                                                std::vector<InputEvent> events) {
  if (!group_exists(region, group)) {
    return group_missing();
  }
  {
    std::lock_guard lock(mu_);
    Stream* s = load_stream_locked(group_key(region, group) + ":" + stream);
    if (s == nullptr) {
      return stream_missing();
    }
    int64_t now = clock_.now_ms();
    for (InputEvent& e : events) {
      s->pending.push_back(Event{e.timestamp, now, std::move(e.message)});
    }
  }
  // PutLogEvents is durable when it answers.
  flush();
  return json::Value::object({{"nextSequenceToken", json::Value(pad(clock_.now_ms()))}});
}

std::vector<LogsService::Event> LogsService::read_events(const std::string& stream_key) {
  std::vector<Event> out;
  std::string after;
  for (;;) {
    auto page = store_.list_documents(kChunkKind, stream_key + ":", after, 500);
    for (const auto& d : page.items) {
      auto p = json::parse(d.json);
      if (!p.ok() || !p.value.is_array()) {
        continue;
      }
      for (const json::Value& row : p.value.as_array()) {
        if (row.size() == 3 && row.at(2)->is_string()) {
          out.push_back(
              Event{row.at(0)->as_int(), row.at(1)->as_int(), std::string(row.at(2)->as_string())});
        }
      }
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Event& a, const Event& b) { return a.timestamp < b.timestamp; });
  return out;
}

Result<json::Value> LogsService::describe_log_streams(const ListRequest& r) {
  flush();
  if (!group_exists(r.region, r.group)) {
    return group_missing();
  }
  std::string gk = group_key(r.region, r.group);
  std::vector<json::Value> streams;
  std::string after;
  for (;;) {
    auto page = store_.list_documents(kStreamKind, gk + ":" + r.prefix, after, 1000);
    for (const auto& d : page.items) {
      auto p = json::parse(d.json);
      if (!p.ok()) {
        continue;
      }
      json::Value s = p.value;
      s.erase("chunks");
      const json::Value* n = s.find("logStreamName");
      std::string name = n != nullptr && n->is_string() ? std::string(n->as_string()) : "";
      s.set("arn", json::Value("arn:aws:logs:" + r.region + ":" + options_.account +
                               ":log-group:" + r.group + ":log-stream:" + name));
      if (s.find("storedBytes") == nullptr) {
        s.set("storedBytes", json::Value(0));
      }
      streams.push_back(std::move(s));
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  if (r.order_by_last_event) {
    std::stable_sort(streams.begin(), streams.end(),
                     [](const json::Value& a, const json::Value& b) {
                       return num(a, "lastEventTimestamp") < num(b, "lastEventTimestamp");
                     });
  }
  if (r.descending) {
    std::reverse(streams.begin(), streams.end());
  }
  size_t start = r.next_token.empty() ? 0 : std::strtoull(r.next_token.c_str(), nullptr, 10);
  size_t limit = r.limit == 0 ? 50 : r.limit;
  std::vector<json::Value> page;
  for (size_t i = start; i < streams.size() && page.size() < limit; ++i) {
    page.push_back(streams[i]);
  }
  json::Value out = json::Value::object({{"logStreams", json::Value::array(std::move(page))}});
  if (start + limit < streams.size()) {
    out.set("nextToken", json::Value(std::to_string(start + limit)));
  }
  return out;
}

Result<json::Value> LogsService::get_log_events(const GetEventsRequest& r) {
  flush();
  if (!group_exists(r.region, r.group)) {
    return group_missing();
  }
  std::string key = group_key(r.region, r.group) + ":" + r.stream;
  if (!store_.get_document(kStreamKind, key)) {
    return stream_missing();
  }
  std::vector<Event> all = read_events(key);
  std::vector<Event> events;
  for (Event& e : all) {
    if ((r.start_time && e.timestamp < *r.start_time) ||
        (r.end_time && e.timestamp >= *r.end_time)) {
      continue;
    }
    events.push_back(std::move(e));
  }
  size_t n = events.size();
  size_t limit = r.limit == 0 ? 10000 : r.limit;
  size_t from = 0;
  size_t to = 0;
  if (size_t f = parse_offset(r.next_token, 'f'); f != SIZE_MAX) {
    from = std::min(f, n);
    to = std::min(n, from + limit);
  } else if (size_t b = parse_offset(r.next_token, 'b'); b != SIZE_MAX) {
    to = std::min(b, n);
    from = to > limit ? to - limit : 0;
  } else if (!r.next_token.empty()) {
    return make_error("InvalidParameterException", "The specified nextToken is invalid.");
  } else if (r.start_from_head) {
    to = std::min(n, limit);
  } else {
    to = n;
    from = n > limit ? n - limit : 0;
  }
  std::vector<json::Value> out;
  for (size_t i = from; i < to; ++i) {
    out.push_back(json::Value::object({{"timestamp", json::Value(events[i].timestamp)},
                                       {"message", json::Value(events[i].message)},
                                       {"ingestionTime", json::Value(events[i].ingestion)}}));
  }
  return json::Value::object({{"events", json::Value::array(std::move(out))},
                              {"nextForwardToken", json::Value("f/" + pad(to))},
                              {"nextBackwardToken", json::Value("b/" + pad(from))}});
}

Result<json::Value> LogsService::filter_log_events(const FilterRequest& r) {
  flush();
  if (!group_exists(r.region, r.group)) {
    return group_missing();
  }
  std::string gk = group_key(r.region, r.group);
  struct Hit {
    const std::string* stream;
    Event event;
    size_t order;
  };
  std::vector<std::string> names;
  std::string after;
  for (;;) {
    auto page = store_.list_documents(kStreamKind, gk + ":" + r.stream_prefix, after, 1000);
    for (const auto& d : page.items) {
      std::string name = d.key.substr(gk.size() + 1);
      if (r.stream_names.empty() ||
          std::find(r.stream_names.begin(), r.stream_names.end(), name) != r.stream_names.end()) {
        names.push_back(name);
      }
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  std::vector<std::string> ts = terms(r.filter_pattern);
  std::vector<Hit> hits;
  for (const std::string& name : names) {
    for (Event& e : read_events(gk + ":" + name)) {
      if ((r.start_time && e.timestamp < *r.start_time) ||
          (r.end_time && e.timestamp > *r.end_time) || !matches(ts, e.message)) {
        continue;
      }
      hits.push_back(Hit{&name, std::move(e), hits.size()});
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.event.timestamp < b.event.timestamp;
  });
  size_t start = parse_offset(r.next_token, 'o');
  if (start == SIZE_MAX) {
    start = 0;
  }
  size_t limit = r.limit == 0 ? 10000 : r.limit;
  std::vector<json::Value> out;
  size_t i = start;
  for (; i < hits.size() && out.size() < limit; ++i) {
    const Hit& h = hits[i];
    out.push_back(json::Value::object(
        {{"logStreamName", json::Value(*h.stream)},
         {"timestamp", json::Value(h.event.timestamp)},
         {"message", json::Value(h.event.message)},
         {"ingestionTime", json::Value(h.event.ingestion)},
         {"eventId", json::Value(pad(h.event.timestamp) + pad(static_cast<int64_t>(i)))}}));
  }
  std::vector<json::Value> searched;
  for (const std::string& name : names) {
    searched.push_back(json::Value::object(
        {{"logStreamName", json::Value(name)}, {"searchedCompletely", json::Value(true)}}));
  }
  json::Value result =
      json::Value::object({{"events", json::Value::array(std::move(out))},
                           {"searchedLogStreams", json::Value::array(std::move(searched))}});
  if (i < hits.size()) {
    result.set("nextToken", json::Value("o/" + std::to_string(i)));
  }
  return result;
}

}  // namespace signoff::logs
