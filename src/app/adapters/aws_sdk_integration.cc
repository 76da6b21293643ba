#include "app/adapters/aws_sdk_integration.h"

#include "api/auth.h"

namespace signoff::app {

namespace {

constexpr std::string_view kPrefix = "arn:aws:states:::aws-sdk:";
constexpr std::string_view kWaitSuffix = ".waitForTaskToken";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

engine::TaskResult failure(std::string error, std::string cause) {
  engine::TaskResult r;
  r.ok = false;
  r.error = std::move(error);
  r.cause = std::move(cause);
  return r;
}

class AwsSdkIntegration final : public engine::TaskIntegration {
 public:
  AwsSdkIntegration(OnBehalfCaller& caller, const iam::IdentityService* identity,
                    std::string account)
      : caller_(caller), identity_(identity), account_(std::move(account)) {}

  bool handles(std::string_view resource) const override {
    return resource.substr(0, kPrefix.size()) == kPrefix;
  }

  void run(const engine::TaskCall& call, engine::TaskDone done) override {
    std::string_view rest = std::string_view(call.resource).substr(kPrefix.size());
    if (ends_with(rest, kWaitSuffix)) {
      rest.remove_suffix(kWaitSuffix.size());
    }
    size_t colon = rest.find(':');
    AwsCall c;
    c.service = std::string(rest.substr(0, colon));
    c.action =
        colon == std::string_view::npos ? std::string() : std::string(rest.substr(colon + 1));
    c.parameters = call.parameters.is_object() ? call.parameters : json::Value::object();
    if (c.action.empty() || !OnBehalfCaller::supports(c.service)) {
      return done(failure("States.TaskFailed", "Signoff does not implement the AWS SDK service '" +
                                                   c.service + "' (" + call.resource + ")"));
    }
    Principal as = api::root_principal(account_);
    if (identity_ != nullptr) {
      auto who = identity_->principal_for_role(call.role_arn);
      if (!who.ok()) {
        return done(failure("States.TaskFailed", "The state machine's role " + call.role_arn +
                                                     " cannot act: " + who.error().message));
      }
      as = *who;
    }
    caller_.call(as, c, [done = std::move(done)](AwsCallResult r) {
      if (r.ok) {
        engine::TaskResult ok;
        ok.output = r.output;
        return done(std::move(ok));
      }
      // The cause as the Java SDK Step Functions runs on words a service exception.
      done(failure(sdk_error_name(r.service_name, r.code),
                   r.message + " (Service: " + r.service_name + ", Status Code: " +
                       std::to_string(r.status) + ", Request ID: " + r.request_id + ")"));
    });
  }

 private:
  OnBehalfCaller& caller_;
  const iam::IdentityService* identity_;
  std::string account_;
};

}  // namespace

std::string sdk_error_name(std::string_view service_name, std::string_view code) {
  std::string name(code);
  if (!name.empty()) {
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  }
  if (!ends_with(name, "Exception")) {
    name += "Exception";
  }
  return std::string(service_name) + "." + name;
}

engine::TaskIntegrationPtr make_aws_sdk_integration(OnBehalfCaller& caller,
                                                    const iam::IdentityService* identity,
                                                    std::string account) {
  return std::make_shared<AwsSdkIntegration>(caller, identity, std::move(account));
}

}  // namespace signoff::app
