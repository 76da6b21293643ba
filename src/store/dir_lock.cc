#include "store/dir_lock.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/store.h"

namespace signoff::store {

namespace {

std::string read_holder(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
    pid.pop_back();
  }
  return pid;
}

}  // namespace

DirLock::DirLock(const std::string& dir) {
  const std::string path = dir + "/signoff.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw StoreError("cannot open lock file " + path + ": " + std::strerror(errno));
  }
  // flock locks belong to the open file description, so a second open in this same process
  // conflicts too, and the kernel drops the lock when the holder dies.
  int rc;
  do {
    rc = ::flock(fd_, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    std::string holder = read_holder(fd_);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) {
      throw StoreError("store " + dir + " is already in use by another signoff server" +
                       (holder.empty() ? std::string() : " (pid " + holder + ")") +
                       "; stop it or choose another data directory");
    }
    throw StoreError("cannot lock " + path + ": " + std::strerror(err));
  }
  // The pid is only a hint for the message above; failing to record it is harmless.
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] ssize_t n = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

DirLock::~DirLock() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

}  // namespace signoff::store
