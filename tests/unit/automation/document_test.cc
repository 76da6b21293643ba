#include "automation/document.h"

#include <gtest/gtest.h>

#include "automation/yaml.h"

namespace signoff::automation {
namespace {

constexpr const char* kApproveYaml = R"(
description: gate
schemaVersion: '0.3'
assumeRole: "{{ AutomationAssumeRole }}"
parameters:
  AutomationAssumeRole:
    type: String
    default: ''
  Approvers:
    type: StringList
  MinRequiredApprovals:
    type: Integer
    default: 1
mainSteps:
  - name: ApprovalAction
    action: 'aws:approve'
    timeoutSeconds: 604800
    inputs:
      Approvers: '{{Approvers}}'
      MinRequiredApprovals: '{{MinRequiredApprovals}}'
    isEnd: true
)";

TEST(Document, ParsesYamlApproveDocument) {
  auto d = parse_document(kApproveYaml, "YAML");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->schema_version, "0.3");
  EXPECT_EQ(d->assume_role, "{{ AutomationAssumeRole }}");
  ASSERT_EQ(d->parameters.size(), 3u);
  EXPECT_EQ(d->parameters[2].type, "Integer");
  EXPECT_EQ(d->parameters[2].default_value->as_int(), 1);
  ASSERT_EQ(d->steps.size(), 1u);
  EXPECT_EQ(d->steps[0].action, "aws:approve");
  EXPECT_EQ(d->steps[0].timeout_seconds, 604800);
  EXPECT_TRUE(d->steps[0].is_end);
  EXPECT_EQ(d->steps[0].on_failure, "Abort");
}

TEST(Document, QuotedYamlScalarsStayStrings) {
  auto v = parse_yaml("a: '0.3'\nb: 0.3\nc: 'true'\nd: true\ne: 12\nf: ~\n");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->find("a")->is_string());
  EXPECT_TRUE(v->find("b")->is_double());
  EXPECT_TRUE(v->find("c")->is_string());
  EXPECT_TRUE(v->find("d")->is_bool());
  EXPECT_EQ(v->find("e")->as_int(), 12);
  EXPECT_TRUE(v->find("f")->is_null());
}

TEST(Document, JsonAndYamlRoundTrip) {
  auto v = parse_yaml(kApproveYaml);
  ASSERT_TRUE(v.ok());
  auto back = parse_yaml(to_yaml(*v));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*v, *back);
  auto d = parse_document(json::dump(*v), "JSON");
  ASSERT_TRUE(d.ok()) << d.error().message;
}

TEST(Document, ValidationErrors) {
  auto expect = [](const char* content, const char* format, const char* type) {
    auto d = parse_document(content, format);
    ASSERT_FALSE(d.ok()) << content;
    EXPECT_EQ(d.error().type, type) << content;
  };
  expect("{", "JSON", "InvalidDocumentContent");
  expect("a: [", "YAML", "InvalidDocumentContent");
  expect(R"({"mainSteps":[]})", "JSON", "InvalidDocumentSchemaVersion");
  expect(R"({"schemaVersion":"2.2","mainSteps":[]})", "JSON", "InvalidDocumentSchemaVersion");
  expect(R"({"schemaVersion":"0.3","mainSteps":[]})", "JSON", "InvalidDocumentContent");
  expect(R"({"schemaVersion":"0.3","mainSteps":[{"name":"a","action":"aws:nope"}]})", "JSON",
         "InvalidDocumentContent");
  expect(R"({"schemaVersion":"0.3","mainSteps":[{"name":"a b","action":"aws:sleep"}]})", "JSON",
         "InvalidDocumentContent");
  expect(R"({"schemaVersion":"0.3","mainSteps":[{"name":"a","action":"aws:sleep"},
            {"name":"a","action":"aws:sleep"}]})",
         "JSON", "InvalidDocumentContent");
  expect(R"({"schemaVersion":"0.3","mainSteps":[{"name":"a","action":"aws:sleep",
            "nextStep":"zz"}]})",
         "JSON", "InvalidDocumentContent");
  expect(R"({"schemaVersion":"0.3","parameters":{"P":{"type":"Integer","default":"x"}},
            "mainSteps":[{"name":"a","action":"aws:sleep"}]})",
         "JSON", "InvalidDocumentContent");
  expect(R"({"schemaVersion":"0.3","parameters":{"P":{"type":"Float"}},
            "mainSteps":[{"name":"a","action":"aws:sleep"}]})",
         "JSON", "InvalidDocumentContent");
  expect(R"({"schemaVersion":"0.3","mainSteps":[{"name":"a","action":"aws:branch",
            "inputs":{"Choices":[{"NextStep":"nowhere"}]}}]})",
         "JSON", "InvalidDocumentContent");
}

TEST(Document, NameRules) {
  EXPECT_TRUE(valid_document_name("SsmDocumentForApprovalAction"));
  EXPECT_FALSE(valid_document_name("ab"));
  EXPECT_FALSE(valid_document_name("has space"));
  EXPECT_TRUE(reserved_document_name("AWS-RunShellScript"));
  EXPECT_TRUE(reserved_document_name("amazonThing"));
  EXPECT_FALSE(reserved_document_name("awsome"));
  EXPECT_TRUE(valid_version_name("1"));
  EXPECT_FALSE(valid_version_name(""));
}

}  // namespace
}  // namespace signoff::automation
