// What every service's API file shares: domain errors as AWS errors, and a pool of threads for
// operations that wait on the store, so the I/O threads never block on a commit.
#pragma once

#include "api/aws_error.h"
#include "common/result.h"
#include "common/worker_pool.h"

namespace signoff::api {

inline AwsError to_aws(const signoff::Error& e) {
  return AwsError{e.status, e.type, e.message};
}

// The pool for operations that wait on the store (many threads on purpose: they are what fills
// a group commit).
using BlockingPool = WorkerPool;

// Runs fn on the pool; an exception escaping it becomes a 500 for the waiting client instead
// of a reply that never comes.
template <typename ReplyT, typename F>
void offload(BlockingPool& pool, ReplyT reply, F fn) {
  pool.post([reply, fn = std::move(fn)]() mutable {
    try {
      fn();
    } catch (const std::exception& e) {
      reply.fail(internal_failure(e.what()));
    }
  });
}

// The shape of every writing operation: run call() on the pool, answer render(value), or the
// call's domain error as the AWS error.
template <typename ReplyT, typename Call, typename Render>
void offload_call(BlockingPool& pool, ReplyT reply, Call call, Render render) {
  offload(pool, reply, [reply, call = std::move(call), render = std::move(render)] {
    auto res = call();
    if (!res.ok()) {
      return reply.fail(to_aws(res.error()));
    }
    reply.ok(render(res.value()));
  });
}

}  // namespace signoff::api
