#pragma once
// Plain value types produced by git/. No libgit2 type leaves git/.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provscan::git {

struct Ident {
  std::string name;
  std::string email;
  std::int64_t time = 0;     // seconds since the epoch
  int offset_minutes = 0;    // time-zone offset as recorded (never used to infer anything)
  bool time_overflow = false;  // the recorded date does not fit 64 bits: `time` is 0, as git shows it
  std::string display() const { return name + " <" + email + ">"; }
};

struct Commit {
  std::string id;                    // 40 hex
  std::string tree;                  // 40 hex
  std::vector<std::string> parents;  // 40 hex each, in header order
  Ident author;
  Ident committer;
  std::string message;               // raw message bytes (trailers included)
  std::string gpgsig;                // raw signature block, empty when unsigned: the value of the
                                     // "gpgsig" header with continuation lines unfolded, no final
                                     // newline (as git_commit_extract_signature returns it)
  std::string signed_payload;        // the commit object minus the gpgsig header (what was signed),
                                     // computed as git does for verification; empty when unsigned
};

// Parses a raw commit object (the bytes after the "commit <size>\0" object header). `id` is
// only used in error messages and copied into the result. Headers: tree first, then parents,
// then the first author and committer; other headers are skipped (encoding is ignored).
// Throws Error("malformed commit ID: ...") on a missing or bad tree/author/committer line.
Commit parse_commit(std::string id, std::string_view raw);

// Parses "Name <email> 1700000000 +0100". Returns false on a malformed line. A date too large
// for 64 bits is read as 0 with `time_overflow` set.
bool parse_ident(std::string_view line, Ident& out);

// 1-based, inclusive line span.
struct LineRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  friend bool operator==(const LineRange&, const LineRange&) = default;
};

enum class EntryKind { Blob, Executable, Symlink, Submodule };

// One path whose blob (or entry kind: file, executable, symlink, submodule) differs between a
// commit and its first parent. Deletions are not reported: they add nothing. For a submodule,
// `new_blob` is the recorded commit id (not a blob); for a symlink, the blob holds the target.
struct Change {
  std::string path;      // '/'-separated, raw bytes of the tree entry names
  std::string old_blob;  // 40 hex; empty when the path is new
  std::string new_blob;  // 40 hex
  EntryKind kind = EntryKind::Blob;
  EntryKind old_kind = EntryKind::Blob;  // meaningful when old_blob is not empty
};

}  // namespace provscan::git
