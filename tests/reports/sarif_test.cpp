#include "reports/report.h"

#include <set>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/reports/report_fixture.h"

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
