// One warm execution environment: a runtime process, its Runtime API listener and a supervisor
// thread. The supervisor owns the process: it turns stdout/stderr into log lines, writes
// START/END/REPORT as AWS prints them, enforces the invocation's Timeout (SIGKILL to the
// process group) and reaps the child. A worker runs one invocation at a time; once it dies
// (timeout, crash, init failure) it never runs another and the pool replaces it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "functions/ports.h"
#include "functions/process.h"
#include "functions/runtime_api.h"

namespace signoff::functions {

struct WorkerSpec {
  SpawnSpec process;  // env without AWS_LAMBDA_RUNTIME_API / AWS_LAMBDA_LOG_STREAM_NAME
  int timeout_ms = 3000;
  int memory_mb = 128;
  std::string version = "$LATEST";
  std::string runtime_version = "python:3.9";  // for the INIT_START line
  std::string log_stream;                      // "2026/12/01/[$LATEST]<hex>"
  int init_timeout_ms = 10000;                 // AWS's limit for the init phase
};

struct InvokeOutcome {
  bool function_error = false;  // X-Amz-Function-Error: Unhandled
  std::string payload;          // the response, or the error JSON
  std::string error_type;
  std::string log;  // this invocation's log text, START..REPORT
  bool timed_out = false;
};

using InvokeDone = std::function<void(InvokeOutcome)>;
using LogWriter = std::function<void(const std::string& stream, std::vector<LogLine>)>;

class Worker : public std::enable_shared_from_this<Worker> {
 public:
  // Spawns the process; on_exit runs (on the supervisor thread) once it is gone for good.
  static Result<std::shared_ptr<Worker>> start(WorkerSpec spec, RuntimeListenerFactory& listeners,
                                               LogWriter log, std::function<void()> on_exit,
                                               const Clock& clock);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // False when the worker is busy or dead (then done is not called).
  bool invoke(Invocation invocation, InvokeDone done);
  // Kills the process and joins the supervisor. Idempotent; not from the supervisor thread.
  void stop();
  bool alive() const;
  const std::string& log_stream() const { return spec_.log_stream; }

 private:
  Worker(WorkerSpec spec, LogWriter log, const Clock& clock);
  void supervise();
  void wake();
  void emit(std::string message);
  void drain(int fd, std::string& partial);
  void flush_lines();
  void begin_current();
  void print_start();
  void finish(InvokeOutcome outcome, bool dead);
  std::string report_line(bool timed_out, int64_t duration_us);

  WorkerSpec spec_;
  LogWriter log_;
  std::function<void()> on_exit_;
  const Clock& clock_;
  std::unique_ptr<RuntimeSession> session_;
  std::unique_ptr<RuntimeListener> listener_;
  Child child_;
  int wake_fd_ = -1;
  std::thread supervisor_;

  // Shared with other threads, under mu_.
  mutable std::mutex mu_;
  bool dead_ = false;
  bool stop_requested_ = false;
  bool first_poll_ = false;
  std::optional<std::pair<Invocation, InvokeDone>> incoming_;
  std::optional<RuntimeResult> result_;
  std::optional<RuntimeResult> init_error_;

  // Supervisor-only state.
  std::optional<std::pair<Invocation, InvokeDone>> current_;
  bool started_ = false;  // START printed for current_
  int64_t current_start_us_ = 0;
  int64_t deadline_ms_ = 0;
  int64_t spawn_us_ = 0;
  int64_t init_us_ = -1;  // reported once, on the first REPORT
  bool init_reported_ = false;
  bool initialized_ = false;
  std::string out_partial_;
  std::string err_partial_;
  std::vector<LogLine> pending_lines_;
  std::string current_log_;
  // What the init phase printed (INIT_START, the runtime's output, INIT_REPORT) until the
  // runtime polls: when init fails, the tail of the invocation that waited for it starts with it.
  std::string init_log_;
  bool init_log_open_ = true;
  int exit_peak_mb_ = 0;  // from the wait status' rusage, once the child is reaped
};

}  // namespace signoff::functions
