// The audit's HTML report: one self-contained file an auditor can open, print or attach.
// Inline CSS and SVG only; no script and no external resource (a Content-Security-Policy of
// default-src 'none' makes any slip fail visibly instead of fetching). Every string from the
// repository is display()-escaped (controls, bidi, invalid UTF-8 made visible) and then
// HTML-escaped, so a hostile name, path or snippet cannot inject markup.
#include "reports/report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include <fmt/format.h>

#include "reports/escape.h"
#include "reports/tally.h"

namespace provscan::report {

namespace {

using scan::ContributorStats;
using scan::Finding;
using scan::ScanResult;

std::string esc_raw(std::string_view s) {  // s is already display()-safe
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string h(std::string_view s) { return esc_raw(detail::display(s)); }

// A multi-line snippet: each line made safe on its own, the line breaks kept.
std::string code(std::string_view s) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    if (pos) out += '\n';
    out += h(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::string date(std::int64_t t) {
  if (t == 0) return "";
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  char buf[16];
  if (!gmtime_r(&tt, &tm) || !std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm)) return "";
  return buf;
}

// Anchor ids are made of [a-z0-9-] only, whatever the input.
std::string anchor(const ContributorStats& c, std::size_t index) {
  if (!c.person) return fmt::format("unattributed-{}", index);
  std::string id = "person-";
  for (const unsigned char ch : *c.person)
    id += std::isalnum(ch) ? static_cast<char>(std::tolower(ch)) : '-';
  return fmt::format("{}-{}", id, index);
}

std::string commit_ref(std::string_view commit, const HtmlOptions& o) {
  const std::string shown = h(commit.substr(0, 12));
  if (o.commit_url.empty() || commit.find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return fmt::format("<code title=\"{}\">{}</code>", h(commit), shown);
  std::string url = o.commit_url;
  for (std::size_t at = url.find("{commit}"); at != std::string::npos; at = url.find("{commit}", at))
    url.replace(at, 8, commit);
  return fmt::format("<a href=\"{}\"><code title=\"{}\">{}</code></a>", esc_raw(url), h(commit), shown);
}

constexpr const char* kStyle = R"css(
:root{--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--crit:#8b0000;--high:#c62828;--med:#e07000;--low:#1565c0;--info:#546e7a;--bar:#2f6feb}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:26px;margin:0 0 8px}h2{font-size:20px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:36px}
h3{font-size:16px;margin:22px 0 8px}
table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--soft);border:1px solid var(--line);padding:6px 8px;margin:4px 0;white-space:pre-wrap;word-break:break-all}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:140px;background:var(--soft)}
.card b{display:block;font-size:22px}.card span{color:var(--muted)}
.sev{font-weight:600;text-transform:uppercase;font-size:11px;padding:1px 6px;border-radius:8px;color:#fff;white-space:nowrap}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
article.person{border:1px solid var(--line);border-radius:8px;padding:4px 16px 12px;margin:18px 0;break-inside:avoid-page}
article.person h3{font-size:18px}.muted{color:var(--muted)}
nav ol{columns:3;padding-left:20px}
.warn{color:var(--high);font-weight:600}
svg text{font:10px system-ui,sans-serif;fill:var(--muted)}
@media print{body{max-width:none;padding:0}nav{display:none}}
)css";

std::string severity_badge(Severity s) {
  return fmt::format("<span class=\"sev sev-{0}\">{0}</span>", to_string(s));
}

std::string card(std::uint64_t n, std::string_view label) {
  return fmt::format("<div class=\"card\"><b>{}</b><span>{}</span></div>", n, label);
}

// Horizontal bars, one per (label, value); values scaled to the largest.
std::string bar_chart(const std::vector<std::pair<std::string, std::uint64_t>>& rows, std::string_view caption) {
  std::uint64_t max = 1;
  for (const auto& [l, v] : rows) max = std::max(max, v);
  const int row_h = 20, label_w = 140, bar_w = 420;
  std::string out = fmt::format(
      "<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">",
      esc_raw(caption), label_w + bar_w + 60, row_h * rows.size() + 4, label_w + bar_w + 60, row_h * rows.size() + 4);
  int y = 2;
  for (const auto& [label, v] : rows) {
    const double w = static_cast<double>(bar_w) * static_cast<double>(v) / static_cast<double>(max);
    out += fmt::format("<text x=\"0\" y=\"{}\">{}</text>", y + 13, label);
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#2f6feb\"><title>{}: {}</title></rect>",
                       label_w, y + 2, std::max(w, v ? 1.0 : 0.0), row_h - 6, label, v);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}</text>", label_w + w + 4, y + 13, v);
    y += row_h;
  }
  return out + "</svg>";
}

// Months from the first to the last with commits, gaps included, as vertical bars.
std::string month_chart(const std::map<std::string, std::uint64_t>& by_month) {
  if (by_month.empty()) return "<p class=\"muted\">No commits in the scanned range.</p>";
  auto parse = [](const std::string& ym) {
    int y = 0, m = 0;
    // Width-limited: a year past 999999 (a forged commit date) cannot overflow y * 12.
    if (std::sscanf(ym.c_str(), "%6d-%2d", &y, &m) != 2) return 0;
    return y * 12 + (m - 1);
  };
  const int first = parse(by_month.begin()->first), last = parse(by_month.rbegin()->first);
  const int months = std::max(1, last - first + 1);
  std::uint64_t max = 1;
  for (const auto& [k, v] : by_month) max = std::max(max, v);
  const int width = 720, height = 90, base = 70;
  const double step = std::min(24.0, static_cast<double>(width - 40) / months);
  std::string out = fmt::format(
      "<svg role=\"img\" aria-label=\"commits per month\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">"
      "<line x1=\"30\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"#d1d9e0\"/>"
      "<text x=\"0\" y=\"12\">{4}</text><text x=\"0\" y=\"{2}\">0</text>",
      width, height, base, width - 10, max);
  for (const auto& [ym, v] : by_month) {
    const int i = parse(ym) - first;
    const double bh = 60.0 * static_cast<double>(v) / static_cast<double>(max);
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#2f6feb\">"
                       "<title>{}: {} commit{}</title></rect>",
                       30 + i * step, base - bh, std::max(1.0, step - 1), bh, h(ym), v, v == 1 ? "" : "s");
  }
  out += fmt::format("<text x=\"30\" y=\"{}\">{}</text>", base + 14, h(by_month.begin()->first));
  if (months > 1)
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"end\">{}</text>", 30 + months * step, base + 14,
                       h(by_month.rbegin()->first));
  return out + "</svg>";
}

std::string findings_rows(const std::vector<const Finding*>& findings, const HtmlOptions& o, bool with_author) {
  std::string out = "<table><tr><th>severity</th><th>rule</th><th>location</th><th>commit</th>";
  if (with_author) out += "<th>author</th>";
  out += "<th>message and code</th></tr>";
  for (const Finding* f : findings) {
    std::string loc = h(f->path);
    if (f->line) loc += fmt::format(":{}", f->line);
    std::string msg = h(f->message);
    if (f->relayed_for) msg += "<br><span class=\"warn\">relayed for " + h(detail::person_label(*f->relayed_for)) + "</span>";
    if (f->baselined) msg += " <span class=\"muted\">[baselined]</span>";
    if (f->suppressed) msg += " <span class=\"muted\">[" + h(detail::suppression_note(*f)) + "]</span>";
    if (!f->snippet.empty()) msg += "<pre>" + code(f->snippet) + "</pre>";
    out += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td>",
                       severity_badge(f->severity), h(f->rule_id), loc, commit_ref(f->commit, o));
    if (with_author) out += "<td>" + h(detail::person_label(f->author)) + "</td>";
    out += "<td>" + msg + "</td></tr>";
  }
  return out + "</table>";
}

std::string counts_list(const std::map<std::string, std::uint64_t>& m) {
  std::string out;
  for (const auto& [k, n] : m) out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", h(k), n);
  return out.empty() ? "none" : out;
}

// The key findings are grouped under: a roster id, or the raw identity when unattributed.
std::string owner_key(const scan::PersonRef& p) { return p.person ? "p:" + *p.person : "u:" + p.identity; }
std::string owner_key(const ContributorStats& c) { return c.person ? "p:" + *c.person : "u:" + c.identity; }

std::string person_article(const ContributorStats& c, std::size_t index, const std::vector<const Finding*>& findings,
                           const ScanResult& r, const HtmlOptions& o) {
  std::string out = fmt::format("<article class=\"person\" id=\"{}\"><h3>{}", anchor(c, index), h(c.identity));
  out += c.person ? fmt::format(" <span class=\"muted\">({})</span>", h(*c.person))
                  : std::string(" <span class=\"warn\">unattributed: not in the roster</span>");
  out += "</h3><dl class=\"meta\">";
  if (c.person) {
    if (c.attributes.empty()) out += "<dt>roster attributes</dt><dd>none recorded</dd>";
    for (const auto& [k, v] : c.attributes) out += fmt::format("<dt>{}</dt><dd>{}</dd>", h(k), h(v));
  } else {
    out += "<dt>roster attributes</dt><dd>none: attributes come only from the roster</dd>";
  }
  std::string ids;
  for (const auto& i : c.identities) ids += "<code>" + h(i) + "</code><br>";
  out += fmt::format("<dt>identities</dt><dd>{}</dd>", ids.empty() ? "none recorded" : ids);
  out += fmt::format("<dt>active</dt><dd>{} to {}</dd>", c.first_commit_time ? date(c.first_commit_time) : "-",
                     c.last_commit_time ? date(c.last_commit_time) : "-");
  out += fmt::format("<dt>signatures</dt><dd>{}</dd>", counts_list(c.signatures));
  if (!c.relayed_by.empty())
    out += fmt::format("<dt>committed by others</dt><dd class=\"warn\">{}</dd>", counts_list(c.relayed_by));
  if (!c.relayed_for.empty())
    out += fmt::format("<dt>committed for others</dt><dd class=\"warn\">{}</dd>", counts_list(c.relayed_for));
  out += "</dl><div class=\"cards\">";
  out += card(c.commits, "commits") + card(c.lines_added, "lines added") +
         card(c.lines_alive_at_head, "lines alive at " + h(r.alive ? r.alive->rev.substr(0, 7) : "HEAD")) +
         card(c.files_alive_at_head, "files with lines alive") + card(c.paths_touched, "paths touched") +
         card(c.findings, "findings");
  out += "</div><h4>Commits per month</h4>" + month_chart(c.commits_by_month);
  if (!c.top_paths.empty()) {
    out += fmt::format("<h4>Paths touched (top {} of {})</h4><table><tr><th>path</th><th class=\"n\">commits</th></tr>",
                       c.top_paths.size(), c.paths_touched);
    for (const auto& [p, n] : c.top_paths) out += fmt::format("<tr><td><code>{}</code></td><td class=\"n\">{}</td></tr>", h(p), n);
    out += "</table>";
  }
  out += "<h4>Findings</h4>";
  out += findings.empty() ? std::string("<p class=\"muted\">None.</p>") : findings_rows(findings, o, false);
  return out + "</article>";
}

// People grouped by one roster attribute; unattributed identities form their own row.
std::string attribute_table(const ScanResult& r, const char* attribute) {
  struct Row {
    std::uint64_t people = 0, commits = 0, added = 0, alive = 0, findings = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto& c : r.contributors) {
    std::vector<std::string> keys;
    if (!c.person) {
      keys.push_back("(unattributed)");
    } else if (auto it = c.attributes.find(attribute); it == c.attributes.end()) {
      keys.push_back("(none)");
    } else if (std::string_view(attribute) == "citizenship") {
      std::string v = it->second;
      for (std::size_t pos = 0; pos <= v.size();) {
        std::size_t comma = v.find(',', pos);
        if (comma == std::string::npos) comma = v.size();
        keys.push_back(v.substr(pos, comma - pos));
        pos = comma + 1;
      }
    } else {
      keys.push_back(it->second);
    }
    for (const auto& k : keys) {
      Row& row = rows[k];
      ++row.people;
      row.commits += c.commits;
      row.added += c.lines_added;
      row.alive += c.lines_alive_at_head;
      row.findings += c.findings;
    }
  }
  std::string out = fmt::format(
      "<h3>By {}</h3><table><tr><th>{}</th><th class=\"n\">people</th><th class=\"n\">commits</th>"
      "<th class=\"n\">lines added</th><th class=\"n\">lines alive</th><th class=\"n\">findings</th></tr>",
      attribute, attribute);
  for (const auto& [k, row] : rows)
    out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                       "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                       h(k), row.people, row.commits, row.added, row.alive, row.findings);
  out += "</table>";
  if (std::string_view(attribute) == "citizenship")
    out += "<p class=\"muted\">A person with several citizenships counts under each.</p>";
  return out;
}

std::string skipped_table(const std::vector<Skipped>& skipped) {
  std::string out = "<table><tr><th>kind</th><th>path</th><th>commit</th><th>reason</th><th>effect</th></tr>";
  for (const auto& s : skipped)
    out += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                       h(s.kind), h(s.path), h(s.commit.substr(0, 12)), h(s.reason),
                       s.incomplete ? "<span class=\"warn\">not examined</span>" : "partial coverage");
  return out + "</table>";
}

}  // namespace

std::string to_html(const ScanResult& r, const HtmlOptions& o) {
  std::map<std::string, std::vector<const Finding*>> by_owner;
  for (const Finding& f : r.findings) by_owner[owner_key(f.author)].push_back(&f);
  std::uint64_t persons = 0, unattributed = 0;
  for (const auto& c : r.contributors) (c.person ? persons : unattributed) += 1;

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'; img-src data:\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += fmt::format("<title>{} - {}</title><style>{}</style></head><body>\n", h(o.title), h(r.repository), kStyle);
  out += fmt::format("<header><h1>{}</h1><dl class=\"meta\">", h(o.title));
  out += fmt::format("<dt>repository</dt><dd><code>{}</code></dd><dt>range</dt><dd><code>{}</code></dd>",
                     h(r.repository), h(r.range));
  if (r.alive) out += fmt::format("<dt>lines alive at</dt><dd>{}</dd>", commit_ref(r.alive->rev, o));
  out += fmt::format("<dt>provscan</dt><dd>{}</dd><dt>rules sha256</dt><dd><code>{}</code></dd>", h(r.tool_version),
                     h(r.rules_sha256));
  out += fmt::format("<dt>roster sha256</dt><dd><code>{}</code></dd><dt>policy sha256</dt><dd><code>{}</code></dd>",
                     r.roster_sha256.empty() ? "none given" : h(r.roster_sha256),
                     r.policy_sha256.empty() ? "none given" : h(r.policy_sha256));
  out += "</dl><p class=\"muted\">People's attributes come only from the organization's roster; an identity "
         "the roster does not list is <em>unattributed</em> and nothing is inferred about it.</p></header>\n";

  // Contents.
  out += "<nav><h2>Contents</h2><ol><li><a href=\"#overview\">Overview</a></li>";
  for (std::size_t i = 0; i < r.contributors.size(); ++i) {
    const auto& c = r.contributors[i];
    out += fmt::format("<li><a href=\"#{}\">{}{}</a></li>", anchor(c, i), h(c.identity),
                       c.person ? "" : " (unattributed)");
  }
  out += "<li><a href=\"#skipped\">Not scanned</a></li></ol></nav>\n";

  // Overview.
  const detail::SeverityCounts sev = detail::count_by_severity(r.findings);
  out += "<section id=\"overview\"><h2>Overview</h2><div class=\"cards\">";
  out += card(r.commits, "commits") + card(persons, "roster people") + card(unattributed, "unattributed identities") +
         card(r.findings.size(), "findings") + card(r.alive ? r.alive->lines : 0, "lines alive") +
         card(r.skipped.size(), "items not scanned");
  out += "</div>";
  if (r.incomplete())
    out += "<p class=\"warn\">The scan is incomplete: some content was not examined (see Not scanned).</p>";
  std::vector<std::pair<std::string, std::uint64_t>> sev_rows;
  for (const Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info})
    sev_rows.emplace_back(std::string(to_string(s)), sev[static_cast<std::size_t>(s)]);
  out += "<h3>Findings by severity</h3>" + bar_chart(sev_rows, "findings by severity");
  std::vector<std::pair<std::string, std::uint64_t>> engine_rows;
  for (const auto& [e, n] : detail::engine_counts(r)) engine_rows.emplace_back(h(e), n);
  out += "<h3>Findings by engine</h3>" +
         (engine_rows.empty() ? std::string("<p class=\"muted\">None.</p>") : bar_chart(engine_rows, "findings by engine"));
  for (const char* a : {"role", "citizenship", "location", "employer", "clearance"}) out += attribute_table(r, a);
  out += "</section>\n";

  // People.
  out += "<section id=\"people\"><h2>Contributors in the roster</h2>";
  if (!persons) out += "<p class=\"muted\">No commit in the range was attributed to a roster person.</p>";
  for (std::size_t i = 0; i < r.contributors.size(); ++i) {
    const auto& c = r.contributors[i];
    if (!c.person) continue;
    auto it = by_owner.find(owner_key(c));
    out += person_article(c, i, it == by_owner.end() ? std::vector<const Finding*>{} : it->second, r, o) + "\n";
  }
  out += "</section>\n<section id=\"unattributed\"><h2>Unattributed identities</h2>"
         "<p>These identities match no roster entry (nor a .mailmap alias of one). Who they are, and whether they "
         "were allowed to contribute, is for the organization to establish.</p>";
  if (!unattributed) out += "<p class=\"muted\">None.</p>";
  for (std::size_t i = 0; i < r.contributors.size(); ++i) {
    const auto& c = r.contributors[i];
    if (c.person) continue;
    auto it = by_owner.find(owner_key(c));
    out += person_article(c, i, it == by_owner.end() ? std::vector<const Finding*>{} : it->second, r, o) + "\n";
  }
  out += "</section>\n";

  // Findings without a contributor section (none expected; kept so nothing is dropped).
  std::set<std::string> shown;
  for (const auto& c : r.contributors) shown.insert(owner_key(c));
  std::vector<const Finding*> orphans;
  for (const auto& [k, list] : by_owner)
    if (!shown.count(k)) orphans.insert(orphans.end(), list.begin(), list.end());
  if (!orphans.empty())
    out += "<section id=\"other-findings\"><h2>Other findings</h2>" + findings_rows(orphans, o, true) + "</section>\n";

  out += "<section id=\"skipped\"><h2>Not scanned</h2>";
  out += r.skipped.empty() ? std::string("<p>Every item was scanned.</p>") : skipped_table(r.skipped);
  if (r.alive && !r.alive->skipped.empty())
    out += fmt::format("<h3>Not counted in lines alive ({})</h3>", r.alive->skipped.size()) +
           skipped_table(r.alive->skipped);
  out += "</section>\n<footer class=\"muted\"><p>Generated by provscan " + h(r.tool_version) +
         ". Self-contained: this file loads nothing from the network.</p></footer></body></html>\n";
  return out;
}

}  // namespace provscan::report
