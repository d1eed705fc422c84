#include "scanner/text/text_checks.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "scanner/text/utf8.h"

namespace provscan::scan {

namespace {

using utf8::kInvalidCodePoint;

std::string_view name_of(char32_t cp) noexcept {
  switch (cp) {
    case 0x202A: return "LEFT-TO-RIGHT EMBEDDING";
    case 0x202B: return "RIGHT-TO-LEFT EMBEDDING";
    case 0x202C: return "POP DIRECTIONAL FORMATTING";
    case 0x202D: return "LEFT-TO-RIGHT OVERRIDE";
    case 0x202E: return "RIGHT-TO-LEFT OVERRIDE";
    case 0x2066: return "LEFT-TO-RIGHT ISOLATE";
    case 0x2067: return "RIGHT-TO-LEFT ISOLATE";
    case 0x2068: return "FIRST STRONG ISOLATE";
    case 0x2069: return "POP DIRECTIONAL ISOLATE";
    case 0x061C: return "ARABIC LETTER MARK";
    case 0x200E: return "LEFT-TO-RIGHT MARK";
    case 0x200F: return "RIGHT-TO-LEFT MARK";
    case 0x200B: return "ZERO WIDTH SPACE";
    case 0x200C: return "ZERO WIDTH NON-JOINER";
    case 0x200D: return "ZERO WIDTH JOINER";
    case 0x2060: return "WORD JOINER";
    case 0x2061: return "FUNCTION APPLICATION";
    case 0x2062: return "INVISIBLE TIMES";
    case 0x2063: return "INVISIBLE SEPARATOR";
    case 0x2064: return "INVISIBLE PLUS";
    case 0x180E: return "MONGOLIAN VOWEL SEPARATOR";
    case 0xFEFF: return "ZERO WIDTH NO-BREAK SPACE (BOM)";
    case 0x00AD: return "SOFT HYPHEN";
    case 0x3164: return "HANGUL FILLER";
    case 0xFFA0: return "HALFWIDTH HANGUL FILLER";
    case 0x115F: return "HANGUL CHOSEONG FILLER";
    case 0x1160: return "HANGUL JUNGSEONG FILLER";
    default: break;
  }
  if (cp >= 0xE0000 && cp <= 0xE007F) return "TAG CHARACTER";
  if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)) return "VARIATION SELECTOR";
  return "";
}

std::string describe(char32_t cp) {
  const std::string_view n = name_of(cp);
  return n.empty() ? fmt::format("U+{:04X}", static_cast<std::uint32_t>(cp))
                   : fmt::format("U+{:04X} {}", static_cast<std::uint32_t>(cp), n);
}

bool ascii(unsigned char c) noexcept { return c < 0x80; }

// ---- scripts for homoglyphs ------------------------------------------------------------------

enum class Script { None, Common, Latin, Greek, Cyrillic, Armenian, Cherokee, Math, Other };

Script script_of(char32_t cp) noexcept {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return Script::Latin;
    if ((cp >= '0' && cp <= '9') || cp == '_' || cp == '$') return Script::Common;
    return Script::None;
  }
  if (cp == kInvalidCodePoint) return Script::None;
  if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x250 && cp <= 0x2AF) ||
      (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2C60 && cp <= 0x2C7F) || (cp >= 0xA720 && cp <= 0xA7FF) ||
      (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
    return Script::Latin;
  if (cp >= 0x300 && cp <= 0x36F) return Script::Common;  // combining marks join any script
  if (cp == 0x37E || cp == 0x387) return Script::None;    // Greek question mark and ano teleia: punctuation
  if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1F00 && cp <= 0x1FFF)) return Script::Greek;
  if ((cp >= 0x400 && cp <= 0x52F) || (cp >= 0x1C80 && cp <= 0x1C8F) || (cp >= 0x2DE0 && cp <= 0x2DFF) ||
      (cp >= 0xA640 && cp <= 0xA69F))
    return Script::Cyrillic;
  if (cp >= 0x531 && cp <= 0x588) return Script::Armenian;
  if ((cp >= 0x13A0 && cp <= 0x13FF) || (cp >= 0xAB70 && cp <= 0xABBF)) return Script::Cherokee;
  if (cp >= 0x1D400 && cp <= 0x1D7FF) return Script::Math;
  // Punctuation, symbols, spaces and format characters end a token; other letters (CJK, ...)
  // belong to tokens but are not confused with Latin.
  if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
      (cp >= 0xFF00 && cp <= 0xFF20) || (cp >= 0xE0000 && cp <= 0xE01EF) || (cp >= 0x1F000 && cp <= 0x1FAFF))
    return Script::None;
  return Script::Other;
}

// Letters of other scripts drawn like Latin letters (after Unicode's confusables.txt, kept to
// the unmistakable ones).
constexpr std::array<char32_t, 36> kCyrillicLookalikes = {
    0x0405, 0x0406, 0x0408, 0x0410, 0x0412, 0x0415, 0x041A, 0x041C, 0x041D, 0x041E, 0x0420, 0x0421,
    0x0422, 0x0423, 0x0425, 0x0430, 0x0435, 0x043E, 0x0440, 0x0441, 0x0443, 0x0445, 0x0455, 0x0456,
    0x0458, 0x0461, 0x04AE, 0x04AF, 0x04BB, 0x04C0, 0x04CF, 0x0501, 0x051A, 0x051B, 0x051C, 0x051D};
constexpr std::array<char32_t, 23> kGreekLookalikes = {
    0x0391, 0x0392, 0x0395, 0x0396, 0x0397, 0x0399, 0x039A, 0x039C, 0x039D, 0x039F, 0x03A1, 0x03A4,
    0x03A5, 0x03A7, 0x03B1, 0x03B9, 0x03BA, 0x03BD, 0x03BF, 0x03C1, 0x03C5, 0x03F2, 0x03F3};
constexpr std::array<char32_t, 8> kArmenianLookalikes = {0x0555, 0x0561, 0x0566, 0x0570, 0x0578, 0x057D, 0x0581, 0x0585};

bool lookalike(Script s, char32_t cp) noexcept {
  auto in = [cp](const auto& table) { return std::binary_search(table.begin(), table.end(), cp); };
  switch (s) {
    case Script::Cyrillic: return in(kCyrillicLookalikes);
    case Script::Greek: return in(kGreekLookalikes);
    case Script::Armenian: return in(kArmenianLookalikes);
    case Script::Cherokee:
    case Script::Math: return true;
    default: return false;
  }
}

std::string_view script_name(Script s) noexcept {
  switch (s) {
    case Script::Greek: return "Greek";
    case Script::Cyrillic: return "Cyrillic";
    case Script::Armenian: return "Armenian";
    case Script::Cherokee: return "Cherokee";
    case Script::Math: return "mathematical alphanumeric";
    default: return "other";
  }
}

// At most `max` bytes of a token, cut on a character boundary.
std::string_view clip(std::string_view s, std::size_t max = 64) noexcept {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

// ---- bidi-control ---------------------------------------------------------------------------

std::optional<std::string> bidi_in_line(std::string_view line, const BidiOptions& opt) {
  std::size_t count = 0, col = 0, first_col = 0;
  char32_t first = 0;
  std::vector<bool> open;  // true = isolate, false = embedding or override
  std::size_t isolates_open = 0;
  for (std::size_t pos = 0; pos < line.size();) {
    ++col;
    if (ascii(static_cast<unsigned char>(line[pos]))) {
      ++pos;
      continue;
    }
    const char32_t cp = utf8::next(line, pos);
    const bool embedding = cp >= 0x202A && cp <= 0x202E;
    const bool isolate = cp >= 0x2066 && cp <= 0x2069;
    const bool mark = cp == 0x061C || cp == 0x200E || cp == 0x200F;
    if (!((embedding && (opt.sets & kBidiEmbeddings)) || (isolate && (opt.sets & kBidiIsolates)) ||
          (mark && (opt.sets & kBidiMarks))))
      continue;
    if (count++ == 0) first = cp, first_col = col;
    if (cp == 0x202C) {  // PDF closes the innermost embedding, never across an isolate
      if (!open.empty() && !open.back()) open.pop_back();
    } else if (cp == 0x2069) {  // PDI closes the innermost isolate and every embedding inside it
      if (isolates_open) {
        while (!open.back()) open.pop_back();
        open.pop_back();
        --isolates_open;
      }
    } else if (embedding) {
      open.push_back(false);
    } else if (isolate) {
      open.push_back(true);
      ++isolates_open;
    }
  }
  if (count == 0) return std::nullopt;
  const bool unterminated = !open.empty();
  if (opt.unterminated_only && !unterminated) return std::nullopt;
  std::string d = count == 1 ? fmt::format("{} at column {}", describe(first), first_col)
                             : fmt::format("{} bidi controls, first {} at column {}", count, describe(first), first_col);
  if (unterminated) d += fmt::format(", {} left open at the end of the line", open.size());
  return d;
}

// ---- invisible-character --------------------------------------------------------------------

std::optional<std::string> invisible_in_line(std::string_view line, bool first_line, const InvisibleOptions& opt) {
  std::size_t count = 0, col = 0, first_col = 0;
  char32_t first = 0;
  char32_t prev = '\n';  // the line start behaves like white space
  bool flag_tag_sequence = false;  // inside U+1F3F4 + tags + U+E007F (subdivision flags)
  std::string hidden_text;         // ASCII spelled by tag characters: the smuggled message
  for (std::size_t pos = 0; pos < line.size();) {
    ++col;
    if (ascii(static_cast<unsigned char>(line[pos]))) {
      prev = static_cast<unsigned char>(line[pos++]);
      flag_tag_sequence = false;
      continue;
    }
    const std::size_t at = pos;
    const char32_t cp = utf8::next(line, pos);
    auto peek = [&]() -> char32_t {
      if (pos >= line.size()) return '\n';
      std::size_t p = pos;
      return utf8::next(line, p);
    };
    bool report = false;
    if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0x180E) {
      report = opt.classes & kZeroWidth;
      if (report && opt.allow_script_joiners && (cp == 0x200C || cp == 0x200D)) {
        const char32_t next = peek();
        report = !(prev >= 0x80 && prev != kInvalidCodePoint && next >= 0x80 && next != kInvalidCodePoint &&
                   next != '\n');
      }
    } else if (cp == 0xFEFF) {
      report = (opt.classes & kInnerBom) && !(first_line && at == 0);
    } else if (cp == 0x00AD) {
      report = opt.classes & kSoftHyphen;
    } else if (cp == 0x3164 || cp == 0xFFA0) {
      report = opt.classes & kHangulFiller;
    } else if (cp == 0x115F || cp == 0x1160) {
      const char32_t next = peek();
      auto jamo = [](char32_t c) { return c >= 0x1100 && c <= 0x11FF && c != 0x115F && c != 0x1160; };
      report = (opt.classes & kHangulFiller) && !jamo(prev) && !jamo(next);
    } else if (cp >= 0xE0000 && cp <= 0xE007F) {
      if (prev == 0x1F3F4) flag_tag_sequence = true;
      report = (opt.classes & kTagCharacters) && !flag_tag_sequence;
      if (report && cp >= 0xE0020 && cp < 0xE007F && hidden_text.size() < 60)
        hidden_text.push_back(static_cast<char>(cp - 0xE0000));
      if (cp == 0xE007F) flag_tag_sequence = false;
    } else if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)) {
      // One selector may follow a character that has variants (emoji, CJK, keycap digits, # and
      // *). A selector after a plain letter, after another selector or on its own carries no
      // glyph and is how data is smuggled inside text.
      const bool prev_selector = (prev >= 0xFE00 && prev <= 0xFE0F) || (prev >= 0xE0100 && prev <= 0xE01EF);
      const bool keycap_base = (prev >= '0' && prev <= '9') || prev == '#' || prev == '*';
      report = (opt.classes & kVariationSelectors) &&
               (prev_selector || prev == kInvalidCodePoint || (prev < 0x80 && !keycap_base));
    }
    if (!(cp >= 0xE0000 && cp <= 0xE007F)) flag_tag_sequence = flag_tag_sequence && cp == 0x1F3F4;
    prev = cp;
    if (!report) continue;
    if (count++ == 0) first = cp, first_col = col;
  }
  if (count == 0) return std::nullopt;
  std::string d = fmt::format("{} at column {}", describe(first), first_col);
  if (count > 1) d += fmt::format(", {} invisible characters on the line", count);
  if (!hidden_text.empty()) d += fmt::format(", tag characters spell \"{}\"", hidden_text);
  return d;
}

// ---- homoglyph-identifier -------------------------------------------------------------------

namespace {

struct Token {
  std::size_t start = 0, start_col = 0, letters = 0, latin = 0;
  std::size_t lookalikes = 0;  // lookalike letters of other scripts
  std::size_t plain_other = 0;  // other-script letters that look like nothing Latin
  Script other = Script::None;  // the one non-Latin script, or Other when several
  char32_t first_lookalike = 0;
  std::size_t first_lookalike_col = 0;
};

}  // namespace

std::optional<std::string> homoglyph_in_line(std::string_view line, const HomoglyphOptions& opt) {
  std::optional<std::string> mixed_hit, confusable_hit;
  Script confusable_script = Script::None;
  bool latin_identifier = false;   // an ASCII-lettered token of two or more letters
  unsigned prose_scripts = 0;      // bit per Script with an ordinary word on this line
  Token tok;
  bool in_token = false;
  std::size_t col = 0;

  auto finish = [&](std::size_t end) {
    in_token = false;
    const std::string_view text = line.substr(tok.start, end - tok.start);
    if (tok.latin >= 2 && tok.lookalikes == 0 && tok.plain_other == 0) latin_identifier = true;
    if (tok.plain_other && tok.other != Script::Other) prose_scripts |= 1u << static_cast<unsigned>(tok.other);
    if (tok.lookalikes == 0) return;
    const bool math_or_cherokee = tok.other == Script::Math || tok.other == Script::Cherokee;
    if (opt.mixed && !mixed_hit && (tok.latin > 0 || (math_or_cherokee && tok.letters >= 2)))
      mixed_hit = fmt::format("'{}' mixes {}{} letters ({} at column {})", clip(text),
                              tok.latin ? "Latin and " : "", script_name(tok.other), describe(tok.first_lookalike),
                              tok.first_lookalike_col);
    if (opt.confusable_only && !confusable_hit && tok.latin == 0 && tok.plain_other == 0 &&
        tok.other != Script::Other && !math_or_cherokee && tok.lookalikes >= opt.min_length) {
      confusable_hit = fmt::format("'{}' is written only in {} letters that look Latin", clip(text),
                                   script_name(tok.other));
      confusable_script = tok.other;
    }
  };

  std::size_t pos = 0;
  while (pos < line.size()) {
    const std::size_t at = pos;
    ++col;
    const char32_t cp = ascii(static_cast<unsigned char>(line[pos])) ? static_cast<unsigned char>(line[pos++])
                                                                     : utf8::next(line, pos);
    const Script s = script_of(cp);
    if (s == Script::None) {
      if (in_token) finish(at);
      continue;
    }
    if (!in_token) {
      tok = Token{};
      tok.start = at;
      tok.start_col = col;
      in_token = true;
    }
    if (s == Script::Common) continue;
    ++tok.letters;
    if (s == Script::Latin) {
      ++tok.latin;
      continue;
    }
    tok.other = (tok.other == Script::None || tok.other == s) ? s : Script::Other;
    if (s != Script::Other && lookalike(s, cp)) {
      if (tok.lookalikes++ == 0) tok.first_lookalike = cp, tok.first_lookalike_col = col;
    } else {
      ++tok.plain_other;
    }
  }
  if (in_token) finish(line.size());
  if (mixed_hit) return mixed_hit;
  // A word spelt in look-alikes counts only in code: Latin identifiers around it and no real
  // word of its script on the line.
  if (confusable_hit && latin_identifier && !(prose_scripts & (1u << static_cast<unsigned>(confusable_script))))
    return confusable_hit;
  return std::nullopt;
}

}  // namespace provscan::scan
