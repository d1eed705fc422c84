#pragma once
// The result of a scan: everything reports/ prints, as plain values. Sorted so that output is
// byte-identical for the same inputs whatever the thread count.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/severity.h"
#include "common/skipped.h"

namespace provscan::scan {

// An identity as it appears in a commit, and the roster person it resolved to (if any).
struct PersonRef {
  std::optional<std::string> person;  // roster id; nullopt = unattributed
  std::string identity;               // "Name <email>" exactly as recorded
};

// An inline `provscan:ignore RULE reason` comment that took effect (scanner/suppression.h).
struct Suppression {
  std::string reason;
  PersonRef author;  // who wrote the comment: the author of the commit that added its line
};

struct Finding {
  std::string rule_id;
  std::string engine;  // "signature", "query", "clang", "blob", "policy", ...
  Severity severity = Severity::Medium;
  std::string message;
  std::string commit;  // 40 hex
  std::string path;
  std::uint32_t line = 0;  // 1-based; 0 = whole file / whole commit
  std::uint32_t end_line = 0;
  std::string snippet;
  PersonRef author;
  PersonRef committer;
  std::optional<PersonRef> relayed_for;
  std::vector<PersonRef> co_authors;  // Co-authored-by trailers, resolved like authors
  std::vector<PersonRef> reviewers;   // Reviewed-by trailers
  // The commit's signature, verified against the roster's keys only: "unsigned", "verified",
  // "bad-signature", "unknown-key" or "unverifiable"; the signer when verified.
  std::string signature = "unsigned";
  std::optional<std::string> signer;
  std::string signing_key;  // fingerprint of the key that signed (when known)
  std::string fingerprint;  // stable across line shifts
  // Known: its fingerprint is in the --baseline file. Reported, but it does not fail the gate.
  bool baselined = false;
  std::string cwe;
  std::vector<std::string> references;
  // Suppressed by an inline comment on its line, with a reason, written by someone allowed to
  // contribute there. Reported (with the reason and who wrote it) but it does not fail the
  // gate. `suppression` is set exactly when `suppressed` is.
  bool suppressed = false;
  std::optional<Suppression> suppression;
};

struct ContributorStats {
  std::optional<std::string> person;  // nullopt for an unattributed identity
  std::string identity;               // for unattributed: the raw identity; else display name
  std::uint64_t commits = 0;
  std::uint64_t lines_added = 0;
  std::uint64_t lines_alive_at_head = 0;
  std::uint64_t findings = 0;

  // Filled by `audit` only (scan/audit.h); empty or zero in `scan`.
  std::vector<std::string> identities;            // raw "Name <email>" authored under, sorted
  std::map<std::string, std::string> attributes;  // from the roster only (role, citizenship, ...)
  std::map<std::string, std::uint64_t> commits_by_month;  // "YYYY-MM" of the author date (UTC)
  std::vector<std::pair<std::string, std::uint64_t>> top_paths;  // most commits first, capped
  std::uint64_t paths_touched = 0;                // distinct paths with added lines
  std::uint64_t files_alive_at_head = 0;
  // Relays: commits of this person committed by someone else, and commits this person
  // committed for someone else; keyed by the other side's label (person id or identity).
  std::map<std::string, std::uint64_t> relayed_by;
  std::map<std::string, std::uint64_t> relayed_for;
  std::map<std::string, std::uint64_t> signatures;  // signature status -> commits
  std::int64_t first_commit_time = 0;  // author dates, seconds since the epoch
  std::int64_t last_commit_time = 0;
};

// One scanned commit, kept when ScanOptions::record_commits is set (for `audit`).
struct CommitRecord {
  std::string id;
  std::int64_t author_time = 0;
  PersonRef author;
  PersonRef committer;
  std::optional<PersonRef> relayed_for;
  bool relay = false;
  std::string signature = "unsigned";
  std::uint64_t lines_added = 0;
  std::uint64_t findings = 0;
  std::vector<std::string> paths;  // paths with added lines, and changed binaries; sorted
};

// Lines alive at a revision (`audit`): the totals behind contributors[].lines_alive_at_head.
struct AliveTotals {
  std::string rev;  // resolved commit id
  std::uint64_t lines = 0;
  std::uint64_t files = 0;
  std::vector<Skipped> skipped;  // files whose lines were not counted (binaries, too large, ...)
};

struct RuleInfo {  // for SARIF's tool.driver.rules and reports
  std::string id;
  std::string engine;
  Severity severity = Severity::Medium;
  std::string message;
  std::string cwe;
  std::vector<std::string> references;
};

struct ScanResult {
  std::string tool_version;
  std::string repository;
  std::string range;
  std::string rules_sha256;
  std::string roster_sha256;  // empty when no roster was given
  std::string policy_sha256;
  std::uint64_t commits = 0;
  std::uint64_t contributions = 0;
  std::vector<Finding> findings;              // sorted by path, line, end_line, rule, commit
  std::vector<ContributorStats> contributors;  // sorted: persons by id, then unattributed by identity
  std::vector<Skipped> skipped;               // sorted
  std::vector<RuleInfo> rules;                // sorted by id
  std::map<std::string, std::uint64_t> findings_by_engine;
  std::vector<CommitRecord> commit_log;  // in walk order; only with ScanOptions::record_commits
  std::optional<AliveTotals> alive;      // set by `audit`: reports then show the audit sections

  // Any skipped entry with incomplete = true: some content was not examined at all.
  bool incomplete() const {
    for (const Skipped& s : skipped)
      if (s.incomplete) return true;
    return false;
  }
  // Every severity present as a key (zero when none).
  std::map<Severity, std::uint64_t> severity_counts() const {
    std::map<Severity, std::uint64_t> out;
    for (Severity s : {Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical})
      out[s] = 0;
    for (const Finding& f : findings) ++out[f.severity];
    return out;
  }
};

}  // namespace provscan::scan
