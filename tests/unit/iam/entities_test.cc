// IAM entities and their errors, as IAM words them.
#include "fixture.h"

namespace signoff::iam::testing {
namespace {

TEST_F(IdentityTest, UsersAreUniqueRegardlessOfCase) {
  auto u = identity->create_user("Alice", "/eng/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->arn, "arn:aws:iam::123456789012:user/eng/Alice");
  EXPECT_EQ(u->id.substr(0, 4), "AIDA");
  EXPECT_EQ(u->id.size(), 21u);
  auto dup = identity->create_user("alice", "/");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().type, "EntityAlreadyExists");
  EXPECT_EQ(dup.error().status, 409);
  EXPECT_EQ(dup.error().message, "User with name alice already exists.");
  EXPECT_EQ(identity->get_user("ALICE")->name, "Alice");

  auto missing = identity->get_user("bob");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "NoSuchEntity");
  EXPECT_EQ(missing.error().status, 404);
  EXPECT_EQ(missing.error().message, "The user with name bob cannot be found.");
}

TEST_F(IdentityTest, InvalidInputIsValidationError) {
  auto bad = identity->create_user("a b", "/");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "ValidationError");
  EXPECT_EQ(bad.error().message,
            "1 validation error detected: Value 'a b' at 'userName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  EXPECT_FALSE(identity->create_user("x", "no-slash").ok());
  auto role = identity->create_role("r", "/", trust(R"({"AWS":"*"})"), "", 100);
  ASSERT_FALSE(role.ok());
  EXPECT_EQ(role.error().message,
            "1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy "
            "constraint: Member must have value greater than or equal to 3600");
  // A trust policy must name who may assume the role.
  auto malformed = identity->create_role(
      "r", "/",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]})", "",
      std::nullopt);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().type, "MalformedPolicyDocument");
}

TEST_F(IdentityTest, DeleteUserNeedsItsDependentsGone) {
  ASSERT_TRUE(identity->create_user("carol", "/").ok());
  auto k = identity->create_access_key("carol");
  ASSERT_TRUE(k.ok());
  ASSERT_TRUE(identity->create_access_key("carol").ok());
  auto third = identity->create_access_key("carol");
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().type, "LimitExceeded");
  EXPECT_EQ(third.error().message, "Cannot exceed quota for AccessKeysPerUser: 2");

  auto conflict = identity->delete_user("carol");
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().type, "DeleteConflict");
  EXPECT_EQ(conflict.error().message, "Cannot delete entity, must delete access keys first.");
  auto keys = identity->list_access_keys("carol");
  ASSERT_TRUE(keys.ok());
  for (const AccessKey& each : *keys) {
    ASSERT_TRUE(identity->delete_access_key("carol", each.id).ok());
  }
  ASSERT_TRUE(identity->put_inline_policy(EntityType::User, "carol", "p", allow("s3:*")).ok());
  EXPECT_EQ(identity->delete_user("carol").error().message,
            "Cannot delete entity, must delete policies first.");
  ASSERT_TRUE(identity->delete_inline_policy(EntityType::User, "carol", "p").ok());
  ASSERT_TRUE(identity->create_group("g", "/").ok());
  ASSERT_TRUE(identity->add_user_to_group("g", "carol").ok());
  EXPECT_EQ(identity->group_members("g")->size(), 1u);
  EXPECT_EQ(identity->delete_user("carol").error().type, "DeleteConflict");
  ASSERT_TRUE(identity->remove_user_from_group("g", "carol").ok());
  EXPECT_TRUE(identity->group_members("g")->empty());
  ASSERT_TRUE(identity->delete_user("carol").ok());
  EXPECT_FALSE(identity->get_user("carol").ok());
}

TEST_F(IdentityTest, DeleteGroupNeedsItsMembersAndPoliciesGone) {
  ASSERT_TRUE(identity->create_group("reviewers", "/").ok());
  ASSERT_TRUE(identity->create_user("carol", "/").ok());
  ASSERT_TRUE(identity->add_user_to_group("reviewers", "carol").ok());
  auto busy = identity->delete_group("reviewers");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().type, "DeleteConflict");
  EXPECT_EQ(busy.error().message, "Cannot delete entity, must remove users from group first.");
  ASSERT_TRUE(identity->remove_user_from_group("reviewers", "carol").ok());
  ASSERT_TRUE(identity
                  ->put_inline_policy(EntityType::Group, "reviewers", "p",
                                      R"({"Version":"2012-10-17","Statement":[{"Effect":)"
                                      R"("Allow","Action":"s3:*","Resource":"*"}]})")
                  .ok());
  EXPECT_EQ(identity->delete_group("reviewers").error().message,
            "Cannot delete entity, must delete policies first.");
  ASSERT_TRUE(identity->delete_inline_policy(EntityType::Group, "reviewers", "p").ok());
  EXPECT_TRUE(identity->delete_group("reviewers").ok());
  EXPECT_EQ(identity->get_group("reviewers").error().type, "NoSuchEntity");
  EXPECT_EQ(identity->delete_group("reviewers").error().type, "NoSuchEntity");
}

TEST_F(IdentityTest, InlineAndManagedPolicies) {
  ASSERT_TRUE(identity
                  ->create_role("worker", "/svc/", trust(R"({"Service":"lambda.amazonaws.com"})"),
                                "", std::nullopt)
                  .ok());
  ASSERT_TRUE(
      identity->put_inline_policy(EntityType::Role, "worker", "logs", allow("logs:*")).ok());
  EXPECT_EQ(*identity->get_inline_policy(EntityType::Role, "worker", "logs"), allow("logs:*"));
  auto missing = identity->get_inline_policy(EntityType::Role, "worker", "nope");
  EXPECT_EQ(missing.error().message, "The role policy with name nope cannot be found.");
  auto bad = identity->put_inline_policy(EntityType::Role, "worker", "x", "{}");
  EXPECT_EQ(bad.error().type, "MalformedPolicyDocument");

  auto p = identity->create_policy("sfn", "/", allow("states:*"), "");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->arn, "arn:aws:iam::123456789012:policy/sfn");
  EXPECT_EQ(identity->create_policy("SFN", "/", allow("states:*"), "").error().message,
            "A policy called SFN already exists. Duplicate names are not allowed.");
  ASSERT_TRUE(identity->attach_policy(EntityType::Role, "worker", p->arn).ok());
  ASSERT_TRUE(
      identity
          ->attach_policy(EntityType::Role, "worker",
                          "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
          .ok());
  EXPECT_EQ(identity->get_policy(p->arn)->attachment_count, 1);
  EXPECT_EQ(identity->list_attached_policies(EntityType::Role, "worker")->size(), 2u);
  auto nope =
      identity->attach_policy(EntityType::Role, "worker", "arn:aws:iam::aws:policy/NoSuchPolicy");
  EXPECT_EQ(nope.error().message,
            "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.");
  EXPECT_EQ(identity->delete_role("worker").error().type, "DeleteConflict");

  auto managed =
      identity->get_policy("arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole");
  ASSERT_TRUE(managed.ok());
  EXPECT_TRUE(managed->aws_managed);
  auto v = identity->get_policy_version(managed->arn, managed->default_version);
  ASSERT_TRUE(v.ok());
  EXPECT_NE(v->document.find("ssm:*"), std::string::npos);
}

}  // namespace
}  // namespace signoff::iam::testing
