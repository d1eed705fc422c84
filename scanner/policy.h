#pragma once
// The contribution policy (INTERFACE.md, "Policy"): which roster people may contribute to which
// paths, and what signing, review and relay evidence a commit needs. Plain values: the loader
// reads a YAML file, the evaluator turns one commit's facts into `policy.*` findings, and
// `describe_policy` explains a policy against a roster for `provscan policy check`.
//
// Semantics of evaluate_policy, for one commit:
//
// * Path rules. Each path the commit added lines to (or whose binary it changed) falls under the
//   first `paths:` entry with a matching glob (rules::glob_match: a pattern without '/' matches
//   the base name anywhere), else under `default`. A path entry that omits `allow:` or
//   `require:` takes that section from `default` (omitting never loosens the policy); write
//   `allow: {}` to let any roster person contribute there. With no `default`, other paths are
//   open to any roster person with no requirement. A commit with no paths yields nothing.
//
// * Who is checked. The AUTHOR (who.author): a roster person passes an `allow` when, for EVERY
//   listed attribute, their value is in the list (for citizenship: any of their citizenships);
//   an attribute the person does not have fails. `person:` lists roster ids. A committer that
//   differs from the author is recorded in the finding but not checked: git lets the committer
//   be anyone who applies a patch, while the author is who the change is charged to.
//   Breach: policy.path-not-allowed (high).
//
// * Relays. When the commit names an origin (who.relayed_for, from the `origin_trailer`), the
//   origin must pass the same `allow` as the author: policy.relayed-from-disallowed (critical).
//   The origin is checked whoever the author is (a named origin wrote the code). An author
//   holding an escort role whose commit names no origin: policy.relay-without-origin (high).
//
// * Unattributed. An author or a named origin that is not a roster person is reported as
//   policy.unattributed: high under `unattributed: deny`, medium under `warn`, nothing under
//   `allow`. No attribute, validity or relay check is made on an unattributed person: nothing
//   is inferred about them.
//
// * Validity. The commit's committer-time day (UTC) must lie within the author's (and a named
//   origin's) valid_from..valid_to: policy.outside-validity (high).
//
// * require.signed: the commit's signature must verify AND the verifying key must belong to
//   the author, else policy.unsigned (high). For a relay the author is the escort, so the escort
//   signs. A committer's signature does not count: otherwise anyone holding a key could sign a
//   commit carrying a forged, allowed author.
//
// * require.reviewed_by N: at least N distinct qualifying reviewers (Reviewed-by trailers,
//   resolved) else policy.unreviewed (medium). A reviewer qualifies when they are a roster
//   person, are not the author, are not the named origin when no_self_review (the default),
//   are within their validity window on the commit day, and pass the path's `allow` (someone
//   who may not contribute to a path does not vouch for changes to it). Note Reviewed-by
//   trailers are written by whoever made the commit; they are claims, not proof of review.
//
// * Reporting. Checks that do not depend on the path (unattributed, relay-without-origin,
//   outside-validity) give at most one finding per commit, at its first path (sorted). The
//   others give at most one finding per (rule id, path rule) per commit, at the first path of
//   the commit under that rule. Line 0 (whole file). Several reasons for one finding are joined
//   with "; " in its message.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "scanner/attribution.h"
#include "scanner/result.h"
#include "scanner/roster.h"

namespace provscan::scan {

enum class UnattributedMode { Deny, Warn, Allow };
std::string_view to_string(UnattributedMode m) noexcept;

// The attribute names an `allow:` may list. `roles` is accepted in files as a synonym of `role`
// (INTERFACE.md's example uses it) and stored as `role`.
inline constexpr std::string_view kPolicyAttributes[] = {"citizenship", "residency", "location", "employer",
                                                          "role",        "clearance", "person"};

struct AllowRule {
  // attribute -> allowed values; an empty map allows every roster person.
  std::map<std::string, std::vector<std::string>> attrs;
  // Where each attribute was written (for describe_policy's warnings); may be empty.
  std::map<std::string, rules::SourcePos> pos;
};

// The reasons `p` fails `allow`, e.g. "citizenship IN not in [US]"; empty = allowed.
std::vector<std::string> allow_failures(const AllowRule& allow, const Person& p);

struct Requirement {
  bool signed_ = false;
  unsigned reviewed_by = 0;
  bool no_self_review = true;
};

struct PathRule {
  std::vector<std::string> match;          // globs; empty for the default rule
  std::vector<rules::SourcePos> match_pos;  // one per glob when loaded from a file
  AllowRule allow;
  Requirement require;
  rules::SourcePos pos;
  std::string label;  // "deploy/**, infra/**" or "default"

  // The first glob of `match` that matches `path`, or nullptr.
  const std::string* matching_glob(std::string_view path) const noexcept;
};

inline PathRule default_path_rule() {
  PathRule r;
  r.label = "default";
  return r;
}

struct Policy {
  PathRule default_rule = default_path_rule();
  std::vector<PathRule> paths;  // first match wins; default_rule for the rest
  std::vector<std::string> escort_roles = {"escort"};
  std::string origin_trailer = "On-behalf-of";
  UnattributedMode unattributed = UnattributedMode::Deny;
  std::string sha256;  // of the file's bytes; empty for a policy built in code
  std::string file;

  const PathRule& rule_for(std::string_view path) const noexcept;
  bool is_escort(const Person& p) const noexcept;
};

// Loads a YAML policy. Throws InputError listing every problem found, one per line
// ("file:line:col: message"): unknown keys or attributes, wrong types, bad values (country
// codes, booleans, counts, modes) and bad globs.
Policy load_policy(const std::string& file);

// What the pipeline knows about one commit.
struct CommitFacts {
  std::string commit;      // 40 hex
  std::int64_t time = 0;   // committer time, Unix seconds
  Attribution who;         // author / committer / relayed_for, resolved against the roster
  std::vector<std::string> paths;  // paths the commit added lines to (or binaries it changed)
  bool signature_verified = false;
  std::optional<std::string> signer;  // roster id whose key verified the signature
  std::vector<PersonRef> reviewers;   // from Reviewed-by trailers, resolved
};

// Every breach of `policy` by one commit, as findings with engine "policy" (see above).
std::vector<Finding> evaluate_policy(const Policy& policy, const Roster& roster, const CommitFacts& commit);

// The seven policy rule ids with their severities and descriptions, sorted by id, for
// ScanResult::rules (SARIF's rule table). policy.unattributed is listed as high.
std::vector<RuleInfo> policy_rules();

// `provscan policy check`: per path rule, which roster people may contribute (ids and names)
// and which may not (with the reason), then warnings: a glob matching no path of `repo_paths`
// (when non-empty), a path rule no repository path reaches, an allowed attribute value no roster
// person holds, a rule nobody may contribute under, more required reviewers than people allowed.
std::string describe_policy(const Policy& policy, const Roster& roster,
                            const std::vector<std::string>& repo_paths = {});

}  // namespace provscan::scan
