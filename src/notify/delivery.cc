// The delivery runner: durable jobs in, mails / POSTs / Lambda invocations out.
//
// A job is deleted only after its delivery succeeded or failed for good; a temporary failure
// rewrites it with the next due time, so a crash at any point repeats at most one attempt
// (deliveries are at-least-once, as SNS's are).
#include <algorithm>
#include <cmath>

#include "notify/messages.h"
#include "notify/mime.h"
#include "notify/service_impl.h"
#include "notify/time_format.h"

namespace signoff::notify {
namespace {

constexpr int64_t kMaxBackoffMs = 5 * 60 * 1000;

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* f = v.find(key);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

int64_t num(const json::Value* v, std::string_view key, int64_t fallback) {
  const json::Value* f = v != nullptr ? v->find(key) : nullptr;
  return f != nullptr && f->is_number() ? static_cast<int64_t>(f->as_double()) : fallback;
}

struct Plan {
  int max_attempts = 1;
  int64_t delay_ms = 0;  // before the next attempt
};

// How many attempts a delivery gets and how long to wait before attempt `done + 1`.
Plan retry_plan(const std::string& protocol, const json::Value& payload, int64_t done,
                const NotifyOptions& opts) {
  Plan plan;
  if (protocol == "http" || protocol == "https") {
    const json::Value* retry = payload.find("Retry");
    int64_t retries = num(retry, "numRetries", 3);
    int64_t min_ms = num(retry, "minDelayTarget", 20) * 1000;
    int64_t max_ms = std::max(min_ms, num(retry, "maxDelayTarget", 20) * 1000);
    std::string backoff = retry != nullptr ? str(*retry, "backoffFunction") : "linear";
    plan.max_attempts = static_cast<int>(1 + retries);
    int64_t i = std::max<int64_t>(done - 1, 0);  // 0 for the first retry
    if (backoff == "exponential") {
      plan.delay_ms = min_ms << std::min<int64_t>(i, 20);
    } else if (backoff == "geometric" || backoff == "arithmetic") {
      plan.delay_ms = min_ms * (i + 1) * (backoff == "geometric" ? (i + 1) : 1);
    } else {
      plan.delay_ms = retries > 1 ? min_ms + (max_ms - min_ms) * i / (retries - 1) : min_ms;
    }
    plan.delay_ms = std::min(plan.delay_ms, max_ms);
    return plan;
  }
  plan.max_attempts = std::max(1, opts.max_attempts);
  int64_t i = std::max<int64_t>(done - 1, 0);
  plan.delay_ms = std::min(kMaxBackoffMs, opts.retry_base_ms << std::min<int64_t>(i, 20));
  return plan;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Runner threads

void DeliveryRunner::start(unsigned threads) {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  poller_ = std::thread([this] { poll_loop(); });
  for (unsigned i = 0; i < threads; ++i) {
    workers_.emplace_back([this] { worker_loop(); });
  }
}

void DeliveryRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  work_cv_.notify_all();
  if (poller_.joinable()) {
    poller_.join();
  }
  for (std::thread& t : workers_) {
    if (t.joinable()) {
      t.join();
    }
  }
  workers_.clear();
  queue_.clear();
  in_flight_.clear();
}

void DeliveryRunner::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void DeliveryRunner::poll_loop() {
  while (true) {
    std::vector<store::JobRecord> due;
    try {
      due = service_.store.due_jobs(kDeliveryKind, service_.clock.now_ms(), 64);
    } catch (const std::exception& e) {
      service_.log(std::string("cannot read due deliveries: ") + e.what());
    }
    std::unique_lock lock(mu_);
    if (stopping_) {
      return;
    }
    bool added = false;
    for (store::JobRecord& job : due) {
      if (in_flight_.insert(job.id).second) {
        queue_.push_back(std::move(job));
        added = true;
      }
    }
    if (added) {
      work_cv_.notify_all();
    }
    cv_.wait_for(lock, std::chrono::milliseconds(service_.opts.poll_interval_ms),
                 [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

void DeliveryRunner::worker_loop() {
  while (true) {
    store::JobRecord job;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    std::string id = job.id;
    try {
      run_job(std::move(job));
    } catch (const std::exception& e) {
      service_.log("delivery " + id + " failed inside Signoff: " + e.what());
    }
    {
      std::lock_guard lock(mu_);
      in_flight_.erase(id);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One delivery

void DeliveryRunner::run_job(store::JobRecord job) {
  NotifyService::Impl& s = service_;
  json::ParseResult parsed = json::parse(job.payload);
  if (!parsed.ok()) {
    s.log("dropping unreadable delivery job " + job.id);
    s.store.delete_job(job.id);
    return;
  }
  const json::Value& p = parsed.value;
  std::string type = str(p, "Type");
  std::string protocol = str(p, "Protocol");
  std::string endpoint = str(p, "Endpoint");
  std::string topic_arn = str(p, "TopicArn");
  std::string sub_arn = str(p, "SubscriptionArn");
  std::string message_id = str(p, "MessageId");
  bool confirmation = type == "SubscriptionConfirmation";

  std::optional<Subscription> sub = s.load_subscription(sub_arn);
  if (!sub || (confirmation ? sub->confirmed : !sub->confirmed)) {
    // Unsubscribed, topic deleted or already confirmed since the job was written.
    s.store.delete_job(job.id);
    return;
  }
  std::string base = s.base_url();
  std::string cert_url = base + "/sns/SimpleNotificationService-signoff.pem";
  std::string unsubscribe = notify::unsubscribe_url(base, sub_arn, *s.links);
  int64_t now = s.clock.now_ms();

  Notification n;
  Confirmation c;
  if (confirmation) {
    c.message_id = message_id;
    c.topic_arn = topic_arn;
    c.token = str(p, "Token");
    c.subscribe_url = confirm_url(base, topic_arn, c.token);
    c.timestamp_ms = num(&p, "Timestamp", now);
  } else {
    n.message_id = message_id;
    n.topic_arn = topic_arn;
    n.subscription_arn = sub_arn;
    n.subject = str(p, "Subject");
    n.message = str(p, "Message");
    n.timestamp_ms = num(&p, "Timestamp", now);
    if (const json::Value* a = p.find("MessageAttributes"); a != nullptr && a->is_object()) {
      n.message_attributes = *a;
    }
  }
  auto envelope = [&] {
    return confirmation
               ? confirmation_json(c, s.signer->sign_sha1(confirmation_string_to_sign(c)), cert_url)
               : notification_json(n, s.signer->sign_sha1(notification_string_to_sign(n)), cert_url,
                                   unsubscribe);
  };

  SendResult result;
  if (protocol == "email" || protocol == "email-json") {
    MailMessage mail;
    mail.from_name = s.opts.mail_from_name;
    if (std::optional<store::DocumentRecord> topic = s.load_topic(topic_arn)) {
      json::ParseResult tp = json::parse(topic->json);
      const json::Value* attrs = tp.ok() ? tp.value.find("Attributes") : nullptr;
      std::string display = attrs != nullptr ? str(*attrs, "DisplayName") : "";
      if (!display.empty()) {
        mail.from_name = display;  // SNS sends from the topic's display name when it has one
      }
    }
    mail.from_address = s.opts.mail_from_address;
    mail.to = endpoint;
    mail.date = rfc5322_date(now);
    mail.message_id = message_id + "@sns.signoff";
    MailText text = confirmation ? confirmation_mail(topic_arn, c.subscribe_url)
                                 : notification_mail(n, unsubscribe);
    mail.subject = text.subject;
    mail.body = protocol == "email" ? text.body : envelope();
    if (!confirmation) {
      mail.extra_headers.push_back({"List-Unsubscribe", "<" + unsubscribe + ">"});
    }
    result = s.transport->send_mail(mail.from_address, endpoint, build_mime(mail));
  } else if (protocol == "http" || protocol == "https") {
    bool raw = !confirmation && sub->attributes.count("RawMessageDelivery") != 0 &&
               sub->attributes.at("RawMessageDelivery") == "true";
    std::vector<MailHeader> headers = {
        {"Content-Type", "text/plain; charset=UTF-8"},
        {"x-amz-sns-message-type", type},
        {"x-amz-sns-message-id", message_id},
        {"x-amz-sns-topic-arn", topic_arn},
    };
    if (!confirmation) {
      headers.push_back({"x-amz-sns-subscription-arn", sub_arn});
    }
    if (raw) {
      headers.push_back({"x-amz-sns-rawdelivery", "true"});
    }
    result = s.transport->post(endpoint, headers, raw ? n.message : envelope());
  } else if (protocol == "lambda") {
    if (!s.invoker) {
      result = {SendResult::Kind::Permanent, "Lambda functions are not available"};
    } else {
      std::string event = lambda_event_json(n, s.signer->sign_sha1(notification_string_to_sign(n)),
                                            cert_url, unsubscribe);
      InvokeOutcome out = s.invoker->invoke_event(endpoint, event);
      result = {out.ok          ? SendResult::Kind::Delivered
                : out.retryable ? SendResult::Kind::Temporary
                                : SendResult::Kind::Permanent,
                out.ok ? "invoked" : out.error};
    }
  } else {
    result = {SendResult::Kind::Permanent, "Signoff does not deliver to protocol " + protocol};
  }

  std::string what = std::string(confirmation ? "subscription confirmation" : "message ") +
                     (confirmation ? "" : message_id) + " to " + protocol + " " + endpoint;
  int64_t done = job.attempts + 1;
  if (result.kind == SendResult::Kind::Delivered) {
    s.store.delete_job(job.id);
    s.log("delivered " + what + (done > 1 ? " (attempt " + std::to_string(done) + ")" : ""));
    return;
  }
  Plan plan = retry_plan(protocol, p, done, s.opts);
  if (result.kind == SendResult::Kind::Temporary && done < plan.max_attempts) {
    job.attempts = done;
    job.due_ms = now + plan.delay_ms;
    s.store.put_job(job);
    s.log("temporary failure delivering " + what + ": " + result.detail + "; retry " +
          std::to_string(done) + " of " + std::to_string(plan.max_attempts - 1) + " in " +
          std::to_string(plan.delay_ms) + " ms");
    return;
  }
  s.store.delete_job(job.id);
  s.log(std::string(result.kind == SendResult::Kind::Permanent
                        ? "permanent failure"
                        : "giving up after " + std::to_string(done) + " attempts") +
        " delivering " + what + ": " + result.detail + "; the delivery is dropped");
}

}  // namespace signoff::notify
