#pragma once
// Blob checks (`engine: blob`), each a named `check` tuned by `options`:
//   executable-magic   an ELF, PE or Mach-O executable (or Java class) committed as a file.
//   compressed-or-high-entropy
//                      compressed data (xz, gzip, zstd, ...) or bytes whose entropy is at least
//                      options.min_entropy bits/byte (default 7.2) in a blob of at least
//                      options.min_bytes bytes (default 512): the xz-utils "test file" pattern.
//   object-or-archive  object files and archives: options.categories from object (ELF .o,
//                      Mach-O object, COFF .obj, Java class, wasm), shared-library (ELF .so,
//                      PE DLL, dylib), static-library (ar), archive (zip/jar/whl, tar, 7z, rar),
//                      compressed (gzip, xz, zstd, bzip2, lzma, lz4); default object,
//                      static-library and archive.
//   extension-mismatch content that contradicts the file name. options.cases from
//                      text-holds-binary (a source or text extension holding a binary format)
//                      and missing-magic (.png, .zip, .gz, .o, ... without their signature);
//                      default both.
//   high-entropy       some window of options.window bytes (default 4096, stepped by half)
//                      reaches options.min_entropy bits/byte (default 7.2); blobs of a known
//                      format are left to the checks above unless skip_known_formats is false.
//   encoded-string     per line of a text file: a run of at least options.min_length (default
//                      1024) characters of options.encodings (base64, hex, escaped-bytes for
//                      \xNN runs; default all). Inline `data:...;base64,` images are not counted;
//                      key and certificate files, source maps, notebooks and lock files are left
//                      out with the rule's `paths.exclude`.
// Rule `paths` choose where a check applies (for example source and test folders). Whole-blob
// checks report line 0 (the file as a whole); encoded-string reports lines.
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// More line hits than this for one rule in one blob are dropped, with a `match-cap` note.
inline constexpr std::size_t kMaxBlobHitsPerRulePerBlob = 1000;

std::unique_ptr<Engine> make_blob_engine(const rules::RuleSet& rules);
std::vector<std::string> blob_check_names();

}  // namespace provscan::scan
