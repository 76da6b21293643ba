// The identity service: IAM users, groups, roles, policies and access keys, STS sessions, and the
// two questions every request raises — who signed it (authenticate) and may they do this
// (authorize).
//
// Everything lives in store documents (kinds "iam.*", see model.h). Secret access keys and session
// tokens are sealed with a key kept outside the database (IdentityOptions::master_key, from
// DATA/master.key), so a copy of the database alone reveals no credentials. Expected failures are
// signoff::Error values with IAM's and STS's codes and messages.
//
// Signoff's own services act as the role they were given (a state machine's RoleArn, a function's
// Role, an automation's AutomationAssumeRole):
//
//   auto who = identity.principal_for_role(state_machine.role_arn);   // no credentials minted
//   if (!who.ok() || identity.authorize(*who, "lambda:InvokeFunction", function_arn) !=
//                        policy::Decision::Allow) { ... fail the task with AccessDenied ... }
//
// and code that runs outside the server with the role's rights (a Lambda function) gets
// temporary credentials: credentials_for_role(role_arn, "lambda.amazonaws.com").
//
// Thread-safe. Reads on the request path (authenticate, authorize) are served from caches that
// every write through this service invalidates.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/principal.h"
#include "common/result.h"
#include "policy/policy.h"
#include "sigv4/sigv4.h"
#include "store/store.h"

namespace signoff::iam {

using MasterKey = std::array<unsigned char, 32>;

struct IdentityOptions {
  std::string account = "000000000000";
  MasterKey master_key{};
  // Fills a buffer with cryptographically secure random bytes; libsodium's when empty.
  std::function<void(unsigned char*, size_t)> random;
};

// A console password (IAM's login profile). The password itself is kept only as an argon2id hash.
struct LoginProfile {
  std::string user_name;
  int64_t created_ms = 0;
  bool password_reset_required = false;
};

struct AccessKeyPair {
  std::string access_key_id;
  std::string secret_access_key;
};

struct User {
  std::string path = "/";
  std::string name;
  std::string id;  // AIDA...
  std::string arn;
  int64_t created_ms = 0;
  std::vector<std::string> groups;                     // group names
  std::map<std::string, std::string> inline_policies;  // name -> document
  std::vector<std::string> attached;                   // managed policy ARNs
};

struct Group {
  std::string path = "/";
  std::string name;
  std::string id;  // AGPA...
  std::string arn;
  int64_t created_ms = 0;
  std::map<std::string, std::string> inline_policies;
  std::vector<std::string> attached;
};

struct Role {
  std::string path = "/";
  std::string name;
  std::string id;  // AROA...
  std::string arn;
  int64_t created_ms = 0;
  std::string assume_role_policy;  // the trust policy, as given
  std::string description;
  int64_t max_session_duration = 3600;
  std::map<std::string, std::string> inline_policies;
  std::vector<std::string> attached;
};

struct AccessKey {
  std::string user_name;  // "" for the account's own (root) keys
  std::string id;         // AKIA...
  std::string status = "Active";
  int64_t created_ms = 0;
  std::string secret;  // only in CreateAccessKey's answer
};

struct PolicyVersion {
  std::string id;  // "v1"
  std::string document;
  int64_t created_ms = 0;
};

struct ManagedPolicy {
  std::string name;
  std::string id;  // ANPA...
  std::string arn;
  std::string path = "/";
  std::string description;
  std::string default_version = "v1";
  int64_t attachment_count = 0;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  bool aws_managed = false;
  std::vector<PolicyVersion> versions;
};

struct TemporaryCredentials {
  std::string access_key_id;  // ASIA...
  std::string secret_access_key;
  std::string session_token;
  int64_t expiration_ms = 0;
  std::string assumed_role_id;  // AROA...:SESSION
  std::string arn;              // arn:aws:sts::A:assumed-role/ROLE/SESSION
};

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::optional<int64_t> duration_seconds;  // 900..the role's MaxSessionDuration; 3600 if absent
};

// Which entity an inline policy or an attachment belongs to.
enum class EntityType { User, Group, Role };

// A page of results and the marker to continue from ("" when complete).
template <typename T>
struct Listing {
  std::vector<T> items;
  std::string marker;
};

struct Paging {
  std::string marker;
  size_t max_items = 100;
};

// Outcome of authenticate(): the principal, or the signature failure in both protocols' words.
struct Authentication {
  std::optional<Principal> principal;
  std::optional<sigv4::Error> error;
};

class IdentityService {
 public:
  IdentityService(store::Store& store, const Clock& clock, IdentityOptions options);
  ~IdentityService();
  IdentityService(const IdentityService&) = delete;
  IdentityService& operator=(const IdentityService&) = delete;

  const std::string& account() const;

  // Refuses a master key other than the one this store's secrets were sealed with (a data dir
  // whose master.key was lost or replaced), so the server fails to start instead of treating
  // every key as unknown. Records a check value on first use.
  Result<Unit> check_master_key();

  // Bootstrap: installs `supplied` as an administrator (account root) key when given and not yet
  // known; otherwise creates one when the account has no administrator key. Returns the key it
  // created (the only time its secret is available), nullopt when nothing was created.
  Result<std::optional<AccessKeyPair>> ensure_admin(const std::optional<AccessKeyPair>& supplied);

  // SigV4 over request, at the clock's current time.
  Authentication authenticate(const sigv4::Request& request, const sigv4::Options& options) const;

  // IAM's decision for one action on one resource: the account root may do anything; users are
  // judged on their inline, attached and groups' policies; role sessions on the role's.
  policy::Decision authorize(const Principal& who, std::string_view action,
                             std::string_view resource) const;

  // A role session principal for Signoff's own services acting as the role (no credentials).
  Result<Principal> principal_for_role(std::string_view role_arn) const;
  // The principal a recorded caller ARN names, for Signoff acting later as whoever started
  // something: the account root, a user, or a role session (under its recorded session name).
  Result<Principal> principal_for_arn(std::string_view arn) const;
  // Temporary credentials for a service principal the role's trust policy admits.
  Result<TemporaryCredentials> credentials_for_role(std::string_view role_arn,
                                                    std::string_view service_principal,
                                                    int64_t duration_seconds = 3600);

  // STS.
  Result<TemporaryCredentials> assume_role(const Principal& caller, const AssumeRoleRequest& r);

  // Login profiles (console passwords, argon2id via libsodium's crypto_pwhash).
  Result<LoginProfile> create_login_profile(std::string_view user_name, std::string_view password,
                                            bool password_reset_required);
  Result<LoginProfile> get_login_profile(std::string_view user_name) const;
  // Only what is given changes.
  Result<Unit> update_login_profile(std::string_view user_name, std::optional<std::string> password,
                                    std::optional<bool> password_reset_required);
  Result<Unit> delete_login_profile(std::string_view user_name);
  // ChangePassword: the user changes their own password, proving the old one.
  Result<Unit> change_password(std::string_view user_name, std::string_view old_password,
                               std::string_view new_password);
  // Console sign-in: the user's principal when the password matches its login profile. Every
  // failure (no such user, no profile, wrong password) is the same error, so a caller learns
  // nothing about which names exist. Lock-out is the caller's (the console's) business.
  Result<Principal> sign_in(std::string_view user_name, std::string_view password) const;
  // Sign-in with a key pair (long-term or temporary): the principal the key belongs to when the
  // secret (and the session token, for ASIA keys) match and the key is active and unexpired.
  Result<Principal> principal_for_credentials(std::string_view access_key_id,
                                              std::string_view secret_access_key,
                                              std::string_view session_token) const;

  // IAM users.
  Result<User> create_user(std::string_view name, std::string_view path);
  Result<User> get_user(std::string_view name) const;
  Result<Listing<User>> list_users(std::string_view path_prefix, const Paging& paging) const;
  Result<Unit> delete_user(std::string_view name);

  // Access keys ("" user name: the caller's own keys when the caller is root, see api).
  Result<AccessKey> create_access_key(std::string_view user_name);
  Result<std::vector<AccessKey>> list_access_keys(std::string_view user_name) const;
  Result<Unit> delete_access_key(std::string_view user_name, std::string_view key_id);
  Result<Unit> update_access_key(std::string_view user_name, std::string_view key_id,
                                 std::string_view status);

  // Groups.
  Result<Group> create_group(std::string_view name, std::string_view path);
  Result<Group> get_group(std::string_view name) const;
  Result<std::vector<User>> group_members(std::string_view name) const;
  // DeleteConflict while the group has members or policies, as IAM refuses.
  Result<Unit> delete_group(std::string_view name);
  Result<Unit> add_user_to_group(std::string_view group, std::string_view user);
  Result<Unit> remove_user_from_group(std::string_view group, std::string_view user);

  // Roles.
  Result<Role> create_role(std::string_view name, std::string_view path,
                           std::string_view assume_role_policy, std::string_view description,
                           std::optional<int64_t> max_session_duration);
  Result<Role> get_role(std::string_view name) const;
  Result<Listing<Role>> list_roles(std::string_view path_prefix, const Paging& paging) const;
  Result<Unit> delete_role(std::string_view name);
  Result<Unit> update_assume_role_policy(std::string_view name, std::string_view document);
  // UpdateRole: only what is given changes.
  Result<Unit> update_role(std::string_view name, std::optional<std::string> description,
                           std::optional<int64_t> max_session_duration);

  // Inline policies of users, groups and roles.
  Result<Unit> put_inline_policy(EntityType type, std::string_view entity,
                                 std::string_view policy_name, std::string_view document);
  Result<std::string> get_inline_policy(EntityType type, std::string_view entity,
                                        std::string_view policy_name) const;
  Result<Unit> delete_inline_policy(EntityType type, std::string_view entity,
                                    std::string_view policy_name);
  Result<std::vector<std::string>> list_inline_policies(EntityType type,
                                                        std::string_view entity) const;

  // Managed policies (customer managed, and AWS managed from the built-in catalog).
  Result<ManagedPolicy> create_policy(std::string_view name, std::string_view path,
                                      std::string_view document, std::string_view description);
  Result<ManagedPolicy> get_policy(std::string_view arn) const;
  Result<PolicyVersion> get_policy_version(std::string_view arn, std::string_view version) const;
  Result<Unit> attach_policy(EntityType type, std::string_view entity, std::string_view arn);
  Result<Unit> detach_policy(EntityType type, std::string_view entity, std::string_view arn);
  // DeletePolicy: customer managed only, and only once nothing is attached to it.
  Result<Unit> delete_policy(std::string_view arn);
  // (name, arn) of each attached policy.
  Result<std::vector<std::pair<std::string, std::string>>> list_attached_policies(
      EntityType type, std::string_view entity) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::iam
