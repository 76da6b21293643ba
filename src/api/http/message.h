// HTTP messages as the rest of the edge sees them: plain values, no Beast types, so routing,
// protocol decoding and every service handler are testable without a socket.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::api {

struct Header {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query, still percent-encoded
  std::string path;    // target up to '?', still percent-encoded
  std::string query;   // after '?', still percent-encoded; "" when none
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1" or "::1"

  // The first header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

// The body of a streaming response (server-sent events), written while the connection stays
// open. Thread-safe; writes are sent in order.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Queues bytes for the client; false once the connection is gone (the client left, the writer
  // closed it, or the server is stopping), after which the writer should let go of the stream.
  virtual bool write(std::string data) = 0;
  virtual bool is_open() const = 0;
  // Ends the response: what was queued is sent, then the connection is closed.
  virtual void close() = 0;
};

struct HttpResponse {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  // When set, `body` is ignored: the server sends status and headers without a length
  // (Connection: close), then calls `stream` once with the open body. The connection does not
  // count as in flight after that, so stopping the server does not wait for it.
  std::function<void(std::shared_ptr<BodyStream>)> stream;

  void set_header(std::string_view name, std::string_view value);
};

// Handlers answer through the responder exactly once, from any thread and at any later time (a
// long poll such as GetActivityTask answers when work arrives or its wait ends).
using Responder = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest&& request, Responder respond)>;

}  // namespace signoff::api
