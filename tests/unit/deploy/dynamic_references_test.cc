// Dynamic references in evaluated properties: {{resolve:SERVICE:KEY}} replaced wherever it sits
// in a string, nested values walked, malformed references and lookup failures as errors.
#include <gtest/gtest.h>

#include "deploy/template/template.h"

namespace signoff::deploy::tmpl {
namespace {

struct Case {
  const char* input;   // JSON
  const char* output;  // JSON, or "ERROR <text>"
};

std::string resolved(const char* input) {
  auto v = json::parse(input);
  EXPECT_TRUE(v.ok());
  auto r = resolve_dynamic_references(
      v.value, [](std::string_view service, std::string_view key) -> Outcome<std::string> {
        if (key == "missing") {
          return Outcome<std::string>::fail("Parameters: [ssm:missing] cannot be found.");
        }
        // Answers with something that looks like a reference: it must not be resolved again.
        if (key == "tricky") {
          return Outcome<std::string>{"{{resolve:ssm:missing}}", ""};
        }
        return Outcome<std::string>{std::string(service) + "=" + std::string(key), ""};
      });
  return r.ok() ? json::dump(*r) : "ERROR " + r.error;
}

class DynamicReferences : public ::testing::TestWithParam<Case> {};

TEST_P(DynamicReferences, Resolve) {
  EXPECT_EQ(resolved(GetParam().input), GetParam().output);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DynamicReferences,
    ::testing::Values(
        Case{R"({"a":"plain","n":3})", R"({"a":"plain","n":3})"},
        Case{R"({"a":"{{resolve:ssm:/app/url}}"})", R"({"a":"ssm=/app/url"})"},
        Case{R"({"a":"x {{resolve:ssm:name:2}} y {{resolve:ssm:b}}"})",
             R"({"a":"x ssm=name:2 y ssm=b"})"},
        Case{R"({"l":[{"k":"{{resolve:ssm:n}}"}]})", R"({"l":[{"k":"ssm=n"}]})"},
        Case{R"({"a":"{{resolve:ssm:tricky}}"})", R"({"a":"{{resolve:ssm:missing}}"})"},
        Case{R"({"a":"{{resolve:ssm}}"})",
             "ERROR Incorrect format is used in the dynamic reference: {{resolve:ssm}}"},
        Case{R"({"a":"{{resolve:ssm:missing}}"})",
             "ERROR Parameters: [ssm:missing] cannot be found."},
        Case{R"({"a":"{{resolve:ssm:unterminated"})", R"({"a":"{{resolve:ssm:unterminated"})"},
        Case{R"({"a":"{{ Name }} stays"})", R"({"a":"{{ Name }} stays"})"}));

}  // namespace
}  // namespace signoff::deploy::tmpl
