// Streaming responses (server-sent events) over real sockets: head without a length, writes from
// another thread in order, the writer closing, the client leaving, and the server stopping with a
// stream open (it neither waits for it nor leaves it open).
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "api/http/server.h"

namespace signoff::api {
namespace {

using namespace std::chrono_literals;

int connect_to(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

// Everything until EOF (or the 5 s receive timeout).
std::string read_all(int fd) {
  std::string out;
  char chunk[4096];
  while (true) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return out;
    }
    out.append(chunk, static_cast<size_t>(n));
  }
}

std::string read_until(int fd, std::string_view marker) {
  std::string out;
  char chunk[4096];
  while (out.find(marker) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      break;
    }
    out.append(chunk, static_cast<size_t>(n));
  }
  return out;
}

void send_get(int fd, std::string_view path) {
  std::string r = "GET " + std::string(path) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ::send(fd, r.data(), r.size(), MSG_NOSIGNAL);
}

struct Fixture {
  std::mutex mu;
  std::shared_ptr<BodyStream> held;
  std::vector<std::thread> threads;
  std::unique_ptr<HttpServer> server;

  void start() {
    server = std::make_unique<HttpServer>(
        ServerOptions{.threads = 2}, [this](HttpRequest&& request, Responder respond) {
          HttpResponse r;
          r.set_header("Content-Type", "text/event-stream");
          std::string path = request.path;
          r.stream = [this, path](std::shared_ptr<BodyStream> body) {
            if (path == "/three") {
              // Written from another thread, then closed by the writer.
              std::lock_guard lock(mu);
              threads.emplace_back([body] {
                for (int i = 1; i <= 3; ++i) {
                  body->write("data: " + std::to_string(i) + "\n\n");
                }
                body->close();
              });
              return;
            }
            body->write(": open\n\n");
            std::lock_guard lock(mu);
            held = body;  // kept open until someone leaves
          };
          respond(std::move(r));
        });
    server->start();
  }
  ~Fixture() {
    server->stop();
    for (auto& t : threads) {
      t.join();
    }
  }
};

TEST(ServerStream, HeadThenWritesInOrderThenWriterCloses) {
  Fixture f;
  f.start();
  int fd = connect_to(f.server->port());
  send_get(fd, "/three");
  std::string all = read_all(fd);
  ::close(fd);
  EXPECT_NE(all.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << all;
  EXPECT_NE(all.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(all.find("Connection: close"), std::string::npos);
  EXPECT_EQ(all.find("Content-Length"), std::string::npos);
  EXPECT_NE(all.find("\r\n\r\ndata: 1\n\ndata: 2\n\ndata: 3\n\n"), std::string::npos) << all;
}

TEST(ServerStream, ClientLeavingClosesTheStream) {
  Fixture f;
  f.start();
  int fd = connect_to(f.server->port());
  send_get(fd, "/open");
  read_until(fd, ": open");
  ::close(fd);
  std::shared_ptr<BodyStream> body;
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(f.mu);
      body = f.held;
    }
    if (body && !body->is_open()) {
      break;
    }
    if (body) {
      body->write(": ping\n\n");  // a write is what notices a reset peer at the latest
    }
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(body);
  EXPECT_FALSE(body->is_open());
  EXPECT_FALSE(body->write("data: late\n\n"));
}

TEST(ServerStream, StopDoesNotWaitForAnOpenStreamAndClosesIt) {
  Fixture f;
  f.start();
  int fd = connect_to(f.server->port());
  send_get(fd, "/open");
  read_until(fd, ": open");
  auto begin = std::chrono::steady_clock::now();
  f.server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  read_all(fd);  // returns: the server closed the connection
  ::close(fd);
  std::lock_guard lock(f.mu);
  ASSERT_TRUE(f.held);
  EXPECT_FALSE(f.held->is_open());
  EXPECT_FALSE(f.held->write("data: after stop\n\n"));
}

}  // namespace
}  // namespace signoff::api
