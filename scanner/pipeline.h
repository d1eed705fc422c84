#pragma once
// The glue of a scan: walk history, turn each commit into contributions (added lines per path),
// run every engine over each changed blob once, keep the hits on added lines, attribute them.
// Owns nothing but the run; every stage it calls takes and returns plain values.
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "git/history.h"
#include "rules/rule.h"
#include "scanner/detector.h"
#include "scanner/fingerprint.h"  // fingerprint(), used by everything that makes findings
#include "scanner/isolation/isolated_engine.h"
#include "scanner/mailmap.h"
#include "scanner/policy.h"
#include "scanner/result.h"
#include "scanner/roster.h"

namespace provscan::scan {

inline constexpr std::uint64_t kDefaultMaxBlobBytes = 16ull << 20;

struct ScanOptions {
  std::string repository;
  git::WalkSpec walk;
  std::uint64_t max_blob_bytes = kDefaultMaxBlobBytes;
  unsigned jobs = 0;  // 0 = all cores
  std::string origin_trailer = "On-behalf-of";
  std::vector<std::string> escort_roles = {"escort"};
  // A .mailmap given with --mailmap; when empty, the .mailmap of the range's base revision (the
  // first excluded revision) is used, never one from the commits under review.
  std::optional<std::string> mailmap_text;
  // The contribution policy, if any: each commit's breaches become policy.* findings. Its relay
  // settings (escort roles, origin trailer) replace the two fields above.
  const Policy* policy = nullptr;
  // Keep one CommitRecord per commit in ScanResult::commit_log (for `audit`).
  bool record_commits = false;
  // Called from worker threads (serialised by the pipeline) after each commit.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

// The engines a run uses, compiled once from the rule set. Throws InputError for rules an
// engine cannot use. With `isolation`, the query and clang engines run in watched worker
// processes (see isolation/isolated_engine.h); without it everything runs in this process
// (tests, `rules test`, trusted input).
std::vector<std::unique_ptr<Engine>> make_engines(const rules::RuleSet& rules,
                                                  const IsolationOptions* isolation = nullptr);

// Throws Error when the repository cannot be opened or a named revision does not resolve.
ScanResult run_scan(const ScanOptions& options, const rules::RuleSet& rules,
                    const std::vector<std::unique_ptr<Engine>>& engines, const Roster& roster);

// Built-in provenance checks (not from rule files): ids, severities and messages.
inline constexpr const char* kMailmapChangedRule = "provenance.mailmap-changed";
// A path git would refuse to check out (.., .git, control characters, invalid UTF-8, ...) or
// that a tree lists twice: only a hand-written tree holds one.
inline constexpr const char* kHostilePathRule = "provenance.hostile-path";

// Every path of a revision's tree (for `policy check`: globs that match nothing).
std::vector<std::string> paths_at(const std::string& repository, const std::string& rev);

}  // namespace provscan::scan
