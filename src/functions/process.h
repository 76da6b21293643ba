// Child processes for workers: spawned with every inherited descriptor above stderr closed (so
// no worker ever holds the server's listening sockets, whatever flags Asio used), in their own
// process group (a timeout kills the whole tree), with an address-space limit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace signoff::functions {

struct SpawnSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // the whole environment, "K=V"
  std::string cwd;
  uint64_t address_space_bytes = 0;  // RLIMIT_AS; 0: none
};

struct Child {
  pid_t pid = -1;
  int pidfd = -1;  // readable when the child exits
  int out = -1;    // its stdout, non-blocking, close-on-exec
  int err = -1;    // its stderr
};

Result<Child> spawn_child(const SpawnSpec& spec);
// SIGKILL to the child's process group.
void kill_child(const Child& c);
// Waits for the child (after it exited or was killed) and closes the descriptors. Returns the
// wait status; *peak_mb (when given) gets its peak resident memory, 0 when unknown.
int reap_child(Child& c, int* peak_mb = nullptr);
// "exit status 1" / "signal: killed", as Lambda words a runtime's end.
std::string describe_exit(int wait_status);
// Peak resident memory in MB (VmHWM), 0 when unknown.
int peak_memory_mb(pid_t pid);

}  // namespace signoff::functions
