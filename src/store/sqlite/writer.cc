#include "store/sqlite/writer.h"

#include <chrono>
#include <string>

namespace signoff::store::sqlite {

namespace {

std::string message_of(const std::exception_ptr& e) {
  if (!e) {
    // The write returned a status, yet the transaction is gone.
    return "the transaction ended inside a write";
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown error";
  }
}

// A write failed in a way that took the whole transaction with it.
struct BatchLost {
  std::string message;
};

// Far below one fsync (milliseconds on this class of disk), so lingering costs less than the
// commit it shares. Measured with bench/store_bench.cc: 8 writers went from batches of ~6 to ~7.9.
constexpr std::chrono::microseconds kLinger{200};
// How long the writer must see no write before it finishes a checkpoint (checkpointer.h).
constexpr std::chrono::milliseconds kIdleBeforeCatchUp{2};

}  // namespace

Writer::Writer(std::unique_ptr<Db> db, const std::string& path)
    : db_(std::move(db)), checkpointer_(std::make_unique<Checkpointer>(db_->raw(), path)) {
  queue_.reserve(64);
  thread_ = std::thread([this] { loop(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  checkpointer_.reset();  // before the writer connection closes (its hook points here)
}

void Writer::submit(Op& op) {
  std::unique_lock lock(mu_);
  queue_.push_back(&op);
  wake_.notify_one();
  op.cv.wait(lock, [&] { return op.done; });
}

size_t Writer::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void Writer::loop() {
  // Swapped with queue_ each round, so both vectors keep their capacity and a steady stream of
  // writes allocates nothing.
  std::vector<Op*> batch;
  batch.reserve(64);
  size_t previous = 0;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      Checkpointer::CatchUp due = checkpointer_->catch_up();
      if (due != Checkpointer::CatchUp::None && !stopping_) {
        // See checkpointer.h: finish the background checkpoint in a pause between writes, or
        // now when the WAL has grown too far waiting for one.
        bool pause =
            due == Checkpointer::CatchUp::Now ||
            !wake_.wait_for(lock, kIdleBeforeCatchUp, [&] { return stopping_ || !queue_.empty(); });
        if (pause) {
          lock.unlock();
          catch_up();
          continue;
        }
      }
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;
      }
      // The callers just woken from the previous batch are usually about to write again; a
      // moment's wait for as many writes as that batch held turns alternating batches of 1
      // and N-1 into batches of N, for one fsync each. A lone writer never waits.
      if (queue_.size() < previous && !stopping_) {
        wake_.wait_for(lock, kLinger, [&] { return stopping_ || queue_.size() >= previous; });
      }
      batch.swap(queue_);
    }
    previous = batch.size();
    run_batch(batch);
    batches_.fetch_add(1, std::memory_order_relaxed);
    {
      // Notifying under the lock: a caller cannot leave run() (destroying its cv) before this
      // releases the mutex.
      std::lock_guard lock(mu_);
      for (Op* op : batch) {
        op->done = true;
        op->cv.notify_one();
      }
    }
    batch.clear();
  }
}

void Writer::catch_up() {
  int log_pages = 0;
  int copied = 0;
  // BUSY (a reader holds an old snapshot) leaves frames behind; the next pass copies them.
  db_->checkpoint_passive(&log_pages, &copied);
  checkpointer_->caught_up();
}

void Writer::run_batch(const std::vector<Op*>& batch) {
  Db& db = *db_;
  try {
    Query(db, "BEGIN IMMEDIATE").exec();
    for (Op* op : batch) {
      Query(db, "SAVEPOINT w").exec();
      try {
        op->status = op->fn(op->ctx, db);
      } catch (...) {
        op->error = std::current_exception();
      }
      if (op->error || op->status != WriteStatus::Ok) {
        // Some errors (disk full, I/O) make SQLite roll back the whole transaction itself; the
        // writes before this one are then gone too.
        if (db.autocommit()) {
          throw BatchLost{message_of(op->error)};
        }
        Query(db, "ROLLBACK TO w").exec();
      }
      Query(db, "RELEASE w").exec();
    }
    Query(db, "COMMIT").exec();
  } catch (...) {
    std::string message;
    try {
      throw;
    } catch (const BatchLost& lost) {
      message = "write transaction aborted: " + lost.message;
    } catch (const std::exception& e) {
      message = std::string("commit failed: ") + e.what();
    } catch (...) {
      message = "commit failed";
    }
    if (!db.autocommit()) {
      try {
        db.exec_script("ROLLBACK");
      } catch (const StoreError&) {
        // Nothing more to undo; the callers hear of the original failure.
      }
    }
    for (Op* op : batch) {
      op->error = std::make_exception_ptr(StoreError(message));
    }
  }
}

}  // namespace signoff::store::sqlite
