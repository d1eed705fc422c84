// Signed commits end to end: keys made with ssh-keygen at test time; verification happens in
// provscan, against the roster's keys only.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>

#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using nlohmann::json;

namespace {

bool have_ssh_keygen() { return std::system("command -v ssh-keygen >/dev/null 2>&1") == 0; }

std::string sh(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  REQUIRE_MESSAGE(rc == 0, cmd);
  return {};
}

std::string trim_newline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("signatures: verified by a roster key, unknown key, altered content; policy requires signing") {
  if (!have_ssh_keygen()) {
    REQUIRE_MESSAGE(std::getenv("PROVSCAN_REQUIRE_SIGNING_TOOLS") == nullptr, "ssh-keygen is required");
    MESSAGE("ssh-keygen not installed: skipped");
    return;
  }
  TempDir tmp;
  const std::string d = tmp.path();
  sh("ssh-keygen -q -t ed25519 -N '' -C alice -f '" + d + "/alice' >/dev/null");
  sh("ssh-keygen -q -t ed25519 -N '' -C stranger -f '" + d + "/stranger' >/dev/null");
  const std::string alice_pub = trim_newline(read_text(d + "/alice.pub"));

  FixtureRepo repo;
  const Author alice{"Alice Example", "alice@corp.example"};
  repo.commit("base", {{"README", "x\n"}}, alice);

  // Signs the commit that `files` would make, the way git does: over the unsigned object.
  auto signed_commit = [&](const std::string& msg, const Files& files, const std::string& key,
                           const std::string& signed_msg) {
    const std::string parent = repo.head();
    Author who = alice;
    who.time = FixtureRepo::kBaseTime + 40 * FixtureRepo::kDay;
    const std::string plain = repo.commit(signed_msg, files, who);
    const std::string payload_file = d + "/payload-" + plain;
    sh("git --git-dir='" + repo.git_dir() + "' cat-file commit " + plain + " > '" + payload_file + "'");
    sh("ssh-keygen -q -Y sign -n git -f '" + d + "/" + key + "' '" + payload_file + "' 2>/dev/null");
    repo.set_head_commit(parent);
    return repo.commit_signed(msg, files, trim_newline(read_text(payload_file + ".sig")), "gpgsig", who);
  };
  const std::string good = signed_commit("deploy 1\n", {{"deploy/a.yaml", "a: 1\n"}}, "alice", "deploy 1\n");
  const std::string stranger = signed_commit("deploy 2\n", {{"deploy/b.yaml", "b: 1\n"}}, "stranger", "deploy 2\n");
  const std::string altered = signed_commit("deploy 3 (not what was signed)\n", {{"deploy/c.yaml", "c: 1\n"}}, "alice",
                                            "deploy 3\n");
  const std::string plain = repo.commit("deploy 4\n", {{"deploy/d.yaml", "d: 1\n"}}, alice);

  const std::string roster = tmp.file("roster.yaml", "people:\n  - id: p-alice\n    name: Alice Example\n"
                                                     "    emails: [alice@corp.example]\n    role: employee\n"
                                                     "    signing_keys: [\"" + alice_pub + "\"]\n");
  const std::string policy = tmp.file("policy.yaml", "default:\n  allow: { roles: [employee] }\npaths:\n"
                                                     "  - match: [\"deploy/**\"]\n    require: { signed: true }\n");
  const std::string rules = tmp.file("rules.yaml", "rules:\n  - {id: t.any, engine: signature, severity: info, message: m, regex: ': 1$', flags: [multiline]}\n");
  const CliResult r = run_provscan({"scan", repo.path(), "--roster", roster, "--policy", policy, "--no-default-rules",
                                    "--rules", rules, "--format", "json"});
  CHECK(r.exit_code == 1);
  const json j = json::parse(r.out);
  std::map<std::string, json> sig;       // commit -> signature object (from the detection findings)
  std::map<std::string, int> unsigned_;  // commit -> policy.unsigned findings
  for (const json& f : j["findings"]) {
    if (f["rule_id"] == "t.any") sig[f["commit"]] = f["signature"];
    if (f["rule_id"] == "policy.unsigned") ++unsigned_[f["commit"]];
  }
  CHECK(sig[good]["status"] == "verified");
  CHECK(sig[good]["person"] == "p-alice");
  CHECK(sig[good]["key"].get<std::string>().rfind("SHA256:", 0) == 0);
  CHECK(sig[stranger]["status"] == "unknown-key");
  CHECK(sig[stranger]["person"].is_null());
  CHECK(sig[altered]["status"] == "bad-signature");
  CHECK(sig[plain]["status"] == "unsigned");
  CHECK(unsigned_ == std::map<std::string, int>{{stranger, 1}, {altered, 1}, {plain, 1}});
}

TEST_CASE("a malformed signing key in the roster is an error at its position") {
  TempDir tmp;
  FixtureRepo repo;
  repo.commit("x", {{"a", "b\n"}});
  const std::string roster = tmp.file("roster.yaml", "people:\n  - id: p-1\n    emails: [a@x]\n"
                                                     "    signing_keys: [\"openpgp:ABCDEF0123456789\"]\n");
  const CliResult r = run_provscan({"roster", "check", roster});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(roster + ":4:19: signing key: ") != std::string::npos);
}
