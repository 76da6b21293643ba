#include <cstdint>

#include "store/page_key.h"
#include "store/sqlite/sqlite_store.h"

namespace signoff::store::sqlite {

namespace {

// Columns in DocumentRecord order.
#define SIGNOFF_DOCUMENT_COLUMNS "kind, key, json, idx, version, created_ms, updated_ms"

DocumentRecord read_document(const Query& q) {
  DocumentRecord d;
  d.kind = q.text(0);
  d.key = q.text(1);
  d.json = q.text(2);
  d.index = q.text(3);
  d.version = q.int64(4);
  d.created_ms = q.int64(5);
  d.updated_ms = q.int64(6);
  return d;
}

// After a conditional statement matched no row: was it the key or the version that was wrong?
WriteStatus missing_or_moved(Db& db, const DocumentRecord& d) {
  Query q(db, "SELECT 1 FROM documents WHERE kind = ?1 AND key = ?2");
  q.bind(d.kind, d.key);
  return q.step() ? WriteStatus::ConditionFailed : WriteStatus::NotFound;
}

WriteStatus put_document(Db& db, const DocumentRecord& d, int64_t expected_version) {
  if (expected_version == kMustNotExist) {
    return Query(db, "INSERT INTO documents (" SIGNOFF_DOCUMENT_COLUMNS
                     ") VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6) ON CONFLICT DO NOTHING")
                       .bind(d.kind, d.key, d.json, d.index, d.created_ms, d.updated_ms)
                       .exec() == 1
               ? WriteStatus::Ok
               : WriteStatus::AlreadyExists;
  }
  if (expected_version == kAnyVersion) {
    Query(db, "INSERT INTO documents (" SIGNOFF_DOCUMENT_COLUMNS
              ") VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6) ON CONFLICT (kind, key) DO UPDATE SET"
              " json = excluded.json, idx = excluded.idx, version = version + 1,"
              " updated_ms = excluded.updated_ms")
        .bind(d.kind, d.key, d.json, d.index, d.created_ms, d.updated_ms)
        .exec();
    return WriteStatus::Ok;
  }
  // Any other value is a version read earlier; stored versions start at 1, so a value below
  // -1 never matches and fails like a stale one.
  if (Query(db,
            "UPDATE documents SET json = ?3, idx = ?4, version = version + 1, updated_ms = ?5"
            " WHERE kind = ?1 AND key = ?2 AND version = ?6")
          .bind(d.kind, d.key, d.json, d.index, d.updated_ms, expected_version)
          .exec() == 1) {
    return WriteStatus::Ok;
  }
  return missing_or_moved(db, d);
}

WriteStatus delete_document(Db& db, const DocumentRecord& d, int64_t expected_version) {
  if (expected_version == kAnyVersion) {
    Query(db, "DELETE FROM documents WHERE kind = ?1 AND key = ?2").bind(d.kind, d.key).exec();
    return WriteStatus::Ok;
  }
  if (expected_version == kMustNotExist) {
    // "There must be no document here": nothing to delete when there is none, and the same
    // AlreadyExists a Put with kMustNotExist reports when there is one.
    return missing_or_moved(db, d) == WriteStatus::NotFound ? WriteStatus::Ok
                                                            : WriteStatus::AlreadyExists;
  }
  if (Query(db, "DELETE FROM documents WHERE kind = ?1 AND key = ?2 AND version = ?3")
          .bind(d.kind, d.key, expected_version)
          .exec() == 1) {
    return WriteStatus::Ok;
  }
  return missing_or_moved(db, d);
}

WriteStatus apply_batch(Db& db, const DocumentBatch& batch) {
  // A status other than Ok makes the writer roll back this batch's savepoint: the writes before
  // the failing one go too.
  for (const DocumentWrite& w : batch.writes) {
    WriteStatus s = w.op == DocumentWrite::Op::Put ? put_document(db, w.doc, w.expected_version)
                                                   : delete_document(db, w.doc, w.expected_version);
    if (s != WriteStatus::Ok) {
      return s;
    }
  }
  for (const JobRecord& job : batch.jobs_to_put) {
    upsert_job(db, job);
  }
  for (const std::string& id : batch.jobs_to_delete) {
    Query(db, "DELETE FROM jobs WHERE id = ?1").bind(id).exec();
  }
  return WriteStatus::Ok;
}

}  // namespace

WriteStatus SqliteStore::apply_documents(const DocumentBatch& batch) {
  return writer_.run([&](Db& db) { return apply_batch(db, batch); });
}

std::optional<DocumentRecord> SqliteStore::get_document(std::string_view kind,
                                                        std::string_view key) {
  auto lease = readers_.acquire();
  Query q(lease.db(),
          "SELECT " SIGNOFF_DOCUMENT_COLUMNS " FROM documents WHERE kind = ?1 AND key = ?2");
  q.bind(kind, key);
  if (!q.step()) {
    return std::nullopt;
  }
  return read_document(q);
}

Page<DocumentRecord> SqliteStore::list_documents(std::string_view kind, std::string_view key_prefix,
                                                 std::string_view after_key, size_t limit) {
  std::string_view after;
  if (!after_key.empty()) {
    auto decoded = decode_key(after_key);
    if (!decoded) {
      // A key this store never made: nothing follows it.
      return {};
    }
    after = *decoded;
  }
  // The scan starts at the prefix (or just after the previous page, when that is further on) and
  // walks the primary key in order; it stops at the first key outside the prefix. No LIKE or
  // GLOB, so '%', '_', '*' and '\' in keys and prefixes are plain characters, and no computed
  // upper bound, so no byte sequence has to be invented past the prefix.
  auto lease = readers_.acquire();
  const uint64_t count = limit == 0 ? UINT64_MAX : uint64_t{limit} + 1;
  std::optional<Query> q;
  if (!after_key.empty() && after >= key_prefix) {
    q.emplace(lease.db(), "SELECT " SIGNOFF_DOCUMENT_COLUMNS
                          " FROM documents WHERE kind = ?1 AND key > ?2 ORDER BY key LIMIT ?3");
    q->bind(kind, after, count);
  } else {
    q.emplace(lease.db(), "SELECT " SIGNOFF_DOCUMENT_COLUMNS
                          " FROM documents WHERE kind = ?1 AND key >= ?2 ORDER BY key LIMIT ?3");
    q->bind(kind, key_prefix, count);
  }
  Page<DocumentRecord> page;
  while (q->step()) {
    // The key alone decides whether this row belongs to the page; the JSON is only read for
    // rows that do.
    if (!q->text(1).starts_with(key_prefix)) {
      break;
    }
    if (limit != 0 && page.items.size() == limit) {
      // The extra row fetched only to learn whether another page exists.
      page.next_key = encode_key(page.items.back().key);
      break;
    }
    page.items.push_back(read_document(*q));
  }
  return page;
}

std::vector<DocumentRecord> SqliteStore::documents_by_index(std::string_view kind,
                                                            std::string_view index) {
  std::vector<DocumentRecord> out;
  if (index.empty()) {
    // "" means "not indexed"; it is not a value to look up.
    return out;
  }
  auto lease = readers_.acquire();
  // The `idx <> ''` term lets SQLite use the partial index: it cannot prove that ?2 is not ''.
  Query q(lease.db(), "SELECT " SIGNOFF_DOCUMENT_COLUMNS
                      " FROM documents WHERE kind = ?1 AND idx = ?2 AND idx <> '' ORDER BY key");
  q.bind(kind, index);
  while (q.step()) {
    out.push_back(read_document(q));
  }
  return out;
}

}  // namespace signoff::store::sqlite
