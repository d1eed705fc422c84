// CSV (RFC 4180): the header documented in report.h, one row per finding, CRLF line ends.
// Cells are display()-escaped, so a record never spans physical lines, then neutralised
// against spreadsheet formula injection (OWASP): a cell whose text starts with = + - @ TAB or
// CR gets a leading apostrophe. Cells holding , " are quoted with "" doubling.
#include "reports/report.h"

#include <fmt/format.h>

#include "reports/escape.h"

namespace provscan::report {

namespace {

constexpr std::string_view kHeader =
    "rule_id,engine,severity,commit,path,line,end_line,author_person,author_identity,"
    "committer_person,committer_identity,message,fingerprint,relayed_for_person,"
    "relayed_for_identity";

bool starts_formula(std::string_view raw) {
  return !raw.empty() && std::string_view("=+-@\t\r").find(raw.front()) != std::string_view::npos;
}

std::string cell(std::string_view raw) {
  std::string text = detail::display(raw);
  if (starts_formula(raw)) text.insert(0, 1, '\'');
  if (text.find_first_of(",\"") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string person_cell(const std::optional<std::string>& person) {
  return person ? cell(*person) : std::string();
}

std::string row(const scan::Finding& f) {
  const std::string relayed_person = f.relayed_for ? person_cell(f.relayed_for->person) : "";
  const std::string relayed_identity = f.relayed_for ? cell(f.relayed_for->identity) : "";
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", cell(f.rule_id),
                     cell(f.engine), to_string(f.severity), cell(f.commit), cell(f.path), f.line,
                     f.end_line, person_cell(f.author.person), cell(f.author.identity),
                     person_cell(f.committer.person), cell(f.committer.identity),
                     cell(f.message), cell(f.fingerprint), relayed_person, relayed_identity);
}

}  // namespace

std::string to_csv(const scan::ScanResult& r) {
  std::string out(kHeader);
  out += "\r\n";
  for (const auto& f : r.findings) out += row(f);
  return out;
}

}  // namespace provscan::report
