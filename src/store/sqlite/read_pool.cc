#include "store/sqlite/read_pool.h"

namespace signoff::store::sqlite {

namespace {

// Connections kept idle beyond this are closed: a burst of readers should not pin file handles
// and page caches forever.
constexpr size_t kMaxIdle = 16;

}  // namespace

ReadPool::Lease ReadPool::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Db> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  return Lease(*this, std::make_unique<Db>(path_, Db::Role::Reader));
}

void ReadPool::release(std::unique_ptr<Db> db) {
  std::lock_guard lock(mu_);
  if (idle_.size() < kMaxIdle) {
    idle_.push_back(std::move(db));
  }
}

}  // namespace signoff::store::sqlite
