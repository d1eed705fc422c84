// Suppressed (and baselined) findings in every format: kept, marked with the reason and the
// comment's author, never dropped; see "Findings that do not fail the gate" in reports/report.h.
#include "reports/report.h"

#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/reports/report_fixture.h"

using namespace provscan::report;
using namespace provscan::report::testing;
using nlohmann::json;

namespace {

// The critical finding is suppressed by Alice; the hostile one is baselined.
provscan::scan::ScanResult marked_sample() {
  auto r = sample_result();
  r.findings[0].suppressed = true;
  r.findings[0].suppression = provscan::scan::Suppression{"test fixture for the kernel's own tests, see TESTS.md",
                                                          r.findings[0].author};
  r.findings[1].baselined = true;
  return r;
}

constexpr const char* kNote =
    "[suppressed by Alice Example <alice@corp.example> [p-0001]: test fixture for the kernel's own tests, see TESTS.md]";

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("json: suppressed and suppression follow baselined, null unless suppressed") {
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(to_json(marked_sample()));
  std::vector<std::string> keys;
  for (auto it = ordered["findings"][0].begin(); it != ordered["findings"][0].end(); ++it) keys.push_back(it.key());
  const json doc = json::parse(to_json(marked_sample()));
  const json& f = doc["findings"];
  REQUIRE(f.size() == 3);
  REQUIRE(keys.size() >= 3);
  CHECK(keys[keys.size() - 3] == "baselined");
  CHECK(keys[keys.size() - 2] == "suppressed");
  CHECK(keys[keys.size() - 1] == "suppression");
  CHECK(f[0]["suppressed"] == true);
  CHECK(f[0]["suppression"] == json{{"reason", "test fixture for the kernel's own tests, see TESTS.md"},
                                    {"author", {{"person", "p-0001"}, {"identity", "Alice Example <alice@corp.example>"}}}});
  CHECK(f[1]["suppressed"] == false);
  CHECK(f[1]["suppression"].is_null());
  CHECK(f[1]["baselined"] == true);
  // a scan without suppressions still writes both keys
  const json plain = json::parse(to_json(sample_result()));
  for (const json& x : plain["findings"]) {
    CHECK(x["suppressed"] == false);
    CHECK(x["suppression"].is_null());
  }
}

TEST_CASE("summary: suppressed findings are marked with reason and writer, listed last, counted") {
  const std::string out = to_summary(marked_sample(), false);
  const auto note = out.find(std::string("CRITICAL c.backdoor.uid-assignment-in-condition src/auth.c:42 ") + kNote);
  REQUIRE(note != std::string::npos);
  const auto medium = out.find("MEDIUM   policy.relayed-from-disallowed");
  REQUIRE(medium != std::string::npos);
  CHECK(medium < note);  // the one finding that still counts comes first
  CHECK(out.find(".sh:7 [baselined] (commit") != std::string::npos);
  CHECK(out.ends_with("\n3 findings (1 critical, 1 high, 1 medium; 1 baselined, 1 suppressed) in 12 commits; "
                      "2 items not scanned\n"));
  auto only_suppressed = marked_sample();
  only_suppressed.findings[1].baselined = false;
  CHECK(to_summary(only_suppressed, false).find("1 medium; 1 suppressed) in") != std::string::npos);
}

TEST_CASE("csv: baselined, suppressed and the suppression's reason and writer as columns") {
  const std::string out = to_csv(marked_sample());
  CHECK(out.find(",fp-uid-0001,,,false,true,\"test fixture for the kernel's own tests, see TESTS.md\",p-0001,"
                 "Alice Example <alice@corp.example>\r\n") != std::string::npos);
  CHECK(out.find(",fp-fetch-0002,,,true,false,,,\r\n") != std::string::npos);
  CHECK(out.find(",fp-relay-0003,p-0002,Bob Remote <bob@corp.example>,false,false,,,\r\n") != std::string::npos);
}

TEST_CASE("markdown, junit, html: the marks follow the message") {
  const auto r = marked_sample();
  const std::string md = to_markdown(r);
  CHECK(md.find("Assignment to a uid/gid field inside a condition \\[suppressed by Alice Example") != std::string::npos);
  CHECK(md.find("\\[baselined\\]") != std::string::npos);

  const std::string xml = to_junit(r);
  const std::string xml_note =
      "[suppressed by Alice Example &lt;alice@corp.example&gt; [p-0001]: test fixture for the kernel&apos;s own "
      "tests, see TESTS.md]";
  CHECK(count(xml, xml_note) == 2);  // message and location line: still a failure, marked
  CHECK(xml.find("src/auth.c:42-43 " + xml_note + "\ncommit 1111111") != std::string::npos);
  CHECK(count(xml, "<failure ") == 3);

  const std::string html = to_html(r);
  CHECK(html.find("[suppressed by Alice Example &lt;alice@corp.example&gt; [p-0001]: test fixture for the "
                  "kernel&#39;s own tests, see TESTS.md]") != std::string::npos);
}

TEST_CASE("github and gitlab: a suppressed finding is a notice / info issue, marked; a baselined one keeps its level") {
  const auto r = marked_sample();
  const std::string gh = to_github(r);
  CHECK(gh.starts_with("::notice file=src/auth.c,line=42,endLine=43,title=c.backdoor.uid-assignment-in-condition::"));
  CHECK(gh.find("(commit 1111111, author Alice Example <alice@corp.example> [p-0001]) " + std::string(kNote) +
                "\n") != std::string::npos);
  CHECK(gh.find("\n::error file=") != std::string::npos);  // the baselined high one
  CHECK(gh.find(") [baselined]\n") != std::string::npos);

  const json gl = json::parse(to_gitlab(r));
  REQUIRE(gl.size() == 3);
  CHECK(gl[0]["severity"] == "info");
  CHECK(gl[0]["description"].get<std::string>().ends_with(kNote));
  CHECK(gl[1]["severity"] == "critical");
  CHECK(gl[1]["description"].get<std::string>().ends_with(" [baselined]"));
}
