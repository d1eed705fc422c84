// Fuzzes every report writer (reports/report.h) with a ScanResult built from the input:
// hostile paths, messages, identities, snippets, rule ids and skip reasons (newlines, ESC,
// bidi and C1 controls, invalid UTF-8, format metacharacters), then checks what each format
// promises: JSON/SARIF/GitLab parse and list every finding; CSV is rectangular with one row per
// finding; GitHub has one command line per finding; JUnit one <failure> per finding; HTML no
// script; and no output holds a raw control or hidden character besides its line ends.
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.h"
#include "tests/fuzz/fuzz_support.h"

using namespace provscan;

namespace {

// Fragments that break formats or terminals, mixed with raw fuzz bytes.
constexpr std::string_view kHostile[] = {
    "\n", "\r\n", "\r", "\t", "\x1b[31m", "\x1b]8;;http://x\x07", "\x7f", "\xc2\x85", "\xc2\x9b",
    "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x80\xa8", "\xe2\x80\x8b", "\xef\xbb\xbf", "\xef\xbf\xbe", "\xff", "\xc0\xaf",
    "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "::error file=x::", "%0A", "%25", ",", ":", "\"", "'", "=cmd|' /C calc'!A0",
    "+1", "-1", "@SUM", "<script>", "</td>", "]]>", "<![CDATA[", "&amp;", "|", "`", "*", "[x](javascript:x)", "\\",
    "{{", "}", "${", "..", "/", ".git", std::string_view("\0", 1), "p-0001", "a\u00e9\u4e2d\U0001F600"};

std::string hostile(FuzzedDataProvider& in) {
  std::string s;
  const unsigned parts = in.ConsumeIntegralInRange<unsigned>(0, 6);
  for (unsigned i = 0; i < parts && in.remaining_bytes() > 0; ++i) {
    if (in.ConsumeBool())
      s += kHostile[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kHostile) - 1)];
    else
      s += in.ConsumeRandomLengthString(24);
  }
  return s;
}

std::string hex40(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange<int>(0, 7) == 0) return hostile(in);  // never from git, but must not break output
  std::string s(40, '0');
  for (char& c : s) c = "0123456789abcdef"[in.ConsumeIntegralInRange<int>(0, 15)];
  return s;
}

Severity severity(FuzzedDataProvider& in) { return static_cast<Severity>(in.ConsumeIntegralInRange<int>(0, 4)); }

scan::PersonRef person(FuzzedDataProvider& in) {
  scan::PersonRef p;
  if (in.ConsumeBool()) p.person = hostile(in);
  p.identity = hostile(in);
  return p;
}

Skipped skipped(FuzzedDataProvider& in) {
  return Skipped{hostile(in), in.ConsumeBool() ? hex40(in) : std::string(), hostile(in), hostile(in), hostile(in),
                 in.ConsumeBool()};
}

scan::ScanResult build(FuzzedDataProvider& in) {
  scan::ScanResult r;
  r.tool_version = "0.1.0";
  r.repository = hostile(in);
  r.range = hostile(in);
  r.rules_sha256 = std::string(64, 'a');
  if (in.ConsumeBool()) r.roster_sha256 = std::string(64, 'b');
  r.commits = in.ConsumeIntegral<std::uint64_t>();
  r.contributions = in.ConsumeIntegral<std::uint32_t>();
  const char* const engines[] = {"signature", "query", "clang", "blob", "build", "text", "policy", "provenance"};
  for (unsigned n = in.ConsumeIntegralInRange<unsigned>(0, 4); n > 0; --n) {
    scan::RuleInfo ri;
    ri.id = hostile(in);
    ri.engine = engines[in.ConsumeIntegralInRange<int>(0, 7)];
    ri.severity = severity(in);
    ri.message = hostile(in);
    if (in.ConsumeBool()) ri.cwe = hostile(in);
    if (in.ConsumeBool()) ri.references = {hostile(in)};
    r.rules.push_back(std::move(ri));
  }
  for (unsigned n = in.ConsumeIntegralInRange<unsigned>(0, 6); n > 0; --n) {
    scan::Finding f;
    f.rule_id = in.ConsumeBool() && !r.rules.empty() ? r.rules[0].id : hostile(in);
    f.engine = engines[in.ConsumeIntegralInRange<int>(0, 7)];
    f.severity = severity(in);
    f.message = hostile(in);
    f.commit = hex40(in);
    f.path = hostile(in);
    f.line = in.ConsumeIntegral<std::uint32_t>();
    f.end_line = in.ConsumeBool() ? f.line + in.ConsumeIntegralInRange<std::uint32_t>(0, 5) : in.ConsumeIntegral<std::uint32_t>();
    f.snippet = hostile(in);
    f.author = person(in);
    f.committer = person(in);
    if (in.ConsumeBool()) f.relayed_for = person(in);
    if (in.ConsumeBool()) f.co_authors = {person(in)};
    if (in.ConsumeBool()) f.reviewers = {person(in), person(in)};
    const char* const sigs[] = {"unsigned", "verified", "bad-signature", "unknown-key", "unverifiable"};
    f.signature = sigs[in.ConsumeIntegralInRange<int>(0, 4)];
    if (in.ConsumeBool()) f.signer = hostile(in);
    f.signing_key = hostile(in);
    f.fingerprint = in.ConsumeBool() ? std::string(64, 'c') : hostile(in);
    f.baselined = in.ConsumeBool();
    f.cwe = hostile(in);
    if (in.ConsumeBool()) f.references = {hostile(in)};
    if (in.ConsumeBool()) {
      f.suppressed = true;
      f.suppression = scan::Suppression{hostile(in), person(in)};
    }
    ++r.findings_by_engine[f.engine];
    r.findings.push_back(std::move(f));
  }
  for (unsigned n = in.ConsumeIntegralInRange<unsigned>(0, 3); n > 0; --n) {
    scan::ContributorStats c;
    if (in.ConsumeBool()) c.person = hostile(in);
    c.identity = hostile(in);
    c.commits = in.ConsumeIntegral<std::uint32_t>();
    c.lines_added = in.ConsumeIntegral<std::uint64_t>();
    c.lines_alive_at_head = in.ConsumeIntegral<std::uint64_t>();
    c.findings = in.ConsumeIntegral<std::uint16_t>();
    c.identities = {hostile(in)};
    if (in.ConsumeBool()) c.attributes[in.ConsumeBool() ? "role" : hostile(in)] = hostile(in);
    if (in.ConsumeBool()) c.attributes["citizenship"] = hostile(in);
    // Keys are "YYYY-MM" of author dates, which a hostile repository forges at will.
    for (unsigned m = in.ConsumeIntegralInRange<unsigned>(0, 3); m > 0; --m)
      c.commits_by_month[in.ConsumeBool() ? std::to_string(in.ConsumeIntegral<std::int64_t>()) + "-" +
                                                std::to_string(in.ConsumeIntegralInRange<int>(1, 12))
                                          : hostile(in)] = in.ConsumeIntegral<std::uint32_t>();
    c.top_paths = {{hostile(in), in.ConsumeIntegral<std::uint32_t>()}};
    c.paths_touched = in.ConsumeIntegral<std::uint32_t>();
    c.relayed_by[hostile(in)] = in.ConsumeIntegral<std::uint16_t>();
    if (in.ConsumeBool()) c.relayed_for[hostile(in)] = 1;
    c.signatures[in.ConsumeBool() ? "verified" : hostile(in)] = in.ConsumeIntegral<std::uint16_t>();
    c.first_commit_time = in.ConsumeIntegral<std::int64_t>();
    c.last_commit_time = in.ConsumeBool() ? c.first_commit_time : in.ConsumeIntegral<std::int64_t>();
    r.contributors.push_back(std::move(c));
  }
  for (unsigned n = in.ConsumeIntegralInRange<unsigned>(0, 3); n > 0; --n) r.skipped.push_back(skipped(in));
  for (unsigned n = in.ConsumeIntegralInRange<unsigned>(0, 2); n > 0; --n) {
    scan::CommitRecord c;
    c.id = hex40(in);
    c.author_time = in.ConsumeIntegral<std::int64_t>();
    c.author = person(in);
    c.committer = person(in);
    c.paths = {hostile(in)};
    r.commit_log.push_back(std::move(c));
  }
  if (in.ConsumeBool()) {
    scan::AliveTotals a;
    a.rev = hex40(in);
    a.lines = in.ConsumeIntegral<std::uint32_t>();
    a.files = in.ConsumeIntegral<std::uint16_t>();
    if (in.ConsumeBool()) a.skipped = {skipped(in)};
    r.alive = std::move(a);
  }
  return r;
}

nlohmann::json parse_json(std::string_view format, const std::string& out) {
  fuzz::check_clean_text(format, out);
  try {
    return nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception& e) {
    fuzz::fail(std::string(format) + " does not parse: " + e.what(), out);
  }
}

// RFC 4180 rows; fails on a quote in an unquoted cell or an unterminated quoted cell.
std::vector<std::vector<std::string>> parse_csv(std::string_view format, std::string_view s) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '"' && cell.empty()) {
      ++i;
      for (;; ++i) {
        if (i >= s.size()) fuzz::fail(std::string(format) + ": unterminated quoted cell", s);
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            cell += '"';
            ++i;
          } else {
            ++i;
            break;
          }
        } else {
          cell += s[i];
        }
      }
      if (i < s.size() && s[i] != ',' && s[i] != '\r') fuzz::fail(std::string(format) + ": text after a quoted cell", s);
      continue;
    }
    if (s[i] == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      ++i;
    } else if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      i += 2;
    } else {
      if (s[i] == '"' || s[i] == '\n' || s[i] == '\r') fuzz::fail(std::string(format) + ": stray quote or line end", s);
      cell += s[i++];
    }
  }
  if (!row.empty() || !cell.empty()) fuzz::fail(std::string(format) + ": last row has no CRLF", s);
  for (const auto& r : rows)
    if (r.size() != rows.front().size()) fuzz::fail(std::string(format) + ": rows of different widths", s);
  return rows;
}

std::size_t count(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string_view::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const scan::ScanResult r = build(in);
  const std::size_t findings = r.findings.size();

  const nlohmann::json json = parse_json("json", report::to_json(r));
  if (json.at("findings").size() != findings) fuzz::fail("json: findings count");
  const nlohmann::json sarif = parse_json("sarif", report::to_sarif(r, true));
  if (sarif.at("runs").at(0).at("results").size() != findings) fuzz::fail("sarif: results count");
  (void)parse_json("sarif", report::to_sarif(r, false));
  const nlohmann::json gitlab = parse_json("gitlab", report::to_gitlab(r));
  if (!gitlab.is_array() || gitlab.size() != findings) fuzz::fail("gitlab: issue count");

  const std::string csv = report::to_csv(r);
  fuzz::check_clean_text("csv", csv, true);
  const auto rows = parse_csv("csv", csv);
  if (rows.size() != findings + 1 || rows.front().size() != 20) fuzz::fail("csv: not one 20-cell row per finding", csv);
  for (std::size_t i = 1; i < rows.size(); ++i)
    for (const std::string& cell : rows[i])
      if (!cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos)
        fuzz::fail("csv: cell open to formula injection", cell);

  const std::string contributors = report::to_contributors_csv(r);
  fuzz::check_clean_text("contributors csv", contributors, true);
  (void)parse_csv("contributors csv", contributors);

  const std::string github = report::to_github(r);
  fuzz::check_clean_text("github", github);
  if (count(github, "\n") != findings + (r.skipped.empty() ? 0 : 1)) fuzz::fail("github: not one line per finding", github);
  for (std::size_t p = 0; p < github.size(); p = github.find('\n', p) + 1)
    if (github.compare(p, 2, "::") != 0) fuzz::fail("github: a line that is not a workflow command", github);

  const std::string junit = report::to_junit(r);
  fuzz::check_clean_text("junit", junit);
  if (count(junit, "<failure ") != findings) fuzz::fail("junit: not one <failure> per finding", junit);

  report::HtmlOptions html_options;
  if (in.ConsumeBool()) html_options.commit_url = "https://git.example/c/{commit}";
  const std::string html = report::to_html(r, html_options);
  fuzz::check_clean_text("html", html);
  if (count(html, "<script") != 0 || count(html, "<SCRIPT") != 0) fuzz::fail("html: script element", html);

  fuzz::check_clean_text("markdown", report::to_markdown(r));
  fuzz::check_clean_text("summary", report::to_summary(r, false));
  (void)report::to_summary(r, true);
  return 0;
}
