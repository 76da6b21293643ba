// libcurl for both SMTP and HTTP: one easy handle per delivery (deliveries are seconds apart and
// run on a few threads, so handle reuse would buy nothing worth its locking).
#include <cstring>
#include <mutex>

#include <curl/curl.h>

#include "notify/transport.h"

namespace signoff::notify {
namespace {

struct ReadState {
  const std::string* data;
  size_t offset = 0;
};

size_t read_body(char* buffer, size_t size, size_t count, void* user) {
  auto* state = static_cast<ReadState*>(user);
  size_t room = size * count;
  size_t left = state->data->size() - state->offset;
  size_t n = left < room ? left : room;
  std::memcpy(buffer, state->data->data() + state->offset, n);
  state->offset += n;
  return n;
}

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool connection_trouble(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_OPERATION_TIMEDOUT || code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR ||
         code == CURLE_GOT_NOTHING || code == CURLE_SSL_CONNECT_ERROR;
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(std::optional<SmtpUrl> smtp) : smtp_(std::move(smtp)) {
    global_init_once();
  }

  SendResult send_mail(const std::string& from_address, const std::string& to,
                       const std::string& mime) override {
    if (!smtp_) {
      return {SendResult::Kind::Permanent,
              "no SMTP relay is configured (signoff serve --smtp-url smtp://host:port)"};
    }
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
      return {SendResult::Kind::Temporary, "libcurl could not start"};
    }
    char error[CURL_ERROR_SIZE] = {0};
    ReadState state{&mime};
    std::string url = smtp_->curl_url();
    std::string from = "<" + from_address + ">";
    std::string rcpt = "<" + to + ">";
    curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
    curl_easy_setopt(curl, CURLOPT_READDATA, &state);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    if (!smtp_->user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, smtp_->user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, smtp_->password.c_str());
    }
    if (!smtp_->implicit_tls) {
      long use_ssl = smtp_->starttls == StartTls::Required ? CURLUSESSL_ALL
                     : smtp_->starttls == StartTls::Never  ? CURLUSESSL_NONE
                                                           : CURLUSESSL_TRY;
      curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
    }
    CURLcode code = curl_easy_perform(curl);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code == CURLE_OK) {
      return {SendResult::Kind::Delivered, "accepted by " + smtp_->redacted()};
    }
    std::string detail = std::string(error[0] != 0 ? error : curl_easy_strerror(code));
    if (reply > 0) {
      detail += " (SMTP reply " + std::to_string(reply) + ")";
    }
    detail += " from " + smtp_->redacted();
    if (reply >= 400 && reply < 500) {
      return {SendResult::Kind::Temporary, detail};
    }
    if (reply >= 500 || code == CURLE_LOGIN_DENIED || code == CURLE_USE_SSL_FAILED) {
      return {SendResult::Kind::Permanent, detail};
    }
    return {connection_trouble(code) ? SendResult::Kind::Temporary : SendResult::Kind::Permanent,
            detail};
  }

  SendResult post(const std::string& url, const std::vector<MailHeader>& headers,
                  const std::string& body) override {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
      return {SendResult::Kind::Temporary, "libcurl could not start"};
    }
    char error[CURL_ERROR_SIZE] = {0};
    curl_slist* list = nullptr;
    for (const MailHeader& h : headers) {
      list = curl_slist_append(list, (h.name + ": " + h.value).c_str());
    }
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 15L);  // SNS waits 15 seconds for an answer
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Amazon Simple Notification Service Agent");
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) {
      std::string detail = error[0] != 0 ? error : curl_easy_strerror(code);
      return {connection_trouble(code) ? SendResult::Kind::Temporary : SendResult::Kind::Permanent,
              detail};
    }
    std::string detail = "HTTP " + std::to_string(status);
    if (status >= 200 && status < 300) {
      return {SendResult::Kind::Delivered, detail};
    }
    if (status == 429 || status >= 500) {
      return {SendResult::Kind::Temporary, detail};
    }
    return {SendResult::Kind::Permanent, detail};
  }

 private:
  std::optional<SmtpUrl> smtp_;
};

}  // namespace

std::shared_ptr<Transport> make_curl_transport(std::optional<SmtpUrl> smtp) {
  return std::make_shared<CurlTransport>(std::move(smtp));
}

}  // namespace signoff::notify
