#include "scanner/text/text_engine.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "scanner/blob/check_options.h"
#include "scanner/text/text_checks.h"
#include "scanner/text/utf8.h"

namespace provscan::scan {

namespace {

enum class Check { Bidi, Invisible, Homoglyph };

struct CompiledRule {
  const rules::Rule* rule;
  Check check;
  BidiOptions bidi;
  InvisibleOptions invisible;
  HomoglyphOptions homoglyph;
};

unsigned mask_of(const std::vector<std::string>& names, std::initializer_list<std::pair<std::string_view, unsigned>> bits) {
  unsigned m = 0;
  for (const std::string& n : names)
    for (auto [name, bit] : bits)
      if (n == name) m |= bit;
  return m;
}

CompiledRule compile(const rules::Rule& r) {
  CompiledRule c{&r, Check::Bidi, {}, {}, {}};
  if (r.matcher == "bidi-control") {
    const CheckOptions o(r, "text", {"controls", "report"});
    c.check = Check::Bidi;
    c.bidi.sets = mask_of(o.choices("controls", {"embeddings", "isolates"}, {"embeddings", "isolates", "marks"}),
                          {{"embeddings", kBidiEmbeddings}, {"isolates", kBidiIsolates}, {"marks", kBidiMarks}});
    c.bidi.unterminated_only = o.choice("report", "any", {"any", "unterminated"}) == "unterminated";
  } else if (r.matcher == "invisible-character") {
    const CheckOptions o(r, "text", {"classes", "allow_script_joiners"});
    c.check = Check::Invisible;
    c.invisible.classes = mask_of(
        o.choices("classes", {"zero-width", "bom", "soft-hyphen", "hangul-filler", "tags", "variation-selectors"},
                  {"zero-width", "bom", "soft-hyphen", "hangul-filler", "tags", "variation-selectors"}),
        {{"zero-width", kZeroWidth}, {"bom", kInnerBom}, {"soft-hyphen", kSoftHyphen},
         {"hangul-filler", kHangulFiller}, {"tags", kTagCharacters}, {"variation-selectors", kVariationSelectors}});
    c.invisible.allow_script_joiners = o.flag("allow_script_joiners", true);
  } else if (r.matcher == "homoglyph-identifier") {
    const CheckOptions o(r, "text", {"mixed", "confusable_only", "min_length"});
    c.check = Check::Homoglyph;
    c.homoglyph.mixed = o.flag("mixed", true);
    c.homoglyph.confusable_only = o.flag("confusable_only", true);
    c.homoglyph.min_length = o.count("min_length", 3, 1, 64);
    if (!c.homoglyph.mixed && !c.homoglyph.confusable_only)
      o.fail("options 'mixed' and 'confusable_only' are both false: the check could never report");
  } else {
    throw InputError(fmt::format("{}: rule {}: unknown text check '{}' (known: {})", r.pos.str(), r.id, r.matcher,
                                 fmt::join(text_check_names(), ", ")));
  }
  return c;
}

constexpr std::size_t kMinInvalidBytes = 64;

// (bytes that are not part of well-formed UTF-8, bytes >= 0x80)
std::pair<std::size_t, std::size_t> invalid_utf8(std::string_view s) {
  std::size_t invalid = 0, non_ascii = 0;
  for (std::size_t pos = 0; pos < s.size();) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    const char32_t cp = utf8::next(s, pos);
    non_ascii += pos - start;
    if (cp == utf8::kInvalidCodePoint) invalid += pos - start;
  }
  return {invalid, non_ascii};
}

class TextDetector final : public Detector {
 public:
  explicit TextDetector(const std::vector<CompiledRule>& rules) : rules_(rules) {}

  void scan(const Target& t, std::vector<Hit>& out, ScanNotes& notes) override {
    if (t.binary) return;
    active_.clear();
    for (const CompiledRule& c : rules_)
      if (c.rule->paths.matches(t.path) && c.rule->applies_to_language(t.language)) active_.push_back(&c);
    if (active_.empty()) return;
    // Binary data without a NUL byte (Illustrator files, PDF streams, old encodings) decodes as a
    // stream of stray look-alikes and invisibles, none of which any editor or compiler shows as
    // such. A file that is mostly not UTF-8 is therefore not checked, and says so: the
    // thresholds (64 invalid bytes and a quarter of the non-ASCII bytes) are far above the one
    // stray byte an attacker could add to switch the checks off without being listed.
    if (const auto [invalid, non_ascii] = invalid_utf8(t.content); invalid >= kMinInvalidBytes && 4 * invalid >= non_ascii) {
      notes.skipped.push_back({"not-utf8-text", {}, std::string(t.path), std::string(t.blob_id),
                               fmt::format("{} of {} non-ASCII bytes are not UTF-8: text checks did not run "
                                           "(signatures did)",
                                           invalid, non_ascii),
                               false});
      return;
    }
    // Every hazard is a non-ASCII character: pure ASCII lines (nearly all of them) are skipped
    // after one pass over their bytes.
    std::vector<std::size_t> counts(active_.size(), 0);
    bool capped = false;
    std::uint32_t line_no = 0;
    for (std::size_t pos = 0; pos < t.content.size();) {
      std::size_t nl = t.content.find('\n', pos);
      if (nl == std::string_view::npos) nl = t.content.size();
      const std::string_view line = t.content.substr(pos, nl - pos);
      ++line_no;
      const bool first_line = pos == 0;
      pos = nl + 1;
      if (std::all_of(line.begin(), line.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; }))
        continue;
      for (std::size_t i = 0; i < active_.size(); ++i) {
        const CompiledRule& c = *active_[i];
        std::optional<std::string> d;
        switch (c.check) {
          case Check::Bidi: d = bidi_in_line(line, c.bidi); break;
          case Check::Invisible: d = invisible_in_line(line, first_line, c.invisible); break;
          case Check::Homoglyph: d = homoglyph_in_line(line, c.homoglyph); break;
        }
        if (!d) continue;
        if (++counts[i] > kMaxTextHitsPerRulePerBlob) {
          capped = true;
          continue;
        }
        out.push_back(Hit{c.rule, line_no, line_no, std::move(*d)});
      }
    }
    if (capped)
      notes.skipped.push_back({"match-cap", {}, std::string(t.path), std::string(t.blob_id),
                               fmt::format("a text rule matched more than {} lines: further hits not reported",
                                           kMaxTextHitsPerRulePerBlob),
                               false});
  }

 private:
  const std::vector<CompiledRule>& rules_;
  std::vector<const CompiledRule*> active_;
};

}  // namespace

std::vector<std::string> text_check_names() { return {"bidi-control", "homoglyph-identifier", "invisible-character"}; }

std::unique_ptr<Engine> make_text_engine(const rules::RuleSet& set) {
  return std::make_unique<CheckEngine<CompiledRule, TextDetector>>(set, rules::Engine::Text, "text", compile);
}

}  // namespace provscan::scan
