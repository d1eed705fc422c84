#pragma once
#include <string>
#include <vector>

#include "rules/rule.h"

namespace provscan::rules {

// Loads rules from files and folders (folders are searched recursively for *.yaml/*.yml).
// Throws InputError("file:line:col: message") for the first invalid rule. Duplicate ids across
// files are an error.
RuleSet load_rules(const std::vector<std::string>& paths);

// Parses one rule file's text (used by load_rules and tests); `file` names it in errors.
std::vector<Rule> parse_rule_file(const std::string& file, const std::string& text);

// Where the bundled packs are: $PROVSCAN_PACKS if set, else the packs installed beside the
// binary (../share/provscan/packs), else the source tree's rules/packs.
std::string default_packs_dir();

}  // namespace provscan::rules
