#pragma once
// Tree-sitter queries (rules with `engine: query`). No tree-sitter type leaves this folder.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// Compiles every `engine: query` rule of the set for each of its languages. Throws
// InputError("file:line:col: rule ID: ...") for a query that does not compile or names a
// language without a grammar, pointing at the offending place inside the query text.
std::unique_ptr<Engine> make_query_engine(const rules::RuleSet& rules);

// Languages with a bundled grammar (sorted), and a check for one.
std::vector<std::string> grammar_languages();
bool has_grammar(std::string_view language) noexcept;

}  // namespace provscan::scan
