// HTTP POSTs for model and webhook agents over libcurl, one easy handle per call (calls are
// few and each runs on a worker thread of its own).
#include <curl/curl.h>

#include "agents/ports.h"

namespace signoff::agents {

namespace {

size_t collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  // A model's answer is small; a runaway body is cut off rather than held in memory.
  if (body->size() + size * n > (size_t{4} << 20)) {
    return 0;
  }
  body->append(data, size * n);
  return size * n;
}

class CurlHttp final : public HttpClient {
 public:
  CurlHttp() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  Result<HttpResponse> post(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body, int64_t timeout_ms) override {
    CURL* c = curl_easy_init();
    if (!c) {
      return make_error("HttpError", "cannot create a curl handle");
    }
    curl_slist* list = nullptr;
    for (const auto& [k, v] : headers) {
      list = curl_slist_append(list, (k + ": " + v).c_str());
    }
    HttpResponse r;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return make_error("Timeout", "no answer within " + std::to_string(timeout_ms) + " ms");
    }
    if (rc != CURLE_OK) {
      return make_error("HttpError", curl_easy_strerror(rc));
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http() {
  return std::make_unique<CurlHttp>();
}

}  // namespace signoff::agents
