// GitHub Actions workflow commands, one line per finding. GitHub reads a command from the start
// of any log line, so the only defence against a forged command is that no repository text can
// end the line or the property list: every value is display()-escaped (no raw CR/LF/ESC
// remains) and then escaped as @actions/core does (properties: % CR LF : ,; data: % CR LF).
#include "reports/report.h"

#include <fmt/format.h>

#include "reports/escape.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

std::string escape_data(std::string_view s) {
  std::string out;
  for (const char c : detail::display(s)) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view s) {
  std::string out;
  for (const char c : escape_data(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

const char* command_for(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium: return "warning";
    case Severity::Low:
    case Severity::Info: break;
  }
  return "notice";
}

std::string properties(const scan::Finding& f) {
  std::string props;
  if (!f.path.empty()) props += "file=" + escape_property(f.path) + ",";
  if (f.line > 0) props += fmt::format("line={},endLine={},", f.line, detail::last_line(f));
  props += "title=" + escape_property(f.rule_id);
  return props;
}

// The message with the attribution an reviewer needs without opening the JSON report. The
// labels are already display()-escaped; escape_data() leaves them so.
std::string message(const scan::Finding& f) {
  std::string text = fmt::format("{} (commit {}, author {}", detail::display(f.message),
                                 detail::short_commit(f.commit), detail::person_label(f.author));
  if (f.relayed_for) text += ", relayed for " + detail::person_label(*f.relayed_for);
  text += ")" + detail::gate_marks(f);
  return escape_data(text);
}

std::string skipped_warning(const std::vector<Skipped>& skipped) {
  std::string text = detail::count_noun(skipped.size(), "item was", "items were") + " not scanned:";
  const char* sep = " ";
  for (const auto& [kind, n] : detail::skipped_by_kind(skipped)) {
    text += fmt::format("{}{} {}", sep, n, kind);
    sep = ", ";
  }
  if (const std::uint64_t n = detail::incomplete_count(skipped); n > 0)
    text += fmt::format(" ({} incomplete)", n);
  return "::warning::" + escape_data(text) + "\n";
}

}  // namespace

std::string to_github(const scan::ScanResult& r) {
  std::string out;
  for (const auto& f : r.findings)
    out += fmt::format("::{} {}::{}\n", f.suppressed ? "notice" : command_for(f.severity), properties(f), message(f));
  if (!r.skipped.empty()) out += skipped_warning(r.skipped);
  return out;
}

}  // namespace provscan::report
