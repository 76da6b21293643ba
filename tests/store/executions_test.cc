#include "store_contract.h"

namespace signoff::store::testing {
namespace {

std::vector<int64_t> ids(const std::vector<HistoryEventRecord>& events) {
  std::vector<int64_t> out;
  for (const auto& e : events) {
    out.push_back(e.id);
  }
  return out;
}

std::vector<std::string> names(const std::vector<ExecutionRecord>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    out.push_back(r.name);
  }
  return out;
}

std::vector<std::string> job_ids(const std::vector<JobRecord>& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs) {
    out.push_back(j.id);
  }
  return out;
}

// Everything apply() may write for `arn`, to compare before and after a failed write.
struct Snapshot {
  std::optional<ExecutionRecord> row;
  std::vector<int64_t> events;
  std::vector<JournalRecord> journal;
  std::vector<std::string> jobs;
};

Snapshot snapshot(Store& s, const std::string& arn) {
  Snapshot snap{s.get_execution(arn), ids(s.history(arn, false, 0, 0)), s.journal(arn),
                job_ids(s.jobs_by_owner(arn))};
  return snap;
}

void expect_unchanged(const Snapshot& a, const Snapshot& b) {
  ASSERT_EQ(a.row.has_value(), b.row.has_value());
  if (a.row) {
    EXPECT_EQ(a.row->version, b.row->version);
    EXPECT_EQ(a.row->status, b.row->status);
    EXPECT_EQ(a.row->last_event_id, b.row->last_event_id);
  }
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.journal.size(), b.journal.size());
  EXPECT_EQ(a.jobs, b.jobs);
}

const std::string kMachine = machine_arn("orders");

TEST_P(StoreContract, ApplyInsertWritesEverything) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1234);
  e.status = "RUNNING";
  ASSERT_EQ(s.apply(start_write(e, 4)), WriteStatus::Ok);

  auto got = s.get_execution(e.arn);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->arn, e.arn);
  EXPECT_EQ(got->state_machine_arn, kMachine);
  EXPECT_EQ(got->revision_id, e.revision_id);
  EXPECT_EQ(got->name, "run1");
  EXPECT_EQ(got->status, "RUNNING");
  EXPECT_EQ(got->input, e.input);
  EXPECT_EQ(got->output, "");
  EXPECT_EQ(got->start_date_ms, 1234);
  EXPECT_EQ(got->stop_date_ms, 0);
  EXPECT_EQ(got->last_event_id, 4);
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->parent, e.parent);
  EXPECT_EQ(got->trace_header, e.trace_header);

  auto events = s.history(e.arn, false, 0, 0);
  ASSERT_EQ(ids(events), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(events[0].type, "ExecutionStarted");
  EXPECT_EQ(events[0].timestamp_ms, 5001);
  EXPECT_EQ(events[2].json, R"({"id":3})");
  ASSERT_EQ(s.journal(e.arn).size(), 1u);
  EXPECT_EQ(s.journal(e.arn)[0].json, R"({"start":true})");
  auto job = s.get_job(e.arn + "/job1");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->owner, e.arn);
  EXPECT_FALSE(s.get_execution(e.arn + "x"));
}

TEST_P(StoreContract, ApplyInsertOfATakenArnIsAlreadyExistsAndWritesNothing) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 1)), WriteStatus::Ok);
  Snapshot before = snapshot(s, e.arn);
  TransitionWrite again = start_write(e, 3);
  again.events.erase(again.events.begin());  // ids 2, 3: would not collide on their own
  again.jobs_to_put[0].id = e.arn + "/other";
  again.jobs_to_put[0].owner = e.arn;
  EXPECT_EQ(s.apply(again), WriteStatus::AlreadyExists);
  expect_unchanged(before, snapshot(s, e.arn));
  EXPECT_FALSE(s.get_job(e.arn + "/other"));
}

TEST_P(StoreContract, ApplyUpdateReplacesOnlyTheTransitionFields) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 4)), WriteStatus::Ok);
  TransitionWrite w = step_write(e.arn, 1, 4, 2, "SUCCEEDED");
  w.update.error = "err";
  w.update.cause = "cause";
  // Not transition fields: must not move.
  w.update.name = "renamed";
  w.update.input = "{}";
  w.update.start_date_ms = 77;
  w.update.state_machine_arn = "x";
  ASSERT_EQ(s.apply(w), WriteStatus::Ok);

  auto got = s.get_execution(e.arn);
  EXPECT_EQ(got->status, "SUCCEEDED");
  EXPECT_EQ(got->output, R"({"done":true})");
  EXPECT_EQ(got->error, "err");
  EXPECT_EQ(got->cause, "cause");
  EXPECT_EQ(got->stop_date_ms, 9000);
  EXPECT_EQ(got->last_event_id, 6);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->name, "run1");
  EXPECT_EQ(got->input, e.input);
  EXPECT_EQ(got->start_date_ms, 1);
  EXPECT_EQ(got->state_machine_arn, kMachine);
  EXPECT_EQ(got->parent, e.parent);
  EXPECT_EQ(ids(s.history(e.arn, false, 0, 0)), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(s.journal(e.arn).size(), 2u);
  // job1 consumed, job2 created.
  EXPECT_EQ(job_ids(s.jobs_by_owner(e.arn)), (std::vector{e.arn + "/job2"}));
}

TEST_P(StoreContract, ApplyUpdateWithStaleVersionIsConditionFailedAndWritesNothing) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 4)), WriteStatus::Ok);
  ASSERT_EQ(s.apply(step_write(e.arn, 1, 4, 2)), WriteStatus::Ok);
  Snapshot before = snapshot(s, e.arn);
  TransitionWrite stale = step_write(e.arn, 1, 6, 2);  // fresh event ids, old version
  stale.jobs_to_put[0].id = e.arn + "/fresh";
  stale.jobs_to_delete = {e.arn + "/job2"};
  stale.journal->seq = 50;
  EXPECT_EQ(s.apply(stale), WriteStatus::ConditionFailed);
  expect_unchanged(before, snapshot(s, e.arn));
  EXPECT_TRUE(s.get_job(e.arn + "/job2"));
  EXPECT_FALSE(s.get_job(e.arn + "/fresh"));
}

TEST_P(StoreContract, ApplyUpdateOfAMissingExecutionIsNotFoundAndWritesNothing) {
  Store& s = open();
  const std::string arn = execution(kMachine, "ghost", 1).arn;
  EXPECT_EQ(s.apply(step_write(arn, 1, 0, 2)), WriteStatus::NotFound);
  EXPECT_FALSE(s.get_execution(arn));
  EXPECT_TRUE(s.history(arn, false, 0, 0).empty());
  EXPECT_TRUE(s.journal(arn).empty());
  EXPECT_TRUE(s.jobs_by_owner(arn).empty());
}

TEST_P(StoreContract, ApplyWithADuplicateEventIdRollsBackTheWholeWrite) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 4)), WriteStatus::Ok);
  Snapshot before = snapshot(s, e.arn);
  // Version matches, first event is new, the second collides with event 4.
  TransitionWrite w = step_write(e.arn, 1, 4, 1);
  w.events.push_back(HistoryEventRecord{4, 1, "Dup", "{}"});
  EXPECT_EQ(s.apply(w), WriteStatus::ConditionFailed);
  expect_unchanged(before, snapshot(s, e.arn));
  EXPECT_EQ(s.history(e.arn, false, 0, 0)[3].type, "PassStateEntered");

  // A duplicate inside one write fails the same way.
  TransitionWrite twice = step_write(e.arn, 1, 4, 1);
  twice.events.push_back(twice.events.back());
  EXPECT_EQ(s.apply(twice), WriteStatus::ConditionFailed);
  expect_unchanged(before, snapshot(s, e.arn));

  // And an insert whose events collide does not leave the row behind.
  ExecutionRecord e2 = execution(kMachine, "run2", 2);
  TransitionWrite start = start_write(e2, 2);
  start.events.push_back(start.events.front());
  EXPECT_EQ(s.apply(start), WriteStatus::ConditionFailed);
  EXPECT_FALSE(s.get_execution(e2.arn));
  EXPECT_TRUE(s.history(e2.arn, false, 0, 0).empty());
  EXPECT_TRUE(s.jobs_by_owner(e2.arn).empty());
}

TEST_P(StoreContract, ApplyWithADuplicateJournalSeqIsConditionFailed) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 1)), WriteStatus::Ok);
  Snapshot before = snapshot(s, e.arn);
  TransitionWrite w = step_write(e.arn, 1, 1, 1);
  w.journal->seq = 1;
  EXPECT_EQ(s.apply(w), WriteStatus::ConditionFailed);
  expect_unchanged(before, snapshot(s, e.arn));
}

TEST_P(StoreContract, ApplyWithoutJournalOrJobsAndDeletingUnknownJobs) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  TransitionWrite w;
  w.insert = e;
  ASSERT_EQ(s.apply(w), WriteStatus::Ok);
  TransitionWrite u;
  u.execution_arn = e.arn;
  u.expected_version = 1;
  u.update.status = "RUNNING";
  u.update.version = 2;
  u.jobs_to_delete = {"never-existed"};
  EXPECT_EQ(s.apply(u), WriteStatus::Ok);
  EXPECT_EQ(s.get_execution(e.arn)->version, 2);
  EXPECT_TRUE(s.journal(e.arn).empty());
}

TEST_P(StoreContract, ApplyPutReplacesAJobById) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 1)), WriteStatus::Ok);
  TransitionWrite w = step_write(e.arn, 1, 1, 1);
  w.jobs_to_delete.clear();
  w.jobs_to_put[0] = JobRecord{e.arn + "/job1", "task", e.arn, 42, R"({"replaced":1})", 3, "w1"};
  ASSERT_EQ(s.apply(w), WriteStatus::Ok);
  auto job = s.get_job(e.arn + "/job1");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->kind, "task");
  EXPECT_EQ(job->due_ms, 42);
  EXPECT_EQ(job->payload, R"({"replaced":1})");
  EXPECT_EQ(job->attempts, 3);
  EXPECT_EQ(job->claimed_by, "w1");
  EXPECT_EQ(s.jobs_by_owner(e.arn).size(), 1u);
}

TEST_P(StoreContract, HistoryForwardAndBackwardPages) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 4)), WriteStatus::Ok);
  ASSERT_EQ(s.apply(step_write(e.arn, 1, 4, 3)), WriteStatus::Ok);
  ASSERT_EQ(s.apply(step_write(e.arn, 2, 7, 3)), WriteStatus::Ok);  // events 1..10

  EXPECT_EQ(ids(s.history(e.arn, false, 0, 0)).size(), 10u);
  EXPECT_EQ(ids(s.history(e.arn, false, 0, 3)), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(ids(s.history(e.arn, false, 3, 3)), (std::vector<int64_t>{4, 5, 6}));
  EXPECT_EQ(ids(s.history(e.arn, false, 8, 3)), (std::vector<int64_t>{9, 10}));
  EXPECT_TRUE(s.history(e.arn, false, 10, 3).empty());
  EXPECT_EQ(ids(s.history(e.arn, true, 0, 3)), (std::vector<int64_t>{10, 9, 8}));
  EXPECT_EQ(ids(s.history(e.arn, true, 8, 3)), (std::vector<int64_t>{7, 6, 5}));
  EXPECT_EQ(ids(s.history(e.arn, true, 3, 0)), (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(s.history(e.arn, true, 1, 5).empty());
  EXPECT_TRUE(s.history("other", false, 0, 0).empty());
}

TEST_P(StoreContract, JournalInSeqOrder) {
  Store& s = open();
  ExecutionRecord e = execution(kMachine, "run1", 1);
  ASSERT_EQ(s.apply(start_write(e, 1)), WriteStatus::Ok);
  ASSERT_EQ(s.apply(step_write(e.arn, 1, 1, 1)), WriteStatus::Ok);
  ASSERT_EQ(s.apply(step_write(e.arn, 2, 2, 1)), WriteStatus::Ok);
  auto j = s.journal(e.arn);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0].seq, 1);
  EXPECT_EQ(j[1].seq, 2);
  EXPECT_EQ(j[2].seq, 3);
  EXPECT_EQ(j[2].json, R"({"step":2})");
}

TEST_P(StoreContract, ListExecutionsNewestFirstFilteredAndPaged) {
  Store& s = open();
  const std::string other = machine_arn("other");
  // start times with ties: ties break by ARN descending.
  std::vector<std::pair<std::string, int64_t>> runs = {
      {"a", 100}, {"b", 300}, {"c", 200}, {"d", 300}, {"e", 100}, {"f", 400}, {"g", 300}};
  for (const auto& [name, ms] : runs) {
    ASSERT_EQ(s.apply(start_write(execution(kMachine, name, ms), 1)), WriteStatus::Ok);
  }
  ASSERT_EQ(s.apply(start_write(execution(other, "zz", 999), 1)), WriteStatus::Ok);
  for (const char* name : {"b", "e"}) {
    ASSERT_EQ(s.apply(step_write(execution(kMachine, name, 0).arn, 1, 1, 1, "SUCCEEDED")),
              WriteStatus::Ok);
  }
  const std::vector<std::string> newest_first = {"f", "g", "d", "b", "c", "e", "a"};

  std::vector<ExecutionRecord> seen;
  std::string key;
  int pages = 0;
  do {
    auto page = s.list_executions({kMachine, ""}, key, 2);
    EXPECT_LE(page.items.size(), 2u);
    seen.insert(seen.end(), page.items.begin(), page.items.end());
    key = page.next_key;
    ASSERT_LT(++pages, 10);
  } while (!key.empty());
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(names(seen), newest_first);
  EXPECT_EQ(names(s.list_executions({kMachine, ""}, "", 0).items), newest_first);

  auto done = s.list_executions({kMachine, "SUCCEEDED"}, "", 1);
  EXPECT_EQ(names(done.items), (std::vector<std::string>{"b"}));
  ASSERT_FALSE(done.next_key.empty());
  auto done2 = s.list_executions({kMachine, "SUCCEEDED"}, done.next_key, 1);
  EXPECT_EQ(names(done2.items), (std::vector<std::string>{"e"}));
  EXPECT_EQ(done2.next_key, "");
  EXPECT_EQ(names(s.list_executions({kMachine, "RUNNING"}, "", 0).items),
            (std::vector<std::string>{"f", "g", "d", "c", "a"}));
  EXPECT_TRUE(s.list_executions({kMachine, "ABORTED"}, "", 10).items.empty());
  EXPECT_EQ(names(s.list_executions({other, ""}, "", 10).items), (std::vector<std::string>{"zz"}));
  EXPECT_TRUE(s.list_executions({machine_arn("none"), ""}, "", 10).items.empty());
}

TEST_P(StoreContract, RunningExecutionsAreTheUnfinishedOnes) {
  Store& s = open();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(s.apply(start_write(execution(kMachine, "r" + std::to_string(i), i), 1)),
              WriteStatus::Ok);
  }
  ASSERT_EQ(s.apply(step_write(execution(kMachine, "r1", 0).arn, 1, 1, 1, "SUCCEEDED")),
            WriteStatus::Ok);
  ASSERT_EQ(s.apply(step_write(execution(kMachine, "r3", 0).arn, 1, 1, 1, "ABORTED")),
            WriteStatus::Ok);
  auto running = s.running_executions();
  EXPECT_EQ(names(running), (std::vector<std::string>{"r0", "r2", "r4"}));
  for (const auto& e : running) {
    EXPECT_EQ(e.status, "RUNNING");
  }
}

}  // namespace
}  // namespace signoff::store::testing
