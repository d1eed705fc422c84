#pragma once
// Plain value types produced by git/. No libgit2 type leaves git/.
#include <cstdint>
#include <string>
#include <vector>

namespace provscan::git {

struct Ident {
  std::string name;
  std::string email;
  std::int64_t time = 0;     // seconds since the epoch
  int offset_minutes = 0;    // time-zone offset as recorded (never used to infer anything)
  std::string display() const { return name + " <" + email + ">"; }
};

struct Commit {
  std::string id;                    // 40 hex
  std::string tree;                  // 40 hex
  std::vector<std::string> parents;  // 40 hex each, in header order
  Ident author;
  Ident committer;
  std::string message;               // raw message bytes (trailers included)
  std::string gpgsig;                // raw signature block, empty when unsigned
  std::string signed_payload;        // the commit object minus the gpgsig header (what was signed)
};

// 1-based, inclusive line span.
struct LineRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  friend bool operator==(const LineRange&, const LineRange&) = default;
};

enum class EntryKind { Blob, Executable, Symlink, Submodule };

// One path whose blob differs between a commit and its first parent. Deletions are not
// reported: they add nothing.
struct Change {
  std::string path;      // '/'-separated, raw bytes of the tree entry names
  std::string old_blob;  // 40 hex; empty when the path is new
  std::string new_blob;  // 40 hex
  EntryKind kind = EntryKind::Blob;
};

}  // namespace provscan::git
