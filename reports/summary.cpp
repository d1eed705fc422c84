// The human summary on a terminal. New findings before baselined and suppressed ones, most severe first (a
// stable sort: equal keys keep the ScanResult's order), at most kMaxListed of them; the JSON
// report has them all.
// Every repository string is display()-escaped, so the only escape sequences in the output
// are the colours this file adds, and only when asked.
#include "reports/report.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/escape.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

constexpr std::size_t kMaxListed = 50;
constexpr std::string_view kReset = "\x1b[0m";

std::string_view colour_of(Severity s) {
  switch (s) {
    case Severity::Critical: return "\x1b[1;31m";  // bold red
    case Severity::High: return "\x1b[31m";        // red
    case Severity::Medium: return "\x1b[33m";      // yellow
    case Severity::Low: return "\x1b[36m";         // cyan
    case Severity::Info: break;
  }
  return "\x1b[2m";  // dim
}

// "CRITICAL" padded to a common width; the padding stays outside the colour codes.
std::string severity_word(Severity s, bool color) {
  std::string word(to_string(s));
  std::transform(word.begin(), word.end(), word.begin(),
                 [](char c) { return static_cast<char>(c - 'a' + 'A'); });
  const std::string pad(8 - word.size(), ' ');
  if (!color) return word + pad;
  return fmt::format("{}{}{}{}", colour_of(s), word, kReset, pad);
}

std::string header(const scan::ScanResult& r) {
  std::string out = "provscan";
  if (!r.tool_version.empty()) out += " " + detail::display(r.tool_version);
  if (!r.repository.empty()) out += ": " + detail::display(r.repository);
  if (!r.range.empty()) out += " (range " + detail::display(r.range) + ")";
  out += "\n";
  out += fmt::format("{}, {}\n", detail::count_noun(r.commits, "commit", "commits"),
                     detail::count_noun(r.contributions, "contribution", "contributions"));
  return out;
}

std::string counts(const scan::ScanResult& r) {
  const detail::SeverityCounts by_sev = detail::count_by_severity(r.findings);
  std::string out = "findings:";
  const char* sep = " ";
  for (const Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low,
                           Severity::Info}) {
    out += fmt::format("{}{} {}", sep, by_sev[static_cast<std::size_t>(s)], to_string(s));
    sep = ", ";
  }
  out += "\n";
  const auto by_engine = detail::engine_counts(r);
  if (!by_engine.empty()) {
    out += "by engine:";
    sep = " ";
    for (const auto& [engine, n] : by_engine) {
      out += fmt::format("{}{} {}", sep, detail::display(engine), n);
      sep = ", ";
    }
    out += "\n";
  }
  return out;
}

std::string finding_lines(const scan::Finding& f, bool color) {
  std::string where = detail::display(f.path.empty() ? std::string_view("(commit)") : f.path);
  if (f.line > 0) where += fmt::format(":{}", f.line);
  where += detail::gate_marks(f);
  std::string who = "by " + detail::person_label(f.author);
  if (f.relayed_for) who += ", relayed for " + detail::person_label(*f.relayed_for);
  return fmt::format("{} {} {} (commit {} {})\n    {}\n", severity_word(f.severity, color),
                     detail::display(f.rule_id), where, detail::short_commit(f.commit), who,
                     detail::display(f.message));
}

std::string finding_list(const scan::ScanResult& r, bool color) {
  if (r.findings.empty()) return "";
  std::vector<const scan::Finding*> order;
  for (const auto& f : r.findings) order.push_back(&f);
  // Findings that count for the gate first: the list is cut at kMaxListed, and baselined or
  // suppressed ones do not fail the gate.
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    const bool a_known = a->baselined || a->suppressed, b_known = b->baselined || b->suppressed;
    if (a_known != b_known) return !a_known;
    return a->severity > b->severity;
  });
  std::string out = "\n";
  const std::size_t shown = std::min(order.size(), kMaxListed);
  for (std::size_t i = 0; i < shown; ++i) out += finding_lines(*order[i], color);
  if (order.size() > shown)
    out += fmt::format("... and {} more (see --format json)\n", order.size() - shown);
  return out;
}

std::string skipped_lines(const scan::ScanResult& r) {
  if (r.skipped.empty()) return "";
  std::string out = "\nnot scanned:";
  const char* sep = " ";
  for (const auto& [kind, n] : detail::skipped_by_kind(r.skipped)) {
    out += fmt::format("{}{} {}", sep, n, detail::display(kind));
    sep = ", ";
  }
  if (const std::uint64_t n = detail::incomplete_count(r.skipped); n > 0)
    out += fmt::format(" ({} not examined at all)", n);
  return out + "\n";
}

std::string final_line(const scan::ScanResult& r) {
  std::string breakdown = detail::severity_breakdown(detail::count_by_severity(r.findings));
  const auto baselined = std::count_if(r.findings.begin(), r.findings.end(),
                                       [](const scan::Finding& f) { return f.baselined; });
  const auto suppressed = std::count_if(r.findings.begin(), r.findings.end(),
                                        [](const scan::Finding& f) { return f.suppressed; });
  if (baselined > 0) breakdown += fmt::format("; {} baselined", baselined);
  if (suppressed > 0) breakdown += fmt::format("{} {} suppressed", baselined > 0 ? "," : ";", suppressed);
  std::string out = detail::count_noun(r.findings.size(), "finding", "findings");
  if (!breakdown.empty()) out += " (" + breakdown + ")";
  out += " in " + detail::count_noun(r.commits, "commit", "commits") + "; ";
  if (r.skipped.empty())
    out += "nothing skipped";
  else
    out += detail::count_noun(r.skipped.size(), "item", "items") + " not scanned";
  return "\n" + out + "\n";
}

}  // namespace

std::string to_summary(const scan::ScanResult& r, bool color) {
  return header(r) + counts(r) + finding_list(r, color) + skipped_lines(r) + final_line(r);
}

}  // namespace provscan::report
