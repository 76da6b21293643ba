// The one writer thread and its group commit: every write is queued, the thread takes whatever
// is queued, runs each write in its own savepoint inside one BEGIN IMMEDIATE..COMMIT, commits
// (one fsync for the whole batch) and only then wakes each caller with its own outcome. When the
// previous batch held N writes and fewer are queued, it lingers up to 200us for the rest: the
// callers it just woke are usually about to write again.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "store/sqlite/checkpointer.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace signoff::store::sqlite {

class Writer {
 public:
  // `path` is the database's file: the checkpoint thread opens its own connection to it.
  Writer(std::unique_ptr<Db> db, const std::string& path);
  // Finishes every queued write, then stops the thread and closes the connection.
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Runs `work(Db&)` on the writer thread inside its own savepoint and blocks until the batch
  // holding it committed. A status other than Ok rolls the savepoint back; so does an exception,
  // which is rethrown here. Throws StoreError when the batch's commit fails.
  template <typename F>
  WriteStatus run(F&& work) {
    using Fn = std::remove_reference_t<F>;
    Op op;
    op.ctx = &work;
    op.fn = [](void* ctx, Db& db) -> WriteStatus {
      return (*static_cast<Fn*>(ctx))(db);
    };
    submit(op);
    if (op.error) {
      std::rethrow_exception(op.error);
    }
    return op.status;
  }

  // Writes waiting for the next batch, and batches committed (or failed) so far: observability,
  // and what lets a test line several writes up behind one parked batch.
  size_t queued() const;
  uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
  uint64_t checkpoints() const { return checkpointer_->checkpoints(); }

 private:
  // Lives on the caller's stack for the duration of run(), so a write allocates nothing here.
  struct Op {
    WriteStatus (*fn)(void*, Db&) = nullptr;
    void* ctx = nullptr;
    WriteStatus status = WriteStatus::Ok;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable cv;
  };

  void submit(Op& op);
  void loop();
  void run_batch(const std::vector<Op*>& batch);
  void catch_up();

  std::unique_ptr<Db> db_;
  std::unique_ptr<Checkpointer> checkpointer_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Op*> queue_;
  bool stopping_ = false;
  std::atomic<uint64_t> batches_{0};
  std::thread thread_;
};

}  // namespace signoff::store::sqlite
