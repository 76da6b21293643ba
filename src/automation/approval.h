// aws:approve: the step's inputs as AWS validates them, who an approver entry admits, and the
// quorum. Pure: the directory lookups (groups) happen behind the PrincipalDirectory port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace signoff::automation {

inline constexpr int64_t kApproveDefaultTimeout = 604800;  // 7 days
inline constexpr int64_t kApproveMaxTimeout = 2592000;     // 30 days
inline constexpr size_t kMaxApprovers = 10;
inline constexpr size_t kMaxApproveMessage = 4096;

struct ApproveInputs {
  std::vector<std::string> approvers;
  int64_t min_required = 1;
  std::string message;
  std::string notification_arn;
};

// From the step's resolved inputs. Errors carry the step's FailureMessage text.
Result<ApproveInputs> parse_approve_inputs(const json::Value& inputs);

// Whether `principal_arn` is admitted by one approver entry without asking IAM: user ARN or bare
// user name (in `account`), role ARN or bare role name for any of its sessions, an assumed-role
// ARN exactly. Groups need the directory and never match here.
bool arn_matches_approver(std::string_view principal_arn, std::string_view approver,
                          std::string_view account);

// The first entry the principal matches by ARN rules alone.
std::optional<std::string> match_approver_by_arn(std::string_view principal_arn,
                                                 const std::vector<std::string>& approvers,
                                                 std::string_view account);

struct Decision {
  std::string principal;  // ARN of who decided
  std::string approver;   // the Approvers entry it satisfied
  std::string decision;   // Approved | Rejected
  std::string comment;
  int64_t time_ms = 0;
};

enum class Tally { Waiting, Approved, Rejected };

// One Reject rejects; otherwise Approved once `min_required` distinct principals approved.
Tally tally(int64_t min_required, const std::vector<Decision>& decisions);
// Distinct principals that approved.
int64_t approvals_counted(const std::vector<Decision>& decisions);
// Whether this principal already has a decision of this kind on record (it would not count).
bool already_decided(const std::vector<Decision>& decisions, std::string_view principal,
                     std::string_view decision);

}  // namespace signoff::automation
