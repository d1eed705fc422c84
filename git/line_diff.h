#pragma once
// Which lines of `new_text` are added relative to `old_text` (a minimal line diff, like
// `git diff -U0`'s '+' lines). Pure functions over bytes: no libgit2.
#include <string_view>
#include <vector>

#include "git/commit.h"

namespace provscan::git {

std::vector<LineRange> added_lines(std::string_view old_text, std::string_view new_text);

// Git's heuristic: a NUL byte in the first 8000 bytes makes a blob binary.
bool looks_binary(std::string_view bytes) noexcept;

}  // namespace provscan::git
