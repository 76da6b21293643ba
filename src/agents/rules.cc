#include "agents/rules.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "asl/choice.h"
#include "jsonata/jsonata.h"

namespace signoff::agents {

namespace {

Error invalid(std::string message) {
  return make_error("ValidationException", std::move(message));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string text(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m && m->is_string() ? std::string(m->as_string()) : std::string();
}

}  // namespace

std::string_view decision_name(Decision d) {
  switch (d) {
    case Decision::Approve:
      return "Approve";
    case Decision::Reject:
      return "Reject";
    case Decision::Abstain:
      break;
  }
  return "Abstain";
}

std::optional<Decision> parse_decision(std::string_view t) {
  std::string l = lower(t);
  if (l == "approve") {
    return Decision::Approve;
  }
  if (l == "reject") {
    return Decision::Reject;
  }
  if (l == "abstain") {
    return Decision::Abstain;
  }
  return std::nullopt;
}

struct PolicyRules::Compiled {
  std::optional<jsonata::Expression> jsonata;
  std::optional<asl::Condition> choice;
  Decision decision = Decision::Abstain;
  std::string reason;
  double confidence = 1.0;
};

PolicyRules::PolicyRules() = default;
PolicyRules::~PolicyRules() = default;
PolicyRules::PolicyRules(PolicyRules&&) noexcept = default;
PolicyRules& PolicyRules::operator=(PolicyRules&&) noexcept = default;

Result<PolicyRules> PolicyRules::compile(const json::Value& rules) {
  if (!rules.is_array() || rules.size() < 1 || rules.size() > 50) {
    return invalid("A policy agent needs Rules: a list of 1 to 50 rules.");
  }
  PolicyRules out;
  size_t i = 0;
  for (const json::Value& r : rules.as_array()) {
    std::string where = "Rules[" + std::to_string(i++) + "]";
    if (!r.is_object()) {
      return invalid(where + " must be an object.");
    }
    Compiled c;
    auto d = parse_decision(text(r, "Decision"));
    if (!d) {
      return invalid(where + ".Decision must be Approve, Reject or Abstain.");
    }
    c.decision = *d;
    c.reason = text(r, "Reason");
    if (c.reason.size() > 1024) {
      return invalid(where + ".Reason must be at most 1024 characters.");
    }
    if (const json::Value* conf = r.find("Confidence")) {
      if (!conf->is_number() || conf->as_double() < 0 || conf->as_double() > 1) {
        return invalid(where + ".Confidence must be a number from 0 to 1.");
      }
      c.confidence = conf->as_double();
    }
    std::string language = text(r, "Language");
    const json::Value* cond = r.find("Condition");
    if (!cond) {
      return invalid(where + ".Condition is required.");
    }
    if (language == "JSONata") {
      if (!cond->is_string()) {
        return invalid(where + ".Condition must be a JSONata expression (a string).");
      }
      auto [expr, err] = jsonata::Expression::compile(cond->as_string());
      if (!expr) {
        return invalid(where + ".Condition: " + err.code + ": " + err.message);
      }
      c.jsonata = std::move(expr);
    } else if (language == "JSONPath") {
      if (!cond->is_object()) {
        return invalid(where +
                       ".Condition must be a Choice rule object (Variable and a comparison, or "
                       "And/Or/Not).");
      }
      asl::Diagnostics diags;
      auto choice = asl::Condition::compile(*cond, "/" + where + "/Condition", false, diags);
      if (!choice || !diags.empty()) {
        std::string msg = diags.empty() ? "invalid rule" : diags.front().message;
        return invalid(where + ".Condition: " + msg);
      }
      c.choice = std::move(choice);
    } else {
      return invalid(where + ".Language must be JSONata or JSONPath.");
    }
    out.rules_.push_back(std::move(c));
  }
  return out;
}

Verdict PolicyRules::evaluate(const json::Value& context, int64_t now_ms) const {
  size_t i = 0;
  for (const Compiled& c : rules_) {
    std::string where = "rule " + std::to_string(i++);
    bool holds = false;
    if (c.jsonata) {
      jsonata::FixedHost host(now_ms);
      jsonata::Limits limits;
      limits.max_steps = 1'000'000;
      auto r = c.jsonata->evaluate(&context, {}, host, limits);
      if (!r.ok) {
        // A rule that cannot be evaluated decides nothing: the safe side is to let humans look.
        return Verdict{Decision::Abstain, 0,
                       where + " failed: " + r.error.code + ": " + r.error.message};
      }
      holds = !r.undefined && r.value.is_bool() && r.value.as_bool();
    } else if (c.choice) {
      asl::PathRoots roots;
      roots.input = &context;
      roots.context = &context;
      // Unlike a Choice state, whose execution fails, a Variable that selects nothing (the
      // approval carries no task token, a parameter is absent) only makes the rule not hold.
      auto r = c.choice->evaluate(roots);
      holds = r.ok() && r.value();
    }
    if (holds) {
      return Verdict{c.decision, c.confidence, c.reason.empty() ? where + " matched" : c.reason};
    }
  }
  return Verdict{Decision::Abstain, 0, "no rule matched"};
}

std::optional<HumanRule> parse_human_rule(std::string_view t) {
  std::string l = lower(t);
  if (l == "none" || l.empty()) {
    return HumanRule::None;
  }
  if (l == "at-least-one-human") {
    return HumanRule::AtLeastOneHuman;
  }
  if (l == "human-decides-last") {
    return HumanRule::HumanDecidesLast;
  }
  return std::nullopt;
}

std::string_view human_rule_name(HumanRule r) {
  switch (r) {
    case HumanRule::AtLeastOneHuman:
      return "at-least-one-human";
    case HumanRule::HumanDecidesLast:
      return "human-decides-last";
    case HumanRule::None:
      break;
  }
  return "none";
}

HumanRule human_rule_for(std::string_view step_name,
                         const std::vector<std::pair<std::string, std::string>>& tags,
                         HumanRule agent_default) {
  const std::string step_key = std::string(kHumanRuleTag) + ":" + std::string(step_name);
  const std::string* doc_value = nullptr;
  for (const auto& [k, v] : tags) {
    if (k == step_key) {
      return parse_human_rule(v).value_or(HumanRule::HumanDecidesLast);
    }
    if (k == kHumanRuleTag) {
      doc_value = &v;
    }
  }
  if (doc_value) {
    return parse_human_rule(*doc_value).value_or(HumanRule::HumanDecidesLast);
  }
  return agent_default;
}

Guarded apply_guardrails(const Verdict& v, double min_confidence, HumanRule rule,
                         int64_t min_required, const std::vector<Vote>& votes,
                         std::string_view self) {
  if (v.decision == Decision::Abstain) {
    return Guarded{Decision::Abstain, ""};
  }
  if (v.confidence < min_confidence) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "confidence %.2f is below the threshold %.2f", v.confidence,
                  min_confidence);
    return Guarded{Decision::Abstain, buf};
  }
  if (rule == HumanRule::None) {
    return Guarded{v.decision, ""};
  }
  std::vector<std::string> approvers;
  bool human_approved = false;
  for (const Vote& x : votes) {
    if (x.decision != "Approved") {
      continue;
    }
    human_approved = human_approved || x.human;
    if (std::find(approvers.begin(), approvers.end(), x.principal) == approvers.end()) {
      approvers.push_back(x.principal);
    }
  }
  bool already = std::find(approvers.begin(), approvers.end(), self) != approvers.end();
  int64_t after = static_cast<int64_t>(approvers.size()) + (already ? 0 : 1);
  bool deciding = v.decision == Decision::Reject || after >= min_required;
  if (!deciding) {
    return Guarded{v.decision, ""};
  }
  if (rule == HumanRule::HumanDecidesLast) {
    return Guarded{Decision::Abstain, "a human must decide last (human-decides-last)"};
  }
  if (!human_approved) {
    return Guarded{Decision::Abstain, "at least one human must approve first (at-least-one-human)"};
  }
  return Guarded{v.decision, ""};
}

std::string signal_comment(std::string_view agent, std::string_view kind, const Verdict& v) {
  char conf[32];
  std::snprintf(conf, sizeof conf, "%.2f", v.confidence);
  std::string out = "Agent " + std::string(agent) + " (" + std::string(kind) + ", confidence " +
                    conf + "): " + v.reason;
  if (out.size() > 512) {
    out.resize(512);
    // Never cut a UTF-8 sequence in half.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
      out.pop_back();
    }
    if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) {
      out.pop_back();
    }
  }
  return out;
}

}  // namespace signoff::agents
