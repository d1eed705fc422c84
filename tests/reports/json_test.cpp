#include "reports/report.h"

#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/reports/report_fixture.h"

using provscan::report::to_json;
using namespace provscan::report::testing;
using nlohmann::ordered_json;

namespace {

std::vector<std::string> keys_of(const ordered_json& j) {
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  return keys;
}

}  // namespace

TEST_CASE("json matches the golden file") { check_golden("report.json", to_json(sample_result())); }

TEST_CASE("json follows the INTERFACE.md schema, keys in order") {
  const ordered_json doc = ordered_json::parse(to_json(sample_result()));
  CHECK(keys_of(doc) == std::vector<std::string>{"schema", "tool", "inputs", "summary", "findings",
                                                 "contributors", "skipped"});
  CHECK(doc["schema"] == "provscan/1");
  CHECK(keys_of(doc["tool"]) == std::vector<std::string>{"name", "version"});
  CHECK(doc["tool"]["name"] == "provscan");
  CHECK(keys_of(doc["inputs"]) == std::vector<std::string>{"repository", "range", "rules_sha256",
                                                           "roster_sha256", "policy_sha256"});
  CHECK(doc["inputs"]["policy_sha256"].is_null());
  CHECK(doc["inputs"]["roster_sha256"] == "bb22");

  const ordered_json& summary = doc["summary"];
  CHECK(keys_of(summary) == std::vector<std::string>{"commits", "contributions", "findings",
                                                     "skipped", "incomplete"});
  CHECK(keys_of(summary["findings"]) ==
        std::vector<std::string>{"critical", "high", "medium", "low", "info"});
  CHECK(summary["findings"]["critical"] == 1);
  CHECK(summary["findings"]["high"] == 1);
  CHECK(summary["findings"]["medium"] == 1);
  CHECK(summary["skipped"] == 2);
  CHECK(summary["incomplete"] == true);

  REQUIRE(doc["findings"].size() == 3);
  for (const auto& f : doc["findings"]) {
    const auto keys = keys_of(f);
    REQUIRE(keys.size() >= 13);
    CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 13) ==
          std::vector<std::string>{"rule_id", "engine", "severity", "message", "commit", "path",
                                   "line", "end_line", "snippet", "author", "committer",
                                   "relayed_for", "fingerprint"});
    CHECK(keys_of(f["author"]) == std::vector<std::string>{"person", "identity"});
    CHECK(f["commit"].get<std::string>().size() == 40);
  }
  CHECK(doc["findings"][0]["author"]["person"] == "p-0001");
  CHECK(doc["findings"][0]["cwe"] == "CWE-506");
  CHECK(doc["findings"][1]["author"]["person"].is_null());  // unattributed
  CHECK(doc["findings"][1]["relayed_for"].is_null());
  CHECK(doc["findings"][2]["relayed_for"]["person"] == "p-0002");
  CHECK(doc["findings"][2]["cwe"].is_null());

  REQUIRE(doc["contributors"].size() == 4);
  CHECK(keys_of(doc["contributors"][0]) ==
        std::vector<std::string>{"person", "identity", "commits", "lines_added",
                                 "lines_alive_at_head", "findings"});
  CHECK(doc["contributors"][3]["person"].is_null());

  REQUIRE(doc["skipped"].size() == 2);
  CHECK(keys_of(doc["skipped"][0]) == std::vector<std::string>{"kind", "commit", "path", "reason",
                                                               "object", "incomplete"});
  CHECK(doc["skipped"][1]["object"].is_null());
}

TEST_CASE("json keeps hostile strings as exact data, invalid bytes as \\xNN text") {
  const std::string text = to_json(sample_result());
  CHECK(text.back() == '\n');
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\xe2\x80\xae") == std::string::npos);  // U+202E written as \u202e
  CHECK(text.find("\xc2\x9b") == std::string::npos);
  const ordered_json doc = ordered_json::parse(text);
  CHECK(doc["findings"][1]["path"] ==
        "=HYPERLINK(\"http://x\")/\x1b]0;pwned\x07\x1b[2J\n::error file=a::forged,%0A\\xff\\xc3(.sh");
  CHECK(doc["findings"][1]["message"] == kHostileMessage);  // valid UTF-8 round-trips exactly
}

TEST_CASE("json of an empty result is valid and complete") {
  const ordered_json doc = ordered_json::parse(to_json(provscan::scan::ScanResult{}));
  CHECK(doc["findings"].is_array());
  CHECK(doc["findings"].empty());
  CHECK(doc["inputs"]["repository"].is_null());
  CHECK(doc["summary"]["incomplete"] == false);
  CHECK(doc["tool"]["version"] == "");
}

TEST_CASE("json output is deterministic") {
  const auto r = sample_result();
  const auto copy = r;
  CHECK(to_json(r) == to_json(copy));
}

TEST_CASE("json and sarif never throw on invalid UTF-8 in any string field") {
  const std::string bad = "\xff\xfe\xc0\xaf\xed\xa0\x80";
  provscan::scan::ScanResult r = sample_result();
  r.tool_version = r.repository = r.range = r.rules_sha256 = bad;
  for (auto& f : r.findings) {
    f.rule_id = f.engine = f.message = f.commit = f.path = f.snippet = f.fingerprint = f.cwe = bad;
    f.author = {bad, bad};
    f.committer = {bad, bad};
    f.relayed_for = provscan::scan::PersonRef{bad, bad};
    f.references = {bad};
  }
  for (auto& c : r.contributors) c = {bad, bad, 1, 1, 1, 1};
  for (auto& s : r.skipped) s = {bad, bad, bad, bad, bad, true};
  for (auto& rule : r.rules) rule = {bad + "-rule", bad, provscan::Severity::Low, bad, bad, {bad}};
  r.findings_by_engine = {{bad, 3}};

  ordered_json doc;
  REQUIRE_NOTHROW(doc = ordered_json::parse(to_json(r)));
  CHECK(doc["findings"][0]["path"] == "\\xff\\xfe\\xc0\\xaf\\xed\\xa0\\x80");
  REQUIRE_NOTHROW(doc = ordered_json::parse(provscan::report::to_sarif(r)));
  // the text formats do not throw either, and print the bytes as \xNN
  CHECK(provscan::report::to_summary(r, false).find("\\xff\\xfe") != std::string::npos);
  CHECK_NOTHROW((void)provscan::report::to_csv(r));
  CHECK_NOTHROW((void)provscan::report::to_markdown(r));
  CHECK_NOTHROW((void)provscan::report::to_github(r));
}

TEST_CASE("json: every finding says whether it is baselined, right after signature") {
  auto r = sample_result();
  r.findings[2].baselined = true;
  const ordered_json doc = ordered_json::parse(to_json(r));
  for (const auto& f : doc["findings"]) {
    const auto keys = keys_of(f);
    REQUIRE(keys.size() >= 4);
    CHECK(keys[keys.size() - 4] == "signature");
    CHECK(keys[keys.size() - 3] == "baselined");  // then suppressed, suppression
  }
  CHECK(doc["findings"][0]["baselined"] == false);
  CHECK(doc["findings"][1]["baselined"] == false);
  CHECK(doc["findings"][2]["baselined"] == true);
}
