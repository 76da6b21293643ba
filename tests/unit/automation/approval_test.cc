#include "automation/approval.h"

#include <gtest/gtest.h>

#include "automation/audit.h"

namespace signoff::automation {
namespace {

const char* kAcct = "123456789012";

TEST(Approval, InputsAsAwsValidates) {
  auto ok = parse_approve_inputs(json::parse(R"({"Approvers":["u1","u2"],
      "MinRequiredApprovals":"2","Message":"m"})")
                                     .value);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->min_required, 2);
  auto fails = [](const char* in) {
    return !parse_approve_inputs(json::parse(in).value).ok();
  };
  EXPECT_TRUE(fails(R"({})"));
  EXPECT_TRUE(fails(R"({"Approvers":[]})"));
  EXPECT_TRUE(fails(R"({"Approvers":["a","b","c","d","e","f","g","h","i","j","k"]})"));
  EXPECT_TRUE(fails(R"({"Approvers":["a"],"MinRequiredApprovals":0})"));
  EXPECT_TRUE(fails(R"({"Approvers":["a"],"MinRequiredApprovals":2})"));
  EXPECT_TRUE(fails(R"({"Approvers":["a"],"MinRequiredApprovals":"x"})"));
  std::string long_message(4097, 'x');
  EXPECT_TRUE(!parse_approve_inputs(
                   json::Value::object({{"Approvers", json::Value::array({json::Value("a")})},
                                        {"Message", json::Value(long_message)}}))
                   .ok());
  auto defaults = parse_approve_inputs(json::parse(R"({"Approvers":"solo"})").value);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->min_required, 1);
}

TEST(Approval, ArnMatching) {
  std::string alice = "arn:aws:iam::123456789012:user/team/alice";
  std::string session = "arn:aws:sts::123456789012:assumed-role/Approvers/alice-session";
  EXPECT_TRUE(arn_matches_approver(alice, "arn:aws:iam::123456789012:user/team/alice", kAcct));
  EXPECT_TRUE(arn_matches_approver(alice, "alice", kAcct));
  EXPECT_FALSE(arn_matches_approver(alice, "bob", kAcct));
  EXPECT_FALSE(arn_matches_approver(alice, "arn:aws:iam::999999999999:user/alice", kAcct));
  EXPECT_TRUE(arn_matches_approver(session, "arn:aws:iam::123456789012:role/Approvers", kAcct));
  EXPECT_TRUE(arn_matches_approver(session, "Approvers", kAcct));
  EXPECT_TRUE(arn_matches_approver(session, session, kAcct));
  EXPECT_FALSE(arn_matches_approver(
      session, "arn:aws:sts::123456789012:assumed-role/Approvers/other", kAcct));
  EXPECT_FALSE(arn_matches_approver(session, "arn:aws:iam::123456789012:role/Other", kAcct));
  EXPECT_FALSE(arn_matches_approver(alice, "arn:aws:iam::123456789012:group/admins", kAcct));
  EXPECT_FALSE(arn_matches_approver("not-an-arn", "alice", kAcct));
}

TEST(Approval, QuorumCountsPrincipalsOnceAndOneRejectRejects) {
  std::vector<Decision> d;
  EXPECT_EQ(tally(2, d), Tally::Waiting);
  d.push_back({"a", "a", "Approved", "", 1});
  EXPECT_EQ(tally(2, d), Tally::Waiting);
  EXPECT_TRUE(already_decided(d, "a", "Approved"));
  d.push_back({"a", "a", "Approved", "", 2});  // a repeat (the service never stores it)
  EXPECT_EQ(approvals_counted(d), 1);
  EXPECT_EQ(tally(2, d), Tally::Waiting);
  d.push_back({"b", "b", "Approved", "", 3});
  EXPECT_EQ(tally(2, d), Tally::Approved);
  d.push_back({"c", "c", "Rejected", "", 4});
  EXPECT_EQ(tally(2, d), Tally::Rejected);
}

TEST(Audit, ChainVerifiesAndFindsTheFirstBrokenRecord) {
  std::vector<StoredRecord> records;
  AuditHead head;
  for (int i = 0; i < 3; ++i) {
    AuditEntry e;
    e.principal = "p" + std::to_string(i);
    e.decision = "Approve";
    std::string text = record_json(e, head);
    records.push_back({audit_key(head.seq + 1), text});
    head = AuditHead{head.seq + 1, sha256_hex(text)};
  }
  auto ok = verify_chain(records, head_json(head));
  EXPECT_TRUE(ok.intact);
  EXPECT_EQ(ok.records, 3);

  auto edited = records;
  edited[1].json.replace(edited[1].json.find("p1"), 2, "px");
  auto r = verify_chain(edited, head_json(head));
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_key, audit_key(3));

  auto removed = records;
  removed.erase(removed.begin() + 1);
  EXPECT_EQ(verify_chain(removed, head_json(head)).broken_key, audit_key(3));

  auto truncated = records;
  truncated.pop_back();
  EXPECT_FALSE(verify_chain(truncated, head_json(head)).intact);
  EXPECT_TRUE(verify_chain({}, "").intact);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace signoff::automation
