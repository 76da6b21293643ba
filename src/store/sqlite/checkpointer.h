// WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside the COMMIT that
// pushes the WAL past its threshold: that one commit copies ~1,000 pages into the database and
// fsyncs it, and the caller waiting on it sees several times the usual latency — about one commit
// in a hundred, which is the whole p99. Here the writer's WAL hook only signals a thread with its
// own connection, which runs a PASSIVE checkpoint (never blocking the writer or readers): it copies
// the bulk of the WAL and pays the large fsync of the database file. The WAL can start over only
// once a checkpoint has copied every frame while no write is in progress, which a background
// thread racing a busy writer almost never manages; so after each background pass the writer
// itself finishes the job with a second PASSIVE checkpoint that copies the few frames written
// since. That pass still fsyncs the database file (a few ms), during which no commit can run, so
// the writer waits for a pause in the writes (kIdleBeforeCatchUp without one) and only forces it
// when the WAL has grown to kForcePages meanwhile. Its next transaction then starts the WAL over
// from the first page: the file stays bounded and its fsyncs stay in place.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace signoff::store::sqlite {

class Db;

class Checkpointer {
 public:
  // Takes over checkpointing for `writer` (a connection in WAL mode on `path`): installs its WAL
  // hook, which disables SQLite's automatic checkpoint on that connection.
  Checkpointer(sqlite3* writer, const std::string& path);
  // Stops the thread after any checkpoint in progress; the writer must not commit afterwards.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Background checkpoints completed (observability; tests).
  uint64_t checkpoints() const;
  enum class CatchUp { None, WhenIdle, Now };
  // What the writer should do about the last background checkpoint (see above).
  CatchUp catch_up() const;
  // The writer ran its catch-up pass.
  void caught_up();

  // The WAL growth, in pages, that asks for a background checkpoint (SQLite's default threshold).
  // Larger WALs were measured slower for everyone: the file keeps growing instead of being
  // overwritten in place, and reads search more frames.
  static constexpr int kThresholdPages = 1000;
  // WAL size at which the writer stops waiting for a pause to finish a checkpoint. Measured with
  // tools/bench_sfn_vs_moto.py against 2x and 4x: 3x keeps StartExecution's tail near SQLite's
  // own inline checkpoints while moving most of their work off the SendTaskSuccess path.
  static constexpr int kForcePages = 3 * kThresholdPages;
  // Far past the threshold the checkpoint thread is not keeping up (a long reader pins the WAL):
  // the writer then checkpoints inline, as SQLite would, so the file cannot grow without bound.
  static constexpr int kInlinePages = 64 * kThresholdPages;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void loop();

  sqlite3* writer_;
  std::unique_ptr<Db> db_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  uint64_t checkpoints_ = 0;
  bool catch_up_ = false;
  bool force_ = false;
  int last_request_pages_ = 0;  // WAL size at the last request; the writer thread's only
  std::thread thread_;
};

}  // namespace signoff::store::sqlite
