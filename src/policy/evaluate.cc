#include <optional>

#include "policy/conditions.h"
#include "policy/glob.h"
#include "policy/policy.h"
#include "policy/variables.h"

namespace signoff::policy {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// How a resource or trust policy statement names the caller. Account means the statement names
// the caller's account (root or bare id): it delegates to that account's identity policies
// rather than granting by itself.
enum class PrincipalMatch { None, Account, Direct };

bool is_account_root(std::string_view p, std::string_view account) {
  if (account.empty()) {
    return false;
  }
  if (p == account) {
    return true;
  }
  // arn:<partition>:iam::<account>:root
  if (!p.starts_with("arn:")) {
    return false;
  }
  const size_t partition_end = p.find(':', 4);
  if (partition_end == std::string_view::npos) {
    return false;
  }
  return p.substr(partition_end) == std::string(":iam::").append(account).append(":root");
}

PrincipalMatch match_principal(const Principals& p, const RequestContext& ctx) {
  if (p.anyone) {
    return PrincipalMatch::Direct;
  }
  PrincipalMatch best = PrincipalMatch::None;
  for (const std::string& a : p.aws) {
    if ((!ctx.principal_arn.empty() && a == ctx.principal_arn) ||
        (!ctx.role_arn.empty() && a == ctx.role_arn)) {
      return PrincipalMatch::Direct;
    }
    if (is_account_root(a, ctx.account)) {
      best = PrincipalMatch::Account;
    }
  }
  for (const std::string& s : p.service) {
    if (!ctx.service_principal.empty() && lower(s) == lower(ctx.service_principal)) {
      return PrincipalMatch::Direct;
    }
  }
  for (const std::string& f : p.federated) {
    if (!ctx.federated_principal.empty() && f == ctx.federated_principal) {
      return PrincipalMatch::Direct;
    }
  }
  return best;
}

bool action_matches(const Statement& s, const RequestContext& ctx) {
  bool any = false;
  for (const std::string& a : s.actions) {
    if (glob_match(literal_pattern(a, true), ctx.action, true)) {
      any = true;
      break;
    }
  }
  return any != s.not_action;
}

bool resource_matches(const Statement& s, const RequestContext& ctx, bool variables) {
  if (!s.has_resource) {
    return true;  // trust policies: the resource is the role itself
  }
  bool any = false;
  for (const std::string& r : s.resources) {
    if (r == "*") {
      any = true;
      break;
    }
    std::optional<Pattern> p = resolve_pattern(r, variables, ctx);
    if (p && arn_match(*p, ctx.resource)) {
      any = true;
      break;
    }
  }
  return any != s.not_resource;
}

bool conditions_hold(const Statement& s, const RequestContext& ctx, bool variables) {
  for (const Condition& c : s.conditions) {
    if (!condition_holds(c, ctx, variables)) {
      return false;
    }
  }
  return true;
}

// None when the statement does not apply; for identity policies a match is Direct.
PrincipalMatch applies(const Statement& s, const RequestContext& ctx, bool variables) {
  PrincipalMatch m = PrincipalMatch::Direct;
  if (s.principal) {
    const PrincipalMatch named = match_principal(*s.principal, ctx);
    if (s.not_principal) {
      m = named == PrincipalMatch::None ? PrincipalMatch::Direct : PrincipalMatch::None;
    } else {
      m = named;
    }
  }
  if (m == PrincipalMatch::None || !action_matches(s, ctx) ||
      !resource_matches(s, ctx, variables) || !conditions_hold(s, ctx, variables)) {
    return PrincipalMatch::None;
  }
  return m;
}

std::string resource_account(const RequestContext& ctx) {
  if (!ctx.resource_account.empty()) {
    return ctx.resource_account;
  }
  // arn:partition:service:region:account:...
  size_t at = 0;
  for (int i = 0; i < 4; ++i) {
    at = ctx.resource.find(':', at);
    if (at == std::string::npos) {
      return {};
    }
    ++at;
  }
  const size_t end = ctx.resource.find(':', at);
  return end == std::string::npos ? std::string() : ctx.resource.substr(at, end - at);
}

StatementRef ref(bool resource_policy, size_t policy, size_t statement, const Statement& s) {
  return {resource_policy, policy, statement, s.sid};
}

EvaluationResult decide(const RequestContext& ctx, std::span<const Policy> identity,
                        const Policy* resource_policy, bool require_resource_allow) {
  std::optional<StatementRef> identity_allow, resource_direct, resource_delegated;
  for (size_t i = 0; i < identity.size(); ++i) {
    const bool variables = identity[i].version == "2012-10-17";
    for (size_t j = 0; j < identity[i].statements.size(); ++j) {
      const Statement& s = identity[i].statements[j];
      if (applies(s, ctx, variables) == PrincipalMatch::None) {
        continue;
      }
      if (s.effect == Effect::Deny) {
        return {Decision::ExplicitDeny, ref(false, i, j, s)};
      }
      if (!identity_allow) {
        identity_allow = ref(false, i, j, s);
      }
    }
  }
  if (resource_policy) {
    const bool variables = resource_policy->version == "2012-10-17";
    for (size_t j = 0; j < resource_policy->statements.size(); ++j) {
      const Statement& s = resource_policy->statements[j];
      const PrincipalMatch m = applies(s, ctx, variables);
      if (m == PrincipalMatch::None) {
        continue;
      }
      if (s.effect == Effect::Deny) {
        return {Decision::ExplicitDeny, ref(true, 0, j, s)};
      }
      std::optional<StatementRef>& slot =
          m == PrincipalMatch::Direct ? resource_direct : resource_delegated;
      if (!slot) {
        slot = ref(true, 0, j, s);
      }
    }
  }
  const std::string owner = resource_account(ctx);
  const bool cross_account = !owner.empty() && !ctx.account.empty() && owner != ctx.account;
  const bool resource_allows = resource_direct || resource_delegated;
  if (resource_direct && !cross_account) {
    return {Decision::Allow, resource_direct};
  }
  if (identity_allow) {
    const bool granted = require_resource_allow || cross_account ? resource_allows : true;
    if (granted) {
      return {Decision::Allow, identity_allow};
    }
  }
  return {Decision::ImplicitDeny, std::nullopt};
}

}  // namespace

void RequestContext::set(std::string_view key, std::vector<std::string> values) {
  keys_[lower(key)] = std::move(values);
}

const std::vector<std::string>* RequestContext::find(std::string_view key) const {
  const std::string k = lower(key);
  if (auto it = keys_.find(k); it != keys_.end()) {
    return &it->second;
  }
  std::string derived;
  if (k == "aws:principalarn") {
    derived = role_arn.empty() ? principal_arn : role_arn;
  } else if (k == "aws:principalaccount") {
    derived = account;
  } else if (k == "aws:username") {
    derived = username;
  }
  if (derived.empty()) {
    return nullptr;
  }
  std::vector<std::string>& slot = derived_[k];
  slot.assign(1, derived);
  return &slot;
}

EvaluationResult evaluate(const RequestContext& request, std::span<const Policy> identity_policies,
                          const Policy* resource_policy) {
  return decide(request, identity_policies, resource_policy, false);
}

EvaluationResult evaluate_trust(const RequestContext& request, const Policy& trust_policy,
                                std::span<const Policy> caller_identity_policies) {
  return decide(request, caller_identity_policies, &trust_policy, true);
}

}  // namespace signoff::policy
