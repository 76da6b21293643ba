// The Lambda Runtime API of one worker as a state machine, apart from any socket:
//
//   spawned ──GET next──▶ ready ──assign──▶ busy ──POST response|error──▶ ready ...
//      └──POST init/error──▶ failed                     (assign before GET next is queued)
//
// GET /2018-06-01/runtime/invocation/next is a long poll answered when an invocation is
// assigned; POST .../invocation/{id}/response and /error complete it; /init/error reports a
// failed initialization. Callbacks run outside the lock, on the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "functions/ports.h"

namespace signoff::functions {

struct Invocation {
  std::string request_id;
  std::string payload;  // JSON text
  int64_t deadline_ms = 0;
  std::string invoked_function_arn;
  std::string trace_id;
};

struct RuntimeResult {
  std::string request_id;
  bool function_error = false;  // POST .../error (or init/error)
  std::string payload;          // the response, or the error JSON
  std::string error_type;       // Lambda-Runtime-Function-Error-Type
};

struct RuntimeCallbacks {
  std::function<void()> on_first_poll;  // initialization finished
  std::function<void(RuntimeResult)> on_result;
  std::function<void(RuntimeResult)> on_init_error;
};

class RuntimeSession {
 public:
  explicit RuntimeSession(RuntimeCallbacks callbacks);

  // The HTTP side: one request of the worker's runtime.
  void handle(RuntimeHttpRequest request, RuntimeReply reply);

  // The service side. False when an invocation is already assigned and not finished.
  bool assign(Invocation invocation);
  // Ends the session: a pending poll is answered (so listeners can stop at once) and later
  // requests are refused.
  void close();
  bool initialized() const;

  // Response payloads larger than this fail as AWS's do.
  static constexpr size_t kMaxResponseBytes = 6u << 20;

 private:
  void next(RuntimeReply reply);
  void complete(const std::string& id, RuntimeHttpRequest& request, bool error, RuntimeReply reply);
  static RuntimeHttpResponse deliver(const Invocation& inv);

  RuntimeCallbacks callbacks_;
  mutable std::mutex mu_;
  bool polled_ = false;
  bool closed_ = false;
  std::optional<RuntimeReply> pending_poll_;
  std::optional<Invocation> current_;
  bool delivered_ = false;
};

}  // namespace signoff::functions
