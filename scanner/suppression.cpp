#include "scanner/suppression.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scanner/pipeline.h"  // fingerprint()

namespace provscan::scan {

namespace {

constexpr std::size_t kMaxSnippetBytes = 300;  // as the pipeline's snippets

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// A byte that continues a word: the marker must stand on its own (`xprovscan:ignore` and
// `provscan:ignore-all` are not it).
bool is_word(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == ':' || u >= 0x80;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// The comment closers a reason may run into on its line.
std::string_view without_closer(std::string_view s) {
  for (bool again = true; again;) {
    again = false;
    for (std::string_view closer : {"*/", "-->"})
      if (s.ends_with(closer)) {
        s = trim(s.substr(0, s.size() - closer.size()));
        again = true;
      }
  }
  return s;
}

// A reason says something: at least one letter or digit (any non-ASCII byte counts as a letter).
bool says_something(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || u >= 0x80;
  });
}

const Person* person_of(const Roster& roster, const PersonRef& ref) {
  return ref.person ? roster.by_id(*ref.person) : nullptr;
}

std::string label_of(const Roster& roster, const PersonRef& ref) {
  const Person* p = person_of(roster, ref);
  if (!p) return ref.identity;
  return p->name.empty() ? p->id : fmt::format("{} ({})", p->id, p->name);
}

// Why `ref` (the author, or the relay origin) may not suppress on `path`.
void refuse(std::vector<std::string>& out, const Policy* policy, const Roster& roster, const PersonRef& ref,
            std::string_view role, Day day, std::string_view path) {
  const Person* p = person_of(roster, ref);
  if (!p) {
    out.push_back(fmt::format("{} {} is not in the roster", role, ref.identity));
    return;
  }
  if (!policy) return;
  const PathRule& rule = policy->rule_for(path);
  const std::string* glob = rule.matching_glob(path);
  const std::string where = glob ? "for " + *glob : "for the default rule";
  if (auto f = allow_failures(rule.allow, *p); !f.empty())
    out.push_back(fmt::format("{} {}: {} {}", role, label_of(roster, ref), fmt::join(f, ", "), where));
  if (!p->valid_on(day)) out.push_back(fmt::format("{} {}: commit day outside roster validity", role, label_of(roster, ref)));
}

bool overlaps(const std::vector<git::LineRange>& added, std::uint32_t line) {
  auto it = std::lower_bound(added.begin(), added.end(), line,
                             [](const git::LineRange& r, std::uint32_t v) { return r.last < v; });
  return it != added.end() && it->first <= line;
}

bool suppressible(const Finding& f) {
  return f.line > 0 && f.engine != "policy" && !f.rule_id.starts_with("policy.");
}

}  // namespace

std::optional<InlineSuppression> parse_inline_suppression(std::string_view line) {
  const std::string_view marker = kSuppressionMarker;
  for (std::size_t at = line.find(marker); at != std::string_view::npos; at = line.find(marker, at + 1)) {
    const std::size_t end = at + marker.size();
    if (at > 0 && is_word(line[at - 1])) continue;
    if (end < line.size() && !is_blank(line[end])) continue;
    std::string_view rest = trim(line.substr(end));
    const std::size_t ids_end = std::min(rest.size(), rest.find_first_of(" \t\r\n\v\f"));
    std::string_view ids = without_closer(rest.substr(0, ids_end));
    InlineSuppression s;
    for (std::size_t pos = 0; pos <= ids.size();) {
      const std::size_t comma = std::min(ids.size(), ids.find(',', pos));
      if (comma > pos) s.rule_ids.emplace_back(ids.substr(pos, comma - pos));
      pos = comma + 1;
    }
    const std::string_view reason = without_closer(trim(rest.substr(ids_end)));
    if (says_something(reason)) s.reason = std::string(reason);
    return s;
  }
  return std::nullopt;
}

std::vector<std::string> suppression_refusals(const Policy* policy, const Roster& roster, const Attribution& who,
                                              std::int64_t time, std::string_view path) {
  std::vector<std::string> out;
  const Day day = day_of(time);
  refuse(out, policy, roster, who.author, "author", day, path);
  if (who.relayed_for) refuse(out, policy, roster, *who.relayed_for, "relay origin", day, path);
  return out;
}

void apply_inline_suppressions(std::vector<Finding>& findings, std::size_t first,
                               const std::vector<std::string_view>& lines, const std::vector<git::LineRange>& added,
                               const SuppressionContext& ctx) {
  std::vector<Finding> extra;
  std::set<std::pair<std::string, std::uint32_t>> reported;  // (rule, line): once per comment
  std::map<std::pair<std::string, std::string>, unsigned> occurrences;
  auto report = [&](const Finding& of, const char* rule, Severity severity, std::string message,
                    std::string_view text) {
    if (!reported.emplace(rule, of.line).second) return;
    Finding f;
    f.rule_id = rule;
    f.engine = "provenance";
    f.severity = severity;
    f.message = std::move(message);
    f.commit = of.commit;
    f.path = of.path;
    f.line = of.line;
    f.end_line = of.line;
    f.snippet = std::string(text.substr(0, kMaxSnippetBytes));
    f.author = of.author;
    f.committer = of.committer;
    f.relayed_for = of.relayed_for;
    f.cwe = rule == std::string_view(kSuppressionNotAllowedRule) ? "CWE-284" : "";
    const unsigned n = occurrences[{f.rule_id, f.snippet}]++;
    f.fingerprint = fingerprint(f.rule_id, f.path, f.snippet, n);
    extra.push_back(std::move(f));
  };

  for (std::size_t i = first; i < findings.size(); ++i) {
    Finding& f = findings[i];
    if (!suppressible(f) || f.line > lines.size()) continue;
    std::string_view text = lines[f.line - 1];
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    const std::optional<InlineSuppression> s = parse_inline_suppression(text);
    if (!s || std::find(s->rule_ids.begin(), s->rule_ids.end(), f.rule_id) == s->rule_ids.end()) continue;
    const std::string ids = fmt::format("{}", fmt::join(s->rule_ids, ","));
    if (s->reason.empty()) {
      report(f, kSuppressionWithoutReasonRule, Severity::Low,
             fmt::format("`{} {}` gives no reason, so it suppresses nothing: write why the finding is acceptable "
                         "after the rule id",
                         kSuppressionMarker, ids),
             text);
      continue;
    }
    std::vector<std::string> refusals;
    if (!overlaps(added, f.line))
      refusals.push_back("the comment is on a line this commit did not add, so who wrote it is not known");
    else
      refusals = suppression_refusals(ctx.policy, ctx.roster, ctx.who, ctx.time, f.path);
    if (!refusals.empty()) {
      report(f, kSuppressionNotAllowedRule, Severity::Medium,
             fmt::format("`{} {}` does not suppress: {}; the finding stays active", kSuppressionMarker, ids,
                         fmt::join(refusals, "; ")),
             text);
      continue;
    }
    f.suppressed = true;
    f.suppression = Suppression{s->reason, ctx.who.author};
  }
  for (Finding& f : extra) findings.push_back(std::move(f));
}

std::vector<RuleInfo> suppression_rules() {
  return {
      {kSuppressionNotAllowedRule, "provenance", Severity::Medium,
       "An inline provscan:ignore comment written by someone who may not suppress findings on that path (not in "
       "the roster, or not allowed there by the policy): the finding stays active",
       "CWE-284", {}},
      {kSuppressionWithoutReasonRule, "provenance", Severity::Low,
       "An inline provscan:ignore comment without a reason: it suppresses nothing", "", {}},
  };
}

}  // namespace provscan::scan
