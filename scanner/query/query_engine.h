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
//
// Prefilter. Parsing is what a scan of history pays for (every version of every changed file),
// and most files cannot match most rules. A predicate that holds on a node says what the
// node's text is (#eq?), what it is one of (#any-of?), or, for most #match? regexes, words it
// contains: when every match of a pattern has that capture (tree-sitter's capture quantifier
// One or OneOrMore: not under `?`/`*`, not in only some branches of an alternation), one of
// those words stands in the file. Before parsing, one Hyperscan pass finds which of all the
// rules' words a blob holds; a rule none of whose patterns can match is not run, and a blob
// no rule can match is not parsed (nor noted as too large or timed out: nothing in it could
// have been reported). Negated predicates, capture-against-capture #eq?, words under two bytes
// and anonymous nodes in a pattern ("eval": error recovery inserts zero-width MISSING tokens,
// so the word need not be in the text) require nothing. Hits are the same with and without;
// QueryLimits::prefilter = false, or PROVSCAN_QUERY_PREFILTER=0 in the environment (read by
// make_query_engine, for benchmarks), turns it off.
//
// Incremental parsing. A history scan sees version after version of the same big file, each a
// small edit of one seen before. A detector keeps its last kKeptParses trees of blobs of
// kMinIncrementalBytes or more, by path, and parses the next version at that path as an edit
// of the kept one (the span between their common prefix and suffix), which tree-sitter does in
// time proportional to the change, reusing the untouched subtrees. The tree is the one a fresh
// parse gives; where the new tree has an error node (error recovery depends on the way the
// parser came), it is parsed afresh instead. (A version whose fresh parse would run over the
// time bound may parse in time this way.) QueryLimits::incremental = false, or
// PROVSCAN_QUERY_INCREMENTAL=0, turns it off.
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
  bool prefilter = true;  // skip rules, and parses, that cannot match (see above)
  bool incremental = true;  // reparse a path's new version from its last tree (see above)
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
// Incremental parsing: trees kept per detector, the smallest blob worth keeping, and the most
// text kept at once (the trees take some twenty times as much).
inline constexpr std::size_t kKeptParses = 8;
inline constexpr std::size_t kMinIncrementalBytes = 16u << 10;
inline constexpr std::size_t kMaxKeptBytes = 2u << 20;

}  // namespace provscan::scan
