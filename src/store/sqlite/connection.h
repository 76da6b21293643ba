// Thin RAII over one sqlite3 connection and its prepared statements. The only place besides the
// other files of src/store/sqlite/ that knows SQLite's C API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace signoff::store::sqlite {

class Db {
 public:
  enum class Role { Writer, Reader, Checkpointer };

  // Opens (creating when missing, for the writer) and applies the connection's pragmas.
  Db(const std::string& path, Role role);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without results (DDL, pragmas).
  void exec_script(const char* sql);
  // The statement for `sql`, prepared on first use and kept for the connection's lifetime. `sql`
  // must outlive the connection (a string literal): the cache keys on it without copying.
  sqlite3_stmt* cached(std::string_view sql);
  // True when no transaction is open (SQLite rolls a transaction back by itself on some errors).
  bool autocommit() const;
  int64_t changes() const;
  // Throws StoreError naming `what` with SQLite's message for the last error on this connection.
  [[noreturn]] void fail(std::string_view what) const;
  // A PASSIVE checkpoint of the main database: SQLite's result code, the WAL's size and the pages
  // copied so far.
  int checkpoint_passive(int* log_pages, int* copied_pages);
  sqlite3* raw() const { return db_; }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* s) const;
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string_view, std::unique_ptr<sqlite3_stmt, Finalize>> cache_;
};

// One use of a cached statement: binds parameters in order, steps, reads columns. Resets the
// statement on scope exit so no read transaction outlives the call (a stale reader would both
// see old data and hold back WAL checkpoints).
class Query {
 public:
  Query(Db& db, std::string_view sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Binds the arguments to ?1, ?2, ... Text is bound without copying: it must stay alive until
  // the query is done.
  template <typename... Args>
  Query& bind(const Args&... args) {
    int i = 0;
    (bind_at(++i, args), ...);
    return *this;
  }
  Query& bind_at(int index, std::string_view text);
  Query& bind_at(int index, int64_t value);
  Query& bind_at(int index, uint64_t value);  // size_t limits; above INT64_MAX means no limit
  Query& bind_at(int index, int value) { return bind_at(index, int64_t{value}); }

  // Advances to the next row: true when there is one. Throws StoreError on failure.
  bool step();
  // Runs to completion and returns the rows changed.
  int64_t exec();

  std::string text(int column) const;
  int64_t int64(int column) const;

 private:
  Db& db_;
  sqlite3_stmt* stmt_;
};

}  // namespace signoff::store::sqlite
