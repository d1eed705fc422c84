#pragma once
// C/C++ AST matchers on Clang LibTooling (rules with `engine: clang`). This header names no
// Clang type: Clang headers are parsed only by this folder's translation unit(s).
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// Checks each `engine: clang` rule's `matcher` name and `options`; throws
// InputError("file:line:col: rule ID: ...") for an unknown matcher or bad option.
std::unique_ptr<Engine> make_clang_engine(const rules::RuleSet& rules);

// Names of the available matchers, sorted.
std::vector<std::string> clang_matcher_names();

}  // namespace provscan::scan
