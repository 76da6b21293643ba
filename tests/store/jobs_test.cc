#include <atomic>
#include <thread>

#include "store_contract.h"

namespace signoff::store::testing {
namespace {

JobRecord job(const std::string& id, const std::string& kind, const std::string& owner,
              int64_t due) {
  return JobRecord{id, kind, owner, due, R"({"id":")" + id + "\"}", 0, ""};
}

std::vector<std::string> ids(const std::vector<JobRecord>& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs) {
    out.push_back(j.id);
  }
  return out;
}

TEST_P(StoreContract, PutGetReplaceAndDeleteJob) {
  Store& s = open();
  EXPECT_FALSE(s.get_job("j1"));
  s.put_job(job("j1", "timer", "o1", 50));
  auto got = s.get_job("j1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->kind, "timer");
  EXPECT_EQ(got->owner, "o1");
  EXPECT_EQ(got->due_ms, 50);
  EXPECT_EQ(got->payload, R"({"id":"j1"})");
  EXPECT_EQ(got->attempts, 0);
  EXPECT_EQ(got->claimed_by, "");

  JobRecord replaced{"j1", "mail", "o2", 70, "{}", 4, "someone"};
  s.put_job(replaced);
  got = s.get_job("j1");
  EXPECT_EQ(got->kind, "mail");
  EXPECT_EQ(got->owner, "o2");
  EXPECT_EQ(got->due_ms, 70);
  EXPECT_EQ(got->payload, "{}");
  EXPECT_EQ(got->attempts, 4);
  EXPECT_EQ(got->claimed_by, "someone");
  EXPECT_TRUE(s.jobs_by_owner("o1").empty());

  EXPECT_EQ(s.delete_job("j1"), WriteStatus::Ok);
  EXPECT_FALSE(s.get_job("j1"));
  EXPECT_EQ(s.delete_job("j1"), WriteStatus::NotFound);
}

TEST_P(StoreContract, ClaimJob) {
  Store& s = open();
  s.put_job(job("j1", "activity", "o", 0));
  EXPECT_EQ(s.claim_job("j1", "worker-a"), WriteStatus::Ok);
  EXPECT_EQ(s.get_job("j1")->claimed_by, "worker-a");
  EXPECT_EQ(s.get_job("j1")->attempts, 1);
  // The same claimer again (a retried request) succeeds and counts.
  EXPECT_EQ(s.claim_job("j1", "worker-a"), WriteStatus::Ok);
  EXPECT_EQ(s.get_job("j1")->attempts, 2);
  EXPECT_EQ(s.claim_job("j1", "worker-b"), WriteStatus::ConditionFailed);
  EXPECT_EQ(s.get_job("j1")->claimed_by, "worker-a");
  EXPECT_EQ(s.get_job("j1")->attempts, 2);
  EXPECT_EQ(s.claim_job("missing", "worker-a"), WriteStatus::NotFound);

  // Releasing (put with claimed_by "") lets another worker claim it.
  JobRecord released = *s.get_job("j1");
  released.claimed_by = "";
  s.put_job(released);
  EXPECT_EQ(s.claim_job("j1", "worker-b"), WriteStatus::Ok);
  EXPECT_EQ(s.get_job("j1")->attempts, 3);
}

TEST_P(StoreContract, ConcurrentClaimsHaveOneWinner) {
  Store& s = open();
  s.put_job(job("j1", "activity", "o", 0));
  std::vector<std::thread> threads;
  std::atomic<int> winners{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (s.claim_job("j1", "w" + std::to_string(i)) == WriteStatus::Ok) {
        ++winners;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(s.get_job("j1")->attempts, 1);
}

TEST_P(StoreContract, JobsByOwnerAndKindOrderedByDueThenId) {
  Store& s = open();
  s.put_job(job("c", "timer", "o1", 30));
  s.put_job(job("a", "timer", "o1", 30));
  s.put_job(job("b", "task", "o1", 10));
  s.put_job(job("d", "timer", "o2", 5));
  s.put_job(job("e", "mail", "", 0));
  EXPECT_EQ(ids(s.jobs_by_owner("o1")), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(ids(s.jobs_by_owner("o2")), (std::vector<std::string>{"d"}));
  EXPECT_EQ(ids(s.jobs_by_owner("")), (std::vector<std::string>{"e"}));
  EXPECT_TRUE(s.jobs_by_owner("o3").empty());
  EXPECT_EQ(ids(s.jobs_by_kind("timer")), (std::vector<std::string>{"d", "a", "c"}));
  EXPECT_EQ(ids(s.jobs_by_kind("task")), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(s.jobs_by_kind("none").empty());
  EXPECT_EQ(s.jobs_by_kind("timer")[0].owner, "o2");
}

}  // namespace
}  // namespace signoff::store::testing
