#pragma once
// Facts several writers print the same way: counts by severity, skip and engine, and the
// one-line labels for people and commits.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/result.h"

namespace provscan::report::detail {

// Indexed by static_cast<int>(Severity): info, low, medium, high, critical.
using SeverityCounts = std::array<std::uint64_t, 5>;

// Counted from the findings themselves, so the report never disagrees with its own rows.
SeverityCounts count_by_severity(const std::vector<scan::Finding>& findings);
// "2 critical, 3 high": non-zero counts, most severe first; empty when there is none.
std::string severity_breakdown(const SeverityCounts& counts);
// r.findings_by_engine, or counted from the findings when the pipeline left it empty.
std::map<std::string, std::uint64_t> engine_counts(const scan::ScanResult& r);
std::map<std::string, std::uint64_t> skipped_by_kind(const std::vector<Skipped>& skipped);
std::uint64_t incomplete_count(const std::vector<Skipped>& skipped);

// "Name <email> [p-0001]" or "Name <email> [unattributed]", display()-escaped.
std::string person_label(const scan::PersonRef& p);
// The first 7 characters of a commit id, display()-escaped.
std::string short_commit(std::string_view commit);
// end_line, or line when end_line is unset or before line.
std::uint32_t last_line(const scan::Finding& f);
// "suppressed by Name <email> [p-0001]: REASON", display()-escaped; empty when f is not suppressed.
std::string suppression_note(const scan::Finding& f);
// How a finding that does not fail the gate is marked in text formats: " [baselined]",
// " [suppressed by ...: REASON]", both, or "" for a finding that counts.
std::string gate_marks(const scan::Finding& f);
// "1 item" / "3 items".
std::string count_noun(std::uint64_t n, std::string_view singular, std::string_view plural);

}  // namespace provscan::report::detail
