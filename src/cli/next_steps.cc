#include "cli/next_steps.h"

#include <filesystem>

#include <unistd.h>

namespace signoff::cli {
namespace {

std::string output(const app::DeployedStack& s, const std::string& key) {
  auto it = s.outputs.find(key);
  return it == s.outputs.end() ? std::string() : it->second;
}

// The running binary, so printed `signoff mail` commands work from any directory.
std::string self_path() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("signoff") : p.string();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

}  // namespace

void print_next_steps(std::FILE* out, const app::AppOptions& o, uint16_t port,
                      const std::string& stack_name, const app::DeployedStack& stack) {
  std::string host = o.address == "0.0.0.0" || o.address.empty() ? "127.0.0.1" : o.address;
  std::string url = "http://" + host + ":" + std::to_string(port);
  std::string ep = "--endpoint-url " + url;
  std::string data = std::filesystem::absolute(o.data_dir).lexically_normal().string();
  std::string mail = self_path() + " mail --data " + data;
  std::fprintf(out, "\nSignoff is running at %s; stack %s is %s%s.\n\n", url.c_str(),
               stack_name.c_str(), stack.status.c_str(), stack.changed ? "" : " (unchanged)");
  std::fprintf(out, "  Console:      %s/console/\n", url.c_str());
  if (o.smtp_url.empty()) {
    std::fprintf(out, "  Mail:         written to %s/mail/ (one .eml per message)\n", data.c_str());
    std::fprintf(out, "                read the newest: %s\n", mail.c_str());
  } else {
    std::fprintf(out, "  Mail:         sent through %s\n",
                 app::describe_mail_destination(o).c_str());
  }
  std::fprintf(out, "  Credentials:  profile \"signoff\" (the administrator) in %s/credentials\n",
               data.c_str());

  std::string machine = output(stack, "StateMachineArn");
  std::string approver = output(stack, "ApproverUserName");
  if (machine.empty()) {
    for (const auto& [k, v] : stack.outputs) {
      std::fprintf(out, "  %s = %s\n", k.c_str(), v.c_str());
    }
    std::fflush(out);
    return;
  }
  std::string input = output(stack, "ExampleInput");
  if (input.empty()) {
    input = "{}";
  }
  std::fprintf(out, "\nYour first approval, in another terminal (bash):\n\n");
  std::fprintf(out,
               "  export AWS_SHARED_CREDENTIALS_FILE=%s/credentials AWS_PROFILE=signoff "
               "AWS_DEFAULT_REGION=%s\n\n",
               data.c_str(), o.region.c_str());
  if (o.smtp_url.empty()) {
    std::fprintf(out,
                 "  # 1. Once: confirm the approver's e-mail subscription (the link in the "
                 "first mail)\n  curl -s \"$(%s --link /sns/confirm)\" >/dev/null\n\n",
                 mail.c_str());
  } else {
    std::fprintf(out,
                 "  # 1. Once: confirm the approver's e-mail subscription (the link in the "
                 "first mail)\n\n");
  }
  if (!approver.empty()) {
    std::fprintf(out,
                 "  # 2. Once: an access key for the approver, as profile \"approver\"\n"
                 "  read KEY SECRET < <(aws %s iam create-access-key --user-name %s "
                 "--query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)\n"
                 "  aws configure set aws_access_key_id \"$KEY\" --profile approver\n"
                 "  aws configure set aws_secret_access_key \"$SECRET\" --profile approver\n\n",
                 ep.c_str(), approver.c_str());
  }
  std::fprintf(out,
               "  # 3. Ask for an approval\n"
               "  EXECUTION=$(aws %s stepfunctions start-execution --state-machine-arn %s "
               "--input %s --query executionArn --output text)\n\n",
               ep.c_str(), machine.c_str(), shell_quote(input).c_str());
  std::fprintf(out,
               "  # 4. Read the approval mail, then approve as the approver (or "
               "--signal-type Reject)\n");
  if (o.smtp_url.empty()) {
    std::fprintf(out, "  %s\n", mail.c_str());
  }
  std::fprintf(out,
               "  REQUEST=$(aws %s ssm describe-automation-executions --filters "
               "Key=ExecutionStatus,Values=Waiting --query "
               "'AutomationExecutionMetadataList[0].AutomationExecutionId' --output text)\n"
               "  aws %s --profile approver ssm send-automation-signal "
               "--automation-execution-id \"$REQUEST\" --signal-type Approve --payload "
               "Comment=\"Looks good\"\n\n",
               ep.c_str(), ep.c_str());
  if (!approver.empty()) {
    // The console acts with the signed-in user's own permissions; the example's approver group
    // may read automations and executions, so its pages work for this user.
    std::fprintf(out,
                 "  #    Or in the console: give the approver a password once,\n"
                 "  aws %s iam create-login-profile --user-name %s --password 'choose-a-password'\n"
                 "  #    then open the link in the approval mail (or %s/console/) and sign in\n"
                 "  #    with account %s, user %s.\n\n",
                 ep.c_str(), approver.c_str(), url.c_str(), o.account.c_str(), approver.c_str());
  }
  std::fprintf(out,
               "  # 5. The flow went on through Approved\n"
               "  aws %s stepfunctions describe-execution --execution-arn \"$EXECUTION\" "
               "--query status\n\n",
               ep.c_str());
  std::fflush(out);
}

}  // namespace signoff::cli
