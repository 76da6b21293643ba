#include "bus/input_transform.h"

#include <gtest/gtest.h>

namespace signoff::bus {
namespace {

const char* kEvent =
    R"({"version":"0","id":"e1","detail-type":"EC2 Instance State-change Notification",)"
    R"("source":"aws.ec2","account":"123","time":"2026-12-01T07:32:21Z","region":"us-east-1",)"
    R"("resources":["arn:x"],"detail":{"instance-id":"i-1","state":"running","n":5,)"
    R"("tags":{"a":"b"},"quote":"say \"hi\""}})";

std::string render(std::vector<std::pair<std::string, std::string>> paths, std::string tmpl) {
  InputTransformer t{std::move(paths), std::move(tmpl)};
  std::string text = kEvent;
  TransformContext ctx{"arn:aws:events:us-east-1:123:rule/r", "r", "2026-12-01T07:32:22Z"};
  return render_template(t, json::parse(text).value, text, ctx);
}

TEST(InputTransform, JsonTemplateQuotesByContext) {
  // Outside quotes a string gains quotes; inside quotes it does not.
  EXPECT_EQ(render({{"i", "$.detail.instance-id"}, {"s", "$.detail.state"}},
                   R"({"instance": <i>, "state": [9, <s>, true]})"),
            R"({"instance": "i-1", "state": [9, "running", true]})");
  EXPECT_EQ(render({{"i", "$.detail.instance-id"}}, R"({"instance": "id <i>"})"),
            R"({"instance": "id i-1"})");
  // Numbers and objects as JSON outside quotes, escaped JSON text inside.
  EXPECT_EQ(render({{"n", "$.detail.n"}, {"t", "$.detail.tags"}}, R"({"n": <n>, "t": <t>})"),
            R"({"n": 5, "t": {"a":"b"}})");
  EXPECT_EQ(render({{"t", "$.detail.tags"}}, R"({"t": "<t>"})"), R"({"t": "{\"a\":\"b\"}"})");
  // Quotes in a value are escaped inside a string.
  EXPECT_EQ(render({{"q", "$.detail.quote"}}, R"({"q": "<q>"})"), R"({"q": "say \"hi\""})");
  // A path that selects nothing is null outside quotes and empty inside.
  EXPECT_EQ(render({{"x", "$.detail.missing"}}, R"({"x": <x>, "y": "<x>"})"),
            R"({"x": null, "y": ""})");
}

TEST(InputTransform, StringTemplates) {
  EXPECT_EQ(
      render({{"i", "$.detail.instance-id"}, {"s", "$.detail.state"}}, R"("<i> is in state <s>")"),
      R"("i-1 is in state running")");
  // Not JSON at all: plain text with values as they are.
  EXPECT_EQ(render({{"i", "$.detail.instance-id"}}, "Instance <i> changed"),
            "Instance i-1 changed");
  // Placeholders that are not defined stay as written.
  EXPECT_EQ(render({}, "<b>bold</b>"), "<b>bold</b>");
}

TEST(InputTransform, PredefinedPlaceholders) {
  EXPECT_EQ(render({}, R"({"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>"})"),
            R"({"rule": "r", "arn": "arn:aws:events:us-east-1:123:rule/r"})");
  EXPECT_EQ(render({}, R"({"at": <aws.events.event.ingestion-time>})"),
            R"({"at": "2026-12-01T07:32:22Z"})");
  std::string whole = render({}, R"({"e": <aws.events.event.json>})");
  EXPECT_EQ(whole, std::string(R"({"e": )") + kEvent + "}");
  std::string without = render({}, R"({"e": <aws.events.event>})");
  EXPECT_EQ(without.find("\"detail\""), std::string::npos);
  EXPECT_NE(without.find("\"detail-type\""), std::string::npos);
}

TEST(InputTransform, InputAndInputPath) {
  std::string text = kEvent;
  json::Value event = json::parse(text).value;
  TransformContext ctx;
  TargetInput constant;
  constant.input = R"({"fixed":1})";
  EXPECT_EQ(render_input(constant, event, text, ctx), R"({"fixed":1})");
  TargetInput path;
  path.input_path = "$.detail.tags";
  EXPECT_EQ(render_input(path, event, text, ctx), R"({"a":"b"})");
  EXPECT_EQ(render_input(TargetInput{}, event, text, ctx), text);
}

TEST(InputTransform, Validation) {
  EXPECT_EQ(check_input_transformer({{{"i", "$.detail.x"}}, "<i>"}), "");
  EXPECT_NE(check_input_transformer({{{"bad key", "$.x"}}, "<i>"}), "");
  EXPECT_NE(check_input_transformer({{{"i", "detail.x"}}, "<i>"}), "");
  EXPECT_NE(check_input_transformer({{}, ""}), "");
  EXPECT_EQ(check_input_path("$.detail"), "");
  EXPECT_NE(check_input_path("detail"), "");
}

}  // namespace
}  // namespace signoff::bus
