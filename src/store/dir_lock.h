// An exclusive lock on a data directory, so two servers never write one store.
#pragma once

#include <string>

namespace signoff::store {

class DirLock {
 public:
  // Creates DIR/signoff.lock when missing and locks it (flock, non-blocking). Throws StoreError
  // naming the holder's pid when another process, or another open store in this process, holds
  // it.
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace signoff::store
