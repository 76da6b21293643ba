#include "functions/runtime_api.h"

#include <cctype>

namespace signoff::functions {

namespace {

constexpr std::string_view kBase = "/2018-06-01/runtime";

RuntimeHttpResponse json_status(int status, std::string body) {
  RuntimeHttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

RuntimeHttpResponse accepted() {
  return json_status(202, R"({"status":"OK"})");
}

RuntimeHttpResponse invalid(std::string_view type, std::string_view message, int status = 400) {
  return json_status(status, std::string(R"({"errorMessage":")") + std::string(message) +
                                 R"(","errorType":")" + std::string(type) + "\"}");
}

}  // namespace

const std::string* RuntimeHttpRequest::header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == lower_name.size()) {
      bool same = true;
      for (size_t i = 0; i < k.size() && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(k[i])) == lower_name[i];
      }
      if (same) {
        return &v;
      }
    }
  }
  return nullptr;
}

RuntimeSession::RuntimeSession(RuntimeCallbacks callbacks) : callbacks_(std::move(callbacks)) {}

RuntimeHttpResponse RuntimeSession::deliver(const Invocation& inv) {
  RuntimeHttpResponse r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "application/json"});
  r.headers.push_back({"Lambda-Runtime-Aws-Request-Id", inv.request_id});
  r.headers.push_back({"Lambda-Runtime-Deadline-Ms", std::to_string(inv.deadline_ms)});
  r.headers.push_back({"Lambda-Runtime-Invoked-Function-Arn", inv.invoked_function_arn});
  if (!inv.trace_id.empty()) {
    r.headers.push_back({"Lambda-Runtime-Trace-Id", inv.trace_id});
  }
  r.body = inv.payload;
  return r;
}

void RuntimeSession::handle(RuntimeHttpRequest request, RuntimeReply reply) {
  std::string_view path = request.path;
  if (path.substr(0, kBase.size()) != kBase) {
    return reply(invalid("InvalidRequest", "Unknown path", 404));
  }
  path.remove_prefix(kBase.size());
  if (path == "/invocation/next" && request.method == "GET") {
    return next(std::move(reply));
  }
  if (path == "/init/error" && request.method == "POST") {
    RuntimeResult r;
    r.function_error = true;
    r.payload = request.body;
    if (const std::string* t = request.header("lambda-runtime-function-error-type")) {
      r.error_type = *t;
    }
    reply(accepted());
    if (callbacks_.on_init_error) {
      callbacks_.on_init_error(std::move(r));
    }
    return;
  }
  constexpr std::string_view kInv = "/invocation/";
  if (path.substr(0, kInv.size()) == kInv && request.method == "POST") {
    std::string_view rest = path.substr(kInv.size());
    size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
      std::string id(rest.substr(0, slash));
      std::string_view what = rest.substr(slash + 1);
      if (what == "response" || what == "error") {
        return complete(id, request, what == "error", std::move(reply));
      }
    }
  }
  reply(invalid("InvalidRequest", "Unknown path", 404));
}

void RuntimeSession::next(RuntimeReply reply) {
  bool first = false;
  std::optional<RuntimeHttpResponse> now;
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      now = invalid("Runtime.Shutdown", "The worker is shutting down", 410);
    } else if (current_ && delivered_) {
      now =
          invalid("InvalidStateTransition",
                  "State transition from Invoke to Ready is not allowed before the response", 403);
    } else {
      first = !polled_;
      polled_ = true;
      if (current_) {
        delivered_ = true;
        now = deliver(*current_);
      } else {
        pending_poll_ = std::move(reply);
      }
    }
  }
  if (now) {
    reply(std::move(*now));
  }
  if (first && callbacks_.on_first_poll) {
    callbacks_.on_first_poll();
  }
}

void RuntimeSession::complete(const std::string& id, RuntimeHttpRequest& request, bool error,
                              RuntimeReply reply) {
  RuntimeResult result;
  {
    std::lock_guard lock(mu_);
    if (!current_ || !delivered_ || current_->request_id != id) {
      return reply(invalid("InvalidRequestID", "Invalid request ID"));
    }
    result.request_id = id;
    result.function_error = error;
    if (error) {
      result.payload = request.body;
      if (const std::string* t = request.header("lambda-runtime-function-error-type")) {
        result.error_type = *t;
      }
    } else if (request.body.size() > kMaxResponseBytes) {
      result.function_error = true;
      result.error_type = "Function.ResponseSizeTooLarge";
      result.payload =
          R"({"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"})";
    } else {
      result.payload = std::move(request.body);
    }
    current_.reset();
    delivered_ = false;
  }
  reply(accepted());
  if (callbacks_.on_result) {
    callbacks_.on_result(std::move(result));
  }
}

bool RuntimeSession::assign(Invocation invocation) {
  std::optional<RuntimeReply> poll;
  RuntimeHttpResponse response;
  {
    std::lock_guard lock(mu_);
    if (closed_ || current_) {
      return false;
    }
    current_ = std::move(invocation);
    if (pending_poll_) {
      poll = std::move(pending_poll_);
      pending_poll_.reset();
      delivered_ = true;
      response = deliver(*current_);
    }
  }
  if (poll) {
    (*poll)(std::move(response));
  }
  return true;
}

void RuntimeSession::close() {
  std::optional<RuntimeReply> poll;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    poll = std::move(pending_poll_);
    pending_poll_.reset();
  }
  if (poll) {
    (*poll)(invalid("Runtime.Shutdown", "The worker is shutting down", 410));
  }
}

bool RuntimeSession::initialized() const {
  std::lock_guard lock(mu_);
  return polled_;
}

}  // namespace signoff::functions
