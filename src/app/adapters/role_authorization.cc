#include "app/adapters/role_authorization.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "functions/names.h"
#include "functions/util.h"

namespace signoff::app {

namespace {

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m != nullptr && m->is_string() ? std::string(m->as_string()) : std::string();
}

// The resources one call acts on; an error text when they cannot be told (the inner integration
// then reports the malformed parameters itself).
using Resources = std::function<std::vector<std::string>(const engine::TaskCall&)>;
// (error, cause) of a refusal, in the words the target service's SDK exception would use.
using Refusal = std::function<engine::TaskResult(const std::string& who, const std::string& action,
                                                 const std::string& resource, bool explicit_deny)>;

std::string denial_text(const std::string& who, const std::string& action,
                        const std::string& resource, bool explicit_deny) {
  return "User: " + who + " is not authorized to perform: " + action + " on resource: " + resource +
         (explicit_deny ? " with an explicit deny in an identity-based policy"
                        : " because no identity-based policy allows the " + action + " action");
}

class AsRole final : public engine::TaskIntegration {
 public:
  AsRole(engine::TaskIntegrationPtr inner, const iam::IdentityService& identity, std::string action,
         Resources resources, Refusal refusal)
      : inner_(std::move(inner)),
        identity_(identity),
        action_(std::move(action)),
        resources_(std::move(resources)),
        refusal_(std::move(refusal)) {}

  bool handles(std::string_view resource) const override { return inner_->handles(resource); }

  void run(const engine::TaskCall& call, engine::TaskDone done) override {
    auto who = identity_.principal_for_role(call.role_arn);
    if (!who.ok()) {
      engine::TaskResult r = refusal_(call.role_arn, action_, "*", false);
      r.cause = "The state machine's role " + call.role_arn + " cannot act: " + who.error().message;
      return done(std::move(r));
    }
    for (const std::string& resource : resources_(call)) {
      policy::Decision d = identity_.authorize(*who, action_, resource);
      if (d != policy::Decision::Allow) {
        return done(refusal_(who->arn, action_, resource, d == policy::Decision::ExplicitDeny));
      }
    }
    inner_->run(call, std::move(done));
  }

 private:
  engine::TaskIntegrationPtr inner_;
  const iam::IdentityService& identity_;
  std::string action_;
  Resources resources_;
  Refusal refusal_;
};

std::string sdk_cause(const std::string& message, const std::string& service,
                      const std::string& code, int status) {
  return message + " (Service: " + service + "; Status Code: " + std::to_string(status) +
         "; Error Code: " + code + "; Request ID: " + functions::uuid4() + "; Proxy: null)";
}

}  // namespace

engine::TaskIntegrationPtr lambda_as_role(engine::TaskIntegrationPtr inner,
                                          const iam::IdentityService& identity) {
  Resources resources = [](const engine::TaskCall& call) -> std::vector<std::string> {
    bool optimized = call.resource.rfind("arn:aws:states:::", 0) == 0;
    std::string function = optimized ? str(call.parameters, "FunctionName") : call.resource;
    auto ref =
        functions::parse_function_ref(function, str(call.parameters, "Qualifier"), call.region);
    if (!ref.ok()) {
      return {};
    }
    std::string arn = functions::function_arn(ref->region, call.account, ref->name);
    if (!ref->qualifier.empty()) {
      arn += ":" + ref->qualifier;
    }
    return {arn};
  };
  Refusal refusal = [](const std::string& who, const std::string& action,
                       const std::string& resource, bool explicit_deny) {
    engine::TaskResult r;
    r.ok = false;
    r.error = "Lambda.AccessDeniedException";
    r.cause = sdk_cause(denial_text(who, action, resource, explicit_deny), "AWSLambda",
                        "AccessDeniedException", 403);
    return r;
  };
  return std::make_shared<AsRole>(std::move(inner), identity, "lambda:InvokeFunction",
                                  std::move(resources), std::move(refusal));
}

engine::TaskIntegrationPtr sns_as_role(engine::TaskIntegrationPtr inner,
                                       const iam::IdentityService& identity) {
  Resources resources = [](const engine::TaskCall& call) -> std::vector<std::string> {
    std::string topic = str(call.parameters, "TopicArn");
    if (topic.empty()) {
      topic = str(call.parameters, "TargetArn");
    }
    if (topic.empty()) {
      return {};
    }
    return {topic};
  };
  Refusal refusal = [](const std::string& who, const std::string& action,
                       const std::string& resource, bool explicit_deny) {
    engine::TaskResult r;
    r.ok = false;
    r.error = "SNS.AuthorizationErrorException";
    r.cause = sdk_cause(denial_text(who, action, resource, explicit_deny), "AmazonSNS",
                        "AuthorizationError", 403);
    return r;
  };
  return std::make_shared<AsRole>(std::move(inner), identity, "sns:Publish", std::move(resources),
                                  std::move(refusal));
}

engine::TaskIntegrationPtr events_as_role(engine::TaskIntegrationPtr inner,
                                          const iam::IdentityService& identity) {
  Resources resources = [](const engine::TaskCall& call) -> std::vector<std::string> {
    std::vector<std::string> out;
    const json::Value* entries = call.parameters.find("Entries");
    if (entries == nullptr || !entries->is_array()) {
      return out;
    }
    for (const json::Value& e : entries->as_array()) {
      std::string bus = str(e, "EventBusName");
      if (bus.rfind("arn:", 0) != 0) {
        bus = "arn:aws:events:" + call.region + ":" + call.account + ":event-bus/" +
              (bus.empty() ? "default" : bus);
      }
      if (std::find(out.begin(), out.end(), bus) == out.end()) {
        out.push_back(bus);
      }
    }
    return out;
  };
  Refusal refusal = [](const std::string& who, const std::string& action,
                       const std::string& resource, bool explicit_deny) {
    engine::TaskResult r;
    r.ok = false;
    r.error = "EventBridge.AccessDeniedException";
    r.cause = sdk_cause(denial_text(who, action, resource, explicit_deny), "EventBridge",
                        "AccessDeniedException", 400);
    return r;
  };
  return std::make_shared<AsRole>(std::move(inner), identity, "events:PutEvents",
                                  std::move(resources), std::move(refusal));
}

}  // namespace signoff::app
