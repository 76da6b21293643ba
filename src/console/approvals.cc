#include "console/approvals.h"

#include <algorithm>
#include <vector>

namespace signoff::console {
namespace {

using json::Value;

std::string str(const Value& v, std::string_view key) {
  const Value* m = v.find(key);
  if (m == nullptr) {
    return {};
  }
  if (m->is_string()) {
    return std::string(m->as_string());
  }
  // SSM's wire holds step inputs and outputs as strings or lists of strings.
  if (m->is_array() && m->size() == 1 && m->at(0)->is_string()) {
    return std::string(m->at(0)->as_string());
  }
  if (m->is_number() || m->is_bool()) {
    return json::dump(*m);
  }
  return {};
}

double num(const Value& v, std::string_view key) {
  const Value* m = v.find(key);
  if (m != nullptr && m->is_number()) {
    return m->as_double();
  }
  if (m != nullptr && m->is_string()) {
    try {
      return std::stod(std::string(m->as_string()));
    } catch (const std::exception&) {
    }
  }
  return 0;
}

// A decision as ApproverDecisions lists it: an object, or a string holding one.
std::optional<Value> decision_object(const Value& item) {
  if (item.is_object()) {
    return item;
  }
  if (item.is_string()) {
    json::ParseResult p = json::parse(item.as_string(), 8);
    if (p.ok() && p.value.is_object()) {
      return p.value;
    }
  }
  return std::nullopt;
}

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  return c == '-' ? 62 : c == '_' ? 63 : -1;
}

}  // namespace

std::string execution_in_token(std::string_view token) {
  size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot > 4096) {
    return {};
  }
  std::string bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : token.substr(0, dot)) {
    int v = base64url_value(c);
    if (v < 0) {
      return {};
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  size_t nl = bytes.rfind('\n');
  if (nl == std::string::npos || !bytes.starts_with("arn:aws:states:") ||
      bytes.find(":execution:") == std::string::npos) {
    return {};
  }
  return bytes.substr(0, nl);
}

std::vector<std::string> approvers_from(const Value* v) {
  std::vector<std::string> out;
  if (v == nullptr) {
    return out;
  }
  auto add_text = [&out](std::string_view s) {
    json::ParseResult p = json::parse(s, 4);
    if (p.ok() && p.value.is_array()) {
      for (const Value& e : p.value.as_array()) {
        if (e.is_string()) {
          out.emplace_back(e.as_string());
        }
      }
    } else if (!s.empty()) {
      out.emplace_back(s);
    }
  };
  if (v->is_string()) {
    add_text(v->as_string());
  } else if (v->is_array()) {
    for (const Value& e : v->as_array()) {
      if (e.is_string()) {
        add_text(e.as_string());
      }
    }
  }
  return out;
}

Value approval_from_steps(const Value& answer) {
  const Value* steps = answer.find("StepExecutions");
  if (steps == nullptr || !steps->is_array()) {
    return Value();
  }
  // The last aws:approve step started is the one that matters (a document may approve twice).
  const Value* step = nullptr;
  for (const Value& s : steps->as_array()) {
    if (str(s, "Action") == "aws:approve") {
      step = &s;
    }
  }
  if (step == nullptr) {
    return Value();
  }
  const Value* inputs = step->find("Inputs");
  Value empty = Value::object();
  const Value& in = inputs && inputs->is_object() ? *inputs : empty;
  std::vector<Value> approvers;
  for (const std::string& a : approvers_from(in.find("Approvers"))) {
    approvers.emplace_back(a);
  }
  std::vector<Value> decisions;
  std::string status = "Waiting";
  if (const Value* out = step->find("Outputs"); out && out->is_object()) {
    if (const Value* list = out->find("ApproverDecisions"); list && list->is_array()) {
      for (const Value& item : list->as_array()) {
        if (auto d = decision_object(item)) {
          decisions.push_back(Value::object({{"approver", Value(str(*d, "Approver"))},
                                             {"decision", Value(str(*d, "Decision"))},
                                             {"comment", Value(str(*d, "Comment"))},
                                             {"time", Value(str(*d, "DecisionTime"))}}));
        }
      }
    }
    std::string s = str(*out, "ApprovalStatus");
    if (!s.empty()) {
      status = s;
    }
  }
  double min_required = num(in, "MinRequiredApprovals");
  double timeout = num(*step, "TimeoutSeconds");
  double started = num(*step, "ExecutionStartTime");
  return Value::object({
      {"stepName", Value(str(*step, "StepName"))},
      {"stepExecutionId", Value(str(*step, "StepExecutionId"))},
      {"stepStatus", Value(str(*step, "StepStatus"))},
      {"message", Value(str(in, "Message"))},
      {"notificationArn", Value(str(in, "NotificationArn"))},
      {"approvers", Value::array(std::move(approvers))},
      {"minRequiredApprovals", Value(static_cast<int64_t>(min_required < 1 ? 1 : min_required))},
      {"decisions", Value::array(std::move(decisions))},
      {"approvalStatus", Value(status)},
      {"startTime", Value(started)},
      {"deadline", Value(started + (timeout > 0 ? timeout : 604800))},
  });
}

namespace {

Result<Value> approval_with_meta(const Viewer& v, std::string_view id, const Value& meta) {
  auto steps =
      v.caller.json("AmazonSSM.DescribeAutomationStepExecutions",
                    Value::object({{"AutomationExecutionId", Value(id)}}), v.who, v.remote);
  if (!steps.ok()) {
    return steps.error();
  }
  Value approval = approval_from_steps(*steps);
  std::string status = str(meta, "AutomationExecutionStatus");
  if (approval.is_object()) {
    std::vector<std::string> approvers;
    for (const Value& a : approval.find("approvers")->as_array()) {
      approvers.emplace_back(a.as_string());
    }
    std::optional<std::string> matched = v.identity.matching_approver(v.who, approvers);
    bool decided = false;
    for (const Value& d : approval.find("decisions")->as_array()) {
      decided = decided || str(d, "approver") == v.who.arn;
    }
    bool waiting = str(approval, "stepStatus") == "Waiting";
    approval.set("matchedApprover", matched ? Value(*matched) : Value());
    approval.set("decidedByMe", Value(decided));
    approval.set("canDecide", Value(waiting && matched.has_value() && !decided));
  }
  const Value* params = meta.find("Parameters");
  // A callback token a workflow hands its automation is a credential (it completes the task):
  // never shown, only the execution it names.
  Value shown = Value::object();
  std::string requesting;
  if (params && params->is_object()) {
    for (const json::Member& m : params->as_object()) {
      std::string value = str(*params, m.key);
      std::string execution = execution_in_token(value);
      if (!execution.empty()) {
        requesting = execution;
      } else if (m.key != "SfnToken" && m.key != "TaskToken") {
        shown.set(m.key, m.value);
      }
    }
  }
  return Value::object({{"executionId", Value(id)},
                        {"documentName", Value(str(meta, "DocumentName"))},
                        {"executionStatus", Value(status)},
                        {"executedBy", Value(str(meta, "ExecutedBy"))},
                        {"startTime", Value(num(meta, "ExecutionStartTime"))},
                        {"parentExecutionId", Value(str(meta, "ParentAutomationExecutionId"))},
                        {"requestingExecution", Value(requesting)},
                        {"parameters", shown},
                        {"approval", approval}});
}

}  // namespace

Result<Value> approval_of(const Viewer& v, std::string_view execution_id) {
  auto got = v.caller.json("AmazonSSM.GetAutomationExecution",
                           Value::object({{"AutomationExecutionId", Value(execution_id)}}), v.who,
                           v.remote);
  if (!got.ok()) {
    return got.error();
  }
  const Value* meta = got->find("AutomationExecution");
  return approval_with_meta(v, execution_id, meta ? *meta : Value::object());
}

Result<Value> waiting_for(const Viewer& v) {
  std::vector<Value> out;
  std::string next;
  for (int page = 0; page < 10; ++page) {
    Value input = Value::object(
        {{"Filters", Value::array({Value::object({{"Key", Value("ExecutionStatus")},
                                                  {"Values", Value::array({Value("Waiting")})}})})},
         {"MaxResults", Value(int64_t{50})}});
    if (!next.empty()) {
      input.set("NextToken", Value(next));
    }
    auto list = v.caller.json("AmazonSSM.DescribeAutomationExecutions", input, v.who, v.remote);
    if (!list.ok()) {
      return list.error();
    }
    if (const Value* items = list->find("AutomationExecutionMetadataList");
        items && items->is_array()) {
      for (const Value& meta : items->as_array()) {
        std::string id = str(meta, "AutomationExecutionId");
        auto item = approval_with_meta(v, id, meta);
        if (!item.ok()) {
          continue;  // gone since it was listed, or not readable: not this principal's to decide
        }
        const Value* a = item->find("approval");
        const Value* can = a && a->is_object() ? a->find("canDecide") : nullptr;
        if (can && can->is_bool() && can->as_bool()) {
          out.push_back(std::move(*item));
        }
      }
    }
    next = str(*list, "NextToken");
    if (next.empty()) {
      break;
    }
  }
  std::sort(out.begin(), out.end(), [](const Value& a, const Value& b) {
    return num(a, "startTime") < num(b, "startTime");
  });
  return Value::object({{"approvals", Value::array(std::move(out))}});
}

}  // namespace signoff::console
