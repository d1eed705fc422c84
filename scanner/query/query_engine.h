#pragma once
// Tree-sitter queries (rules with `engine: query`). No tree-sitter type leaves this folder.
//
// Rule positions. Errors point into the rule file: `rule.query_pos` is taken to be the
// position of byte 0 of `rule.query`, and every later line of the query is taken to start at
// column `query_pos.col` (true for a YAML block scalar, `query: |`, whose indentation the
// loader strips; a one-line scalar has no later lines). Columns count bytes.
//
// Query language: tree-sitter's S-expressions, plus these predicates, which provscan (not
// tree-sitter) evaluates; any other predicate is an error when the rule is loaded:
//   (#eq? @a "text")   (#eq? @a @b)   (#not-eq? ...)      exact text equality
//   (#match? @a "re")  (#not-match? @a "re")              PCRE2, unanchored search, bytes
//                                                         (no UTF), match and depth limits
//   (#any-of? @a "x" "y" ...)  (#not-any-of? ...)         membership in a set of strings
// - A predicate on a quantified capture (`@a+`, `@a*`) must hold for every node of that
//   capture in the match; against a second capture, for every pair of nodes. A capture with
//   no node in the match (an unmatched `?`/`*`) satisfies every predicate on it.
// - Tree-sitter unescapes query strings itself and keeps only \n \r \t \0 \" \\: write
//   "\\d" for the regex \d.
// - A predicate group at the top level, after a pattern (`(call ...) @x\n(#eq? @x "y")`, as
//   INTERFACE.md writes it), applies to the pattern just before it.
// - Every pattern needs a capture. A match is reported on the lines of its `@match` capture
//   if it has one, else on the lines spanned by all its captures. Matches of one rule with the
//   same line span in one blob are reported once.
// - A regex that hits its limit on some node makes that match unreported, with a Skipped note
//   (kind "regex-limit", not incomplete).
//
// Bounds per blob: a parse over QueryLimits::parse_timeout_micros (kQueryParseTimeoutMicros),
// or content over kMaxQueryParseBytes, is a Skipped entry ("timeout" / "blob-too-large",
// incomplete; a timed-out parse reports nothing for the blob); more than
// kMaxQueryHitsPerRulePerBlob hits of one rule adds a "match-cap" note (not incomplete).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

inline constexpr std::uint64_t kQueryParseTimeoutMicros = 2'000'000;

// Bounds a detector applies; the defaults are what scans use. Tests shrink them to reach the
// limits with small inputs.
struct QueryLimits {
  std::uint64_t parse_timeout_micros = kQueryParseTimeoutMicros;
};

// Compiles every `engine: query` rule of the set for each of its languages. Throws
// InputError("file:line:col: rule ID: ...") for a query that does not compile or names a
// language without a grammar, pointing at the offending place inside the query text.
// The engine keeps pointers to the rules: `rules` must outlive it and its detectors.
std::unique_ptr<Engine> make_query_engine(const rules::RuleSet& rules,
                                          const QueryLimits& limits = {});

// Languages with a bundled grammar (sorted), and a check for one.
std::vector<std::string> grammar_languages();
bool has_grammar(std::string_view language) noexcept;

inline constexpr std::size_t kMaxQueryParseBytes = 8u << 20;
inline constexpr std::size_t kMaxQueryHitsPerRulePerBlob = 1000;
// Matches tree-sitter keeps in progress at once; past it, it drops the oldest.
inline constexpr std::uint32_t kQueryCursorMatchLimit = 1024;

}  // namespace provscan::scan
