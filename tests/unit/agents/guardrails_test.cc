// The guardrails between an agent's verdict and its signal, as a table: verdict, threshold,
// human rule, quorum and the votes already counted → the decision that stands (or why not).
#include <gtest/gtest.h>

#include "agents/rules.h"

namespace signoff::agents {
namespace {

constexpr const char* kSelf = "arn:aws:sts::000000000000:assumed-role/agent/signoff";
constexpr const char* kOtherAgent = "arn:aws:sts::000000000000:assumed-role/agent2/signoff";
constexpr const char* kAlice = "arn:aws:iam::000000000000:user/alice";

struct Case {
  const char* name;
  Decision verdict;
  double confidence;
  HumanRule rule;
  int64_t min_required;
  std::vector<Vote> votes;
  Decision expected;
  const char* why;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"abstain stays abstain",
       Decision::Abstain,
       1,
       HumanRule::None,
       1,
       {},
       Decision::Abstain,
       ""},
      {"confident approve", Decision::Approve, 0.9, HumanRule::None, 1, {}, Decision::Approve, ""},
      {"at the threshold counts",
       Decision::Approve,
       0.8,
       HumanRule::None,
       1,
       {},
       Decision::Approve,
       ""},
      {"below the threshold abstains",
       Decision::Approve,
       0.79,
       HumanRule::None,
       1,
       {},
       Decision::Abstain,
       "confidence 0.79 is below the threshold 0.80"},
      {"a low-confidence reject abstains too",
       Decision::Reject,
       0.5,
       HumanRule::None,
       1,
       {},
       Decision::Abstain,
       "confidence 0.50 is below the threshold 0.80"},
      {"confident reject", Decision::Reject, 0.99, HumanRule::None, 1, {}, Decision::Reject, ""},
      {"human last: the deciding approval is left to a human",
       Decision::Approve,
       1,
       HumanRule::HumanDecidesLast,
       1,
       {},
       Decision::Abstain,
       "a human must decide last (human-decides-last)"},
      {"human last: an approval that does not decide counts",
       Decision::Approve,
       1,
       HumanRule::HumanDecidesLast,
       2,
       {},
       Decision::Approve,
       ""},
      {"human last: even after a human, the agent may not complete",
       Decision::Approve,
       1,
       HumanRule::HumanDecidesLast,
       2,
       {{kAlice, "Approved", true}},
       Decision::Abstain,
       "a human must decide last (human-decides-last)"},
      {"human last: a reject always decides",
       Decision::Reject,
       1,
       HumanRule::HumanDecidesLast,
       3,
       {},
       Decision::Abstain,
       "a human must decide last (human-decides-last)"},
      {"one human: completing without a human is refused",
       Decision::Approve,
       1,
       HumanRule::AtLeastOneHuman,
       2,
       {{kOtherAgent, "Approved", false}},
       Decision::Abstain,
       "at least one human must approve first (at-least-one-human)"},
      {"one human: completing after a human is fine",
       Decision::Approve,
       1,
       HumanRule::AtLeastOneHuman,
       2,
       {{kAlice, "Approved", true}},
       Decision::Approve,
       ""},
      {"one human: a reject before any human approved is refused",
       Decision::Reject,
       1,
       HumanRule::AtLeastOneHuman,
       2,
       {},
       Decision::Abstain,
       "at least one human must approve first (at-least-one-human)"},
      {"one human: non-deciding approval counts",
       Decision::Approve,
       1,
       HumanRule::AtLeastOneHuman,
       2,
       {},
       Decision::Approve,
       ""},
      {"own earlier approval is not counted twice",
       Decision::Approve,
       1,
       HumanRule::HumanDecidesLast,
       2,
       {{kSelf, "Approved", false}},
       Decision::Approve,
       ""},
  };
  return c;
}

TEST(Guardrails, Table) {
  for (const Case& c : cases()) {
    Verdict v{c.verdict, c.confidence, "because", 0};
    Guarded g = apply_guardrails(v, 0.8, c.rule, c.min_required, c.votes, kSelf);
    EXPECT_EQ(g.decision, c.expected) << c.name;
    EXPECT_EQ(g.why, c.why) << c.name;
  }
}

TEST(HumanRule, StepTagThenDocumentTagThenAgent) {
  using Tags = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(human_rule_for("Review", {}, HumanRule::AtLeastOneHuman), HumanRule::AtLeastOneHuman);
  Tags doc{{"signoff:human-rule", "human-decides-last"}};
  EXPECT_EQ(human_rule_for("Review", doc, HumanRule::None), HumanRule::HumanDecidesLast);
  Tags both{{"signoff:human-rule", "human-decides-last"}, {"signoff:human-rule:Review", "none"}};
  EXPECT_EQ(human_rule_for("Review", both, HumanRule::AtLeastOneHuman), HumanRule::None);
  EXPECT_EQ(human_rule_for("Other", both, HumanRule::None), HumanRule::HumanDecidesLast);
  // A typo must not let agents decide alone.
  Tags typo{{"signoff:human-rule", "humans-last"}};
  EXPECT_EQ(human_rule_for("Review", typo, HumanRule::None), HumanRule::HumanDecidesLast);
}

TEST(SignalComment, NamesTheAgentAndFitsThePayload) {
  Verdict v{Decision::Approve, 0.934, "fine", 0};
  EXPECT_EQ(signal_comment("rev", "Model", v), "Agent rev (Model, confidence 0.93): fine");
  v.reason = std::string(600, 'x');
  EXPECT_EQ(signal_comment("rev", "Model", v).size(), 512u);
  // Cut on a character boundary: "é" is two bytes.
  v.reason = std::string(470, 'a');
  for (int i = 0; i < 40; ++i) {
    v.reason += "\xc3\xa9";
  }
  std::string s = signal_comment("rev", "Model", v);
  EXPECT_LE(s.size(), 512u);
  EXPECT_NE(static_cast<unsigned char>(s.back()), 0xc3);
}

}  // namespace
}  // namespace signoff::agents
