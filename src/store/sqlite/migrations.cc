#include "store/sqlite/migrations.h"

#include <cstdint>
#include <iterator>
#include <string>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace signoff::store::sqlite {

namespace {

struct Migration {
  int64_t version;
  const char* sql;
};

// Append-only: a released migration is never edited, a change is a new entry. STRICT tables so
// a binding bug fails loudly instead of storing the wrong type. No foreign keys: executions and
// their histories deliberately outlive their state machine, and apply() already writes an
// execution's rows in one savepoint, so the checks would only cost a lookup per history event.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE state_machines (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  description TEXT NOT NULL,
  logging_configuration TEXT NOT NULL,
  tracing_configuration TEXT NOT NULL,
  revision_id TEXT NOT NULL,
  creation_date_ms INTEGER NOT NULL,
  update_date_ms INTEGER NOT NULL,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX state_machines_by_name ON state_machines (name, arn);

CREATE TABLE state_machine_revisions (
  state_machine_arn TEXT NOT NULL,
  revision_id TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  logging_configuration TEXT NOT NULL,
  tracing_configuration TEXT NOT NULL,
  update_date_ms INTEGER NOT NULL,
  PRIMARY KEY (state_machine_arn, revision_id)
) STRICT;

CREATE TABLE executions (
  arn TEXT PRIMARY KEY,
  state_machine_arn TEXT NOT NULL,
  revision_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT NOT NULL,
  error TEXT NOT NULL,
  cause TEXT NOT NULL,
  start_date_ms INTEGER NOT NULL,
  stop_date_ms INTEGER NOT NULL,
  last_event_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  parent TEXT NOT NULL,
  trace_header TEXT NOT NULL
) STRICT;
CREATE INDEX executions_by_machine ON executions (state_machine_arn, start_date_ms, arn);
CREATE INDEX executions_by_machine_status
  ON executions (state_machine_arn, status, start_date_ms, arn);
CREATE INDEX executions_running ON executions (start_date_ms, arn) WHERE status = 'RUNNING';

CREATE TABLE history_events (
  execution_arn TEXT NOT NULL,
  id INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)
) STRICT;

CREATE TABLE journal (
  execution_arn TEXT NOT NULL,
  seq INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (execution_arn, seq)
) STRICT;

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL,
  due_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  claimed_by TEXT NOT NULL
) STRICT;
CREATE INDEX jobs_by_owner ON jobs (owner, due_ms, id);
CREATE INDEX jobs_by_kind ON jobs (kind, due_ms, id);

CREATE TABLE activities (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  creation_date_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX activities_by_name ON activities (name, arn);

CREATE TABLE tags (
  resource_arn TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (resource_arn, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql"},
    // Documents: any service's resources as keyed, versioned JSON. A rowid table (documents can
    // be large, which WITHOUT ROWID handles poorly); the partial index only holds indexed rows
    // and carries key so documents_by_index reads them in key order without a sort. due_jobs
    // needs no new index: jobs_by_kind (kind, due_ms, id) already serves it.
    {2, R"sql(
CREATE TABLE documents (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  json TEXT NOT NULL,
  idx TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
) STRICT;
CREATE INDEX documents_by_index ON documents (kind, idx, key) WHERE idx <> '';
)sql"},
};

constexpr int64_t kLatest = std::size(kMigrations);

}  // namespace

void migrate(Db& db) {
  db.exec_script("BEGIN IMMEDIATE");
  try {
    db.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL) STRICT");
    int64_t current = 0;
    {
      Query q(db, "SELECT coalesce(max(version), 0) FROM schema_version");
      if (q.step()) {
        current = q.int64(0);
      }
    }
    if (current > kLatest) {
      throw StoreError("store schema version " + std::to_string(current) +
                       " is newer than this binary understands (" + std::to_string(kLatest) +
                       "); upgrade signoff");
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= current) {
        continue;
      }
      try {
        db.exec_script(m.sql);
      } catch (const StoreError& e) {
        throw StoreError("store migration " + std::to_string(m.version) + " failed: " + e.what());
      }
      Query(db,
            "INSERT INTO schema_version (version, applied_ms)"
            " VALUES (?1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))")
          .bind(m.version)
          .exec();
    }
    db.exec_script("COMMIT");
  } catch (...) {
    if (!db.autocommit()) {
      try {
        db.exec_script("ROLLBACK");
      } catch (const StoreError&) {
        // The original failure is the one worth reporting.
      }
    }
    throw;
  }
}

}  // namespace signoff::store::sqlite
