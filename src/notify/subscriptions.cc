// Subscribe, the confirmation flow, Unsubscribe, listings and subscription attributes.
#include <algorithm>

#include "notify/service_impl.h"

namespace signoff::notify {
namespace {

constexpr size_t kPageSize = 100;

bool needs_confirmation(std::string_view protocol) {
  return protocol == "email" || protocol == "email-json" || protocol == "http" ||
         protocol == "https";
}

std::optional<Error> check_endpoint(const std::string& protocol, const std::string& endpoint) {
  if (protocol == "email" || protocol == "email-json") {
    size_t at = endpoint.find('@');
    bool ok = at != std::string::npos && at > 0 && at + 1 < endpoint.size() &&
              endpoint.find('@', at + 1) == std::string::npos && endpoint.size() <= 254;
    for (unsigned char c : endpoint) {
      // No spaces, controls or angle brackets: the address goes into SMTP commands and headers.
      if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == '"') {
        ok = false;
      }
    }
    return ok ? std::nullopt : std::optional<Error>(invalid_parameter("Email address"));
  }
  if (protocol == "http" || protocol == "https") {
    std::string scheme = protocol + "://";
    bool ok = endpoint.size() > scheme.size() && endpoint.compare(0, scheme.size(), scheme) == 0;
    for (unsigned char c : endpoint) {
      if (c <= 0x20 || c == 0x7f) {
        ok = false;
      }
    }
    return ok ? std::nullopt
              : std::optional<Error>(invalid_parameter("Endpoint Reason: An " + protocol +
                                                       " endpoint must be a " + scheme + " URL"));
  }
  if (protocol == "lambda") {
    bool ok =
        endpoint.starts_with("arn:aws:lambda:") && endpoint.find(":function:") != std::string::npos;
    return ok ? std::nullopt : std::optional<Error>(invalid_parameter("Lambda endpoint ARN"));
  }
  return invalid_parameter("Amazon SNS does not support this protocol string: " + protocol);
}

bool settable_subscription_attribute(std::string_view name) {
  return name == "DeliveryPolicy" || name == "FilterPolicy" || name == "FilterPolicyScope" ||
         name == "RawMessageDelivery" || name == "RedrivePolicy" || name == "SubscriptionRoleArn" ||
         name == "ReplayPolicy";
}

std::optional<Error> check_subscription_attribute(const std::string& name,
                                                  const std::string& value) {
  if (!settable_subscription_attribute(name)) {
    return invalid_parameter("AttributeName");
  }
  if (name == "RawMessageDelivery" && value != "true" && value != "false") {
    return invalid_parameter("Attributes Reason: RawMessageDelivery: Invalid value [" + value +
                             "]. Must be true or false.");
  }
  if (name == "FilterPolicyScope" && value != "MessageAttributes" && value != "MessageBody") {
    return invalid_parameter("Attributes Reason: FilterPolicyScope: Invalid value [" + value +
                             "]. Please use either MessageBody or MessageAttributes");
  }
  if ((name == "FilterPolicy" || name == "DeliveryPolicy" || name == "RedrivePolicy") &&
      !value.empty()) {
    json::ParseResult p = json::parse(value, 64);
    if (!p.ok() || !p.value.is_object()) {
      return invalid_parameter(name + ": failed to parse JSON.");
    }
  }
  return std::nullopt;
}

// "<topic ARN>:<id>"
bool valid_subscription_arn(std::string_view arn) {
  size_t colon = arn.rfind(':');
  return colon != std::string_view::npos && colon + 1 < arn.size() &&
         parse_topic_arn(arn.substr(0, colon)).has_value();
}

Error not_found_subscription() {
  return make_error("NotFound", "Subscription does not exist", 404);
}

int64_t int_member(const json::Value* obj, std::string_view key, int64_t fallback) {
  const json::Value* v = obj != nullptr ? obj->find(key) : nullptr;
  if (v == nullptr || !v->is_number()) {
    return fallback;
  }
  return static_cast<int64_t>(v->as_double());
}

}  // namespace

store::JobRecord NotifyService::Impl::confirmation_job(const Subscription& s) const {
  std::string message_id = random_uuid();
  json::Value topic;
  if (std::optional<store::DocumentRecord> doc = load_topic(s.topic_arn)) {
    json::ParseResult p = json::parse(doc->json);
    if (p.ok()) {
      topic = p.value;
    }
  }
  store::JobRecord job;
  job.id = "sns:confirm:" + message_id;
  job.kind = std::string(kDeliveryKind);
  job.owner = s.arn;
  job.due_ms = 0;
  job.payload = json::dump(json::Value::object({
      {"Type", json::Value("SubscriptionConfirmation")},
      {"SubscriptionArn", json::Value(s.arn)},
      {"TopicArn", json::Value(s.topic_arn)},
      {"Protocol", json::Value(s.protocol)},
      {"Endpoint", json::Value(s.endpoint)},
      {"MessageId", json::Value(message_id)},
      {"Token", json::Value(s.token)},
      {"Timestamp", json::Value(clock.now_ms())},
      {"Retry", http_retry_policy(s, topic)},
  }));
  return job;
}

json::Value NotifyService::Impl::http_retry_policy(const Subscription& s,
                                                   const json::Value& topic) const {
  const json::Value* policy = nullptr;
  json::Value parsed;
  if (auto it = s.attributes.find("DeliveryPolicy"); it != s.attributes.end()) {
    json::ParseResult p = json::parse(it->second, 64);
    if (p.ok()) {
      parsed = p.value;
      policy = parsed.find("healthyRetryPolicy");
    }
  }
  json::Value topic_policy;
  if (policy == nullptr) {
    const json::Value* attrs = topic.find("Attributes");
    const json::Value* text = attrs != nullptr ? attrs->find("DeliveryPolicy") : nullptr;
    if (text != nullptr && text->is_string()) {
      json::ParseResult p = json::parse(text->as_string(), 64);
      if (p.ok()) {
        topic_policy = p.value;
        const json::Value* http = topic_policy.find("http");
        policy = http != nullptr ? http->find("defaultHealthyRetryPolicy") : nullptr;
      }
    }
  }
  int64_t min_delay = std::clamp<int64_t>(int_member(policy, "minDelayTarget", 20), 0, 3600);
  int64_t max_delay =
      std::clamp<int64_t>(int_member(policy, "maxDelayTarget", min_delay), min_delay, 3600);
  int64_t retries = std::clamp<int64_t>(int_member(policy, "numRetries", 3), 0, 100);
  const json::Value* backoff = policy != nullptr ? policy->find("backoffFunction") : nullptr;
  return json::Value::object({
      {"minDelayTarget", json::Value(min_delay)},
      {"maxDelayTarget", json::Value(max_delay)},
      {"numRetries", json::Value(retries)},
      {"backoffFunction",
       json::Value(backoff != nullptr && backoff->is_string() ? backoff->as_string() : "linear")},
  });
}

Result<std::string> NotifyService::subscribe(const std::string& region, const SubscribeRequest& r) {
  Impl& m = *impl_;
  (void)region;
  if (r.topic_arn.empty()) {
    return invalid_parameter("TopicArn");
  }
  if (auto e = m.check_topic_arn(r.topic_arn, "Subscribe")) {
    return *e;
  }
  if (r.protocol.empty()) {
    return invalid_parameter("Protocol");
  }
  if (auto e = check_endpoint(r.protocol, r.endpoint)) {
    return *e;
  }
  Subscription s;
  for (const auto& [k, v] : r.attributes) {
    if (auto e = check_subscription_attribute(k, v)) {
      if (!settable_subscription_attribute(k)) {
        return invalid_parameter("Attributes Reason: Unknown attribute " + k);
      }
      return *e;
    }
    s.attributes[k] = v;
  }
  if (!m.load_topic(r.topic_arn)) {
    return not_found_topic();
  }
  for (const Subscription& existing : m.subscriptions_of(r.topic_arn)) {
    if (existing.protocol == r.protocol && existing.endpoint == r.endpoint) {
      if (existing.confirmed) {
        return existing.arn;
      }
      // Asking again re-sends the confirmation request, as AWS does.
      store::DocumentBatch batch;
      batch.jobs_to_put.push_back(m.confirmation_job(existing));
      m.store.apply_documents(batch);
      m.wake_runner();
      return r.return_subscription_arn ? existing.arn : std::string(kPendingArn);
    }
  }
  s.arn = r.topic_arn + ":" + random_uuid();
  s.topic_arn = r.topic_arn;
  s.protocol = r.protocol;
  s.endpoint = r.endpoint;
  s.owner = m.opts.account;
  s.confirmed = !needs_confirmation(r.protocol);
  s.token = s.confirmed ? "" : random_hex(64);
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc = m.subscription_doc(s, m.clock.now_ms());
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  if (!s.confirmed) {
    batch.jobs_to_put.push_back(m.confirmation_job(s));
  }
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return make_error("InternalError", "The subscription could not be stored", 500);
  }
  m.wake_runner();
  if (!s.confirmed && !r.return_subscription_arn) {
    return std::string(kPendingArn);
  }
  return s.arn;
}

Result<std::string> NotifyService::confirm_subscription(const std::string& topic_arn,
                                                        const std::string& token) {
  Impl& m = *impl_;
  if (auto e = m.check_topic_arn(topic_arn, "ConfirmSubscription")) {
    return *e;
  }
  if (token.empty()) {
    return invalid_parameter("Token");
  }
  if (!m.load_topic(topic_arn)) {
    return not_found_topic();
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::optional<store::DocumentRecord> found;
    Subscription s;
    for (const store::DocumentRecord& doc :
         m.store.documents_by_index(kSubscriptionKind, topic_arn)) {
      json::ParseResult p = json::parse(doc.json);
      if (!p.ok()) {
        continue;
      }
      Subscription candidate = subscription_from_json(p.value);
      if (!candidate.token.empty() && candidate.token == token) {
        found = doc;
        s = std::move(candidate);
        break;
      }
    }
    if (!found) {
      return invalid_parameter("Token");
    }
    if (s.confirmed) {
      return s.arn;
    }
    s.confirmed = true;
    store::DocumentBatch batch;
    store::DocumentWrite w;
    w.doc = m.subscription_doc(s, found->created_ms);
    w.expected_version = found->version;
    batch.writes.push_back(std::move(w));
    store::WriteStatus st = m.store.apply_documents(batch);
    if (st == store::WriteStatus::Ok) {
      return s.arn;
    }
  }
  return make_error("ConcurrentAccess", "Too many concurrent updates of the subscription", 400);
}

Result<std::string> NotifyService::confirm_link(const std::string& topic_arn,
                                                const std::string& token) {
  return confirm_subscription(topic_arn, token);
}

Result<Unit> NotifyService::unsubscribe(const std::string& subscription_arn) {
  Impl& m = *impl_;
  if (!valid_subscription_arn(subscription_arn)) {
    return invalid_parameter("SubscriptionArn");
  }
  std::optional<store::DocumentRecord> doc =
      m.store.get_document(kSubscriptionKind, subscription_arn);
  if (!doc) {
    return not_found_subscription();
  }
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = std::string(kSubscriptionKind);
  w.doc.key = subscription_arn;
  batch.writes.push_back(w);
  // The topic counts what was deleted (SubscriptionsDeleted); one write with the delete.
  std::string topic_arn = doc->index;
  if (std::optional<store::DocumentRecord> topic = m.load_topic(topic_arn)) {
    json::ParseResult p = json::parse(topic->json);
    if (p.ok()) {
      json::Value t = p.value;
      const json::Value* n = t.find("SubscriptionsDeleted");
      t.set("SubscriptionsDeleted",
            json::Value((n != nullptr && n->is_int() ? n->as_int() : 0) + 1));
      store::DocumentWrite tw;
      tw.doc = *topic;
      tw.doc.json = json::dump(t);
      tw.expected_version = store::kAnyVersion;
      batch.writes.push_back(std::move(tw));
    }
  }
  m.store.apply_documents(batch);
  return Unit{};
}

Result<Subscription> NotifyService::unsubscribe_link(const std::string& subscription_arn,
                                                     const std::string& signature) {
  Impl& m = *impl_;
  if (!m.links || !m.links->verify("unsubscribe", subscription_arn, signature)) {
    return make_error("AuthorizationError", "The unsubscribe link is not valid", 403);
  }
  std::optional<Subscription> s = m.load_subscription(subscription_arn);
  if (!s) {
    return not_found_subscription();
  }
  Result<Unit> done = unsubscribe(subscription_arn);
  if (!done.ok()) {
    return done.error();
  }
  return *s;
}

Result<Listing<Subscription>> NotifyService::list_subscriptions(const std::string& region,
                                                                const std::string& next_token) {
  Impl& m = *impl_;
  std::string prefix = m.topic_arn_for(region, "");
  if (!next_token.empty() && !next_token.starts_with(prefix)) {
    return invalid_parameter("NextToken");
  }
  store::Page<store::DocumentRecord> page =
      m.store.list_documents(kSubscriptionKind, prefix, next_token, kPageSize);
  Listing<Subscription> out;
  for (const store::DocumentRecord& d : page.items) {
    json::ParseResult p = json::parse(d.json);
    if (p.ok()) {
      out.items.push_back(subscription_from_json(p.value));
    }
  }
  out.next_token = page.next_key;
  return out;
}

Result<Listing<Subscription>> NotifyService::list_subscriptions_by_topic(
    const std::string& topic_arn, const std::string& next_token) {
  Impl& m = *impl_;
  if (auto e = m.check_topic_arn(topic_arn, "ListSubscriptionsByTopic")) {
    return *e;
  }
  if (!m.load_topic(topic_arn)) {
    return not_found_topic();
  }
  std::vector<Subscription> all = m.subscriptions_of(topic_arn);
  std::sort(all.begin(), all.end(),
            [](const Subscription& a, const Subscription& b) { return a.arn < b.arn; });
  Listing<Subscription> out;
  for (Subscription& s : all) {
    if (!next_token.empty() && s.arn <= next_token) {
      continue;
    }
    if (out.items.size() == kPageSize) {
      out.next_token = out.items.back().arn;
      break;
    }
    out.items.push_back(std::move(s));
  }
  return out;
}

Result<Attributes> NotifyService::get_subscription_attributes(const std::string& subscription_arn) {
  Impl& m = *impl_;
  if (!valid_subscription_arn(subscription_arn)) {
    return invalid_parameter("SubscriptionArn");
  }
  std::optional<Subscription> s = m.load_subscription(subscription_arn);
  if (!s) {
    return not_found_subscription();
  }
  Attributes out;
  out.emplace_back("Owner", s->owner);
  out.emplace_back("RawMessageDelivery", s->attributes.count("RawMessageDelivery") != 0
                                             ? s->attributes.at("RawMessageDelivery")
                                             : "false");
  out.emplace_back("TopicArn", s->topic_arn);
  out.emplace_back("Endpoint", s->endpoint);
  out.emplace_back("Protocol", s->protocol);
  out.emplace_back("PendingConfirmation", s->confirmed ? "false" : "true");
  out.emplace_back("ConfirmationWasAuthenticated", s->confirmed ? "true" : "false");
  out.emplace_back("SubscriptionArn", s->arn);
  out.emplace_back("SubscriptionPrincipal", "arn:aws:iam::" + m.opts.account + ":root");
  if (s->protocol == "http" || s->protocol == "https") {
    json::Value topic;
    if (auto doc = m.load_topic(s->topic_arn)) {
      json::ParseResult p = json::parse(doc->json);
      if (p.ok()) {
        topic = p.value;
      }
    }
    json::Value retry = m.http_retry_policy(*s, topic);
    retry.set("numNoDelayRetries", json::Value(0));
    retry.set("numMinDelayRetries", json::Value(0));
    retry.set("numMaxDelayRetries", json::Value(0));
    out.emplace_back("EffectiveDeliveryPolicy",
                     json::dump(json::Value::object({{"healthyRetryPolicy", retry}})));
  }
  for (const auto& [k, v] : s->attributes) {
    if (k != "RawMessageDelivery") {
      out.emplace_back(k, v);
    }
  }
  if (s->attributes.count("FilterPolicy") != 0 && s->attributes.count("FilterPolicyScope") == 0) {
    out.emplace_back("FilterPolicyScope", "MessageAttributes");
  }
  return out;
}

Result<Unit> NotifyService::set_subscription_attributes(const std::string& subscription_arn,
                                                        const std::string& name,
                                                        const std::string& value) {
  Impl& m = *impl_;
  if (!valid_subscription_arn(subscription_arn)) {
    return invalid_parameter("SubscriptionArn");
  }
  if (auto e = check_subscription_attribute(name, value)) {
    return *e;
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::optional<store::DocumentRecord> doc =
        m.store.get_document(kSubscriptionKind, subscription_arn);
    if (!doc) {
      return not_found_subscription();
    }
    json::ParseResult p = json::parse(doc->json);
    if (!p.ok()) {
      return make_error("InternalError", "The stored subscription is unreadable", 500);
    }
    Subscription s = subscription_from_json(p.value);
    if (value.empty()) {
      s.attributes.erase(name);
    } else {
      s.attributes[name] = value;
    }
    store::DocumentBatch batch;
    store::DocumentWrite w;
    w.doc = m.subscription_doc(s, doc->created_ms);
    w.expected_version = doc->version;
    batch.writes.push_back(std::move(w));
    store::WriteStatus st = m.store.apply_documents(batch);
    if (st == store::WriteStatus::Ok) {
      return Unit{};
    }
    if (st == store::WriteStatus::NotFound) {
      return not_found_subscription();
    }
  }
  return make_error("ConcurrentAccess", "Too many concurrent updates of the subscription", 400);
}

}  // namespace signoff::notify
