#include "automation/approval.h"

#include <algorithm>
#include <set>

namespace signoff::automation {

namespace {

Error step_error(std::string message) {
  return make_error("InvalidInput", std::move(message));
}

struct Arn {
  std::string service;
  std::string account;
  std::string resource;  // "user/path/name", "assumed-role/R/S", "root"
};

std::optional<Arn> split_arn(std::string_view s) {
  // arn:partition:service:region:account:resource
  if (s.rfind("arn:", 0) != 0) {
    return std::nullopt;
  }
  std::vector<std::string_view> parts;
  size_t pos = 0;
  for (int i = 0; i < 5; ++i) {
    size_t c = s.find(':', pos);
    if (c == std::string_view::npos) {
      return std::nullopt;
    }
    parts.push_back(s.substr(pos, c - pos));
    pos = c + 1;
  }
  return Arn{std::string(parts[2]), std::string(parts[4]), std::string(s.substr(pos))};
}

std::string last_segment(std::string_view r) {
  size_t slash = r.rfind('/');
  return std::string(slash == std::string_view::npos ? r : r.substr(slash + 1));
}

std::string first_segment(std::string_view r) {
  size_t slash = r.find('/');
  return std::string(slash == std::string_view::npos ? r : r.substr(0, slash));
}

// The role name in "assumed-role/ROLE/SESSION".
std::string assumed_role_name(std::string_view r) {
  std::string_view rest = r.substr(r.find('/') + 1);
  size_t slash = rest.find('/');
  return std::string(slash == std::string_view::npos ? rest : rest.substr(0, slash));
}

}  // namespace

Result<ApproveInputs> parse_approve_inputs(const json::Value& inputs) {
  ApproveInputs out;
  const json::Value* approvers = inputs.find("Approvers");
  if (!approvers || approvers->is_null()) {
    return step_error("Approvers is a required input for aws:approve.");
  }
  if (approvers->is_string()) {
    out.approvers.emplace_back(approvers->as_string());
  } else if (approvers->is_array()) {
    for (const json::Value& a : approvers->as_array()) {
      if (!a.is_string() || a.as_string().empty()) {
        return step_error("Approvers must be a list of IAM user, group or role names or ARNs.");
      }
      out.approvers.emplace_back(a.as_string());
    }
  } else {
    return step_error("Approvers must be a list of IAM user, group or role names or ARNs.");
  }
  if (out.approvers.empty()) {
    return step_error("Approvers must contain at least one approver.");
  }
  if (out.approvers.size() > kMaxApprovers) {
    return step_error("The number of approvers cannot exceed 10.");
  }
  if (const json::Value* m = inputs.find("MinRequiredApprovals"); m && !m->is_null()) {
    int64_t n = 0;
    if (m->is_int()) {
      n = m->as_int();
    } else if (m->is_string() && !m->as_string().empty() &&
               std::all_of(m->as_string().begin(), m->as_string().end(), ::isdigit) &&
               m->as_string().size() < 10) {
      n = std::stoll(std::string(m->as_string()));
    } else {
      return step_error("MinRequiredApprovals must be an integer.");
    }
    if (n < 1) {
      return step_error("MinRequiredApprovals must be a positive number.");
    }
    if (static_cast<size_t>(n) > out.approvers.size()) {
      return step_error(
          "MinRequiredApprovals can't exceed the number of approvers defined by Approvers.");
    }
    out.min_required = n;
  }
  if (const json::Value* m = inputs.find("Message"); m && !m->is_null()) {
    if (!m->is_string()) {
      return step_error("Message must be a string.");
    }
    out.message = std::string(m->as_string());
    size_t chars = static_cast<size_t>(std::count_if(out.message.begin(), out.message.end(),
                                                     [](char c) { return (c & 0xC0) != 0x80; }));
    if (chars > kMaxApproveMessage) {
      return step_error("Message cannot be longer than 4096 characters.");
    }
  }
  if (const json::Value* m = inputs.find("NotificationArn"); m && !m->is_null()) {
    if (!m->is_string()) {
      return step_error("NotificationArn must be a string.");
    }
    out.notification_arn = std::string(m->as_string());
  }
  return out;
}

bool arn_matches_approver(std::string_view principal_arn, std::string_view approver,
                          std::string_view account) {
  auto p = split_arn(principal_arn);
  if (!p) {
    return false;
  }
  std::string p_kind = first_segment(p->resource);
  if (approver.rfind("arn:", 0) != 0) {
    // A bare name: a user of the automation's account, or a role of it (any session).
    if (p->account != account) {
      return false;
    }
    if (p_kind == "user") {
      return last_segment(p->resource) == approver;
    }
    if (p_kind == "assumed-role") {
      return assumed_role_name(p->resource) == approver;
    }
    return false;
  }
  auto a = split_arn(approver);
  if (!a || a->account != p->account) {
    return false;
  }
  std::string a_kind = first_segment(a->resource);
  if (a_kind == "user" && p_kind == "user") {
    return last_segment(a->resource) == last_segment(p->resource);
  }
  if (a_kind == "role" && p_kind == "assumed-role") {
    return last_segment(a->resource) == assumed_role_name(p->resource);
  }
  if (a_kind == "assumed-role" && p_kind == "assumed-role") {
    return a->resource == p->resource;
  }
  if (a_kind == "role" && p_kind == "role") {
    return last_segment(a->resource) == last_segment(p->resource);
  }
  return false;
}

std::optional<std::string> match_approver_by_arn(std::string_view principal_arn,
                                                 const std::vector<std::string>& approvers,
                                                 std::string_view account) {
  for (const std::string& a : approvers) {
    if (arn_matches_approver(principal_arn, a, account)) {
      return a;
    }
  }
  return std::nullopt;
}

int64_t approvals_counted(const std::vector<Decision>& decisions) {
  std::set<std::string> who;
  for (const Decision& d : decisions) {
    if (d.decision == "Approved") {
      who.insert(d.principal);
    }
  }
  return static_cast<int64_t>(who.size());
}

Tally tally(int64_t min_required, const std::vector<Decision>& decisions) {
  for (const Decision& d : decisions) {
    if (d.decision == "Rejected") {
      return Tally::Rejected;
    }
  }
  return approvals_counted(decisions) >= min_required ? Tally::Approved : Tally::Waiting;
}

bool already_decided(const std::vector<Decision>& decisions, std::string_view principal,
                     std::string_view decision) {
  return std::any_of(decisions.begin(), decisions.end(), [&](const Decision& d) {
    return d.principal == principal && d.decision == decision;
  });
}

}  // namespace signoff::automation
