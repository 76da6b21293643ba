// The server over real sockets (port 0): keep-alive and pipelining, answers from other threads,
// limits, malformed input, 100-continue and stopping with a request in flight.
#include "api/http/server.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace signoff::api {
namespace {

using namespace std::chrono_literals;

class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One whole response (status line, headers, Content-Length body), or "" on EOF/timeout.
  std::string read_response() {
    while (true) {
      size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        size_t at = buffer_.find("Content-Length: ");
        if (at != std::string::npos && at < end) {
          length = std::stoul(buffer_.substr(at + 16));
        }
        if (buffer_.size() >= end + 4 + length) {
          std::string out = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return out;
        }
      }
      if (!fill()) {
        return {};
      }
    }
  }

  // Whether the server closed the connection (EOF before any further byte).
  bool closed_by_server() { return buffer_.empty() && !fill() && eof_; }

 private:
  bool fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof_ = n == 0;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

std::string body_of(const std::string& response) {
  size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

std::string post(std::string_view path, std::string_view body, std::string_view extra = "") {
  std::string r = "POST ";
  r += path;
  r += " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  r += extra;
  r += "\r\n";
  r += body;
  return r;
}

// Echoes "<method> <path>?<query> <body>"; "/slow" answers 150 ms later from another thread.
Handler echo_handler(std::vector<std::thread>* workers, std::mutex* mutex) {
  return [workers, mutex](HttpRequest&& request, Responder respond) {
    HttpResponse response;
    response.body = request.method + " " + request.path + "?" + request.query + " " + request.body;
    response.set_header("Content-Type", "text/plain");
    if (request.path == "/slow") {
      std::lock_guard lock(*mutex);
      workers->emplace_back([respond, response]() mutable {
        std::this_thread::sleep_for(150ms);
        respond(std::move(response));
      });
      return;
    }
    if (request.path == "/drop") {
      return;  // never answers; the responder is destroyed here
    }
    if (request.path == "/throw") {
      throw std::runtime_error("handler bug");
    }
    respond(std::move(response));
  };
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.threads = 2;
    server_ = std::make_unique<HttpServer>(options, echo_handler(&workers_, &mutex_));
    server_->start();
  }
  void TearDown() override {
    if (server_) {
      server_->stop();
    }
    for (auto& t : workers_) {
      t.join();
    }
  }
  std::unique_ptr<HttpServer> server_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
};

TEST_F(ServerTest, KeepAliveAnswersSeveralRequestsOnOneConnection) {
  start();
  ASSERT_NE(server_->port(), 0);
  Client c(server_->port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    c.send(post("/a?x=%20" + std::to_string(i), "body" + std::to_string(i)));
    std::string r = c.read_response();
    EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
    EXPECT_NE(r.find("\r\nDate: "), std::string::npos);
    EXPECT_EQ(r.find("Connection: close"), std::string::npos);
    EXPECT_EQ(body_of(r), "POST /a?x=%20" + std::to_string(i) + " body" + std::to_string(i));
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  Client c(server_->port());
  // The first answer comes later from another thread; the second must still come second.
  c.send(post("/slow", "1") + post("/fast", "2") + post("/fast", "3"));
  EXPECT_EQ(body_of(c.read_response()), "POST /slow? 1");
  EXPECT_EQ(body_of(c.read_response()), "POST /fast? 2");
  EXPECT_EQ(body_of(c.read_response()), "POST /fast? 3");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  start();
  Client c(server_->port());
  c.send(post("/a", "", "Connection: close\r\n"));
  std::string r = c.read_response();
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, BodyOverTheLimitIs413) {
  start({.max_body_bytes = 1024});
  {
    Client c(server_->port());
    c.send(post("/a", std::string(5000, 'x')));
    std::string r = c.read_response();
    EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
    EXPECT_NE(body_of(r).find("\"__type\":\"RequestEntityTooLargeException\""), std::string::npos);
    EXPECT_NE(r.find("Connection: close"), std::string::npos);
  }
  {
    // Chunked: the size is only known while reading.
    Client c(server_->port());
    std::string chunk(800, 'y');
    c.send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
           "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
    EXPECT_EQ(c.read_response().rfind("HTTP/1.1 413", 0), 0u);
  }
  {
    // The client keeps sending a large body after the 413; it must still read the answer (the
    // server drains instead of resetting the connection).
    Client c(server_->port());
    c.send(post("/a", std::string(4 << 20, 'w')));
    EXPECT_EQ(c.read_response().rfind("HTTP/1.1 413", 0), 0u);
  }
  {
    Client c(server_->port());
    c.send(post("/a", std::string(1024, 'z')));
    EXPECT_EQ(c.read_response().rfind("HTTP/1.1 200", 0), 0u);  // exactly the limit is fine
  }
}

TEST_F(ServerTest, MalformedRequestsAre400AndClose) {
  start();
  const char* inputs[] = {
      "GARBAGE\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "POST / HTTP/9.9\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
  };
  for (const char* input : inputs) {
    SCOPED_TRACE(input);
    Client c(server_->port());
    c.send(input);
    std::string r = c.read_response();
    EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
    EXPECT_TRUE(c.closed_by_server());
  }
  Client oversized(server_->port());
  oversized.send("GET / HTTP/1.1\r\nX: " + std::string(70000, 'h') + "\r\n\r\n");
  EXPECT_EQ(oversized.read_response().rfind("HTTP/1.1 431", 0), 0u);
  // Still serving.
  Client c(server_->port());
  c.send(post("/a", "ok"));
  EXPECT_EQ(body_of(c.read_response()), "POST /a? ok");
}

TEST_F(ServerTest, ExpectContinue) {
  start();
  Client c(server_->port());
  c.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = c.read_response();
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue", 0), 0u) << interim;
  c.send("data");
  EXPECT_EQ(body_of(c.read_response()), "POST /big? data");
}

TEST_F(ServerTest, HandlerThatThrowsOrDropsTheResponder) {
  start();
  {
    Client c(server_->port());
    c.send(post("/throw", ""));
    EXPECT_EQ(c.read_response().rfind("HTTP/1.1 500", 0), 0u);
    c.send(post("/a", "after"));
    EXPECT_EQ(body_of(c.read_response()), "POST /a? after");
  }
  {
    Client c(server_->port());
    c.send(post("/drop", ""));
    EXPECT_TRUE(c.closed_by_server());  // closed rather than left hanging
  }
}

TEST_F(ServerTest, StopWaitsForARequestInFlight) {
  start();
  Client c(server_->port());
  c.send(post("/slow", "inflight"));
  std::this_thread::sleep_for(30ms);  // the handler has the request
  auto begin = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 3s);
  std::string r = c.read_response();
  EXPECT_EQ(body_of(r), "POST /slow? inflight");
  EXPECT_NE(r.find("Connection: close"), std::string::npos);
  Client late(server_->port());
  EXPECT_FALSE(late.connected());
}

TEST_F(ServerTest, IdleConnectionsAreClosed) {
  start({.idle_timeout_seconds = 1});
  Client c(server_->port());
  c.send(post("/a", ""));
  c.read_response();
  EXPECT_TRUE(c.closed_by_server());  // after about a second of silence
}

TEST(Server, BindFailureThrows) {
  HttpServer a({.port = 0}, [](HttpRequest&&, Responder) {});
  a.start();
  HttpServer b({.port = a.port()}, [](HttpRequest&&, Responder) {});
  EXPECT_THROW(b.start(), std::runtime_error);
  HttpServer c({.address = "not-an-address"}, [](HttpRequest&&, Responder) {});
  EXPECT_THROW(c.start(), std::runtime_error);
}

}  // namespace
}  // namespace signoff::api
