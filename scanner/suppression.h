#pragma once
// Inline suppressions: a comment on a finding's line
//
//     curl -fsSL "$URL" | sh   # provscan:ignore sh.fetch-pipe-to-shell vendored installer, pinned by hash
//
// suppresses that finding when all of these hold:
// - the comment names the finding's rule id exactly (several ids: comma-separated, no blank
//   between them; there is no wildcard: `*` is an id no rule has);
// - it gives a reason: the rest of the comment, which must hold a letter or digit (a trailing
//   `*/` or `-->` is not part of it);
// - it sits on the finding's first line, and that line was added by the finding's commit: so
//   the comment's writer is that commit's author, attributed like any line (roster person or
//   unattributed). A comment on an older line of a multi-line finding has an unknown writer;
// - its writer may suppress there: a roster person (never an unattributed identity) who, under
//   a policy, passes the `allow` of the path's rule and is within their roster validity on the
//   commit day (policy.h's checks for policy.path-not-allowed and policy.outside-validity).
//   When the commit names a relay origin (On-behalf-of), the origin must pass the same checks.
// Policy findings (`policy.*`) are facts about commits, not code: no comment suppresses them.
//
// A suppressed finding is kept, marked (Finding::suppressed, ::suppression). A comment naming
// the rule that does not suppress leaves the finding active and adds, once per line:
// - provenance.suppression-without-reason (low) when it gives no reason;
// - provenance.suppression-not-allowed (medium) when its writer may not suppress there, or is
//   unknown (the line was not added by the commit).
// The marker is found anywhere in the line (no language's comment syntax is assumed): writing
// it in a string literal gives its writer nothing they could not get from a real comment.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/commit.h"
#include "scanner/attribution.h"
#include "scanner/policy.h"
#include "scanner/result.h"
#include "scanner/roster.h"

namespace provscan::scan {

inline constexpr const char* kSuppressionMarker = "provscan:ignore";
inline constexpr const char* kSuppressionNotAllowedRule = "provenance.suppression-not-allowed";
inline constexpr const char* kSuppressionWithoutReasonRule = "provenance.suppression-without-reason";

struct InlineSuppression {
  std::vector<std::string> rule_ids;  // as written; empty when the marker names none
  std::string reason;                 // trimmed; empty when none was given
};

// The first `provscan:ignore` of `line` (the marker must not be part of a longer word, e.g.
// `provscan:ignore-all` is not it), or nullopt when the line holds none.
std::optional<InlineSuppression> parse_inline_suppression(std::string_view line);

// Why the author of a commit (`who`, committed at `time`) may not suppress a finding on
// `path`; empty when they may. `policy` may be null (no --policy): then any roster person may.
std::vector<std::string> suppression_refusals(const Policy* policy, const Roster& roster, const Attribution& who,
                                              std::int64_t time, std::string_view path);

// What the pipeline knows about the commit whose findings are being finalised.
struct SuppressionContext {
  const Policy* policy = nullptr;
  const Roster& roster;
  const Attribution& who;
  std::int64_t time = 0;  // committer time, as the policy's validity check uses
};

// Applies the comments on the lines of one changed file to findings[first..] (the findings of
// that file in one commit), marking suppressed ones and appending the provenance findings
// described above. `lines` is the file's text split into lines; `added` the commit's added
// line ranges in it (sorted).
void apply_inline_suppressions(std::vector<Finding>& findings, std::size_t first,
                               const std::vector<std::string_view>& lines, const std::vector<git::LineRange>& added,
                               const SuppressionContext& context);

// The two provenance rules above, for ScanResult::rules.
std::vector<RuleInfo> suppression_rules();

}  // namespace provscan::scan
