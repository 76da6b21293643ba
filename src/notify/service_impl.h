// Internals of NotifyService shared by its source files (not a public header).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "notify/links.h"
#include "notify/service.h"
#include "notify/signing_key.h"

namespace signoff::notify {

inline constexpr std::string_view kTopicKind = "sns.topic";
inline constexpr std::string_view kSubscriptionKind = "sns.subscription";
inline constexpr std::string_view kDeliveryKind = "sns.delivery";
inline constexpr std::string_view kPendingArn = "pending confirmation";

struct TopicArnParts {
  std::string region;
  std::string account;
  std::string name;
};
// "arn:aws:sns:us-east-1:000000000000:name"; nullopt when malformed.
std::optional<TopicArnParts> parse_topic_arn(std::string_view arn);

Error not_found_topic();
Error invalid_parameter(std::string_view what);  // "Invalid parameter: <what>"
std::string random_hex(size_t bytes);
std::string random_uuid();

json::Value subscription_json(const Subscription& s);
Subscription subscription_from_json(const json::Value& v);

// Carries out delivery jobs: polls for due ones, runs them on a few threads, reschedules
// temporary failures and drops permanent ones with a log line.
class DeliveryRunner {
 public:
  explicit DeliveryRunner(NotifyService::Impl& service) : service_(service) {}
  ~DeliveryRunner() { stop(); }
  void start(unsigned threads);
  void stop();
  void wake();

 private:
  void poll_loop();
  void worker_loop();
  void run_job(store::JobRecord job);

  NotifyService::Impl& service_;
  std::mutex mu_;
  std::condition_variable cv_;       // the poller: woken by wake() and stop()
  std::condition_variable work_cv_;  // workers: woken when the queue grows
  std::deque<store::JobRecord> queue_;
  std::set<std::string> in_flight_;  // job ids queued or running, so a poll never doubles one
  bool stopping_ = false;
  bool woken_ = false;
  std::thread poller_;
  std::vector<std::thread> workers_;
};

struct NotifyService::Impl {
  Impl(store::Store& s, const Clock& c, NotifyOptions o, std::shared_ptr<Transport> t,
       std::shared_ptr<FunctionInvoker> i)
      : store(s), clock(c), opts(std::move(o)), transport(std::move(t)), invoker(std::move(i)) {}

  store::Store& store;
  const Clock& clock;
  NotifyOptions opts;
  std::shared_ptr<Transport> transport;
  std::shared_ptr<FunctionInvoker> invoker;
  mutable std::mutex url_mu;
  std::string public_url;
  std::unique_ptr<LinkSigner> links;
  std::unique_ptr<MessageSigner> signer;
  std::unique_ptr<DeliveryRunner> runner;

  void log(const std::string& line) const;
  std::string base_url() const;
  std::string topic_arn_for(const std::string& region, const std::string& name) const;
  // InvalidParameter for a malformed ARN, AuthorizationError for another account's.
  std::optional<Error> check_topic_arn(const std::string& arn, std::string_view action) const;
  std::optional<store::DocumentRecord> load_topic(const std::string& arn) const;
  std::optional<Subscription> load_subscription(const std::string& arn) const;
  std::vector<Subscription> subscriptions_of(const std::string& topic_arn) const;
  store::DocumentRecord subscription_doc(const Subscription& s, int64_t created_ms) const;
  // The job asking a pending subscriber to confirm.
  store::JobRecord confirmation_job(const Subscription& s) const;
  // The HTTP retry policy in effect for a subscription (subscription's, else topic's, else
  // SNS's default), as {"minDelayTarget", "maxDelayTarget", "numRetries", "backoffFunction"}.
  json::Value http_retry_policy(const Subscription& s, const json::Value& topic) const;
  void wake_runner() const;
};

}  // namespace signoff::notify
