#include "reports/report.h"

#include <sstream>

#include <doctest/doctest.h>

#include "tests/reports/report_fixture.h"

using provscan::report::to_github;
using namespace provscan::report::testing;

TEST_CASE("github annotations match the golden file") {
  check_golden("report.github.txt", to_github(sample_result()));
}

TEST_CASE("github annotations: a hostile path or message cannot forge a command") {
  const std::string out = to_github(sample_result());
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find('\x1b') == std::string::npos);
  std::istringstream lines(out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    INFO(line);
    CHECK((line.rfind("::error ", 0) == 0 || line.rfind("::warning", 0) == 0 ||
           line.rfind("::notice ", 0) == 0));
    // exactly one "::" ends the property list, so no property value escaped it
    const auto props_end = line.find("::", 2);
    REQUIRE(props_end != std::string::npos);
    const std::string props = line.substr(2, props_end - 2);
    CHECK(props.find("::") == std::string::npos);
  }
  CHECK(count == 4);  // three findings, one skipped warning

  const std::string hostile = out.substr(out.find('\n') + 1);
  CHECK(hostile.rfind("::error file==HYPERLINK(\"http%3A//x\")/\\x1b]0;pwned\\x07\\x1b[2J\\n%3A%3A"
                      "error file=a%3A%3Aforged%2C%250A\\xff\\xc3(.sh,line=7,endLine=7,"
                      "title=sh.fetch-pipe-to-shell::",
                      0) == 0);
}

TEST_CASE("github: severities map to error/warning/notice, skipped items to one warning") {
  auto r = sample_result();
  r.findings[2].severity = provscan::Severity::Low;
  const std::string out = to_github(r);
  CHECK(out.find("::notice file=deploy/main.tf,title=policy.relayed-from-disallowed::") !=
        std::string::npos);
  CHECK(out.find("::warning::2 items were not scanned: 1 blob-too-large, 1 no-grammar "
                 "(1 incomplete)\n") != std::string::npos);
  r.skipped.clear();
  CHECK(to_github(r).find("::warning") == std::string::npos);
}
