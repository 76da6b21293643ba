#include <cstdint>

#include "store/sqlite/sqlite_store.h"

namespace signoff::store::sqlite {

namespace {

#define SIGNOFF_JOB_COLUMNS "id, kind, owner, due_ms, payload, attempts, claimed_by"

JobRecord read_job(const Query& q) {
  return JobRecord{q.text(0), q.text(1), q.text(2), q.int64(3), q.text(4), q.int64(5), q.text(6)};
}

std::vector<JobRecord> read_jobs(Query& q) {
  std::vector<JobRecord> out;
  while (q.step()) {
    out.push_back(read_job(q));
  }
  return out;
}

}  // namespace

void upsert_job(Db& db, const JobRecord& job) {
  Query(db, "INSERT INTO jobs (" SIGNOFF_JOB_COLUMNS
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO UPDATE SET"
            " kind = excluded.kind, owner = excluded.owner, due_ms = excluded.due_ms,"
            " payload = excluded.payload, attempts = excluded.attempts,"
            " claimed_by = excluded.claimed_by")
      .bind(job.id, job.kind, job.owner, job.due_ms, job.payload, job.attempts, job.claimed_by)
      .exec();
}

std::vector<JobRecord> SqliteStore::jobs_by_owner(std::string_view owner) {
  auto lease = readers_.acquire();
  Query q(lease.db(),
          "SELECT " SIGNOFF_JOB_COLUMNS " FROM jobs WHERE owner = ?1 ORDER BY due_ms, id");
  q.bind(owner);
  return read_jobs(q);
}

std::vector<JobRecord> SqliteStore::jobs_by_kind(std::string_view kind) {
  auto lease = readers_.acquire();
  Query q(lease.db(),
          "SELECT " SIGNOFF_JOB_COLUMNS " FROM jobs WHERE kind = ?1 ORDER BY due_ms, id");
  q.bind(kind);
  return read_jobs(q);
}

std::vector<JobRecord> SqliteStore::due_jobs(std::string_view kind, int64_t before_ms,
                                             size_t limit) {
  auto lease = readers_.acquire();
  // Served by jobs_by_kind (kind, due_ms, id): a range scan in the order asked for.
  Query q(lease.db(), "SELECT " SIGNOFF_JOB_COLUMNS
                      " FROM jobs WHERE kind = ?1 AND due_ms <= ?2 ORDER BY due_ms, id LIMIT ?3");
  q.bind(kind, before_ms, limit == 0 ? UINT64_MAX : uint64_t{limit});
  return read_jobs(q);
}

std::optional<JobRecord> SqliteStore::get_job(std::string_view id) {
  auto lease = readers_.acquire();
  Query q(lease.db(), "SELECT " SIGNOFF_JOB_COLUMNS " FROM jobs WHERE id = ?1");
  q.bind(id);
  if (!q.step()) {
    return std::nullopt;
  }
  return read_job(q);
}

void SqliteStore::put_job(const JobRecord& job) {
  writer_.run([&](Db& db) {
    upsert_job(db, job);
    return WriteStatus::Ok;
  });
}

WriteStatus SqliteStore::delete_job(std::string_view id) {
  return writer_.run([&](Db& db) {
    return Query(db, "DELETE FROM jobs WHERE id = ?1").bind(id).exec() == 1 ? WriteStatus::Ok
                                                                            : WriteStatus::NotFound;
  });
}

WriteStatus SqliteStore::claim_job(std::string_view id, std::string_view by) {
  return writer_.run([&](Db& db) {
    if (Query(db,
              "UPDATE jobs SET claimed_by = ?2, attempts = attempts + 1"
              " WHERE id = ?1 AND (claimed_by = '' OR claimed_by = ?2)")
            .bind(id, by)
            .exec() == 1) {
      return WriteStatus::Ok;
    }
    Query exists(db, "SELECT 1 FROM jobs WHERE id = ?1");
    exists.bind(id);
    return exists.step() ? WriteStatus::ConditionFailed : WriteStatus::NotFound;
  });
}

}  // namespace signoff::store::sqlite
