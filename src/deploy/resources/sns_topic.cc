// AWS::SNS::Topic through the notify service. Ref: the topic ARN; TopicArn, TopicName. TopicName
// and FifoTopic replace it; attributes and the Subscription list change in place. Subscriptions
// go through Subscribe, so an email endpoint starts pending confirmation as on AWS.
#include <set>

#include "deploy/resources/resources.h"
#include "notify/service.h"

namespace signoff::deploy {

namespace {

// Topic attributes CloudFormation exposes as properties (objects become JSON text).
constexpr const char* kAttributes[] = {"DisplayName",
                                       "KmsMasterKeyId",
                                       "SignatureVersion",
                                       "TracingConfig",
                                       "ContentBasedDeduplication",
                                       "ArchivePolicy",
                                       "DataProtectionPolicy",
                                       "FifoThroughputScope"};

std::string attribute_value(const json::Value& props, const char* name) {
  const json::Value* v = props.find(name);
  return v && v->is_object() ? json::dump(*v) : prop_string(props, name);
}

// (protocol, endpoint) of each entry of Subscription.
std::set<std::pair<std::string, std::string>> subscriptions(const json::Value& props) {
  std::set<std::pair<std::string, std::string>> out;
  const json::Value* v = props.find("Subscription");
  if (v && v->is_array()) {
    for (const json::Value& s : v->as_array()) {
      out.emplace(prop_string(s, "Protocol"), prop_string(s, "Endpoint"));
    }
  }
  return out;
}

std::string topic_name(const ResourceContext& ctx, const json::Value& props) {
  bool fifo = prop_bool(props, "FifoTopic").value_or(false);
  return prop_string(props, "TopicName", fifo ? ctx.generated_name + ".fifo" : ctx.generated_name);
}

class TopicProvider final : public ResourceProvider {
 public:
  explicit TopicProvider(notify::NotifyService& n) : sns_(n) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string name = topic_name(ctx, props);
    notify::Attributes attrs;
    if (prop_bool(props, "FifoTopic").value_or(false)) {
      attrs.emplace_back("FifoTopic", "true");
    }
    for (const char* a : kAttributes) {
      if (props.find(a)) {
        attrs.emplace_back(a, attribute_value(props, a));
      }
    }
    // CreateTopic answers an existing topic's ARN; a stack must not adopt someone else's.
    std::string arn = "arn:aws:sns:" + ctx.region + ":" + ctx.account + ":" + name;
    if (sns_.get_topic_attributes(arn).ok()) {
      return make_error("AlreadyExists", "Topic " + name + " already exists");
    }
    std::vector<store::Tag> tags;
    for (const auto& [k, v] : prop_tags(props)) {
      tags.push_back(store::Tag{k, v});
    }
    auto created = sns_.create_topic(ctx.region, name, attrs, tags);
    if (!created.ok()) {
      return created.error();
    }
    for (const auto& [protocol, endpoint] : subscriptions(props)) {
      if (auto r = subscribe(ctx, *created, protocol, endpoint); !r.ok()) {
        (void)sns_.delete_topic(*created);
        return r.error();
      }
    }
    ProvidedResource p;
    p.physical_id = *created;
    p.attributes = json::Value::object(
        {{"TopicArn", json::Value(*created)}, {"TopicName", json::Value(name)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override {
    return {"TopicName", "FifoTopic"};
  }

  Result<ProvidedResource> update(const ResourceContext& ctx, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    const std::string& arn = current.physical_id;
    for (const char* a : kAttributes) {
      if (prop_changed(old_props, props, a)) {
        std::optional<std::string> value;
        if (props.find(a)) {
          value = attribute_value(props, a);
        } else {
          value = "";
        }
        if (auto r = sns_.set_topic_attributes(arn, a, value); !r.ok()) {
          return r.error();
        }
      }
    }
    auto before = subscriptions(old_props);
    auto after = subscriptions(props);
    for (const auto& s : after) {
      if (!before.count(s)) {
        if (auto r = subscribe(ctx, arn, s.first, s.second); !r.ok()) {
          return r.error();
        }
      }
    }
    if (!before.empty()) {
      auto listed = sns_.list_subscriptions_by_topic(arn, "");
      if (listed.ok()) {
        for (const notify::Subscription& s : listed->items) {
          std::pair<std::string, std::string> key{s.protocol, s.endpoint};
          if (before.count(key) && !after.count(key)) {
            (void)sns_.unsubscribe(s.arn);
          }
        }
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string arn = physical_id.empty() ? "arn:aws:sns:" + ctx.region + ":" + ctx.account + ":" +
                                                topic_name(ctx, props)
                                          : physical_id;
    return sns_.delete_topic(arn);  // its subscriptions go with it; a missing topic is fine
  }

 private:
  Result<std::string> subscribe(const ResourceContext& ctx, const std::string& arn,
                                const std::string& protocol, const std::string& endpoint) {
    notify::SubscribeRequest r;
    r.topic_arn = arn;
    r.protocol = protocol;
    r.endpoint = endpoint;
    return sns_.subscribe(ctx.region, r);
  }

  notify::NotifyService& sns_;
};

}  // namespace

ProviderPtr sns_topic_provider(notify::NotifyService& notify) {
  return std::make_shared<TopicProvider>(notify);
}

}  // namespace signoff::deploy
