#include "reports/report.h"

#include <doctest/doctest.h>

#include "tests/reports/report_fixture.h"

using provscan::report::to_summary;
using namespace provscan::report::testing;

TEST_CASE("summary matches the golden file") {
  check_golden("summary.txt", to_summary(sample_result(), false));
}

TEST_CASE("summary without colour holds no escape byte, with colour only SGR codes") {
  const auto r = sample_result();
  const std::string plain = to_summary(r, false);
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK(plain.find('\x07') == std::string::npos);
  CHECK(plain.find("\xe2\x80\xae") == std::string::npos);
  CHECK(plain.find("\xc2\x9b") == std::string::npos);
  CHECK(plain.find("\\x1b]0;pwned\\x07\\x1b[2J\\n::error") != std::string::npos);

  const std::string coloured = to_summary(r, true);
  CHECK(coloured.find("\x1b[1;31mCRITICAL\x1b[0m") != std::string::npos);
  CHECK(coloured.find("\x1b[31mHIGH\x1b[0m") != std::string::npos);
  CHECK(coloured.find("\x1b[33mMEDIUM\x1b[0m") != std::string::npos);
  // every ESC starts one of our SGR sequences
  for (std::size_t i = coloured.find('\x1b'); i != std::string::npos;
       i = coloured.find('\x1b', i + 1)) {
    const std::size_t m = coloured.find('m', i);
    REQUIRE(m != std::string::npos);
    CHECK(coloured.substr(i + 1, 1) == "[");
    CHECK(coloured.substr(i + 2, m - i - 2).find_first_not_of("0123456789;") == std::string::npos);
  }
}

TEST_CASE("summary final line") {
  auto r = sample_result();
  CHECK(to_summary(r, false).ends_with(
      "\n3 findings (1 critical, 1 high, 1 medium) in 12 commits; 2 items not scanned\n"));
  r.findings.resize(1);
  r.skipped.resize(1);
  r.commits = 1;
  CHECK(to_summary(r, false).ends_with("\n1 finding (1 critical) in 1 commit; 1 item not scanned\n"));
  CHECK(to_summary(provscan::scan::ScanResult{}, false)
            .ends_with("\n0 findings in 0 commits; nothing skipped\n"));
}

TEST_CASE("summary lists the most severe findings first and at most 50") {
  auto r = sample_result();
  std::swap(r.findings[0], r.findings[2]);  // medium first in the input
  const std::string out = to_summary(r, false);
  CHECK(out.find("CRITICAL") < out.find("HIGH"));
  CHECK(out.find("HIGH") < out.find("MEDIUM"));

  r.findings.assign(60, r.findings[1]);
  const std::string many = to_summary(r, false);
  CHECK(many.find("... and 10 more (see --format json)") != std::string::npos);
}

TEST_CASE("summary: baselined findings are marked, listed after new ones, and counted") {
  auto r = sample_result();
  r.findings[0].baselined = true;  // the critical one
  const std::string out = to_summary(r, false);
  const auto high = out.find("HIGH     sh.fetch-pipe-to-shell");
  const auto medium = out.find("MEDIUM   policy.relayed-from-disallowed deploy/main.tf (commit");
  const auto critical = out.find("CRITICAL c.backdoor.uid-assignment-in-condition src/auth.c:42 [baselined] (commit 1111111");
  REQUIRE(high != std::string::npos);
  REQUIRE(medium != std::string::npos);
  REQUIRE(critical != std::string::npos);
  CHECK(high < medium);
  CHECK(medium < critical);  // new findings first, even less severe ones
  CHECK(out.ends_with("\n3 findings (1 critical, 1 high, 1 medium; 1 baselined) in 12 commits; 2 items not scanned\n"));
  CHECK(to_summary(sample_result(), false).find("baselined") == std::string::npos);
}
