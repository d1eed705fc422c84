#include "scanner/text/text_engine.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "common/error.h"
#include "rules/loader.h"
#include "scanner/text/text_checks.h"
#include "scanner/text/utf8.h"

using namespace provscan;
using namespace provscan::scan;

namespace {
rules::RuleSet set_of(const std::string& yaml) {
  rules::RuleSet s;
  s.rules = rules::parse_rule_file("t.yaml", yaml);
  return s;
}
std::vector<Hit> run(const Engine& e, std::string_view path, std::string_view content, ScanNotes* notes = nullptr) {
  auto d = e.make_detector();
  std::vector<Hit> hits;
  ScanNotes local;
  d->scan(Target{path, "b", content, "", false}, hits, notes ? *notes : local);
  return hits;
}
const char* kRlo = "\u202E";
const char* kLri = "\u2066";
const char* kPdi = "\u2069";
// The tag character U+E0000 + c, in UTF-8.
std::string utf8_tag(char c) {
  const char32_t cp = 0xE0000 + static_cast<unsigned char>(c);
  return {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
          static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
}
}  // namespace

TEST_CASE("utf8: valid sequences decode, every malformed byte advances by one") {
  std::string s = "a\u00e9\u20ac\U0001F600";
  std::size_t pos = 0;
  CHECK(utf8::next(s, pos) == U'a');
  CHECK(utf8::next(s, pos) == U'\u00e9');
  CHECK(utf8::next(s, pos) == U'\u20ac');
  CHECK(utf8::next(s, pos) == U'\U0001F600');
  CHECK(pos == s.size());
  for (std::string bad : {std::string("\x80"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                          std::string("\xF4\x90\x80\x80"), std::string("\xE2\x80"), std::string("\xFF")}) {
    pos = 0;
    CHECK(utf8::next(bad, pos) == utf8::kInvalidCodePoint);
    CHECK(pos == 1);
  }
}

TEST_CASE("bidi-control: present versus left open at the end of the line") {
  BidiOptions any;
  CHECK(bidi_in_line(std::string("x = 1 /*") + kRlo + " } */", any));
  CHECK_FALSE(bidi_in_line("plain line", any));
  BidiOptions open;
  open.unterminated_only = true;
  const std::string balanced = std::string("s = \"") + kLri + "abc" + kPdi + "\"";
  CHECK_FALSE(bidi_in_line(balanced, open));
  CHECK(bidi_in_line(balanced, any));
  const auto d = bidi_in_line(std::string("/*") + kRlo + " } " + kLri + "if (admin)" + kPdi + " " + kLri + " */", open);
  REQUIRE(d);
  CHECK(d->find("U+202E RIGHT-TO-LEFT OVERRIDE") != std::string::npos);
  CHECK(d->find("2 left open") != std::string::npos);
  // A PDI closes the embeddings opened inside its isolate.
  CHECK_FALSE(bidi_in_line(std::string(kLri) + kRlo + "x" + kPdi, open));
  // Marks only with the marks set.
  CHECK_FALSE(bidi_in_line("role == \"admin\u200f\"", any));
  BidiOptions marks;
  marks.sets = kBidiMarks;
  CHECK(bidi_in_line("role == \"admin\u200f\"", marks));
}

TEST_CASE("invisible-character: each class, and the honest uses that are left alone") {
  InvisibleOptions all;
  CHECK(invisible_in_line("const isAdmin\u200b = 1;", false, all));
  CHECK(invisible_in_line("a\u2060b", false, all));
  CHECK_FALSE(invisible_in_line("\ufeff#include <x>", true, all));  // BOM at the start of the file
  CHECK(invisible_in_line("x\ufeffy", true, all));
  CHECK(invisible_in_line("pass\u00adword", false, all));
  CHECK(invisible_in_line("const { timeout,\u3164} = q;", false, all));
  CHECK_FALSE(invisible_in_line("\uc548\ub155", false, all));
  // Emoji ZWJ sequences and Persian ZWNJ are writing.
  CHECK_FALSE(invisible_in_line("\U0001F468\u200d\U0001F469", false, all));
  CHECK_FALSE(invisible_in_line("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", false, all));
  InvisibleOptions strict = all;
  strict.allow_script_joiners = false;
  CHECK(invisible_in_line("\U0001F468\u200d\U0001F469", false, strict));
  // Tag characters: hidden text is spelt out; an emoji subdivision flag is fine.
  std::string hidden = "note";
  for (char c : std::string("rm -rf")) hidden += utf8_tag(c);
  const auto t = invisible_in_line(hidden, false, all);
  REQUIRE(t);
  CHECK(t->find("spell \"rm -rf\"") != std::string::npos);
  CHECK_FALSE(invisible_in_line("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", false, all));
  // Variation selectors: one after an emoji or keycap digit is fine; after a letter or in a run it is smuggling.
  CHECK_FALSE(invisible_in_line("\u2764\ufe0f 1\ufe0f\u20e3", false, all));
  CHECK(invisible_in_line("x\ufe01\ufe02", false, all));
  CHECK(invisible_in_line("\u2764\ufe0f\ufe0e", false, all));
  InvisibleOptions tags_only;
  tags_only.classes = kTagCharacters;
  CHECK_FALSE(invisible_in_line("a\u200bb", false, tags_only));
}

TEST_CASE("homoglyph-identifier: mixed scripts and look-alike-only words, prose left alone") {
  HomoglyphOptions o;
  const auto d = homoglyph_in_line("\u0440\u0430ssword = 1", o);
  REQUIRE(d);
  CHECK(d->find("Latin and Cyrillic") != std::string::npos);
  CHECK(homoglyph_in_line("if (is_\u0391dmin) {", o));                      // Greek capital alpha
  CHECK(homoglyph_in_line("\U0001D429\U0001D42B\U0001D422nt(x)", o));       // mathematical bold
  CHECK_FALSE(homoglyph_in_line("delay = 10  # 10 \u03bcs", o));              // mu is no Latin look-alike
  CHECK_FALSE(homoglyph_in_line("// \u041f\u0440\u043e\u0432\u0435\u0440\u043a\u0430 \u0441\u043e\u0440", o));
  CHECK(homoglyph_in_line("int \u0435\u0445\u0435\u0441 = 1;", o));
  HomoglyphOptions mixed_only = o;
  mixed_only.confusable_only = false;
  CHECK_FALSE(homoglyph_in_line("int \u0435\u0445\u0435\u0441 = 1;", mixed_only));
  CHECK_FALSE(homoglyph_in_line("caf\u00e9 na\u00efve \u540d\u524dname", o));  // Latin-1 and CJK are not confusables
}

TEST_CASE("text checks survive invalid UTF-8 and stay linear on a 10 MB line") {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 37) & 0xFF));
  CHECK_NOTHROW(bidi_in_line(junk, BidiOptions{}));
  CHECK_NOTHROW(invisible_in_line(junk, true, InvisibleOptions{}));
  CHECK_NOTHROW(homoglyph_in_line(junk, HomoglyphOptions{}));
  std::string huge;
  huge.reserve(10u << 20);
  while (huge.size() < (10u << 20)) huge += "\u0440\u0430ss\u202e\u200b\ufe01\ufe01 \xE2\x80 ";
  const auto set = set_of(R"(rules:
  - {id: t.bidi, engine: text, check: bidi-control, severity: high, message: m}
  - {id: t.inv, engine: text, check: invisible-character, severity: high, message: m}
  - {id: t.homo, engine: text, check: homoglyph-identifier, severity: high, message: m}
)");
  auto engine = make_text_engine(set);
  const auto start = std::chrono::steady_clock::now();
  auto hits = run(*engine, "big.js", huge);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(hits.size() == 3);
  CHECK(secs < 10.0);
}

TEST_CASE("text engine: per-line hits, paths, binary skipped, hit cap noted") {
  const auto set = set_of(R"(rules:
  - {id: t.bidi, engine: text, check: bidi-control, severity: high, message: m, paths: {exclude: ["**/*.md"]}}
)");
  auto engine = make_text_engine(set);
  const std::string text = std::string("a\nb ") + kRlo + "\nc\n";
  auto hits = run(*engine, "src/x.c", text);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].line == 2);
  CHECK(hits[0].end_line == 2);
  CHECK(run(*engine, "README.md", text).empty());
  auto d = engine->make_detector();
  std::vector<Hit> bin_hits;
  ScanNotes notes;
  d->scan(Target{"x.bin", "b", text, "", true}, bin_hits, notes);
  CHECK(bin_hits.empty());
  std::string many;
  for (std::size_t i = 0; i < kMaxTextHitsPerRulePerBlob + 5; ++i) many += std::string(kRlo) + "\n";
  ScanNotes capped;
  CHECK(run(*engine, "m.c", many, &capped).size() == kMaxTextHitsPerRulePerBlob);
  REQUIRE(capped.skipped.size() == 1);
  CHECK(capped.skipped[0].kind == "match-cap");
}

TEST_CASE("text engine: unknown checks and bad options are rule errors with file:line:col") {
  CHECK_THROWS_WITH_AS(make_text_engine(set_of("rules:\n  - {id: t.x, engine: text, check: nope, severity: low, message: m}\n")),
                       "t.yaml:2:10: rule t.x: unknown text check 'nope' (known: bidi-control, homoglyph-identifier, invisible-character)",
                       InputError);
  CHECK_THROWS_WITH_AS(
      make_text_engine(set_of("rules:\n  - {id: t.x, engine: text, check: bidi-control, severity: low, message: m, options: {report: some}}\n")),
      "t.yaml:2:10: rule t.x: option 'report': unknown value 'some' (known: any, unterminated)", InputError);
  CHECK_THROWS_WITH_AS(
      make_text_engine(set_of("rules:\n  - {id: t.x, engine: text, check: invisible-character, severity: low, message: m, options: {classes: [zero-width, emoji]}}\n")),
      "t.yaml:2:10: rule t.x: option 'classes': unknown value 'emoji' (known: zero-width, bom, soft-hyphen, hangul-filler, tags, variation-selectors)",
      InputError);
  CHECK_THROWS_WITH_AS(
      make_text_engine(set_of("rules:\n  - {id: t.x, engine: text, check: homoglyph-identifier, severity: low, message: m, options: {min_length: zero}}\n")),
      "t.yaml:2:10: rule t.x: option 'min_length' must be a whole number from 1 to 64, not 'zero'", InputError);
  CHECK_THROWS_WITH_AS(
      make_text_engine(set_of("rules:\n  - {id: t.x, engine: text, check: homoglyph-identifier, severity: low, message: m, options: {colour: red}}\n")),
      "t.yaml:2:10: rule t.x: unknown option 'colour' for text check 'homoglyph-identifier' (known: mixed, confusable_only, min_length)",
      InputError);
  CHECK_THROWS_AS(make_text_engine(set_of("rules:\n  - {id: t.x, engine: text, check: homoglyph-identifier, severity: low, message: m, options: {mixed: false, confusable_only: false}}\n")),
                  InputError);
}

TEST_CASE("text engine: a file that is mostly not UTF-8 is listed, not checked, and a few stray bytes change nothing") {
  const auto set = set_of(R"(rules:
  - {id: t.bidi, engine: text, check: bidi-control, severity: high, message: m}
  - {id: t.homo, engine: text, check: homoglyph-identifier, severity: high, message: m}
)");
  auto engine = make_text_engine(set);
  // Binary streams without a NUL byte (an Illustrator file's compressed PDF streams).
  std::string stream = "%PDF-1.5\nstream\n";
  for (int i = 0; i < 4000; ++i) {
    stream.push_back(static_cast<char>(0x80 + (i * 53) % 0x7f));
    if (i % 97 == 0) stream += "\n";
  }
  stream += std::string("\u0440\u0430ssword ") + kRlo + "\n";
  ScanNotes notes;
  CHECK(run(*engine, "ext/logo.ai", stream, &notes).empty());
  REQUIRE(notes.skipped.size() == 1);
  CHECK(notes.skipped[0].kind == "not-utf8-text");
  CHECK_FALSE(notes.skipped[0].incomplete);
  // One stray Latin-1 byte does not switch the checks off.
  const std::string source = std::string("/* caf\xe9 */\nint \u0440\u0430ssword = 0; /* ") + kRlo + " */\n";
  ScanNotes none;
  CHECK(run(*engine, "src/a.c", source, &none).size() == 2);
  CHECK(none.skipped.empty());
}
