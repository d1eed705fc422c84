#pragma once
// `provscan blame`: who wrote the lines alive at a revision, summed by person or by a roster
// attribute. Attributes come only from the roster; an author outside it is unattributed.
#include <cstdint>
#include <string>
#include <vector>

#include "common/skipped.h"
#include "scanner/attribution.h"

namespace provscan::scan {

struct AliveRow {
  std::string key;          // person id, attribute value, "(none)" or the raw identity
  std::string label;        // display name for persons; empty otherwise
  bool unattributed = false;
  std::uint64_t lines = 0;
  std::uint64_t files = 0;  // files with at least one of these lines
};

struct AliveSummary {
  std::string rev;
  std::string by;  // person | role | citizenship | location | employer | clearance | residency
  std::uint64_t total_lines = 0;
  std::uint64_t total_files = 0;
  std::vector<AliveRow> rows;     // most lines first, then key
  std::vector<Skipped> skipped;
};

// Attributes valid for `by`, in the order --help lists them.
const std::vector<std::string>& alive_groupings();

// Runs git::blame_all on `rev` and sums lines per group. Citizenship counts a line once for
// each citizenship its author holds (the shares then add up to more than 100%; said in output).
// Throws Error for a repository or revision that cannot be read, or an unknown grouping.
AliveSummary lines_alive(const std::string& repository, const std::string& rev, const IdentityResolver& who,
                         const std::string& by);

std::string to_text(const AliveSummary& s);
std::string to_json(const AliveSummary& s);

}  // namespace provscan::scan
