#include "store/sqlite/connection.h"

#include <limits>

#include <sqlite3.h>

#include "store/store.h"

namespace signoff::store::sqlite {

namespace {

// How long a connection waits on a lock before failing. Only checkpoints and the opening
// pragmas can meet one: the directory lock keeps other processes out and WAL readers never
// block the writer.
constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void throw_sqlite(sqlite3* db, std::string_view what, int code) {
  std::string msg = "sqlite: ";
  msg.append(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  msg += " (";
  msg += std::to_string(code);
  msg += ")";
  throw StoreError(msg);
}

}  // namespace

void Db::Finalize::operator()(sqlite3_stmt* s) const {
  sqlite3_finalize(s);
}

Db::Db(const std::string& path, Role role) {
  // NOMUTEX: each connection is used by one thread at a time (the writer thread, or a reader
  // leased from the pool), so SQLite's per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (role == Role::Writer) {
    flags |= SQLITE_OPEN_CREATE;
  }
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 hands back a handle even on failure; it carries the message.
    std::string msg =
        "sqlite: cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StoreError(msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    if (role == Role::Writer) {
      // synchronous=FULL: every commit fsyncs the WAL, so an acknowledged write survives a
      // power cut, not only a crash of the process.
      // journal_size_limit: when the WAL starts over after a checkpoint, a file that grew during
      // a burst is cut back, so it does not keep that size (and its page cache) for ever.
      exec_script(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
          " PRAGMA journal_size_limit=16777216;");
      Query mode(*this, "PRAGMA journal_mode");
      if (!mode.step() || mode.text(0) != "wal") {
        throw StoreError("sqlite: " + path + " cannot use WAL journal mode");
      }
    } else if (role == Role::Reader) {
      exec_script("PRAGMA query_only=1;");
    }
  } catch (...) {
    cache_.clear();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Db::~Db() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

void Db::exec_script(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = std::string("sqlite: ") + (err ? err : sqlite3_errstr(rc)) + " (" +
                      std::to_string(rc) + ") in: " + std::string(sql).substr(0, 80);
    sqlite3_free(err);
    throw StoreError(msg);
  }
}

sqlite3_stmt* Db::cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    throw_sqlite(db_, "prepare " + std::string(sql.substr(0, 60)), rc);
  }
  cache_.emplace(sql, stmt);
  return stmt;
}

bool Db::autocommit() const {
  return sqlite3_get_autocommit(db_) != 0;
}

int64_t Db::changes() const {
  return sqlite3_changes64(db_);
}

void Db::fail(std::string_view what) const {
  throw_sqlite(db_, what, sqlite3_errcode(db_));
}

int Db::checkpoint_passive(int* log_pages, int* copied_pages) {
  return sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, log_pages, copied_pages);
}

Query::Query(Db& db, std::string_view sql) : db_(db), stmt_(db.cached(sql)) {}

Query::~Query() {
  sqlite3_reset(stmt_);
}

Query& Query::bind_at(int index, std::string_view text) {
  // An empty string_view may carry a null pointer, which SQLite would store as NULL.
  const char* data = text.data() ? text.data() : "";
  if (sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8) !=
      SQLITE_OK) {
    db_.fail("bind");
  }
  return *this;
}

Query& Query::bind_at(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) {
    db_.fail("bind");
  }
  return *this;
}

Query& Query::bind_at(int index, uint64_t value) {
  // SQLite's LIMIT takes a signed value; a negative one means no limit.
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return bind_at(index, value > kMax ? int64_t{-1} : static_cast<int64_t>(value));
}

bool Query::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  throw_sqlite(sqlite3_db_handle(stmt_), std::string_view(sqlite3_sql(stmt_)).substr(0, 60), rc);
}

int64_t Query::exec() {
  while (step()) {
  }
  return db_.changes();
}

std::string Query::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!p) {
    return {};
  }
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Query::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

}  // namespace signoff::store::sqlite
