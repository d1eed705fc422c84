// GitLab Code Quality report (artifacts:reports:codequality): a JSON array of Code Climate
// style issues. GitLab compares the head pipeline's report with the base's by fingerprint to
// say which issues a merge request adds, so provscan's fingerprint (stable across line shifts)
// is used as is; only a repeat within one report is suffixed, because GitLab would otherwise
// show the issue once.
#include "reports/report.h"

#include <map>

#include <fmt/format.h>

#include "reports/json_text.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

using nlohmann::ordered_json;
using detail::json_string;

const char* code_quality_severity(Severity s) {
  switch (s) {
    case Severity::Critical: return "blocker";
    case Severity::High: return "critical";
    case Severity::Medium: return "major";
    case Severity::Low: return "minor";
    case Severity::Info: break;
  }
  return "info";
}

// Shown in the merge request widget: what, and whose commit. The labels are display()-escaped
// already; the JSON writer escapes the rest.
std::string description(const scan::Finding& f) {
  std::string text = fmt::format("{} (commit {}, author {}", f.message, detail::short_commit(f.commit),
                                 detail::person_label(f.author));
  if (f.relayed_for) text += ", relayed for " + detail::person_label(*f.relayed_for);
  return text + ")" + detail::gate_marks(f);
}

ordered_json issue_json(const scan::Finding& f, const std::string& fingerprint) {
  ordered_json lines;
  lines["begin"] = f.line > 0 ? f.line : 1;
  ordered_json location;
  location["path"] = f.path.empty() ? ordered_json(".") : json_string(f.path);
  location["lines"] = std::move(lines);
  ordered_json j;
  j["description"] = json_string(description(f));
  j["check_name"] = json_string(f.rule_id);
  j["fingerprint"] = json_string(fingerprint);
  j["severity"] = f.suppressed ? "info" : code_quality_severity(f.severity);
  j["location"] = std::move(location);
  return j;
}

}  // namespace

std::string to_gitlab(const scan::ScanResult& r) {
  ordered_json issues = ordered_json::array();
  std::map<std::string, unsigned> seen;
  for (const auto& f : r.findings) {
    const unsigned n = ++seen[f.fingerprint];
    issues.push_back(issue_json(f, n == 1 ? f.fingerprint : fmt::format("{}-{}", f.fingerprint, n)));
  }
  return detail::dump_json(issues);
}

}  // namespace provscan::report
