#pragma once
// Whole-buffer reads and writes on a blocking file descriptor, retrying short transfers and
// EINTR. Both return how many bytes moved: less than asked means end of file or an error
// (errno says which when the last call failed).
#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace provscan {

namespace detail {
template <class Byte, class Io>
std::size_t transfer_all(int fd, Byte* p, std::size_t n, Io io) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t r = io(fd, p + done, n - done);
    if (r > 0) done += static_cast<std::size_t>(r);
    else if (r < 0 && errno == EINTR) continue;
    else break;
  }
  return done;
}
}  // namespace detail

inline std::size_t read_full(int fd, char* p, std::size_t n) { return detail::transfer_all(fd, p, n, ::read); }
inline std::size_t write_full(int fd, const char* p, std::size_t n) { return detail::transfer_all(fd, p, n, ::write); }

}  // namespace provscan
