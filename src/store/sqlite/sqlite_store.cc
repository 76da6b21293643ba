#include "store/sqlite/sqlite_store.h"

#include <filesystem>
#include <system_error>

#include "store/page_key.h"
#include "store/sqlite/migrations.h"

namespace signoff::store::sqlite {

namespace {

std::unique_ptr<Db> open_writer(const std::string& path) {
  auto db = std::make_unique<Db>(path, Db::Role::Writer);
  migrate(*db);
  return db;
}

// Columns in StateMachineRecord order.
#define SIGNOFF_SM_COLUMNS                                                              \
  "arn, name, type, status, definition, role_arn, description, logging_configuration, " \
  "tracing_configuration, revision_id, creation_date_ms, update_date_ms, version"

StateMachineRecord read_state_machine(const Query& q) {
  StateMachineRecord sm;
  sm.arn = q.text(0);
  sm.name = q.text(1);
  sm.type = q.text(2);
  sm.status = q.text(3);
  sm.definition = q.text(4);
  sm.role_arn = q.text(5);
  sm.description = q.text(6);
  sm.logging_configuration = q.text(7);
  sm.tracing_configuration = q.text(8);
  sm.revision_id = q.text(9);
  sm.creation_date_ms = q.int64(10);
  sm.update_date_ms = q.int64(11);
  sm.version = q.int64(12);
  return sm;
}

// False when the revision id is already stored for this machine: revisions are immutable.
bool insert_revision(Db& db, const StateMachineRevision& r) {
  return Query(db,
               "INSERT INTO state_machine_revisions (state_machine_arn, revision_id, definition,"
               " role_arn, logging_configuration, tracing_configuration, update_date_ms)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING")
             .bind(r.state_machine_arn, r.revision_id, r.definition, r.role_arn,
                   r.logging_configuration, r.tracing_configuration, r.update_date_ms)
             .exec() == 1;
}

bool row_exists(Db& db, std::string_view sql, std::string_view key) {
  Query q(db, sql);
  q.bind(key);
  return q.step();
}

template <typename T, typename Read>
Page<T> read_page(Query& q, size_t limit, Read read_row, std::string (*key_of)(const T&)) {
  Page<T> page;
  while (q.step()) {
    if (limit != 0 && page.items.size() == limit) {
      // The extra row fetched only to learn whether another page exists.
      page.next_key = key_of(page.items.back());
      break;
    }
    page.items.push_back(read_row(q));
  }
  return page;
}

// limit 0 means "no limit"; one more row than asked for tells whether there is a next page.
uint64_t fetch_count(size_t limit) {
  return limit == 0 ? UINT64_MAX : static_cast<uint64_t>(limit) + 1;
}

ActivityRecord read_activity(const Query& q) {
  return ActivityRecord{q.text(0), q.text(1), q.int64(2)};
}

}  // namespace

SqliteStore::SqliteStore(const std::string& dir)
    : lock_(dir), path_(dir + "/signoff.db"), readers_(path_), writer_(open_writer(path_), path_) {}

// ---------------------------------------------------------------------------------------------
// State machines

WriteStatus SqliteStore::create_state_machine(const StateMachineRecord& sm) {
  return writer_.run([&](Db& db) {
    int64_t n = Query(db, "INSERT INTO state_machines (" SIGNOFF_SM_COLUMNS
                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                          " ON CONFLICT DO NOTHING")
                    .bind(sm.arn, sm.name, sm.type, sm.status, sm.definition, sm.role_arn,
                          sm.description, sm.logging_configuration, sm.tracing_configuration,
                          sm.revision_id, sm.creation_date_ms, sm.update_date_ms, sm.version)
                    .exec();
    if (n == 0) {
      return WriteStatus::AlreadyExists;
    }
    // The first revision is dated by the machine's creation: it was never updated.
    StateMachineRevision first{sm.arn,
                               sm.revision_id,
                               sm.definition,
                               sm.role_arn,
                               sm.logging_configuration,
                               sm.tracing_configuration,
                               sm.creation_date_ms};
    return insert_revision(db, first) ? WriteStatus::Ok : WriteStatus::AlreadyExists;
  });
}

std::optional<StateMachineRecord> SqliteStore::get_state_machine(std::string_view arn) {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT " SIGNOFF_SM_COLUMNS " FROM state_machines WHERE arn = ?1");
  q.bind(arn);
  if (!q.step()) {
    return std::nullopt;
  }
  return read_state_machine(q);
}

WriteStatus SqliteStore::update_state_machine(const StateMachineRecord& sm,
                                              int64_t expected_version,
                                              const StateMachineRevision& revision) {
  return writer_.run([&](Db& db) {
    int64_t n =
        Query(db,
              "UPDATE state_machines SET name = ?2, type = ?3, status = ?4,"
              " definition = ?5, role_arn = ?6, description = ?7,"
              " logging_configuration = ?8, tracing_configuration = ?9,"
              " revision_id = ?10, creation_date_ms = ?11, update_date_ms = ?12,"
              " version = ?13 WHERE arn = ?1 AND version = ?14")
            .bind(sm.arn, sm.name, sm.type, sm.status, sm.definition, sm.role_arn, sm.description,
                  sm.logging_configuration, sm.tracing_configuration, sm.revision_id,
                  sm.creation_date_ms, sm.update_date_ms, sm.version, expected_version)
            .exec();
    if (n == 0) {
      return row_exists(db, "SELECT 1 FROM state_machines WHERE arn = ?1", sm.arn)
                 ? WriteStatus::ConditionFailed
                 : WriteStatus::NotFound;
    }
    return insert_revision(db, revision) ? WriteStatus::Ok : WriteStatus::ConditionFailed;
  });
}

WriteStatus SqliteStore::delete_state_machine(std::string_view arn) {
  return writer_.run([&](Db& db) {
    if (Query(db, "DELETE FROM state_machines WHERE arn = ?1").bind(arn).exec() == 0) {
      return WriteStatus::NotFound;
    }
    Query(db, "DELETE FROM tags WHERE resource_arn = ?1").bind(arn).exec();
    // Revisions an execution runs on stay for DescribeStateMachineForExecution.
    Query(db,
          "DELETE FROM state_machine_revisions WHERE state_machine_arn = ?1 AND revision_id NOT IN"
          " (SELECT revision_id FROM executions WHERE state_machine_arn = ?1)")
        .bind(arn)
        .exec();
    return WriteStatus::Ok;
  });
}

Page<StateMachineRecord> SqliteStore::list_state_machines(std::string_view after_key,
                                                          size_t limit) {
  auto lease = readers_.acquire();
  auto key_of = [](const StateMachineRecord& sm) {
    return encode_name_key(sm.name, sm.arn);
  };
  if (after_key.empty()) {
    Query q(lease.db(),
            "SELECT " SIGNOFF_SM_COLUMNS " FROM state_machines ORDER BY name, arn LIMIT ?1");
    q.bind(fetch_count(limit));
    return read_page<StateMachineRecord>(q, limit, read_state_machine, +key_of);
  }
  auto after = decode_name_key(after_key);
  if (!after) {
    // A key this store never made: nothing follows it.
    return {};
  }
  Query q(lease.db(), "SELECT " SIGNOFF_SM_COLUMNS
                      " FROM state_machines WHERE (name, arn) > (?1, ?2)"
                      " ORDER BY name, arn LIMIT ?3");
  q.bind(after->name, after->arn, fetch_count(limit));
  return read_page<StateMachineRecord>(q, limit, read_state_machine, +key_of);
}

std::optional<StateMachineRevision> SqliteStore::get_revision(std::string_view state_machine_arn,
                                                              std::string_view revision_id) {
  auto lease = readers_.acquire();
  Query q(lease.db(),
          "SELECT state_machine_arn, revision_id, definition, role_arn, logging_configuration,"
          " tracing_configuration, update_date_ms FROM state_machine_revisions"
          " WHERE state_machine_arn = ?1 AND revision_id = ?2");
  q.bind(state_machine_arn, revision_id);
  if (!q.step()) {
    return std::nullopt;
  }
  return StateMachineRevision{q.text(0), q.text(1), q.text(2), q.text(3),
                              q.text(4), q.text(5), q.int64(6)};
}

// ---------------------------------------------------------------------------------------------
// Activities

WriteStatus SqliteStore::create_activity(const ActivityRecord& a) {
  return writer_.run([&](Db& db) {
    return Query(db,
                 "INSERT INTO activities (arn, name, creation_date_ms) VALUES (?1, ?2, ?3)"
                 " ON CONFLICT DO NOTHING")
                       .bind(a.arn, a.name, a.creation_date_ms)
                       .exec() == 1
               ? WriteStatus::Ok
               : WriteStatus::AlreadyExists;
  });
}

std::optional<ActivityRecord> SqliteStore::get_activity(std::string_view arn) {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT arn, name, creation_date_ms FROM activities WHERE arn = ?1");
  q.bind(arn);
  if (!q.step()) {
    return std::nullopt;
  }
  return read_activity(q);
}

WriteStatus SqliteStore::delete_activity(std::string_view arn) {
  return writer_.run([&](Db& db) {
    if (Query(db, "DELETE FROM activities WHERE arn = ?1").bind(arn).exec() == 0) {
      return WriteStatus::NotFound;
    }
    Query(db, "DELETE FROM tags WHERE resource_arn = ?1").bind(arn).exec();
    return WriteStatus::Ok;
  });
}

Page<ActivityRecord> SqliteStore::list_activities(std::string_view after_key, size_t limit) {
  auto lease = readers_.acquire();
  auto key_of = [](const ActivityRecord& a) {
    return encode_name_key(a.name, a.arn);
  };
  if (after_key.empty()) {
    Query q(lease.db(),
            "SELECT arn, name, creation_date_ms FROM activities ORDER BY name, arn LIMIT ?1");
    q.bind(fetch_count(limit));
    return read_page<ActivityRecord>(q, limit, read_activity, +key_of);
  }
  auto after = decode_name_key(after_key);
  if (!after) {
    return {};
  }
  Query q(lease.db(),
          "SELECT arn, name, creation_date_ms FROM activities WHERE (name, arn) > (?1, ?2)"
          " ORDER BY name, arn LIMIT ?3");
  q.bind(after->name, after->arn, fetch_count(limit));
  return read_page<ActivityRecord>(q, limit, read_activity, +key_of);
}

// ---------------------------------------------------------------------------------------------
// Tags

void SqliteStore::set_tags(std::string_view arn, const std::vector<Tag>& tags) {
  writer_.run([&](Db& db) {
    for (const Tag& t : tags) {
      Query(db,
            "INSERT INTO tags (resource_arn, key, value) VALUES (?1, ?2, ?3)"
            " ON CONFLICT DO UPDATE SET value = excluded.value")
          .bind(arn, t.key, t.value)
          .exec();
    }
    return WriteStatus::Ok;
  });
}

void SqliteStore::remove_tags(std::string_view arn, const std::vector<std::string>& keys) {
  writer_.run([&](Db& db) {
    for (const std::string& k : keys) {
      Query(db, "DELETE FROM tags WHERE resource_arn = ?1 AND key = ?2").bind(arn, k).exec();
    }
    return WriteStatus::Ok;
  });
}

std::vector<Tag> SqliteStore::tags(std::string_view arn) {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT key, value FROM tags WHERE resource_arn = ?1 ORDER BY key");
  q.bind(arn);
  std::vector<Tag> out;
  while (q.step()) {
    out.push_back(Tag{q.text(0), q.text(1)});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Meta

std::optional<std::string> SqliteStore::get_meta(std::string_view key) {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT value FROM meta WHERE key = ?1");
  q.bind(key);
  if (!q.step()) {
    return std::nullopt;
  }
  return q.text(0);
}

std::string SqliteStore::put_meta_if_absent(std::string_view key, std::string_view value) {
  std::string stored;
  writer_.run([&](Db& db) {
    Query(db, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
        .bind(key, value)
        .exec();
    Query q(db, "SELECT value FROM meta WHERE key = ?1");
    q.bind(key);
    if (!q.step()) {
      throw StoreError("meta key vanished right after its insert");
    }
    stored = q.text(0);
    return WriteStatus::Ok;
  });
  return stored;
}

}  // namespace signoff::store::sqlite

namespace signoff::store {

StorePtr open_sqlite_store(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw StoreError("cannot create store directory " + dir + ": " + ec.message());
  }
  return std::make_unique<sqlite::SqliteStore>(dir);
}

}  // namespace signoff::store
