#include "store/sqlite/checkpointer.h"

#include <cstdio>

#include <sqlite3.h>

#include "store/sqlite/connection.h"

namespace signoff::store::sqlite {

Checkpointer::Checkpointer(sqlite3* writer, const std::string& path)
    : writer_(writer), db_(std::make_unique<Db>(path, Db::Role::Checkpointer)) {
  thread_ = std::thread([this] { loop(); });
  sqlite3_wal_hook(writer_, &Checkpointer::on_commit, this);
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

uint64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return checkpoints_;
}

int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* me = static_cast<Checkpointer*>(self);
  if (pages >= kInlinePages) {
    // A failure here leaves the WAL as it is; the commit itself already succeeded.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  // Only the writer thread runs this hook, so last_request_pages_ needs no lock.
  if (pages < me->last_request_pages_) {
    me->last_request_pages_ = 0;  // the WAL started over
  }
  if (pages - me->last_request_pages_ >= kThresholdPages) {
    // Once per threshold's worth of new frames, not on every commit past it: back-to-back
    // passes would fsync the database file continuously and slow every commit's own fsync.
    me->last_request_pages_ = pages;
    {
      std::lock_guard lock(me->mu_);
      me->requested_ = true;
    }
    me->wake_.notify_one();
  }
  if (pages >= kForcePages) {
    std::lock_guard lock(me->mu_);
    if (me->catch_up_) {
      me->force_ = true;
    }
  }
  return SQLITE_OK;
}

void Checkpointer::loop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || requested_; });
      if (stopping_) {
        return;
      }
      requested_ = false;
    }
    int log_pages = 0;
    int copied = 0;
    int rc = db_->checkpoint_passive(&log_pages, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      // Not fatal: the next request retries, and the inline fallback bounds the WAL.
      std::fprintf(stderr, "sqlite: background checkpoint failed: %s\n", sqlite3_errstr(rc));
    }
    std::lock_guard lock(mu_);
    ++checkpoints_;
    catch_up_ = true;
  }
}

Checkpointer::CatchUp Checkpointer::catch_up() const {
  std::lock_guard lock(mu_);
  if (!catch_up_) {
    return CatchUp::None;
  }
  return force_ ? CatchUp::Now : CatchUp::WhenIdle;
}

void Checkpointer::caught_up() {
  std::lock_guard lock(mu_);
  catch_up_ = false;
  force_ = false;
}

}  // namespace signoff::store::sqlite
