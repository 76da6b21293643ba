// AWS::SNS::Subscription through the notify service. Ref: the subscription ARN (known at once,
// even for an email subscription pending confirmation, as CloudFormation's handler asks
// ReturnSubscriptionArn). TopicArn, Protocol and Endpoint replace it; the attributes change in
// place.
#include "deploy/resources/resources.h"
#include "notify/service.h"

namespace signoff::deploy {

namespace {

constexpr const char* kAttributes[] = {"FilterPolicy",  "FilterPolicyScope", "RawMessageDelivery",
                                       "RedrivePolicy", "DeliveryPolicy",    "SubscriptionRoleArn"};

std::string attribute_value(const json::Value& props, const char* name) {
  const json::Value* v = props.find(name);
  return v && v->is_object() ? json::dump(*v) : prop_string(props, name);
}

class SubscriptionProvider final : public ResourceProvider {
 public:
  explicit SubscriptionProvider(notify::NotifyService& n) : sns_(n) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    for (const char* required : {"TopicArn", "Protocol"}) {
      if (prop_string(props, required).empty()) {
        return missing_property(ctx, required);
      }
    }
    notify::SubscribeRequest r;
    r.topic_arn = prop_string(props, "TopicArn");
    r.protocol = prop_string(props, "Protocol");
    r.endpoint = prop_string(props, "Endpoint");
    r.return_subscription_arn = true;
    for (const char* a : kAttributes) {
      if (props.find(a)) {
        r.attributes.emplace_back(a, attribute_value(props, a));
      }
    }
    auto arn = sns_.subscribe(ctx.region, r);
    if (!arn.ok()) {
      return arn.error();
    }
    ProvidedResource p;
    p.physical_id = *arn;
    return p;
  }

  std::vector<std::string> replacement_properties() const override {
    return {"TopicArn", "Protocol", "Endpoint", "Region"};
  }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    for (const char* a : kAttributes) {
      if (prop_changed(old_props, props, a)) {
        auto r =
            sns_.set_subscription_attributes(current.physical_id, a, attribute_value(props, a));
        if (!r.ok()) {
          return r.error();
        }
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext&, const std::string& physical_id,
                      const json::Value&) override {
    if (physical_id.empty()) {
      return Unit{};  // SNS makes the ARN: without it there is nothing to find
    }
    auto r = sns_.unsubscribe(physical_id);
    if (!r.ok() && r.error().type != "NotFound") {
      return r.error();
    }
    return Unit{};
  }

 private:
  notify::NotifyService& sns_;
};

}  // namespace

ProviderPtr sns_subscription_provider(notify::NotifyService& notify) {
  return std::make_shared<SubscriptionProvider>(notify);
}

}  // namespace signoff::deploy
