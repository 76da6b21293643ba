#include "notify/links.h"

#include <gtest/gtest.h>

namespace signoff::notify {
namespace {

constexpr const char* kArn = "arn:aws:sns:us-east-1:000000000000:t:1c2b";

TEST(Links, SignAndVerify) {
  LinkSigner signer(std::string(32, 'k'));
  std::string sig = signer.sign("unsubscribe", kArn);
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(signer.verify("unsubscribe", kArn, sig));
  EXPECT_FALSE(signer.verify("unsubscribe", std::string(kArn) + "x", sig));
  EXPECT_FALSE(signer.verify("confirm", kArn, sig));  // purposes do not mix
  EXPECT_FALSE(signer.verify("unsubscribe", kArn, sig.substr(1)));
  EXPECT_FALSE(signer.verify("unsubscribe", kArn, ""));
  LinkSigner other(std::string(32, 'o'));
  EXPECT_FALSE(other.verify("unsubscribe", kArn, sig));
}

TEST(Links, Urls) {
  LinkSigner signer("key");
  EXPECT_EQ(url_encode("a:b/c d~_.-"), "a%3Ab%2Fc%20d~_.-");
  EXPECT_EQ(confirm_url("http://h:1", "arn:aws:sns:r:1:t", "tok"),
            "http://h:1/sns/confirm?TopicArn=arn%3Aaws%3Asns%3Ar%3A1%3At&Token=tok");
  std::string u = unsubscribe_url("http://h:1", kArn, signer);
  EXPECT_TRUE(u.starts_with("http://h:1/sns/unsubscribe?SubscriptionArn=arn%3Aaws%3Asns%3A"));
  EXPECT_TRUE(u.ends_with("&Signature=" + signer.sign("unsubscribe", kArn)));
}

}  // namespace
}  // namespace signoff::notify
