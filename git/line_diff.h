#pragma once
// Which lines of `new_text` are added relative to `old_text` (a minimal line diff, like
// `git diff -U0`'s '+' lines). Pure functions over bytes: no libgit2.
#include <cstdint>
#include <string_view>
#include <vector>

#include "git/commit.h"

namespace provscan::git {

std::vector<LineRange> added_lines(std::string_view old_text, std::string_view new_text);

// How line_origins() places changes. The defaults are what `git blame` (and plain `git diff`)
// do: the indent heuristic (diff.indentHeuristic, default on); as xdiff does for a diff
// without context, a common tail dropped in 1024-byte blocks before diffing; and xdiff's
// discard of lines with many matches inside runs of unmatched lines (so git's diff, and
// blame, is not always minimal: such a line counts as changed); and xdiff's cost heuristics
// (xdl_split without XDF_NEED_MINIMAL: past 256 edits in a region it splits at a long common
// run or at the furthest-reaching path instead of searching on for a minimal diff).
struct LineDiffOptions {
  bool indent_heuristic = true;
  bool trim_common_tail = true;
  bool discard_multimatch = true;
  bool xdiff_heuristics = true;
};

// For each line of `new_text` (0-based), the 0-based index of the line of `old_text` it is
// unchanged from in the same minimal diff as added_lines(), or -1 when the line is added.
// Mapped old indices increase strictly (except past the diff's work limit on hostile inputs,
// where each kept line takes the next unused old line of the same content). With all options false, the -1 lines are exactly
// added_lines(old_text, new_text).
std::vector<std::int64_t> line_origins(std::string_view old_text, std::string_view new_text,
                                       const LineDiffOptions& options = {});

// A text split into lines (each keeping its '\n'; a last line without one is a line) with a
// 64-bit hash per line: built once per blob, reused by every diff the blob takes part in. The
// views point into `text`, which the caller keeps alive.
struct LineIndex {
  std::string_view text;
  std::vector<std::string_view> lines;
  std::vector<std::uint64_t> hashes;
};
LineIndex index_lines(std::string_view text);

// line_origins() on texts already indexed.
std::vector<std::int64_t> line_origins(const LineIndex& old_text, const LineIndex& new_text,
                                       const LineDiffOptions& options = {});

// Git's heuristic: a NUL byte in the first 8000 bytes makes a blob binary.
bool looks_binary(std::string_view bytes) noexcept;

}  // namespace provscan::git
