// Login profiles (console passwords): IAM's shapes and errors, argon2id at rest, sign-in and
// sign-in with a key pair.
#include "fixture.h"
#include "iam/model.h"

namespace signoff::iam::testing {
namespace {

TEST_F(IdentityTest, LoginProfileLifecycleWithIamErrors) {
  ASSERT_TRUE(identity->create_user("Alice", "/").ok());
  auto missing_user = identity->create_login_profile("bob", "long enough 1", false);
  ASSERT_FALSE(missing_user.ok());
  EXPECT_EQ(missing_user.error().message, "The user with name bob cannot be found.");
  auto none = identity->get_login_profile("alice");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().type, "NoSuchEntity");
  EXPECT_EQ(none.error().message, "Login Profile for User Alice cannot be found.");

  auto short_pw = identity->create_login_profile("alice", "short", false);
  ASSERT_FALSE(short_pw.ok());
  EXPECT_EQ(short_pw.error().type, "PasswordPolicyViolation");
  auto long_pw = identity->create_login_profile("alice", std::string(129, 'x'), false);
  ASSERT_FALSE(long_pw.ok());
  EXPECT_EQ(long_pw.error().type, "ValidationError");

  auto p = identity->create_login_profile("alice", "correct horse", true);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->user_name, "Alice");
  EXPECT_TRUE(p->password_reset_required);
  auto dup = identity->create_login_profile("ALICE", "correct horse", false);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().type, "EntityAlreadyExists");
  EXPECT_EQ(dup.error().status, 409);
  EXPECT_EQ(dup.error().message, "Login Profile for user Alice already exists.");

  // Stored as an argon2id hash, never as the password.
  auto doc = store->get_document(model::kLoginProfile, "alice");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->json.find("correct horse"), std::string::npos);
  EXPECT_NE(doc->json.find("$argon2id$"), std::string::npos);

  auto del_user = identity->delete_user("alice");
  ASSERT_FALSE(del_user.ok());
  EXPECT_EQ(del_user.error().message, "Cannot delete entity, must delete login profile first.");

  ASSERT_TRUE(identity->update_login_profile("alice", std::nullopt, false).ok());
  EXPECT_FALSE(identity->get_login_profile("alice")->password_reset_required);
  ASSERT_TRUE(identity->delete_login_profile("alice").ok());
  EXPECT_FALSE(identity->get_login_profile("alice").ok());
  EXPECT_TRUE(identity->delete_user("alice").ok());
}

TEST_F(IdentityTest, SignInChecksThePasswordAndSaysTheSameForEveryFailure) {
  ASSERT_TRUE(identity->create_user("carol", "/ops/").ok());
  ASSERT_TRUE(identity->create_user("nopassword", "/").ok());
  ASSERT_TRUE(identity->create_login_profile("carol", "first password", false).ok());
  auto ok = identity->sign_in("carol", "first password");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->arn, "arn:aws:iam::123456789012:user/ops/carol");
  EXPECT_EQ(ok->kind, Principal::Kind::User);
  EXPECT_EQ(ok->user_name, "carol");
  for (auto [user, password] :
       {std::pair{"carol", "wrong password"}, std::pair{"nobody", "first password"},
        std::pair{"nopassword", "first password"}}) {
    auto refused = identity->sign_in(user, password);
    ASSERT_FALSE(refused.ok()) << user;
    EXPECT_EQ(refused.error().type, "AccessDenied");
    EXPECT_EQ(refused.error().message, "Your authentication information is incorrect.");
  }
  // ChangePassword needs the old one; afterwards only the new one works.
  auto wrong_old = identity->change_password("carol", "not it", "second password");
  ASSERT_FALSE(wrong_old.ok());
  ASSERT_TRUE(identity->change_password("carol", "first password", "second password").ok());
  EXPECT_FALSE(identity->sign_in("carol", "first password").ok());
  EXPECT_TRUE(identity->sign_in("carol", "second password").ok());
  ASSERT_TRUE(
      identity->update_login_profile("carol", std::string("third password"), std::nullopt).ok());
  EXPECT_TRUE(identity->sign_in("carol", "third password").ok());
}

TEST_F(IdentityTest, KeyPairSignIn) {
  ASSERT_TRUE(identity->create_user("dave", "/").ok());
  auto key = identity->create_access_key("dave");
  ASSERT_TRUE(key.ok());
  auto who = identity->principal_for_credentials(key->id, key->secret, "");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->arn, "arn:aws:iam::123456789012:user/dave");
  auto wrong = identity->principal_for_credentials(key->id, key->secret + "x", "");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().type, "SignatureDoesNotMatch");
  EXPECT_FALSE(identity->principal_for_credentials("AKIAUNKNOWN", key->secret, "").ok());
  ASSERT_TRUE(identity->update_access_key("dave", key->id, "Inactive").ok());
  EXPECT_FALSE(identity->principal_for_credentials(key->id, key->secret, "").ok());
}

}  // namespace
}  // namespace signoff::iam::testing
