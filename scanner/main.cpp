// provscan's command line. main() is the single place that turns errors into exit 2; every
// subcommand decides its exit code once, at the end.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include <chrono>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "reports/report.h"
#include "rules/loader.h"
#include "rules/yaml_util.h"
#include "scanner/audit.h"
#include "scanner/baseline.h"
#include "scanner/blob/blob_engine.h"
#include "scanner/cpp_ast/clang_engine.h"
#include "scanner/lines_alive.h"
#include "scanner/pipeline.h"
#include "scanner/policy.h"
#include "scanner/pseudonym.h"
#include "scanner/query/query_engine.h"
#include "scanner/roster.h"
#include "scanner/rule_tester.h"
#include "scanner/signature/hs_cache.h"

namespace fs = std::filesystem;
using namespace provscan;

namespace {

enum Exit { kClean = 0, kFindings = 1, kError = 2, kIncomplete = 3 };

struct ScanArgs {
  std::string repo = ".";
  std::string range;
  bool all = false;
  std::string since, until;
  std::string roster;
  std::string mailmap;
  std::string policy;
  std::vector<std::string> rules;
  bool no_default_rules = false;
  std::vector<std::string> formats;
  std::string output;
  std::string fail_on = "high";
  bool fail_on_skip = true;
  unsigned jobs = 0;
  std::uint64_t max_blob_bytes = scan::kDefaultMaxBlobBytes;
  std::string progress = "auto";
  std::string isolation = "process";
  std::string cache_dir;
  bool no_cache = false;
  unsigned worker_timeout = 60;
  std::uint64_t worker_memory_mib = 2048;
  std::optional<std::string> baseline;  // set even when empty: `--baseline ""` is an error, not "none"
  std::string pseudonymize;             // key file
  // audit only
  std::string rev = "HEAD";
  std::string commit_url;
};

std::int64_t parse_time(const std::string& s, const char* what) {
  if (auto d = scan::parse_date(s.substr(0, 10)); d && s.size() == 10) return *d * 86400;
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end || (*end && *end != 'Z'))
    throw Error(fmt::format("{} '{}' is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", what, s));
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string render(const std::string& format, const scan::ScanResult& r, bool baseline_given) {
  if (format == "json") return report::to_json(r);
  if (format == "sarif") return report::to_sarif(r, baseline_given);
  if (format == "github") return report::to_github(r);
  if (format == "csv") return report::to_csv(r);
  if (format == "markdown") return report::to_markdown(r);
  if (format == "junit") return report::to_junit(r);
  if (format == "gitlab") return report::to_gitlab(r);
  if (format == "html") return report::to_html(r);
  throw Error(fmt::format("unknown format '{}'", format));
}

std::string file_name_for(const std::string& format) {
  if (format == "json") return "provscan.json";
  if (format == "sarif") return "provscan.sarif";
  if (format == "github") return "provscan-annotations.txt";
  if (format == "csv") return "findings.csv";
  if (format == "junit") return "provscan-junit.xml";
  if (format == "gitlab") return "gl-code-quality-report.json";
  if (format == "html") return "report.html";
  return "report.md";
}

void write_file(const fs::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(fmt::format("cannot write '{}'", path.string()));
  out << data;
  out.close();
  if (!out) throw Error(fmt::format("error writing '{}'", path.string()));
}

bool use_color() {
  const char* nc = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && !(nc && *nc);
}

// Progress on stderr: "provscan: 1200/40000 commits (3%), 310 commits/s, ETA 2m05s". On a
// terminal one line is redrawn (at most 5 times a second); otherwise (--progress always into a
// log) a plain line every 5 seconds, so CI logs stay short.
class Progress {
 public:
  explicit Progress(bool tty) : tty_(tty), start_(Clock::now()), last_(start_) {}

  void commits(std::uint64_t done, std::uint64_t total) {
    const auto now = Clock::now();
    if (done != total && now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000)))
      return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    std::string line = fmt::format("provscan: {}/{} commits ({}%), {:.0f} commits/s", done, total,
                                   total ? done * 100 / total : 100, rate);
    if (done < total && rate > 0) line += ", ETA " + duration(static_cast<double>(total - done) / rate);
    if (done == total) line += fmt::format(", done in {}", duration(secs));
    std::fprintf(stderr, tty_ ? "\r%-78s" : "%s\n", line.c_str());
    if (tty_ && done == total) std::fputc('\n', stderr);
  }
  void phase(const std::string& what) { std::fprintf(stderr, "provscan: %s\n", what.c_str()); }

 private:
  using Clock = std::chrono::steady_clock;
  static std::string duration(double s) {
    const auto t = static_cast<std::uint64_t>(s + 0.5);
    if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, t / 60 % 60);
    if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
    return fmt::format("{}s", t);
  }
  bool tty_;
  Clock::time_point start_, last_;
};

// The files an audit writes into --output DIR, by format.
std::vector<std::pair<std::string, std::string>> audit_files(const std::string& format, const scan::ScanResult& r,
                                                             const ScanArgs& a, bool baseline_given) {
  if (format == "html") {
    report::HtmlOptions o;
    o.commit_url = a.commit_url;
    return {{"report.html", report::to_html(r, o)}};
  }
  if (format == "json") return {{"report.json", report::to_json(r)}};
  if (format == "csv") return {{"contributors.csv", report::to_contributors_csv(r)}, {"findings.csv", report::to_csv(r)}};
  if (format == "markdown") return {{"report.md", report::to_markdown(r)}};
  return {{file_name_for(format), render(format, r, baseline_given)}};
}

// This binary, for starting engine workers (never looked up through PATH).
std::string self_executable() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error(fmt::format("cannot find provscan's own executable for its engine workers: {}", ec.message()));
  return p.string();
}

int run_scan_command(const ScanArgs& a, bool audit_defaults) {
  const Severity fail_on = *parse_severity(a.fail_on);  // validated by CLI11
  std::vector<std::string> rule_paths = a.rules;
  if (!a.no_default_rules) rule_paths.insert(rule_paths.begin(), rules::default_packs_dir());
  if (rule_paths.empty()) throw Error("no rules: drop --no-default-rules or give --rules PATH");
  const rules::RuleSet set = rules::load_rules(rule_paths);
  // A scan with no rule at all would pass everything: fail closed.
  if (set.rules.empty())
    throw Error(fmt::format("no rules were loaded from {}: nothing would be detected", fmt::join(rule_paths, ", ")));
  // Engine workers inherit the environment: they use the same cache.
  if (a.no_cache) {
    ::setenv("PROVSCAN_CACHE_DIR", "", 1);
    scan::set_hs_cache_dir(std::nullopt);
  } else if (!a.cache_dir.empty()) {
    const std::string dir = fs::absolute(a.cache_dir).string();
    ::setenv("PROVSCAN_CACHE_DIR", dir.c_str(), 1);
    scan::set_hs_cache_dir(dir);
  }
  scan::IsolationOptions isolation;
  isolation.executable = self_executable();
  isolation.timeout_seconds = a.worker_timeout;
  isolation.memory_bytes = a.worker_memory_mib << 20;
  const auto engines = scan::make_engines(set, a.isolation == "process" ? &isolation : nullptr);
  const scan::Roster roster = a.roster.empty() ? scan::Roster() : scan::load_roster(a.roster);
  // Read before the scan: a bad baseline fails in a second, not after a long scan.
  const bool baseline_given = a.baseline.has_value();
  const std::set<std::string> known = baseline_given ? scan::load_baseline_fingerprints(*a.baseline)
                                                     : std::set<std::string>{};
  std::optional<scan::Policy> policy;
  if (!a.policy.empty()) {
    if (a.roster.empty()) throw Error("--policy needs --roster: the policy is checked against roster attributes");
    policy = scan::load_policy(a.policy);
  }

  scan::ScanOptions opt;
  opt.repository = a.repo;
  opt.walk = git::parse_range(a.range);
  opt.walk.all_refs = a.all || (audit_defaults && a.range.empty());
  if (opt.walk.all_refs && a.range.empty()) opt.walk.include.clear();
  if (!a.since.empty()) opt.walk.since = parse_time(a.since, "--since");
  if (!a.until.empty()) opt.walk.until = parse_time(a.until, "--until");
  if (!a.mailmap.empty()) opt.mailmap_text = rules::yaml::read_file(a.mailmap);
  opt.max_blob_bytes = a.max_blob_bytes;
  if (policy) opt.policy = &*policy;
  opt.jobs = a.jobs;
  const bool progress = a.progress == "always" || (a.progress == "auto" && isatty(STDERR_FILENO));
  Progress meter(isatty(STDERR_FILENO));
  if (progress) opt.progress = [&meter](std::uint64_t done, std::uint64_t total) { meter.commits(done, total); };
  opt.record_commits = audit_defaults;
  // Read the key before the scan: a bad key fails in a second, not after hours of history.
  const std::optional<scan::Pseudonymizer> pseudonyms =
      a.pseudonymize.empty() ? std::nullopt : std::optional(scan::Pseudonymizer(scan::load_pseudonym_key(a.pseudonymize)));
  if (audit_defaults) {
    std::error_code ec;
    fs::create_directories(a.output, ec);
    if (ec || !fs::is_directory(a.output))
      throw Error(fmt::format("cannot create output folder '{}': {}", a.output, ec ? ec.message() : "not a folder"));
  }

  scan::ScanResult result = scan::run_scan(opt, set, engines, roster);
  result.tool_version = PROVSCAN_VERSION;
  if (baseline_given) scan::apply_baseline(result, known);
  if (audit_defaults) {
    if (progress) meter.phase(fmt::format("counting the lines alive at {} (one pass over history)", a.rev));
    const scan::Mailmap mailmap = opt.mailmap_text ? scan::Mailmap::parse(*opt.mailmap_text) : scan::Mailmap();
    const scan::IdentityResolver who(roster, &mailmap);
    scan::AuditOptions ao;
    ao.rev = a.rev;
    ao.max_blob_bytes = a.max_blob_bytes;
    scan::complete_audit(result, a.repo, who, ao);
  }
  if (pseudonyms) scan::pseudonymize(result, roster, *pseudonyms);

  if (audit_defaults) {
    static const std::vector<std::string> kAll = {"html", "json", "csv", "markdown"};
    for (const std::string& f : a.formats.empty() ? kAll : a.formats)
      for (const auto& [name, data] : audit_files(f, result, a, baseline_given))
        write_file(fs::path(a.output) / name, data);
    std::cerr << report::to_summary(result, false);
    std::cerr << fmt::format("provscan: audit reports written to {}\n", a.output);
  } else if (a.formats.empty()) {
    if (!a.output.empty()) write_file(a.output, report::to_summary(result, false));
    else std::cout << report::to_summary(result, use_color());
  } else if (a.output.empty()) {
    if (a.formats.size() > 1) throw Error("several --format values need --output DIR");
    std::cout << render(a.formats.front(), result, baseline_given);
  } else if (a.formats.size() == 1 && !fs::is_directory(a.output)) {
    write_file(a.output, render(a.formats.front(), result, baseline_given));
  } else {
    std::error_code ec;
    fs::create_directories(a.output, ec);
    if (ec) throw Error(fmt::format("cannot create output folder '{}': {}", a.output, ec.message()));
    for (const auto& f : a.formats)
      write_file(fs::path(a.output) / file_name_for(f), render(f, result, baseline_given));
  }
  if (!audit_defaults && !a.formats.empty() && isatty(STDERR_FILENO)) std::cerr << report::to_summary(result, false);

  // Known (baselined) and suppressed findings are reported but never fail the gate.
  bool gate = false;
  for (const auto& f : result.findings) gate = gate || (!f.baselined && !f.suppressed && f.severity >= fail_on);
  if (gate) return kFindings;
  if (a.fail_on_skip && result.incomplete()) {
    std::cerr << "provscan: the scan is incomplete: some content was not examined (see 'skipped'); "
                 "exit 3 (--no-fail-on-skip to accept)\n";
    return kIncomplete;
  }
  return kClean;
}

void add_scan_options(CLI::App* cmd, ScanArgs& a, bool audit) {
  cmd->add_option("REPO", a.repo, "Repository to scan: a work tree or a bare repository (default: .)");
  cmd->add_option("--range", a.range,
                  "Commits to scan, git's syntax: 'BASE..HEAD' = reachable from HEAD and not from BASE "
                  "(a pull request); 'REV' = REV and its ancestors. Default: " +
                      std::string(audit ? "every branch and tag" : "HEAD"));
  cmd->add_flag("--all", a.all, "Scan every branch and tag (each commit once)");
  cmd->add_option("--since", a.since, "Only commits committed at or after DATE (YYYY-MM-DD or ISO 8601, UTC)");
  cmd->add_option("--until", a.until, "Only commits committed at or before DATE");
  cmd->add_option("--roster", a.roster, "The organization's roster (YAML): the only source of people's attributes")
      ->check(CLI::ExistingFile);
  cmd->add_option("--policy", a.policy,
                  "The contribution policy (YAML): who may contribute to which paths, signing, review and "
                  "relay requirements; breaches are policy.* findings. Needs --roster")
      ->check(CLI::ExistingFile);
  cmd->add_option("--mailmap", a.mailmap,
                  "A .mailmap to resolve identities with (default: the .mailmap of the range's base revision; "
                  "never one from the commits under review)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--rules", a.rules, "Rule file or folder; may repeat. The bundled packs run too unless --no-default-rules");
  cmd->add_flag("--no-default-rules", a.no_default_rules, "Do not load the bundled rule packs");
  if (audit) {
    cmd->add_option("--format", a.formats,
                    "Reports to write (may repeat; default: html, json, csv, markdown): html -> report.html, "
                    "json -> report.json, csv -> contributors.csv and findings.csv, markdown -> report.md, "
                    "sarif -> provscan.sarif")
        ->check(CLI::IsMember({"html", "json", "csv", "markdown", "sarif"}));
    cmd->add_option("--output,-o", a.output, "Folder the reports are written to (created if missing)")->required();
    cmd->add_option("--rev", a.rev, "Revision whose lines alive are attributed")->capture_default_str();
    cmd->add_option("--commit-url", a.commit_url,
                    "Link commit ids in report.html, e.g. 'https://git.example/proj/-/commit/{commit}'");
  } else {
    cmd->add_option("--format", a.formats,
                    "json, sarif, github (annotations), csv, markdown, html, junit (JUnit XML), gitlab (GitLab "
                    "Code Quality JSON); may repeat. Default: a summary")
        ->check(CLI::IsMember({"json", "sarif", "github", "csv", "markdown", "html", "junit", "gitlab"}));
    cmd->add_option("--output,-o", a.output,
                    "File for one format, folder for several (default: stdout). In a folder: provscan.json, "
                    "provscan.sarif, provscan-annotations.txt, findings.csv, report.md, report.html, "
                    "provscan-junit.xml, gl-code-quality-report.json");
  }
  cmd->add_option("--pseudonymize", a.pseudonymize,
                  "Replace every name and e-mail in every output with a stable keyed pseudonym (HMAC-SHA-256 "
                  "under the key in FILE, at least 16 bytes; the same key gives the same pseudonyms). Roster "
                  "ids and attributes stay. Make a key: head -c 32 /dev/urandom | base64 > audit.key")
      ->check(CLI::ExistingFile);
  cmd->add_option("--baseline", a.baseline,
                  "An earlier '--format json' output: findings whose fingerprint it lists are known. They "
                  "stay in the outputs, marked baselined, but do not fail the gate. Fingerprints ignore line "
                  "numbers and blanks, so a finding shifted to other lines or re-indented in the same file "
                  "stays known. Take it from outside the "
                  "change under review (e.g. an artifact of the base branch). Example: --baseline main.json");
  cmd->add_option("--fail-on", a.fail_on, "Lowest severity that fails the gate (exit 1)")
      ->capture_default_str()
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  cmd->add_flag("--fail-on-skip,!--no-fail-on-skip", a.fail_on_skip,
                audit ? "Exit 3 when content was not examined (too large, unreadable, timed out); off by default "
                        "for audit, whose reports list every such item"
                      : "Exit 3 when content was not examined (too large, unreadable, timed out); on by default");
  cmd->add_option("--jobs,-j", a.jobs, "Worker threads (default: all cores); output is identical for any value");
  cmd->add_option("--max-blob-bytes", a.max_blob_bytes, "Larger blobs are skipped and reported")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30));
  cmd->add_option("--progress", a.progress, "Progress on stderr: auto (only on a terminal), always, never")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--cache-dir", a.cache_dir,
                  "Folder of compiled Hyperscan databases, keyed by the rule set's hash (default: "
                  "$PROVSCAN_CACHE_DIR, else $XDG_CACHE_HOME/provscan, else ~/.cache/provscan). Keep it "
                  "private: never restore it from a CI cache that a pull request can write");
  cmd->add_flag("--no-cache", a.no_cache, "Compile the rules afresh and write no cache")->excludes("--cache-dir");
  cmd->add_option("--isolation", a.isolation,
                  "Where tree-sitter and Clang parse repository content: 'process' (default) runs them in "
                  "worker processes under a watchdog, so a file that crashes or hangs a parser is reported "
                  "as skipped and the scan goes on; 'none' runs them in this process (trusted input only)")
      ->capture_default_str()
      ->check(CLI::IsMember({"process", "none"}));
  cmd->add_option("--worker-timeout", a.worker_timeout,
                  "CPU seconds a worker may spend on one file before it is killed and the file's query and clang "
                  "results are reported as skipped (exit 3); a worker that blocks is killed at a wall-clock "
                  "deadline of three times that, and at least 10 s more")
      ->capture_default_str()
      ->check(CLI::Range(1u, 86400u));
  cmd->add_option("--worker-memory", a.worker_memory_mib, "Address-space limit of each worker process, in MiB")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{256}, std::uint64_t{1} << 20));
}

int run_rules_test(const std::vector<std::string>& paths) {
  const scan::RuleTestReport rep = scan::run_rule_tests(paths);
  for (const auto& l : rep.lines) std::cout << l << '\n';
  std::cout << fmt::format("{} rules, {} fixtures, {} expectations, {} failed checks\n", rep.rules_tested,
                           rep.fixtures, rep.expectations, rep.failures);
  std::cout << fmt::format("rules: {} passed, {} failed\n", rep.rules_tested - rep.rules_failed, rep.rules_failed);
  return rep.failures ? kFindings : kClean;
}

int run_rules_lint(const std::vector<std::string>& paths) {
  const rules::RuleSet set = rules::load_rules(paths);
  scan::make_engines(set);
  std::cout << fmt::format("{} rules in {} files: OK\n", set.rules.size(), set.files.size());
  return kClean;
}

int run_rules_list(std::vector<std::string> paths) {
  if (paths.empty()) paths.push_back(rules::default_packs_dir());
  const rules::RuleSet set = rules::load_rules(paths);
  scan::make_engines(set);
  for (const auto& r : set.rules)
    std::cout << fmt::format("{:<52} {:<9} {:<8} {}\n", r.id, rules::to_string(r.engine), to_string(r.severity),
                             r.message);
  std::cout << fmt::format("{} rules; sha256 {}\n", set.rules.size(), set.sha256);
  return kClean;
}

int run_policy_check(const std::string& file, const std::string& roster_file, const std::string& repo) {
  const scan::Roster roster = scan::load_roster(roster_file);
  const scan::Policy policy = scan::load_policy(file);
  const std::vector<std::string> paths = repo.empty() ? std::vector<std::string>{} : scan::paths_at(repo, "HEAD");
  std::cout << scan::describe_policy(policy, roster, paths);
  return kClean;
}

struct BlameArgs {
  std::string repo = ".";
  std::string rev = "HEAD";
  std::string roster, mailmap;
  std::string by = "person";
  std::string format = "text";
};

int run_blame(const BlameArgs& a) {
  const scan::Roster roster = a.roster.empty() ? scan::Roster() : scan::load_roster(a.roster);
  const scan::Mailmap mailmap =
      a.mailmap.empty() ? scan::Mailmap() : scan::Mailmap::parse(rules::yaml::read_file(a.mailmap));
  const scan::IdentityResolver who(roster, &mailmap);
  const scan::AliveSummary s = scan::lines_alive(a.repo, a.rev, who, a.by);
  std::cout << (a.format == "json" ? scan::to_json(s) : scan::to_text(s));
  return kClean;
}

int run_roster_check(const std::string& file) {
  const scan::Roster roster = scan::load_roster(file);
  std::cout << fmt::format("{}: {} people: OK\n", file, roster.people().size());
  return kClean;
}

constexpr const char* kFooter = R"(
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 error (bad arguments,
invalid rule/roster file, repository cannot be opened); 3 the scan was incomplete and
--fail-on-skip is on. Findings outrank incompleteness; an error outranks both.

Examples:
  provscan scan .                                   # HEAD and its history, bundled rules
  provscan scan --range origin/main..HEAD --format sarif --output provscan.sarif
  provscan scan --range origin/main..HEAD --baseline main.json --format gitlab --output gl-code-quality-report.json
  provscan scan repo.git --all --roster roster.yaml --format json --output out.json
  provscan audit repo.git --roster roster.yaml --policy policy.yaml --output audit/
  provscan rules test rules/packs                   # run every rule's fixtures
)";

// Footers of the subcommands' --help: what the command is for, then real examples.
constexpr const char* kScanFooter = R"(
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 error (bad arguments,
a missing or invalid rule/roster/policy/baseline file, a revision that does not resolve, an
output that cannot be written); 3 content was not examined and --fail-on-skip is on.
Baselined findings (--baseline) and findings suppressed inline never fail the gate. Inline:
a comment `provscan:ignore RULE_ID reason` on the finding's line, written by someone the
policy allows on that path, suppresses it; without a reason it does not.

Examples:
  provscan scan --range origin/main..HEAD                         # a pull request: only what it adds
  provscan scan --range "$BASE..$HEAD" --format sarif --output provscan.sarif   # GitHub code scanning
  provscan scan --range "$BASE..$HEAD" --baseline main.json --format gitlab --output gl-code-quality-report.json
  provscan scan repo.git --all --roster roster.yaml --policy policy.yaml --format json --output scan.json
)";

constexpr const char* kBlameFooter = R"(
Examples:
  provscan blame .                                       # lines alive at HEAD, per person
  provscan blame repo.git --roster roster.yaml --by citizenship
  provscan blame . --rev v2.0 --roster roster.yaml --by employer --format json
)";

constexpr const char* kRulesFooter = R"(
Examples:
  provscan rules test rules/packs my-rules/      # every rule against its ruleid:/ok: fixtures
  provscan rules lint my-rules/                  # file:line:col errors, exit 2
  provscan rules list                            # the bundled rules, with the rule-set sha256
)";

constexpr const char* kRulesTestFooter = R"(
Each rule file x.yaml sits beside fixtures (x.c, x.py, ...) whose comments say `ruleid: ID`
above each line that must match and `ok: ID` above look-alikes that must not.

Examples:
  provscan rules test rules/packs
  provscan rules test my-rules/ rules/packs/c    # several folders
  provscan rules test examples/rules/org.internal-hostname.yaml
)";

constexpr const char* kRulesLintFooter = R"(
Loads the rules and compiles them in every engine (Hyperscan, tree-sitter, Clang), as a scan
would, so a rule that lints clean also loads in `scan`.

Examples:
  provscan rules lint my-rules/
  provscan rules lint examples/rules rules/packs
)";

constexpr const char* kRulesListFooter = R"(
Examples:
  provscan rules list                            # the bundled packs
  provscan rules list my-rules/                  # only these rules
  provscan rules list | grep '^c\.'              # the C rules
)";

constexpr const char* kRosterFooter = R"(
Examples:
  provscan roster check roster.yaml              # every problem as file:line:col, exit 2
  provscan roster check people.csv               # a CSV export with the same column names
)";

constexpr const char* kPolicyFooter = R"(
Examples:
  provscan policy check policy.yaml --roster roster.yaml
  provscan policy check policy.yaml --roster roster.yaml --repo .   # also: globs that match nothing
)";

constexpr const char* kVersionFooter = R"(
Examples:
  provscan version
  provscan --version
)";

}  // namespace

int main(int argc, char** argv) {
  // An engine worker started by a scan (see scanner/isolation/isolated_engine.h); not for users.
  if (argc >= 2 && std::string_view(argv[1]) == "__engine-worker") return scan::run_engine_worker(argc, argv);
  CLI::App app{"provscan: who wrote this code, were they allowed to, who relayed it, and did they put "
               "anything in it we don't know about?\nScans git history with libgit2 (read-only: no hooks, "
               "filters, checkout or network), attributes commits to an organization's roster, and runs "
               "Hyperscan signatures, tree-sitter queries, Clang AST matchers and blob checks."};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.set_version_flag("--version", PROVSCAN_VERSION);

  ScanArgs scan_args;
  CLI::App* scan_cmd = app.add_subcommand("scan", "Scan commits (HEAD by default): the CI gate");
  add_scan_options(scan_cmd, scan_args, false);
  scan_cmd->footer(kScanFooter);

  ScanArgs audit_args;
  audit_args.fail_on_skip = false;
  CLI::App* audit_cmd = app.add_subcommand(
      "audit", "Audit the whole history (every branch and tag): per-contributor reports with lines alive at HEAD");
  add_scan_options(audit_cmd, audit_args, true);
  audit_cmd->footer(R"(
Writes report.html (self-contained: open it in any browser, no network), report.json,
contributors.csv, findings.csv and report.md into --output. Every engine and the policy run over
every commit; lines alive at --rev are attributed in one pass over history.

Examples:
  provscan audit repo.git --roster roster.yaml --policy policy.yaml --output audit/
  provscan audit . --roster roster.yaml --since 2023-01-01 --output audit-2023/ --progress always
  provscan audit . --roster roster.yaml --pseudonymize audit.key --output shared/   # no names or e-mails
)");

  CLI::App* rules_cmd = app.add_subcommand("rules", "Rule tooling: test, lint, list");
  rules_cmd->require_subcommand(1);
  rules_cmd->footer(kRulesFooter);
  std::vector<std::string> rule_paths;
  CLI::App* rules_test = rules_cmd->add_subcommand(
      "test", "Run each rule file's fixtures (x.yaml beside x.c, ...; `ruleid:`/`ok:` annotations). Exit 1 on a failure");
  rules_test->add_option("PATH", rule_paths, "Rule files or folders")->required();
  rules_test->footer(kRulesTestFooter);
  CLI::App* rules_lint = rules_cmd->add_subcommand("lint", "Validate rule files (file:line:col errors, exit 2)");
  rules_lint->add_option("PATH", rule_paths, "Rule files or folders")->required();
  rules_lint->footer(kRulesLintFooter);
  CLI::App* rules_list = rules_cmd->add_subcommand("list", "List the rules that would run (bundled packs by default)");
  rules_list->add_option("PATH", rule_paths, "Rule files or folders");
  rules_list->footer(kRulesListFooter);

  CLI::App* roster_cmd = app.add_subcommand("roster", "Roster tooling");
  roster_cmd->require_subcommand(1);
  std::string roster_file;
  CLI::App* roster_check = roster_cmd->add_subcommand("check", "Validate a roster; every problem as file:line:col");
  roster_check->add_option("FILE", roster_file, "Roster file (YAML or CSV)")->required();
  roster_cmd->footer(kRosterFooter);
  roster_check->footer(kRosterFooter);

  CLI::App* policy_cmd = app.add_subcommand("policy", "Policy tooling");
  policy_cmd->require_subcommand(1);
  std::string policy_file, policy_roster, policy_repo;
  CLI::App* policy_check = policy_cmd->add_subcommand(
      "check", "Validate a policy against a roster; print, per path rule, who may contribute");
  policy_check->add_option("FILE", policy_file, "Policy file (YAML)")->required()->check(CLI::ExistingFile);
  policy_check->add_option("--roster", policy_roster, "Roster file (YAML)")->required()->check(CLI::ExistingFile);
  policy_check->add_option("--repo", policy_repo, "A repository: warn about globs that match no path at its HEAD");
  policy_cmd->footer(kPolicyFooter);
  policy_check->footer(kPolicyFooter);

  BlameArgs blame_args;
  CLI::App* blame_cmd = app.add_subcommand(
      "blame", "Who wrote the lines alive at REV (one pass over history), summed by person or a roster attribute");
  blame_cmd->add_option("REPO", blame_args.repo, "Repository (default: .)");
  blame_cmd->add_option("--rev", blame_args.rev, "Revision whose lines are attributed")->capture_default_str();
  blame_cmd->add_option("--roster", blame_args.roster, "Roster (YAML or CSV); without it everyone is unattributed")
      ->check(CLI::ExistingFile);
  blame_cmd->add_option("--mailmap", blame_args.mailmap, "A .mailmap to resolve identities with")
      ->check(CLI::ExistingFile);
  blame_cmd->add_option("--by", blame_args.by, "Sum by person, role, citizenship, location, employer, clearance or residency")
      ->check(CLI::IsMember(scan::alive_groupings()))
      ->capture_default_str();
  blame_cmd->add_option("--format", blame_args.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  blame_cmd->footer(kBlameFooter);

  CLI::App* version_cmd = app.add_subcommand("version", "Print the version");
  version_cmd->footer(kVersionFooter);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kError;
  }
  try {
    if (*scan_cmd) return run_scan_command(scan_args, false);
    if (*audit_cmd) return run_scan_command(audit_args, true);
    if (*rules_test) return run_rules_test(rule_paths);
    if (*rules_lint) return run_rules_lint(rule_paths);
    if (*rules_list) return run_rules_list(rule_paths);
    if (*roster_check) return run_roster_check(roster_file);
    if (*blame_cmd) return run_blame(blame_args);
    if (*policy_check) return run_policy_check(policy_file, policy_roster, policy_repo);
    if (*version_cmd) {
      std::cout << "provscan " << PROVSCAN_VERSION << '\n';
      return kClean;
    }
  } catch (const std::exception& e) {
    std::cerr << "provscan: error: " << e.what() << '\n';
    return kError;
  } catch (...) {
    std::cerr << "provscan: error: unknown failure\n";
    return kError;
  }
  return kError;
}
