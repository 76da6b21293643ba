// Who a request acts as, once its signature checked out: the vocabulary every layer shares, so a
// service can authorize and record who acted without knowing how identities are stored.
#pragma once

#include <string>

namespace signoff {

struct Principal {
  enum class Kind {
    Root,         // the account itself (its administrator credentials)
    User,         // an IAM user's long-term access key
    AssumedRole,  // temporary credentials from sts:AssumeRole (by a user, a role or a service)
  };
  Kind kind = Kind::Root;
  std::string arn;      // arn:aws:iam::A:root | arn:aws:iam::A:user/NAME | arn:aws:sts::A:...
  std::string account;  // twelve digits
  // GetCallerIdentity's UserId: the account for root, AIDA... for users, AROA...:SESSION for
  // role sessions.
  std::string user_id;
  std::string user_name;     // users
  std::string role_arn;      // role sessions: arn:aws:iam::A:role/PATH/NAME
  std::string role_name;     // role sessions
  std::string session_name;  // role sessions
  std::string access_key_id;
  bool temporary = false;         // signed with a session token
  std::string service_principal;  // role sessions a service took ("lambda.amazonaws.com")

  bool is_root() const { return kind == Kind::Root; }
};

}  // namespace signoff
