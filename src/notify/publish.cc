// Publish: validation with AWS's messages, then one job per confirmed subscriber, committed
// together before the MessageId is returned.
#include <cstdlib>

#include "notify/message_structure.h"
#include "notify/service_impl.h"

namespace signoff::notify {
namespace {

constexpr size_t kMaxMessageBytes = 256 * 1024;
constexpr size_t kMaxSubjectChars = 100;
constexpr size_t kMaxAttributes = 10;

size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xc0) != 0x80 ? 1 : 0;
  }
  return n;
}

std::optional<Error> check_subject(const std::optional<std::string>& subject) {
  if (!subject) {
    return std::nullopt;
  }
  // AWS: printable text starting with a letter, number or punctuation, no line breaks or
  // control characters, at most 100 characters.
  if (subject->empty() || utf8_chars(*subject) > kMaxSubjectChars ||
      static_cast<unsigned char>((*subject)[0]) == ' ') {
    return invalid_parameter("Subject");
  }
  for (unsigned char c : *subject) {
    if (c < 0x20 || c == 0x7f) {
      return invalid_parameter("Subject");
    }
  }
  return std::nullopt;
}

Error attribute_error(std::string message) {
  return make_error("ParameterValueInvalid", std::move(message));
}

bool valid_attribute_name(std::string_view name) {
  if (name.empty() || name.size() > 256 || name.front() == '.' || name.back() == '.' ||
      name.starts_with("AWS.") || name.starts_with("Amazon.") ||
      name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool is_number(const std::string& text) {
  if (text.empty()) {
    return false;
  }
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// The envelopes' form: {"name": {"Type": "String", "Value": "v"}}.
Result<json::Value> attributes_json(const std::vector<MessageAttribute>& attributes,
                                    size_t* bytes) {
  if (attributes.size() > kMaxAttributes) {
    return attribute_error("Number of message attributes [" + std::to_string(attributes.size()) +
                           "] exceeds the allowed maximum [10].");
  }
  json::Value out = json::Value::object();
  for (const MessageAttribute& a : attributes) {
    if (!valid_attribute_name(a.name)) {
      return attribute_error("Invalid attribute name: " + a.name);
    }
    if (a.data_type.empty()) {
      return attribute_error("The message attribute '" + a.name +
                             "' must contain non-empty message attribute type.");
    }
    std::string base = a.data_type.substr(0, a.data_type.find('.'));
    if (a.data_type.starts_with("String.Array")) {
      base = "String.Array";
    }
    if (base != "String" && base != "Number" && base != "Binary" && base != "String.Array") {
      return attribute_error("The message attribute '" + a.name +
                             "' has an invalid message attribute type, the set of supported "
                             "type prefixes is Binary, Number, and String.");
    }
    const std::string& value = base == "Binary" ? a.binary_value : a.string_value;
    if (value.empty()) {
      return attribute_error("The message attribute '" + a.name +
                             "' must contain non-empty message attribute value for message "
                             "attribute type '" +
                             base + "'.");
    }
    if (base == "Number" && !is_number(value)) {
      return attribute_error("Could not cast message attribute '" + a.name + "' value to number.");
    }
    if (base == "String.Array") {
      json::ParseResult p = json::parse(value, 16);
      if (!p.ok() || !p.value.is_array()) {
        return attribute_error("The message attribute '" + a.name +
                               "' with type 'String.Array' must be a JSON array.");
      }
    }
    *bytes += a.name.size() + a.data_type.size() + value.size();
    out.set(a.name, json::Value::object(
                        {{"Type", json::Value(a.data_type)}, {"Value", json::Value(value)}}));
  }
  return out;
}

}  // namespace

Result<std::string> NotifyService::publish(const PublishRequest& r) {
  Impl& m = *impl_;
  if (r.topic_arn.empty() && r.target_arn.empty()) {
    return invalid_parameter("TopicArn or TargetArn Reason: no value for required parameter");
  }
  if (!r.topic_arn.empty() && !r.target_arn.empty()) {
    return invalid_parameter(
        "TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn "
        "may be specified");
  }
  std::string topic_arn = r.topic_arn.empty() ? r.target_arn : r.topic_arn;
  if (!parse_topic_arn(topic_arn)) {
    return invalid_parameter(r.topic_arn.empty() ? "TargetArn" : "TopicArn");
  }
  if (auto e = m.check_topic_arn(topic_arn, "Publish")) {
    return *e;
  }
  if (r.message.empty()) {
    return invalid_parameter("Empty message");
  }
  if (auto e = check_subject(r.subject)) {
    return *e;
  }
  size_t bytes = r.message.size();
  Result<json::Value> attrs = attributes_json(r.message_attributes, &bytes);
  if (!attrs.ok()) {
    return attrs.error();
  }
  if (bytes > kMaxMessageBytes) {
    return invalid_parameter("Message too long");
  }
  ProtocolMessages messages;
  if (r.message_structure == "json") {
    Result<ProtocolMessages> parsed = parse_message_structure(r.message);
    if (!parsed.ok()) {
      return parsed.error();
    }
    messages = std::move(*parsed);
  } else if (!r.message_structure.empty()) {
    return invalid_parameter("MessageStructure");
  } else {
    messages["default"] = r.message;
  }
  std::optional<store::DocumentRecord> topic_doc = m.load_topic(topic_arn);
  if (!topic_doc) {
    return not_found_topic();
  }
  json::Value topic;
  if (json::ParseResult p = json::parse(topic_doc->json); p.ok()) {
    topic = p.value;
  }
  std::string message_id = random_uuid();
  int64_t now = m.clock.now_ms();
  store::DocumentBatch batch;
  for (const Subscription& s : m.subscriptions_of(topic_arn)) {
    if (!s.confirmed) {
      continue;  // nothing reaches a subscriber before it confirms
    }
    store::JobRecord job;
    job.id = "sns:" + message_id + ":" + s.arn.substr(s.arn.rfind(':') + 1);
    job.kind = std::string(kDeliveryKind);
    job.owner = s.arn;
    job.due_ms = 0;
    job.payload = json::dump(json::Value::object({
        {"Type", json::Value("Notification")},
        {"SubscriptionArn", json::Value(s.arn)},
        {"TopicArn", json::Value(topic_arn)},
        {"Protocol", json::Value(s.protocol)},
        {"Endpoint", json::Value(s.endpoint)},
        {"MessageId", json::Value(message_id)},
        {"Subject", json::Value(r.subject.value_or(""))},
        {"Message", json::Value(message_for(messages, s.protocol))},
        {"Timestamp", json::Value(now)},
        {"MessageAttributes", *attrs},
        {"Retry", m.http_retry_policy(s, topic)},
    }));
    batch.jobs_to_put.push_back(std::move(job));
  }
  if (!batch.jobs_to_put.empty()) {
    if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
      return make_error("InternalError", "The deliveries could not be stored", 500);
    }
    m.wake_runner();
  }
  return message_id;
}

Result<std::string> NotifyService::publish(const std::string& topic_arn, const std::string& subject,
                                           const std::string& message,
                                           const std::map<std::string, std::string>& attributes) {
  PublishRequest r;
  r.topic_arn = topic_arn;
  if (!subject.empty()) {
    r.subject = subject;
  }
  r.message = message;
  for (const auto& [k, v] : attributes) {
    r.message_attributes.push_back(MessageAttribute{k, "String", v, ""});
  }
  return publish(r);
}

}  // namespace signoff::notify
