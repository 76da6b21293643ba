// Read connections, leased one per call. In WAL mode a reader sees the last commit and never
// waits for the writer, so reads from many threads run side by side.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"

namespace signoff::store::sqlite {

class ReadPool {
 public:
  explicit ReadPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Db> db) : pool_(pool), db_(std::move(db)) {}
    ~Lease() { pool_.release(std::move(db_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Db& db() { return *db_; }

   private:
    ReadPool& pool_;
    std::unique_ptr<Db> db_;
  };

  // An idle connection (each keeps its prepared statements), or a new one when all are busy.
  Lease acquire();

 private:
  void release(std::unique_ptr<Db> db);

  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Db>> idle_;
};

}  // namespace signoff::store::sqlite
