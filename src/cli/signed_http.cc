#include "cli/signed_http.h"

#include <cstdlib>
#include <exception>

#include <curl/curl.h>

#include "app/bootstrap.h"

namespace signoff::cli {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

std::optional<Credentials> find_credentials(const std::string& data_dir, std::string* why) {
  if (!env("AWS_ACCESS_KEY_ID").empty()) {
    return Credentials{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"),
                       env("AWS_SESSION_TOKEN")};
  }
  try {
    iam::AccessKeyPair pair = app::read_credentials_file(data_dir + "/credentials");
    return Credentials{pair.access_key_id, pair.secret_access_key, ""};
  } catch (const std::exception& e) {
    if (why != nullptr) {
      *why = e.what();
    }
    return std::nullopt;
  }
}

HttpResult signed_post(const std::string& endpoint, const std::string& region,
                       const std::string& service, const std::optional<Credentials>& credentials,
                       const std::vector<std::string>& headers, const std::string& body) {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
  HttpResult result;
  CURL* c = curl_easy_init();
  if (c == nullptr) {
    result.error = "cannot initialise libcurl";
    return result;
  }
  // No "Expect: 100-continue" for larger bodies: it would cost a round trip (or curl's
  // one-second wait) per request for nothing on a local server.
  curl_slist* list = curl_slist_append(nullptr, "Expect:");
  for (const std::string& h : headers) {
    list = curl_slist_append(list, h.c_str());
  }
  std::string sigv4 = "aws:amz:" + region + ":" + service;
  std::string userpwd;
  if (credentials) {
    userpwd = credentials->access_key_id + ":" + credentials->secret_access_key;
    if (!credentials->session_token.empty()) {
      list =
          curl_slist_append(list, ("X-Amz-Security-Token: " + credentials->session_token).c_str());
    }
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(c, CURLOPT_USERPWD, userpwd.c_str());
  }
  std::string url = endpoint + "/";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) {
    result.error = "cannot reach " + endpoint + ": " + curl_easy_strerror(rc);
    result.status = 0;
  }
  return result;
}

}  // namespace signoff::cli
