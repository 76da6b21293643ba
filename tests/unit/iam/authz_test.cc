// Authorization of users and role sessions, STS sessions, and services acting as a role.
#include "fixture.h"

namespace signoff::iam::testing {
namespace {

using policy::Decision;

class AuthzTest : public IdentityTest {
 protected:
  Principal user(const std::string& name) {
    EXPECT_TRUE(identity->create_user(name, "/").ok());
    auto k = identity->create_access_key(name);
    EXPECT_TRUE(k.ok());
    keys[name] = *k;
    Authentication a = call_as(k->id, k->secret);
    EXPECT_TRUE(a.principal);
    return *a.principal;
  }
  std::map<std::string, AccessKey> keys;
};

constexpr std::string_view kMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

TEST_F(AuthzTest, RootIsAllowedEverything) {
  Principal root;
  root.kind = Principal::Kind::Root;
  EXPECT_EQ(identity->authorize(root, "iam:DeleteUser", "*"), Decision::Allow);
}

TEST_F(AuthzTest, UserPoliciesInlineAttachedAndThroughGroups) {
  Principal alice = user("alice");
  EXPECT_EQ(identity->authorize(alice, "states:ListStateMachines", "*"), Decision::ImplicitDeny);
  ASSERT_TRUE(
      identity->put_inline_policy(EntityType::User, "alice", "list", allow("states:List*")).ok());
  // The write invalidated the cached policy set.
  EXPECT_EQ(identity->authorize(alice, "states:ListStateMachines", "*"), Decision::Allow);
  EXPECT_EQ(identity->authorize(alice, "states:DeleteStateMachine", kMachine),
            Decision::ImplicitDeny);

  ASSERT_TRUE(identity->create_group("admins", "/").ok());
  ASSERT_TRUE(identity
                  ->attach_policy(EntityType::Group, "admins",
                                  "arn:aws:iam::aws:policy/AdministratorAccess")
                  .ok());
  ASSERT_TRUE(identity->add_user_to_group("admins", "alice").ok());
  EXPECT_EQ(identity->authorize(alice, "states:DeleteStateMachine", kMachine), Decision::Allow);

  // An explicit deny anywhere wins.
  ASSERT_TRUE(identity
                  ->put_inline_policy(EntityType::User, "alice", "no-delete",
                                      deny("states:DeleteStateMachine", std::string(kMachine)))
                  .ok());
  EXPECT_EQ(identity->authorize(alice, "states:DeleteStateMachine", kMachine),
            Decision::ExplicitDeny);
  ASSERT_TRUE(identity->remove_user_from_group("admins", "alice").ok());
  EXPECT_EQ(identity->authorize(alice, "iam:CreateUser", "*"), Decision::ImplicitDeny);
}

TEST_F(AuthzTest, AssumeRoleChecksTrustAndMintsSessions) {
  Principal bob = user("bob");
  Principal eve = user("eve");
  auto role =
      identity->create_role("deployer", "/", trust(R"({"AWS":")" + bob.arn + R"("})"), "", 7200);
  ASSERT_TRUE(role.ok());
  ASSERT_TRUE(
      identity->put_inline_policy(EntityType::Role, "deployer", "p", allow("states:StartExecution"))
          .ok());

  auto denied = identity->assume_role(eve, {role->arn, "s1", std::nullopt});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().type, "AccessDenied");
  EXPECT_EQ(denied.error().message,
            "User: arn:aws:iam::123456789012:user/eve is not authorized to perform: "
            "sts:AssumeRole on resource: " +
                role->arn);
  auto unknown = identity->assume_role(bob, {"arn:aws:iam::123456789012:role/none", "s1", {}});
  EXPECT_EQ(unknown.error().type, "AccessDenied");
  Principal root;
  root.kind = Principal::Kind::Root;
  EXPECT_EQ(identity->assume_role(root, {role->arn, "s1", {}}).error().message,
            "Roles may not be assumed by root accounts.");
  EXPECT_EQ(identity->assume_role(bob, {role->arn, "s1", 9000}).error().message,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  EXPECT_EQ(identity->assume_role(bob, {role->arn, "s1", 899}).error().type, "ValidationError");
  EXPECT_EQ(identity->assume_role(bob, {role->arn, "s", {}}).error().type, "ValidationError");

  auto creds = identity->assume_role(bob, {role->arn, "release-1", 900});
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id.substr(0, 4), "ASIA");
  EXPECT_EQ(creds->arn, "arn:aws:sts::123456789012:assumed-role/deployer/release-1");
  EXPECT_EQ(creds->assumed_role_id, role->id + ":release-1");
  EXPECT_EQ(creds->expiration_ms, clock.ms + 900 * 1000);

  Authentication a = call_as(creds->access_key_id, creds->secret_access_key, creds->session_token);
  ASSERT_TRUE(a.principal) << a.error->json_message;
  EXPECT_EQ(a.principal->kind, Principal::Kind::AssumedRole);
  EXPECT_EQ(a.principal->arn, creds->arn);
  EXPECT_EQ(a.principal->role_arn, role->arn);
  EXPECT_TRUE(a.principal->temporary);
  EXPECT_EQ(identity->authorize(*a.principal, "states:StartExecution", kMachine), Decision::Allow);
  EXPECT_EQ(identity->authorize(*a.principal, "states:DeleteStateMachine", kMachine),
            Decision::ImplicitDeny);

  // Without its token, or with another, the session key is refused.
  EXPECT_EQ(call_as(creds->access_key_id, creds->secret_access_key).error->query_code,
            "InvalidClientTokenId");
  EXPECT_EQ(call_as(creds->access_key_id, creds->secret_access_key, "x" + creds->session_token)
                .error->query_code,
            "InvalidClientTokenId");
  clock.ms += 901 * 1000;
  Authentication expired =
      call_as(creds->access_key_id, creds->secret_access_key, creds->session_token);
  ASSERT_TRUE(expired.error);
  EXPECT_EQ(expired.error->query_code, "ExpiredToken");
  EXPECT_EQ(expired.error->json_code, "ExpiredTokenException");

  // Role chaining is limited to one hour.
  ASSERT_TRUE(
      identity->update_assume_role_policy("deployer", trust(R"({"AWS":")" + role->arn + R"("})"))
          .ok());
  auto again = identity->assume_role(bob, {role->arn, "s2", {}});
  EXPECT_FALSE(again.ok());  // bob is no longer trusted
}

TEST_F(AuthzTest, ServicesActAsTheirRole) {
  auto role =
      identity->create_role("sfn-role", "/service-role/",
                            trust(R"({"Service":"states.amazonaws.com"})"), "", std::nullopt);
  ASSERT_TRUE(role.ok());
  ASSERT_TRUE(identity
                  ->put_inline_policy(EntityType::Role, "sfn-role", "invoke",
                                      allow("lambda:InvokeFunction"))
                  .ok());
  auto who = identity->principal_for_role(role->arn);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->arn, "arn:aws:sts::123456789012:assumed-role/sfn-role/signoff");
  EXPECT_EQ(identity->authorize(*who, "lambda:InvokeFunction", "arn:aws:lambda:f"),
            Decision::Allow);
  EXPECT_EQ(identity->authorize(*who, "sns:Publish", "*"), Decision::ImplicitDeny);
  EXPECT_EQ(identity->principal_for_role("arn:aws:iam::123456789012:role/nope").error().type,
            "NoSuchEntity");

  auto creds = identity->credentials_for_role(role->arn, "states.amazonaws.com");
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  Authentication a = call_as(creds->access_key_id, creds->secret_access_key, creds->session_token);
  ASSERT_TRUE(a.principal);
  EXPECT_EQ(a.principal->service_principal, "states.amazonaws.com");
  auto untrusted = identity->credentials_for_role(role->arn, "lambda.amazonaws.com");
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().type, "AccessDenied");
}

TEST_F(AuthzTest, PrincipalsForRecordedCallerArns) {
  ASSERT_TRUE(identity->create_user("carol", "/staff/").ok());
  ASSERT_TRUE(identity
                  ->create_role("ops", "/teams/", trust(R"({"Service":"ssm.amazonaws.com"})"), "",
                                std::nullopt)
                  .ok());
  struct Case {
    std::string arn;
    bool ok;
    Principal::Kind kind;
    std::string resolved;
  };
  const std::string a = "arn:aws:iam::123456789012:";
  const Case cases[] = {
      {a + "root", true, Principal::Kind::Root, a + "root"},
      {a + "user/staff/carol", true, Principal::Kind::User, a + "user/staff/carol"},
      {a + "user/carol", false, Principal::Kind::User, ""},  // not the user's path
      {a + "user/nobody", false, Principal::Kind::User, ""},
      {"arn:aws:sts::123456789012:assumed-role/ops/alice", true, Principal::Kind::AssumedRole,
       "arn:aws:sts::123456789012:assumed-role/ops/alice"},
      {"arn:aws:sts::123456789012:assumed-role/gone/alice", false, Principal::Kind::Root, ""},
      {"arn:aws:sts::123456789012:assumed-role/ops", false, Principal::Kind::Root, ""},
      {"arn:aws:iam::999999999999:root", false, Principal::Kind::Root, ""},
      {"", false, Principal::Kind::Root, ""},
  };
  for (const Case& c : cases) {
    auto p = identity->principal_for_arn(c.arn);
    ASSERT_EQ(p.ok(), c.ok) << c.arn;
    if (c.ok) {
      EXPECT_EQ(p->kind, c.kind) << c.arn;
      EXPECT_EQ(p->arn, c.resolved) << c.arn;
    } else {
      EXPECT_EQ(p.error().type, "NoSuchEntity") << c.arn;
    }
  }
  auto session = identity->principal_for_arn("arn:aws:sts::123456789012:assumed-role/ops/alice");
  EXPECT_EQ(session->role_arn, a + "role/teams/ops");
  EXPECT_EQ(session->session_name, "alice");
}

}  // namespace
}  // namespace signoff::iam::testing
