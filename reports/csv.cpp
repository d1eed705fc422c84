// CSV (RFC 4180): the header documented in report.h, one row per finding, CRLF line ends.
// Cells are display()-escaped, so a record never spans physical lines, then neutralised
// against spreadsheet formula injection (OWASP): a cell whose text starts with = + - @ TAB or
// CR gets a leading apostrophe. Cells holding , " are quoted with "" doubling.
#include "reports/report.h"

#include <ctime>

#include <fmt/format.h>

#include "reports/escape.h"

namespace provscan::report {

namespace {

constexpr std::string_view kHeader =
    "rule_id,engine,severity,commit,path,line,end_line,author_person,author_identity,"
    "committer_person,committer_identity,message,fingerprint,relayed_for_person,"
    "relayed_for_identity,baselined,suppressed,suppression_reason,suppression_author_person,"
    "suppression_author_identity";

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
  const bool suppressed = f.suppressed && f.suppression;
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", cell(f.rule_id),
                     cell(f.engine), to_string(f.severity), cell(f.commit), cell(f.path), f.line,
                     f.end_line, person_cell(f.author.person), cell(f.author.identity),
                     person_cell(f.committer.person), cell(f.committer.identity),
                     cell(f.message), cell(f.fingerprint), relayed_person, relayed_identity,
                     f.baselined ? "true" : "false", suppressed ? "true" : "false",
                     suppressed ? cell(f.suppression->reason) : "",
                     suppressed ? person_cell(f.suppression->author.person) : "",
                     suppressed ? cell(f.suppression->author.identity) : "");
}

constexpr std::string_view kContributorHeader =
    "person,identity,role,citizenship,residency,location,employer,clearance,valid_from,valid_to,"
    "commits,lines_added,lines_alive_at_head,files_alive_at_head,findings,paths_touched,"
    "first_commit,last_commit,signed_verified,signed_other,unsigned,relayed_by,relayed_for";

std::string date_cell(std::int64_t t) {
  if (t == 0) return {};
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  char buf[16];
  if (!gmtime_r(&tt, &tm) || !std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm)) return {};
  return buf;
}

std::string attr(const scan::ContributorStats& c, const char* key) {
  auto it = c.attributes.find(key);
  return it == c.attributes.end() ? std::string() : cell(it->second);
}

// "label=n;label=n" for the relay columns.
std::string pairs_cell(const std::map<std::string, std::uint64_t>& m) {
  std::string out;
  for (const auto& [k, n] : m) out += fmt::format("{}{}={}", out.empty() ? "" : ";", k, n);
  return cell(out);
}

std::string contributor_row(const scan::ContributorStats& c) {
  std::uint64_t verified = 0, other = 0, unsigned_ = 0;
  for (const auto& [status, n] : c.signatures)
    (status == "verified" ? verified : status == "unsigned" ? unsigned_ : other) += n;
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
                     person_cell(c.person), cell(c.identity), attr(c, "role"), attr(c, "citizenship"),
                     attr(c, "residency"), attr(c, "location"), attr(c, "employer"), attr(c, "clearance"),
                     attr(c, "valid_from"), attr(c, "valid_to"), c.commits, c.lines_added,
                     c.lines_alive_at_head, c.files_alive_at_head, c.findings, c.paths_touched,
                     date_cell(c.first_commit_time), date_cell(c.last_commit_time), verified, other,
                     unsigned_, pairs_cell(c.relayed_by), pairs_cell(c.relayed_for));
}

}  // namespace

std::string to_csv(const scan::ScanResult& r) {
  std::string out(kHeader);
  out += "\r\n";
  for (const auto& f : r.findings) out += row(f);
  return out;
}

std::string to_contributors_csv(const scan::ScanResult& r) {
  std::string out(kContributorHeader);
  out += "\r\n";
  for (const auto& c : r.contributors) out += contributor_row(c);
  return out;
}

}  // namespace provscan::report
