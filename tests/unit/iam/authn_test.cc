// Bootstrap, secrets at rest and SigV4 authentication against stored keys.
#include <fstream>
#include <iterator>

#include "fixture.h"

namespace signoff::iam::testing {
namespace {

TEST_F(IdentityTest, BootstrapCreatesOneAdministratorKey) {
  auto first = identity->ensure_admin(std::nullopt);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->access_key_id.substr(0, 4), "AKIA");
  EXPECT_EQ((*first)->access_key_id.size(), 20u);
  EXPECT_EQ((*first)->secret_access_key.size(), 40u);
  auto second = identity->ensure_admin(std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());

  Authentication a = call_as((*first)->access_key_id, (*first)->secret_access_key);
  ASSERT_TRUE(a.principal) << a.error->json_message;
  EXPECT_TRUE(a.principal->is_root());
  EXPECT_EQ(a.principal->arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(a.principal->user_id, "123456789012");
  EXPECT_FALSE(a.principal->temporary);
}

TEST_F(IdentityTest, SuppliedAdministratorKeyIsInstalled) {
  AccessKeyPair given{"AKIAGIVEN00000000001", "given-secret-given-secret-given-secret-1"};
  auto r = identity->ensure_admin(given);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_TRUE(call_as(given.access_key_id, given.secret_access_key).principal);
  // Nothing is generated beside it.
  auto again = identity->ensure_admin(std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST_F(IdentityTest, SecretsAreSealedAtRest) {
  auto admin = identity->ensure_admin(std::nullopt);
  ASSERT_TRUE(admin.ok());
  const std::string secret = (*admin)->secret_access_key;
  store.reset();  // checkpoint and close, so every byte is in the files
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  EXPECT_NE(bytes.find((*admin)->access_key_id), std::string::npos);
  store = store::open_sqlite_store(dir);
  IdentityOptions o;
  o.account = "123456789012";
  o.master_key = master;
  identity = std::make_unique<IdentityService>(*store, clock, o);
  EXPECT_TRUE(identity->check_master_key().ok());
  EXPECT_TRUE(call_as((*admin)->access_key_id, secret).principal);

  // The database without its master key is useless, and a wrong key is refused at start.
  o.master_key = generate_master_key();
  IdentityService other(*store, clock, o);
  EXPECT_FALSE(other.check_master_key().ok());
}

TEST_F(IdentityTest, SecretBoxRoundTripsAndRejectsTampering) {
  SecretBox box(master);
  std::string sealed = box.seal("hello");
  EXPECT_NE(sealed, box.seal("hello"));  // fresh nonce each time
  EXPECT_EQ(box.open(sealed), "hello");
  std::string tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(box.open(tampered), std::nullopt);
  EXPECT_EQ(box.open("not base64 !"), std::nullopt);
  SecretBox other(generate_master_key());
  EXPECT_EQ(other.open(sealed), std::nullopt);
}

TEST_F(IdentityTest, SignatureFailuresCarryAwsWords) {
  ASSERT_TRUE(identity->create_user("alice", "/").ok());
  auto key = identity->create_access_key("alice");
  ASSERT_TRUE(key.ok());

  Authentication ok = call_as(key->id, key->secret);
  ASSERT_TRUE(ok.principal);
  EXPECT_EQ(ok.principal->kind, Principal::Kind::User);
  EXPECT_EQ(ok.principal->user_name, "alice");
  EXPECT_EQ(ok.principal->arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(ok.principal->access_key_id, key->id);

  Authentication wrong = call_as(key->id, "not-the-secret");
  ASSERT_TRUE(wrong.error);
  EXPECT_EQ(wrong.error->query_code, "SignatureDoesNotMatch");
  EXPECT_EQ(wrong.error->json_code, "InvalidSignatureException");

  Authentication unknown = call_as("AKIANOSUCHKEY0000000", key->secret);
  ASSERT_TRUE(unknown.error);
  EXPECT_EQ(unknown.error->query_code, "InvalidClientTokenId");

  ASSERT_TRUE(identity->update_access_key("alice", key->id, "Inactive").ok());
  Authentication inactive = call_as(key->id, key->secret);
  ASSERT_TRUE(inactive.error);
  EXPECT_EQ(inactive.error->json_code, "UnrecognizedClientException");

  ASSERT_TRUE(identity->update_access_key("alice", key->id, "Active").ok());
  EXPECT_TRUE(call_as(key->id, key->secret).principal);
  ASSERT_TRUE(identity->delete_access_key("alice", key->id).ok());
  EXPECT_TRUE(call_as(key->id, key->secret).error);
}

}  // namespace
}  // namespace signoff::iam::testing
