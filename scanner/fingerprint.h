#pragma once
// The fingerprint of a finding, on its own so that what computes findings (policy, suppression,
// the pipeline) does not need the pipeline and its engines to link.
#include <string>
#include <string_view>

namespace provscan::scan {

// Stable identity of a finding across line shifts: rule, path, the trimmed text of the
// matched lines and the occurrence number of that text in the commit.
std::string fingerprint(std::string_view rule_id, std::string_view path, std::string_view snippet,
                        unsigned occurrence);

}  // namespace provscan::scan
