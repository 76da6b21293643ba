#include <algorithm>

#include "store_contract.h"

namespace signoff::store::testing {
namespace {

void expect_same(const StateMachineRecord& a, const StateMachineRecord& b) {
  EXPECT_EQ(a.arn, b.arn);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.definition, b.definition);
  EXPECT_EQ(a.role_arn, b.role_arn);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.logging_configuration, b.logging_configuration);
  EXPECT_EQ(a.tracing_configuration, b.tracing_configuration);
  EXPECT_EQ(a.revision_id, b.revision_id);
  EXPECT_EQ(a.creation_date_ms, b.creation_date_ms);
  EXPECT_EQ(a.update_date_ms, b.update_date_ms);
  EXPECT_EQ(a.version, b.version);
}

std::vector<std::string> arns(const std::vector<StateMachineRecord>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    out.push_back(r.arn);
  }
  return out;
}

TEST_P(StoreContract, CreateAndGetStateMachine) {
  Store& s = open();
  StateMachineRecord sm = machine("orders");
  sm.type = "EXPRESS";
  sm.definition = std::string("{\"with\":\"nul\0byte\"}", 19);
  ASSERT_EQ(s.create_state_machine(sm), WriteStatus::Ok);
  auto got = s.get_state_machine(sm.arn);
  ASSERT_TRUE(got);
  expect_same(*got, sm);
  EXPECT_FALSE(s.get_state_machine(machine_arn("missing")));
}

TEST_P(StoreContract, CreateStateMachineTwiceIsAlreadyExists) {
  Store& s = open();
  ASSERT_EQ(s.create_state_machine(machine("orders")), WriteStatus::Ok);
  StateMachineRecord again = machine("orders");
  again.definition = "{}";
  again.revision_id = "other";
  EXPECT_EQ(s.create_state_machine(again), WriteStatus::AlreadyExists);
  EXPECT_EQ(s.get_state_machine(again.arn)->definition, machine("orders").definition);
  EXPECT_FALSE(s.get_revision(again.arn, "other"));
}

TEST_P(StoreContract, CreateStoresTheFirstRevision) {
  Store& s = open();
  StateMachineRecord sm = machine("orders", 4242);
  ASSERT_EQ(s.create_state_machine(sm), WriteStatus::Ok);
  auto rev = s.get_revision(sm.arn, sm.revision_id);
  ASSERT_TRUE(rev);
  EXPECT_EQ(rev->state_machine_arn, sm.arn);
  EXPECT_EQ(rev->revision_id, sm.revision_id);
  EXPECT_EQ(rev->definition, sm.definition);
  EXPECT_EQ(rev->role_arn, sm.role_arn);
  EXPECT_EQ(rev->logging_configuration, sm.logging_configuration);
  EXPECT_EQ(rev->tracing_configuration, sm.tracing_configuration);
  EXPECT_EQ(rev->update_date_ms, 4242);
  EXPECT_FALSE(s.get_revision(sm.arn, "nope"));
  EXPECT_FALSE(s.get_revision(machine_arn("nope"), sm.revision_id));
}

StateMachineRevision revision_of(const StateMachineRecord& sm) {
  return StateMachineRevision{sm.arn,           sm.revision_id,           sm.definition,
                              sm.role_arn,      sm.logging_configuration, sm.tracing_configuration,
                              sm.update_date_ms};
}

TEST_P(StoreContract, UpdateStateMachineReplacesRowAndAddsRevision) {
  Store& s = open();
  StateMachineRecord sm = machine("orders");
  ASSERT_EQ(s.create_state_machine(sm), WriteStatus::Ok);
  StateMachineRecord next = sm;
  next.definition = R"({"StartAt":"B"})";
  next.role_arn = "arn:aws:iam::123456789012:role/new";
  next.description = "";
  next.revision_id = "orders-r2";
  next.update_date_ms = 2000;
  next.version = 2;
  ASSERT_EQ(s.update_state_machine(next, 1, revision_of(next)), WriteStatus::Ok);
  expect_same(*s.get_state_machine(sm.arn), next);
  EXPECT_EQ(s.get_revision(sm.arn, "orders-r2")->definition, next.definition);
  EXPECT_EQ(s.get_revision(sm.arn, "orders-r2")->update_date_ms, 2000);
  EXPECT_EQ(s.get_revision(sm.arn, "orders-r1")->definition, sm.definition);
}

TEST_P(StoreContract, UpdateStateMachineWithStaleVersionIsConditionFailed) {
  Store& s = open();
  StateMachineRecord sm = machine("orders");
  ASSERT_EQ(s.create_state_machine(sm), WriteStatus::Ok);
  StateMachineRecord next = sm;
  next.definition = "{}";
  next.revision_id = "orders-r2";
  next.version = 2;
  EXPECT_EQ(s.update_state_machine(next, 7, revision_of(next)), WriteStatus::ConditionFailed);
  expect_same(*s.get_state_machine(sm.arn), sm);
  EXPECT_FALSE(s.get_revision(sm.arn, "orders-r2"));
}

TEST_P(StoreContract, UpdateMissingStateMachineIsNotFound) {
  Store& s = open();
  StateMachineRecord sm = machine("ghost");
  EXPECT_EQ(s.update_state_machine(sm, 1, revision_of(sm)), WriteStatus::NotFound);
  EXPECT_FALSE(s.get_state_machine(sm.arn));
  EXPECT_FALSE(s.get_revision(sm.arn, sm.revision_id));
}

TEST_P(StoreContract, UpdateReusingARevisionIdChangesNothing) {
  Store& s = open();
  StateMachineRecord sm = machine("orders");
  ASSERT_EQ(s.create_state_machine(sm), WriteStatus::Ok);
  StateMachineRecord next = sm;
  next.definition = "{}";
  next.version = 2;
  EXPECT_EQ(s.update_state_machine(next, 1, revision_of(next)), WriteStatus::ConditionFailed);
  expect_same(*s.get_state_machine(sm.arn), sm);
  EXPECT_EQ(s.get_revision(sm.arn, sm.revision_id)->definition, sm.definition);
}

TEST_P(StoreContract, DeleteStateMachineKeepsExecutionsAndTheirRevisions) {
  Store& s = open();
  StateMachineRecord sm = machine("orders");
  ASSERT_EQ(s.create_state_machine(sm), WriteStatus::Ok);
  StateMachineRecord next = sm;
  next.revision_id = "orders-r2";
  next.version = 2;
  ASSERT_EQ(s.update_state_machine(next, 1, revision_of(next)), WriteStatus::Ok);
  StateMachineRecord next2 = next;
  next2.revision_id = "orders-r3";
  next2.version = 3;
  ASSERT_EQ(s.update_state_machine(next2, 2, revision_of(next2)), WriteStatus::Ok);
  ExecutionRecord e = execution(sm.arn, "run1", 100);
  e.revision_id = "orders-r2";
  ASSERT_EQ(s.apply(start_write(e, 2)), WriteStatus::Ok);
  s.set_tags(sm.arn, {{"team", "a"}});
  s.set_tags(e.arn, {{"keep", "me"}});

  EXPECT_EQ(s.delete_state_machine(sm.arn), WriteStatus::Ok);
  EXPECT_FALSE(s.get_state_machine(sm.arn));
  EXPECT_TRUE(s.tags(sm.arn).empty());
  EXPECT_FALSE(s.get_revision(sm.arn, "orders-r1"));
  EXPECT_TRUE(s.get_revision(sm.arn, "orders-r2"));
  EXPECT_FALSE(s.get_revision(sm.arn, "orders-r3"));
  ASSERT_TRUE(s.get_execution(e.arn));
  EXPECT_EQ(s.history(e.arn, false, 0, 0).size(), 2u);
  EXPECT_EQ(s.tags(e.arn).size(), 1u);
  EXPECT_EQ(s.list_executions({sm.arn, ""}, "", 10).items.size(), 1u);

  EXPECT_EQ(s.delete_state_machine(sm.arn), WriteStatus::NotFound);
  EXPECT_TRUE(s.list_state_machines("", 10).items.empty());
}

TEST_P(StoreContract, ListStateMachinesByNameThenArnAcrossPages) {
  Store& s = open();
  // Same names in two regions, created out of order.
  std::vector<StateMachineRecord> all;
  for (const char* name : {"delta", "alpha", "charlie", "bravo", "echo"}) {
    for (const char* region : {"us-west-2", "eu-west-1"}) {
      StateMachineRecord sm = machine(name);
      sm.arn = std::string("arn:aws:states:") + region + ":123456789012:stateMachine:" + name;
      all.push_back(sm);
      ASSERT_EQ(s.create_state_machine(sm), WriteStatus::Ok);
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.arn) < std::tie(b.name, b.arn);
  });

  std::vector<StateMachineRecord> seen;
  std::string key;
  int pages = 0;
  do {
    Page<StateMachineRecord> page = s.list_state_machines(key, 3);
    EXPECT_LE(page.items.size(), 3u);
    seen.insert(seen.end(), page.items.begin(), page.items.end());
    key = page.next_key;
    ++pages;
    ASSERT_LT(pages, 10);
  } while (!key.empty());
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(arns(seen), arns(all));
  expect_same(seen.front(), all.front());

  // An exact multiple: the last full page says there is no more.
  Page<StateMachineRecord> first = s.list_state_machines("", 5);
  ASSERT_FALSE(first.next_key.empty());
  Page<StateMachineRecord> second = s.list_state_machines(first.next_key, 5);
  EXPECT_EQ(second.items.size(), 5u);
  EXPECT_EQ(second.next_key, "");

  EXPECT_EQ(s.list_state_machines("", 0).items.size(), all.size());
  EXPECT_EQ(s.list_state_machines("", 0).next_key, "");
  EXPECT_EQ(s.list_state_machines("", 100).next_key, "");
}

TEST_P(StoreContract, ListStateMachinesContinuesAfterTheLastRowEvenIfItWasDeleted) {
  Store& s = open();
  for (const char* name : {"a", "b", "c", "d"}) {
    ASSERT_EQ(s.create_state_machine(machine(name)), WriteStatus::Ok);
  }
  Page<StateMachineRecord> first = s.list_state_machines("", 2);
  ASSERT_EQ(arns(first.items), (std::vector{machine_arn("a"), machine_arn("b")}));
  ASSERT_EQ(s.delete_state_machine(machine_arn("b")), WriteStatus::Ok);
  ASSERT_EQ(s.create_state_machine(machine("bb")), WriteStatus::Ok);
  Page<StateMachineRecord> rest = s.list_state_machines(first.next_key, 10);
  EXPECT_EQ(arns(rest.items), (std::vector{machine_arn("bb"), machine_arn("c"), machine_arn("d")}));
  EXPECT_EQ(rest.next_key, "");
}

TEST_P(StoreContract, ListWithAForeignKeyIsEmptyNotAnError) {
  Store& s = open();
  ASSERT_EQ(s.create_state_machine(machine("a")), WriteStatus::Ok);
  EXPECT_TRUE(s.list_state_machines("garbage", 10).items.empty());
  EXPECT_TRUE(s.list_state_machines("99999:x", 10).items.empty());
  EXPECT_TRUE(s.list_activities("-1:", 10).items.empty());
  EXPECT_TRUE(s.list_executions({machine_arn("a"), ""}, "x:y", 10).items.empty());
  EXPECT_TRUE(s.list_state_machines("", 10).next_key.empty());
}

}  // namespace
}  // namespace signoff::store::testing
