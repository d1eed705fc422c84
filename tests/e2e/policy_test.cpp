// Policy end to end: the cases an auditor asks about, each asserting the exact findings.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using nlohmann::json;

namespace {

const char* kRoster = R"(people:
  - {id: p-emp, name: Alice Employee, emails: [alice@corp.example], citizenship: [US], role: employee}
  - {id: p-con, name: Carl Contractor, emails: [carl@contractor.example], citizenship: [US], role: contractor,
     valid_from: 2024-01-01, valid_to: 2024-01-31}
  - {id: p-esc, name: Erin Escort, emails: [erin@corp.example], citizenship: [US], role: escort}
  - {id: p-dev, name: Dev Overseas, emails: [dev@partner.example], citizenship: [IN], role: contractor}
  - {id: p-us2, name: Uma Local, emails: [uma@corp.example], citizenship: [US], role: contractor}
)";

const char* kPolicy = R"(default:
  allow: { roles: [employee, contractor, escort] }
paths:
  - match: ["deploy/**"]
    allow: { citizenship: [US], roles: [employee] }
  - match: ["src/**"]
    allow: { citizenship: [US] }
relay:
  escort_roles: [escort]
  origin_trailer: "On-behalf-of"
unattributed: deny
)";

const Author kAlice{"Alice Employee", "alice@corp.example"};
const Author kCarl{"Carl Contractor", "carl@contractor.example", 1704153600};  // 2024-01-02: valid
const Author kErin{"Erin Escort", "erin@corp.example"};

// (rule_id, commit) of every policy finding.
std::set<std::pair<std::string, std::string>> policy_findings(const json& j) {
  std::set<std::pair<std::string, std::string>> out;
  for (const json& f : j["findings"])
    if (f["engine"] == "policy") out.emplace(f["rule_id"], f["commit"]);
  return out;
}

}  // namespace

TEST_CASE("policy: restricted paths, relays, validity and unattributed authors") {
  FixtureRepo repo;
  TempDir tmp;
  const std::string roster = tmp.file("roster.yaml", kRoster);
  const std::string policy = tmp.file("policy.yaml", kPolicy);
  const std::string rules = tmp.file("rules.yaml",
                                     "rules:\n  - {id: t.none, engine: signature, severity: low, message: m, literals: [NEVER-PRESENT]}\n");
  const std::string ok = repo.commit("employee deploys", {{"deploy/app.yaml", "replicas: 2\n"}}, kAlice);
  const std::string con_deploy = repo.commit("contractor deploys", {{"deploy/app.yaml", "replicas: 3\n"}}, kCarl);
  const std::string con_src = repo.commit("contractor in src", {{"src/a.c", "int a;\n"}}, kCarl);
  const std::string late = repo.commit("contractor after contract", {{"docs/a.md", "x\n"}},
                                       Author{"Carl Contractor", "carl@contractor.example", 1709251200});  // 2024-03-01
  const std::string relay_ok = repo.commit("relay\n\nOn-behalf-of: Uma Local <uma@corp.example>\n", {{"src/b.c", "int b;\n"}}, kErin);
  const std::string relay_bad = repo.commit("relay\n\nOn-behalf-of: Dev Overseas <dev@partner.example>\n", {{"src/c.c", "int c;\n"}}, kErin);
  const std::string relay_none = repo.commit("no origin", {{"src/d.c", "int d;\n"}}, kErin);
  const std::string stranger = repo.commit("stranger", {{"docs/b.md", "y\n"}}, Author{"Mallory", "m@unknown.example"});

  const CliResult r = run_provscan({"scan", repo.path(), "--roster", roster, "--policy", policy, "--no-default-rules",
                                    "--rules", rules, "--format", "json"});
  CHECK(r.exit_code == 1);
  const json j = json::parse(r.out);
  CHECK(policy_findings(j) == std::set<std::pair<std::string, std::string>>{
                                  {"policy.path-not-allowed", con_deploy},
                                  {"policy.outside-validity", late},
                                  {"policy.relayed-from-disallowed", relay_bad},
                                  {"policy.relay-without-origin", relay_none},
                                  {"policy.unattributed", stranger},
                              });
  for (const json& f : j["findings"]) {
    if (f["rule_id"] == "policy.path-not-allowed") {
      CHECK(f["message"] == "p-con (Carl Contractor): role contractor not in [employee] for deploy/**");
      CHECK(f["path"] == "deploy/app.yaml");
    }
    if (f["rule_id"] == "policy.relayed-from-disallowed") {
      CHECK(f["relayed_for"]["person"] == "p-dev");
      CHECK(f["author"]["person"] == "p-esc");
    }
  }
  CHECK(j["inputs"]["policy_sha256"].get<std::string>().size() == 64);
  (void)ok;
  (void)con_src;
  (void)relay_ok;
}

TEST_CASE("policy: errors are file:line:col and exit 2; --policy needs --roster") {
  FixtureRepo repo;
  repo.commit("x", {{"a", "b\n"}});
  TempDir tmp;
  const std::string roster = tmp.file("roster.yaml", kRoster);
  const std::string bad = tmp.file("policy.yaml", "default:\n  allow: { colour: [red] }\n");
  CliResult r = run_provscan({"scan", repo.path(), "--roster", roster, "--policy", bad});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(bad + ":2:12: ") != std::string::npos);
  CHECK(r.err.find("colour") != std::string::npos);
  r = run_provscan({"scan", repo.path(), "--policy", tmp.file("ok.yaml", kPolicy)});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--policy needs --roster") != std::string::npos);
  r = run_provscan({"policy", "check", bad, "--roster", roster});
  CHECK(r.exit_code == 2);
}

TEST_CASE("policy check prints who may contribute per path rule") {
  TempDir tmp;
  const std::string roster = tmp.file("roster.yaml", kRoster);
  const CliResult r = run_provscan({"policy", "check", tmp.file("policy.yaml", kPolicy), "--roster", roster});
  CHECK(r.exit_code == 0);
  const auto deploy = r.out.find("deploy/**");
  const auto src = r.out.find("src/**");
  REQUIRE(deploy != std::string::npos);
  REQUIRE(src != std::string::npos);
  const std::string deploy_section = r.out.substr(deploy, src - deploy);
  CHECK(deploy_section.find("p-emp Alice Employee") < deploy_section.find("may not"));
  CHECK(deploy_section.find("p-dev Dev Overseas: citizenship IN not in [US]") != std::string::npos);
}
