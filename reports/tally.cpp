#include "reports/tally.h"

#include <fmt/format.h>

#include "reports/escape.h"

namespace provscan::report::detail {

SeverityCounts count_by_severity(const std::vector<scan::Finding>& findings) {
  SeverityCounts counts{};
  for (const auto& f : findings) ++counts[static_cast<std::size_t>(f.severity)];
  return counts;
}

std::string severity_breakdown(const SeverityCounts& counts) {
  std::string out;
  for (int s = static_cast<int>(Severity::Critical); s >= static_cast<int>(Severity::Info); --s) {
    const std::uint64_t n = counts[static_cast<std::size_t>(s)];
    if (n == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", n, to_string(static_cast<Severity>(s)));
  }
  return out;
}

std::map<std::string, std::uint64_t> engine_counts(const scan::ScanResult& r) {
  if (!r.findings_by_engine.empty() || r.findings.empty()) return r.findings_by_engine;
  std::map<std::string, std::uint64_t> counts;
  for (const auto& f : r.findings) ++counts[f.engine];
  return counts;
}

std::map<std::string, std::uint64_t> skipped_by_kind(const std::vector<Skipped>& skipped) {
  std::map<std::string, std::uint64_t> counts;
  for (const auto& s : skipped) ++counts[s.kind];
  return counts;
}

std::uint64_t incomplete_count(const std::vector<Skipped>& skipped) {
  std::uint64_t n = 0;
  for (const auto& s : skipped) n += s.incomplete ? 1 : 0;
  return n;
}

std::string person_label(const scan::PersonRef& p) {
  return fmt::format("{} [{}]", display(p.identity),
                     p.person ? display(*p.person) : std::string("unattributed"));
}

std::string suppression_note(const scan::Finding& f) {
  if (!f.suppressed || !f.suppression) return {};
  return fmt::format("suppressed by {}: {}", person_label(f.suppression->author), display(f.suppression->reason));
}

std::string gate_marks(const scan::Finding& f) {
  std::string out;
  if (f.baselined) out += " [baselined]";
  if (const std::string note = suppression_note(f); !note.empty()) out += " [" + note + "]";
  return out;
}

std::string short_commit(std::string_view commit) { return display(commit.substr(0, 7)); }

std::uint32_t last_line(const scan::Finding& f) {
  return f.end_line >= f.line ? f.end_line : f.line;
}

std::string count_noun(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

}  // namespace provscan::report::detail
