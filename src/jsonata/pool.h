// Per-thread free lists for the evaluator's small, short-lived blocks (sequence buffers, the
// control blocks of containers, frames and closures).
//
// Why: an evaluation allocates and frees thousands of blocks of a handful of sizes, often in
// bursts (a sequence of 256 items released at once). glibc's tcache keeps only 7 blocks per size,
// so most frees of a burst went through _int_free and the next allocations through _int_malloc
// (together 10–15% of every profile). These lists keep up to kPoolKeep blocks per size class
// (larger blocks go to malloc).
//
// Every block is an ordinary malloc'd chunk, so a block freed on another thread than the one that
// allocated it (a value kept by a library Env) simply joins that thread's list; the lists are
// returned to malloc when their thread exits.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

namespace signoff::jsonata {

namespace pool_detail {

inline constexpr size_t kGranule = 16;
inline constexpr size_t kClasses = 16;       // blocks up to 256 bytes
inline constexpr unsigned kPoolKeep = 1024;  // at most ~2 MiB kept per thread

struct FreeBlock {
  FreeBlock* next;
};

struct Lists {
  FreeBlock* head[kClasses] = {};
  unsigned count[kClasses] = {};
  ~Lists();
};

// Set by ~Lists: blocks freed later on this thread (static destructors at exit) go to free().
inline thread_local bool t_lists_dead = false;
inline thread_local Lists t_lists;

inline Lists* lists() noexcept {
  return t_lists_dead ? nullptr : &t_lists;
}

inline size_t class_of(size_t bytes) {
  return (bytes + kGranule - 1) / kGranule - 1;
}

}  // namespace pool_detail

inline void* pool_alloc(size_t bytes) {
  using namespace pool_detail;
  size_t c = class_of(bytes);
  if (c < kClasses) {
    if (Lists* l = lists(); l != nullptr && l->head[c] != nullptr) {
      FreeBlock* b = l->head[c];
      l->head[c] = b->next;
      --l->count[c];
      return b;
    }
    bytes = (c + 1) * kGranule;  // the block may be reused for any request of its class
  }
  void* p = std::malloc(bytes);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}

inline void pool_free(void* p, size_t bytes) noexcept {
  using namespace pool_detail;
  size_t c = class_of(bytes);
  if (c < kClasses) {
    if (Lists* l = lists(); l != nullptr && l->count[c] < kPoolKeep) {
      auto* b = static_cast<FreeBlock*>(p);
      b->next = l->head[c];
      l->head[c] = b;
      ++l->count[c];
      return;
    }
  }
  std::free(p);
}

// Standard allocator over the pool (for std::vector and std::allocate_shared).
template <typename T>
struct PoolAlloc {
  using value_type = T;
  PoolAlloc() noexcept = default;
  template <typename U>
  PoolAlloc(const PoolAlloc<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(size_t n) { return static_cast<T*>(pool_alloc(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { pool_free(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const PoolAlloc<U>&) const noexcept {
    return true;
  }
};

}  // namespace signoff::jsonata
