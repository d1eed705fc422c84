#pragma once
// What was not scanned, and why. Every skip is recorded; none is silent.
#include <string>
#include <tuple>

namespace provscan {

struct Skipped {
  // "blob-too-large", "binary", "no-grammar", "unreadable-object", "bad-ref", "bad-commit",
  // "tree-depth", "parse-error", "timeout", ...
  std::string kind;
  std::string commit;  // 40-hex commit id, or empty when not tied to one commit
  std::string path;    // path in the tree, or a ref name for ref problems
  std::string object;  // object id concerned, if any
  std::string reason;  // human-readable detail
  // True when content was not examined at all (too large, unreadable, crashed, timed out);
  // false for partial coverage (e.g. no grammar, but signatures still ran). Only incomplete
  // skips make a scan incomplete (exit 3 with --fail-on-skip).
  bool incomplete = false;

  friend bool operator<(const Skipped& a, const Skipped& b) {
    return std::tie(a.commit, a.path, a.kind, a.object, a.reason) <
           std::tie(b.commit, b.path, b.kind, b.object, b.reason);
  }
  friend bool operator==(const Skipped&, const Skipped&) = default;
};

}  // namespace provscan
