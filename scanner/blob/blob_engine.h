#pragma once
// Blob checks (`engine: blob`), each a named `check` tuned by `options`:
//   executable-magic   an ELF, PE or Mach-O executable (or Java class) committed as a file.
//   compressed-or-high-entropy
//                      compressed data (xz, gzip, zstd, ...) or bytes whose entropy is at least
//                      options.min_entropy bits/byte (default 7.2) in a blob of at least
//                      options.min_bytes bytes (default 512): the xz-utils "test file" pattern.
// Rule `paths` choose where a check applies (for example source and test folders).
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

std::unique_ptr<Engine> make_blob_engine(const rules::RuleSet& rules);
std::vector<std::string> blob_check_names();

}  // namespace provscan::scan
