#pragma once
// Trojan Source checks over one line of text (Boucher and Anderson, 2021; CVE-2021-42574 and
// CVE-2021-42694). Free functions over bytes so they are tested without the engine. Each is
// linear in the line's length, decodes UTF-8 itself (invalid bytes are skipped, never fatal)
// and returns a short description of the first problem, or nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace provscan::scan {

// ---- bidi-control ---------------------------------------------------------------------------

enum BidiSet : unsigned {
  kBidiEmbeddings = 1,  // U+202A..U+202E: LRE, RLE, PDF, LRO, RLO
  kBidiIsolates = 2,    // U+2066..U+2069: LRI, RLI, FSI, PDI
  kBidiMarks = 4,       // U+061C ALM, U+200E LRM, U+200F RLM (no nesting; common in RTL prose)
};

struct BidiOptions {
  unsigned sets = kBidiEmbeddings | kBidiIsolates;
  // Report only lines where an embedding, override or isolate is still open at the end of the
  // line: what reorders the code after a comment or string (the clang-tidy
  // misc-misleading-bidirectional criterion). Otherwise every line holding a control.
  bool unterminated_only = false;
};

std::optional<std::string> bidi_in_line(std::string_view line, const BidiOptions& opt);

// ---- invisible-character --------------------------------------------------------------------

enum InvisibleClass : unsigned {
  kZeroWidth = 1,            // U+200B..U+200D, U+2060..U+2064, U+180E
  kInnerBom = 2,             // U+FEFF anywhere but the first bytes of the file
  kSoftHyphen = 4,           // U+00AD
  kHangulFiller = 8,         // U+3164, U+FFA0; U+115F/U+1160 unless part of a jamo sequence
  kTagCharacters = 16,       // U+E0000..U+E007F, except in an emoji tag sequence after U+1F3F4
  kVariationSelectors = 32,  // U+FE00..FE0F, U+E0100..E01EF where no glyph can take them
};

struct InvisibleOptions {
  unsigned classes = kZeroWidth | kInnerBom | kSoftHyphen | kHangulFiller | kTagCharacters | kVariationSelectors;
  // ZWJ/ZWNJ between two non-ASCII characters (emoji sequences, Persian or Indic words) are
  // writing, not hiding.
  bool allow_script_joiners = true;
};

// `first_line` says whether the line starts the file (a BOM there is allowed).
std::optional<std::string> invisible_in_line(std::string_view line, bool first_line, const InvisibleOptions& opt);

// ---- homoglyph-identifier -------------------------------------------------------------------

struct HomoglyphOptions {
  // An identifier-like token mixing Latin letters with Cyrillic, Greek or Armenian letters that
  // look Latin (`раssword`), or with Cherokee or mathematical alphanumerics.
  bool mixed = true;
  // A token written only in look-alike letters of one other script (Cyrillic `сосо`), on a
  // line that also has Latin identifiers and no ordinary word of that script (so Russian or
  // Greek prose is left alone).
  bool confusable_only = true;
  std::size_t min_length = 3;  // shortest confusable-only token reported
};

std::optional<std::string> homoglyph_in_line(std::string_view line, const HomoglyphOptions& opt);

}  // namespace provscan::scan
