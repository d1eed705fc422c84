#pragma once
// `provscan audit`: completes a scan of the whole history with what an auditor needs per
// contributor: lines alive at a revision (one git::blame_all pass), the roster attributes, and
// per-person detail (identities, commits per month, paths touched, relays, signatures).
// Attributes come only from the roster; an identity outside it stays unattributed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scanner/attribution.h"
#include "scanner/result.h"

namespace provscan::scan {

struct AuditOptions {
  std::string rev = "HEAD";                    // lines alive are counted at this revision
  std::uint64_t max_blob_bytes = 16ull << 20;  // larger files are not counted (and listed)
  std::size_t top_paths = 25;                  // paths listed per contributor
};

// Requires r.commit_log (ScanOptions::record_commits). Sets r.alive and fills every
// contributor's audit fields. A line's author is the one the scan resolved for the commit that
// introduced it; for a commit outside the scanned range (e.g. before --since) `who` resolves
// it. Contributors with lines alive but no commit in the range are added with 0 commits.
// Throws Error when the repository cannot be opened or `rev` does not resolve.
void complete_audit(ScanResult& r, const std::string& repository, const IdentityResolver& who,
                    const AuditOptions& options);

// The roster attributes of a person, by name: role, citizenship (comma-separated), residency,
// location, employer, clearance, valid_from, valid_to. Absent attributes are left out.
std::map<std::string, std::string> roster_attributes(const Person& p);

}  // namespace provscan::scan
