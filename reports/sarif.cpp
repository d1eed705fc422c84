// SARIF 2.1.0, shaped for GitHub code scanning: one run, rules from ScanResult.rules (plus a
// synthesized entry for every rule id a finding uses that the rule set does not list, such as
// the policy.* ids), one result per finding, and one toolExecutionNotification per skipped
// item. Nothing time-dependent is written, so equal inputs give equal bytes.
#include "reports/report.h"

#include <map>

#include "reports/escape.h"
#include "reports/json_text.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

using nlohmann::ordered_json;
using detail::json_string;

constexpr const char* kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kSrcRoot = "%SRCROOT%";
constexpr const char* kFingerprintKey = "provscan/v1";

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium: return "warning";
    case Severity::Low:
    case Severity::Info: break;
  }
  return "note";
}

// GitHub ranks security alerts by this score: >= 9.0 critical, >= 7.0 high, >= 4.0 medium.
const char* security_severity(Severity s) {
  switch (s) {
    case Severity::Critical: return "9.5";
    case Severity::High: return "8.0";
    case Severity::Medium: return "5.5";
    case Severity::Low: return "3.0";
    case Severity::Info: break;
  }
  return "0.0";
}

// How often an engine's hit is a true positive: policy findings are facts about commits and
// the roster; parsers see structure; signatures and content checks see text.
const char* precision(std::string_view engine) {
  if (engine == "policy") return "very-high";
  if (engine == "clang" || engine == "query") return "high";
  return "medium";
}

// "CWE-506" -> "external/cwe/cwe-506", GitHub's tag convention; anything else is kept as is.
std::string cwe_tag(std::string_view cwe) {
  std::string lower(cwe);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower.rfind("cwe-", 0) == 0) return "external/cwe/" + lower;
  return lower;
}

std::string help_text(const scan::RuleInfo& rule) {
  std::string text = rule.message;
  if (!rule.cwe.empty()) text += "\nCWE: " + rule.cwe;
  for (const auto& ref : rule.references) text += "\nReference: " + ref;
  return text;
}

std::string help_markdown(const scan::RuleInfo& rule) {
  using detail::markdown_text;
  std::string md = "**" + markdown_text(rule.id) + "** (" + markdown_text(rule.engine) + ", " +
                   std::string(to_string(rule.severity)) + "): " + markdown_text(rule.message);
  if (!rule.cwe.empty()) md += "\n\nCWE: " + markdown_text(rule.cwe);
  if (!rule.references.empty()) md += "\n\nReferences:";
  for (const auto& ref : rule.references) md += "\n- " + markdown_text(ref);
  return md;
}

ordered_json rule_json(const scan::RuleInfo& rule) {
  ordered_json tags = ordered_json::array();
  tags.push_back("security");
  tags.push_back(json_string(rule.engine));
  if (!rule.cwe.empty()) tags.push_back(json_string(cwe_tag(rule.cwe)));

  ordered_json j;
  j["id"] = json_string(rule.id);
  j["name"] = json_string(rule.id);
  j["shortDescription"] = {{"text", json_string(rule.message)}};
  j["fullDescription"] = {{"text", json_string(help_text(rule))}};
  j["help"] = {{"text", json_string(help_text(rule))}, {"markdown", json_string(help_markdown(rule))}};
  j["defaultConfiguration"] = {{"level", sarif_level(rule.severity)}};
  j["properties"] = {{"tags", std::move(tags)},
                     {"security-severity", security_severity(rule.severity)},
                     {"precision", precision(rule.engine)}};
  return j;
}

// The driver's rule list: r.rules first (first entry wins on a repeated id), then one entry per
// rule id that only findings mention, in order of first mention.
std::vector<scan::RuleInfo> driver_rules(const scan::ScanResult& r) {
  std::vector<scan::RuleInfo> rules;
  std::map<std::string, std::size_t> seen;
  auto add = [&](scan::RuleInfo rule) {
    if (seen.emplace(rule.id, rules.size()).second) rules.push_back(std::move(rule));
  };
  for (const auto& rule : r.rules) add(rule);
  for (const auto& f : r.findings)
    add({f.rule_id, f.engine, f.severity, f.message, f.cwe, f.references});
  return rules;
}

ordered_json person_or_null(const scan::PersonRef& p) {
  return p.person ? json_string(*p.person) : ordered_json(nullptr);
}

ordered_json artifact_location(std::string_view path) {
  ordered_json j;
  j["uri"] = detail::percent_encode_path(path);
  j["uriBaseId"] = kSrcRoot;
  return j;
}

ordered_json path_location(std::string_view path) {
  ordered_json physical;
  physical["artifactLocation"] = artifact_location(path);
  ordered_json j;
  j["physicalLocation"] = std::move(physical);
  return j;
}

ordered_json location_json(const scan::Finding& f) {
  ordered_json physical;
  physical["artifactLocation"] = artifact_location(f.path);
  if (f.line > 0) {
    ordered_json region;
    region["startLine"] = f.line;
    region["endLine"] = detail::last_line(f);
    if (!f.snippet.empty()) region["snippet"] = {{"text", json_string(f.snippet)}};
    physical["region"] = std::move(region);
  }
  return {{"physicalLocation", std::move(physical)}};
}

ordered_json result_json(const scan::Finding& f, std::size_t rule_index, bool baseline_given) {
  ordered_json props;
  props["commit"] = json_string(f.commit);
  props["author"] = json_string(f.author.identity);
  props["authorPerson"] = person_or_null(f.author);
  props["committer"] = json_string(f.committer.identity);
  props["committerPerson"] = person_or_null(f.committer);
  if (f.relayed_for) {
    props["relayedFor"] = json_string(f.relayed_for->identity);
    props["relayedForPerson"] = person_or_null(*f.relayed_for);
  }
  props["engine"] = json_string(f.engine);
  props["severity"] = std::string(to_string(f.severity));

  ordered_json j;
  j["ruleId"] = json_string(f.rule_id);
  j["ruleIndex"] = rule_index;
  j["level"] = sarif_level(f.severity);
  j["message"] = {{"text", json_string(f.message)}};
  // A commit-level finding (no path) has no location; SARIF allows that.
  j["locations"] = f.path.empty() ? ordered_json::array()
                                  : ordered_json::array({location_json(f)});
  j["partialFingerprints"] = {{kFingerprintKey, json_string(f.fingerprint)}};
  if (baseline_given) j["baselineState"] = f.baselined ? "unchanged" : "new";
  // An inline provscan:ignore comment with a reason, by someone allowed to write it: GitHub
  // shows such a result as a dismissed alert.
  if (f.suppressed && f.suppression) {
    ordered_json s;
    s["kind"] = "inSource";
    s["status"] = "accepted";
    s["justification"] = json_string(f.suppression->reason);
    s["properties"] = {{"author", json_string(f.suppression->author.identity)},
                       {"authorPerson", person_or_null(f.suppression->author)}};
    j["suppressions"] = ordered_json::array({std::move(s)});
  }
  j["properties"] = std::move(props);
  return j;
}

ordered_json notification_json(const Skipped& s) {
  ordered_json j;
  j["descriptor"] = {{"id", json_string("skipped/" + s.kind)}};
  j["level"] = s.incomplete ? "warning" : "note";
  j["message"] = {{"text", json_string(s.reason.empty() ? s.kind : s.reason)}};
  if (!s.path.empty()) j["locations"] = ordered_json::array({path_location(s.path)});
  j["properties"] = {{"kind", json_string(s.kind)},
                     {"commit", json_string(s.commit)},
                     {"object", json_string(s.object)},
                     {"incomplete", s.incomplete}};
  return j;
}

ordered_json driver_json(const scan::ScanResult& r, const std::vector<scan::RuleInfo>& rules) {
  ordered_json driver;
  driver["name"] = "provscan";
  if (!r.tool_version.empty()) driver["semanticVersion"] = json_string(r.tool_version);
  ordered_json rules_json = ordered_json::array();
  for (const auto& rule : rules) rules_json.push_back(rule_json(rule));
  driver["rules"] = std::move(rules_json);
  return driver;
}

ordered_json invocation_json(const scan::ScanResult& r) {
  ordered_json notes = ordered_json::array();
  for (const auto& s : r.skipped) notes.push_back(notification_json(s));
  ordered_json inv;
  inv["executionSuccessful"] = true;
  if (!notes.empty()) inv["toolExecutionNotifications"] = std::move(notes);
  return inv;
}

ordered_json run_properties(const scan::ScanResult& r) {
  ordered_json p;
  p["repository"] = json_string(r.repository);
  p["range"] = json_string(r.range);
  p["commits"] = r.commits;
  p["contributions"] = r.contributions;
  p["skipped"] = r.skipped.size();
  p["incomplete"] = detail::incomplete_count(r.skipped) > 0;
  return p;
}

}  // namespace

std::string to_sarif(const scan::ScanResult& r, bool baseline_given) {
  const std::vector<scan::RuleInfo> rules = driver_rules(r);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < rules.size(); ++i) index.emplace(rules[i].id, i);

  ordered_json results = ordered_json::array();
  for (const auto& f : r.findings) results.push_back(result_json(f, index.at(f.rule_id), baseline_given));

  ordered_json run;
  run["tool"] = {{"driver", driver_json(r, rules)}};
  run["invocations"] = ordered_json::array({invocation_json(r)});
  run["originalUriBaseIds"] = {{kSrcRoot, {{"description", {{"text", "The scanned repository's root"}}}}}};
  run["results"] = std::move(results);
  run["properties"] = run_properties(r);

  ordered_json doc;
  doc["$schema"] = kSchemaUri;
  doc["version"] = "2.1.0";
  doc["runs"] = ordered_json::array({std::move(run)});
  return detail::dump_json(doc);
}

}  // namespace provscan::report
