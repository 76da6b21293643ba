// CreateAgent / UpdateAgent bodies into stored agents, and back into the API's shape.
#include <algorithm>
#include <cmath>
#include <random>

#include "agents/impl.h"
#include "agents/rules.h"

namespace signoff::agents {

namespace {

Error invalid(std::string message) {
  return make_error("ValidationException", std::move(message));
}

bool valid_name(std::string_view n) {
  return !n.empty() && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

bool valid_role_arn(std::string_view a) {
  // arn:aws:iam::ACCOUNT:role/[PATH/]NAME
  if (a.rfind("arn:aws:iam::", 0) != 0 || a.size() > 2048) {
    return false;
  }
  size_t colon = a.find(':', 13);
  return colon == 25 && a.substr(colon, 6) == ":role/" && a.size() > colon + 6;
}

bool http_url(std::string_view u) {
  return (u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0) && u.size() > 8 &&
         u.size() <= 2048;
}

const json::Value* member(const json::Value& v, std::string_view key) {
  return v.is_object() ? v.find(key) : nullptr;
}

Result<std::string> optional_string(const json::Value& v, std::string_view key, size_t max,
                                    const std::string& fallback) {
  const json::Value* m = member(v, key);
  if (!m) {
    return fallback;
  }
  if (!m->is_string() || m->as_string().size() > max) {
    return invalid(std::string(key) + " must be a string of at most " + std::to_string(max) +
                   " characters.");
  }
  return std::string(m->as_string());
}

Result<int64_t> optional_int(const json::Value& v, std::string_view key, int64_t lo, int64_t hi,
                             int64_t fallback) {
  const json::Value* m = member(v, key);
  if (!m) {
    return fallback;
  }
  if (!m->is_int() || m->as_int() < lo || m->as_int() > hi) {
    return invalid(std::string(key) + " must be an integer from " + std::to_string(lo) + " to " +
                   std::to_string(hi) + ".");
  }
  return m->as_int();
}

std::string random_secret() {
  std::random_device rd;
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 64; ++i) {
    out += hex[rd() & 15];
  }
  return out;
}

Result<json::Value> build_model(const json::Value& m, const json::Value* old,
                                SecretSealer* sealer) {
  if (!m.is_object()) {
    return invalid("Model must be an object.");
  }
  json::Value out = json::Value::object();
  auto base = optional_string(m, "BaseUrl", 2048, old ? text_of(*old, "BaseUrl") : "");
  if (!base.ok()) {
    return base.error();
  }
  if (!http_url(*base)) {
    return invalid(
        "Model.BaseUrl must be an http:// or https:// URL (e.g. "
        "http://127.0.0.1:8080/v1).");
  }
  auto model = optional_string(m, "Model", 256, old ? text_of(*old, "Model") : "");
  if (!model.ok()) {
    return model.error();
  }
  if (model->empty()) {
    return invalid("Model.Model (the model's name) is required.");
  }
  auto prompt = optional_string(m, "SystemPrompt", 32768, old ? text_of(*old, "SystemPrompt") : "");
  if (!prompt.ok()) {
    return prompt.error();
  }
  auto timeout =
      optional_int(m, "TimeoutSeconds", 1, 300, old ? int_of(*old, "TimeoutSeconds", 30) : 30);
  if (!timeout.ok()) {
    return timeout.error();
  }
  auto max_tokens = optional_int(m, "MaxTokens", 0, 1000000, old ? int_of(*old, "MaxTokens") : 0);
  if (!max_tokens.ok()) {
    return max_tokens.error();
  }
  out.set("BaseUrl", json::Value(*base));
  out.set("Model", json::Value(*model));
  out.set("SystemPrompt", json::Value(*prompt));
  out.set("TimeoutSeconds", json::Value(*timeout));
  out.set("MaxTokens", json::Value(*max_tokens));
  if (const json::Value* key = member(m, "ApiKey")) {
    if (!key->is_string() || key->as_string().size() > 4096) {
      return invalid("Model.ApiKey must be a string of at most 4096 characters.");
    }
    if (!key->as_string().empty()) {
      if (!sealer) {
        return make_error("InternalServerError", "No secret sealer is configured.", 500);
      }
      out.set("ApiKeySealed", json::Value(sealer->seal(std::string(key->as_string()))));
    }
  } else if (old && old->find("ApiKeySealed")) {
    out.set("ApiKeySealed", *old->find("ApiKeySealed"));
  }
  return out;
}

Result<json::Value> build_webhook(const json::Value& w, const json::Value* old,
                                  SecretSealer* sealer, std::string* generated) {
  if (!w.is_object()) {
    return invalid("Webhook must be an object.");
  }
  auto url = optional_string(w, "Url", 2048, old ? text_of(*old, "Url") : "");
  if (!url.ok()) {
    return url.error();
  }
  if (!http_url(*url)) {
    return invalid("Webhook.Url must be an http:// or https:// URL.");
  }
  json::Value out = json::Value::object({{"Url", json::Value(*url)}});
  std::string secret;
  if (const json::Value* s = member(w, "Secret")) {
    if (!s->is_string() || s->as_string().size() < 16 || s->as_string().size() > 4096) {
      return invalid("Webhook.Secret must be a string of 16 to 4096 characters.");
    }
    secret = std::string(s->as_string());
  } else if (old && old->find("SecretSealed")) {
    out.set("SecretSealed", *old->find("SecretSealed"));
    return out;
  } else {
    secret = random_secret();
    *generated = secret;
  }
  if (!sealer) {
    return make_error("InternalServerError", "No secret sealer is configured.", 500);
  }
  out.set("SecretSealed", json::Value(sealer->seal(secret)));
  return out;
}

}  // namespace

Result<json::Value> build_agent(const json::Value& r, const json::Value* existing,
                                SecretSealer* sealer, int64_t now_ms, const std::string& arn,
                                std::string* generated_secret) {
  if (!r.is_object()) {
    return invalid("The request must be a JSON object.");
  }
  std::string name = text_of(r, "AgentName");
  if (!valid_name(name)) {
    return invalid(
        "1 validation error detected: Value at 'agentName' failed to satisfy constraint: Member "
        "must satisfy regular expression pattern: ^[a-zA-Z0-9_.-]{1,64}$");
  }
  json::Value out = existing ? *existing : json::Value::object();
  out.set("AgentName", json::Value(name));
  out.set("AgentArn", json::Value(arn));
  auto role = optional_string(r, "RoleArn", 2048, existing ? text_of(*existing, "RoleArn") : "");
  if (!role.ok()) {
    return role.error();
  }
  if (!valid_role_arn(*role)) {
    return invalid("RoleArn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).");
  }
  out.set("RoleArn", json::Value(*role));
  std::string kind = existing ? text_of(*existing, "Kind") : text_of(r, "Kind");
  if (existing && member(r, "Kind") && text_of(r, "Kind") != kind) {
    return invalid("An agent's Kind cannot change; create another agent.");
  }
  if (kind != "Policy" && kind != "Model" && kind != "Webhook") {
    return invalid("Kind must be Policy, Model or Webhook.");
  }
  out.set("Kind", json::Value(kind));
  auto desc =
      optional_string(r, "Description", 1024, existing ? text_of(*existing, "Description") : "");
  if (!desc.ok()) {
    return desc.error();
  }
  out.set("Description", json::Value(*desc));
  double min_conf = existing ? number_of(*existing, "MinConfidence", 0.8) : 0.8;
  if (const json::Value* c = member(r, "MinConfidence")) {
    if (!c->is_number() || !(c->as_double() >= 0 && c->as_double() <= 1)) {
      return invalid("MinConfidence must be a number from 0 to 1.");
    }
    min_conf = c->as_double();
  }
  out.set("MinConfidence", json::Value(min_conf));
  auto rule =
      optional_string(r, "HumanRule", 64, existing ? text_of(*existing, "HumanRule") : "none");
  if (!rule.ok()) {
    return rule.error();
  }
  if (!parse_human_rule(*rule)) {
    return invalid("HumanRule must be none, at-least-one-human or human-decides-last.");
  }
  out.set("HumanRule", json::Value(human_rule_name(*parse_human_rule(*rule))));
  auto rate = optional_int(r, "MaxDecisionsPerHour", 0, 1000000,
                           existing ? int_of(*existing, "MaxDecisionsPerHour") : 0);
  if (!rate.ok()) {
    return rate.error();
  }
  out.set("MaxDecisionsPerHour", json::Value(*rate));
  auto spend = optional_int(r, "MaxTokensPerDay", 0, int64_t{1} << 40,
                            existing ? int_of(*existing, "MaxTokensPerDay") : 0);
  if (!spend.ok()) {
    return spend.error();
  }
  out.set("MaxTokensPerDay", json::Value(*spend));

  const json::Value* block = member(r, kind.c_str());
  const json::Value* old_block = existing ? existing->find(kind) : nullptr;
  for (const char* other : {"Policy", "Model", "Webhook"}) {
    if (other != kind && member(r, other)) {
      return invalid(std::string("A ") + kind + " agent takes no " + other + " settings.");
    }
  }
  if (!block && !old_block) {
    return invalid("A " + kind + " agent needs its " + kind + " settings.");
  }
  if (block) {
    if (kind == "Policy") {
      const json::Value* rules = member(*block, "Rules");
      auto compiled = PolicyRules::compile(rules ? *rules : json::Value());
      if (!compiled.ok()) {
        return compiled.error();
      }
      out.set("Policy", json::Value::object({{"Rules", *rules}}));
    } else if (kind == "Model") {
      auto m = build_model(*block, old_block, sealer);
      if (!m.ok()) {
        return m.error();
      }
      out.set("Model", *m);
    } else {
      auto w = build_webhook(*block, old_block, sealer, generated_secret);
      if (!w.ok()) {
        return w.error();
      }
      out.set("Webhook", *w);
    }
  }
  if (!existing) {
    out.set("State", json::Value("Active"));
    out.set("CreatedMs", json::Value(now_ms));
    out.set("Usage", json::Value::object());
  }
  out.set("LastModifiedMs", json::Value(now_ms));
  return out;
}

json::Value render_agent(const json::Value& s) {
  json::Value out = json::Value::object();
  for (const char* k : {"AgentName", "AgentArn", "RoleArn", "Kind", "State", "Description",
                        "MinConfidence", "HumanRule", "MaxDecisionsPerHour", "MaxTokensPerDay"}) {
    if (const json::Value* v = s.find(k)) {
      out.set(k, *v);
    }
  }
  if (const json::Value* p = s.find("Policy")) {
    out.set("Policy", *p);
  }
  if (const json::Value* m = s.find("Model")) {
    json::Value v = *m;
    v.set("ApiKeySet", json::Value(v.find("ApiKeySealed") != nullptr));
    v.erase("ApiKeySealed");
    out.set("Model", v);
  }
  if (const json::Value* w = s.find("Webhook")) {
    out.set("Webhook", json::Value::object({{"Url", json::Value(text_of(*w, "Url"))},
                                            {"SecretSet", json::Value(true)}}));
  }
  out.set("CreatedDate", epoch_seconds(int_of(s, "CreatedMs")));
  out.set("LastModifiedDate", epoch_seconds(int_of(s, "LastModifiedMs")));
  json::Value usage = json::Value::object();
  if (const json::Value* u = s.find("Usage")) {
    usage.set("DecisionsThisHour", json::Value(int_of(*u, "DecisionsThisHour")));
    usage.set("TokensToday", json::Value(int_of(*u, "TokensToday")));
  }
  out.set("Usage", usage);
  return out;
}

}  // namespace signoff::agents
