// Template text: YAML short forms, scalar typing, JSON templates and syntax errors.
#include <gtest/gtest.h>

#include "deploy/template/template.h"

namespace signoff::deploy::tmpl {
namespace {

std::string parsed(const std::string& text) {
  auto v = parse_text(text);
  return v.ok() ? json::dump(*v) : "ERROR " + v.error;
}

TEST(TemplateText, ShortFormTags) {
  EXPECT_EQ(parsed("a: !Ref X"), R"({"a":{"Ref":"X"}})");
  EXPECT_EQ(parsed("a: !GetAtt R.Arn"), R"({"a":{"Fn::GetAtt":["R","Arn"]}})");
  EXPECT_EQ(parsed("a: !GetAtt R.Out.Nested"), R"({"a":{"Fn::GetAtt":["R","Out.Nested"]}})");
  EXPECT_EQ(parsed("a: !GetAtt [R, Arn]"), R"({"a":{"Fn::GetAtt":["R","Arn"]}})");
  EXPECT_EQ(parsed("a: !Sub '${X}-y'"), R"({"a":{"Fn::Sub":"${X}-y"}})");
  EXPECT_EQ(parsed("a: !Sub ['${X}', {X: !Ref Y}]"),
            R"({"a":{"Fn::Sub":["${X}",{"X":{"Ref":"Y"}}]}})");
  EXPECT_EQ(parsed("a: !If [C, !Ref A, !Ref AWS::NoValue]"),
            R"({"a":{"Fn::If":["C",{"Ref":"A"},{"Ref":"AWS::NoValue"}]}})");
  EXPECT_EQ(parsed("a: !Condition C"), R"({"a":{"Condition":"C"}})");
  EXPECT_EQ(parsed("a: !GetAZs ''"), R"({"a":{"Fn::GetAZs":""}})");
  EXPECT_EQ(parsed("a: !Base64 x"), R"({"a":{"Fn::Base64":"x"}})");
  EXPECT_EQ(parsed("a: !Join [',', [a, b]]"), R"({"a":{"Fn::Join":[",",["a","b"]]}})");
  EXPECT_EQ(parsed("a: !Select [0, !Split [',', 'a,b']]"),
            R"({"a":{"Fn::Select":[0,{"Fn::Split":[",","a,b"]}]}})");
  EXPECT_EQ(parsed("a: !ImportValue shared"), R"({"a":{"Fn::ImportValue":"shared"}})");
  EXPECT_EQ(parsed("a: !FindInMap [M, K, V]"), R"({"a":{"Fn::FindInMap":["M","K","V"]}})");
  EXPECT_EQ(parsed("a: !Not [!Equals [a, b]]"), R"({"a":{"Fn::Not":[{"Fn::Equals":["a","b"]}]}})");
  EXPECT_EQ(
      parsed("a: !And [!Condition A, !Or [!Condition B, !Condition C]]"),
      R"({"a":{"Fn::And":[{"Condition":"A"},{"Fn::Or":[{"Condition":"B"},{"Condition":"C"}]}]}})");
}

TEST(TemplateText, ScalarsKeepTheirSpelling) {
  EXPECT_EQ(parsed("a: 12"), R"({"a":12})");
  EXPECT_EQ(parsed("a: '12'"), R"({"a":"12"})");
  EXPECT_EQ(parsed("a: 000000000000"), R"({"a":"000000000000"})");
  EXPECT_EQ(parsed("a: 2012-10-17"), R"({"a":"2012-10-17"})");
  EXPECT_EQ(parsed("a: 1.5"), R"({"a":1.5})");
  EXPECT_EQ(parsed("a: 1.10"), R"({"a":"1.10"})");
  EXPECT_EQ(parsed("a: true\nb: False\nc: yes"), R"({"a":true,"b":false,"c":"yes"})");
  EXPECT_EQ(parsed("a: ~\nb:"), R"({"a":null,"b":null})");
  EXPECT_EQ(parsed("a: |-\n  x $LATEST $$.Task.Token\n  y"),
            R"({"a":"x $LATEST $$.Task.Token\ny"})");
}

TEST(TemplateText, JsonAndErrors) {
  EXPECT_EQ(parsed(R"({"Resources": {"A": {"Type": "T", "Properties": {"N": 007}}}})"),
            "ERROR Template format error: JSON not well-formed. (line 1, column 56)");
  EXPECT_EQ(parsed(R"({"a": 1, "b": [true, "x"]})"), R"({"a":1,"b":[true,"x"]})");
  EXPECT_EQ(parsed("a: [1, 2\nb: 3"),
            "ERROR Template format error: YAML not well-formed. (line 2, column 2)");
  EXPECT_EQ(parsed("a: !Bogus x"),
            "ERROR Template format error: YAML not well-formed. Unsupported tag !Bogus (line 1, "
            "column 4)");
  EXPECT_EQ(
      parsed("a: 1\na: 2"),
      "ERROR Template format error: YAML not well-formed. Duplicate key a (line 2, column 1)");
  EXPECT_EQ(parsed(""),
            "ERROR Template format error: At least one Resources member must be defined.");
}

}  // namespace
}  // namespace signoff::deploy::tmpl
