// The bundled example and the rule tooling, run as a user runs them.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>
#include <set>

#include "tests/support/run_cli.h"

using namespace provscan::test;
using nlohmann::json;

TEST_CASE("the demo repository shows findings from every engine, attributed through the roster") {
  TempDir tmp;
  const std::string repo = tmp.path() + "/demo";
  const std::string cmd = "bash '" + source_dir() + "/examples/make-demo-repo.sh' '" + repo + "' >/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const CliResult res = run_provscan({"scan", repo, "--all", "--roster", source_dir() + "/examples/roster.yaml",
                                      "--rules", source_dir() + "/examples/rules", "--format", "json"});
  CHECK(res.exit_code == 1);
  const json j = json::parse(res.out);
  CHECK(j["summary"]["commits"] == 8);
  std::map<std::string, int> by_engine;
  std::map<std::string, json> by_rule;
  for (const json& f : j["findings"]) {
    ++by_engine[f["engine"]];
    by_rule[f["rule_id"]] = f;
  }
  for (const char* e : {"signature", "query", "clang", "blob"}) CHECK_MESSAGE(by_engine[e] > 0, e);

  REQUIRE(by_rule.count("c.backdoor.uid-assignment-in-condition"));
  const json& uid = by_rule["c.backdoor.uid-assignment-in-condition"];
  CHECK(uid["path"] == "src/session.c");
  CHECK(uid["line"] == 7);
  CHECK(uid["author"]["person"] == "p-0003");           // the escort committed it
  CHECK(uid["relayed_for"]["person"] == "p-0004");      // on behalf of the overseas contractor

  REQUIRE(by_rule.count("c.backdoor.strcmp-literal-gate"));
  CHECK(by_rule["c.backdoor.strcmp-literal-gate"]["path"] == "src/login.c");

  REQUIRE(by_rule.count("sh.fetch-pipe-to-shell"));
  CHECK(by_rule["sh.fetch-pipe-to-shell"]["author"]["person"].is_null());  // Mallory: unattributed
  CHECK(by_rule["sh.fetch-pipe-to-shell"]["author"]["identity"] == "Mallory <mallory@unknown.example>");

  REQUIRE(by_rule.count("blob.executable-in-source"));
  CHECK(by_rule["blob.executable-in-source"]["author"]["person"] == "p-0005");
  CHECK(by_rule.count("blob.compressed-test-data"));

  // The merge adds nothing of its own: no finding is charged to it twice.
  std::set<std::string> seen;
  for (const json& f : j["findings"]) CHECK(seen.insert(f["fingerprint"].get<std::string>() + f["commit"].get<std::string>()).second);
}

TEST_CASE("rules test: passing fixtures exit 0; a broken expectation exits 1 and says where") {
  TempDir tmp;
  tmp.file("r/x.demo.yaml", "rules:\n  - {id: x.demo, engine: signature, severity: low, message: m, literals: [BAD]}\n");
  tmp.file("r/x.demo.txt", "# ruleid: x.demo\nBAD here\n# ok: x.demo\nGOOD here\n");
  CliResult res = run_provscan({"rules", "test", tmp.path() + "/r"});
  CHECK(res.exit_code == 0);
  CHECK(res.out.find("ok   x.demo (2 expectations)") != std::string::npos);

  tmp.file("r/x.demo.txt", "# ruleid: x.demo\nGOOD here\n# ok: x.demo\nBAD here\nBAD again\n");
  res = run_provscan({"rules", "test", tmp.path() + "/r"});
  CHECK(res.exit_code == 1);
  const std::string fx = tmp.path() + "/r/x.demo.txt";
  CHECK(res.out.find("FAIL " + fx + ":2: x.demo expected a match, got none (annotation at line 1)") != std::string::npos);
  CHECK(res.out.find("FAIL " + fx + ":4: x.demo expected no match, got one (annotation at line 3)") != std::string::npos);
  CHECK(res.out.find("FAIL " + fx + ":5: x.demo matched a line with no `ruleid:` annotation") != std::string::npos);

  tmp.file("r/x.demo.txt", "# ruleid: x.demo\nBAD here\n");
  res = run_provscan({"rules", "test", tmp.path() + "/r"});
  CHECK(res.exit_code == 1);
  CHECK(res.out.find("needs both a `ruleid:` case and an `ok:` look-alike") != std::string::npos);
}

TEST_CASE("rules lint and list; roster check") {
  TempDir tmp;
  CHECK(run_provscan({"rules", "lint", source_dir() + "/rules/packs"}).exit_code == 0);
  const std::string bad = tmp.file("bad.yaml", "rules:\n  - {id: q.x, engine: clang, severity: low, message: m, matcher: nope}\n");
  CliResult res = run_provscan({"rules", "lint", bad});
  CHECK(res.exit_code == 2);
  CHECK(res.err.find(bad + ":2:10: rule q.x: unknown clang matcher 'nope'") != std::string::npos);
  res = run_provscan({"rules", "list"});
  CHECK(res.exit_code == 0);
  CHECK(res.out.find("sh.fetch-pipe-to-shell") != std::string::npos);
  CHECK(run_provscan({"roster", "check", source_dir() + "/examples/roster.yaml"}).exit_code == 0);
  const std::string bad_roster = tmp.file("roster.yaml", "people:\n  - id: a\n    emails: [a@x]\n  - id: a\n    emails: [a@x]\n");
  res = run_provscan({"roster", "check", bad_roster});
  CHECK(res.exit_code == 2);
  CHECK(res.err.find("duplicate person id 'a'") != std::string::npos);
  CHECK(res.err.find("email 'a@x' belongs to both a and a") != std::string::npos);
}
