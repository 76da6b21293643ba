#include "agents/chat.h"

namespace signoff::agents {

namespace {

json::Value answer_schema() {
  auto str = [](const char* t) {
    return json::Value::object({{"type", json::Value(t)}});
  };
  json::Value decision = json::Value::object(
      {{"type", json::Value("string")},
       {"enum", json::Value::array(
                    {json::Value("approve"), json::Value("reject"), json::Value("abstain")})}});
  json::Value confidence = json::Value::object(
      {{"type", json::Value("number")}, {"minimum", json::Value(0)}, {"maximum", json::Value(1)}});
  return json::Value::object(
      {{"type", json::Value("object")},
       {"properties",
        json::Value::object(
            {{"decision", decision}, {"confidence", confidence}, {"reason", str("string")}})},
       {"required", json::Value::array({json::Value("decision"), json::Value("confidence"),
                                        json::Value("reason")})},
       {"additionalProperties", json::Value(false)}});
}

Error bad_answer(std::string why) {
  return make_error("ModelAnswerInvalid", "The model's answer is not usable: " + std::move(why));
}

}  // namespace

std::string chat_request(std::string_view model, std::string_view policy,
                         const json::Value& context, int64_t max_tokens) {
  std::string system(policy);
  if (!system.empty()) {
    system += "\n\n";
  }
  system += kAnswerInstructions;
  json::Value body = json::Value::object({
      {"model", json::Value(model)},
      {"messages",
       json::Value::array({
           json::Value::object({{"role", json::Value("system")}, {"content", json::Value(system)}}),
           json::Value::object(
               {{"role", json::Value("user")}, {"content", json::Value(json::dump(context))}}),
       })},
      {"response_format",
       json::Value::object({{"type", json::Value("json_schema")},
                            {"json_schema", json::Value::object({
                                                {"name", json::Value("approval_decision")},
                                                {"strict", json::Value(true)},
                                                {"schema", answer_schema()},
                                            })}})},
      {"temperature", json::Value(0)},
  });
  if (max_tokens > 0) {
    body.set("max_tokens", json::Value(max_tokens));
  }
  return json::dump(body);
}

Result<Verdict> parse_chat_response(std::string_view text) {
  auto parsed = json::parse(text, 64);
  if (!parsed.ok() || !parsed.value.is_object()) {
    return bad_answer("the response is not a JSON object");
  }
  const json::Value& body = parsed.value;
  const json::Value* choices = body.find("choices");
  const json::Value* first = choices && choices->is_array() ? choices->at(0) : nullptr;
  const json::Value* message = first && first->is_object() ? first->find("message") : nullptr;
  const json::Value* content = message && message->is_object() ? message->find("content") : nullptr;
  if (!content || !content->is_string()) {
    return bad_answer("choices[0].message.content is missing");
  }
  auto answer = json::parse(content->as_string(), 16);
  if (!answer.ok() || !answer.value.is_object()) {
    return bad_answer("the content is not a JSON object");
  }
  const json::Value& a = answer.value;
  const json::Value* d = a.find("decision");
  const json::Value* c = a.find("confidence");
  const json::Value* r = a.find("reason");
  if (!d || !d->is_string() || !parse_decision(d->as_string())) {
    return bad_answer("decision must be approve, reject or abstain");
  }
  if (!c || !c->is_number() || !(c->as_double() >= 0 && c->as_double() <= 1)) {
    return bad_answer("confidence must be a number from 0 to 1");
  }
  Verdict v;
  v.decision = *parse_decision(d->as_string());
  v.confidence = c->as_double();
  v.reason = r && r->is_string() ? std::string(r->as_string()) : std::string();
  if (v.reason.size() > 2048) {
    v.reason.resize(2048);
  }
  if (const json::Value* usage = body.find("usage"); usage && usage->is_object()) {
    if (const json::Value* t = usage->find("total_tokens"); t && t->is_int() && t->as_int() > 0) {
      v.tokens = t->as_int();
    }
  }
  return v;
}

std::string completions_url(std::string_view base_url) {
  std::string url(base_url);
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url + "/chat/completions";
}

}  // namespace signoff::agents
