#pragma once
// C/C++ AST matchers on Clang LibTooling (rules with `engine: clang`). This header names no
// Clang type: Clang headers are parsed only by this folder's translation unit(s).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// Bounds of one parse. A blob over max_parse_bytes is not parsed (Skipped "parse-limit"); a
// parse still running after parse_timeout_ms is stopped at the next token and its matchers do
// not run (Skipped "parse-timeout"). Both are incomplete: that blob's C/C++ checks did not run.
// Memory follows input size (Clang's AST is a small multiple of it), so the byte limit is also
// the memory bound.
inline constexpr std::size_t kMaxClangParseBytes = 8u << 20;
inline constexpr std::uint32_t kClangParseTimeoutMillis = 10'000;

struct ClangLimits {
  std::size_t max_parse_bytes = kMaxClangParseBytes;
  std::uint32_t parse_timeout_ms = kClangParseTimeoutMillis;
};

// Checks each `engine: clang` rule's `matcher` name and `options`; throws
// InputError("file:line:col: rule ID: ...") for an unknown matcher or bad option.
std::unique_ptr<Engine> make_clang_engine(const rules::RuleSet& rules, ClangLimits limits = {});

// Names of the available matchers, sorted.
std::vector<std::string> clang_matcher_names();

}  // namespace provscan::scan
