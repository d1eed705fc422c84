// JSON report: INTERFACE.md schema "provscan/1". Keys appear in the documented order; keys
// provscan added later (summary.incomplete, finding cwe/references/signature/baselined/suppressed/suppression,
// contributor identity, skipped object/incomplete) come after the documented ones. Arrays keep the ScanResult's order.
// An audit (r.alive set) adds per-contributor detail after the documented contributor keys and
// a top-level "lines_alive" object; a scan's JSON is unchanged by it.
#include "reports/report.h"

#include "reports/json_text.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

using nlohmann::ordered_json;
using detail::json_string;
using detail::json_string_or_null;

ordered_json person_json(const scan::PersonRef& p) {
  ordered_json j;
  j["person"] = p.person ? json_string(*p.person) : ordered_json(nullptr);
  j["identity"] = json_string(p.identity);
  return j;
}

ordered_json inputs_json(const scan::ScanResult& r) {
  ordered_json j;
  j["repository"] = json_string_or_null(r.repository);
  j["range"] = json_string_or_null(r.range);
  j["rules_sha256"] = json_string_or_null(r.rules_sha256);
  j["roster_sha256"] = json_string_or_null(r.roster_sha256);
  j["policy_sha256"] = json_string_or_null(r.policy_sha256);
  return j;
}

ordered_json summary_json(const scan::ScanResult& r) {
  const detail::SeverityCounts counts = detail::count_by_severity(r.findings);
  ordered_json by_severity;
  for (const Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low,
                           Severity::Info})
    by_severity[std::string(to_string(s))] = counts[static_cast<std::size_t>(s)];
  ordered_json j;
  j["commits"] = r.commits;
  j["contributions"] = r.contributions;
  j["findings"] = std::move(by_severity);
  j["skipped"] = r.skipped.size();
  j["incomplete"] = detail::incomplete_count(r.skipped) > 0;
  return j;
}

ordered_json finding_json(const scan::Finding& f) {
  ordered_json j;
  j["rule_id"] = json_string(f.rule_id);
  j["engine"] = json_string(f.engine);
  j["severity"] = std::string(to_string(f.severity));
  j["message"] = json_string(f.message);
  j["commit"] = json_string(f.commit);
  j["path"] = json_string(f.path);
  j["line"] = f.line;
  j["end_line"] = f.end_line;
  j["snippet"] = json_string(f.snippet);
  j["author"] = person_json(f.author);
  j["committer"] = person_json(f.committer);
  j["relayed_for"] = f.relayed_for ? person_json(*f.relayed_for) : ordered_json(nullptr);
  j["fingerprint"] = json_string(f.fingerprint);
  j["cwe"] = json_string_or_null(f.cwe);
  ordered_json refs = ordered_json::array();
  for (const auto& ref : f.references) refs.push_back(json_string(ref));
  j["references"] = std::move(refs);
  ordered_json co = ordered_json::array();
  for (const auto& p : f.co_authors) co.push_back(person_json(p));
  j["co_authors"] = std::move(co);
  ordered_json rev = ordered_json::array();
  for (const auto& p : f.reviewers) rev.push_back(person_json(p));
  j["reviewers"] = std::move(rev);
  ordered_json sig;
  sig["status"] = json_string(f.signature);
  sig["person"] = f.signer ? json_string(*f.signer) : ordered_json(nullptr);
  sig["key"] = json_string_or_null(f.signing_key);
  j["signature"] = std::move(sig);
  j["baselined"] = f.baselined;
  j["suppressed"] = f.suppressed;
  if (f.suppressed && f.suppression)
    j["suppression"] = {{"reason", json_string(f.suppression->reason)}, {"author", person_json(f.suppression->author)}};
  else
    j["suppression"] = nullptr;
  return j;
}

ordered_json contributor_json(const scan::ContributorStats& c) {
  ordered_json j;
  j["person"] = c.person ? json_string(*c.person) : ordered_json(nullptr);
  j["identity"] = json_string(c.identity);
  j["commits"] = c.commits;
  j["lines_added"] = c.lines_added;
  j["lines_alive_at_head"] = c.lines_alive_at_head;
  j["findings"] = c.findings;
  return j;
}

// An audit's contributor: the documented keys, then the per-person detail.
ordered_json audit_contributor_json(const scan::ContributorStats& c) {
  ordered_json j = contributor_json(c);
  j["files_alive_at_head"] = c.files_alive_at_head;
  ordered_json ids = ordered_json::array();
  for (const auto& i : c.identities) ids.push_back(json_string(i));
  j["identities"] = std::move(ids);
  ordered_json attrs = ordered_json::object();
  for (const auto& [k, v] : c.attributes) attrs[k] = json_string(v);
  j["attributes"] = std::move(attrs);
  auto counts = [](const std::map<std::string, std::uint64_t>& m) {
    ordered_json o = ordered_json::object();
    for (const auto& [k, n] : m) o[json_string(k).get<std::string>()] = n;
    return o;
  };
  j["first_commit_time"] = c.first_commit_time;
  j["last_commit_time"] = c.last_commit_time;
  j["commits_by_month"] = counts(c.commits_by_month);
  j["signatures"] = counts(c.signatures);
  j["paths_touched"] = c.paths_touched;
  ordered_json paths = ordered_json::array();
  for (const auto& [path, n] : c.top_paths) paths.push_back({{"path", json_string(path)}, {"commits", n}});
  j["top_paths"] = std::move(paths);
  j["relayed_by"] = counts(c.relayed_by);
  j["relayed_for"] = counts(c.relayed_for);
  return j;
}

ordered_json skipped_json(const Skipped& s) {
  ordered_json j;
  j["kind"] = json_string(s.kind);
  j["commit"] = json_string_or_null(s.commit);
  j["path"] = json_string(s.path);
  j["reason"] = json_string(s.reason);
  j["object"] = json_string_or_null(s.object);
  j["incomplete"] = s.incomplete;
  return j;
}

template <class T, class F>
ordered_json array_of(const std::vector<T>& items, F&& to_json_item) {
  ordered_json a = ordered_json::array();
  for (const auto& item : items) a.push_back(to_json_item(item));
  return a;
}

}  // namespace

std::string to_json(const scan::ScanResult& r) {
  ordered_json doc;
  doc["schema"] = "provscan/1";
  doc["tool"] = {{"name", "provscan"}, {"version", json_string(r.tool_version)}};
  doc["inputs"] = inputs_json(r);
  doc["summary"] = summary_json(r);
  doc["findings"] = array_of(r.findings, finding_json);
  doc["contributors"] = array_of(r.contributors, r.alive ? audit_contributor_json : contributor_json);
  doc["skipped"] = array_of(r.skipped, skipped_json);
  if (r.alive) {
    ordered_json alive;
    alive["rev"] = json_string(r.alive->rev);
    alive["lines"] = r.alive->lines;
    alive["files"] = r.alive->files;
    alive["not_counted"] = array_of(r.alive->skipped, skipped_json);
    doc["lines_alive"] = std::move(alive);
  }
  return detail::dump_json(doc);
}

}  // namespace provscan::report
