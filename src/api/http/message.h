// HTTP messages as the rest of the edge sees them: plain values, no Beast types, so routing,
// protocol decoding and every service handler are testable without a socket.
#pragma once

#include <cstdint>
#include <functional>
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

struct HttpResponse {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  void set_header(std::string_view name, std::string_view value);
};

// Handlers answer through the responder exactly once, from any thread and at any later time (a
// long poll such as GetActivityTask answers when work arrives or its wait ends).
using Responder = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest&& request, Responder respond)>;

}  // namespace signoff::api
