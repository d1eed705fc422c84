#pragma once
// One engine worker process and the socket to it. The parent side is all here: spawning
// (posix_spawn, never fork from the threaded parent), framed I/O with deadlines on a
// non-blocking socket, and ending a worker (SIGKILL, reap, say why it ended).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scanner/isolation/wire.h"

namespace provscan::scan {

using Clock = std::chrono::steady_clock;

class WorkerProcess {
 public:
  // Starts `argv[0]` with argv; the worker gets /dev/null on stdin and stdout, the parent's
  // stderr, and its end of a socket pair as fd 3. Throws Error when it cannot be started.
  static WorkerProcess spawn(const std::vector<std::string>& argv);

  WorkerProcess(WorkerProcess&& o) noexcept;
  WorkerProcess& operator=(WorkerProcess&& o) noexcept;
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;
  ~WorkerProcess();  // closes the socket, gives the worker a moment to exit, then SIGKILL

  enum class Io { Ok, Timeout, Closed, Malformed };
  Io send(wire::Type type, const std::string& payload, Clock::time_point deadline);
  // A frame longer than max_bytes is Malformed (the length is checked before any allocation).
  Io receive(wire::Type expected, std::string& payload, Clock::time_point deadline, std::uint64_t max_bytes);

  // Kills (if still running) and reaps the worker; returns how it ended, e.g.
  // "killed by signal 11 (SIGSEGV)", "exited with status 3". Idempotent.
  std::string end();
  pid_t pid() const { return pid_; }
  // The signal that ended the worker, once end() has reaped it; 0 otherwise.
  int term_signal() const;

 private:
  WorkerProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  bool wait_fd(short events, Clock::time_point deadline);

  pid_t pid_ = -1;
  int fd_ = -1;
  std::optional<int> status_;  // wait status once reaped
};

// How a wait status reads to a person.
std::string describe_wait_status(int status);

// Exit codes a worker uses on purpose (anything else is a crash or a kill).
inline constexpr int kWorkerExitOutOfMemory = 75;
inline constexpr int kWorkerExitProtocol = 76;

}  // namespace provscan::scan
