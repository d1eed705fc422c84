#pragma once
// Signature rules (`engine: signature`): every literal and regex of the rule set compiled into
// ONE Hyperscan database, scanned over each target once. No Hyperscan type leaves this folder.
#include <memory>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// Throws InputError("file:line:col: rule ID: Hyperscan rejected the pattern: ...") naming the
// rule whose expression failed to compile.
std::unique_ptr<Engine> make_signature_engine(const rules::RuleSet& rules);

// Limits that keep a hostile blob from flooding the scan with matches.
inline constexpr std::size_t kMaxHitsPerRulePerBlob = 1000;
inline constexpr std::size_t kMaxCallbacksPerBlob = 4'000'000;

}  // namespace provscan::scan
