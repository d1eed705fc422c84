#pragma once
// Text checks (`engine: text`): Trojan Source hazards in any text file, reported per line.
// Each rule names a `check` tuned by `options`:
//   bidi-control          bidirectional controls. options: controls: [embeddings, isolates,
//                         marks] (default embeddings and isolates); report: any | unterminated
//                         (default any: every line holding one; unterminated: only lines that
//                         end with an embedding, override or isolate still open).
//   invisible-character   characters drawn as nothing. options: classes: [zero-width, bom,
//                         soft-hyphen, hangul-filler, tags, variation-selectors] (default all);
//                         allow_script_joiners: true|false (default true: ZWJ/ZWNJ between two
//                         non-ASCII characters are emoji or script writing).
//   homoglyph-identifier  identifier-like tokens mixing Latin with look-alike letters of another
//                         script, or spelt only in look-alikes. options: mixed: true|false,
//                         confusable_only: true|false (both default true), min_length (3).
// Binary blobs are left to the blob checks. Bad names or options throw InputError
// ("file:line:col: rule ID: reason") when the engine is built.
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// More hits than this for one rule in one blob are dropped, with a `match-cap` note.
inline constexpr std::size_t kMaxTextHitsPerRulePerBlob = 1000;

std::unique_ptr<Engine> make_text_engine(const rules::RuleSet& rules);
std::vector<std::string> text_check_names();

}  // namespace provscan::scan
