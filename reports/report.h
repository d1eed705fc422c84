#pragma once
// Report writers: pure functions of a ScanResult. They never call libgit2 or an engine, and
// their output is byte-identical for equal inputs. They sort nothing: rows come out in the
// ScanResult's order (the pipeline sorts), and counts are taken from the rows themselves.
//
// Repository text is hostile (paths are arbitrary bytes; messages and names come from the
// commits under review). Every writer escapes it so it cannot break its format or a terminal:
// - Invalid UTF-8 becomes the text `\xNN` per bad byte (lower-case hex) in every format,
//   JSON and SARIF included, so the JSON writers never throw. Chosen over U+FFFD because it
//   keeps the bytes visible; a path that literally holds `\xff` prints the same way.
// - JSON/SARIF: control characters are JSON-escaped (`\u001b`); DEL, C1 controls, bidi
//   controls, U+2028/9 and U+200B/U+2060/U+FEFF are written as `\uNNNN` too, so the data is
//   exact and `cat`ting the file is safe.
// - Text formats (github, csv, markdown, summary): those same characters are shown as text:
//   `\n` `\r` `\t`, `\xNN` (other C0, DEL), `\uNNNN` (C1, bidi, separators, invisible).
// See reports/escape.h for the exact sets.
//
// Findings that do not fail the gate stay in every output, marked, never dropped: baselined
// ones (--baseline knows their fingerprint) and suppressed ones (an inline `provscan:ignore
// RULE reason` comment, scanner/suppression.h). Text formats append " [baselined]" and
// " [suppressed by AUTHOR: REASON]" (AUTHOR as "Name <email> [p-0001]" or "... [unattributed]")
// to the finding's message (summary and junit: also to its location); JSON, SARIF and CSV have
// fields for both. A suppressed finding was accepted in the code with a reason, so where a
// format has levels it is shown at the lowest: GitHub `::notice`, GitLab severity "info"
// (baselined ones keep theirs: they are known, not accepted). JUnit keeps both as failures:
// the file lists what was found, the exit code is the gate.
#include <string>

#include "scanner/result.h"

namespace provscan::report {

// INTERFACE.md schema "provscan/1", 2-space indent, final newline. inputs.* are null when
// empty. Keys beyond INTERFACE.md, always after the documented ones: summary.incomplete,
// findings[].cwe (null when empty), .references, .signature, .baselined (true when the
// finding's fingerprint is in the --baseline file), .suppressed and .suppression ({"reason",
// "author": {"person", "identity"}} of the inline comment, null unless suppressed),
// contributors[].identity (right after
// person), skipped[].object (null when empty) and .incomplete; skipped[].commit is null when
// the skip is not tied to a commit.
std::string to_json(const scan::ScanResult& r);

// SARIF 2.1.0 (one run). Rules: r.rules, then a synthesized rule for each rule id used by a
// finding but absent from r.rules (policy.* ids). Levels: critical/high error, medium warning,
// low/info note. Rule tags: "security", the engine, and "external/cwe/cwe-N" when the rule has
// a CWE. A finding without a path has no location; one with line 0 has no region. Skipped items
// are invocations[0].toolExecutionNotifications (level warning when incomplete, else note).
// No informationUri is written (the project has no public URL yet) and no timestamps.
// `baseline_given` (a --baseline file was applied) adds result.baselineState: "unchanged" for a
// baselined finding, "new" for any other; without it no result has a baselineState, since
// nothing was compared. A suppressed finding has result.suppressions: [{"kind": "inSource",
// "status": "accepted", "justification": REASON, "properties": {"author", "authorPerson"}}].
std::string to_sarif(const scan::ScanResult& r, bool baseline_given = false);

// GitHub Actions workflow commands, one line per finding:
//   ::error file=PATH,line=N,endLine=M,title=RULE::MESSAGE (commit abc1234, author X [p-1])
// critical/high -> error, medium -> warning, low/info -> notice; file= is omitted without a
// path, line=/endLine= when line is 0. Baselined and suppressed findings carry their marks
// after the parenthesis; a suppressed one is a ::notice whatever its severity. Then
// `::warning::N items were not scanned: ...` when anything was skipped.
std::string to_github(const scan::ScanResult& r);

// RFC 4180 CSV with CRLF line ends, one row per finding, after this header:
//   rule_id,engine,severity,commit,path,line,end_line,author_person,author_identity,
//   committer_person,committer_identity,message,fingerprint,relayed_for_person,
//   relayed_for_identity,baselined,suppressed,suppression_reason,suppression_author_person,
//   suppression_author_identity
// (one line in the output). An empty *_person cell means unattributed; both relayed_for cells
// are empty when the commit was not relayed. baselined and suppressed are "true" or "false";
// the three suppression_* cells are empty unless suppressed. Cells starting with = + - @ TAB or CR get a
// leading ' (spreadsheet formula injection).
std::string to_csv(const scan::ScanResult& r);

// contributors.csv of an audit: RFC 4180 like to_csv, one row per contributor (persons by id,
// then unattributed identities), after this header (one line in the output):
//   person,identity,role,citizenship,residency,location,employer,clearance,valid_from,
//   valid_to,commits,lines_added,lines_alive_at_head,files_alive_at_head,findings,
//   paths_touched,first_commit,last_commit,signed_verified,signed_other,unsigned,relayed_by,
//   relayed_for
// person is empty for an unattributed identity; attribute cells come from the roster only
// (citizenship: comma-separated codes); first/last_commit are author dates YYYY-MM-DD (UTC);
// signed_other counts bad, unknown-key and unverifiable signatures; relayed_by/relayed_for
// are "label=commits" pairs joined by ';' (label: roster id, or identity when unattributed).
std::string to_contributors_csv(const scan::ScanResult& r);

// The audit's self-contained HTML report (report.html): inline CSS and SVG, no script, no
// external resource of any kind. Sections: overview (people by role and attribute, findings
// by severity and engine, lines alive, skipped items), one section per roster person and one
// per unattributed identity (identities, roster attributes, commits per month as an SVG bar
// chart, paths touched, lines added and alive, relays, signature status, findings with code
// snippets), then the list of skipped items. Every repository string is display()-escaped and
// HTML-escaped. `commit_url` (e.g. "https://git.example/repo/commit/{commit}") turns commit
// ids into links; empty = no links. Deterministic: no timestamps of the run.
struct HtmlOptions {
  std::string commit_url;
  std::string title = "provscan audit";
};
std::string to_html(const scan::ScanResult& r, const HtmlOptions& options = {});

// GitHub-flavoured Markdown: title, summary table, findings table (severity, rule,
// path:line, short commit, author, message with the baselined/suppressed marks), list of
// skipped items. An audit (r.alive set)
// adds a contributors table (lines added and alive, commits, findings, roster role) before
// the findings.
std::string to_markdown(const scan::ScanResult& r);

// Human summary for a terminal; `color` adds ANSI colours to the severity words (callers
// honour NO_COLOR); without it the output holds no escape byte at all. Lists at most 50
// findings, those that fail the gate before baselined and suppressed ones (marked
// "[baselined]", "[suppressed by AUTHOR: REASON]"), most severe first, and ends with one line
// such as
//   5 findings (2 critical, 3 high; 1 baselined, 1 suppressed) in 12 commits; 1 item not scanned
// ("N baselined" / "N suppressed" only when some finding is).
std::string to_summary(const scan::ScanResult& r, bool color);

// JUnit XML (the Ant/Jenkins dialect GitLab, Jenkins and most CI test views read): one
// <testsuite name="provscan">, one <testcase> per rule that ran (r.rules, then any rule id only
// findings use, as in SARIF; classname "provscan.ENGINE"), and in it one
// <failure type="SEVERITY" message="MESSAGE"> per finding whose text gives path:line, commit,
// author, fingerprint and snippet ("[baselined]" / "[suppressed by AUTHOR: REASON]" marks on
// findings that do not fail the gate, which are still failures: the file lists what was found,
// the exit code is the gate). Skipped items are lines
// of the suite's <system-out>. Repository text is display()-escaped first, so control
// characters (invalid in XML 1.0) appear as visible `\xNN` / `\uNNNN` text, then XML-escaped;
// U+FFFE/U+FFFF (also invalid in XML) are written as `\ufffe`/`\uffff` text.
std::string to_junit(const scan::ScanResult& r);

// GitLab Code Quality (a JSON array; 2-space indent, final newline), one issue per finding:
//   {"description", "check_name": rule id, "fingerprint", "severity", "location":
//    {"path", "lines": {"begin"}}}
// Severities: info -> info, low -> minor, medium -> major, high -> critical, critical ->
// blocker; a suppressed finding is "info". description is the message with the short commit
// and author, then the baselined/suppressed marks. GitLab collapses
// issues with equal fingerprints, so a repeated fingerprint (the same text found in two
// commits) gets "-2", "-3", ... appended in output order. A whole-file finding (line 0) begins
// at line 1; a finding without a path is located at ".".
std::string to_gitlab(const scan::ScanResult& r);

}  // namespace provscan::report
