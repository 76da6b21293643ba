// Activities, tags and meta.
#include <atomic>
#include <set>
#include <thread>

#include "store_contract.h"

namespace signoff::store::testing {
namespace {

ActivityRecord activity(const std::string& name, const std::string& region = "us-east-1") {
  return ActivityRecord{"arn:aws:states:" + region + ":123456789012:activity:" + name, name, 77};
}

std::vector<std::string> arns(const std::vector<ActivityRecord>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    out.push_back(r.arn);
  }
  return out;
}

TEST_P(StoreContract, CreateGetDeleteActivity) {
  Store& s = open();
  ActivityRecord a = activity("approve");
  EXPECT_FALSE(s.get_activity(a.arn));
  ASSERT_EQ(s.create_activity(a), WriteStatus::Ok);
  auto got = s.get_activity(a.arn);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->arn, a.arn);
  EXPECT_EQ(got->name, "approve");
  EXPECT_EQ(got->creation_date_ms, 77);
  ActivityRecord again = a;
  again.creation_date_ms = 99;
  EXPECT_EQ(s.create_activity(again), WriteStatus::AlreadyExists);
  EXPECT_EQ(s.get_activity(a.arn)->creation_date_ms, 77);

  s.set_tags(a.arn, {{"k", "v"}});
  EXPECT_EQ(s.delete_activity(a.arn), WriteStatus::Ok);
  EXPECT_FALSE(s.get_activity(a.arn));
  EXPECT_TRUE(s.tags(a.arn).empty());
  EXPECT_EQ(s.delete_activity(a.arn), WriteStatus::NotFound);
}

TEST_P(StoreContract, ListActivitiesByNameThenArnAcrossPages) {
  Store& s = open();
  std::vector<ActivityRecord> all = {activity("b", "us-west-2"), activity("a"),
                                     activity("b", "eu-west-1"), activity("c")};
  for (const auto& a : all) {
    ASSERT_EQ(s.create_activity(a), WriteStatus::Ok);
  }
  const std::vector<std::string> expected = {activity("a").arn, activity("b", "eu-west-1").arn,
                                             activity("b", "us-west-2").arn, activity("c").arn};
  auto p1 = s.list_activities("", 3);
  EXPECT_EQ(arns(p1.items), (std::vector<std::string>(expected.begin(), expected.begin() + 3)));
  ASSERT_FALSE(p1.next_key.empty());
  auto p2 = s.list_activities(p1.next_key, 3);
  EXPECT_EQ(arns(p2.items), (std::vector<std::string>{expected[3]}));
  EXPECT_EQ(p2.next_key, "");
  EXPECT_EQ(arns(s.list_activities("", 0).items), expected);
  EXPECT_EQ(s.list_activities("", 4).next_key, "");
}

TEST_P(StoreContract, TagsAddReplaceRemove) {
  Store& s = open();
  const std::string arn = machine_arn("orders");
  EXPECT_TRUE(s.tags(arn).empty());
  s.set_tags(arn, {{"team", "payments"}, {"env", "prod"}});
  s.set_tags(machine_arn("other"), {{"team", "other"}});
  auto t = s.tags(arn);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].key, "env");  // by key
  EXPECT_EQ(t[0].value, "prod");
  EXPECT_EQ(t[1].key, "team");

  s.set_tags(arn, {{"team", "billing"}, {"cost", ""}});
  t = s.tags(arn);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].key, "cost");
  EXPECT_EQ(t[0].value, "");
  EXPECT_EQ(t[2].value, "billing");

  s.remove_tags(arn, {"team", "not-there"});
  t = s.tags(arn);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].key, "cost");
  EXPECT_EQ(t[1].key, "env");
  s.set_tags(arn, {});
  s.remove_tags(arn, {});
  EXPECT_EQ(s.tags(arn).size(), 2u);
  EXPECT_EQ(s.tags(machine_arn("other"))[0].value, "other");
}

TEST_P(StoreContract, PutMetaIfAbsentKeepsTheFirstValue) {
  Store& s = open();
  EXPECT_FALSE(s.get_meta("token-key"));
  EXPECT_EQ(s.put_meta_if_absent("token-key", "first"), "first");
  EXPECT_EQ(s.put_meta_if_absent("token-key", "second"), "first");
  EXPECT_EQ(s.get_meta("token-key"), "first");
  EXPECT_EQ(s.put_meta_if_absent("empty", ""), "");
  EXPECT_EQ(s.get_meta("empty"), "");
  EXPECT_FALSE(s.get_meta("other"));
}

TEST_P(StoreContract, ConcurrentFirstStartsAgreeOnOneMetaValue) {
  Store& s = open();
  std::vector<std::string> got(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back(
        [&, i] { got[i] = s.put_meta_if_absent("key", "value-" + std::to_string(i)); });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), 1u);
  EXPECT_EQ(s.get_meta("key"), got[0]);
}

}  // namespace
}  // namespace signoff::store::testing
