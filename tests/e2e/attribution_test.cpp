// History and attribution end to end: merges, renames, .mailmap, trailers.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using nlohmann::json;

namespace {

const char* kRules = R"(rules:
  - {id: t.marker, engine: signature, severity: high, message: marker, literals: ["BACKDOOR"]}
)";

const Author kAlice{"Alice Example", "alice@corp.example"};
const Author kBob{"Bob Builder", "bob@contractor.example"};
const Author kEve{"Eve Merger", "eve@corp.example"};

json scan_json(const FixtureRepo& repo, const std::string& rules, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"scan", repo.path(), "--all", "--no-default-rules", "--rules", rules,
                                   "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliResult r = run_provscan(args);
  REQUIRE_MESSAGE((r.exit_code == 0 || r.exit_code == 1), r.err);
  return json::parse(r.out);
}

std::vector<std::pair<std::string, int>> commit_lines(const json& j) {
  std::vector<std::pair<std::string, int>> out;
  for (const json& f : j["findings"]) out.emplace_back(f["commit"].get<std::string>(), f["line"].get<int>());
  return out;
}

}  // namespace

TEST_CASE("merges: merged commits keep their authors; an evil merge is charged only with its own lines") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  const std::string base = repo.commit("base", {{"a.c", "int a;\n"}}, kAlice);
  repo.branch("topic");
  repo.checkout_branch("topic");
  const std::string topic = repo.commit("topic", {{"b.c", "BACKDOOR one\n"}}, kBob);
  repo.checkout_branch("main");
  const std::string side = repo.commit("main side", {{"a.c", "int a;\nint b;\n"}}, kAlice);
  // The merge takes topic's b.c and adds a line found in neither parent.
  const std::string merge = repo.merge("merge topic", {topic}, {{"b.c", "BACKDOOR one\nBACKDOOR two\n"}}, kEve);
  const json j = scan_json(repo, rules);
  CHECK(j["summary"]["commits"] == 4);
  CHECK(commit_lines(j) == std::vector<std::pair<std::string, int>>{{topic, 1}, {merge, 2}});
  CHECK(j["findings"][0]["author"]["identity"] == "Bob Builder <bob@contractor.example>");
  CHECK(j["findings"][1]["author"]["identity"] == "Eve Merger <eve@corp.example>");
  (void)base;
  (void)side;
}

TEST_CASE("octopus merge: nothing charged when it only combines its parents") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  repo.commit("base", {{"a.txt", "x\n"}});
  std::vector<std::string> heads;
  for (const char* name : {"t1", "t2", "t3"}) {
    repo.branch(name, repo.head());
  }
  std::string main_head = repo.head();
  for (const char* name : {"t1", "t2", "t3"}) {
    repo.checkout_branch(name);
    heads.push_back(repo.commit(std::string("work ") + name,
                                {{std::string(name) + ".txt", std::string("BACKDOOR ") + name + "\n"}}, kBob));
  }
  repo.checkout_branch("main");
  const std::string octo = repo.merge("octopus", heads,
                                      {{"t1.txt", "BACKDOOR t1\n"}, {"t2.txt", "BACKDOOR t2\n"}, {"t3.txt", "BACKDOOR t3\n"}},
                                      kEve);
  const json j = scan_json(repo, rules);
  CHECK(j["summary"]["commits"] == 5);
  REQUIRE(j["findings"].size() == 3);
  for (const json& f : j["findings"]) {
    CHECK(f["commit"] != octo);
    CHECK(f["author"]["identity"] == "Bob Builder <bob@contractor.example>");
  }
  (void)main_head;
}

TEST_CASE("renames: a moved file is not new code by the mover; edits in the move are") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  std::string body;
  for (int i = 0; i < 20; ++i) body += "line " + std::to_string(i) + "\n";
  const std::string c1 = repo.commit("add", {{"src/old.c", "BACKDOOR\n" + body}, {"docs/x.md", "BACKDOOR\n"}}, kBob);
  // Pure move of a file and a folder.
  const std::string c2 = repo.commit("move", {{"src/old.c", std::nullopt}, {"lib/old.c", "BACKDOOR\n" + body},
                                              {"docs/x.md", std::nullopt}, {"guide/x.md", "BACKDOOR\n"}}, kAlice);
  // Move with an edit: only the edited line is new.
  const std::string c3 = repo.commit("move and edit", {{"lib/old.c", std::nullopt},
                                                       {"lib/new_name.c", "BACKDOOR\n" + body + "BACKDOOR again\n"}},
                                     kEve);
  const json j = scan_json(repo, rules);
  // Sorted by path: docs/x.md, lib/new_name.c, src/old.c.
  CHECK(commit_lines(j) == std::vector<std::pair<std::string, int>>{{c1, 1}, {c3, 22}, {c1, 1}});
  (void)c2;
}

TEST_CASE(".mailmap: read from the range's base (or --mailmap), never from the commits under review; changes reported") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  const std::string roster = tmp.file("roster.yaml",
                                      "people:\n  - id: p-1\n    name: Bob Builder\n    emails: [bob@contractor.example]\n"
                                      "  - id: p-2\n    name: Alice Example\n    emails: [alice@corp.example]\n");
  const std::string base = repo.commit("base", {{".mailmap", "Bob Builder <bob@contractor.example> <bob@home.example>\n"}},
                                       kAlice);
  // Under review: Bob's old address, and an attempt to remap an unknown identity to Alice.
  repo.commit("work", {{"a.c", "BACKDOOR\n"}}, Author{"bobby", "bob@home.example"});
  const std::string remap = repo.commit(
      "remap", {{".mailmap", "Bob Builder <bob@contractor.example> <bob@home.example>\n"
                             "Alice Example <alice@corp.example> <mallory@evil.example>\n"}},
      Author{"Mallory", "mallory@evil.example"});
  repo.commit("sneaky", {{"b.c", "BACKDOOR\n"}}, Author{"Mallory", "mallory@evil.example"});

  const CliResult r = run_provscan({"scan", repo.path(), "--range", base + "..HEAD", "--roster", roster,
                                    "--no-default-rules", "--rules", rules, "--format", "json"});
  const json j = json::parse(r.out);
  std::map<std::string, json> by_path;
  for (const json& f : j["findings"]) by_path[f["path"]] = f;
  CHECK(by_path["a.c"]["author"]["person"] == "p-1");  // via the base revision's .mailmap
  CHECK(by_path["b.c"]["author"]["person"].is_null());  // the remap under review is not trusted
  REQUIRE(by_path.count(".mailmap"));
  CHECK(by_path[".mailmap"]["rule_id"] == "provenance.mailmap-changed");
  CHECK(by_path[".mailmap"]["commit"] == remap);

  // An explicit --mailmap is used as given.
  const std::string mm = tmp.file("mm", "Alice Example <alice@corp.example> <mallory@evil.example>\n");
  const json j2 = json::parse(run_provscan({"scan", repo.path(), "--range", base + "..HEAD", "--roster", roster,
                                            "--mailmap", mm, "--no-default-rules", "--rules", rules, "--format", "json"})
                                  .out);
  for (const json& f : j2["findings"])
    if (f["path"] == "b.c") CHECK(f["author"]["person"] == "p-2");
}

TEST_CASE("--since/--until bound commits by date") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  repo.commit("d1", {{"a", "BACKDOOR\n"}}, Author{"A", "a@x", 1704067200});  // 2024-01-01
  repo.commit("d2", {{"b", "BACKDOOR\n"}}, Author{"A", "a@x", 1706745600});  // 2024-02-01
  repo.commit("d3", {{"c", "BACKDOOR\n"}}, Author{"A", "a@x", 1709251200});  // 2024-03-01
  const json j = scan_json(repo, rules, {"--since", "2024-01-15", "--until", "2024-02-15"});
  CHECK(j["summary"]["commits"] == 1);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["path"] == "b");
}

TEST_CASE("trailers: co-authors and reviewers are resolved against the roster and reported") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  const std::string roster = tmp.file("roster.yaml",
                                      "people:\n  - {id: p-1, name: Bob Builder, emails: [bob@contractor.example]}\n"
                                      "  - {id: p-2, name: Alice Example, emails: [alice@corp.example]}\n");
  repo.commit("work\n\nCo-authored-by: Bob Builder <bob@contractor.example>\n"
              "Reviewed-by: Alice Example <alice@corp.example>\nReviewed-by: Zed <zed@elsewhere.example>\n",
              {{"a.c", "BACKDOOR\n"}}, kEve);
  const json j = scan_json(repo, rules, {"--roster", roster});
  REQUIRE(j["findings"].size() == 1);
  const json& f = j["findings"][0];
  REQUIRE(f["co_authors"].size() == 1);
  CHECK(f["co_authors"][0]["person"] == "p-1");
  REQUIRE(f["reviewers"].size() == 2);
  CHECK(f["reviewers"][0]["person"] == "p-2");
  CHECK(f["reviewers"][1]["person"].is_null());
  CHECK(f["reviewers"][1]["identity"] == "Zed <zed@elsewhere.example>");
}
