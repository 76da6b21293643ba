// One Session per connection, all of its work on its own strand. A session reads one request,
// hands it to the handler and reads the next only after the answer is written, so pipelined
// requests are answered in order without a queue. The handler answers through a Responder that
// may run on any thread: it posts the write back onto the session's strand.
//
// Lifetimes: sessions own themselves (self_) while they wait for a handler, so no pending
// operation is needed to keep them alive; Responders hold only weak references plus the
// server's Shared block, whose `stopped` flag (set after the threads are joined) stops late
// Responders from posting to an io_context that is going away.
#include "api/http/server.h"

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace signoff::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr size_t kHeaderLimit = 64 * 1024;
constexpr auto kStopGrace = std::chrono::seconds(5);

// What outlives the server's io_context: late Responders consult it before posting.
struct Shared {
  std::mutex mutex;
  bool stopped = false;               // guarded by mutex
  std::atomic<bool> stopping{false};  // read by I/O threads deciding keep-alive
  size_t in_flight = 0;  // requests handed to the handler whose answer is not yet written
  std::condition_variable idle;

  void begin() {
    std::lock_guard lock(mutex);
    ++in_flight;
  }
  void end() {
    std::lock_guard lock(mutex);
    if (--in_flight == 0) {
      idle.notify_all();
    }
  }
};

// Counts one in-flight request until destroyed: moved from the Responder into the write, so the
// count drops when the answer is on the wire or has been dropped.
class InFlight {
 public:
  explicit InFlight(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {
    shared_->begin();
  }
  InFlight(InFlight&&) noexcept = default;
  InFlight& operator=(InFlight&&) = delete;
  InFlight(const InFlight&) = delete;
  ~InFlight() {
    if (shared_) {
      shared_->end();
    }
  }

 private:
  std::shared_ptr<Shared> shared_;
};

void append_two(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

// RFC 9110 IMF-fixdate, built by hand because strftime's names follow the locale.
std::string http_date() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::string out;
  out.reserve(29);
  out += kDays[tm.tm_wday];
  out += ", ";
  append_two(out, tm.tm_mday);
  out += ' ';
  out += kMonths[tm.tm_mon];
  out += ' ';
  out += std::to_string(tm.tm_year + 1900);
  out += ' ';
  append_two(out, tm.tm_hour);
  out += ':';
  append_two(out, tm.tm_min);
  out += ':';
  append_two(out, tm.tm_sec);
  out += " GMT";
  return out;
}

HttpResponse edge_error(int status, std::string_view type, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = "{\"__type\":\"";
  r.body += type;
  r.body += "\",\"message\":\"";
  r.body += message;  // fixed texts only: nothing from the request is echoed here
  r.body += "\"}";
  r.set_header("Content-Type", "application/json");
  return r;
}

class Session;

struct ServerState {
  ServerOptions options;
  Handler handler;
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerState& state) : stream_(std::move(socket)), state_(state) {
    boost::system::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      remote_ = endpoint.address().to_string();
    }
  }

  void start() {
    {
      std::lock_guard lock(state_.sessions_mutex);
      state_.sessions.emplace(this, weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  ~Session() {
    std::lock_guard lock(state_.sessions_mutex);
    state_.sessions.erase(this);
  }

  // From stop(): closes the connection whatever it is doing.
  void shut() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->closed_ = true;
      self->self_.reset();
      if (self->stream_body_) {
        self->stream_body_->open = false;
      }
      boost::system::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    });
  }

 private:
  void read_header() {
    if (closed_) {
      return;
    }
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(state_.options.max_body_bytes);
    stream_.expires_after(std::chrono::seconds(state_.options.idle_timeout_seconds));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) {
      fail_read(ec);
      return;
    }
    auto& req = parser_->get();
    auto length = parser_->content_length();
    if (length && *length > state_.options.max_body_bytes) {
      reply_and_close(too_large());
      return;
    }
    auto expect = req.find(http::field::expect);
    if (expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
      // The AWS CLI waits (about a second) for this before sending a large body.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec) {
                            self->close();
                            return;
                          }
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(std::chrono::seconds(state_.options.idle_timeout_seconds));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec) {
      fail_read(ec);
      return;
    }
    stream_.expires_never();  // a handler may take long (long polls); no idle timer meanwhile
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    head_ = req.method() == http::verb::head;
    version_ = req.version();

    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    size_t q = request.target.find('?');
    request.path = request.target.substr(0, q);
    request.query = q == std::string::npos ? std::string() : request.target.substr(q + 1);
    request.headers.reserve(static_cast<size_t>(std::distance(req.begin(), req.end())));
    for (const auto& field : req) {
      request.headers.push_back(
          Header{std::string(field.name_string()), std::string(field.value())});
    }
    request.body = std::move(req.body());
    request.remote_address = remote_;
    parser_.reset();

    dispatch_to_handler(std::move(request));
  }

  // One answer per request: a Responder's state, shared by its copies.
  struct Reply {
    std::weak_ptr<Session> session;
    std::shared_ptr<Shared> shared;
    uint64_t seq = 0;
    std::optional<InFlight> ticket;
    std::atomic<bool> answered{false};

    // Dropped without an answer (a handler bug): close the connection instead of leaving the
    // client waiting forever.
    ~Reply() {
      if (answered.load()) {
        return;
      }
      std::lock_guard lock(shared->mutex);
      if (auto s = shared->stopped ? nullptr : session.lock()) {
        asio::post(s->stream_.get_executor(), [s, seq = seq] {
          if (s->awaiting_ == seq) {
            s->close();
          }
        });
      }
    }
  };

  void dispatch_to_handler(HttpRequest&& request) {
    self_ = shared_from_this();
    uint64_t seq = awaiting_ = ++seq_;
    auto reply = std::make_shared<Reply>();
    reply->session = weak_from_this();
    reply->shared = state_.shared;
    reply->seq = seq;
    reply->ticket.emplace(state_.shared);
    Responder respond = [reply](HttpResponse response) {
      if (reply->answered.exchange(true)) {
        return;  // answered twice: the first answer stands
      }
      std::lock_guard lock(reply->shared->mutex);
      if (reply->shared->stopped) {
        return;
      }
      auto session = reply->session.lock();
      if (!session) {
        return;
      }
      auto executor = session->stream_.get_executor();
      asio::post(executor, [session = std::move(session), response = std::move(response),
                            seq = reply->seq, ticket = std::move(*reply->ticket)]() mutable {
        session->write(std::move(response), seq, std::move(ticket));
      });
    };
    try {
      state_.handler(std::move(request), std::move(respond));
    } catch (const std::exception&) {
      // The handler should have turned this into an AWS error itself; answer rather than hang.
      reply->answered = true;
      write(edge_error(500, "InternalFailure", "The server failed to handle the request"), seq,
            std::nullopt);
    }
  }

  void write(HttpResponse response, uint64_t seq, std::optional<InFlight> ticket) {
    if (closed_ || seq != awaiting_) {
      return;  // the connection is gone, or this request was already answered
    }
    awaiting_ = 0;
    self_.reset();
    if (response.stream) {
      start_stream(std::move(response), std::move(ticket));
      return;
    }
    bool keep_alive = keep_alive_ && !state_.shared->stopping;
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(response.status));
    for (auto& h : response.headers) {
      res->insert(h.name, h.value);
    }
    if (res->find(http::field::date) == res->end()) {
      res->set(http::field::date, http_date());
    }
    res->set(http::field::server, "signoff");
    size_t body_size = response.body.size();
    if (!head_) {
      res->body() = std::move(response.body);
    }
    res->content_length(body_size);
    res->keep_alive(keep_alive);
    auto holder = std::make_shared<std::optional<InFlight>>(std::move(ticket));
    stream_.expires_after(std::chrono::seconds(state_.options.idle_timeout_seconds));
    http::async_write(
        stream_, *res,
        [self = shared_from_this(), res, holder, keep_alive](beast::error_code ec, size_t) {
          holder->reset();
          if (ec) {
            self->close();
          } else if (!keep_alive) {
            self->linger_close();
          } else {
            self->read_header();
          }
        });
  }

  // A streaming response: the head now, then whatever the writer queues, until one side closes.
  struct Stream final : BodyStream {
    std::weak_ptr<Session> session;
    std::shared_ptr<Shared> shared;
    std::atomic<bool> open{true};

    bool write(std::string data) override {
      if (!open.load()) {
        return false;
      }
      std::lock_guard lock(shared->mutex);
      auto s = shared->stopped ? nullptr : session.lock();
      if (!s) {
        open = false;
        return false;
      }
      asio::post(s->stream_.get_executor(),
                 [s, data = std::move(data)]() mutable { s->stream_send(std::move(data)); });
      return true;
    }
    bool is_open() const override { return open.load(); }
    void close() override {
      if (!open.exchange(false)) {
        return;
      }
      std::lock_guard lock(shared->mutex);
      if (auto s = shared->stopped ? nullptr : session.lock()) {
        asio::post(s->stream_.get_executor(), [s] {
          s->stream_closing_ = true;
          if (!s->stream_writing_) {
            s->close();
          }
        });
      }
    }
  };

  void start_stream(HttpResponse response, std::optional<InFlight> ticket) {
    auto head = std::make_shared<http::response<http::empty_body>>();
    head->version(version_);
    head->result(static_cast<unsigned>(response.status));
    for (auto& h : response.headers) {
      head->insert(h.name, h.value);
    }
    head->set(http::field::date, http_date());
    head->set(http::field::server, "signoff");
    head->keep_alive(false);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*head);
    auto holder = std::make_shared<std::optional<InFlight>>(std::move(ticket));
    stream_body_ = std::make_shared<Stream>();
    stream_body_->session = weak_from_this();
    stream_body_->shared = state_.shared;
    stream_.expires_never();  // an event stream is quiet for long stretches; the writer pings
    http::async_write_header(
        stream_, *serializer,
        [self = shared_from_this(), head, serializer, holder, open = std::move(response.stream)](
            beast::error_code ec, size_t) {
          holder->reset();  // no longer in flight: stop() need not wait for a stream
          if (ec) {
            self->close();
            return;
          }
          self->watch_stream_peer();
          try {
            open(self->stream_body_);
          } catch (const std::exception&) {
            self->close();
          }
        });
  }

  // The client sends nothing on an event stream; a read that ends means it went away.
  void watch_stream_peer() {
    if (closed_) {
      return;
    }
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                self->close();
                                return;
                              }
                              self->watch_stream_peer();
                            });
  }

  void stream_send(std::string data) {
    if (closed_) {
      return;
    }
    stream_queue_.push_back(std::move(data));
    if (!stream_writing_) {
      stream_next();
    }
  }

  void stream_next() {
    if (stream_queue_.empty()) {
      stream_writing_ = false;
      if (stream_closing_) {
        close();
      }
      return;
    }
    stream_writing_ = true;
    auto chunk = std::make_shared<std::string>(std::move(stream_queue_.front()));
    stream_queue_.pop_front();
    asio::async_write(stream_, asio::buffer(*chunk),
                      [self = shared_from_this(), chunk](beast::error_code ec, size_t) {
                        if (ec) {
                          self->close();
                          return;
                        }
                        self->stream_next();
                      });
  }

  void fail_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      reply_and_close(too_large());
      return;
    }
    if (ec == http::error::header_limit) {
      reply_and_close(
          edge_error(431, "RequestHeaderFieldsTooLarge", "Request header fields are too large"));
      return;
    }
    if (ec.category() == beast::error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      // A malformed request: answer 400 and close, the stream cannot be resynchronized.
      reply_and_close(edge_error(400, "BadRequest", "Malformed HTTP request"));
      return;
    }
    close();  // end of stream, timeout, reset: nothing to answer
  }

  HttpResponse too_large() const {
    return edge_error(
        413, "RequestEntityTooLargeException",
        "Request must be smaller than " + std::to_string(state_.options.max_body_bytes) + " bytes");
  }

  void reply_and_close(HttpResponse response) {
    keep_alive_ = false;
    head_ = false;
    parser_.reset();
    uint64_t seq = awaiting_ = ++seq_;
    write(std::move(response), seq, std::nullopt);
  }

  // Closing while the client is still sending (an oversized or malformed request) makes the kernel
  // answer with RST, which can destroy our response before the client reads it; so stop sending,
  // then read and discard for a short while before closing.
  void linger_close() {
    if (closed_) {
      return;
    }
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    drain();
  }

  void drain() {
    if (closed_) {
      return;
    }
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                self->close();
                                return;
                              }
                              self->drain();
                            });
  }

  void close() {
    if (closed_) {
      return;
    }
    closed_ = true;
    self_.reset();
    if (stream_body_) {
      stream_body_->open = false;
    }
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  ServerState& state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  std::shared_ptr<Session> self_;  // set while the handler holds the request
  std::array<char, 4096> drain_buffer_{};
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool head_ = false;
  uint64_t seq_ = 0;       // requests read so far
  uint64_t awaiting_ = 0;  // the request whose answer is awaited; 0 when none
  bool closed_ = false;
  // A streaming response, once started.
  std::shared_ptr<Stream> stream_body_;
  std::deque<std::string> stream_queue_;
  bool stream_writing_ = false;
  bool stream_closing_ = false;
};

}  // namespace

struct HttpServer::Impl {
  ServerState state;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor{asio::make_strand(io)};
  asio::steady_timer accept_retry{acceptor.get_executor()};
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool running = false;

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) {
          return;  // stopped
        }
        // Running out of descriptors must not stop the server: try again shortly (at once would
        // spin, as the error repeats until a connection closes).
        accept_retry.expires_after(std::chrono::milliseconds(100));
        accept_retry.async_wait([this](beast::error_code wec) {
          if (!wec && acceptor.is_open()) {
            accept();
          }
        });
        return;
      }
      std::make_shared<Session>(std::move(socket), state)->start();
      accept();
    });
  }
};

HttpServer::HttpServer(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->state.options = std::move(options);
  impl_->state.handler = std::move(handler);
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  Impl& im = *impl_;
  if (im.running) {
    return;
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(im.state.options.address, ec);
  if (ec) {
    throw std::runtime_error("invalid listen address '" + im.state.options.address +
                             "': " + ec.message());
  }
  tcp::endpoint endpoint(address, im.state.options.port);
  im.acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    im.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    im.acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    im.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    boost::system::error_code ignored;
    im.acceptor.close(ignored);
    throw std::runtime_error("cannot listen on " + im.state.options.address + ":" +
                             std::to_string(im.state.options.port) + ": " + ec.message());
  }
  im.port = im.acceptor.local_endpoint().port();
  im.work.emplace(im.io.get_executor());
  im.accept();
  unsigned n = im.state.options.threads;
  if (n == 0) {
    n = std::max(1u, std::thread::hardware_concurrency());
  }
  for (unsigned i = 0; i < n; ++i) {
    im.threads.emplace_back([&im] { im.io.run(); });
  }
  im.running = true;
}

uint16_t HttpServer::port() const {
  return impl_->port;
}

void HttpServer::stop() {
  Impl& im = *impl_;
  if (!im.running) {
    return;
  }
  im.running = false;
  auto shared = im.state.shared;
  shared->stopping = true;
  asio::post(im.acceptor.get_executor(), [&im] {
    boost::system::error_code ec;
    im.acceptor.close(ec);
    im.accept_retry.cancel();
  });
  {
    std::unique_lock lock(shared->mutex);
    shared->idle.wait_for(lock, kStopGrace, [&] { return shared->in_flight == 0; });
  }
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(im.state.sessions_mutex);
    for (auto& [ptr, weak] : im.state.sessions) {
      if (auto s = weak.lock()) {
        live.push_back(std::move(s));
      }
    }
  }
  for (auto& s : live) {
    s->shut();
  }
  live.clear();
  im.work.reset();
  for (auto& t : im.threads) {
    t.join();
  }
  im.threads.clear();
  {
    std::lock_guard lock(shared->mutex);
    shared->stopped = true;
  }
}

}  // namespace signoff::api
