// The audit's report writers: report.html (escaping, self-containment, sections),
// contributors.csv (exact text), the JSON audit keys and the Markdown contributors table.
#include "reports/report.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/reports/report_fixture.h"

using namespace provscan;
using namespace provscan::report::testing;

namespace {

scan::ScanResult audit_sample() {
  scan::ScanResult r = sample_result();
  r.alive = scan::AliveTotals{kCommitA, 128, 9, {}};
  scan::ContributorStats& alice = r.contributors[0];
  alice.identities = {"Alice Example <alice@corp.example>", "alice <alice@old.example>"};
  alice.attributes = {{"citizenship", "US,CA"}, {"clearance", "secret"}, {"role", "employee"}};
  alice.commits_by_month = {{"2023-11", 3}, {"2024-02", 2}};
  alice.top_paths = {{"src/auth.c", 4}, {"README", 1}};
  alice.paths_touched = 2;
  alice.files_alive_at_head = 2;
  alice.signatures = {{"verified", 4}, {"unsigned", 1}};
  alice.first_commit_time = 1700000000;  // 2023-11-14
  alice.last_commit_time = 1707000000;   // 2024-02-03
  scan::ContributorStats& eve = r.contributors[2];
  eve.attributes = {{"role", "escort"}};
  eve.relayed_for = {{"p-0002", 1}};
  r.contributors[1].relayed_by = {{"p-0003", 1}};
  scan::ContributorStats& mallory = r.contributors[3];
  mallory.identity = "Mallory <script>alert(1)</script> <m@evil.example>";
  mallory.identities = {mallory.identity};
  r.findings[1].author.identity = mallory.identity;
  return r;
}

}  // namespace

TEST_CASE("html: self-contained, every repository string escaped, every section present") {
  const std::string html = report::to_html(audit_sample());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x&gt;") != std::string::npos);
  CHECK(html.find('\x1b') == std::string::npos);
  CHECK(html.find("\xe2\x80\xae") == std::string::npos);  // the bidi override is shown as text
  CHECK(html.find("\\u202e") != std::string::npos);
  CHECK(html.find("\\xff") != std::string::npos);           // invalid UTF-8 kept visible
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  for (const char* s : {"id=\"overview\"", "id=\"people\"", "id=\"unattributed\"", "id=\"skipped\"",
                        "id=\"person-p-0001-0\"", "id=\"unattributed-3\"", "Commits per month", "By citizenship",
                        "committed for others", "committed by others", "2023-11-14 to 2024-02-03",
                        "verified: 4", "blob-too-large", "lines alive"})
    CHECK_MESSAGE(html.find(s) != std::string::npos, s);
  // The multi-line snippet keeps its lines; the uid finding is in Alice's section.
  CHECK(html.find("<pre>if ((cred-&gt;uid = 0))</pre>") != std::string::npos);
  CHECK(html.find("<a href=") == html.find("<a href=\"#"));  // only in-page links without commit_url

  report::HtmlOptions o;
  o.commit_url = "https://git.example/demo/-/commit/{commit}";
  const std::string linked = report::to_html(audit_sample(), o);
  CHECK(linked.find(std::string("<a href=\"https://git.example/demo/-/commit/") + kCommitA + "\">") != std::string::npos);
  CHECK(report::to_html(audit_sample()) == html);  // deterministic
}

TEST_CASE("contributors.csv: documented header and exact rows") {
  const std::string csv = report::to_contributors_csv(audit_sample());
  CHECK(csv ==
        "person,identity,role,citizenship,residency,location,employer,clearance,valid_from,valid_to,commits,"
        "lines_added,lines_alive_at_head,files_alive_at_head,findings,paths_touched,first_commit,last_commit,"
        "signed_verified,signed_other,unsigned,relayed_by,relayed_for\r\n"
        "p-0001,Alice Example,employee,\"US,CA\",,,,secret,,,5,120,100,2,1,2,2023-11-14,2024-02-03,4,0,1,,\r\n"
        "p-0002,Bob Remote,,,,,,,,,1,10,10,0,0,0,,,0,0,0,p-0003=1,\r\n"
        "p-0003,Eve Escort,escort,,,,,,,,2,20,15,0,1,0,,,0,0,0,,p-0002=1\r\n"
        ",Mallory <script>alert(1)</script> <m@evil.example>,,,,,,,,,1,3,3,0,1,0,,,0,0,0,,\r\n");
}

TEST_CASE("json and markdown: an audit adds contributor detail and lines alive; a scan does not") {
  const auto j = nlohmann::json::parse(report::to_json(audit_sample()));
  CHECK(j["lines_alive"]["lines"] == 128);
  CHECK(j["lines_alive"]["rev"] == kCommitA);
  const auto& alice = j["contributors"][0];
  CHECK(alice["attributes"]["citizenship"] == "US,CA");
  CHECK(alice["commits_by_month"]["2024-02"] == 2);
  CHECK(alice["top_paths"][0]["path"] == "src/auth.c");
  CHECK(alice["signatures"]["verified"] == 4);
  const auto plain = nlohmann::json::parse(report::to_json(sample_result()));
  CHECK_FALSE(plain.contains("lines_alive"));
  CHECK_FALSE(plain["contributors"][0].contains("attributes"));

  const std::string md = report::to_markdown(audit_sample());
  CHECK(md.find("## Contributors") != std::string::npos);
  CHECK(md.find("| p-0001 | Alice Example | employee | 5 | 120 | 100 | 1 |") != std::string::npos);
  CHECK(md.find("\\<script\\>") != std::string::npos);
  CHECK(report::to_markdown(sample_result()).find("## Contributors") == std::string::npos);
}
