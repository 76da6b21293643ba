// The HTTP/1.1 server (Boost.Beast): keep-alive, a thread pool sized to the cores, request size
// limits, graceful shutdown. Beast stays inside src/api/http/*.cc; callers see only message.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http/message.h"

namespace signoff::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;     // 0: any free port (tests)
  unsigned threads = 0;  // 0: one per core
  size_t max_body_bytes = 64u << 20;
  unsigned idle_timeout_seconds = 120;  // keep-alive connections idle longer are closed
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();  // stops if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting on the pool's threads; throws std::runtime_error when the address
  // cannot be bound.
  void start();
  // The bound port (useful with port 0).
  uint16_t port() const;
  // Stops accepting, lets in-flight requests answer (up to a grace period), closes connections
  // and joins the threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::api
