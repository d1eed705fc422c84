#pragma once
// Lines alive at a revision: which commit introduced each line of each text file of REV's tree,
// computed in ONE pass over the history of REV for all files together (per-file blame re-walks
// history once per file; libgit2's git_blame_file is 6-8x slower than git's: see PERFORMANCE.md).
//
// The answer follows `git blame` with default options, line for line:
//  - one tree diff per commit and parent (kept compactly: interned paths, binary ids) finds
//    which paths can carry lines into REV's files: REV's paths, and every file deleted by a
//    commit that adds (relative to the same parent) such a path, to a fixed point;
//  - commits are then processed parents first, depth first along lines of history; each keeps,
//    for every such path, its blob and the origin commit of each line (a dense array per
//    commit, moved, not copied, into a commit's last child);
//  - a path whose blob equals a parent's blob (same path, first such parent in header order)
//    takes that parent's origins whole (git's find_origin);
//  - for a parent without the path, git's find_rename: the renames `git diff -M` (default 50%)
//    finds following only this path, among the files the commit deleted relative to that
//    parent: an identical blob (same base name first), else the one source with the same base
//    name at >= 75% similarity, else the most similar source at >= 50% (git's span-hash
//    similarity and tie rules);
//  - otherwise its lines are diffed (xdiff's Myers with its cost heuristics and the indent
//    heuristic, as git blame does: line_origins()) against the first parent's version, then
//    lines still unexplained against the second parent's, and so on; what no parent explains
//    is the commit's own.
// Known differences from git (documented, not silent): past the line diff's work limit
// (hostile or huge rewrites) the diff is a multiset difference; a parent version too large to
// read explains no lines; a commit outside the walk (shallow boundary) explains nothing.
// On redis (12,272 commits) see bench/RESULTS.md section 3 for the line-by-line agreement.
// Memory: the compact tree diffs of the whole walk (about 30 bytes per changed path), one
// state per commit whose children are not all done, and a 96 MiB LRU of blob texts with
// their line index.
#include <cstdint>
#include <string>
#include <vector>

#include "common/skipped.h"
#include "git/repository.h"

namespace provscan::git {

struct BlameOptions {
  std::uint64_t max_blob_bytes = 16ull << 20;  // larger blobs are skipped ("blob-too-large")
};

struct FileBlame {
  std::string path;
  std::vector<std::string> line_commits;  // per line (index = line - 1), 40-hex commit id
};

struct BlameResult {
  std::string rev;                // the resolved commit id
  std::vector<FileBlame> files;   // regular and executable text files, sorted by path
  std::vector<Skipped> skipped;   // binaries, too large, unreadable, symlinks, submodules,
                                  // tree-depth, bad commits of the walk; sorted
};

// Throws Error when `rev` does not resolve to a commit.
BlameResult blame_all(const Repository& repo, const std::string& rev,
                      const BlameOptions& options = {});

}  // namespace provscan::git
