// IAM (query protocol, Version 2010-05-08) and STS (2011-06-15) over the identity service.
#pragma once

#include "api/router.h"
#include "iam/identity.h"

namespace signoff::api {

void register_iam_api(Router& router, iam::IdentityService& identity);
void register_sts_api(Router& router, iam::IdentityService& identity);
// Login profiles (console passwords) and ChangePassword, merged into the "iam" service.
void register_iam_login_api(Router& router, iam::IdentityService& identity);

// The request parameter IAM names `member` (UserName → userName), for ValidationError texts.
std::string iam_member_name(std::string_view parameter);
// RFC 3986 percent-encoding of everything but unreserved characters, as IAM returns policy
// documents (clients decode them).
std::string iam_url_encode(std::string_view text);

}  // namespace signoff::api
