// What the functions service needs from the rest of Signoff, declared here and implemented in
// app/ (services never include each other): credentials for a function's role, a loopback
// listener serving the Lambda Runtime API to one worker, and somewhere to put log lines.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace signoff::functions {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" for long-term keys
  int64_t expiration_ms = 0;  // temporary credentials: when they expire (0: never)
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // The credentials a function running as role_arn gets in its environment. A worker pool is
  // rebuilt before temporary credentials expire.
  virtual Credentials for_role(const std::string& role_arn) = 0;
};

// One HTTP request to the Runtime API, as plain values (the listener owns the protocol).
struct RuntimeHttpRequest {
  std::string method;
  std::string path;  // without the query string
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  const std::string* header(const std::string& lower_name) const;
};

struct RuntimeHttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using RuntimeReply = std::function<void(RuntimeHttpResponse)>;
// Answers each request once, possibly later (GET /invocation/next is a long poll).
using RuntimeHttpHandler = std::function<void(RuntimeHttpRequest, RuntimeReply)>;

class RuntimeListener {
 public:
  virtual ~RuntimeListener() = default;
  // "127.0.0.1:PORT": the value of AWS_LAMBDA_RUNTIME_API.
  virtual std::string address() const = 0;
};

// One listener per worker: the port tells which worker is calling, whatever runtime client it
// uses, and a worker can never see another worker's invocations.
class RuntimeListenerFactory {
 public:
  virtual ~RuntimeListenerFactory() = default;
  // Throws std::runtime_error when no loopback port can be bound.
  virtual std::unique_ptr<RuntimeListener> listen(RuntimeHttpHandler handler) = 0;
};

struct LogLine {
  int64_t timestamp_ms = 0;
  std::string message;
};

// CloudWatch Logs, as far as functions need it.
class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void ensure_stream(const std::string& region, const std::string& group,
                             const std::string& stream) = 0;
  virtual void append(const std::string& region, const std::string& group,
                      const std::string& stream, std::vector<LogLine> lines) = 0;
};

}  // namespace signoff::functions
