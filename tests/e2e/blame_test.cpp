// `provscan blame`: lines alive at a revision summed by person and attribute, checked against
// `git blame --line-porcelain` run on every file of a repository built at test time.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using nlohmann::json;

namespace {

// author-mail -> lines, from git blame over every file at HEAD.
std::map<std::string, long> git_blame_by_email(const FixtureRepo& repo, const std::vector<std::string>& files) {
  std::map<std::string, long> out;
  for (const std::string& f : files) {
    const std::string cmd = "git --git-dir='" + repo.git_dir() + "' blame --line-porcelain HEAD -- '" + f + "'";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    while (fgets(buf, sizeof buf, p)) {
      std::string line(buf);
      if (line.rfind("author-mail <", 0) == 0) ++out[line.substr(13, line.find('>') - 13)];
    }
    REQUIRE(pclose(p) == 0);
  }
  return out;
}

}  // namespace

TEST_CASE("blame: lines alive by person and by attribute agree with git blame") {
  FixtureRepo repo;
  TempDir tmp;
  const Author alice{"Alice Example", "alice@corp.example"};
  const Author bob{"Bob Builder", "bob@contractor.example"};
  const Author mallory{"Mallory", "m@unknown.example"};
  repo.commit("a", {{"src/a.c", "one\ntwo\nthree\nfour\n"}, {"README", "hello\n"}}, alice);
  repo.commit("b", {{"src/a.c", "one\nTWO\nthree\nfour\nfive\n"}, {"tools/x.py", "print(1)\nprint(2)\n"}}, bob);
  repo.branch("side");
  repo.checkout_branch("side");
  const std::string side = repo.commit("m", {{"src/b.c", "int b;\n"}}, mallory);
  repo.checkout_branch("main");
  repo.commit("c", {{"README", "hello\nworld\n"}}, alice);
  repo.merge("merge side", {side}, {{"src/b.c", "int b;\n"}}, alice);

  const auto expected = git_blame_by_email(repo, {"README", "src/a.c", "src/b.c", "tools/x.py"});
  const std::string roster = tmp.file("roster.yaml",
                                      "people:\n"
                                      "  - {id: p-a, name: Alice Example, emails: [alice@corp.example], role: employee, citizenship: [US]}\n"
                                      "  - {id: p-b, name: Bob Builder, emails: [bob@contractor.example], role: contractor, citizenship: [US, CA]}\n");
  CliResult r = run_provscan({"blame", repo.path(), "--roster", roster, "--format", "json"});
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  std::map<std::string, long> got;
  for (const json& g : j["groups"])
    got[g["key"].is_null() ? g["identity"].get<std::string>() : g["key"].get<std::string>()] = g["lines"];
  CHECK(got == std::map<std::string, long>{{"p-a", expected.at("alice@corp.example")},
                                           {"p-b", expected.at("bob@contractor.example")},
                                           {"Mallory <m@unknown.example>", expected.at("m@unknown.example")}});
  CHECK(j["total_lines"] == 10);  // README 2, src/a.c 5, src/b.c 1, tools/x.py 2

  r = run_provscan({"blame", repo.path(), "--roster", roster, "--by", "citizenship", "--format", "json"});
  j = json::parse(r.out);
  std::map<std::string, long> by_cc;
  for (const json& g : j["groups"])
    if (!g["key"].is_null()) by_cc[g["key"]] = g["lines"];
  const long a = expected.at("alice@corp.example"), b = expected.at("bob@contractor.example");
  CHECK(by_cc == std::map<std::string, long>{{"US", a + b}, {"CA", b}});

  CHECK(run_provscan({"blame", repo.path(), "--by", "shoe-size"}).exit_code == 2);
  CHECK(run_provscan({"blame", repo.path(), "--rev", "no-such-rev"}).exit_code == 2);
}
