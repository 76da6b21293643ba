// Policy rules over an approval's context (JSONata expressions and ASL Choice rules), the
// chat-completions protocol, and webhook signatures.
#include "agents/rules.h"

#include <gtest/gtest.h>

#include "agents/chat.h"
#include "agents/webhook.h"

namespace signoff::agents {
namespace {

json::Value parse(const char* text) {
  auto r = json::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.value;
}

const char* kRules = R"J([
  {"Language": "JSONata", "Condition": "$number(Parameters.Amount[0]) > 1000",
   "Decision": "Reject", "Reason": "too much"},
  {"Language": "JSONPath", "Condition": {"And": [
     {"Variable": "$.DocumentName", "StringEquals": "Pay"},
     {"Variable": "$.Execution.Input.env", "StringEquals": "dev"}]},
   "Decision": "Approve", "Reason": "dev payments", "Confidence": 0.9},
  {"Language": "JSONata", "Condition": "$contains(Message, 'urgent')", "Decision": "Abstain",
   "Reason": "urgent needs a person"},
  {"Language": "JSONata", "Condition": "Parameters.Amount", "Decision": "Approve"}
])J";

struct RuleCase {
  const char* context;
  Decision decision;
  const char* reason;
  double confidence;
};

TEST(PolicyRules, FirstMatchingRuleDecides) {
  auto rules = PolicyRules::compile(parse(kRules));
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  const std::vector<RuleCase> cases = {
      {R"({"Parameters": {"Amount": ["5000"]}, "DocumentName": "Pay", "Message": ""})",
       Decision::Reject, "too much", 1.0},
      {R"({"Parameters": {"Amount": ["5"]}, "DocumentName": "Pay", "Message": "",
           "Execution": {"Input": {"env": "dev"}}})",
       Decision::Approve, "dev payments", 0.9},
      {R"({"Parameters": {"Amount": ["5"]}, "DocumentName": "Pay", "Message": "urgent!"})",
       Decision::Abstain, "urgent needs a person", 1.0},
      // A JSONata condition holds only when it is exactly true (a string is not).
      {R"({"Parameters": {"Amount": ["5"]}, "DocumentName": "Pay", "Message": ""})",
       Decision::Abstain, "no rule matched", 0},
  };
  for (const RuleCase& c : cases) {
    Verdict v = rules->evaluate(parse(c.context), 0);
    EXPECT_EQ(v.decision, c.decision) << c.context;
    EXPECT_EQ(v.reason, c.reason) << c.context;
    EXPECT_DOUBLE_EQ(v.confidence, c.confidence) << c.context;
  }
}

TEST(PolicyRules, AFailingRuleAbstains) {
  auto rules = PolicyRules::compile(parse(
      R"([{"Language": "JSONata", "Condition": "$number('x') > 1", "Decision": "Approve"}])"));
  ASSERT_TRUE(rules.ok());
  Verdict v = rules->evaluate(parse("{}"), 0);
  EXPECT_EQ(v.decision, Decision::Abstain);
  EXPECT_EQ(v.reason.rfind("rule 0 failed: ", 0), 0u) << v.reason;
}

TEST(PolicyRules, CompileErrors) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"[]", "A policy agent needs Rules: a list of 1 to 50 rules."},
      {R"([{"Language": "JSONata", "Condition": "true", "Decision": "Maybe"}])",
       "Rules[0].Decision must be Approve, Reject or Abstain."},
      {R"([{"Language": "XPath", "Condition": "true", "Decision": "Approve"}])",
       "Rules[0].Language must be JSONata or JSONPath."},
      {R"([{"Language": "JSONata", "Decision": "Approve"}])", "Rules[0].Condition is required."},
      {R"([{"Language": "JSONata", "Condition": "true", "Decision": "Approve", "Confidence": 2}])",
       "Rules[0].Confidence must be a number from 0 to 1."},
      {R"([{"Language": "JSONPath", "Condition": "$.a", "Decision": "Approve"}])",
       "Rules[0].Condition must be a Choice rule object (Variable and a comparison, or "
       "And/Or/Not)."},
  };
  for (const auto& [rules, message] : cases) {
    auto r = PolicyRules::compile(parse(rules));
    ASSERT_FALSE(r.ok()) << rules;
    EXPECT_EQ(r.error().type, "ValidationException");
    EXPECT_EQ(r.error().message, message);
  }
  auto syntax = PolicyRules::compile(
      parse(R"([{"Language": "JSONata", "Condition": "Amount >", "Decision": "Approve"}])"));
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().message.rfind("Rules[0].Condition: S", 0), 0u) << syntax.error().message;
}

TEST(Chat, RequestCarriesTheSchemaAndTheApproval) {
  std::string body =
      chat_request("m", "Approve small payments.", parse(R"({"Message": "Pay 5"})"), 256);
  json::Value v = parse(body.c_str());
  EXPECT_EQ(v.find("model")->as_string(), "m");
  EXPECT_EQ(v.find("max_tokens")->as_int(), 256);
  const json::Value& rf = *v.find("response_format");
  EXPECT_EQ(rf.find("type")->as_string(), "json_schema");
  const json::Value& schema = *rf.find("json_schema")->find("schema");
  EXPECT_EQ(json::dump(*schema.find("required")), R"(["decision","confidence","reason"])");
  const json::Value& messages = *v.find("messages");
  EXPECT_EQ(messages.at(0)->find("content")->as_string().rfind("Approve small payments.", 0), 0u);
  EXPECT_EQ(messages.at(1)->find("content")->as_string(), R"({"Message":"Pay 5"})");
  EXPECT_EQ(completions_url("http://h:1/v1/"), "http://h:1/v1/chat/completions");
}

TEST(Chat, ResponsesParsedOrRefused) {
  auto wrap = [](const std::string& content) {
    json::Value body = json::Value::object(
        {{"choices",
          json::Value::array({json::Value::object(
              {{"message", json::Value::object({{"content", json::Value(content)}})}})})},
         {"usage", json::Value::object({{"total_tokens", json::Value(42)}})}});
    return json::dump(body);
  };
  auto ok = parse_chat_response(
      wrap(R"({"decision": "Approve", "confidence": 0.75, "reason": "small"})"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->decision, Decision::Approve);
  EXPECT_DOUBLE_EQ(ok->confidence, 0.75);
  EXPECT_EQ(ok->reason, "small");
  EXPECT_EQ(ok->tokens, 42);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"not json", "the response is not a JSON object"},
      {R"({"choices": []})", "choices[0].message.content is missing"},
      {wrap("sure!"), "the content is not a JSON object"},
      {wrap(R"({"decision": "yes", "confidence": 1})"),
       "decision must be approve, reject or abstain"},
      {wrap(R"({"decision": "reject", "confidence": 1.5})"),
       "confidence must be a number from 0 to 1"},
      {wrap(R"({"decision": "reject"})"), "confidence must be a number from 0 to 1"},
  };
  for (const auto& [body, why] : bad) {
    auto r = parse_chat_response(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().message, "The model's answer is not usable: " + why);
  }
}

TEST(Webhook, SignatureIsHmacSha256OfTimestampDotBody) {
  // Python: hmac.new(b"key", b"1700000000.{}", hashlib.sha256).hexdigest()
  EXPECT_EQ(webhook_signature("key", 1700000000, "{}"),
            "sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae");
  EXPECT_NE(webhook_signature("key", 1700000000, "{}"), webhook_signature("key", 1700000001, "{}"));
}

}  // namespace
}  // namespace signoff::agents
