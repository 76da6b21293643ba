// How identity records are kept as store documents. One kind per entity:
//
//   iam.user        key lower(name)            User + its groups, inline policies, attachments
//   iam.group       key lower(name)            Group + inline policies, attachments
//   iam.member      key lower(group)/lower(user)   one per membership (GetGroup lists by prefix)
//   iam.role        key lower(name)            Role + trust policy, inline policies, attachments
//   iam.policy      key lower(name)            customer managed policy with all its versions
//   iam.attachment  key ARN|type/lower(name)   one per attachment (counts, DeletePolicy checks)
//   iam.access_key  key AKIA...  index lower(user) ("#root" for the account's keys)
//   iam.session     key ASIA...  index role ARN   sealed secret and token, expiry
//   iam.login_profile  key lower(user)        argon2id hash of the console password
//
// Keys are lowercase because IAM names are unique regardless of case; documents keep the name as
// written. Secrets are stored sealed (see secret_box.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "iam/identity.h"
#include "store/store.h"

namespace signoff::iam::model {

inline constexpr std::string_view kUser = "iam.user";
inline constexpr std::string_view kGroup = "iam.group";
inline constexpr std::string_view kMember = "iam.member";
inline constexpr std::string_view kRole = "iam.role";
inline constexpr std::string_view kPolicy = "iam.policy";
inline constexpr std::string_view kAttachment = "iam.attachment";
inline constexpr std::string_view kAccessKey = "iam.access_key";
inline constexpr std::string_view kSession = "iam.session";
inline constexpr std::string_view kLoginProfile = "iam.login_profile";
inline constexpr std::string_view kRootIndex = "#root";

std::string lower(std::string_view s);

// A stored access key: the public part and the sealed secret.
struct StoredKey {
  AccessKey key;
  std::string sealed_secret;
};

// A role session minted by AssumeRole or credentials_for_role.
struct Session {
  std::string access_key_id;
  std::string sealed_secret;
  std::string sealed_token;
  int64_t expires_ms = 0;
  std::string role_arn;
  std::string role_name;
  std::string role_id;
  std::string session_name;
  std::string service_principal;
};

std::string to_json(const User& u);
std::string to_json(const Group& g);
std::string to_json(const Role& r);
std::string to_json(const ManagedPolicy& p);
std::string to_json(const StoredKey& k);
std::string to_json(const Session& s);

// nullopt when the stored text is not what this version wrote (a corrupt row is reported, not
// trusted).
std::optional<User> user_from(const store::DocumentRecord& d);
std::optional<Group> group_from(const store::DocumentRecord& d);
std::optional<Role> role_from(const store::DocumentRecord& d);
std::optional<ManagedPolicy> policy_from(const store::DocumentRecord& d);
std::optional<StoredKey> key_from(const store::DocumentRecord& d);
std::optional<Session> session_from(const store::DocumentRecord& d);

}  // namespace signoff::iam::model
