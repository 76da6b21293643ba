#include "functions/process.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace signoff::functions {

namespace {

void close_fd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

}  // namespace

Result<Child> spawn_child(const SpawnSpec& spec) {
  if (spec.argv.empty()) {
    return make_error("ServiceException", "no program to run", 500);
  }
  // Everything the child touches between fork and exec is prepared here: only
  // async-signal-safe calls may run there in a multithreaded parent.
  std::vector<char*> argv;
  for (const std::string& a : spec.argv) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : spec.env) {
    envp.push_back(const_cast<char*>(e.c_str()));
  }
  envp.push_back(nullptr);
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    return make_error("ServiceException", std::string("pipe: ") + std::strerror(errno), 500);
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return make_error("ServiceException", std::string("pipe: ") + std::strerror(errno), 500);
  }
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const char* cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();
  rlimit as{static_cast<rlim_t>(spec.address_space_bytes),
            static_cast<rlim_t>(spec.address_space_bytes)};
  bool limit = spec.address_space_bytes > 0;

  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    struct sigaction dfl;
    std::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, nullptr);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
    }
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::syscall(SYS_close_range, 3U, ~0U, 0U);
    if (cwd != nullptr && ::chdir(cwd) != 0) {
      _exit(126);
    }
    if (limit) {
      ::setrlimit(RLIMIT_AS, &as);
    }
    ::execve(argv[0], argv.data(), envp.data());
    const char msg[] = "signoff: cannot execute the runtime\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(127);
  }
  if (devnull >= 0) {
    ::close(devnull);
  }
  ::close(out[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(err[0]);
    return make_error("ServiceException", std::string("fork: ") + std::strerror(errno), 500);
  }
  // The parent sets the group too, so a kill right after fork cannot miss it.
  ::setpgid(pid, pid);
  Child c;
  c.pid = pid;
  c.out = out[0];
  c.err = err[0];
  ::fcntl(c.out, F_SETFL, O_NONBLOCK);
  ::fcntl(c.err, F_SETFL, O_NONBLOCK);
  c.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  return c;
}

void kill_child(const Child& c) {
  if (c.pid > 0) {
    ::kill(-c.pid, SIGKILL);
    ::kill(c.pid, SIGKILL);
  }
}

int reap_child(Child& c, int* peak_mb) {
  int status = 0;
  if (peak_mb != nullptr) {
    *peak_mb = 0;
  }
  if (c.pid > 0) {
    // wait4: once reaped, /proc no longer tells the peak; the rusage does (ru_maxrss in KB).
    rusage usage{};
    pid_t got = -1;
    while ((got = ::wait4(c.pid, &status, 0, &usage)) < 0 && errno == EINTR) {
    }
    if (got == c.pid && peak_mb != nullptr) {
      *peak_mb = static_cast<int>((usage.ru_maxrss + 1023) / 1024);
    }
    // Grandchildren left in the group go too.
    ::kill(-c.pid, SIGKILL);
    c.pid = -1;
  }
  close_fd(c.pidfd);
  close_fd(c.out);
  close_fd(c.err);
  return status;
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) {
    return "exit status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGKILL) {
      return "signal: killed";
    }
    if (sig == SIGSEGV) {
      return "signal: segmentation fault";
    }
    if (sig == SIGABRT) {
      return "signal: aborted";
    }
    return "signal: " + std::to_string(sig);
  }
  return "unknown";
}

int peak_memory_mb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      long kb = std::strtol(line.c_str() + 6, nullptr, 10);
      return static_cast<int>((kb + 1023) / 1024);
    }
  }
  return 0;
}

}  // namespace signoff::functions
