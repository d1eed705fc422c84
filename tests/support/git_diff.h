#pragma once
// The reference for provscan's line diff: what `git diff -U0 --no-index` says was added.
// Runs the git CLI on two files it writes itself (fine in tests; the product never runs git),
// with no user or system configuration.
#include <string>
#include <vector>

#include "git/commit.h"

namespace provscan::test {

std::vector<git::LineRange> git_diff_added(const std::string& old_text, const std::string& new_text,
                                           bool indent_heuristic);

// The message of the provscan::Error that `f` throws, or "<no error>".
template <class F>
std::string error_of(F&& f);

}  // namespace provscan::test

#include "common/error.h"

template <class F>
std::string provscan::test::error_of(F&& f) {
  try {
    f();
  } catch (const provscan::Error& e) {
    return e.what();
  }
  return "<no error>";
}
