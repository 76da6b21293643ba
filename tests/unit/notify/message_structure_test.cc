#include "notify/message_structure.h"

#include <gtest/gtest.h>

namespace signoff::notify {
namespace {

TEST(MessageStructure, PerProtocolWithDefault) {
  auto m = parse_message_structure(R"({"default":"d","email":"e","http":"h"})");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(message_for(*m, "email"), "e");
  EXPECT_EQ(message_for(*m, "http"), "h");
  EXPECT_EQ(message_for(*m, "https"), "d");
  EXPECT_EQ(message_for(*m, "lambda"), "d");
}

TEST(MessageStructure, Errors) {
  auto no_default = parse_message_structure(R"({"email":"e"})");
  ASSERT_FALSE(no_default.ok());
  EXPECT_EQ(no_default.error().type, "InvalidParameter");
  EXPECT_EQ(no_default.error().message,
            "Invalid parameter: Message Structure - No default entry in JSON message body");
  for (const char* bad : {"", "not json", "[1]", "\"s\"", R"({"default":1})", "{\"default\":"}) {
    auto r = parse_message_structure(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message,
              "Invalid parameter: Message Structure - JSON message body failed to parse");
  }
}

}  // namespace
}  // namespace signoff::notify
