#include "engine/task_tokens.h"

#include <gtest/gtest.h>

namespace signoff::engine {
namespace {

const std::string kKey(32, 'k');
const std::string kArn = "arn:aws:states:us-east-1:000000000000:execution:m:e";

TEST(TaskTokens, RoundTripsAndIsDeterministic) {
  TaskTokens tokens(kKey);
  std::string t = tokens.mint(kArn, 7);
  EXPECT_EQ(t, tokens.mint(kArn, 7));
  EXPECT_NE(t, tokens.mint(kArn, 8));
  auto target = tokens.open(t);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->execution_arn, kArn);
  EXPECT_EQ(target->task_id, 7u);
}

TEST(TaskTokens, RefusesTamperingAndOtherKeys) {
  TaskTokens tokens(kKey);
  std::string t = tokens.mint(kArn, 7);
  for (size_t i = 0; i < t.size(); i += 5) {
    std::string bad = t;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokens.open(bad)) << "flipped at " << i;
  }
  TaskTokens other(std::string(32, 'x'));
  EXPECT_FALSE(other.open(t));
  for (const char* junk : {"", ".", "abc", "abc.def", "a.b.c", "====.===="}) {
    EXPECT_FALSE(tokens.open(junk)) << junk;
  }
}

TEST(TaskTokens, SeedsDependOnKeyAndArn) {
  TaskTokens a(kKey);
  TaskTokens b(std::string(32, 'x'));
  EXPECT_EQ(a.seed_for(kArn), a.seed_for(kArn));
  EXPECT_NE(a.seed_for(kArn), a.seed_for(kArn + "2"));
  EXPECT_NE(a.seed_for(kArn), b.seed_for(kArn));
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(n * 37));
  }
  EXPECT_FALSE(base64url_decode("a"));
  EXPECT_FALSE(base64url_decode("ab+c"));
}

}  // namespace
}  // namespace signoff::engine
