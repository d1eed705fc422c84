#include "scanner/signature/signature_engine.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "common/error.h"
#include "rules/loader.h"
#include "scanner/blob/blob_checks.h"
#include "scanner/blob/blob_engine.h"

using namespace provscan;
using namespace provscan::scan;

namespace {
std::vector<Hit> run(const Engine& e, std::string_view path, std::string_view content, ScanNotes* notes = nullptr) {
  auto d = e.make_detector();
  std::vector<Hit> hits;
  ScanNotes local;
  d->scan(Target{path, "b", content, "bash", false}, hits, notes ? *notes : local);
  return hits;
}
rules::RuleSet set_of(const std::string& yaml) {
  rules::RuleSet s;
  s.rules = rules::parse_rule_file("t.yaml", yaml);
  return s;
}
}  // namespace

TEST_CASE("signature: one database, literals and regexes, lines of each hit") {
  const auto set = set_of(R"(rules:
  - {id: a.pipe, engine: signature, severity: high, message: m, regex: 'curl[^|\n]*\|\s*sh\b'}
  - {id: b.lit, engine: signature, severity: low, message: m, literals: ["eval(", "a.b*c"]}
  - {id: c.case, engine: signature, severity: low, message: m, regex: 'secret', flags: [caseless]}
  - {id: d.path, engine: signature, severity: low, message: m, literals: [zzz], paths: {include: ["**/*.mk"]}}
)");
  auto engine = make_signature_engine(set);
  const std::string text = "line one\ncurl -s x | sh\nx = eval(y)\nA.B*C a.b*c\nSECRET\nzzz\ncurl x | shell\n";
  auto hits = run(*engine, "x.sh", text);
  std::vector<std::pair<std::string, unsigned>> got;
  for (const Hit& h : hits) got.emplace_back(h.rule->id, h.line);
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::pair<std::string, unsigned>>{{"a.pipe", 2}, {"b.lit", 3}, {"b.lit", 4}, {"c.case", 5}});
  hits = run(*engine, "rules.mk", text);
  CHECK(std::count_if(hits.begin(), hits.end(), [](const Hit& h) { return h.rule->id == "d.path"; }) == 1);
}

TEST_CASE("signature: a rejected pattern names its rule and position") {
  const auto set = set_of("rules:\n  - id: bad.re\n    engine: signature\n    severity: low\n    message: m\n"
                          "    regex: 'a(b'\n");
  CHECK_THROWS_WITH_AS(make_signature_engine(set),
                       doctest::Contains("t.yaml:6:13: rule bad.re: Hyperscan rejected the pattern:"), InputError);
}

TEST_CASE("signature: hits per rule per blob are capped and the cap is reported") {
  const auto set = set_of("rules:\n  - {id: x.a, engine: signature, severity: low, message: m, literals: [a]}\n");
  auto engine = make_signature_engine(set);
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "a\n";
  ScanNotes notes;
  auto hits = run(*engine, "f", text, &notes);
  CHECK(hits.size() == kMaxHitsPerRulePerBlob);
  REQUIRE(notes.skipped.size() == 1);
  CHECK(notes.skipped[0].kind == "match-cap");
}

TEST_CASE("blob checks: magic, compression, entropy") {
  using namespace std::string_view_literals;
  CHECK(executable_format("\x7f" "ELF\x02\x01"sv) == "ELF");
  std::string pe(0x80, '\0');
  pe[0] = 'M', pe[1] = 'Z', pe[0x3c] = 0x40;
  pe.replace(0x40, 4, "PE\0\0"sv);
  CHECK(executable_format(pe) == "PE");
  CHECK_FALSE(executable_format("MZ is text, not an executable, even when long enough to have a header......"));
  CHECK(compressed_format("\xfd" "7zXZ\0rest"sv) == "xz");
  CHECK(compressed_format("\x1f\x8b\x08"sv) == "gzip");
  CHECK_FALSE(compressed_format("plain"));
  std::string uniform;
  for (int i = 0; i < 4096; ++i) uniform.push_back(static_cast<char>(i & 255));
  CHECK(shannon_entropy(uniform) == doctest::Approx(8.0));
  CHECK(shannon_entropy(std::string(100, 'a')) == doctest::Approx(0.0));
}

TEST_CASE("blob engine: whole-file hits within the rule's paths; unknown checks rejected") {
  const auto set = set_of(R"(rules:
  - {id: b.exe, engine: blob, check: executable-magic, severity: high, message: m}
  - {id: b.ent, engine: blob, check: compressed-or-high-entropy, severity: medium, message: m,
     options: {min_bytes: 100}, paths: {include: ["**/tests/**"]}}
)");
  auto engine = make_blob_engine(set);
  std::string noise;
  std::uint32_t x = 12345;
  for (int i = 0; i < 2048; ++i) noise.push_back(static_cast<char>((x = x * 1103515245 + 12345) >> 24));
  auto hits = run(*engine, "pkg/tests/data.bin", noise);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->id == "b.ent");
  CHECK(hits[0].line == 0);
  CHECK(hits[0].detail.find("entropy") == 0);
  CHECK(run(*engine, "docs/data.bin", noise).empty());
  CHECK(run(*engine, "tools/x", "\x7f" "ELF\x02").size() == 1);
  CHECK_THROWS_WITH_AS(make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: nope, severity: low, message: m}\n")),
                       "t.yaml:2:10: rule b.x: unknown blob check 'nope' (known: compressed-or-high-entropy, encoded-string, "
                       "executable-magic, extension-mismatch, high-entropy, object-or-archive)",
                       InputError);
}
