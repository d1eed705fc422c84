#include "scanner/policy.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "tests/support/run_cli.h"
#include "scanner/pipeline.h"

using namespace provscan;
using namespace provscan::scan;
using provscan::test::scratch_file;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

// The loader's complaint about `text`, with the file name shortened to "P".
std::string policy_error(const std::string& text) {
  const std::string f = scratch_file("provscan-policy-error.yaml", text);
  try {
    load_policy(f);
  } catch (const InputError& e) {
    return replace_all(e.what(), f, "P");
  }
  return "no error";
}

Policy policy_from(const std::string& text) {
  return load_policy(scratch_file("provscan-policy-test.yaml", text));
}

Person person(std::string id, std::string name, std::string email, std::vector<std::string> citizenship,
              std::string role, std::string clearance = "", const char* from = nullptr, const char* to = nullptr) {
  Person p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.emails = {std::move(email)};
  p.citizenship = std::move(citizenship);
  p.role = std::move(role);
  p.clearance = std::move(clearance);
  if (from) p.valid_from = parse_date(from);
  if (to) p.valid_to = parse_date(to);
  return p;
}

Roster demo_roster() {
  return Roster(std::vector<Person>{
      person("p-0001", "Alice Example", "alice@corp.example", {"US"}, "employee", "secret", "2020-01-01"),
      person("p-0002", "Bob Builder", "bob@contractor.example", {"US"}, "contractor", "", "2023-06-01", "2025-06-30"),
      person("p-0003", "Erin Escort", "erin@corp.example", {"US"}, "escort", "secret"),
      person("p-0004", "Dev Overseas", "dev@partner.example", {"IN"}, "contractor"),
      person("p-0005", "Rita Reviewer", "rita@corp.example", {"US"}, "employee", "secret"),
      person("p-0006", "Gwen Dual", "gwen@corp.example", {"GB", "US"}, "employee", "secret"),
  });
}

const char* kPolicy = R"(default:
  allow: { citizenship: [US, IN] }
paths:
  - match: ["deploy/**", "**/*.tf"]
    allow: { citizenship: [US], clearance: [secret], roles: [employee, escort] }
    require: { signed: true, reviewed_by: 1 }
  - match: ["docs/**"]
    allow: {}
relay:
  escort_roles: [escort]
  origin_trailer: On-behalf-of
unattributed: deny
)";

PersonRef ref(const Roster& r, const std::string& id) {
  const Person* p = r.by_id(id);
  REQUIRE(p);
  return PersonRef{p->id, p->name + " <" + p->emails.front() + ">"};
}

std::int64_t noon(const char* date) { return *parse_date(date) * 86400 + 12 * 3600; }

// A commit by `author`, signed and verified by the author, reviewed by Rita, on 2024-03-01.
CommitFacts commit_by(const Roster& r, const std::string& author, std::vector<std::string> paths) {
  CommitFacts c;
  c.commit = std::string(40, 'a');
  c.time = noon("2024-03-01");
  c.who.author = ref(r, author);
  c.who.committer = c.who.author;
  c.paths = std::move(paths);
  c.signature_verified = true;
  c.signer = author;
  c.reviewers = {ref(r, "p-0005")};
  return c;
}

std::vector<std::string> ids(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const Finding& f : fs) out.push_back(f.rule_id);
  std::sort(out.begin(), out.end());
  return out;
}

const Finding& only(const std::vector<Finding>& fs, const std::string& rule_id) {
  auto n = std::count_if(fs.begin(), fs.end(), [&](const Finding& f) { return f.rule_id == rule_id; });
  REQUIRE(n == 1);
  return *std::find_if(fs.begin(), fs.end(), [&](const Finding& f) { return f.rule_id == rule_id; });
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("load: the INTERFACE.md policy shape, with `roles` read as `role` and inherited sections") {
  const Policy p = policy_from(kPolicy);
  REQUIRE(p.paths.size() == 2);
  CHECK(p.paths[0].match == Ids{"deploy/**", "**/*.tf"});
  CHECK(p.paths[0].label == "deploy/**, **/*.tf");
  CHECK(p.paths[0].allow.attrs.at("role") == Ids{"employee", "escort"});
  CHECK(p.paths[0].require.signed_);
  CHECK(p.paths[0].require.reviewed_by == 1);
  CHECK(p.paths[0].require.no_self_review);
  CHECK(p.paths[1].allow.attrs.empty());  // `allow: {}` opens the path to any roster person
  CHECK(p.default_rule.allow.attrs.at("citizenship") == Ids{"US", "IN"});
  CHECK(p.unattributed == UnattributedMode::Deny);
  CHECK(p.sha256.size() == 64);

  // A path rule without `allow:`/`require:` takes them from `default`: omitting never loosens.
  const Policy q = policy_from(
      "paths:\n  - match: src/**\ndefault:\n  allow: {location: [US]}\n  require: {signed: true}\n");
  CHECK(q.paths[0].allow.attrs.at("location") == Ids{"US"});
  CHECK(q.paths[0].require.signed_);
  CHECK(q.paths[0].match == Ids{"src/**"});
  CHECK(q.escort_roles == Ids{"escort"});
  CHECK(q.origin_trailer == "On-behalf-of");
}

TEST_CASE("load: every problem, word for word, with file:line:col") {
  CHECK(policy_error("defaults: {}\n") ==
        "P:1:1: unknown key 'defaults' in policy (allowed: default, paths, relay, unattributed)");
  CHECK(policy_error("- a\n") == "P:1:1: a policy must be a mapping with keys default, paths, relay, unattributed");
  CHECK(policy_error("") == "P:1:1: a policy must be a mapping with keys default, paths, relay, unattributed");
  CHECK(policy_error("default:\n  allow:\n    colour: [red]\n") ==
        "P:3:5: unknown attribute 'colour' in allow (allowed: citizenship, residency, location, employer, role, "
        "clearance, person)");
  CHECK(policy_error("default:\n  allow: {citizenship: [USA, us], residency: GB, location: [u1]}\n") ==
        "P:2:25: citizenship 'USA' is not an ISO 3166-1 alpha-2 code\n"
        "P:2:30: citizenship 'us' is not an ISO 3166-1 alpha-2 code\n"
        "P:2:61: location 'u1' is not an ISO 3166-1 alpha-2 code");
  CHECK(policy_error("default:\n  allow: {role: [employee], roles: [bot]}\n") ==
        "P:2:29: attribute 'role' is given twice in allow (as 'roles')");
  CHECK(policy_error("default:\n  allow: [US]\n") == "P:2:10: 'allow' must be a mapping of attribute: [values]");
  CHECK(policy_error("default:\n  allow: {clearance: {a: b}, employer: [[x]]}\n") ==
        "P:2:22: 'clearance' must be a list of strings\nP:2:41: 'employer' items must be strings");
  CHECK(policy_error("default:\n  match: [x]\n") == "P:2:3: unknown key 'match' in default (allowed: allow, require)");
  CHECK(policy_error("default:\n") == "P:1:1: default must be a mapping");
  CHECK(policy_error("default:\n  require: {signed: yes, reviewed_by: -1, no_self_review: 0, quorum: 2}\n") ==
        "P:2:21: 'signed' must be true or false\n"
        "P:2:39: 'reviewed_by' must be a whole number from 0 to 9999\n"
        "P:2:59: 'no_self_review' must be true or false\n"
        "P:2:62: unknown key 'quorum' in require (allowed: signed, reviewed_by, no_self_review)");
  CHECK(policy_error("paths: {match: x}\n") == "P:1:8: 'paths' must be a list of path rules");
  CHECK(policy_error("paths:\n  - allow: {}\n    require: {}\n    when: x\n") ==
        "P:2:5: path rule without 'match'\n"
        "P:4:5: unknown key 'when' in path rule (allowed: match, allow, require)");
  CHECK(policy_error("paths:\n  - match: []\n") == "P:2:12: 'match' lists no glob");
  CHECK(policy_error("paths:\n  - match: [deploy/, 'src/**.c', 'a/[bc', '../x', 'a//b', 'a\\b', '']\n") ==
        "P:2:13: glob 'deploy/' ends with '/': write 'deploy/**' to match a folder\n"
        "P:2:22: glob 'src/**.c': '**' must be a whole path segment\n"
        "P:2:34: glob 'a/[bc' has an unterminated '['\n"
        "P:2:43: glob '../x' has a '..' segment: globs are relative to the repository root\n"
        "P:2:51: glob 'a//b' has an empty path segment\n"
        "P:2:59: glob 'a\\b' contains '\\': paths are '/'-separated\n"
        "P:2:66: 'match' has an empty value");
  CHECK(policy_error("relay:\n  escort_roles: {a: 1}\n  origin_trailer: On behalf of\n  chain: 2\n") ==
        "P:2:17: 'escort_roles' must be a list of strings\n"
        "P:3:19: origin_trailer 'On behalf of' is not a trailer key (letters, digits and '-')\n"
        "P:4:3: unknown key 'chain' in relay (allowed: escort_roles, origin_trailer)");
  CHECK(policy_error("unattributed: block\n") == "P:1:15: 'unattributed' must be deny, warn or allow (got 'block')");
  // Problems from several sections are all reported, sorted by position.
  CHECK(policy_error("unattributed: [deny]\ndefault:\n  allow: {person: [p-1], rank: [x]}\n") ==
        "P:1:15: 'unattributed' must be deny, warn or allow (got '?')\n"
        "P:3:26: unknown attribute 'rank' in allow (allowed: citizenship, residency, location, employer, role, "
        "clearance, person)");
  CHECK(policy_error("default: {allow: {citizenship: [US]}\n") .rfind("P:2:1: YAML syntax error: ", 0) == 0);
}

TEST_CASE("path-not-allowed: a contractor under a restricted path, an employee is allowed") {
  const Roster r = demo_roster();
  const Policy p = policy_from(kPolicy);

  CHECK(evaluate_policy(p, r, commit_by(r, "p-0001", {"deploy/app.yaml", "src/main.c"})).empty());
  CHECK(evaluate_policy(p, r, commit_by(r, "p-0006", {"deploy/app.yaml"})).empty());  // any citizenship counts
  CHECK(evaluate_policy(p, r, commit_by(r, "p-0002", {"src/main.c", "docs/x.md"})).empty());
  CHECK(evaluate_policy(p, r, commit_by(r, "p-0004", {"src/main.c"})).empty());

  CommitFacts bob = commit_by(r, "p-0002", {"infra/main.tf", "src/main.c"});
  bob.who.committer = ref(r, "p-0001");  // recorded, not checked
  auto fs = evaluate_policy(p, r, bob);
  REQUIRE(ids(fs) == Ids{"policy.path-not-allowed"});
  const Finding& f = fs[0];
  CHECK(f.message == "p-0002 (Bob Builder): clearance (none) not in [secret], role contractor not in [employee, escort] "
                     "for **/*.tf");
  CHECK(f.engine == "policy");
  CHECK(f.severity == Severity::High);
  CHECK(f.path == "infra/main.tf");
  CHECK(f.line == 0);
  CHECK(f.commit == bob.commit);
  CHECK(f.author.person == "p-0002");
  CHECK(f.committer.person == "p-0001");
  CHECK_FALSE(f.relayed_for);
  // A breach belongs to its commit: the commit id is part of the fingerprint.
  CHECK(f.fingerprint == fingerprint("policy.path-not-allowed", "infra/main.tf", f.commit + "\n" + f.message, 0));

  fs = evaluate_policy(p, r, commit_by(r, "p-0004", {"deploy/b.sh", "deploy/a.sh", "x/y.tf"}));
  REQUIRE(ids(fs) == Ids{"policy.path-not-allowed"});  // one per path rule, at its first path
  CHECK(fs[0].path == "deploy/a.sh");
  CHECK(fs[0].message == "p-0004 (Dev Overseas): citizenship IN not in [US], clearance (none) not in [secret], "
                         "role contractor not in [employee, escort] for deploy/**");
}

TEST_CASE("first match wins, the default takes the rest") {
  const Roster r = demo_roster();
  PathRule open;
  open.match = {"src/contrib/**"};
  open.label = "src/contrib/**";
  PathRule closed;
  closed.match = {"src/**"};
  closed.label = "src/**";
  closed.allow.attrs["role"] = {"employee"};
  Policy p;
  p.paths = {open, closed};
  CHECK(&p.rule_for("src/contrib/x.c") == &p.paths[0]);
  CHECK(&p.rule_for("src/x.c") == &p.paths[1]);
  CHECK(&p.rule_for("README") == &p.default_rule);
  CHECK(evaluate_policy(p, r, commit_by(r, "p-0002", {"src/contrib/x.c", "README"})).empty());
  CHECK(ids(evaluate_policy(p, r, commit_by(r, "p-0002", {"src/x.c"}))) == Ids{"policy.path-not-allowed"});

  std::swap(p.paths[0], p.paths[1]);  // now src/** shadows src/contrib/**
  const auto fs = evaluate_policy(p, r, commit_by(r, "p-0002", {"src/contrib/x.c"}));
  REQUIRE(ids(fs) == Ids{"policy.path-not-allowed"});
  CHECK(fs[0].message == "p-0002 (Bob Builder): role contractor not in [employee] for src/**");

  // A glob without '/' matches the base name anywhere.
  PathRule keys;
  keys.match = {"*.pem"};
  keys.allow.attrs["person"] = {"p-0001"};
  p.paths = {keys};
  CHECK(ids(evaluate_policy(p, r, commit_by(r, "p-0005", {"a/b/c/server.pem"}))) == Ids{"policy.path-not-allowed"});
  CHECK(evaluate_policy(p, r, commit_by(r, "p-0001", {"a/b/c/server.pem"})).empty());
  CHECK(evaluate_policy(p, r, commit_by(r, "p-0005", {})).empty());  // nothing contributed, nothing to check
}

TEST_CASE("relays: allowed origin, disallowed origin, no origin") {
  const Roster r = demo_roster();
  const Policy p = policy_from(kPolicy);
  CommitFacts c = commit_by(r, "p-0003", {"deploy/app.yaml"});

  c.who.relayed_for = ref(r, "p-0001");
  CHECK(evaluate_policy(p, r, c).empty());

  c.who.relayed_for = ref(r, "p-0004");
  auto fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.relayed-from-disallowed"});
  CHECK(fs[0].severity == Severity::Critical);
  CHECK(fs[0].message == "relay origin p-0004 (Dev Overseas) (relayed by p-0003 (Erin Escort)): citizenship IN not in "
                         "[US], clearance (none) not in [secret], role contractor not in [employee, escort] for deploy/**");
  REQUIRE(fs[0].relayed_for);
  CHECK(fs[0].relayed_for->person == "p-0004");

  // The same origin is fine where the default allows IN.
  c.paths = {"src/feature.c"};
  CHECK(evaluate_policy(p, r, c).empty());

  c.who.relayed_for.reset();
  fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.relay-without-origin"});
  CHECK(fs[0].severity == Severity::High);
  CHECK(fs[0].message ==
        "p-0003 (Erin Escort) holds escort role 'escort' but the commit names no origin (On-behalf-of trailer)");

  // A non-escort commit with no origin is no relay at all.
  CHECK(evaluate_policy(p, r, commit_by(r, "p-0001", {"src/feature.c"})).empty());

  // An origin that is not in the roster is unattributed: nothing is inferred about it.
  c.who.relayed_for = PersonRef{std::nullopt, "Ghost <ghost@elsewhere.example>"};
  fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.unattributed"});
  CHECK(fs[0].message == "relay origin Ghost <ghost@elsewhere.example> (named by On-behalf-of) is not in the roster");
}

TEST_CASE("outside-validity: the committer-time day against the roster window (inclusive)") {
  const Roster r = demo_roster();
  const Policy p = policy_from(kPolicy);
  CommitFacts c = commit_by(r, "p-0002", {"src/a.c"});
  c.time = noon("2025-06-30");
  CHECK(evaluate_policy(p, r, c).empty());
  c.time = noon("2025-07-02");
  auto fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.outside-validity"});
  CHECK(fs[0].severity == Severity::High);
  CHECK(fs[0].message == "author p-0002 (Bob Builder): commit day 2025-07-02 outside validity 2023-06-01..2025-06-30");

  // The origin of a relay is held to its window too.
  c = commit_by(r, "p-0003", {"src/a.c"});
  c.who.relayed_for = ref(r, "p-0002");
  c.time = noon("2023-05-31");
  fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.outside-validity"});
  CHECK(fs[0].message ==
        "relay origin p-0002 (Bob Builder): commit day 2023-05-31 outside validity 2023-06-01..2025-06-30");
}

TEST_CASE("unattributed: deny is high, warn is medium, allow is silent, no attribute checks") {
  const Roster r = demo_roster();
  Policy p = policy_from(kPolicy);
  CommitFacts c = commit_by(r, "p-0001", {"src/a.c", "docs/b.md"});
  c.who.author = PersonRef{std::nullopt, "Mallory <m@unknown.example>"};
  c.signer.reset();

  auto fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.unattributed"});  // once per commit, not per path rule
  CHECK(fs[0].severity == Severity::High);
  CHECK(fs[0].path == "docs/b.md");
  CHECK(fs[0].message == "author Mallory <m@unknown.example> is not in the roster");
  CHECK(fs[0].author.identity == "Mallory <m@unknown.example>");

  p.unattributed = UnattributedMode::Warn;
  fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.unattributed"});
  CHECK(fs[0].severity == Severity::Medium);

  p.unattributed = UnattributedMode::Allow;
  CHECK(evaluate_policy(p, r, c).empty());
}

TEST_CASE("unsigned: the signature must verify and be the author's") {
  const Roster r = demo_roster();
  const Policy p = policy_from(kPolicy);
  CommitFacts c = commit_by(r, "p-0001", {"deploy/app.yaml", "src/a.c"});
  CHECK(evaluate_policy(p, r, c).empty());  // verified by the author

  c.signature_verified = false;
  auto fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.unsigned"});
  CHECK(fs[0].severity == Severity::High);
  CHECK(fs[0].path == "deploy/app.yaml");
  CHECK(fs[0].message == "p-0001 (Alice Example): commit has no verified signature; a signature by the author is "
                         "required for deploy/**");

  c.signature_verified = true;
  c.signer = "p-0005";  // e.g. the committer's key: it does not vouch for the author
  fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.unsigned"});
  CHECK(fs[0].message == "p-0001 (Alice Example): signed by p-0005, not by the author; a signature by the author is "
                         "required for deploy/**");

  c.signer.reset();
  CHECK(only(evaluate_policy(p, r, c), "policy.unsigned").message ==
        "p-0001 (Alice Example): signature verified with a key of no roster person; a signature by the author is "
        "required for deploy/**");

  // Unsigned commits are fine where nothing requires a signature.
  c.paths = {"src/a.c"};
  CHECK(evaluate_policy(p, r, c).empty());
}

TEST_CASE("unreviewed: distinct qualifying reviewers, the author and the origin do not count") {
  const Roster r = demo_roster();
  Policy p = policy_from(kPolicy);
  p.paths[0].require.reviewed_by = 2;
  CommitFacts c = commit_by(r, "p-0001", {"deploy/app.yaml"});

  c.reviewers = {ref(r, "p-0005"), ref(r, "p-0006")};
  CHECK(evaluate_policy(p, r, c).empty());

  c.reviewers = {ref(r, "p-0005"), ref(r, "p-0005"), ref(r, "p-0001"), ref(r, "p-0004"),
                 PersonRef{std::nullopt, "Zed <z@x.example>"}};
  auto fs = evaluate_policy(p, r, c);
  REQUIRE(ids(fs) == Ids{"policy.unreviewed"});
  CHECK(fs[0].severity == Severity::Medium);
  CHECK(fs[0].message ==
        "p-0001 (Alice Example): 1 of 2 required reviewers (not counted: p-0001 is the author, p-0004 may not "
        "contribute there, Zed <z@x.example> is not in the roster) for deploy/**");

  c.reviewers.clear();
  CHECK(only(evaluate_policy(p, r, c), "policy.unreviewed").message ==
        "p-0001 (Alice Example): 0 of 2 required reviewers for deploy/**");

  // Relay: the origin reviewing the change it wrote does not count under no_self_review.
  p.paths[0].require.reviewed_by = 1;
  c = commit_by(r, "p-0003", {"deploy/app.yaml"});
  c.who.relayed_for = ref(r, "p-0001");
  c.reviewers = {ref(r, "p-0001")};
  CHECK(only(evaluate_policy(p, r, c), "policy.unreviewed").message ==
        "p-0003 (Erin Escort): 0 of 1 required reviewers (not counted: p-0001 is the relay origin) for deploy/**");
  p.paths[0].require.no_self_review = false;
  CHECK(evaluate_policy(p, r, c).empty());

  // A reviewer outside their validity window does not count.
  p.default_rule.require.reviewed_by = 1;
  c = commit_by(r, "p-0001", {"src/a.c"});
  c.reviewers = {ref(r, "p-0002")};
  c.time = noon("2026-01-01");
  CHECK(only(evaluate_policy(p, r, c), "policy.unreviewed").message ==
        "p-0001 (Alice Example): 0 of 1 required reviewers (not counted: p-0002 is outside their validity) for the "
        "default rule");
}

TEST_CASE("several breaches of one commit, one finding per rule id and path rule") {
  const Roster r = demo_roster();
  const Policy p = policy_from(kPolicy);
  CommitFacts c = commit_by(r, "p-0004", {"deploy/x", "infra/y.tf", "src/z.c", "docs/w.md"});
  c.signature_verified = false;
  c.reviewers.clear();
  c.who.relayed_for = PersonRef{std::nullopt, "Ghost <g@x.example>"};
  const auto fs = evaluate_policy(p, r, c);
  CHECK(ids(fs) == Ids{"policy.path-not-allowed", "policy.unattributed", "policy.unreviewed", "policy.unsigned"});
  for (const Finding& f : fs) {
    CHECK(f.path == "deploy/x");  // the first path (sorted), whichever rule
    CHECK(f.fingerprint == fingerprint(f.rule_id, f.path, f.commit + "\n" + f.message, 0));
  }
}

TEST_CASE("policy_rules lists the seven ids") {
  Ids got;
  for (const RuleInfo& i : policy_rules()) got.push_back(i.id);
  CHECK(got == Ids{"policy.outside-validity", "policy.path-not-allowed", "policy.relay-without-origin",
                   "policy.relayed-from-disallowed", "policy.unattributed", "policy.unreviewed", "policy.unsigned"});
}

TEST_CASE("describe_policy: who may contribute where, and warnings") {
  const Roster r(std::vector<Person>{
      person("p-0001", "Alice Example", "alice@corp.example", {"US"}, "employee", "secret", "2020-01-01"),
      person("p-0002", "Bob Builder", "bob@contractor.example", {"US"}, "contractor", "", "2023-06-01", "2025-06-30"),
      person("p-0003", "Erin Escort", "erin@corp.example", {"US"}, "escort", "secret"),
      person("p-0004", "Dev Overseas", "dev@partner.example", {"IN"}, "contractor"),
  });
  const std::string file = scratch_file("provscan-policy-describe.yaml", R"(default:
  allow: { citizenship: [US, IN] }
paths:
  - match: ["deploy/**", "infra/**"]
    allow: { citizenship: [US], clearance: [secret, top-secret], role: [employee] }
    require: { signed: true, reviewed_by: 1 }
  - match: ["deploy/docs/**"]
    allow: {}
unattributed: warn
)");
  const Policy p = load_policy(file);
  std::string got = describe_policy(p, r, {"deploy/run.sh", "deploy/docs/a.md", "src/main.c"});
  got = replace_all(replace_all(got, p.sha256, "<sha256>"), file, "P");
  CHECK(got ==
        "policy P sha256 <sha256>\n"
        "path rules (first match wins):\n"
        "  1. deploy/**, infra/** (P:4:5)\n"
        "    allow: citizenship [US]; clearance [secret, top-secret]; role [employee]\n"
        "    require: signed by the author; 1 reviewer (not the author or the relay origin)\n"
        "    may contribute:\n"
        "      p-0001 Alice Example (valid 2020-01-01..)\n"
        "    may not:\n"
        "      p-0002 Bob Builder: clearance (none) not in [secret, top-secret], role contractor not in [employee]\n"
        "      p-0003 Erin Escort: role escort not in [employee]\n"
        "      p-0004 Dev Overseas: citizenship IN not in [US], clearance (none) not in [secret, top-secret], role "
        "contractor not in [employee]\n"
        "  2. deploy/docs/** (P:7:5)\n"
        "    allow: anyone in the roster\n"
        "    require: nothing\n"
        "    may contribute:\n"
        "      p-0001 Alice Example (valid 2020-01-01..)\n"
        "      p-0002 Bob Builder (valid 2023-06-01..2025-06-30)\n"
        "      p-0003 Erin Escort\n"
        "      p-0004 Dev Overseas\n"
        "  default: every other path (P:2:3)\n"
        "    allow: citizenship [US, IN]\n"
        "    require: nothing\n"
        "    may contribute:\n"
        "      p-0001 Alice Example (valid 2020-01-01..)\n"
        "      p-0002 Bob Builder (valid 2023-06-01..2025-06-30)\n"
        "      p-0003 Erin Escort\n"
        "      p-0004 Dev Overseas\n"
        "relays: escort roles [escort]; origin trailer On-behalf-of; escorts: p-0003 Erin Escort\n"
        "unattributed authors: warn\n"
        "warnings:\n"
        "  P:4:5: 'deploy/**, infra/**' requires 1 reviewer besides the author, but only 1 roster person may "
        "contribute there (reviewers must be allowed too)\n"
        "  P:4:26: glob 'infra/**' matches no path of the repository\n"
        "  P:5:33: clearance 'top-secret' is held by no roster person\n"
        "  P:7:5: path rule 'deploy/docs/**' is never used: earlier rules take every path it matches\n");

  // Without repository paths there is nothing to say about globs.
  CHECK(describe_policy(p, r).find("matches no path") == std::string::npos);

  // A policy built in code: no positions; the warnings about the whole policy come last.
  Policy q;
  q.unattributed = UnattributedMode::Allow;
  q.default_rule.allow.attrs["person"] = {"p-0009"};
  CHECK(describe_policy(q, r) ==
        "policy (built in)\n"
        "path rules (first match wins):\n"
        "  default: every other path\n"
        "    allow: person [p-0009]\n"
        "    require: nothing\n"
        "    may contribute: nobody\n"
        "    may not:\n"
        "      p-0001 Alice Example: person p-0001 not in [p-0009]\n"
        "      p-0002 Bob Builder: person p-0002 not in [p-0009]\n"
        "      p-0003 Erin Escort: person p-0003 not in [p-0009]\n"
        "      p-0004 Dev Overseas: person p-0004 not in [p-0009]\n"
        "relays: escort roles [escort]; origin trailer On-behalf-of; escorts: p-0003 Erin Escort\n"
        "unattributed authors: allow\n"
        "warnings:\n"
        "  nobody in the roster may contribute under 'default'\n"
        "  person 'p-0009' is not in the roster\n"
        "  unattributed: allow lets people who are not in the roster contribute to restricted paths unchecked\n");
}
