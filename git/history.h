#pragma once
// Which commits a scan covers. provscan walks history itself (refs resolved one by one,
// commits read one by one) so that one bad ref or commit is recorded, never fatal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/skipped.h"
#include "git/commit.h"
#include "git/repository.h"

namespace provscan::git {

struct WalkSpec {
  std::vector<std::string> include;  // revisions whose ancestry is scanned
  std::vector<std::string> exclude;  // revisions whose ancestry is not
  bool all_refs = false;             // include every branch and tag (and HEAD)
  std::optional<std::int64_t> since;  // committer time bounds, seconds since the epoch
  std::optional<std::int64_t> until;
};

// "A..B" -> include B, exclude A; "B" -> include B; "" -> include HEAD.
// Throws Error for a malformed range ("A...B" is not supported).
WalkSpec parse_range(const std::string& range);

struct WalkResult {
  std::vector<Commit> commits;     // each commit once; parents before children, ties by id
  // Bad refs and unreadable commits (incomplete); the shallow boundary, overflowing dates
  // ("bad-date"), unsorted or duplicated tree entries, and Repository::notices() (alternates,
  // grafts, replace refs), which are visible but do not make the scan incomplete.
  std::vector<Skipped> skipped;
  std::string description;         // e.g. "HEAD", "v1..main", "--all (5 refs)"
};

// Throws Error when an explicitly named revision does not resolve (a typo must not pass), and
// for a range (spec.exclude not empty) in a shallow clone whose walk reaches the shallow
// boundary before meeting the excluded side: the base's ancestry cannot be excluded, so the
// range would be wrong. Both messages say how to fetch the missing history.
WalkResult walk(const Repository& repo, const WalkSpec& spec);

}  // namespace provscan::git
