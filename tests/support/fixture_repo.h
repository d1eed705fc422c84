#pragma once
// Builds small git repositories at test time through libgit2: no git command line, no hooks,
// no user or system configuration. Every name, email and time is fixed, so the same calls
// give the same commit ids on every machine.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace provscan::test {

struct Author {
  std::string name = "Alice Example";
  std::string email = "alice@example.com";
  std::optional<std::int64_t> time;  // unset: the repository's next fixed time
  int offset_minutes = 0;
};

// path -> content; std::nullopt deletes the path. Paths may be nested ("a/b/c.txt").
using Files = std::map<std::string, std::optional<std::string>>;
// path -> git file mode (0100644, 0100755, 0120000 symlink, 0160000 submodule: content is the
// commit id then). Paths not listed are 0100644.
using Modes = std::map<std::string, unsigned>;

struct FixtureOptions {
  bool bare = false;
  std::string initial_branch = "main";
};

class FixtureRepo {
 public:
  // 2024-01-01T00:00:00Z; the n-th commit without an explicit time gets kBaseTime + n days.
  static constexpr std::int64_t kBaseTime = 1704067200;
  static constexpr std::int64_t kDay = 86400;

  FixtureRepo();
  explicit FixtureRepo(FixtureOptions options);
  ~FixtureRepo();  // removes the directory unless PROVSCAN_KEEP_FIXTURES is set
  FixtureRepo(const FixtureRepo&) = delete;
  FixtureRepo& operator=(const FixtureRepo&) = delete;

  // The path to open: the work tree (non-bare) or the git directory (bare).
  const std::string& path() const;
  // The git directory, with a trailing '/'.
  std::string git_dir() const;

  // Commits `files` on top of the current branch's tree and moves the branch. Returns the id.
  // `parents` overrides the parents (then the tree is built on the first one, if any).
  std::string commit(const std::string& message, const Files& files, const Author& author = {},
                     const std::optional<Author>& committer = std::nullopt,
                     const std::optional<std::vector<std::string>>& parents = std::nullopt,
                     const Modes& modes = {});

  // A merge commit on the current branch: parents are the branch head then `others`; the tree
  // is the first parent's with `files` applied.
  std::string merge(const std::string& message, const std::vector<std::string>& others,
                    const Files& files = {}, const Author& author = {});

  // A commit on the current branch that carries an extra header (e.g. "gpgsig") holding
  // `header_value` (multi-line values are folded as git does).
  std::string commit_signed(const std::string& message, const Files& files,
                            const std::string& header_value,
                            const std::string& header_field = "gpgsig",
                            const Author& author = {});

  // Creates or moves refs/heads/NAME to `from` (default: the current branch head).
  void branch(const std::string& name, const std::optional<std::string>& from = std::nullopt);
  // Points HEAD at refs/heads/NAME (the branch need not exist yet). The work tree is not touched.
  void checkout_branch(const std::string& name);
  // A lightweight tag, or an annotated one when `message` is given.
  void tag(const std::string& name, const std::string& commit,
           const std::optional<std::string>& message = std::nullopt);

  // The commit the current branch points to, or empty when unborn.
  std::string head() const;
  // The tree of a commit.
  std::string tree_of(const std::string& commit) const;
  // `files` (and `modes`) applied on top of `base_tree` (empty = the empty tree).
  std::string make_tree(const std::string& base_tree, const Files& files, const Modes& modes = {});

  // Raw objects, written as given (no validation): for hostile-input tests.
  std::string write_blob(const std::string& bytes);
  std::string write_object(const std::string& type, const std::string& bytes);  // "commit", "tree", ...
  // A raw tree from entries written in the given order (duplicates and disorder allowed).
  struct RawEntry {
    std::string mode;  // e.g. "100644", "40000"
    std::string name;
    std::string id;    // 40 hex
  };
  std::string write_raw_tree(const std::vector<RawEntry>& entries);

  // Writes a file inside the git directory (a ref file, `shallow`, `packed-refs`, ...).
  void write_git_file(const std::string& relative, const std::string& content);
  // Moves the current branch to `commit` without checking anything.
  void set_head_commit(const std::string& commit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provscan::test
