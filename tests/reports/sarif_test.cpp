#include "reports/report.h"

#include <set>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/reports/report_fixture.h"
#include "tests/reports/sarif_schema.h"

using provscan::report::to_sarif;
using namespace provscan::report::testing;
using nlohmann::json;

TEST_CASE("sarif matches the golden file") {
  check_golden("report.sarif", to_sarif(sample_result()));
}

TEST_CASE("sarif has the required 2.1.0 structure") {
  const json doc = json::parse(to_sarif(sample_result()));
  CHECK(doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(doc["version"] == "2.1.0");
  REQUIRE(doc["runs"].size() == 1);
  const json& run = doc["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "provscan");
  CHECK(run["tool"]["driver"]["semanticVersion"] == "0.1.0");
  REQUIRE(run["invocations"].size() == 1);
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  CHECK(run["invocations"][0]["toolExecutionNotifications"].size() == 2);
  CHECK(run["properties"]["skipped"] == 2);

  const json& rules = run["tool"]["driver"]["rules"];
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    CHECK(ids.insert(rule["id"].get<std::string>()).second);  // unique
    CHECK(rule["shortDescription"]["text"].is_string());
    CHECK(rule["fullDescription"]["text"].is_string());
    CHECK(rule["help"]["text"].is_string());
    CHECK(rule["help"]["markdown"].is_string());
    CHECK(rule["defaultConfiguration"]["level"].is_string());
    CHECK(rule["properties"]["tags"].is_array());
    CHECK(rule["properties"]["security-severity"].is_string());
  }
  // r.rules has two entries; the policy rule used by a finding is synthesized.
  REQUIRE(rules.size() == 3);
  CHECK(rules[2]["id"] == "policy.relayed-from-disallowed");
  CHECK(rules[0]["properties"]["security-severity"] == "9.5");
  CHECK(rules[0]["properties"]["tags"] == json{"security", "clang", "external/cwe/cwe-506"});

  const json& results = run["results"];
  REQUIRE(results.size() == 3);
  for (const auto& res : results) {
    const auto index = res["ruleIndex"].get<std::size_t>();
    REQUIRE(index < rules.size());
    CHECK(rules[index]["id"] == res["ruleId"]);  // ruleIndex points at the right rule
    CHECK(res["message"]["text"].is_string());
    CHECK(res["partialFingerprints"]["provscan/v1"].is_string());
    CHECK(res["properties"].contains("commit"));
    CHECK(res["properties"].contains("authorPerson"));
    CHECK(res["properties"].contains("committerPerson"));
  }
  CHECK(results[0]["level"] == "error");
  CHECK(results[1]["level"] == "error");
  CHECK(results[2]["level"] == "warning");
  CHECK(results[1]["properties"]["authorPerson"].is_null());
  CHECK(results[2]["properties"]["relayedForPerson"] == "p-0002");

  const json& loc0 = results[0]["locations"][0]["physicalLocation"];
  CHECK(loc0["artifactLocation"]["uri"] == "src/auth.c");
  CHECK(loc0["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(loc0["region"]["startLine"] == 42);
  CHECK(loc0["region"]["endLine"] == 43);
  CHECK(loc0["region"]["snippet"]["text"] == "if ((cred->uid = 0))");
  // line 0: whole file, no region
  CHECK_FALSE(results[2]["locations"][0]["physicalLocation"].contains("region"));
  // the hostile path is percent-encoded: only RFC 3986 unreserved characters, '/' and '%'
  const std::string uri = results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  CHECK(uri.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%") ==
        std::string::npos);
  CHECK(uri.find("%0A") != std::string::npos);
  CHECK(uri.find("%FF") != std::string::npos);
}

TEST_CASE("sarif of an empty result is valid") {
  const json doc = json::parse(to_sarif(provscan::scan::ScanResult{}));
  CHECK(doc["runs"][0]["results"].empty());
  CHECK(doc["runs"][0]["tool"]["driver"]["rules"].empty());
  CHECK_FALSE(doc["runs"][0]["tool"]["driver"].contains("semanticVersion"));
}

TEST_CASE("sarif baselineState: only when a baseline was given; unchanged for baselined findings") {
  auto r = sample_result();
  r.findings[1].baselined = true;
  const json without = json::parse(to_sarif(r));
  for (const auto& res : without["runs"][0]["results"]) CHECK_FALSE(res.contains("baselineState"));
  CHECK(to_sarif(r) == to_sarif(r, false));

  const json with = json::parse(to_sarif(r, true));
  const json& results = with["runs"][0]["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[0]["baselineState"] == "new");
  CHECK(results[1]["baselineState"] == "unchanged");
  CHECK(results[2]["baselineState"] == "new");
  // placed after partialFingerprints, before properties (checked on the text: json sorts keys)
  const std::string text = to_sarif(r, true);
  const auto fp = text.find("\"partialFingerprints\"");
  const auto state = text.find("\"baselineState\"", fp);
  CHECK(state != std::string::npos);
  CHECK(state < text.find("\"properties\"", fp));
}

// ---- the official SARIF 2.1.0 schema, and the shape GitHub code scanning reads ----------------

namespace {

// The sample with its hostile finding suppressed inline, by an unattributed writer whose reason
// holds the same hostile text as the message.
provscan::scan::ScanResult suppressed_sample() {
  auto r = sample_result();
  r.findings[1].suppressed = true;
  r.findings[1].suppression = provscan::scan::Suppression{"vendored " + kHostileMessage, r.findings[1].author};
  r.findings[0].baselined = true;
  return r;
}

}  // namespace

TEST_CASE("sarif of the hostile sample validates against the official 2.1.0 schema") {
  check_valid_sarif(to_sarif(sample_result()), "sample.sarif");
  check_valid_sarif(to_sarif(sample_result(), true), "sample-baseline.sarif");
  check_valid_sarif(to_sarif(suppressed_sample(), true), "sample-suppressed.sarif");
  check_valid_sarif(to_sarif(provscan::scan::ScanResult{}), "empty.sarif");
}

TEST_CASE("the schema check can fail: broken SARIF documents are rejected") {
  const json good = json::parse(to_sarif(sample_result()));
  auto broken = [&](const char* name, auto&& mutate) {
    json doc = good;
    mutate(doc);
    const SchemaCheck c = validate_sarif(doc.dump(), std::string(name) + ".sarif");
    INFO(name);
    CHECK(c.exit_code == 1);
    CHECK_FALSE(c.out.empty());
  };
  broken("no-version", [](json& d) { d.erase("version"); });
  broken("wrong-version", [](json& d) { d["version"] = "2.0.0"; });
  broken("bad-level", [](json& d) { d["runs"][0]["results"][0]["level"] = "fatal"; });
  broken("negative-rule-index", [](json& d) { d["runs"][0]["results"][0]["ruleIndex"] = -2; });
  broken("region-line-zero", [](json& d) {
    d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  });
  broken("unknown-suppression-kind", [](json& d) {
    d["runs"][0]["results"][0]["suppressions"] = json::array({{{"kind", "inComment"}}});
  });
  broken("no-driver-name", [](json& d) { d["runs"][0]["tool"]["driver"].erase("name"); });
}

TEST_CASE("sarif suppressions: inSource, accepted, with the reason and the comment's author") {
  const auto r = suppressed_sample();
  const json doc = json::parse(to_sarif(r, true));
  const json& results = doc["runs"][0]["results"];
  REQUIRE(results.size() == 3);
  CHECK_FALSE(results[0].contains("suppressions"));
  CHECK(results[0]["baselineState"] == "unchanged");
  CHECK_FALSE(results[2].contains("suppressions"));
  REQUIRE(results[1]["suppressions"].size() == 1);
  const json& s = results[1]["suppressions"][0];
  CHECK(s["kind"] == "inSource");
  CHECK(s["status"] == "accepted");
  // the hostile reason is JSON-escaped like any repository text: no raw bidi or C1 control
  CHECK(s["justification"].get<std::string>().starts_with("vendored Download piped into a shell"));
  CHECK(to_sarif(r, true).find("\\u202e<img src=x>") != std::string::npos);
  CHECK(s["properties"]["author"] == "Mallory <mallory@evil.example>");
  CHECK(s["properties"]["authorPerson"].is_null());
  // after baselineState (a result can be both known and suppressed), before the result's properties
  const std::string text = to_sarif(r, true);
  const auto supp = text.find("\"suppressions\"");
  REQUIRE(supp != std::string::npos);
  CHECK(text.rfind("\"baselineState\": \"new\"", supp) > text.rfind("\"partialFingerprints\"", supp));
  CHECK(text.find("\"engine\": \"signature\"", supp) != std::string::npos);
}

TEST_CASE("sarif has what GitHub code scanning reads: rules with help and security-severity, ruleIndex, regions, fingerprints, commit and author") {
  const json doc = json::parse(to_sarif(sample_result()));
  const json& run = doc["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 3);
  // help: the rule's message, CWE and references, as text and as markdown
  CHECK(rules[0]["help"]["text"] ==
        "Assignment to a uid/gid field inside a condition\nCWE: CWE-506\n"
        "Reference: https://cwe.mitre.org/data/definitions/506.html");
  const std::string md = rules[0]["help"]["markdown"];
  CHECK(md.find("CWE-506") != std::string::npos);
  CHECK(md.find("https://cwe.mitre.org/data/definitions/506.html") != std::string::npos);
  for (const json& rule : rules) {
    const std::string sev = rule["properties"]["security-severity"];
    const double score = std::stod(sev);  // GitHub reads a number in a string
    CHECK(score >= 0.0);
    CHECK(score <= 10.0);
  }
  CHECK(rules[1]["properties"]["security-severity"] == "8.0");  // high
  CHECK(rules[2]["properties"]["security-severity"] == "5.5");  // medium
  for (const json& res : run["results"]) {
    CHECK(rules[res["ruleIndex"].get<std::size_t>()]["id"] == res["ruleId"]);
    CHECK(res["partialFingerprints"]["provscan/v1"].get<std::string>().size() > 0);
    CHECK(res["properties"]["commit"].get<std::string>().size() == 40);
    CHECK(res["properties"]["author"].is_string());
  }
  const json& region = run["results"][1]["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startLine"] == 7);
  CHECK(region["endLine"] == 7);
  CHECK(run["results"][1]["properties"]["author"] == "Mallory <mallory@evil.example>");
}
