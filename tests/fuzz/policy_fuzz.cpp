// Fuzzes the policy loader (scanner/policy.h); an accepted policy is then explained against a
// fixed roster (describe_policy, as `provscan policy check` does) and evaluated for a few
// commits, so values the loader lets through are used the way a scan uses them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.h"
#include "scanner/policy.h"
#include "scanner/roster.h"
#include "tests/fuzz/fuzz_support.h"

using namespace provscan;

namespace {

scan::Person person(std::string id, std::string email, std::vector<std::string> citizenship, std::string role) {
  scan::Person p;
  p.id = std::move(id);
  p.name = p.id + " Name";
  p.emails = {std::move(email)};
  p.citizenship = std::move(citizenship);
  p.role = std::move(role);
  p.employer = "Example Corp";
  p.valid_from = scan::parse_date("2020-01-01");
  p.valid_to = scan::parse_date("2030-12-31");
  return p;
}

const scan::Roster& fixed_roster() {
  static const scan::Roster roster({person("p-0001", "ana@example.com", {"US"}, "maintainer"),
                                    person("p-0002", "bo@example.com", {"DE", "FR"}, "escort"),
                                    person("p-0003", "cy@example.com", {}, "contractor")});
  return roster;
}

scan::PersonRef ref(const char* id, const char* identity) {
  return scan::PersonRef{id ? std::optional<std::string>(id) : std::nullopt, identity};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = fuzz::write_scratch("policy.yaml", text);
  scan::Policy policy;
  try {
    policy = scan::load_policy(file);
  } catch (const InputError&) {
    return 0;
  }
  const scan::Roster& roster = fixed_roster();
  (void)scan::describe_policy(policy, roster, {"src/main.c", "deploy/prod.yaml", ".github/workflows/ci.yml", "a"});

  scan::CommitFacts c;
  c.commit = std::string(40, 'a');
  c.time = 1700000000;
  c.paths = {"deploy/x.yaml", "src/a.c", "README"};
  c.who.author = ref("p-0002", "bo <bo@example.com>");
  c.who.committer = ref("p-0001", "ana <ana@example.com>");
  c.reviewers = {ref("p-0001", "ana <ana@example.com>"), ref(nullptr, "x <x@y>")};
  (void)scan::evaluate_policy(policy, roster, c);
  c.who.author = ref(nullptr, "mallory <m@evil>");
  c.who.relayed_for = ref("p-0003", "cy <cy@example.com>");
  c.signature_verified = true;
  c.signer = "p-0003";
  (void)scan::evaluate_policy(policy, roster, c);
  return 0;
}
