#pragma once
// A read-only view of a repository on disk. Opening runs nothing: no hooks, no filters, no
// checkout, no network; no git configuration at all is read (not the repository's, so no
// include.path, core.worktree or other pointer out of it, nor the user's or the system's).
// What leads elsewhere is never followed: a `.git` file or symbolic link is refused, and
// objects/info/alternates is reported by notices(), not used. Refs are read and resolved by
// provscan, loose objects inflated by provscan with bounds, packs read by libgit2. Blobs are raw
// object bytes. One Repository per thread (libgit2 handles are not shared across threads):
// use reopen() for each worker.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/skipped.h"
#include "git/commit.h"

namespace provscan::git {

struct BlobData {
  enum class Status { Ok, TooLarge, Unreadable };
  Status status = Status::Unreadable;
  std::uint64_t size = 0;  // size declared by the object header
  std::string bytes;       // content when Ok
  std::string error;       // detail when not Ok
};

struct Ref {
  std::string name;    // e.g. refs/heads/main, refs/tags/v1
  std::string commit;  // peeled commit id
};

class Repository {
 public:
  // Opens a work tree (`path`/.git a folder) or a git directory at exactly `path` (no upward
  // search). Throws Error("cannot open repository 'PATH': ...") on failure, and when `path` or
  // `path`/.git is a file pointing elsewhere ("gitdir: ..."), `path`/.git is a symbolic link,
  // objects/ or refs/ is a symbolic link, or commondir leads outside the repository.
  static Repository open(const std::string& path);

  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  ~Repository();

  // A second, independent handle on the same repository (for another thread).
  Repository reopen() const;

  const std::string& path() const;
  bool is_bare() const;
  bool is_shallow() const;

  // Resolves a revision expression (branch, tag, HEAD, full or abbreviated id, then any of
  // `~N`, `^N`, `^{commit}`) to a commit id, tags peeled. Throws Error("revision 'REV' does not
  // resolve to a commit: ...").
  std::string resolve_commit(std::string_view rev) const;

  // Every ref under refs/ (and HEAD), each resolved on its own and peeled to a commit. A ref
  // that cannot be resolved (missing object, symbolic loop, garbage, symbolic link) or does not
  // lead to a commit is appended to `skipped` (kind "bad-ref") and the rest are still returned.
  // Sorted by name.
  std::vector<Ref> refs(std::vector<Skipped>& skipped) const;

  // Reads and parses a commit object from its raw bytes. Throws Error on a missing or
  // malformed commit.
  Commit read_commit(const std::string& id) const;

  // Reads a blob; the size is checked from the object header before anything is inflated.
  BlobData read_blob(const std::string& id, std::uint64_t max_bytes) const;

  // Paths whose content differs between two trees (empty `old_tree` = the empty tree), in
  // path order. Equal subtrees are not descended. Subtrees nested deeper than `max_depth`
  // are not entered and are recorded in `skipped` (kind "tree-depth"). When `deleted` is given,
  // it receives the files that vanished (path and old_blob set, new_blob empty), in path order,
  // for rename detection. Entries are paired by
  // name whatever their order in the tree object (hostile trees may be unsorted or hold a name
  // twice: every distinct new entry is reported). A path that turns from a tree into a file is
  // reported as a new file. Unreadable or malformed trees are recorded (kind
  // "unreadable-object"), as is a diff that exceeds kMaxTreeEntries visited entries or
  // kMaxDiffPathBytes of paths (kind "tree-size"): a few dozen trees that each list the one
  // below twice name billions of paths, so both bounds are needed to keep time and memory
  // small. Skipped entries carry no commit id: the caller fills it in.
  static constexpr std::uint64_t kMaxTreeEntries = 5'000'000;
  // Path bytes of every entry visited by one comparison, counted with a fixed overhead per
  // entry for what a Change holds besides the path: about 320 k entries of 60-byte paths, so
  // a scan's peak memory stays under 512 MiB on a tree bomb (the scan keeps about 1 KiB per
  // changed path). A root commit of a larger monorepo is cut short and reported; cutting the
  // per-path cost would let this grow.
  static constexpr std::uint64_t kMaxDiffPathBytes = 96ull << 20;
  static constexpr std::uint64_t kDiffEntryOverhead = 256;
  static constexpr std::uint64_t kMaxTreeBytes = 256ull << 20;
  // The `shallow` file: 16 MiB is 400,000 commit ids, far past any real shallow clone.
  static constexpr std::uint64_t kMaxShallowBytes = 16ull << 20;
  std::vector<Change> diff_trees(const std::string& old_tree, const std::string& new_tree,
                                 std::vector<Skipped>& skipped,
                                 unsigned max_depth = 4096,
                                 std::vector<Change>* deleted = nullptr,
                                 std::uint64_t max_path_bytes = kMaxDiffPathBytes) const;

  // Blob id at `path` in `tree`, or empty if there is none.
  std::string blob_at(const std::string& tree, std::string_view path) const;

  // The boundary of a shallow clone, sorted: the commits listed in the repository's `shallow`
  // file that miss a parent (or cannot be read). A listed commit whose parents are all present
  // is not a boundary (notices() reports it). Empty for a complete repository.
  std::vector<std::string> shallow_roots() const;

  // The repository's git directory (for a work tree, its .git), with a trailing '/'.
  std::string git_dir() const;

  // What git would use to change history as it shows it, and provscan does not: each
  // objects/info/alternates or http-alternates file (kind "alternates"), info/grafts ("grafts"),
  // every refs/replace/* ref ("replace-ref"). Visible, not incomplete: provscan scans the
  // objects as recorded in this repository.
  std::vector<Skipped> notices() const;

  // The commit `id` leads to, annotated tags followed (at most 100). Throws Error for a missing
  // object, a tree or blob, or a malformed tag.
  std::string peel_to_commit(const std::string& id) const;

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace provscan::git
