#include "scanner/isolation/worker_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "common/error.h"

extern char** environ;

namespace provscan::scan {

namespace {

// Closes an fd on scope exit unless released.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

}  // namespace

std::string describe_wait_status(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = sigabbrev_np(sig);
    if (sig == SIGXCPU) return fmt::format("stopped by its CPU-time limit (signal {}, SIGXCPU)", sig);
    return fmt::format("killed by signal {} (SIG{})", sig, abbrev ? abbrev : "?");
  }
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    if (code == kWorkerExitOutOfMemory) return "ran out of memory (address-space limit)";
    if (code == kWorkerExitProtocol) return "broke the worker protocol";
    return fmt::format("exited with status {}", code);
  }
  return fmt::format("ended with wait status {}", status);
}

WorkerProcess WorkerProcess::spawn(const std::vector<std::string>& argv) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw Error(fmt::format("cannot create a socket pair for an engine worker: {}", std::strerror(errno)));
  FdGuard ours{sv[0]};
  // The child's end gets a number above 3 so that dup2 onto 3 always clears close-on-exec.
  FdGuard theirs{::fcntl(sv[1], F_DUPFD_CLOEXEC, 10)};
  ::close(sv[1]);
  if (theirs.fd < 0) throw Error(fmt::format("cannot set up an engine worker's socket: {}", std::strerror(errno)));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, theirs.fd, 3);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(fmt::format("cannot start an engine worker ({}): {}", argv[0], std::strerror(rc)));
  const int flags = ::fcntl(ours.fd, F_GETFL);
  ::fcntl(ours.fd, F_SETFL, flags | O_NONBLOCK);
  return WorkerProcess(pid, ours.release());
}

WorkerProcess::WorkerProcess(WorkerProcess&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)), fd_(std::exchange(o.fd_, -1)), status_(o.status_) {}

WorkerProcess& WorkerProcess::operator=(WorkerProcess&& o) noexcept {
  if (this != &o) {
    this->~WorkerProcess();
    pid_ = std::exchange(o.pid_, -1);
    fd_ = std::exchange(o.fd_, -1);
    status_ = o.status_;
  }
  return *this;
}

WorkerProcess::~WorkerProcess() {
  if (fd_ >= 0) {
    ::close(fd_);  // the worker reads end-of-file and exits
    fd_ = -1;
  }
  if (pid_ <= 0 || status_) return;
  for (int i = 0; i < 100; ++i) {  // up to a second
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  end();
}

std::string WorkerProcess::end() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (pid_ <= 0) return "not running";
  if (!status_) {
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == 0) {
      ::kill(pid_, SIGKILL);
      do r = ::waitpid(pid_, &st, 0);
      while (r < 0 && errno == EINTR);
    }
    status_ = r == pid_ ? st : 0;
  }
  return describe_wait_status(*status_);
}

int WorkerProcess::term_signal() const {
  return status_ && WIFSIGNALED(*status_) ? WTERMSIG(*status_) : 0;
}

bool WorkerProcess::wait_fd(short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r > 0) return true;  // readable/writable, or hung up: the read/write says which
    if (r < 0 && errno != EINTR) return false;
  }
}

WorkerProcess::Io WorkerProcess::send(wire::Type type, const std::string& payload, Clock::time_point deadline) {
  if (fd_ < 0) return Io::Closed;
  const std::string header = wire::frame_header(type, payload.size());
  for (const std::string* part : {&header, &payload}) {
    std::size_t off = 0;
    while (off < part->size()) {
      const ssize_t n = ::send(fd_, part->data() + off, part->size() - off, MSG_NOSIGNAL);
      if (n > 0) {
        off += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait_fd(POLLOUT, deadline)) return Io::Timeout;
        continue;
      }
      return Io::Closed;
    }
  }
  return Io::Ok;
}

WorkerProcess::Io WorkerProcess::receive(wire::Type expected, std::string& payload, Clock::time_point deadline,
                                         std::uint64_t max_bytes) {
  if (fd_ < 0) return Io::Closed;
  auto read_exact = [&](std::string& buf, std::size_t n) -> Io {
    buf.resize(n);
    std::size_t off = 0;
    while (off < n) {
      const ssize_t r = ::recv(fd_, buf.data() + off, n - off, 0);
      if (r > 0) {
        off += static_cast<std::size_t>(r);
        continue;
      }
      if (r == 0) return Io::Closed;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait_fd(POLLIN, deadline)) return Io::Timeout;
        continue;
      }
      return Io::Closed;
    }
    return Io::Ok;
  };
  std::string header;
  if (Io io = read_exact(header, 12); io != Io::Ok) return io;
  const auto h = wire::parse_header(header);
  if (!h || h->type != expected || h->length > max_bytes) return Io::Malformed;
  return read_exact(payload, h->length);
}

}  // namespace provscan::scan
