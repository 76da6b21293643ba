#include "notify/mail_drop.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace signoff::notify {
namespace {

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

class MailDrop final : public Transport {
 public:
  MailDrop(std::string dir, std::shared_ptr<Transport> http)
      : dir_(std::move(dir)), http_(std::move(http)) {}

  SendResult send_mail(const std::string& from_address, const std::string& to,
                       const std::string& mime) override {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) {
      return {SendResult::Kind::Temporary, "cannot create " + dir_ + ": " + ec.message()};
    }
    // Sorted by name is sorted by arrival: microseconds since the epoch, then a counter for
    // mails written in the same microsecond.
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::string base = std::to_string(us) + "-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter_.fetch_add(1));
    std::string tmp = dir_ + "/." + base + ".tmp";
    std::string path = dir_ + "/" + base + ".eml";
    // The envelope, which the headers need not repeat (Bcc-like deliveries), as mail drops
    // record it.
    std::string text = "Return-Path: <" + from_address + ">\r\nDelivered-To: " + to + "\r\n" + mime;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      return {SendResult::Kind::Temporary, "cannot create " + tmp + ": " + std::strerror(errno)};
    }
    bool ok = write_all(fd, text) && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0 || !sync_dir(dir_)) {
      std::string why = std::strerror(errno);
      ::unlink(tmp.c_str());
      return {SendResult::Kind::Temporary, "cannot write " + path + ": " + why};
    }
    return {SendResult::Kind::Delivered, "written to " + path};
  }

  SendResult post(const std::string& url, const std::vector<MailHeader>& headers,
                  const std::string& body) override {
    return http_->post(url, headers, body);
  }

 private:
  std::string dir_;
  std::shared_ptr<Transport> http_;
  std::atomic<uint64_t> counter_{0};
};

}  // namespace

std::shared_ptr<Transport> make_mail_drop_transport(std::string dir,
                                                    std::shared_ptr<Transport> http) {
  return std::make_shared<MailDrop>(std::move(dir), std::move(http));
}

}  // namespace signoff::notify
