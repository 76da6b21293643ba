// Runs tests/unit/policy/cases.json: evaluation cases, parse errors with IAM's exact messages,
// and documents that must parse.
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "common/json.h"
#include "policy/policy.h"

namespace signoff::policy {
namespace {

const json::Value& cases() {
  static const json::Value doc = [] {
    std::ifstream in(POLICY_CASES_FILE, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    json::ParseResult r = json::parse(text);
    return r.ok() ? r.value : json::Value::object();
  }();
  return doc;
}

std::string text_of(const json::Value* v, std::string_view key) {
  const json::Value* f = v ? v->find(key) : nullptr;
  return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

// A document given as a JSON string is used verbatim (for syntax errors); otherwise dumped.
std::string document_text(const json::Value& d) {
  return d.is_string() ? std::string(d.as_string()) : json::dump(d);
}

Policy must_parse(const json::Value& d, PolicyKind kind, const std::string& name) {
  ParseResult r = parse_policy(document_text(d), kind);
  EXPECT_TRUE(r.ok()) << name << ": " << r.error;
  return r.ok() ? *r.policy : Policy{};
}

RequestContext context_of(const json::Value& c) {
  RequestContext ctx;
  ctx.principal_arn = text_of(&c, "principal");
  ctx.account = text_of(&c, "account");
  ctx.role_arn = text_of(&c, "role_arn");
  ctx.username = text_of(&c, "username");
  ctx.service_principal = text_of(&c, "service");
  ctx.federated_principal = text_of(&c, "federated");
  ctx.action = text_of(&c, "action");
  ctx.resource = text_of(&c, "resource");
  ctx.resource_account = text_of(&c, "resource_account");
  if (const json::Value* keys = c.find("keys")) {
    for (const json::Member& m : keys->as_object()) {
      std::vector<std::string> values;
      if (m.value.is_string()) {
        values.emplace_back(m.value.as_string());
      } else {
        for (const json::Value& v : m.value.as_array()) {
          values.emplace_back(v.as_string());
        }
      }
      ctx.set(m.key, std::move(values));
    }
  }
  return ctx;
}

const char* name_of(Decision d) {
  switch (d) {
    case Decision::Allow:
      return "Allow";
    case Decision::ExplicitDeny:
      return "ExplicitDeny";
    case Decision::ImplicitDeny:
      return "ImplicitDeny";
  }
  return "?";
}

TEST(PolicyCases, Evaluate) {
  const json::Value* list = cases().find("cases");
  ASSERT_TRUE(list && list->size() > 100);
  for (const json::Value& c : list->as_array()) {
    const std::string name = text_of(&c, "name");
    std::vector<Policy> identity;
    for (const json::Value& d : c.find("identity")->as_array()) {
      identity.push_back(must_parse(d, PolicyKind::Identity, name));
    }
    const RequestContext ctx = context_of(*c.find("context"));
    EvaluationResult r;
    if (const json::Value* trust = c.find("trust_policy")) {
      r = evaluate_trust(ctx, must_parse(*trust, PolicyKind::Trust, name), identity);
    } else if (const json::Value* res = c.find("resource_policy")) {
      Policy resource = must_parse(*res, PolicyKind::Resource, name);
      r = evaluate(ctx, identity, &resource);
    } else {
      r = evaluate(ctx, identity);
    }
    EXPECT_STREQ(name_of(r.decision), text_of(&c, "expect").c_str()) << name;
    if (c.find("sid")) {
      ASSERT_TRUE(r.statement) << name;
      EXPECT_EQ(r.statement->sid, text_of(&c, "sid")) << name;
    } else if (r.decision == Decision::ImplicitDeny) {
      EXPECT_FALSE(r.statement) << name;
    }
  }
}

PolicyKind kind_of(const std::string& k) {
  return k == "trust"      ? PolicyKind::Trust
         : k == "resource" ? PolicyKind::Resource
                           : PolicyKind::Identity;
}

TEST(PolicyCases, ParseErrors) {
  const json::Value* list = cases().find("parse_errors");
  ASSERT_TRUE(list && list->size() > 20);
  for (const json::Value& c : list->as_array()) {
    const std::string name = text_of(&c, "name");
    ParseResult r = parse_policy(document_text(*c.find("document")), kind_of(text_of(&c, "kind")));
    EXPECT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error, text_of(&c, "error")) << name;
  }
}

TEST(PolicyCases, ValidDocuments) {
  const json::Value* list = cases().find("valid_documents");
  ASSERT_TRUE(list);
  for (const json::Value& c : list->as_array()) {
    must_parse(*c.find("document"), kind_of(text_of(&c, "kind")), text_of(&c, "name"));
  }
}

TEST(PolicyModel, KeepsWhatItParsed) {
  ParseResult r = parse_policy(
      R"({"Version":"2012-10-17","Statement":[{"Sid":"S1","Effect":"Deny","NotAction":["iam:*"],
          "NotResource":"arn:aws:iam::111122223333:user/*","Condition":{
          "ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*",2]}}}]})",
      PolicyKind::Identity);
  ASSERT_TRUE(r.ok()) << r.error;
  const Statement& s = r.policy->statements.at(0);
  EXPECT_EQ(s.effect, Effect::Deny);
  EXPECT_TRUE(s.not_action);
  EXPECT_TRUE(s.not_resource);
  ASSERT_EQ(s.conditions.size(), 1u);
  EXPECT_EQ(s.conditions[0].op, Operator::StringLike);
  EXPECT_EQ(s.conditions[0].qualifier, SetQualifier::ForAllValues);
  EXPECT_TRUE(s.conditions[0].if_exists);
  EXPECT_EQ(s.conditions[0].values, (std::vector<std::string>{"a*", "2"}));
}

}  // namespace
}  // namespace signoff::policy
