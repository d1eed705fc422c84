#pragma once
// --baseline: findings recorded by an earlier `provscan scan --format json` are known. They stay
// in every output, marked baselined, but do not fail the gate. Matching is by fingerprint only
// (rule, path, the matched text without blanks, and its occurrence number in its commit; see
// scan::fingerprint), so what a baseline guarantees is exactly what a fingerprint does:
// - the same finding scanned again (another range, later commits on top) is known;
// - the same text re-added to the same path by a later commit, at any line or indentation, is
//   known too: line shifts do not resurrect a finding;
// - a different rule, path or matched text is new.
// The baseline is trusted input: in CI it must come from outside the change under review (the
// base branch or an artifact), never from the pull request itself.
#include <set>
#include <string>

#include "scanner/result.h"

namespace provscan::scan {

// Every findings[].fingerprint of a provscan/1 JSON report. Throws InputError, naming `file`,
// when it cannot be read, is not JSON (with line:col), is not provscan/1 JSON, or a finding has
// no non-empty string fingerprint: a baseline that cannot be trusted never passes the gate.
std::set<std::string> load_baseline_fingerprints(const std::string& file);

// Marks each finding whose fingerprint is in `known` as baselined (and every other one as not).
void apply_baseline(ScanResult& result, const std::set<std::string>& known);

}  // namespace provscan::scan
