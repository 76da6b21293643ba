#include <atomic>
#include <latch>
#include <thread>

#include "store_contract.h"

namespace signoff::store::testing {
namespace {

const std::string kMachine = machine_arn("orders");

// Increments the shared execution's version by one transition, retrying when another thread
// moved it first: the optimistic-concurrency loop the engine runs.
int increment(Store& s, const std::string& arn) {
  int conflicts = 0;
  for (;;) {
    auto row = s.get_execution(arn);
    if (!row) {
      ADD_FAILURE() << "shared execution vanished";
      return conflicts;
    }
    WriteStatus st = s.apply(step_write(arn, row->version, row->last_event_id, 1));
    if (st == WriteStatus::Ok) {
      return conflicts;
    }
    EXPECT_EQ(st, WriteStatus::ConditionFailed);
    ++conflicts;
  }
}

void expect_execution_consistent(Store& s, const std::string& arn, int64_t version,
                                 int64_t last_event_id) {
  auto row = s.get_execution(arn);
  ASSERT_TRUE(row) << arn;
  EXPECT_EQ(row->version, version) << arn;
  EXPECT_EQ(row->last_event_id, last_event_id) << arn;
  auto events = s.history(arn, false, 0, 0);
  ASSERT_EQ(events.size(), static_cast<size_t>(last_event_id)) << arn;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, static_cast<int64_t>(i + 1)) << arn;
  }
  EXPECT_EQ(s.journal(arn).size(), static_cast<size_t>(version)) << arn;
  auto jobs = s.jobs_by_owner(arn);
  ASSERT_EQ(jobs.size(), 1u) << arn;
  EXPECT_EQ(jobs[0].id, arn + "/job" + std::to_string(version));
}

TEST_P(StoreContract, SixteenThreadsApplyingConcurrently) {
  Store& s = open();
  constexpr int kThreads = 16;
  constexpr int kPerThread = 12;
  constexpr int kIncrements = 8;
  const std::string shared = execution(kMachine, "shared", 0).arn;
  ASSERT_EQ(s.apply(start_write(execution(kMachine, "shared", 0), 1)), WriteStatus::Ok);

  std::atomic<bool> writers_done{false};
  std::atomic<int> reader_failures{0};
  std::thread reader([&] {
    // Reads run beside the writer and only ever see committed, monotonically newer versions.
    int64_t last = 0;
    while (!writers_done.load()) {
      auto row = s.get_execution(shared);
      if (!row || row->version < last) {
        ++reader_failures;
      }
      last = row ? row->version : last;
      if (row && s.history(shared, false, 0, 0).size() < static_cast<size_t>(row->last_event_id)) {
        ++reader_failures;
      }
    }
  });

  std::latch go(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      go.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        ExecutionRecord e =
            execution(kMachine, "t" + std::to_string(t) + "-" + std::to_string(i), t * 100 + i);
        bool ok = s.apply(start_write(e, 4)) == WriteStatus::Ok;
        for (int v = 1; v <= 3; ++v) {
          ok = ok && s.apply(step_write(e.arn, v, 4 + 2 * (v - 1), 2)) == WriteStatus::Ok;
        }
        if (!ok) {
          ++failures;
        }
        if (i < kIncrements) {
          increment(s, shared);
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  writers_done = true;
  reader.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(reader_failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      expect_execution_consistent(
          s, execution(kMachine, "t" + std::to_string(t) + "-" + std::to_string(i), 0).arn, 4, 10);
    }
  }
  expect_execution_consistent(s, shared, 1 + kThreads * kIncrements, 1 + kThreads * kIncrements);
  EXPECT_EQ(s.list_executions({kMachine, ""}, "", 0).items.size(),
            static_cast<size_t>(kThreads * kPerThread + 1));
}

TEST_P(StoreContract, FailingWritesInAGroupCommitRollBackAloneAndSiblingsCommit) {
  Store& s = open();
  constexpr int kThreads = 16;
  constexpr int kRounds = 10;
  std::vector<std::string> arns;
  for (int t = 0; t < kThreads; ++t) {
    ExecutionRecord e = execution(kMachine, "g" + std::to_string(t), t);
    arns.push_back(e.arn);
    ASSERT_EQ(s.apply(start_write(e, 1)), WriteStatus::Ok);
  }
  // Per thread kind: 0 succeeds, 1 has a stale version, 2 targets a missing execution, 3
  // re-inserts a taken ARN. All start together, so most rounds share one transaction.
  std::atomic<int> wrong_status{0};
  for (int round = 0; round < kRounds; ++round) {
    std::latch go(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t, round] {
        TransitionWrite w;
        WriteStatus want = WriteStatus::Ok;
        switch (t % 4) {
          case 0:
            w = step_write(arns[t], 1 + round, 1 + round, 1);
            break;
          case 1:
            w = step_write(arns[t], 100, 1 + round, 1);
            want = WriteStatus::ConditionFailed;
            break;
          case 2:
            w = step_write(arns[t] + "-missing", 1, 1, 1);
            want = WriteStatus::NotFound;
            break;
          default:
            w = start_write(execution(kMachine, "g" + std::to_string(t), t), 2);
            w.events.erase(w.events.begin());
            want = WriteStatus::AlreadyExists;
            break;
        }
        go.arrive_and_wait();
        if (s.apply(w) != want) {
          ++wrong_status;
        }
      });
    }
    for (auto& th : threads) {
      th.join();
    }
  }
  EXPECT_EQ(wrong_status.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    int64_t version = t % 4 == 0 ? 1 + kRounds : 1;
    expect_execution_consistent(s, arns[t], version, version);
    EXPECT_FALSE(s.get_execution(arns[t] + "-missing"));
  }
}

}  // namespace
}  // namespace signoff::store::testing
