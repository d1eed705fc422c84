#include "reports/report.h"

#include <doctest/doctest.h>

#include "tests/reports/report_fixture.h"

using provscan::report::to_markdown;
using namespace provscan::report::testing;

TEST_CASE("markdown matches the golden file") {
  check_golden("report.md", to_markdown(sample_result()));
}

TEST_CASE("markdown: hostile text stays inside its cell and renders as text") {
  const std::string out = to_markdown(sample_result());
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find('\x07') == std::string::npos);
  CHECK(out.find("\xe2\x80\xae") == std::string::npos);
  for (std::size_t i = out.find('<'); i != std::string::npos; i = out.find('<', i + 1))
    CHECK(out[i - 1] == '\\');  // no raw HTML tag
  CHECK(out.find("\\<img src=x\\>\\|\\`code\\`") != std::string::npos);
  // every findings-table row has exactly 7 unescaped pipes (6 columns)
  std::size_t pos = out.find("|---|---|---|---|---|---|\n");
  REQUIRE(pos != std::string::npos);
  pos = out.find('\n', pos) + 1;
  for (int row = 0; row < 3; ++row) {
    const std::size_t end = out.find('\n', pos);
    const std::string line = out.substr(pos, end - pos);
    int pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    INFO(line);
    CHECK(pipes == 7);
    pos = end + 1;
  }
}

TEST_CASE("markdown of an empty result says so") {
  const std::string out = to_markdown(provscan::scan::ScanResult{});
  CHECK(out.find("No findings.") != std::string::npos);
  CHECK(out.find("Every item was scanned.") != std::string::npos);
}
