#include "policy/conditions.h"

#include <charconv>
#include <optional>
#include <string>

#include "policy/glob.h"
#include "policy/ip.h"
#include "policy/timestamps.h"
#include "policy/variables.h"

namespace signoff::policy {
namespace {

struct Named {
  std::string_view name;
  Operator op;
};

constexpr Named kOperators[] = {
    {"StringEquals", Operator::StringEquals},
    {"StringNotEquals", Operator::StringNotEquals},
    {"StringEqualsIgnoreCase", Operator::StringEqualsIgnoreCase},
    {"StringNotEqualsIgnoreCase", Operator::StringNotEqualsIgnoreCase},
    {"StringLike", Operator::StringLike},
    {"StringNotLike", Operator::StringNotLike},
    {"NumericEquals", Operator::NumericEquals},
    {"NumericNotEquals", Operator::NumericNotEquals},
    {"NumericLessThan", Operator::NumericLessThan},
    {"NumericLessThanEquals", Operator::NumericLessThanEquals},
    {"NumericGreaterThan", Operator::NumericGreaterThan},
    {"NumericGreaterThanEquals", Operator::NumericGreaterThanEquals},
    {"DateEquals", Operator::DateEquals},
    {"DateNotEquals", Operator::DateNotEquals},
    {"DateLessThan", Operator::DateLessThan},
    {"DateLessThanEquals", Operator::DateLessThanEquals},
    {"DateGreaterThan", Operator::DateGreaterThan},
    {"DateGreaterThanEquals", Operator::DateGreaterThanEquals},
    {"Bool", Operator::Bool},
    {"BinaryEquals", Operator::BinaryEquals},
    {"IpAddress", Operator::IpAddress},
    {"NotIpAddress", Operator::NotIpAddress},
    {"ArnEquals", Operator::ArnEquals},
    {"ArnLike", Operator::ArnLike},
    {"ArnNotEquals", Operator::ArnNotEquals},
    {"ArnNotLike", Operator::ArnNotLike},
    {"Null", Operator::Null},
};

// A negated operator is its positive twin with the answer inverted (NOR over the values).
struct Base {
  Operator positive;
  bool negated;
};

Base base_of(Operator op) {
  switch (op) {
    case Operator::StringNotEquals:
      return {Operator::StringEquals, true};
    case Operator::StringNotEqualsIgnoreCase:
      return {Operator::StringEqualsIgnoreCase, true};
    case Operator::StringNotLike:
      return {Operator::StringLike, true};
    case Operator::NumericNotEquals:
      return {Operator::NumericEquals, true};
    case Operator::DateNotEquals:
      return {Operator::DateEquals, true};
    case Operator::NotIpAddress:
      return {Operator::IpAddress, true};
    case Operator::ArnNotEquals:
      return {Operator::ArnEquals, true};
    case Operator::ArnNotLike:
      return {Operator::ArnLike, true};
    default:
      return {op, false};
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') {
      x = static_cast<char>(x - 'A' + 'a');
    }
    if (y >= 'A' && y <= 'Z') {
      y = static_cast<char>(y - 'A' + 'a');
    }
    if (x != y) {
      return false;
    }
  }
  return true;
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end || s.empty()) {
    return std::nullopt;
  }
  return v;
}

template <typename T>
bool compare(Operator op, T r, T v) {
  switch (op) {
    case Operator::NumericEquals:
    case Operator::DateEquals:
      return r == v;
    case Operator::NumericLessThan:
    case Operator::DateLessThan:
      return r < v;
    case Operator::NumericLessThanEquals:
    case Operator::DateLessThanEquals:
      return r <= v;
    case Operator::NumericGreaterThan:
    case Operator::DateGreaterThan:
      return r > v;
    case Operator::NumericGreaterThanEquals:
    case Operator::DateGreaterThanEquals:
      return r >= v;
    default:
      return false;
  }
}

bool wants_pattern(Operator op) {
  return op == Operator::StringLike || op == Operator::ArnLike || op == Operator::ArnEquals;
}

// Whether one request value matches one (unresolved) policy value under a positive operator.
bool positive_match(Operator op, std::string_view r, std::string_view policy_value, bool variables,
                    const RequestContext& ctx) {
  if (wants_pattern(op)) {
    std::optional<Pattern> p = resolve_pattern(policy_value, variables, ctx);
    if (!p) {
      return false;
    }
    return op == Operator::StringLike ? glob_match(*p, r, false) : arn_match(*p, r);
  }
  std::optional<std::string> v = resolve_text(policy_value, variables, ctx);
  if (!v) {
    return false;
  }
  switch (op) {
    case Operator::StringEquals:
    case Operator::BinaryEquals:
      return r == *v;
    case Operator::StringEqualsIgnoreCase:
    case Operator::Bool:
      return iequals(r, *v);
    case Operator::NumericEquals:
    case Operator::NumericLessThan:
    case Operator::NumericLessThanEquals:
    case Operator::NumericGreaterThan:
    case Operator::NumericGreaterThanEquals: {
      std::optional<double> a = number(r), b = number(*v);
      return a && b && compare(op, *a, *b);
    }
    case Operator::DateEquals:
    case Operator::DateLessThan:
    case Operator::DateLessThanEquals:
    case Operator::DateGreaterThan:
    case Operator::DateGreaterThanEquals: {
      std::optional<long long> a = parse_policy_date(r), b = parse_policy_date(*v);
      return a && b && compare(op, *a, *b);
    }
    case Operator::IpAddress: {
      std::optional<IpAddress> ip = parse_ip(r);
      std::optional<CidrBlock> block = parse_cidr(*v);
      return ip && block && cidr_contains(*block, *ip);
    }
    default:
      return false;
  }
}

}  // namespace

bool parse_operator(std::string_view name, Operator& op, SetQualifier& qualifier, bool& if_exists) {
  qualifier = SetQualifier::None;
  if (name.starts_with("ForAllValues:")) {
    qualifier = SetQualifier::ForAllValues;
    name.remove_prefix(13);
  } else if (name.starts_with("ForAnyValue:")) {
    qualifier = SetQualifier::ForAnyValue;
    name.remove_prefix(12);
  }
  if_exists = name.ends_with("IfExists");
  if (if_exists) {
    name.remove_suffix(8);
  }
  for (const Named& n : kOperators) {
    if (n.name == name) {
      op = n.op;
      return !(if_exists && op == Operator::Null);
    }
  }
  return false;
}

bool condition_holds(const Condition& c, const RequestContext& ctx, bool variables) {
  const std::vector<std::string>* found = ctx.find(c.key);
  const bool present = found && !found->empty();
  if (c.op == Operator::Null) {
    for (const std::string& v : c.values) {
      if ((iequals(v, "true") && !present) || (iequals(v, "false") && present)) {
        return true;
      }
    }
    return false;
  }
  const Base base = base_of(c.op);
  if (!present) {
    if (c.if_exists || c.qualifier == SetQualifier::ForAllValues) {
      return true;
    }
    return c.qualifier == SetQualifier::None && base.negated;
  }
  auto satisfied = [&](const std::string& r) {
    bool any = false;
    for (const std::string& v : c.values) {
      if (positive_match(base.positive, r, v, variables, ctx)) {
        any = true;
        break;
      }
    }
    return any != base.negated;
  };
  // Without a qualifier a multi-valued key behaves as AWS documents for single values applied
  // to each: a positive operator needs one matching value, a negated one needs every value to
  // stay clear of the list.
  const bool need_all = c.qualifier == SetQualifier::ForAllValues ||
                        (c.qualifier == SetQualifier::None && base.negated);
  for (const std::string& r : *found) {
    const bool ok = satisfied(r);
    if (need_all && !ok) {
      return false;
    }
    if (!need_all && ok) {
      return true;
    }
  }
  return need_all;
}

}  // namespace signoff::policy
