// The CLI's own AWS client: one POST to a running server, signed with SigV4 by libcurl
// (CURLOPT_AWS_SIGV4), as `signoff deploy` and `signoff agents` send their requests.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace signoff::cli {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" for a long-term key
};

// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] when set, else profile "signoff"
// of DATA_DIR/credentials (the administrator's key the server writes on first start). nullopt,
// with the reason in *why, when neither is there.
std::optional<Credentials> find_credentials(const std::string& data_dir, std::string* why);

struct HttpResult {
  long status = 0;
  std::string body;
  std::string error;  // transport failure; status is 0 then
};

// POSTs `body` to `endpoint` + "/". Signed for `service` in `region` when `credentials` is set,
// unsigned otherwise (a server run with --insecure-open accepts that).
HttpResult signed_post(const std::string& endpoint, const std::string& region,
                       const std::string& service, const std::optional<Credentials>& credentials,
                       const std::vector<std::string>& headers, const std::string& body);

}  // namespace signoff::cli
