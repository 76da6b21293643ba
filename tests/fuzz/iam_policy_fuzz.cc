// Parses arbitrary text as an identity, resource and trust policy, and evaluates whatever parses
// against fixed requests that exercise variables, every condition key type and principals.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/policy.h"

namespace {

signoff::policy::RequestContext user_request() {
  signoff::policy::RequestContext ctx;
  ctx.principal_arn = "arn:aws:iam::111122223333:user/alice";
  ctx.account = "111122223333";
  ctx.username = "alice";
  ctx.action = "states:StartExecution";
  ctx.resource = "arn:aws:states:us-east-1:111122223333:stateMachine:Approve";
  ctx.set("aws:SourceIp", {"203.0.113.7"});
  ctx.set("aws:CurrentTime", {"2026-12-01T00:00:00Z"});
  ctx.set("aws:SecureTransport", {"true"});
  ctx.set("aws:TagKeys", {"env", "team"});
  ctx.set("ssm:Count", {"5"});
  ctx.set("aws:SourceArn", {"arn:aws:events:us-east-1:111122223333:rule/r"});
  return ctx;
}

signoff::policy::RequestContext service_request() {
  signoff::policy::RequestContext ctx;
  ctx.service_principal = "lambda.amazonaws.com";
  ctx.action = "sts:AssumeRole";
  ctx.resource = "arn:aws:iam::111122223333:role/approver";
  ctx.set("aws:SourceIp", {"2001:db8::1"});
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace signoff::policy;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const RequestContext user = user_request();
  static const RequestContext service = service_request();
  ParseResult identity = parse_policy(text, PolicyKind::Identity);
  if (identity.ok()) {
    (void)evaluate(user, std::span<const Policy>(&*identity.policy, 1));
  }
  ParseResult resource = parse_policy(text, PolicyKind::Resource);
  if (resource.ok()) {
    (void)evaluate(user, {}, &*resource.policy);
  }
  ParseResult trust = parse_policy(text, PolicyKind::Trust);
  if (trust.ok()) {
    (void)evaluate_trust(service, *trust.policy, {});
    (void)evaluate_trust(user, *trust.policy, {});
  }
  return 0;
}
