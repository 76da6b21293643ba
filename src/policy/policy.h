// IAM policy documents: identity policies, resource policies and role trust policies.
//
// parse_policy() validates a document the way IAM's MalformedPolicyDocument errors do and keeps
// it as a small model; evaluate() decides one request against the identity policies the caller
// gathered (inline, managed, group) and an optional resource policy, with IAM's rules: an
// explicit Deny anywhere wins, otherwise some Allow is needed, otherwise the request is
// implicitly denied.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::policy {

enum class PolicyKind {
  Identity,  // attached to a user, group or role: no Principal
  Resource,  // attached to a resource: Principal required
  Trust,     // a role's AssumeRolePolicyDocument: Principal required, no Resource
};

enum class Effect { Allow, Deny };

// One of "*", {"AWS": ...}, {"Service": ...}, {"Federated": ...}, {"CanonicalUser": ...}.
struct Principals {
  bool anyone = false;  // "*" or {"AWS": "*"}
  std::vector<std::string> aws;
  std::vector<std::string> service;
  std::vector<std::string> federated;
  std::vector<std::string> canonical_user;
};

enum class Operator {
  StringEquals,
  StringNotEquals,
  StringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase,
  StringLike,
  StringNotLike,
  NumericEquals,
  NumericNotEquals,
  NumericLessThan,
  NumericLessThanEquals,
  NumericGreaterThan,
  NumericGreaterThanEquals,
  DateEquals,
  DateNotEquals,
  DateLessThan,
  DateLessThanEquals,
  DateGreaterThan,
  DateGreaterThanEquals,
  Bool,
  BinaryEquals,
  IpAddress,
  NotIpAddress,
  ArnEquals,
  ArnLike,
  ArnNotEquals,
  ArnNotLike,
  Null,
};

enum class SetQualifier { None, ForAllValues, ForAnyValue };

struct Condition {
  std::string operator_name;  // as written, e.g. "ForAnyValue:StringLikeIfExists"
  Operator op;
  SetQualifier qualifier = SetQualifier::None;
  bool if_exists = false;
  std::string key;  // as written; keys compare case-insensitively
  std::vector<std::string> values;
};

struct Statement {
  std::string sid;
  Effect effect = Effect::Allow;
  bool not_action = false;
  std::vector<std::string> actions;
  bool has_resource = false;  // Resource or NotResource present (trust policies have neither)
  bool not_resource = false;
  std::vector<std::string> resources;
  std::optional<Principals> principal;
  bool not_principal = false;
  std::vector<Condition> conditions;
};

struct Policy {
  std::string version;  // "2012-10-17", "2008-10-17" or "" (absent: policy variables are text)
  std::string id;
  std::vector<Statement> statements;
};

struct ParseResult {
  std::optional<Policy> policy;
  std::string error;  // IAM's MalformedPolicyDocument message when policy is empty
  bool ok() const { return policy.has_value(); }
};

ParseResult parse_policy(std::string_view document, PolicyKind kind);

// Who asks for what. Condition keys are case-insensitive; every value is a string, as IAM
// passes them (numbers, dates, booleans and IPs are parsed by the operator that reads them).
struct RequestContext {
  std::string principal_arn;      // arn:aws:iam::111122223333:user/alice, ...:assumed-role/R/s
  std::string account;            // the principal's account
  std::string role_arn;           // for role sessions: the role's ARN (trust and resource policies
                                  // naming the role match its sessions)
  std::string username;           // for IAM users
  std::string service_principal;  // when a service calls (lambda.amazonaws.com)
  std::string federated_principal;  // web identity / SAML provider
  std::string action;               // "states:StartExecution"
  std::string resource;             // an ARN, or "*" for actions without resources
  std::string resource_account;     // empty: taken from the resource ARN

  void set(std::string_view key, std::vector<std::string> values);
  // Explicit keys first, then the ones derived from the fields above (aws:PrincipalArn,
  // aws:PrincipalAccount, aws:username). nullptr when the key is absent.
  const std::vector<std::string>* find(std::string_view key) const;

 private:
  std::map<std::string, std::vector<std::string>> keys_;  // lowercase names
  mutable std::map<std::string, std::vector<std::string>> derived_;
};

enum class Decision { Allow, ExplicitDeny, ImplicitDeny };

struct StatementRef {
  bool resource_policy = false;  // false: identity_policies[policy_index]
  size_t policy_index = 0;
  size_t statement_index = 0;
  std::string sid;
};

struct EvaluationResult {
  Decision decision = Decision::ImplicitDeny;
  std::optional<StatementRef> statement;  // the deciding statement (none for implicit deny)
};

EvaluationResult evaluate(const RequestContext& request, std::span<const Policy> identity_policies,
                          const Policy* resource_policy = nullptr);

// sts:AssumeRole: the role's trust policy must allow the caller; when it names only the caller's
// account (root or bare account id) or the caller is in another account, the caller's own
// identity policies must allow sts:AssumeRole on the role as well. request.action and
// request.resource (the role ARN) are set by the caller.
EvaluationResult evaluate_trust(const RequestContext& request, const Policy& trust_policy,
                                std::span<const Policy> caller_identity_policies);

}  // namespace signoff::policy
