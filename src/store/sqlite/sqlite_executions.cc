#include <limits>

#include "store/page_key.h"
#include "store/sqlite/sqlite_store.h"

namespace signoff::store::sqlite {

namespace {

// Columns in ExecutionRecord order.
#define SIGNOFF_EXECUTION_COLUMNS                                                    \
  "arn, state_machine_arn, revision_id, name, status, input, output, error, cause, " \
  "start_date_ms, stop_date_ms, last_event_id, version, parent, trace_header"

ExecutionRecord read_execution(const Query& q) {
  ExecutionRecord e;
  e.arn = q.text(0);
  e.state_machine_arn = q.text(1);
  e.revision_id = q.text(2);
  e.name = q.text(3);
  e.status = q.text(4);
  e.input = q.text(5);
  e.output = q.text(6);
  e.error = q.text(7);
  e.cause = q.text(8);
  e.start_date_ms = q.int64(9);
  e.stop_date_ms = q.int64(10);
  e.last_event_id = q.int64(11);
  e.version = q.int64(12);
  e.parent = q.text(13);
  e.trace_header = q.text(14);
  return e;
}

WriteStatus write_execution_row(Db& db, const TransitionWrite& w) {
  if (w.insert) {
    const ExecutionRecord& e = *w.insert;
    int64_t n = Query(db, "INSERT INTO executions (" SIGNOFF_EXECUTION_COLUMNS
                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                          " ?15) ON CONFLICT DO NOTHING")
                    .bind(e.arn, e.state_machine_arn, e.revision_id, e.name, e.status, e.input,
                          e.output, e.error, e.cause, e.start_date_ms, e.stop_date_ms,
                          e.last_event_id, e.version, e.parent, e.trace_header)
                    .exec();
    return n == 1 ? WriteStatus::Ok : WriteStatus::AlreadyExists;
  }
  const ExecutionRecord& u = w.update;
  int64_t n = Query(db,
                    "UPDATE executions SET status = ?2, output = ?3, error = ?4, cause = ?5,"
                    " stop_date_ms = ?6, last_event_id = ?7, version = ?8"
                    " WHERE arn = ?1 AND version = ?9")
                  .bind(w.execution_arn, u.status, u.output, u.error, u.cause, u.stop_date_ms,
                        u.last_event_id, u.version, w.expected_version)
                  .exec();
  if (n == 1) {
    return WriteStatus::Ok;
  }
  Query exists(db, "SELECT 1 FROM executions WHERE arn = ?1");
  exists.bind(w.execution_arn);
  return exists.step() ? WriteStatus::ConditionFailed : WriteStatus::NotFound;
}

WriteStatus apply_transition(Db& db, const TransitionWrite& w) {
  if (WriteStatus s = write_execution_row(db, w); s != WriteStatus::Ok) {
    return s;
  }
  const std::string& arn = w.insert ? w.insert->arn : w.execution_arn;
  // A duplicate event id or journal seq means the caller's view of the execution is stale.
  for (const HistoryEventRecord& ev : w.events) {
    if (Query(db,
              "INSERT INTO history_events (execution_arn, id, timestamp_ms, type, json)"
              " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING")
            .bind(arn, ev.id, ev.timestamp_ms, ev.type, ev.json)
            .exec() == 0) {
      return WriteStatus::ConditionFailed;
    }
  }
  if (w.journal) {
    if (Query(db,
              "INSERT INTO journal (execution_arn, seq, json) VALUES (?1, ?2, ?3)"
              " ON CONFLICT DO NOTHING")
            .bind(arn, w.journal->seq, w.journal->json)
            .exec() == 0) {
      return WriteStatus::ConditionFailed;
    }
  }
  for (const JobRecord& job : w.jobs_to_put) {
    upsert_job(db, job);
  }
  for (const std::string& id : w.jobs_to_delete) {
    Query(db, "DELETE FROM jobs WHERE id = ?1").bind(id).exec();
  }
  return WriteStatus::Ok;
}

}  // namespace

WriteStatus SqliteStore::apply(const TransitionWrite& write) {
  return writer_.run([&](Db& db) { return apply_transition(db, write); });
}

std::optional<ExecutionRecord> SqliteStore::get_execution(std::string_view arn) {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT " SIGNOFF_EXECUTION_COLUMNS " FROM executions WHERE arn = ?1");
  q.bind(arn);
  if (!q.step()) {
    return std::nullopt;
  }
  return read_execution(q);
}

Page<ExecutionRecord> SqliteStore::list_executions(const ExecutionFilter& filter,
                                                   std::string_view after_key, size_t limit) {
  // The first page starts after the greatest possible key.
  TimeKey after{std::numeric_limits<int64_t>::max(), {}};
  if (!after_key.empty()) {
    auto decoded = decode_time_key(after_key);
    if (!decoded) {
      // A key this store never made: nothing follows it.
      return {};
    }
    after = *decoded;
  }
  auto lease = readers_.acquire();
  // Ties at the greatest start date would need an ARN above every ARN; (ms, arn) < (MAX, '')
  // excludes start_date_ms == INT64_MAX, which no real clock produces.
  std::optional<Query> q;
  if (filter.status.empty()) {
    q.emplace(lease.db(), "SELECT " SIGNOFF_EXECUTION_COLUMNS
                          " FROM executions WHERE state_machine_arn = ?1"
                          " AND (start_date_ms, arn) < (?2, ?3)"
                          " ORDER BY start_date_ms DESC, arn DESC LIMIT ?4");
    q->bind(filter.state_machine_arn, after.ms, after.arn,
            limit == 0 ? UINT64_MAX : uint64_t{limit} + 1);
  } else {
    q.emplace(lease.db(), "SELECT " SIGNOFF_EXECUTION_COLUMNS
                          " FROM executions WHERE state_machine_arn = ?1 AND status = ?5"
                          " AND (start_date_ms, arn) < (?2, ?3)"
                          " ORDER BY start_date_ms DESC, arn DESC LIMIT ?4");
    q->bind(filter.state_machine_arn, after.ms, after.arn,
            limit == 0 ? UINT64_MAX : uint64_t{limit} + 1, filter.status);
  }
  Page<ExecutionRecord> page;
  while (q->step()) {
    if (limit != 0 && page.items.size() == limit) {
      page.next_key = encode_time_key(page.items.back().start_date_ms, page.items.back().arn);
      break;
    }
    page.items.push_back(read_execution(*q));
  }
  return page;
}

std::vector<ExecutionRecord> SqliteStore::running_executions() {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT " SIGNOFF_EXECUTION_COLUMNS
                      " FROM executions WHERE status = 'RUNNING' ORDER BY start_date_ms, arn");
  std::vector<ExecutionRecord> out;
  while (q.step()) {
    out.push_back(read_execution(q));
  }
  return out;
}

std::vector<HistoryEventRecord> SqliteStore::history(std::string_view execution_arn, bool reverse,
                                                     int64_t after_or_before_id, size_t limit) {
  auto lease = readers_.acquire();
  const uint64_t count = limit == 0 ? UINT64_MAX : uint64_t{limit};
  std::optional<Query> q;
  if (reverse) {
    q.emplace(lease.db(),
              "SELECT id, timestamp_ms, type, json FROM history_events"
              " WHERE execution_arn = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3");
    q->bind(execution_arn,
            after_or_before_id == 0 ? std::numeric_limits<int64_t>::max() : after_or_before_id,
            count);
  } else {
    q.emplace(lease.db(),
              "SELECT id, timestamp_ms, type, json FROM history_events"
              " WHERE execution_arn = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    q->bind(execution_arn, after_or_before_id, count);
  }
  std::vector<HistoryEventRecord> out;
  while (q->step()) {
    out.push_back(HistoryEventRecord{q->int64(0), q->int64(1), q->text(2), q->text(3)});
  }
  return out;
}

std::vector<JournalRecord> SqliteStore::journal(std::string_view execution_arn) {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT seq, json FROM journal WHERE execution_arn = ?1 ORDER BY seq");
  q.bind(execution_arn);
  std::vector<JournalRecord> out;
  while (q.step()) {
    out.push_back(JournalRecord{q.int64(0), q.text(1)});
  }
  return out;
}

}  // namespace signoff::store::sqlite
