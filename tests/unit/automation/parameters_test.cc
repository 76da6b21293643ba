#include "automation/parameters.h"

#include <gtest/gtest.h>

#include "automation/document.h"
#include "automation/interpolate.h"

namespace signoff::automation {
namespace {

Document doc(const char* params) {
  std::string content = std::string(R"({"schemaVersion":"0.3","parameters":)") + params +
                        R"(,"mainSteps":[{"name":"s","action":"aws:sleep"}]})";
  auto d = parse_document(content, "JSON");
  EXPECT_TRUE(d.ok()) << d.error().message;
  return *d;
}

TEST(Parameters, TypesFromStrings) {
  Document d = doc(R"({"S":{"type":"String"},"L":{"type":"StringList"},
      "I":{"type":"Integer"},"B":{"type":"Boolean"},"M":{"type":"StringMap"},
      "ML":{"type":"MapList"}})");
  auto r = resolve_parameters(d, {{"S", {"x"}},
                                  {"L", {"a", "b"}},
                                  {"I", {"2"}},
                                  {"B", {"true"}},
                                  {"M", {R"({"k":"v"})"}},
                                  {"ML", {R"([{"a":1},{"b":2}])"}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->typed.find("S")->as_string(), "x");
  EXPECT_EQ(r->typed.find("L")->size(), 2u);
  EXPECT_EQ(r->typed.find("I")->as_int(), 2);
  EXPECT_TRUE(r->typed.find("B")->as_bool());
  EXPECT_EQ(r->typed.find("M")->find("k")->as_string(), "v");
  EXPECT_EQ(r->typed.find("ML")->size(), 2u);
}

TEST(Parameters, DefaultsAndErrors) {
  Document d = doc(R"({"I":{"type":"Integer","default":1},"R":{"type":"String"},
      "E":{"type":"String","allowedValues":["Install","Uninstall"],"default":"Install"},
      "P":{"type":"String","allowedPattern":"^[a-z]+$","default":"ok"},
      "L":{"type":"StringList","minItems":1,"maxItems":2,"default":["a"]}})");
  auto r = resolve_parameters(d, {{"R", {"r"}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->typed.find("I")->as_int(), 1);
  EXPECT_EQ(r->shown.at("I"), std::vector<std::string>{"1"});

  auto code = [&](WireParameters p) {
    auto x = resolve_parameters(d, p);
    EXPECT_FALSE(x.ok());
    return x.ok() ? std::string() : x.error().message;
  };
  EXPECT_EQ(code({}), "Missing required parameter: R in user inputs.");
  EXPECT_EQ(code({{"R", {"r"}}, {"E", {"install"}}}),
            "Parameter \"E\" has value \"install\" not found in [Install, Uninstall].");
  EXPECT_NE(code({{"R", {"r"}}, {"P", {"UPPER"}}}).find("allowed pattern"), std::string::npos);
  EXPECT_NE(code({{"R", {"r"}}, {"L", {"a", "b", "c"}}}).find("at most 2"), std::string::npos);
  EXPECT_NE(code({{"R", {"r"}}, {"I", {"one"}}}).find("Integer"), std::string::npos);
  EXPECT_NE(code({{"R", {"r", "s"}}}).find("exactly one"), std::string::npos);
  EXPECT_NE(code({{"R", {"r"}}, {"Nope", {"x"}}}).find("Nope"), std::string::npos);
  auto bad = resolve_parameters(d, {});
  EXPECT_EQ(bad.error().type, "InvalidAutomationExecutionParametersException");
}

TEST(Interpolate, WholeReferenceKeepsType) {
  Variables v;
  v.parameters =
      json::Value::object({{"Approvers", json::Value::array({json::Value("a"), json::Value("b")})},
                           {"Min", json::Value(2)},
                           {"Msg", json::Value("hello")}});
  v.execution_id = "1234";
  v.region = "eu-west-1";
  v.account = "111122223333";
  auto r =
      interpolate(json::parse(R"({"Approvers":"{{Approvers}}","MinRequiredApprovals":"{{ Min }}",
                      "Message":"{{Msg}} run {{automation:EXECUTION_ID}} in {{global:REGION}}",
                      "More":["{{Approvers}}","c"]})")
                      .value,
                  v);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find("Approvers")->size(), 2u);
  EXPECT_EQ(r->find("MinRequiredApprovals")->as_int(), 2);
  EXPECT_EQ(r->find("Message")->as_string(), "hello run 1234 in eu-west-1");
  EXPECT_EQ(r->find("More")->size(), 3u);
  auto missing = interpolate(json::Value("{{ Nope }}"), v);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "Variable Nope is not defined.");
}

}  // namespace
}  // namespace signoff::automation
