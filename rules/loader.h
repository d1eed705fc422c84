#pragma once
#include <string>
#include <vector>

#include "rules/rule.h"

namespace provscan::rules {

// The rule files a path names: the file itself, or every `*.yaml` below a folder except
// fixtures (`x.test.yaml` beside `x.yaml`, and anything inside `x.match/` or `x.ok/`).
// Throws InputError for a path that does not exist.
std::vector<std::string> rule_files(const std::string& path);

// Loads rules from files and folders (see rule_files).
// Throws InputError("file:line:col: message") for the first invalid rule. Duplicate ids across
// files are an error.
RuleSet load_rules(const std::vector<std::string>& paths);

// Parses one rule file's text (used by load_rules and tests); `file` names it in errors.
std::vector<Rule> parse_rule_file(const std::string& file, const std::string& text);

// Where the bundled packs are: $PROVSCAN_PACKS if set, else the packs installed beside the
// binary (../share/provscan/packs), else the source tree's rules/packs.
std::string default_packs_dir();

}  // namespace provscan::rules
