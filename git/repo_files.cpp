#include "git/detail/repo_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace provscan::git::detail {
namespace {

struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
};

std::vector<std::string> components(std::string_view relative) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= relative.size()) {
    std::size_t slash = relative.find('/', pos);
    if (slash == std::string_view::npos) slash = relative.size();
    if (slash > pos) out.emplace_back(relative.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

// Opens the directory holding the last component of `relative`, one level at a time, never
// through a symbolic link. Sets errno and returns -1 on failure.
int open_parent(const std::string& dir, const std::vector<std::string>& parts) {
  Fd cur(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (cur.fd < 0) return -1;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "..") {
      errno = EACCES;
      return -1;
    }
    Fd next(::openat(cur.fd, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next.fd < 0) return -1;
    cur = std::move(next);
  }
  const int fd = cur.fd;
  cur.fd = -1;
  return fd;
}

}  // namespace

EntryType entry_type(const std::string& dir, std::string_view relative) {
  const std::vector<std::string> parts = components(relative);
  if (parts.empty()) return EntryType::Directory;
  Fd parent(open_parent(dir, parts));
  if (parent.fd < 0) return errno == ENOENT ? EntryType::Absent : EntryType::Other;
  struct stat st {};
  if (::fstatat(parent.fd, parts.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? EntryType::Absent : EntryType::Other;
  if (S_ISLNK(st.st_mode)) return EntryType::Link;
  if (S_ISDIR(st.st_mode)) return EntryType::Directory;
  if (S_ISREG(st.st_mode)) return EntryType::File;
  return EntryType::Other;
}

FileStatus read_repo_file(const std::string& dir, std::string_view relative, std::uint64_t max_bytes,
                          std::string& out, std::string& why) {
  out.clear();
  const std::vector<std::string> parts = components(relative);
  if (parts.empty()) {
    why = "empty path";
    return FileStatus::Bad;
  }
  auto bad = [&](std::string_view what) {
    why = fmt::format("{}: {}", relative, what);
    return FileStatus::Bad;
  };
  Fd parent(open_parent(dir, parts));
  if (parent.fd < 0) {
    if (errno == ENOENT) return FileStatus::Absent;
    return bad(errno == ELOOP || errno == ENOTDIR ? "a folder on the way is a symbolic link or not a folder"
                                                  : std::strerror(errno));
  }
  Fd f(::openat(parent.fd, parts.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (f.fd < 0) {
    if (errno == ENOENT) return FileStatus::Absent;
    return bad(errno == ELOOP ? "a symbolic link (not followed)" : std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return bad(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return bad("not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return bad(fmt::format("{} bytes, over the limit of {}", st.st_size, max_bytes));
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(f.fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return bad(std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);  // a file that shrank while read: what was there
  return FileStatus::Ok;
}

}  // namespace provscan::git::detail
