// JUnit XML, the dialect CI test views read (Ant's, as Jenkins and GitLab parse it): a rule is a
// test case, and each of its findings is a <failure>. XML 1.0 cannot carry most control
// characters at all, not even as character references, so repository text goes through
// display() first (they become visible `\xNN` / `\uNNNN` text) and only then through the five
// XML escapes. Output order follows the ScanResult; nothing is time-dependent.
#include "reports/report.h"

#include <map>

#include <fmt/format.h>

#include "reports/escape.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

// The two code points display() keeps (they are valid UTF-8) but XML 1.0 forbids.
constexpr std::string_view kU_FFFE = "\xef\xbf\xbe";
constexpr std::string_view kU_FFFF = "\xef\xbf\xbf";

// For text that is already printable (our own, or display()'s output): the XML escapes, valid
// in both attribute values and element content.
std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string_view rest = s.substr(i);
    if (rest.starts_with(kU_FFFE) || rest.starts_with(kU_FFFF)) {
      out += rest.starts_with(kU_FFFE) ? "\\ufffe" : "\\uffff";
      i += 2;
      continue;
    }
    switch (s[i]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += s[i];
    }
  }
  return out;
}

// Repository text: one printable line, then XML-escaped.
std::string xml(std::string_view s) { return xml_escape(detail::display(s)); }

struct Case {
  scan::RuleInfo rule;
  std::vector<const scan::Finding*> findings;
};

// r.rules in order (first entry wins on a repeated id), then every rule id that only findings
// mention, in order of first mention: no finding is left out of the file.
std::vector<Case> cases_of(const scan::ScanResult& r) {
  std::vector<Case> cases;
  std::map<std::string, std::size_t> index;
  auto add = [&](const scan::RuleInfo& rule) -> std::size_t {
    const auto [it, inserted] = index.emplace(rule.id, cases.size());
    if (inserted) cases.push_back({rule, {}});
    return it->second;
  };
  for (const auto& rule : r.rules) add(rule);
  for (const auto& f : r.findings)
    cases[add({f.rule_id, f.engine, f.severity, f.message, f.cwe, f.references})].findings.push_back(&f);
  return cases;
}

std::string location(const scan::Finding& f) {
  std::string where = f.path.empty() ? std::string("(commit)") : detail::display(f.path);
  if (f.line > 0) where += fmt::format(":{}", f.line);
  if (f.line > 0 && detail::last_line(f) > f.line) where += fmt::format("-{}", detail::last_line(f));
  return where;
}

std::string failure_body(const scan::Finding& f) {
  std::string text = location(f) + detail::gate_marks(f) + "\n";
  text += fmt::format("commit {}, author {}", detail::display(f.commit), detail::person_label(f.author));
  if (f.relayed_for) text += ", relayed for " + detail::person_label(*f.relayed_for);
  text += "\nfingerprint " + detail::display(f.fingerprint) + "\n";
  if (!f.snippet.empty()) text += detail::display(f.snippet) + "\n";
  return xml_escape(text);  // each piece is display()-escaped: the only newlines are ours
}

std::string failure_xml(const scan::Finding& f) {
  const std::string message = detail::display(f.message) + detail::gate_marks(f);
  return fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", to_string(f.severity),
                     xml_escape(message), failure_body(f));
}

std::string testcase_xml(const Case& c) {
  std::string out = fmt::format("    <testcase name=\"{}\" classname=\"provscan.{}\"", xml(c.rule.id),
                                xml(c.rule.engine));
  if (c.findings.empty()) return out + "/>\n";
  out += ">\n";
  for (const scan::Finding* f : c.findings) out += failure_xml(*f);
  return out + "    </testcase>\n";
}

std::string property_xml(std::string_view name, std::string_view value) {
  return fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, xml(value));
}

std::string properties_xml(const scan::ScanResult& r) {
  std::string out = "    <properties>\n";
  out += property_xml("provscan.version", r.tool_version);
  out += property_xml("repository", r.repository);
  out += property_xml("range", r.range);
  out += property_xml("commits", std::to_string(r.commits));
  out += property_xml("findings", std::to_string(r.findings.size()));
  out += property_xml("skipped", std::to_string(r.skipped.size()));
  return out + "    </properties>\n";
}

std::string system_out_xml(const std::vector<Skipped>& skipped) {
  if (skipped.empty()) return "";
  std::string text;
  for (const Skipped& s : skipped)
    text += fmt::format("not scanned{}: {} {} (commit {}): {}\n", s.incomplete ? " (incomplete)" : "",
                        detail::display(s.kind), detail::display(s.path.empty() ? std::string_view("-") : s.path),
                        s.commit.empty() ? std::string("-") : detail::short_commit(s.commit),
                        detail::display(s.reason));
  return "    <system-out>" + xml_escape(text) + "</system-out>\n";
}

}  // namespace

std::string to_junit(const scan::ScanResult& r) {
  const std::vector<Case> cases = cases_of(r);
  std::size_t failed = 0;
  for (const Case& c : cases) failed += c.findings.empty() ? 0 : 1;
  const std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"0\"", cases.size(), failed);

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"provscan\" {}>\n", counts);
  out += fmt::format("  <testsuite name=\"provscan\" {} skipped=\"0\">\n", counts);
  out += properties_xml(r);
  for (const Case& c : cases) out += testcase_xml(c);
  out += system_out_xml(r.skipped);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace provscan::report
