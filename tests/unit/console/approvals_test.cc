// The approval view built from DescribeAutomationStepExecutions answers, as SSM's wire holds
// them (inputs and outputs as strings or lists of strings).
#include "console/approvals.h"

#include <gtest/gtest.h>

namespace signoff::console {
namespace {

json::Value parse(std::string_view text) {
  auto p = json::parse(text);
  EXPECT_TRUE(p.ok()) << p.error;
  return p.value;
}

TEST(Approvals, ApproversInEveryShapeTheWireHasThem) {
  struct Case {
    std::string value;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {R"(["arn:a","arn:b"])", {"arn:a", "arn:b"}},
      {R"("[\"arn:a\"]")", {"arn:a"}},
      {R"("arn:a")", {"arn:a"}},
      {R"(["[\"arn:a\",\"arn:b\"]"])", {"arn:a", "arn:b"}},
      {R"(42)", {}},
  };
  for (const Case& c : cases) {
    json::Value v = parse(c.value);
    EXPECT_EQ(approvers_from(&v), c.want) << c.value;
  }
  EXPECT_TRUE(approvers_from(nullptr).empty());
}

TEST(Approvals, TheLastApproveStepWithItsDecisions) {
  json::Value steps = parse(R"({"StepExecutions":[
    {"StepName":"first","Action":"aws:approve","StepStatus":"Success"},
    {"StepName":"sleep","Action":"aws:sleep","StepStatus":"Success"},
    {"StepName":"Approve","Action":"aws:approve","StepStatus":"Waiting","TimeoutSeconds":3600,
     "ExecutionStartTime":1700000000.5,"StepExecutionId":"s-1",
     "Inputs":{"Approvers":"[\"arn:aws:iam::000000000000:role/approvers\"]",
               "Message":"\"Please look at https://example.test/x\"","MinRequiredApprovals":"2"},
     "Outputs":{"ApprovalStatus":["Waiting"],
                "ApproverDecisions":["{\"Approver\":\"arn:p\",\"Decision\":\"Approved\",\"Comment\":\"ok\",\"DecisionTime\":\"t\"}"]}}]})");
  json::Value a = approval_from_steps(steps);
  ASSERT_TRUE(a.is_object());
  EXPECT_EQ(a.find("stepName")->as_string(), "Approve");
  EXPECT_EQ(a.find("stepStatus")->as_string(), "Waiting");
  EXPECT_EQ(a.find("approvers")->size(), 1u);
  EXPECT_EQ(a.find("minRequiredApprovals")->as_int(), 2);
  EXPECT_EQ(a.find("approvalStatus")->as_string(), "Waiting");
  EXPECT_DOUBLE_EQ(a.find("deadline")->as_double(), 1700003600.5);
  ASSERT_EQ(a.find("decisions")->size(), 1u);
  const json::Value& d = *a.find("decisions")->at(0);
  EXPECT_EQ(d.find("approver")->as_string(), "arn:p");
  EXPECT_EQ(d.find("comment")->as_string(), "ok");

  EXPECT_TRUE(approval_from_steps(parse(R"({"StepExecutions":[]})")).is_null());
  EXPECT_TRUE(approval_from_steps(parse(R"({"nothing":1})")).is_null());
}

TEST(Approvals, TheExecutionATaskTokenNames) {
  // base64url("arn:aws:states:us-east-1:000000000000:execution:m:run\n7") "." mac
  std::string token =
      "YXJuOmF3czpzdGF0ZXM6dXMtZWFzdC0xOjAwMDAwMDAwMDAwMDpleGVjdXRpb246bTpydW4KNw.bWFj";
  EXPECT_EQ(execution_in_token(token), "arn:aws:states:us-east-1:000000000000:execution:m:run");
  for (std::string bad : {"", "no-dot", "!!!.x", "aGVsbG8KNw.x" /* "hello\n7" */,
                          "YXJuOmF3czpzdGF0ZXM6eA.x" /* no newline */}) {
    EXPECT_EQ(execution_in_token(bad), "") << bad;
  }
}

}  // namespace
}  // namespace signoff::console
