// Amazon SNS: topics, subscriptions with AWS's pending-confirmation flow, and Publish.
//
// Topics and subscriptions are store documents ("sns.topic" keyed by ARN; "sns.subscription"
// keyed by ARN and indexed by topic ARN). Every delivery — a confirmation request or a
// notification, to one subscriber — is a durable job ("sns.delivery") committed before Publish
// or Subscribe returns and carried out after the commit by the delivery runner, which retries
// temporary failures with back-off and picks up whatever is left after a restart.
//
// Methods are thread-safe and block on store commits: call them from the API's blocking pool.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "notify/ports.h"
#include "notify/transport.h"
#include "store/store.h"

namespace signoff::notify {

struct NotifyOptions {
  std::string account = "000000000000";
  std::string default_region = "us-east-1";
  std::string public_url;  // base of confirm/unsubscribe links, e.g. "http://127.0.0.1:8765"
  std::string mail_from_name = "AWS Notifications";
  std::string mail_from_address = "no-reply@sns.amazonaws.com";
  std::function<void(std::string_view)> log;  // stderr when empty
  unsigned delivery_threads = 4;
  int64_t poll_interval_ms = 500;  // how often the runner looks for due retries
  // Mail and Lambda retries: base * 2^(attempt-1), capped at 5 minutes, at most this many tries.
  int64_t retry_base_ms = 1000;
  int max_attempts = 10;
};

using Attributes = std::vector<std::pair<std::string, std::string>>;

struct Subscription {
  std::string arn;
  std::string topic_arn;
  std::string protocol;
  std::string endpoint;
  std::string owner;
  bool confirmed = false;
  std::string token;  // the confirmation token ("" once confirmed by a protocol without one)
  std::map<std::string, std::string> attributes;  // FilterPolicy, RawMessageDelivery, ...
};

struct SubscribeRequest {
  std::string topic_arn;
  std::string protocol;
  std::string endpoint;
  Attributes attributes;
  bool return_subscription_arn = false;
};

struct MessageAttribute {
  std::string name;
  std::string data_type;  // String, String.Array, Number, Binary (optionally ".custom")
  std::string string_value;
  std::string binary_value;  // base64 as given
};

struct PublishRequest {
  std::string topic_arn;   // TopicArn, or
  std::string target_arn;  // TargetArn (a topic ARN here: no mobile endpoints)
  std::optional<std::string> subject;
  std::string message;
  std::string message_structure;  // "" or "json"
  std::vector<MessageAttribute> message_attributes;
};

template <typename T>
struct Listing {
  std::vector<T> items;
  std::string next_token;
};

class MessageSigner;
class DeliveryRunner;

class NotifyService {
 public:
  // invoker may be null (Lambda subscriptions then fail their deliveries with a clear log line).
  NotifyService(store::Store& store, const Clock& clock, NotifyOptions options,
                std::shared_ptr<Transport> transport, std::shared_ptr<FunctionInvoker> invoker);
  ~NotifyService();
  NotifyService(const NotifyService&) = delete;
  NotifyService& operator=(const NotifyService&) = delete;

  // Loads (or creates) the link and signing keys and starts the delivery runner, which resumes
  // whatever deliveries a previous run left.
  void start();
  void stop();
  // The listening address is known only after the server binds; links use this base.
  void set_public_url(std::string url);
  std::string public_url() const;

  // Topics.
  Result<std::string> create_topic(const std::string& region, const std::string& name,
                                   const Attributes& attributes,
                                   const std::vector<store::Tag>& tags);
  Result<Unit> delete_topic(const std::string& topic_arn);
  Result<Listing<std::string>> list_topics(const std::string& region,
                                           const std::string& next_token);
  Result<Attributes> get_topic_attributes(const std::string& topic_arn);
  Result<Unit> set_topic_attributes(const std::string& topic_arn, const std::string& name,
                                    const std::optional<std::string>& value);

  // Subscriptions. subscribe returns the ARN, or "pending confirmation" while unconfirmed
  // (unless return_subscription_arn).
  Result<std::string> subscribe(const std::string& region, const SubscribeRequest& r);
  Result<std::string> confirm_subscription(const std::string& topic_arn, const std::string& token);
  Result<Unit> unsubscribe(const std::string& subscription_arn);
  Result<Listing<Subscription>> list_subscriptions(const std::string& region,
                                                   const std::string& next_token);
  Result<Listing<Subscription>> list_subscriptions_by_topic(const std::string& topic_arn,
                                                            const std::string& next_token);
  Result<Attributes> get_subscription_attributes(const std::string& subscription_arn);
  Result<Unit> set_subscription_attributes(const std::string& subscription_arn,
                                           const std::string& name, const std::string& value);

  // Tags.
  Result<Unit> tag_resource(const std::string& arn, const std::vector<store::Tag>& tags);
  Result<Unit> untag_resource(const std::string& arn, const std::vector<std::string>& keys);
  Result<std::vector<store::Tag>> list_tags(const std::string& arn);

  // Publish: returns the MessageId once every delivery is committed.
  Result<std::string> publish(const PublishRequest& r);
  // For other services (through app/ adapters): a plain message with string attributes.
  Result<std::string> publish(const std::string& topic_arn, const std::string& subject,
                              const std::string& message,
                              const std::map<std::string, std::string>& attributes);

  // The links in messages. confirm_link answers the subscription ARN; unsubscribe_link checks
  // the signature and returns the removed subscription.
  Result<std::string> confirm_link(const std::string& topic_arn, const std::string& token);
  Result<Subscription> unsubscribe_link(const std::string& subscription_arn,
                                        const std::string& signature);
  std::string unsubscribe_url(const std::string& subscription_arn) const;
  std::string signing_cert_url() const;
  std::string signing_cert_pem() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::notify
