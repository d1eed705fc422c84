// Markdown (GitHub-flavoured) for pull-request comments and audit files. Every value from the
// repository goes through markdown_text(), so it stays inside its table cell and renders as
// text: no HTML, links, images or code spans can be injected.
#include "reports/report.h"

#include <fmt/format.h>

#include "reports/escape.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

using detail::markdown_text;

std::string header(const scan::ScanResult& r) {
  std::string out = "# provscan report\n\n";
  if (!r.repository.empty()) out += "Repository: " + markdown_text(r.repository) + "  \n";
  if (!r.range.empty()) out += "Range: " + markdown_text(r.range) + "  \n";
  if (!r.tool_version.empty()) out += "provscan " + markdown_text(r.tool_version) + "\n";
  return out + "\n";
}

std::string summary_table(const scan::ScanResult& r) {
  const detail::SeverityCounts counts = detail::count_by_severity(r.findings);
  std::string out = "## Summary\n\n| | count |\n|---|---:|\n";
  out += fmt::format("| commits | {} |\n", r.commits);
  out += fmt::format("| contributions | {} |\n", r.contributions);
  for (const Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low,
                           Severity::Info})
    out += fmt::format("| {} findings | {} |\n", to_string(s), counts[static_cast<std::size_t>(s)]);
  out += fmt::format("| not scanned | {} |\n", r.skipped.size());
  out += fmt::format("| not scanned, incomplete | {} |\n\n", detail::incomplete_count(r.skipped));
  return out;
}

std::string location(const scan::Finding& f) {
  if (f.line == 0) return markdown_text(f.path);
  return fmt::format("{}:{}", markdown_text(f.path), f.line);
}

std::string author_cell(const scan::Finding& f) {
  std::string out = markdown_text(detail::person_label(f.author));
  if (f.relayed_for)
    out += ", relayed for " + markdown_text(detail::person_label(*f.relayed_for));
  return out;
}

std::string findings_table(const scan::ScanResult& r) {
  std::string out = "## Findings\n\n";
  if (r.findings.empty()) return out + "No findings.\n\n";
  out += "| severity | rule | location | commit | author | message |\n";
  out += "|---|---|---|---|---|---|\n";
  for (const auto& f : r.findings)
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", to_string(f.severity),
                       markdown_text(f.rule_id), location(f),
                       markdown_text(f.commit.substr(0, 7)), author_cell(f),
                       markdown_text(f.message + detail::gate_marks(f)));
  return out + "\n";
}

// Audit only: who wrote what, and how much of it is alive at the audited revision.
std::string contributors_table(const scan::ScanResult& r) {
  if (!r.alive) return {};
  std::string out = fmt::format("## Contributors\n\nLines alive at {}: {} in {} files.\n\n",
                                markdown_text(r.alive->rev.substr(0, 12)), r.alive->lines, r.alive->files);
  out += "| person | identity | role | commits | lines added | lines alive | findings |\n";
  out += "|---|---|---|---:|---:|---:|---:|\n";
  for (const auto& c : r.contributors) {
    auto role = c.attributes.find("role");
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n",
                       c.person ? markdown_text(*c.person) : std::string("unattributed"), markdown_text(c.identity),
                       role == c.attributes.end() ? std::string() : markdown_text(role->second), c.commits,
                       c.lines_added, c.lines_alive_at_head, c.findings);
  }
  return out + "\n";
}

std::string skipped_list(const scan::ScanResult& r) {
  std::string out = "## Not scanned\n\n";
  if (r.skipped.empty()) return out + "Every item was scanned.\n";
  for (const auto& s : r.skipped) {
    out += "- " + markdown_text(s.kind);
    if (!s.path.empty()) out += " " + markdown_text(s.path);
    if (!s.commit.empty()) out += " (commit " + markdown_text(s.commit.substr(0, 7)) + ")";
    if (!s.reason.empty()) out += ": " + markdown_text(s.reason);
    out += s.incomplete ? " (incomplete: not examined)\n" : "\n";
  }
  return out;
}

}  // namespace

std::string to_markdown(const scan::ScanResult& r) {
  return header(r) + summary_table(r) + contributors_table(r) + findings_table(r) + skipped_list(r);
}

}  // namespace provscan::report
