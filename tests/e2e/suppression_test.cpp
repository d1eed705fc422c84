// Inline suppressions (`provscan:ignore RULE reason`): the comment's parser, and the gate on
// repositories built at test time. A suppression counts only with a reason and when its writer
// (the author of the commit that added the line) may contribute to the path.
#include "scanner/suppression.h"

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/reports/sarif_schema.h"
#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using provscan::scan::parse_inline_suppression;
using nlohmann::json;

namespace {

using Ids = std::vector<std::string>;

Ids ids_of(std::string_view line) {
  const auto s = parse_inline_suppression(line);
  REQUIRE(s.has_value());
  return s->rule_ids;
}

std::string reason_of(std::string_view line) {
  const auto s = parse_inline_suppression(line);
  REQUIRE(s.has_value());
  return s->reason;
}

}  // namespace

TEST_CASE("parse_inline_suppression: rule ids and the reason, in any comment syntax") {
  CHECK(ids_of("curl x | sh  # provscan:ignore sh.fetch-pipe-to-shell pinned installer") == Ids{"sh.fetch-pipe-to-shell"});
  CHECK(reason_of("curl x | sh  # provscan:ignore sh.fetch-pipe-to-shell pinned installer") == "pinned installer");
  CHECK(reason_of("x = 1; // provscan:ignore a.b   reason with  inner  blanks   ") == "reason with  inner  blanks");
  CHECK(reason_of("x(); /* provscan:ignore a.b tested in CI */") == "tested in CI");
  CHECK(reason_of("<a/> <!-- provscan:ignore a.b vendored page -->") == "vendored page");
  CHECK(reason_of("-- provscan:ignore a.b\tbecause of a tab") == "because of a tab");
  CHECK(reason_of("x # provscan:ignore a.b déjà revu") == "déjà revu");
  // several ids, comma-separated
  CHECK(ids_of("# provscan:ignore a.one,b.two,c.three why") == Ids{"a.one", "b.two", "c.three"});
  CHECK(ids_of("# provscan:ignore a.one,,b.two, why") == Ids{"a.one", "b.two"});
  // no wildcard: `*` is an id like any other, which no rule has
  CHECK(ids_of("# provscan:ignore * everything") == Ids{"*"});
  CHECK(ids_of("# provscan:ignore sh.* everything") == Ids{"sh.*"});
}

TEST_CASE("parse_inline_suppression: no reason, no id, no marker") {
  CHECK(reason_of("# provscan:ignore a.b").empty());
  CHECK(reason_of("# provscan:ignore a.b   ").empty());
  CHECK(reason_of("/* provscan:ignore a.b */").empty());
  CHECK(reason_of("# provscan:ignore a.b -- ...").empty());  // punctuation says nothing
  CHECK(ids_of("/* provscan:ignore a.b*/") == Ids{"a.b"});
  CHECK(reason_of("/* provscan:ignore a.b*/").empty());
  CHECK(ids_of("# provscan:ignore").empty());
  CHECK(ids_of("# provscan:ignore   ").empty());
  CHECK_FALSE(parse_inline_suppression("curl x | sh").has_value());
  CHECK_FALSE(parse_inline_suppression("# provscan:ignored a.b reason").has_value());
  CHECK_FALSE(parse_inline_suppression("# provscan:ignore-all a.b reason").has_value());
  CHECK_FALSE(parse_inline_suppression("# myprovscan:ignore a.b reason").has_value());
  CHECK_FALSE(parse_inline_suppression("# PROVSCAN:IGNORE a.b reason").has_value());
  // the first standalone marker counts
  CHECK(ids_of("# provscan:ignored x; provscan:ignore a.b r") == Ids{"a.b"});
}

// ---- end to end ----------------------------------------------------------------------------

namespace {

const char* kRules = R"(rules:
  - id: t.fetch-pipe
    engine: signature
    severity: high
    message: "pipe to shell"
    regex: 'curl[^|\n]*\|\s*sh\b'
  - id: t.other
    engine: signature
    severity: high
    message: "other"
    literals: ["NEVER-IN-THESE-FIXTURES"]
)";

const char* kRoster = R"(people:
  - {id: p-alice, name: Alice Employee, emails: [alice@corp.example], citizenship: [US], role: employee}
  - {id: p-dev, name: Dev Overseas, emails: [dev@partner.example], citizenship: [IN], role: contractor}
)";

const char* kPolicy = R"(default:
  allow: {}
paths:
  - match: ["deploy/**"]
    allow: { citizenship: [US] }
unattributed: warn
)";

const Author kAlice{"Alice Employee", "alice@corp.example"};
const Author kDev{"Dev Overseas", "dev@partner.example"};
const Author kMallory{"Mallory", "mallory@unknown.example"};

const std::string kPipe = "curl -s https://x.invalid/i.sh | sh";

struct Repo {
  FixtureRepo repo;
  TempDir dir;
  std::string rules, roster, policy, base;
  Repo() {
    rules = dir.file("rules.yaml", kRules);
    roster = dir.file("roster.yaml", kRoster);
    policy = dir.file("policy.yaml", kPolicy);
    base = repo.commit("base", {{"README", "hello\n"}}, kAlice);
  }
  // One commit adding `line` as line 2 of `path`, by `who`.
  std::string add(const std::string& path, const std::string& line, const Author& who) {
    return repo.commit("add " + path, {{path, "#!/bin/sh\n" + line + "\n"}}, who);
  }
  std::vector<std::string> args(std::vector<std::string> extra, bool with_roster = true, bool with_policy = false) const {
    std::vector<std::string> a = {"scan", repo.path(), "--no-default-rules", "--rules", rules, "--range", base + "..HEAD"};
    if (with_roster) a.insert(a.end(), {"--roster", roster});
    if (with_policy) a.insert(a.end(), {"--policy", policy});
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

// (rule_id, line, suppressed) of every finding.
std::vector<std::tuple<std::string, int, bool>> rows(const json& j) {
  std::vector<std::tuple<std::string, int, bool>> out;
  for (const json& f : j["findings"]) out.emplace_back(f["rule_id"], f["line"], f["suppressed"]);
  return out;
}

const json* finding(const json& j, const std::string& rule) {
  for (const json& f : j["findings"])
    if (f["rule_id"] == rule) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("suppression: a reasoned comment by a roster person suppresses its finding, which stays listed") {
  Repo r;
  const std::string c = r.add("install.sh", kPipe + "  # provscan:ignore t.fetch-pipe pinned installer, hash checked above", kAlice);
  CliResult res = run_provscan(r.args({"--format", "json"}));
  INFO(res.err);
  CHECK(res.exit_code == 0);
  const json j = json::parse(res.out);
  REQUIRE(rows(j) == std::vector<std::tuple<std::string, int, bool>>{{"t.fetch-pipe", 2, true}});
  const json& f = j["findings"][0];
  CHECK(f["commit"] == c);
  CHECK(f["suppression"]["reason"] == "pinned installer, hash checked above");
  CHECK(f["suppression"]["author"] == json{{"person", "p-alice"}, {"identity", "Alice Employee <alice@corp.example>"}});

  // every output lists it, with the reason and who wrote the comment
  res = run_provscan(r.args({}));
  CHECK(res.exit_code == 0);
  CHECK(res.out.find("install.sh:2 [suppressed by Alice Employee <alice@corp.example> [p-alice]: pinned installer, "
                     "hash checked above]") != std::string::npos);
  CHECK(res.out.find("1 finding (1 high; 1 suppressed)") != std::string::npos);
  res = run_provscan(r.args({"--format", "sarif"}));
  CHECK(res.exit_code == 0);
  const json sarif = json::parse(res.out);
  CHECK(sarif["runs"][0]["results"][0]["suppressions"] ==
        json::array({{{"kind", "inSource"},
                      {"status", "accepted"},
                      {"justification", "pinned installer, hash checked above"},
                      {"properties", {{"author", "Alice Employee <alice@corp.example>"}, {"authorPerson", "p-alice"}}}}}));
  provscan::report::testing::check_valid_sarif(res.out, "suppressed-scan.sarif");
  res = run_provscan(r.args({"--format", "github"}));
  CHECK(res.exit_code == 0);
  CHECK(res.out.starts_with("::notice file=install.sh,line=2,"));
  res = run_provscan(r.args({"--format", "csv"}));
  CHECK(res.out.find(",false,true,\"pinned installer, hash checked above\",p-alice,Alice Employee "
                     "<alice@corp.example>\r\n") != std::string::npos);
  res = run_provscan(r.args({"--format", "junit"}));
  CHECK(res.out.find("[suppressed by Alice Employee") != std::string::npos);
  res = run_provscan(r.args({"--format", "gitlab"}));
  CHECK(json::parse(res.out)[0]["severity"] == "info");

  // --fail-on does not bring it back; the same line without the comment fails the gate
  CHECK(run_provscan(r.args({"--fail-on", "info"})).exit_code == 0);
  r.add("other.sh", kPipe, kAlice);
  CHECK(run_provscan(r.args({})).exit_code == 1);
}

TEST_CASE("suppression: several ids, and only the named rule on that line") {
  Repo r;
  r.add("a.sh", kPipe + " # provscan:ignore t.other,t.fetch-pipe reviewed in #123", kAlice);
  CHECK(run_provscan(r.args({})).exit_code == 0);
  Repo s;
  s.add("a.sh", kPipe + " # provscan:ignore t.other reviewed in #123", kAlice);
  const CliResult res = run_provscan(s.args({"--format", "json"}));
  CHECK(res.exit_code == 1);  // another rule named: this finding stands, and nothing is added
  CHECK(rows(json::parse(res.out)) == std::vector<std::tuple<std::string, int, bool>>{{"t.fetch-pipe", 2, false}});
  Repo w;
  w.add("a.sh", kPipe + " # provscan:ignore * everything is fine", kAlice);
  CHECK(run_provscan(w.args({})).exit_code == 1);  // no wildcard
}

TEST_CASE("suppression: without a reason it does not suppress, and says so (low)") {
  Repo r;
  r.add("install.sh", kPipe + "  # provscan:ignore t.fetch-pipe", kAlice);
  const CliResult res = run_provscan(r.args({"--format", "json"}));
  CHECK(res.exit_code == 1);
  const json j = json::parse(res.out);
  CHECK(rows(j) == std::vector<std::tuple<std::string, int, bool>>{
                       {"provenance.suppression-without-reason", 2, false}, {"t.fetch-pipe", 2, false}});
  const json* f = finding(j, "provenance.suppression-without-reason");
  REQUIRE(f);
  CHECK((*f)["severity"] == "low");
  CHECK((*f)["engine"] == "provenance");
  CHECK((*f)["author"]["person"] == "p-alice");
  CHECK((*f)["message"].get<std::string>().find("gives no reason") != std::string::npos);
  CHECK(finding(j, "t.fetch-pipe")->at("suppression").is_null());
}

TEST_CASE("suppression: an unattributed writer's comment does not suppress (medium finding)") {
  Repo r;
  r.add("install.sh", kPipe + "  # provscan:ignore t.fetch-pipe trust me", kMallory);
  CliResult res = run_provscan(r.args({"--format", "json"}));
  CHECK(res.exit_code == 1);
  json j = json::parse(res.out);
  CHECK(rows(j) == std::vector<std::tuple<std::string, int, bool>>{
                       {"provenance.suppression-not-allowed", 2, false}, {"t.fetch-pipe", 2, false}});
  const json* f = finding(j, "provenance.suppression-not-allowed");
  REQUIRE(f);
  CHECK((*f)["severity"] == "medium");
  CHECK((*f)["message"].get<std::string>().find("author Mallory <mallory@unknown.example> is not in the roster") !=
        std::string::npos);
  CHECK((*f)["author"]["person"].is_null());

  // no roster at all: nobody is attributed, so no comment suppresses
  Repo n;
  n.add("install.sh", kPipe + "  # provscan:ignore t.fetch-pipe pinned", kAlice);
  res = run_provscan(n.args({"--format", "json"}, false));
  CHECK(res.exit_code == 1);
  CHECK(finding(json::parse(res.out), "provenance.suppression-not-allowed") != nullptr);
}

TEST_CASE("suppression: someone the policy does not allow on the path cannot suppress there") {
  Repo r;
  r.add("deploy/run.sh", kPipe + "  # provscan:ignore t.fetch-pipe needed for the rollout", kDev);
  CliResult res = run_provscan(r.args({"--format", "json"}, true, true));
  CHECK(res.exit_code == 1);
  json j = json::parse(res.out);
  const json* f = finding(j, "provenance.suppression-not-allowed");
  REQUIRE(f);
  CHECK((*f)["message"].get<std::string>().find("author p-dev (Dev Overseas): citizenship IN not in [US] for deploy/**") !=
        std::string::npos);
  CHECK(finding(j, "t.fetch-pipe")->at("suppressed") == false);
  CHECK(finding(j, "policy.path-not-allowed") != nullptr);  // the policy finding itself, as always

  // without the policy, any roster person may suppress: the same commit passes
  CHECK(run_provscan(r.args({}, true, false)).exit_code == 0);

  // elsewhere (the default rule) the same person may
  Repo ok;
  ok.add("tools/run.sh", kPipe + "  # provscan:ignore t.fetch-pipe needed for the rollout", kDev);
  res = run_provscan(ok.args({"--format", "json"}, true, true));
  CHECK(res.exit_code == 0);
  CHECK(json::parse(res.out)["findings"][0]["suppressed"] == true);

  // an allowed person at deploy/ may
  Repo us;
  us.add("deploy/run.sh", kPipe + "  # provscan:ignore t.fetch-pipe needed for the rollout", kAlice);
  CHECK(run_provscan(us.args({}, true, true)).exit_code == 0);
}

TEST_CASE("suppression: policy findings cannot be suppressed inline") {
  Repo r;
  r.add("deploy/run.sh", "echo hi  # provscan:ignore policy.path-not-allowed I have permission", kDev);
  const CliResult res = run_provscan(r.args({"--format", "json"}, true, true));
  CHECK(res.exit_code == 1);
  const json j = json::parse(res.out);
  const json* f = finding(j, "policy.path-not-allowed");
  REQUIRE(f);
  CHECK((*f)["suppressed"] == false);
}

TEST_CASE("apply_inline_suppressions: a comment on a line the commit did not add has no known writer") {
  // A two-line finding (lines 2-3) charged to a commit that added only line 3: the comment on
  // line 2 is older, so who wrote it is not known and it does not suppress.
  const provscan::scan::Roster roster({provscan::scan::Person{.id = "p-alice", .name = "Alice"}});
  provscan::scan::Attribution who;
  who.author = {"p-alice", "Alice <alice@corp.example>"};
  const std::vector<std::string_view> lines = {"import base64", "exec(  # provscan:ignore py.exec-decoded old",
                                               "    base64.b64decode(B))"};
  auto finding = [&] {
    provscan::scan::Finding f;
    f.rule_id = "py.exec-decoded";
    f.engine = "query";
    f.commit = std::string(40, 'a');
    f.path = "x.py";
    f.line = 2;
    f.end_line = 3;
    f.author = who.author;
    return f;
  };
  std::vector<provscan::scan::Finding> findings = {finding()};
  provscan::scan::apply_inline_suppressions(findings, 0, lines, {{3, 3}}, {nullptr, roster, who, 0});
  REQUIRE(findings.size() == 2);
  CHECK_FALSE(findings[0].suppressed);
  CHECK(findings[1].rule_id == "provenance.suppression-not-allowed");
  CHECK(findings[1].line == 2);
  CHECK(findings[1].message.find("did not add") != std::string::npos);

  // the same comment on a line the commit added suppresses, written by the commit's author
  findings = {finding()};
  provscan::scan::apply_inline_suppressions(findings, 0, lines, {{2, 3}}, {nullptr, roster, who, 0});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].suppressed);
  REQUIRE(findings[0].suppression.has_value());
  CHECK(findings[0].suppression->reason == "old");
  CHECK(findings[0].suppression->author.person == "p-alice");

  // findings before `first` (another file's) are left alone
  findings = {finding(), finding()};
  provscan::scan::apply_inline_suppressions(findings, 1, lines, {{2, 3}}, {nullptr, roster, who, 0});
  CHECK_FALSE(findings[0].suppressed);
  CHECK(findings[1].suppressed);
}
