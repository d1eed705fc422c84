#pragma once
// Signature rules (`engine: signature`): every literal and regex of the rule set compiled into
// ONE Hyperscan database, scanned over each target once. No Hyperscan type leaves this folder.
#include <cstddef>
#include <memory>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// provscan's own limits on the signature database, on top of what Hyperscan refuses (the
// loader limits each regex or literal to 8192 bytes). Compilation cannot be interrupted, so the
// time is measured and a rule set over the limit is refused after the fact (a watchdog on the
// process has to bound the wait itself).
struct SignatureLimits {
  double max_compile_seconds = 20.0;                 // the whole database
  std::size_t max_database_bytes = std::size_t{64} << 20;  // hs_database_size()
};

// Throws InputError("file:line:col: rule ID: Hyperscan rejected the pattern: ...") naming the
// rule whose expression failed to compile, and InputError for a database over `limits`:
//   "file:line:col: rule ID: pattern takes N s to compile (limit M s)" /
//   "file:line:col: rule ID: pattern compiles to a N MiB Hyperscan database (limit M MiB)"
// naming the rule that is over the limit on its own (each rule is compiled alone to find it),
// or "signature rules: ..." listing the heaviest rules when none is over it alone.
// The database comes from the Hyperscan cache when it holds one (see hs_cache.h).
std::unique_ptr<Engine> make_signature_engine(const rules::RuleSet& rules, const SignatureLimits& limits = {});

// Limits that keep a hostile blob from flooding the scan with matches.
inline constexpr std::size_t kMaxHitsPerRulePerBlob = 1000;
inline constexpr std::size_t kMaxCallbacksPerBlob = 4'000'000;

}  // namespace provscan::scan
