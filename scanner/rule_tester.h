#pragma once
// `provscan rules test`: runs each rule file's sibling fixtures and compares hits with the
// fixtures' annotations (semgrep's convention):
//   a comment containing `ruleid: ID` marks the next code line as one where ID must match;
//   a comment containing `ok: ID` marks the next code line as one where ID must not match;
//   a hit of a tested rule on any other line is unexpected.
// Fixtures of a rule file `x.yaml` are the files `x.*` beside it. A fixture whose first lines
// contain `provscan-test-path: PATH` is scanned as if it stood at PATH (for rules with path
// filters); otherwise at its own file name. Whole-file (blob) rules use fixture folders
// `x.match/` (every file inside must match) and `x.ok/` (no file may), each file scanned at
// its path relative to that folder (so `x.match/tests/data.xz` is scanned as tests/data.xz).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace provscan::scan {

struct RuleTestReport {
  std::vector<std::string> lines;  // human-readable, one per check or failure
  unsigned rules_tested = 0;
  unsigned expectations = 0;
  unsigned failures = 0;      // failed checks
  unsigned rules_failed = 0;  // rules with at least one failed check
  unsigned fixtures = 0;
};

// Throws InputError for a bad rule file or an engine that rejects a rule.
RuleTestReport run_rule_tests(const std::vector<std::string>& paths);

// The path a fixture is scanned at: its `provscan-test-path: PATH` (in its first 1 KiB) or its
// file name.
std::string test_path_of(const std::filesystem::path& fixture, std::string_view content);

}  // namespace provscan::scan
