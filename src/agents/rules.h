// What an agent approver decides and the guardrails between its verdict and a signal. Pure: no
// clock, store or network; the service passes the approval's context and current votes in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace signoff::agents {

enum class Decision { Approve, Reject, Abstain };

std::string_view decision_name(Decision d);  // Approve | Reject | Abstain
// "approve"/"Approve"/"APPROVE", "reject", "abstain"; nullopt for anything else.
std::optional<Decision> parse_decision(std::string_view text);

// What an agent concluded before the guardrails: a rule's, a model's or a webhook's verdict.
struct Verdict {
  Decision decision = Decision::Abstain;
  double confidence = 0;
  std::string reason;
  int64_t tokens = 0;  // model tokens spent on it
};

// Policy agents: rules tried in order, the first whose condition holds gives the verdict; none
// holding abstains. A condition is a JSONata expression (text) that must evaluate to true, or an
// ASL Choice rule (object: Variable/And/Or/Not with the comparison operators) over the context,
// which does not hold when a Variable selects nothing. A JSONata condition that fails to evaluate
// abstains (with the error as the reason).
class PolicyRules {
 public:
  // From the API's Rules list: [{"Condition", "Language": "JSONata"|"JSONPath", "Decision",
  // "Reason", "Confidence"}]. Errors are ValidationException texts.
  static Result<PolicyRules> compile(const json::Value& rules);
  Verdict evaluate(const json::Value& context, int64_t now_ms) const;

  struct Compiled;
  PolicyRules();
  ~PolicyRules();
  PolicyRules(PolicyRules&&) noexcept;
  PolicyRules& operator=(PolicyRules&&) noexcept;

 private:
  std::vector<Compiled> rules_;
};

// Per approval: whether an agent may decide alone.
enum class HumanRule {
  None,              // agents' approvals and rejections count like anyone's
  AtLeastOneHuman,   // an agent never completes or rejects an approval no human has approved
  HumanDecidesLast,  // an agent never casts the deciding vote (completing approval or reject)
};
std::optional<HumanRule> parse_human_rule(std::string_view text);  // none | at-least-one-human |
                                                                   // human-decides-last
std::string_view human_rule_name(HumanRule r);

inline constexpr const char* kHumanRuleTag = "signoff:human-rule";

// The rule for one approval step: the document tag signoff:human-rule:STEP, else the document tag
// signoff:human-rule, else the agent's own setting. An unparsable tag value is the strictest rule
// (a typo must not let agents decide alone).
HumanRule human_rule_for(std::string_view step_name,
                         const std::vector<std::pair<std::string, std::string>>& signoff_tags,
                         HumanRule agent_default);

struct Vote {
  std::string principal;
  std::string decision;  // Approved | Rejected
  bool human = true;
};

struct Guarded {
  Decision decision = Decision::Abstain;
  std::string why;  // why a verdict was turned into an abstention, "" when it stands
};

// Confidence below `min_confidence` abstains; then the human rule, judged on the votes already
// counted and the approval's quorum. `self` is the agent's principal (its own earlier vote does
// not count twice).
Guarded apply_guardrails(const Verdict& v, double min_confidence, HumanRule rule,
                         int64_t min_required, const std::vector<Vote>& votes,
                         std::string_view self);

// The Comment recorded with an agent's signal (and so in the audit chain): agent, kind,
// confidence and reason, at most 512 characters as SendAutomationSignal's Payload allows.
std::string signal_comment(std::string_view agent, std::string_view kind, const Verdict& v);

}  // namespace signoff::agents
