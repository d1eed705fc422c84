#pragma once
// Reading files inside a git directory the way a hostile repository cannot subvert: no symbolic
// link is followed below the git directory (a link would read outside the repository), nothing
// but a regular file is opened (a FIFO would block, a device would stream forever), and the size
// is bounded before anything is read.
#include <cstdint>
#include <string>
#include <string_view>

namespace provscan::git::detail {

enum class FileStatus { Ok, Absent, Bad };

// Reads `relative` ('/'-separated) under `dir`. Absent when it does not exist; Bad (with `why`)
// when a component is a symbolic link or not a directory, the file is not a regular file, or it
// is larger than `max_bytes`.
FileStatus read_repo_file(const std::string& dir, std::string_view relative, std::uint64_t max_bytes,
                          std::string& out, std::string& why);

// What `relative` is under `dir`, without following a symbolic link at any level.
enum class EntryType { Absent, File, Directory, Link, Other };
EntryType entry_type(const std::string& dir, std::string_view relative);

}  // namespace provscan::git::detail
