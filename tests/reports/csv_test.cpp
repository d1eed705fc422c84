#include "reports/report.h"

#include <doctest/doctest.h>

#include "tests/reports/report_fixture.h"

using provscan::report::to_csv;
using namespace provscan::report::testing;

TEST_CASE("csv matches the golden file") { check_golden("report.csv", to_csv(sample_result())); }

TEST_CASE("csv: one physical line per record, formula cells neutralised") {
  const std::string out = to_csv(sample_result());
  CHECK(out.rfind("rule_id,engine,severity,commit,path,line,end_line,author_person,"
                  "author_identity,committer_person,committer_identity,message,fingerprint,"
                  "relayed_for_person,relayed_for_identity,baselined,suppressed,suppression_reason,"
                  "suppression_author_person,suppression_author_identity\r\n",
                  0) == 0);
  std::size_t crlf = 0;
  for (std::size_t i = out.find("\r\n"); i != std::string::npos; i = out.find("\r\n", i + 2)) ++crlf;
  CHECK(crlf == 4);                                // header + 3 findings
  CHECK(out.find('\n') == out.find("\r\n") + 1);  // no bare LF inside a cell
  CHECK(out.find('\x1b') == std::string::npos);
  // the path starts with '=': quoted (it holds a quote and a comma) and prefixed with '
  CHECK(out.find(",\"'=HYPERLINK(\"\"http://x\"\")/\\x1b]0;pwned") != std::string::npos);
  // the committer identity starts with '-'
  CHECK(out.find(",'-Mallory\\r <mallory@evil.example>,") != std::string::npos);
  // unattributed: empty person cell
  CHECK(out.find(",,Mallory <mallory@evil.example>,") != std::string::npos);
}
