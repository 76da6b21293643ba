#include "functions/worker.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/json.h"

namespace signoff::functions {

namespace {

int64_t steady_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string iso_ms(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string two_decimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

constexpr size_t kKeptLog = 8192;  // more than the 4 KB tail AWS returns

}  // namespace

Worker::Worker(WorkerSpec spec, LogWriter log, const Clock& clock)
    : spec_(std::move(spec)), log_(std::move(log)), clock_(clock) {}

Result<std::shared_ptr<Worker>> Worker::start(WorkerSpec spec, RuntimeListenerFactory& listeners,
                                              LogWriter log, std::function<void()> on_exit,
                                              const Clock& clock) {
  std::shared_ptr<Worker> w(new Worker(std::move(spec), std::move(log), clock));
  w->on_exit_ = std::move(on_exit);
  Worker* self = w.get();
  RuntimeCallbacks cb;
  cb.on_first_poll = [self] {
    std::lock_guard lock(self->mu_);
    self->first_poll_ = true;
    self->wake();
  };
  cb.on_result = [self](RuntimeResult r) {
    std::lock_guard lock(self->mu_);
    self->result_ = std::move(r);
    self->wake();
  };
  cb.on_init_error = [self](RuntimeResult r) {
    std::lock_guard lock(self->mu_);
    self->init_error_ = std::move(r);
    self->wake();
  };
  w->session_ = std::make_unique<RuntimeSession>(std::move(cb));
  w->wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (w->wake_fd_ < 0) {
    return make_error("ServiceException", "eventfd failed", 500);
  }
  try {
    RuntimeSession* session = w->session_.get();
    w->listener_ = listeners.listen([session](RuntimeHttpRequest req, RuntimeReply reply) {
      session->handle(std::move(req), std::move(reply));
    });
  } catch (const std::exception& e) {
    return make_error("ServiceException", std::string("runtime API listener: ") + e.what(), 500);
  }
  SpawnSpec ps = w->spec_.process;
  ps.env.push_back("AWS_LAMBDA_RUNTIME_API=" + w->listener_->address());
  ps.env.push_back("AWS_LAMBDA_LOG_STREAM_NAME=" + w->spec_.log_stream);
  w->spawn_us_ = steady_us();
  auto child = spawn_child(ps);
  if (!child.ok()) {
    w->session_->close();
    return child.error();
  }
  w->child_ = *child;
  w->emit("INIT_START Runtime Version: " + w->spec_.runtime_version + "\n");
  // The thread keeps the worker alive until it has reaped the child.
  w->supervisor_ = std::thread([keep = w] { keep->supervise(); });
  return w;
}

Worker::~Worker() {
  stop();
  if (wake_fd_ >= 0) {
    ::close(wake_fd_);
  }
}

void Worker::wake() {
  uint64_t one = 1;
  ssize_t n = ::write(wake_fd_, &one, sizeof one);
  (void)n;
}

bool Worker::invoke(Invocation invocation, InvokeDone done) {
  std::lock_guard lock(mu_);
  if (dead_ || stop_requested_ || incoming_) {
    return false;
  }
  incoming_.emplace(std::move(invocation), std::move(done));
  wake();
  return true;
}

void Worker::stop() {
  {
    std::lock_guard lock(mu_);
    stop_requested_ = true;
    if (wake_fd_ >= 0) {
      wake();
    }
  }
  if (supervisor_.joinable()) {
    // The last reference may be dropped by the supervisor itself (through on_exit).
    if (supervisor_.get_id() == std::this_thread::get_id()) {
      supervisor_.detach();
    } else {
      supervisor_.join();
    }
  }
}

bool Worker::alive() const {
  std::lock_guard lock(mu_);
  return !dead_ && !stop_requested_;
}

void Worker::emit(std::string message) {
  std::string* kept = current_ && started_ ? &current_log_ : init_log_open_ ? &init_log_ : nullptr;
  if (kept != nullptr) {
    *kept += message;
    if (kept->size() > 2 * kKeptLog) {
      kept->erase(0, kept->size() - kKeptLog);
    }
  }
  pending_lines_.push_back(LogLine{clock_.now_ms(), std::move(message)});
}

void Worker::drain(int fd, std::string& partial) {
  if (fd < 0) {
    return;
  }
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) {
      // EOF: stop polling it (a runtime that closed stdout must not spin the supervisor).
      ::close(fd);
      if (fd == child_.out) {
        child_.out = -1;
      } else if (fd == child_.err) {
        child_.err = -1;
      }
      break;
    }
    if (n < 0) {
      break;
    }
    partial.append(buf, static_cast<size_t>(n));
  }
  size_t start = 0;
  for (size_t nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n', start)) {
    emit(partial.substr(start, nl + 1 - start));
    start = nl + 1;
  }
  partial.erase(0, start);
  // A line without an end grows no further than a CloudWatch event may be.
  if (partial.size() > 256 * 1024) {
    emit(partial);
    partial.clear();
  }
}

void Worker::flush_lines() {
  if (!pending_lines_.empty() && log_) {
    log_(spec_.log_stream, std::move(pending_lines_));
  }
  pending_lines_.clear();
}

void Worker::print_start() {
  started_ = true;
  current_start_us_ = steady_us();
  current_log_.clear();
  if (!initialized_ && init_log_open_) {
    // An init that failed is part of the invocation that waited for it: its tail shows what the
    // runtime said before dying (a healthy init's output is in the stream only).
    current_log_ = std::move(init_log_);
    init_log_.clear();
    init_log_open_ = false;
  }
  emit("START RequestId: " + current_->first.request_id + " Version: " + spec_.version + "\n");
}

void Worker::begin_current() {
  // START is printed when the runtime receives the event, i.e. after initialization.
  print_start();
  deadline_ms_ = clock_.now_ms() + spec_.timeout_ms;
  Invocation inv = current_->first;
  inv.deadline_ms = deadline_ms_;
  session_->assign(std::move(inv));
}

std::string Worker::report_line(bool timed_out, int64_t duration_us) {
  double ms = static_cast<double>(duration_us) / 1000.0;
  int64_t billed = (duration_us + 999) / 1000;
  std::string line =
      "REPORT RequestId: " + current_->first.request_id + "\tDuration: " + two_decimals(ms) +
      " ms\tBilled Duration: " + std::to_string(billed < 1 ? 1 : billed) +
      " ms\tMemory Size: " + std::to_string(spec_.memory_mb) + " MB\tMax Memory Used: " +
      std::to_string(child_.pid > 0 ? peak_memory_mb(child_.pid) : exit_peak_mb_) + " MB";
  if (!init_reported_ && init_us_ >= 0) {
    line += "\tInit Duration: " + two_decimals(static_cast<double>(init_us_) / 1000.0) + " ms";
    init_reported_ = true;
  }
  if (timed_out) {
    line += "\tStatus: timeout";
  }
  return line + "\t\n";
}

void Worker::finish(InvokeOutcome outcome, bool dead) {
  if (!current_) {
    return;
  }
  if (!started_) {
    print_start();
  }
  int64_t duration = steady_us() - current_start_us_;
  emit("END RequestId: " + current_->first.request_id + "\n");
  emit(report_line(outcome.timed_out, duration));
  outcome.log = std::move(current_log_);
  current_log_.clear();
  InvokeDone done = std::move(current_->second);
  current_.reset();
  started_ = false;
  flush_lines();
  if (dead) {
    std::lock_guard lock(mu_);
    dead_ = true;
  }
  done(std::move(outcome));
}

void Worker::supervise() {
  bool exited = false;
  bool timed_out = false;
  while (!exited) {
    int timeout = -1;
    int64_t now = clock_.now_ms();
    if (current_ && started_) {
      timeout = static_cast<int>(std::max<int64_t>(0, deadline_ms_ - now));
    } else if (!initialized_) {
      int64_t init_deadline = spawn_us_ / 1000 + spec_.init_timeout_ms;
      timeout = static_cast<int>(std::max<int64_t>(0, init_deadline - steady_us() / 1000));
    }
    pollfd fds[4] = {{wake_fd_, POLLIN, 0},
                     {child_.pidfd, POLLIN, 0},
                     {child_.out, POLLIN, 0},
                     {child_.err, POLLIN, 0}};
    int rc = ::poll(fds, 4, timeout);
    if (rc < 0 && errno != EINTR) {
      break;
    }
    drain(child_.out, out_partial_);
    drain(child_.err, err_partial_);
    uint64_t count = 0;
    ssize_t ignored = ::read(wake_fd_, &count, sizeof count);
    (void)ignored;

    bool stop = false;
    std::optional<RuntimeResult> result;
    std::optional<RuntimeResult> init_error;
    bool polled = false;
    {
      std::lock_guard lock(mu_);
      stop = stop_requested_;
      result = std::move(result_);
      result_.reset();
      init_error = std::move(init_error_);
      init_error_.reset();
      polled = first_poll_;
      if (incoming_ && !current_) {
        current_ = std::move(incoming_);
        incoming_.reset();
        started_ = false;
      }
    }
    if (polled && !initialized_) {
      initialized_ = true;
      init_us_ = steady_us() - spawn_us_;
      init_log_open_ = false;
      init_log_.clear();
    }
    if (current_ && !started_ && initialized_) {
      begin_current();
    }
    if (result && current_ && result->request_id == current_->first.request_id) {
      InvokeOutcome o;
      o.function_error = result->function_error;
      o.payload = std::move(result->payload);
      o.error_type = std::move(result->error_type);
      finish(std::move(o), false);
    }
    if (init_error) {
      std::string text = init_error->payload;
      auto parsed = json::parse(text);
      if (!parsed.ok() || !parsed.value.is_object()) {
        text = R"({"errorMessage":"Runtime failed to initialize","errorType":"Runtime.Unknown"})";
      }
      emit("INIT_REPORT Init Duration: " +
           two_decimals(static_cast<double>(steady_us() - spawn_us_) / 1000.0) +
           " ms\tPhase: init\tStatus: error\tError Type: " + init_error->error_type + "\n");
      InvokeOutcome o;
      o.function_error = true;
      o.payload = text;
      o.error_type = init_error->error_type;
      kill_child(child_);
      finish(std::move(o), true);
    }
    now = clock_.now_ms();
    if (current_ && started_ && now >= deadline_ms_) {
      // Stopped first so nothing runs past the deadline; killed after REPORT has read its
      // peak memory.
      ::kill(-child_.pid, SIGSTOP);
      timed_out = true;
      std::string msg = iso_ms(now) + " " + current_->first.request_id + " Task timed out after " +
                        two_decimals(static_cast<double>(spec_.timeout_ms) / 1000.0) + " seconds";
      emit(msg + "\n");
      InvokeOutcome o;
      o.function_error = true;
      o.timed_out = true;
      std::string payload = R"({"errorMessage":)";
      json::quote_to(msg, payload);
      payload += "}";
      o.payload = std::move(payload);
      finish(std::move(o), true);
      kill_child(child_);
    } else if (!initialized_ && steady_us() / 1000 >= spawn_us_ / 1000 + spec_.init_timeout_ms) {
      kill_child(child_);
      emit("INIT_REPORT Init Duration: " + std::to_string(spec_.init_timeout_ms) +
           ".00 ms\tPhase: init\tStatus: timeout\n");
      if (current_) {
        InvokeOutcome o;
        o.function_error = true;
        o.timed_out = true;
        o.payload = R"({"errorMessage":"Runtime init timed out","errorType":"Runtime.Unknown"})";
        finish(std::move(o), true);
      }
      stop = true;
    }
    if (stop) {
      kill_child(child_);
    }
    if (fds[1].revents != 0 || stop || timed_out) {
      if (stop || timed_out) {
        kill_child(child_);
      }
      exited = true;
    }
    flush_lines();
  }
  session_->close();
  // Whatever the runtime wrote last (its last words on stderr before dying, a Python
  // interpreter's "can't open file"…) reaches the log before the error is reported.
  drain(child_.out, out_partial_);
  drain(child_.err, err_partial_);
  int status = reap_child(child_, &exit_peak_mb_);
  if (!out_partial_.empty()) {
    emit(out_partial_ + "\n");
    out_partial_.clear();
  }
  if (!err_partial_.empty()) {
    emit(err_partial_ + "\n");
    err_partial_.clear();
  }
  {
    std::lock_guard lock(mu_);
    dead_ = true;
    if (incoming_ && !current_) {
      current_ = std::move(incoming_);
      incoming_.reset();
    }
  }
  if (current_) {
    std::string id = current_->first.request_id;
    if (!initialized_) {
      emit("INIT_REPORT Init Duration: " +
           two_decimals(static_cast<double>(steady_us() - spawn_us_) / 1000.0) +
           " ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError\n");
    }
    if (!started_) {
      print_start();
    }
    std::string msg =
        "RequestId: " + id + " Error: Runtime exited with error: " + describe_exit(status);
    emit(msg + "\n");
    InvokeOutcome o;
    o.function_error = true;
    o.error_type = "Runtime.ExitError";
    std::string payload = R"({"errorType":"Runtime.ExitError","errorMessage":)";
    json::quote_to(msg, payload);
    payload += "}";
    o.payload = std::move(payload);
    finish(std::move(o), true);
  }
  flush_lines();
  listener_.reset();
  std::function<void()> on_exit = std::move(on_exit_);
  if (on_exit) {
    on_exit();
  }
}

}  // namespace signoff::functions
