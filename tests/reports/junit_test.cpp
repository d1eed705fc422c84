#include "reports/report.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "tests/reports/report_fixture.h"

using provscan::report::to_junit;
using namespace provscan::report::testing;

namespace {

// What an XML 1.0 parser rejects in a document that uses no DTD, CDATA or comments: a byte
// outside the Char production (C0 other than TAB/LF/CR, U+FFFE, U+FFFF), a raw '<' or '&' that
// does not start markup or an entity, a raw '<' inside an attribute value, or unbalanced tags.
// Returns the first problem, or "" for a well-formed document.
std::string xml_problem(std::string_view doc) {
  std::vector<std::string> open;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(doc[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return "control byte at " + std::to_string(i);
    if (doc.substr(i).starts_with("\xef\xbf\xbe") || doc.substr(i).starts_with("\xef\xbf\xbf"))
      return "U+FFFE/U+FFFF at " + std::to_string(i);
    if (c == '&') {
      const std::size_t semi = doc.find(';', i);
      const std::string_view ent = doc.substr(i, semi == std::string_view::npos ? 1 : semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;")
        return "bad entity at " + std::to_string(i);
    }
    if (c != '<') continue;
    const std::size_t end = doc.find('>', i);
    if (end == std::string_view::npos) return "unclosed tag at " + std::to_string(i);
    std::string_view tag = doc.substr(i + 1, end - i - 1);
    if (tag.find('<') != std::string_view::npos) return "'<' inside a tag at " + std::to_string(i);
    // quotes balance inside the tag
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) return "unbalanced quote at " + std::to_string(i);
    if (tag.starts_with("?")) {
      i = end;
      continue;
    }
    const bool closing = tag.starts_with("/"), empty = tag.ends_with("/");
    const std::string name(tag.substr(closing ? 1 : 0, tag.find_first_of(" /", closing ? 1 : 0) - (closing ? 1 : 0)));
    if (closing) {
      if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
      open.pop_back();
    } else if (!empty) {
      open.push_back(name);
    }
    i = end;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t i = hay.find(needle); i != std::string_view::npos; i = hay.find(needle, i + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("junit matches the golden file") { check_golden("report.junit.xml", to_junit(sample_result())); }

TEST_CASE("junit: one suite, a test case per rule, a failure per finding") {
  const std::string out = to_junit(sample_result());
  CHECK(xml_problem(out) == "");
  CHECK(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"provscan\" tests=\"3\" "
                        "failures=\"3\" errors=\"0\">\n  <testsuite name=\"provscan\" tests=\"3\""));
  CHECK(count(out, "<testsuite ") == 1);
  CHECK(count(out, "<testcase ") == 3);  // two rules that ran, one policy rule only a finding names
  CHECK(count(out, "<failure ") == 3);
  CHECK(out.find("<testcase name=\"c.backdoor.uid-assignment-in-condition\" classname=\"provscan.clang\">\n"
                 "      <failure type=\"critical\" message=\"Assignment to a uid/gid field inside a condition\">"
                 "src/auth.c:42-43\ncommit 1111111111111111111111111111111111111111, author Alice Example "
                 "&lt;alice@corp.example&gt; [p-0001]\nfingerprint fp-uid-0001\nif ((cred-&gt;uid = 0))\n</failure>") !=
        std::string::npos);
  CHECK(out.find("<testcase name=\"policy.relayed-from-disallowed\" classname=\"provscan.policy\">") !=
        std::string::npos);
  CHECK(out.find("relayed for Bob Remote &lt;bob@corp.example&gt; [p-0002]") != std::string::npos);
  CHECK(out.find("<system-out>not scanned (incomplete): blob-too-large assets/big\\x1b[1m.bin (commit 2a2b2c2)") !=
        std::string::npos);

  auto r = sample_result();
  r.findings.clear();
  const std::string clean = to_junit(r);
  CHECK(xml_problem(clean) == "");
  CHECK(count(clean, "<failure ") == 0);
  CHECK(clean.find("<testcase name=\"sh.fetch-pipe-to-shell\" classname=\"provscan.signature\"/>") !=
        std::string::npos);
  CHECK(clean.find("failures=\"0\"") != std::string::npos);
}

TEST_CASE("junit: control characters, U+FFFE/U+FFFF and markup in repository text stay visible text") {
  auto r = sample_result();
  r.findings[0].message = "a\x01" "b\x7f" "c\xef\xbf\xbe" "d\xef\xbf\xbf" "e<x a=\"1\" b='2'>&amp;\n]]>";
  r.findings[0].snippet = "\x1b[2J\tq\r";
  r.findings[0].path = "p\xff\x0b\"/></testcase><testcase name=\"forged\">";
  r.rules[0].id = "id\x02<&>";
  const std::string out = to_junit(r);
  INFO(out);
  CHECK(xml_problem(out) == "");
  CHECK(out.find("message=\"a\\x01b\\x7fc\\ufffed\\uffffe&lt;x a=&quot;1&quot; b=&apos;2&apos;&gt;&amp;amp;\\n]]&gt;\"") !=
        std::string::npos);
  CHECK(out.find("\\x1b[2J\\tq\\r\n") != std::string::npos);
  CHECK(out.find("p\\xff\\x0b&quot;/&gt;&lt;/testcase&gt;&lt;testcase name=&quot;forged&quot;&gt;:42-43") !=
        std::string::npos);
  CHECK(out.find("name=\"forged\"") == std::string::npos);
  CHECK(out.find("<testcase name=\"id\\x02&lt;&amp;&gt;\"") != std::string::npos);
  // the hostile sample path and message (ESC, BEL, newline, bidi override, C1, invalid UTF-8)
  const std::string sample = to_junit(sample_result());
  CHECK(xml_problem(sample) == "");
  CHECK(sample.find("=HYPERLINK(&quot;http://x&quot;)/\\x1b]0;pwned\\x07\\x1b[2J\\n::error file=a::forged,%0A\\xff\\xc3(.sh:7") !=
        std::string::npos);
  CHECK(sample.find("message=\"Download piped into a shell \\u202e&lt;img src=x&gt;|`code`\\u009b31m\"") !=
        std::string::npos);
}

TEST_CASE("junit marks baselined findings, which stay failures") {
  auto r = sample_result();
  r.findings[1].baselined = true;
  const std::string out = to_junit(r);
  CHECK(xml_problem(out) == "");
  CHECK(count(out, "<failure ") == 3);
  CHECK(count(out, "[baselined]") == 2);  // message and location line of the one finding
  CHECK(out.find("\\u009b31m [baselined]\">") != std::string::npos);
  CHECK(out.find(".sh:7 [baselined]\ncommit 2a2b2c2d") != std::string::npos);
}

TEST_CASE("junit of an empty result is a well-formed empty suite") {
  const std::string out = to_junit(provscan::scan::ScanResult{});
  CHECK(xml_problem(out) == "");
  CHECK(out.find("tests=\"0\" failures=\"0\"") != std::string::npos);
  CHECK(out.find("<system-out>") == std::string::npos);
}

TEST_CASE("junit output is deterministic") { CHECK(to_junit(sample_result()) == to_junit(sample_result())); }
