// MalformedPolicyDocument texts, as IAM returns them:
// "Syntax errors in policy." (99designs/iamy#74, boto/boto3#180); "The policy failed legacy
// parsing" (hashicorp/terraform#10057: Effect "allow"); "Policy document should not specify a
// principal." (hashicorp/terraform#13449); "Missing required field Principal" / "Statement"
// (spantaleev/matrix-docker-ansible-deploy#1869, versity/versitygw#1176); "Policy statement must
// contain actions." (aws/aws-cdk#7615) / "resources." (hashicorp/terraform#17987); "Has prohibited
// field Resource" (kubernetes-sigs/external-dns#3085); "Resource X must be in ARN format or "*"."
// (felipefrizzo/terraform-aws-transfer-server#6); "Actions/Condition can contain only one colon."
// (garnaat/kappa#111). The remaining texts (missing Effect, vendor prefix, invalid principal, Sid
// rules) follow IAM's wording as best known; see the module report.
#include <set>
#include <string>

#include "common/json.h"
#include "policy/conditions.h"
#include "policy/policy.h"

namespace signoff::policy {
namespace {

constexpr std::string_view kSyntax = "Syntax errors in policy.";
constexpr std::string_view kLegacy = "The policy failed legacy parsing";

struct Failure {
  std::string message;
};

// Strings or arrays of strings (Action, Resource, principal values).
bool string_list(const json::Value& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    out.emplace_back(v.as_string());
    return true;
  }
  if (!v.is_array()) {
    return false;
  }
  for (const json::Value& item : v.as_array()) {
    if (!item.is_string()) {
      return false;
    }
    out.emplace_back(item.as_string());
  }
  return true;
}

bool scalar_text(const json::Value& v, std::string& out) {
  if (v.is_string()) {
    out = v.as_string();
  } else if (v.is_bool()) {
    out = v.as_bool() ? "true" : "false";
  } else if (v.is_int()) {
    out = std::to_string(v.as_int());
  } else if (v.is_double()) {
    out.clear();
    json::format_double(v.as_double(), out);
  } else {
    return false;
  }
  return true;
}

std::optional<Failure> check_action(const std::string& a) {
  if (a == "*") {
    return std::nullopt;
  }
  const size_t colon = a.find(':');
  if (colon == std::string::npos) {
    return Failure{"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."};
  }
  if (a.find(':', colon + 1) != std::string::npos) {
    return Failure{"Actions/Condition can contain only one colon."};
  }
  return std::nullopt;
}

std::optional<Failure> check_resource(const std::string& r) {
  if (r == "*") {
    return std::nullopt;
  }
  size_t colons = 0;
  for (char c : r) {
    colons += c == ':' ? 1 : 0;
  }
  if (!r.starts_with("arn:") || colons < 5) {
    return Failure{"Resource " + r + " must be in ARN format or \"*\"."};
  }
  return std::nullopt;
}

bool all_digits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

// "*", a 12-digit account, or an IAM/STS ARN with an account. IAM also checks that the named
// principal exists; that needs the store and is the caller's business.
bool valid_aws_principal(std::string_view p) {
  if (p == "*" || (p.size() == 12 && all_digits(p))) {
    return true;
  }
  if (!p.starts_with("arn:")) {
    return false;
  }
  // arn:partition:service::account:resource
  size_t fields[5];
  size_t at = 0;
  for (size_t& f : fields) {
    at = p.find(':', at);
    if (at == std::string_view::npos) {
      return false;
    }
    f = at++;
  }
  const std::string_view service = p.substr(fields[1] + 1, fields[2] - fields[1] - 1);
  const std::string_view account = p.substr(fields[3] + 1, fields[4] - fields[3] - 1);
  return (service == "iam" || service == "sts") && account.size() == 12 && all_digits(account) &&
         fields[4] + 1 < p.size();
}

std::optional<Failure> parse_principal(const json::Value& v, Principals& out) {
  if (v.is_string()) {
    if (v.as_string() != "*") {
      return Failure{"Invalid principal in policy: \"" + std::string(v.as_string()) + "\""};
    }
    out.anyone = true;
    return std::nullopt;
  }
  if (!v.is_object() || v.size() == 0) {
    return Failure{std::string(kSyntax)};
  }
  for (const json::Member& m : v.as_object()) {
    std::vector<std::string> values;
    if (!string_list(m.value, values)) {
      return Failure{std::string(kSyntax)};
    }
    if (m.key == "AWS") {
      for (const std::string& p : values) {
        if (!valid_aws_principal(p)) {
          return Failure{"Invalid principal in policy: \"AWS\":\"" + p + "\""};
        }
        if (p == "*") {
          out.anyone = true;
        }
      }
      out.aws.insert(out.aws.end(), values.begin(), values.end());
    } else if (m.key == "Service") {
      for (const std::string& p : values) {
        if (p.empty() || p.find('.') == std::string::npos) {
          return Failure{"Invalid principal in policy: \"SERVICE\":\"" + p + "\""};
        }
      }
      out.service.insert(out.service.end(), values.begin(), values.end());
    } else if (m.key == "Federated") {
      out.federated.insert(out.federated.end(), values.begin(), values.end());
    } else if (m.key == "CanonicalUser") {
      out.canonical_user.insert(out.canonical_user.end(), values.begin(), values.end());
    } else {
      return Failure{std::string(kSyntax)};
    }
  }
  return std::nullopt;
}

std::optional<Failure> parse_conditions(const json::Value& v, std::vector<Condition>& out) {
  if (!v.is_object()) {
    return Failure{std::string(kSyntax)};
  }
  for (const json::Member& block : v.as_object()) {
    Condition proto;
    proto.operator_name = block.key;
    if (!parse_operator(block.key, proto.op, proto.qualifier, proto.if_exists) ||
        !block.value.is_object()) {
      return Failure{std::string(kSyntax)};
    }
    for (const json::Member& entry : block.value.as_object()) {
      if (entry.key.find(':') == std::string::npos) {
        return Failure{
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."};
      }
      Condition c = proto;
      c.key = entry.key;
      std::string text;
      if (entry.value.is_array()) {
        for (const json::Value& item : entry.value.as_array()) {
          if (!scalar_text(item, text)) {
            return Failure{std::string(kSyntax)};
          }
          c.values.push_back(text);
        }
      } else if (scalar_text(entry.value, text)) {
        c.values.push_back(text);
      } else {
        return Failure{std::string(kSyntax)};
      }
      out.push_back(std::move(c));
    }
  }
  return std::nullopt;
}

bool alphanumeric(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      return false;
    }
  }
  return true;
}

std::optional<Failure> parse_statement(const json::Value& v, PolicyKind kind, Statement& s) {
  if (!v.is_object()) {
    return Failure{std::string(kSyntax)};
  }
  static const std::set<std::string_view> kFields = {"Sid",       "Effect",       "Action",
                                                     "NotAction", "Resource",     "NotResource",
                                                     "Principal", "NotPrincipal", "Condition"};
  for (const json::Member& m : v.as_object()) {
    if (!kFields.count(m.key)) {
      return Failure{std::string(kSyntax)};
    }
  }
  if (const json::Value* sid = v.find("Sid")) {
    if (!sid->is_string()) {
      return Failure{std::string(kSyntax)};
    }
    s.sid = sid->as_string();
    if (kind != PolicyKind::Resource && !alphanumeric(s.sid)) {
      return Failure{
          "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
          "regular expression [0-9A-Za-z]*"};
    }
  }
  const json::Value* effect = v.find("Effect");
  if (!effect) {
    return Failure{"Missing required field Effect"};
  }
  if (!effect->is_string() || (effect->as_string() != "Allow" && effect->as_string() != "Deny")) {
    return Failure{std::string(kLegacy)};
  }
  s.effect = effect->as_string() == "Allow" ? Effect::Allow : Effect::Deny;

  const json::Value* action = v.find("Action");
  const json::Value* not_action = v.find("NotAction");
  if (action && not_action) {
    return Failure{std::string(kSyntax)};
  }
  if (!action && !not_action) {
    return Failure{"Policy statement must contain actions."};
  }
  s.not_action = not_action != nullptr;
  if (!string_list(action ? *action : *not_action, s.actions)) {
    return Failure{std::string(kSyntax)};
  }
  for (const std::string& a : s.actions) {
    if (auto f = check_action(a)) {
      return f;
    }
  }

  const json::Value* resource = v.find("Resource");
  const json::Value* not_resource = v.find("NotResource");
  if (kind == PolicyKind::Trust && (resource || not_resource)) {
    return Failure{resource ? "Has prohibited field Resource" : "Has prohibited field NotResource"};
  }
  if (resource && not_resource) {
    return Failure{std::string(kSyntax)};
  }
  if (kind != PolicyKind::Trust) {
    if (!resource && !not_resource) {
      return Failure{"Policy statement must contain resources."};
    }
    s.has_resource = true;
    s.not_resource = not_resource != nullptr;
    if (!string_list(resource ? *resource : *not_resource, s.resources)) {
      return Failure{std::string(kSyntax)};
    }
    for (const std::string& r : s.resources) {
      if (auto f = check_resource(r)) {
        return f;
      }
    }
  }

  const json::Value* principal = v.find("Principal");
  const json::Value* not_principal = v.find("NotPrincipal");
  if (kind == PolicyKind::Identity && (principal || not_principal)) {
    return Failure{"Policy document should not specify a principal."};
  }
  if (principal && not_principal) {
    return Failure{std::string(kSyntax)};
  }
  if (kind != PolicyKind::Identity) {
    if (!principal && !not_principal) {
      return Failure{"Missing required field Principal"};
    }
    s.not_principal = not_principal != nullptr;
    s.principal.emplace();
    if (auto f = parse_principal(principal ? *principal : *not_principal, *s.principal)) {
      return f;
    }
  }

  if (const json::Value* condition = v.find("Condition")) {
    if (auto f = parse_conditions(*condition, s.conditions)) {
      return f;
    }
  }
  return std::nullopt;
}

}  // namespace

ParseResult parse_policy(std::string_view document, PolicyKind kind) {
  ParseResult out;
  auto fail = [&out](std::string message) {
    out.error = std::move(message);
    out.policy.reset();
    return out;
  };
  json::ParseResult doc = json::parse(document, 64);
  if (!doc.ok() || !doc.value.is_object()) {
    return fail(std::string(kSyntax));
  }
  for (const json::Member& m : doc.value.as_object()) {
    if (m.key != "Version" && m.key != "Id" && m.key != "Statement") {
      return fail(std::string(kSyntax));
    }
  }
  Policy p;
  if (const json::Value* version = doc.value.find("Version")) {
    if (!version->is_string() ||
        (version->as_string() != "2012-10-17" && version->as_string() != "2008-10-17")) {
      return fail(std::string(kSyntax));
    }
    p.version = version->as_string();
  }
  if (const json::Value* id = doc.value.find("Id")) {
    if (!id->is_string()) {
      return fail(std::string(kSyntax));
    }
    p.id = id->as_string();
  }
  const json::Value* statements = doc.value.find("Statement");
  if (!statements) {
    return fail("Missing required field Statement");
  }
  std::vector<json::Value> items;
  if (statements->is_array()) {
    items.assign(statements->as_array().begin(), statements->as_array().end());
  } else {
    items.push_back(*statements);
  }
  std::set<std::string> sids;
  for (const json::Value& item : items) {
    Statement s;
    if (auto f = parse_statement(item, kind, s)) {
      return fail(std::move(f->message));
    }
    if (!s.sid.empty() && kind != PolicyKind::Resource && !sids.insert(s.sid).second) {
      return fail("Statement IDs (SID) in a single policy must be unique.");
    }
    p.statements.push_back(std::move(s));
  }
  out.policy = std::move(p);
  return out;
}

}  // namespace signoff::policy
