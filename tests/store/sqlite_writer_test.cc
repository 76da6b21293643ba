// White-box tests of the SQLite writer's group commit: a write parked on the writer thread lets
// the others queue up, so one batch holding them all is certain rather than likely.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "store/sqlite/connection.h"
#include "store/sqlite/writer.h"

namespace signoff::store::sqlite {
namespace {

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/signoff-writer-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto db = std::make_unique<Db>(dir_ + "/w.db", Db::Role::Writer);
    db->exec_script("CREATE TABLE t (k TEXT PRIMARY KEY) STRICT");
    writer_ = std::make_unique<Writer>(std::move(db), dir_ + "/w.db");
    reader_ = std::make_unique<Db>(dir_ + "/w.db", Db::Role::Reader);
  }
  void TearDown() override {
    writer_.reset();
    reader_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  bool has(std::string_view k) {
    Query q(*reader_, "SELECT 1 FROM t WHERE k = ?1");
    q.bind(k);
    return q.step();
  }

  // Runs `first` on the writer thread and holds it there until `queued` further writes wait
  // behind it; those then make up the next batch.
  template <typename F>
  std::thread park_writer(F first, size_t queued, std::latch& release) {
    // Shared: the writer thread may still be inside count_down() when this returns.
    auto parked = std::make_shared<std::latch>(1);
    std::thread t([this, first, parked, &release] {
      writer_->run([&](Db& db) {
        parked->count_down();
        release.wait();
        return first(db);
      });
    });
    parked->wait();
    waiting_for_ = queued;
    return t;
  }
  void wait_until_queued() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (writer_->queued() < waiting_for_ && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(writer_->queued(), waiting_for_);
  }

  static WriteStatus insert(Db& db, std::string_view k) {
    Query(db, "INSERT INTO t (k) VALUES (?1)").bind(k).exec();
    return WriteStatus::Ok;
  }

  std::string dir_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<Db> reader_;
  size_t waiting_for_ = 0;
};

TEST_F(WriterTest, FailingWritesRollBackAloneInsideOneBatch) {
  std::latch release(1);
  std::thread a = park_writer([](Db& db) { return insert(db, "a"); }, 4, release);
  const uint64_t before = writer_->batches();

  WriteStatus b = WriteStatus::NotFound, c = WriteStatus::Ok, e = WriteStatus::NotFound;
  bool d_threw = false;
  std::thread tb([&] { b = writer_->run([](Db& db) { return insert(db, "b"); }); });
  std::thread tc([&] {
    c = writer_->run([](Db& db) {
      insert(db, "c");
      return WriteStatus::ConditionFailed;
    });
  });
  std::thread td([&] {
    try {
      writer_->run([](Db& db) -> WriteStatus {
        insert(db, "d");
        throw std::runtime_error("boom");
      });
    } catch (const std::runtime_error& x) {
      d_threw = std::string(x.what()) == "boom";
    }
  });
  std::thread te([&] { e = writer_->run([](Db& db) { return insert(db, "e"); }); });
  wait_until_queued();
  release.count_down();
  for (std::thread* t : {&a, &tb, &tc, &td, &te}) {
    t->join();
  }

  EXPECT_EQ(writer_->batches() - before, 2u);  // a's batch, then b..e together
  EXPECT_EQ(b, WriteStatus::Ok);
  EXPECT_EQ(c, WriteStatus::ConditionFailed);
  EXPECT_TRUE(d_threw);
  EXPECT_EQ(e, WriteStatus::Ok);
  EXPECT_TRUE(has("a"));
  EXPECT_TRUE(has("b"));
  EXPECT_FALSE(has("c"));
  EXPECT_FALSE(has("d"));
  EXPECT_TRUE(has("e"));
}

// A write that ends the shared transaction (as SQLite itself does on disk full or I/O errors)
// takes the batch's other writes with it: every caller of the batch must hear StoreError, none
// may believe its write committed, and the writer keeps serving afterwards. Both ways the loss
// can surface are covered: the write reports Ok (the savepoint release fails) or a failed
// condition (the rollback finds no transaction).
TEST_F(WriterTest, ALostTransactionFailsEveryWriteOfTheBatch) {
  for (bool status_says_failed : {false, true}) {
    SCOPED_TRACE(status_says_failed ? "lost, reported as a failed condition" : "lost, Ok");
    std::latch release(1);
    std::thread a = park_writer([](Db& db) { return insert(db, "first"); }, 2, release);
    bool b_threw = false, c_threw = false;
    std::string prefix = status_says_failed ? "x" : "y";
    std::thread tb([&] {
      try {
        writer_->run([&](Db& db) { return insert(db, prefix + "b"); });
      } catch (const StoreError&) {
        b_threw = true;
      }
    });
    std::thread tc([&] {
      try {
        writer_->run([&](Db& db) {
          db.exec_script("ROLLBACK");
          return status_says_failed ? WriteStatus::ConditionFailed : WriteStatus::Ok;
        });
      } catch (const StoreError&) {
        c_threw = true;
      }
    });
    wait_until_queued();
    release.count_down();
    for (std::thread* t : {&a, &tb, &tc}) {
      t->join();
    }
    EXPECT_TRUE(b_threw);
    EXPECT_TRUE(c_threw);
    EXPECT_FALSE(has(prefix + "b"));
    EXPECT_EQ(writer_->run([&](Db& db) { return insert(db, prefix + "after"); }), WriteStatus::Ok);
    EXPECT_TRUE(has(prefix + "after"));
    // "first" committed in its own batch; the next round inserts it again.
    writer_->run([](Db& db) {
      Query(db, "DELETE FROM t WHERE k = 'first'").exec();
      return WriteStatus::Ok;
    });
  }
}

TEST_F(WriterTest, CheckpointsRunOffTheCommitPathAndTheWalStartsOver) {
  // ~4 KiB rows: each commit adds a few WAL pages, so 3,000 commits pass the threshold.
  std::string pad(4000, 'x');
  for (int i = 0; i < 3000; ++i) {
    std::string k = std::to_string(i) + pad;
    ASSERT_EQ(writer_->run([&](Db& db) { return insert(db, k); }), WriteStatus::Ok);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (writer_->checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(writer_->checkpoints(), 0u);
  // A pause lets the writer finish the checkpoint; the next write then starts the WAL over, and
  // journal_size_limit cuts the file back (without checkpoints it would hold every page, > 24 MB).
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(writer_->run([&](Db& db) { return insert(db, "after"); }), WriteStatus::Ok);
  auto wal = std::filesystem::file_size(dir_ + "/w.db-wal");
  EXPECT_LE(wal, 16u * 1024 * 1024 + 64 * 1024) << wal;
  EXPECT_TRUE(has("2999" + pad));
  EXPECT_TRUE(has("after"));
}

}  // namespace
}  // namespace signoff::store::sqlite
