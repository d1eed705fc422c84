#include "reports/report.h"

#include <set>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/reports/report_fixture.h"

using provscan::report::to_gitlab;
using namespace provscan::report::testing;
using nlohmann::json;

TEST_CASE("gitlab code quality matches the golden file") {
  check_golden("report.gitlab.json", to_gitlab(sample_result()));
}

TEST_CASE("gitlab code quality: one issue per finding with the fields GitLab requires") {
  const json doc = json::parse(to_gitlab(sample_result()));
  REQUIRE(doc.is_array());
  REQUIRE(doc.size() == 3);
  const std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
  std::set<std::string> fingerprints;
  for (const json& issue : doc) {
    CHECK(issue["description"].is_string());
    CHECK(issue["check_name"].is_string());
    CHECK(fingerprints.insert(issue["fingerprint"].get<std::string>()).second);
    CHECK(severities.count(issue["severity"].get<std::string>()) == 1);
    CHECK(issue["location"]["path"].is_string());
    CHECK(issue["location"]["lines"]["begin"].get<int>() >= 1);
  }
  CHECK(doc[0]["check_name"] == "c.backdoor.uid-assignment-in-condition");
  CHECK(doc[0]["fingerprint"] == "fp-uid-0001");
  CHECK(doc[0]["severity"] == "blocker");
  CHECK(doc[0]["location"]["path"] == "src/auth.c");
  CHECK(doc[0]["location"]["lines"]["begin"] == 42);
  CHECK(doc[0]["description"] ==
        "Assignment to a uid/gid field inside a condition (commit 1111111, author Alice Example "
        "<alice@corp.example> [p-0001])");
  CHECK(doc[1]["severity"] == "critical");  // high
  CHECK(doc[1]["location"]["path"] ==
        "=HYPERLINK(\"http://x\")/\x1b]0;pwned\x07\x1b[2J\n::error file=a::forged,%0A\\xff\\xc3(.sh");
  CHECK(doc[2]["severity"] == "major");  // medium
  CHECK(doc[2]["location"]["lines"]["begin"] == 1);  // whole-file finding
  CHECK(doc[2]["description"].get<std::string>().ends_with(
      "relayed for Bob Remote <bob@corp.example> [p-0002])"));
}

TEST_CASE("gitlab code quality: severities, repeated fingerprints, findings without a path") {
  auto r = sample_result();
  r.findings[0].severity = provscan::Severity::Low;
  r.findings[1].severity = provscan::Severity::Info;
  r.findings[1].fingerprint = r.findings[0].fingerprint;  // the same text found in two commits
  r.findings[2].fingerprint = r.findings[0].fingerprint;
  r.findings[2].path = "";
  const json doc = json::parse(to_gitlab(r));
  CHECK(doc[0]["severity"] == "minor");
  CHECK(doc[1]["severity"] == "info");
  CHECK(doc[0]["fingerprint"] == "fp-uid-0001");
  CHECK(doc[1]["fingerprint"] == "fp-uid-0001-2");
  CHECK(doc[2]["fingerprint"] == "fp-uid-0001-3");
  CHECK(doc[2]["location"]["path"] == ".");
}

TEST_CASE("gitlab code quality: hardened text, empty result") {
  const std::string text = to_gitlab(sample_result());
  CHECK(text.back() == '\n');
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\xe2\x80\xae") == std::string::npos);
  CHECK(to_gitlab(provscan::scan::ScanResult{}) == "[]\n");
}
