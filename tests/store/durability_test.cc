// Reopen, the single-server lock, failing databases and a SIGKILL in the middle of writes.
#include <cstdint>
#include <fstream>
#include <map>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store_contract.h"

namespace signoff::store::testing {
namespace {

const std::string kMachine = machine_arn("orders");

TEST_P(StoreContract, ReopenShowsEverythingCommitted) {
  {
    Store& s = open();
    ASSERT_EQ(s.create_state_machine(machine("orders")), WriteStatus::Ok);
    ASSERT_EQ(s.create_activity(ActivityRecord{"arn:act", "act", 5}), WriteStatus::Ok);
    s.set_tags(kMachine, {{"k", "v"}});
    EXPECT_EQ(s.put_meta_if_absent("key", "secret"), "secret");
    s.put_job(JobRecord{"loose", "mail", "", 1, "{}", 0, ""});
    ExecutionRecord e = execution(kMachine, "run1", 10);
    ASSERT_EQ(s.apply(start_write(e, 4)), WriteStatus::Ok);
    ASSERT_EQ(s.apply(step_write(e.arn, 1, 4, 2, "SUCCEEDED")), WriteStatus::Ok);
    close_store();
  }
  Store& s = open();
  EXPECT_EQ(s.get_state_machine(kMachine)->definition, machine("orders").definition);
  EXPECT_TRUE(s.get_revision(kMachine, "orders-r1"));
  EXPECT_EQ(s.get_activity("arn:act")->name, "act");
  EXPECT_EQ(s.tags(kMachine).size(), 1u);
  EXPECT_EQ(s.get_meta("key"), "secret");
  EXPECT_EQ(s.put_meta_if_absent("key", "other"), "secret");
  EXPECT_TRUE(s.get_job("loose"));
  const std::string arn = execution(kMachine, "run1", 0).arn;
  auto e = s.get_execution(arn);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, "SUCCEEDED");
  EXPECT_EQ(e->version, 2);
  EXPECT_EQ(s.history(arn, false, 0, 0).size(), 6u);
  EXPECT_EQ(s.journal(arn).size(), 2u);
  EXPECT_TRUE(s.running_executions().empty());
}

TEST_P(StoreContract, ASecondOpenOfTheSameDirectoryIsRefused) {
  Store& s = open();
  ASSERT_EQ(s.create_activity(ActivityRecord{"arn:act", "act", 5}), WriteStatus::Ok);
  try {
    StorePtr second = GetParam().open(dir());
    FAIL() << "second open succeeded";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("already in use"), std::string::npos) << e.what();
  }
  // The refused open did not disturb the first.
  EXPECT_TRUE(s.get_activity("arn:act"));
  close_store();
  Store& again = open();
  EXPECT_TRUE(again.get_activity("arn:act"));
}

TEST_P(StoreContract, OpeningSomethingThatIsNotADatabaseThrowsStoreError) {
  std::ofstream(dir() + "/signoff.db") << "this is not an sqlite database, not even close....";
  EXPECT_THROW(GetParam().open(dir()), StoreError);
}

TEST_P(StoreContract, OpeningAnUncreatableDirectoryThrowsStoreError) {
  std::ofstream(dir() + "/file") << "x";
  EXPECT_THROW(GetParam().open(dir() + "/file/sub"), StoreError);
}

// --- crash durability ----------------------------------------------------------------------

struct Ack {
  uint32_t execution;  // index of the execution
  uint32_t version;    // the version just committed
};

std::string crash_name(uint32_t n) {
  return "crash" + std::to_string(n);
}

// The child: several threads start executions and advance each one three transitions,
// acknowledging every committed write. Never returns.
[[noreturn]] void write_until_killed(const Backend& backend, const std::string& dir, int ack_fd) {
  int code = 0;
  try {
    StorePtr store = backend.open(dir);
    std::vector<std::thread> threads;
    for (uint32_t t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (uint32_t i = 0;; ++i) {
          uint32_t n = t * 1000000 + i;
          ExecutionRecord e = execution(kMachine, crash_name(n), n);
          if (store->apply(start_write(e, 4)) != WriteStatus::Ok) {
            _exit(3);
          }
          Ack ack{n, 1};
          if (write(ack_fd, &ack, sizeof ack) != sizeof ack) {
            _exit(4);
          }
          for (uint32_t v = 1; v <= 3; ++v) {
            if (store->apply(step_write(e.arn, v, 4 + 2 * (v - 1), 2)) != WriteStatus::Ok) {
              _exit(3);
            }
            ack = Ack{n, v + 1};
            if (write(ack_fd, &ack, sizeof ack) != sizeof ack) {
              _exit(4);
            }
          }
        }
      });
    }
    for (auto& th : threads) {
      th.join();
    }
  } catch (...) {
    code = 2;
  }
  _exit(code);
}

bool read_ack(int fd, Ack& ack) {
  auto* p = reinterpret_cast<char*>(&ack);
  size_t got = 0;
  while (got < sizeof ack) {
    ssize_t n = read(fd, p + got, sizeof ack - got);
    if (n <= 0) {
      return false;
    }
    got += static_cast<size_t>(n);
  }
  return true;
}

TEST_P(StoreContract, EveryAcknowledgedWriteSurvivesSigkill) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    write_until_killed(GetParam(), dir(), fds[1]);
  }
  close(fds[1]);
  std::map<uint32_t, uint32_t> acked;  // execution -> highest acknowledged version
  Ack ack{};
  size_t count = 0;
  while (count < 400 && read_ack(fds[0], ack)) {
    acked[ack.execution] = std::max(acked[ack.execution], ack.version);
    ++count;
  }
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  // Acks already in the pipe were sent after their commit: they count too.
  while (read_ack(fds[0], ack)) {
    acked[ack.execution] = std::max(acked[ack.execution], ack.version);
    ++count;
  }
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
  ASSERT_GE(count, 400u);

  Store& s = open();
  for (const auto& [n, version] : acked) {
    auto row = s.get_execution(execution(kMachine, crash_name(n), 0).arn);
    ASSERT_TRUE(row) << crash_name(n);
    EXPECT_GE(row->version, version) << crash_name(n);
  }
  // Whatever did commit, acknowledged or not, is whole: row, events, journal and jobs agree.
  auto all = s.list_executions({kMachine, ""}, "", 0).items;
  EXPECT_GE(all.size(), acked.size());
  for (const ExecutionRecord& e : all) {
    ASSERT_GE(e.version, 1) << e.arn;
    ASSERT_LE(e.version, 4) << e.arn;
    EXPECT_EQ(e.last_event_id, 4 + 2 * (e.version - 1)) << e.arn;
    auto events = s.history(e.arn, false, 0, 0);
    ASSERT_EQ(events.size(), static_cast<size_t>(e.last_event_id)) << e.arn;
    EXPECT_EQ(events.back().id, e.last_event_id) << e.arn;
    EXPECT_EQ(s.journal(e.arn).size(), static_cast<size_t>(e.version)) << e.arn;
    auto jobs = s.jobs_by_owner(e.arn);
    ASSERT_EQ(jobs.size(), 1u) << e.arn;
    EXPECT_EQ(jobs[0].id, e.arn + "/job" + std::to_string(e.version));
  }
  // The store is writable after the crash.
  EXPECT_EQ(s.apply(start_write(execution(kMachine, "after-crash", 1), 1)), WriteStatus::Ok);
}

}  // namespace
}  // namespace signoff::store::testing
