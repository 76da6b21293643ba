// NotifyService: lifecycle, shared helpers, topics, tags and the confirm/unsubscribe links.
#include "notify/service.h"

#include <cstdio>

#include <openssl/rand.h>

#include "notify/service_impl.h"

namespace signoff::notify {
namespace {

constexpr size_t kPageSize = 100;

bool valid_topic_name(std::string_view name, bool fifo) {
  if (fifo) {
    if (!name.ends_with(".fifo")) {
      return false;
    }
    name.remove_suffix(5);
  }
  if (name.empty() || name.size() > 256) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool settable_topic_attribute(std::string_view name) {
  static constexpr std::string_view kNames[] = {"DeliveryPolicy",
                                                "DisplayName",
                                                "Policy",
                                                "KmsMasterKeyId",
                                                "TracingConfig",
                                                "SignatureVersion",
                                                "FifoTopic",
                                                "ContentBasedDeduplication",
                                                "DataProtectionPolicy",
                                                "ArchivePolicy",
                                                "FifoThroughputScope"};
  for (std::string_view n : kNames) {
    if (n == name) {
      return true;
    }
  }
  return name.ends_with("FeedbackRoleArn") || name.ends_with("FeedbackSampleRate");
}

std::string default_policy(const std::string& arn, const std::string& account) {
  return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
         "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
         "[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:AddPermission\",\"SNS:"
         "RemovePermission\",\"SNS:DeleteTopic\",\"SNS:Subscribe\",\"SNS:"
         "ListSubscriptionsByTopic\","
         "\"SNS:Publish\"],\"Resource\":\"" +
         arn + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"" + account + "\"}}}]}";
}

constexpr const char* kDefaultDeliveryPolicy =
    "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,\"maxDelayTarget\":20,"
    "\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,"
    "\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,"
    "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}";

json::Value attributes_object(const Attributes& attributes) {
  json::Value obj = json::Value::object();
  for (const auto& [k, v] : attributes) {
    obj.set(k, json::Value(v));
  }
  return obj;
}

std::optional<Error> check_attribute_value(const std::string& name, const std::string& value) {
  if (name == "Policy" || name == "DeliveryPolicy" || name == "DataProtectionPolicy") {
    json::ParseResult p = json::parse(value, 64);
    if (!p.ok() || !p.value.is_object()) {
      return invalid_parameter(name + ": the value must be a JSON object");
    }
  }
  if (name == "DisplayName" && value.size() > 100) {
    return invalid_parameter("DisplayName");
  }
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Helpers shared by the service's files.

std::optional<TopicArnParts> parse_topic_arn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:sns:";
  if (!arn.starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::string_view rest = arn.substr(kPrefix.size());
  size_t c1 = rest.find(':');
  if (c1 == std::string_view::npos || c1 == 0) {
    return std::nullopt;
  }
  size_t c2 = rest.find(':', c1 + 1);
  if (c2 == std::string_view::npos || c2 == c1 + 1) {
    return std::nullopt;
  }
  std::string_view name = rest.substr(c2 + 1);
  if (name.empty() || name.find(':') != std::string_view::npos) {
    return std::nullopt;
  }
  return TopicArnParts{std::string(rest.substr(0, c1)),
                       std::string(rest.substr(c1 + 1, c2 - c1 - 1)), std::string(name)};
}

Error not_found_topic() {
  return make_error("NotFound", "Topic does not exist", 404);
}

Error invalid_parameter(std::string_view what) {
  return make_error("InvalidParameter", "Invalid parameter: " + std::string(what));
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

std::string random_uuid() {
  std::string h = random_hex(16);
  h[12] = '4';
  h[16] = "89ab"[h[16] % 4];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

json::Value subscription_json(const Subscription& s) {
  json::Value attrs = json::Value::object();
  for (const auto& [k, v] : s.attributes) {
    attrs.set(k, json::Value(v));
  }
  return json::Value::object({{"SubscriptionArn", json::Value(s.arn)},
                              {"TopicArn", json::Value(s.topic_arn)},
                              {"Protocol", json::Value(s.protocol)},
                              {"Endpoint", json::Value(s.endpoint)},
                              {"Owner", json::Value(s.owner)},
                              {"Confirmed", json::Value(s.confirmed)},
                              {"Token", json::Value(s.token)},
                              {"Attributes", attrs}});
}

Subscription subscription_from_json(const json::Value& v) {
  auto str = [&v](std::string_view key) {
    const json::Value* f = v.find(key);
    return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  Subscription s;
  s.arn = str("SubscriptionArn");
  s.topic_arn = str("TopicArn");
  s.protocol = str("Protocol");
  s.endpoint = str("Endpoint");
  s.owner = str("Owner");
  s.token = str("Token");
  const json::Value* confirmed = v.find("Confirmed");
  s.confirmed = confirmed != nullptr && confirmed->is_bool() && confirmed->as_bool();
  if (const json::Value* attrs = v.find("Attributes"); attrs != nullptr && attrs->is_object()) {
    for (const json::Member& m : attrs->as_object()) {
      if (m.value.is_string()) {
        s.attributes[m.key] = std::string(m.value.as_string());
      }
    }
  }
  return s;
}

void NotifyService::Impl::log(const std::string& line) const {
  if (opts.log) {
    opts.log(line);
  } else {
    std::fprintf(stderr, "signoff: sns: %s\n", line.c_str());
  }
}

std::string NotifyService::Impl::base_url() const {
  std::lock_guard lock(url_mu);
  return public_url;
}

std::string NotifyService::Impl::topic_arn_for(const std::string& region,
                                               const std::string& name) const {
  return "arn:aws:sns:" + (region.empty() ? opts.default_region : region) + ":" + opts.account +
         ":" + name;
}

std::optional<Error> NotifyService::Impl::check_topic_arn(const std::string& arn,
                                                          std::string_view action) const {
  std::optional<TopicArnParts> parts = parse_topic_arn(arn);
  if (!parts) {
    return invalid_parameter("TopicArn");
  }
  if (parts->account != opts.account) {
    return make_error("AuthorizationError",
                      "User: arn:aws:iam::" + opts.account +
                          ":root is not authorized to perform: SNS:" + std::string(action) +
                          " on resource: " + arn,
                      403);
  }
  return std::nullopt;
}

std::optional<store::DocumentRecord> NotifyService::Impl::load_topic(const std::string& arn) const {
  return store.get_document(kTopicKind, arn);
}

std::optional<Subscription> NotifyService::Impl::load_subscription(const std::string& arn) const {
  std::optional<store::DocumentRecord> doc = store.get_document(kSubscriptionKind, arn);
  if (!doc) {
    return std::nullopt;
  }
  json::ParseResult p = json::parse(doc->json);
  if (!p.ok()) {
    return std::nullopt;
  }
  return subscription_from_json(p.value);
}

std::vector<Subscription> NotifyService::Impl::subscriptions_of(
    const std::string& topic_arn) const {
  std::vector<Subscription> out;
  for (const store::DocumentRecord& doc : store.documents_by_index(kSubscriptionKind, topic_arn)) {
    json::ParseResult p = json::parse(doc.json);
    if (p.ok()) {
      out.push_back(subscription_from_json(p.value));
    }
  }
  return out;
}

store::DocumentRecord NotifyService::Impl::subscription_doc(const Subscription& s,
                                                            int64_t created_ms) const {
  store::DocumentRecord doc;
  doc.kind = std::string(kSubscriptionKind);
  doc.key = s.arn;
  doc.index = s.topic_arn;
  doc.json = json::dump(subscription_json(s));
  doc.created_ms = created_ms;
  doc.updated_ms = clock.now_ms();
  return doc;
}

void NotifyService::Impl::wake_runner() const {
  if (runner) {
    runner->wake();
  }
}

// ---------------------------------------------------------------------------------------------

NotifyService::NotifyService(store::Store& store, const Clock& clock, NotifyOptions options,
                             std::shared_ptr<Transport> transport,
                             std::shared_ptr<FunctionInvoker> invoker)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options), std::move(transport),
                                   std::move(invoker))) {
  impl_->public_url = impl_->opts.public_url;
}

NotifyService::~NotifyService() {
  stop();
}

void NotifyService::start() {
  Impl& m = *impl_;
  std::string key = m.store.put_meta_if_absent("sns.link_key", random_hex(32));
  m.links = std::make_unique<LinkSigner>(key);
  m.signer = MessageSigner::load_or_create(m.store);
  m.runner = std::make_unique<DeliveryRunner>(m);
  m.runner->start(m.opts.delivery_threads == 0 ? 1 : m.opts.delivery_threads);
}

void NotifyService::stop() {
  if (impl_->runner) {
    impl_->runner->stop();
  }
  impl_->runner.reset();
}

void NotifyService::set_public_url(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  std::lock_guard lock(impl_->url_mu);
  impl_->public_url = std::move(url);
}

std::string NotifyService::public_url() const {
  return impl_->base_url();
}

std::string NotifyService::unsubscribe_url(const std::string& subscription_arn) const {
  return notify::unsubscribe_url(impl_->base_url(), subscription_arn, *impl_->links);
}

std::string NotifyService::signing_cert_url() const {
  return impl_->base_url() + "/sns/SimpleNotificationService-signoff.pem";
}

std::string NotifyService::signing_cert_pem() const {
  return impl_->signer ? impl_->signer->certificate_pem() : std::string();
}

// ---------------------------------------------------------------------------------------------
// Topics

Result<std::string> NotifyService::create_topic(const std::string& region, const std::string& name,
                                                const Attributes& attributes,
                                                const std::vector<store::Tag>& tags) {
  Impl& m = *impl_;
  bool fifo = false;
  for (const auto& [k, v] : attributes) {
    if (!settable_topic_attribute(k)) {
      return invalid_parameter("Attributes Reason: Unknown attribute " + k);
    }
    if (auto e = check_attribute_value(k, v)) {
      return *e;
    }
    if (k == "FifoTopic") {
      fifo = v == "true";
    }
  }
  if (!valid_topic_name(name, fifo)) {
    if (!fifo && name.ends_with(".fifo")) {
      return invalid_parameter(
          "Topic Name Reason: Fifo Topic names must end with .fifo and "
          "FifoTopic attribute must be true");
    }
    return invalid_parameter("Topic Name");
  }
  std::string arn = m.topic_arn_for(region, name);
  if (std::optional<store::DocumentRecord> existing = m.load_topic(arn)) {
    // Idempotent by name, as long as the attributes asked for are the ones it has.
    json::ParseResult p = json::parse(existing->json);
    const json::Value* stored = p.ok() ? p.value.find("Attributes") : nullptr;
    for (const auto& [k, v] : attributes) {
      const json::Value* have = stored != nullptr ? stored->find(k) : nullptr;
      if (have == nullptr || !have->is_string() || have->as_string() != v) {
        return invalid_parameter(
            "Attributes Reason: Topic already exists with different "
            "attributes");
      }
    }
    return arn;
  }
  int64_t now = m.clock.now_ms();
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.doc.kind = std::string(kTopicKind);
  w.doc.key = arn;
  w.doc.json = json::dump(json::Value::object({{"TopicArn", json::Value(arn)},
                                               {"Name", json::Value(name)},
                                               {"Attributes", attributes_object(attributes)},
                                               {"SubscriptionsDeleted", json::Value(0)}}));
  w.doc.created_ms = now;
  w.doc.updated_ms = now;
  w.expected_version = store::kMustNotExist;
  batch.writes.push_back(std::move(w));
  store::WriteStatus st = m.store.apply_documents(batch);
  if (st != store::WriteStatus::Ok && st != store::WriteStatus::AlreadyExists) {
    return make_error("InternalError", "The topic could not be stored", 500);
  }
  if (!tags.empty()) {
    m.store.set_tags(arn, tags);
  }
  return arn;
}

Result<Unit> NotifyService::delete_topic(const std::string& topic_arn) {
  Impl& m = *impl_;
  if (auto e = m.check_topic_arn(topic_arn, "DeleteTopic")) {
    return *e;
  }
  // Deleting a topic that does not exist succeeds, as on AWS.
  store::DocumentBatch batch;
  store::DocumentWrite w;
  w.op = store::DocumentWrite::Op::Delete;
  w.doc.kind = std::string(kTopicKind);
  w.doc.key = topic_arn;
  batch.writes.push_back(w);
  for (const Subscription& s : m.subscriptions_of(topic_arn)) {
    store::DocumentWrite d;
    d.op = store::DocumentWrite::Op::Delete;
    d.doc.kind = std::string(kSubscriptionKind);
    d.doc.key = s.arn;
    batch.writes.push_back(d);
  }
  m.store.apply_documents(batch);
  std::vector<std::string> keys;
  for (const store::Tag& t : m.store.tags(topic_arn)) {
    keys.push_back(t.key);
  }
  if (!keys.empty()) {
    m.store.remove_tags(topic_arn, keys);
  }
  return Unit{};
}

Result<Listing<std::string>> NotifyService::list_topics(const std::string& region,
                                                        const std::string& next_token) {
  Impl& m = *impl_;
  std::string prefix = m.topic_arn_for(region, "");
  if (!next_token.empty() && !next_token.starts_with(prefix)) {
    return invalid_parameter("NextToken");
  }
  store::Page<store::DocumentRecord> page =
      m.store.list_documents(kTopicKind, prefix, next_token, kPageSize);
  Listing<std::string> out;
  for (const store::DocumentRecord& d : page.items) {
    out.items.push_back(d.key);
  }
  out.next_token = page.next_key;
  return out;
}

Result<Attributes> NotifyService::get_topic_attributes(const std::string& topic_arn) {
  Impl& m = *impl_;
  if (auto e = m.check_topic_arn(topic_arn, "GetTopicAttributes")) {
    return *e;
  }
  std::optional<store::DocumentRecord> doc = m.load_topic(topic_arn);
  if (!doc) {
    return not_found_topic();
  }
  json::ParseResult p = json::parse(doc->json);
  json::Value stored = p.ok() && p.value.find("Attributes") != nullptr ? *p.value.find("Attributes")
                                                                       : json::Value::object();
  auto get = [&stored](std::string_view key) -> std::optional<std::string> {
    const json::Value* v = stored.find(key);
    if (v == nullptr || !v->is_string()) {
      return std::nullopt;
    }
    return std::string(v->as_string());
  };
  int64_t confirmed = 0;
  int64_t pending = 0;
  for (const Subscription& s : m.subscriptions_of(topic_arn)) {
    (s.confirmed ? confirmed : pending) += 1;
  }
  const json::Value* deleted = p.ok() ? p.value.find("SubscriptionsDeleted") : nullptr;
  Attributes out;
  out.emplace_back("Policy", get("Policy").value_or(default_policy(topic_arn, m.opts.account)));
  out.emplace_back("Owner", m.opts.account);
  out.emplace_back("SubscriptionsPending", std::to_string(pending));
  out.emplace_back("TopicArn", topic_arn);
  out.emplace_back("EffectiveDeliveryPolicy",
                   get("DeliveryPolicy").value_or(kDefaultDeliveryPolicy));
  out.emplace_back("SubscriptionsConfirmed", std::to_string(confirmed));
  out.emplace_back("DisplayName", get("DisplayName").value_or(""));
  out.emplace_back("SubscriptionsDeleted",
                   std::to_string(deleted != nullptr && deleted->is_int() ? deleted->as_int() : 0));
  for (const json::Member& a : stored.as_object()) {
    if (a.key != "Policy" && a.key != "DisplayName" && a.value.is_string()) {
      out.emplace_back(a.key, std::string(a.value.as_string()));
    }
  }
  return out;
}

Result<Unit> NotifyService::set_topic_attributes(const std::string& topic_arn,
                                                 const std::string& name,
                                                 const std::optional<std::string>& value) {
  Impl& m = *impl_;
  if (auto e = m.check_topic_arn(topic_arn, "SetTopicAttributes")) {
    return *e;
  }
  if (!settable_topic_attribute(name) || name == "FifoTopic") {
    return invalid_parameter("AttributeName");
  }
  std::string v = value.value_or("");
  if (auto e = check_attribute_value(name, v)) {
    if (!v.empty()) {
      return *e;
    }
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::optional<store::DocumentRecord> doc = m.load_topic(topic_arn);
    if (!doc) {
      return not_found_topic();
    }
    json::ParseResult p = json::parse(doc->json);
    if (!p.ok()) {
      return make_error("InternalError", "The stored topic is unreadable", 500);
    }
    json::Value topic = p.value;
    json::Value attrs =
        topic.find("Attributes") != nullptr ? *topic.find("Attributes") : json::Value::object();
    if (v.empty()) {
      attrs.erase(name);  // an empty value resets the attribute to its default
    } else {
      attrs.set(name, json::Value(v));
    }
    topic.set("Attributes", attrs);
    store::DocumentBatch batch;
    store::DocumentWrite w;
    w.doc = *doc;
    w.doc.json = json::dump(topic);
    w.doc.updated_ms = m.clock.now_ms();
    w.expected_version = doc->version;
    batch.writes.push_back(std::move(w));
    store::WriteStatus st = m.store.apply_documents(batch);
    if (st == store::WriteStatus::Ok) {
      return Unit{};
    }
    if (st == store::WriteStatus::NotFound) {
      return not_found_topic();
    }
  }
  return make_error("ConcurrentAccess", "Too many concurrent updates of the topic", 400);
}

// ---------------------------------------------------------------------------------------------
// Tags

Result<Unit> NotifyService::tag_resource(const std::string& arn,
                                         const std::vector<store::Tag>& tags) {
  if (!impl_->load_topic(arn)) {
    return make_error("ResourceNotFound", "Resource does not exist", 404);
  }
  impl_->store.set_tags(arn, tags);
  return Unit{};
}

Result<Unit> NotifyService::untag_resource(const std::string& arn,
                                           const std::vector<std::string>& keys) {
  if (!impl_->load_topic(arn)) {
    return make_error("ResourceNotFound", "Resource does not exist", 404);
  }
  impl_->store.remove_tags(arn, keys);
  return Unit{};
}

Result<std::vector<store::Tag>> NotifyService::list_tags(const std::string& arn) {
  if (!impl_->load_topic(arn)) {
    return make_error("ResourceNotFound", "Resource does not exist", 404);
  }
  return impl_->store.tags(arn);
}

}  // namespace signoff::notify
