#include "scanner/blob/blob_engine.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "common/error.h"
#include "rules/loader.h"
#include "scanner/blob/blob_checks.h"
#include "scanner/blob/check_options.h"

using namespace provscan;
using namespace provscan::scan;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {
rules::RuleSet set_of(const std::string& yaml) {
  rules::RuleSet s;
  s.rules = rules::parse_rule_file("t.yaml", yaml);
  return s;
}
std::vector<Hit> run(const Engine& e, std::string_view path, std::string_view content, bool binary = true) {
  auto d = e.make_detector();
  std::vector<Hit> hits;
  ScanNotes notes;
  d->scan(Target{path, "b", content, "", binary}, hits, notes);
  return hits;
}
std::string elf(unsigned char type) {
  std::string h = "\x7f" "ELF\x02\x01\x01"s;
  h.resize(64, '\0');
  h[16] = static_cast<char>(type);
  h[18] = 0x3e;
  return h;
}
std::string noise(std::size_t n, std::uint32_t seed = 7) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>((seed = seed * 1103515245 + 12345) >> 24));
  return s;
}
}  // namespace

TEST_CASE("identify_format: objects, libraries, archives, compressed, media") {
  CHECK(identify_format(elf(1))->category == FormatCategory::Object);
  CHECK(identify_format(elf(2))->category == FormatCategory::Executable);
  CHECK(identify_format(elf(3))->category == FormatCategory::SharedLibrary);
  std::string macho = "\xcf\xfa\xed\xfe" "\x07\x00\x00\x01" "\x03\x00\x00\x00" "\x01\x00\x00\x00"s;
  CHECK(identify_format(macho)->name == "Mach-O object");
  CHECK(identify_format("!<arch>\nx.o/"sv)->category == FormatCategory::StaticLibrary);
  CHECK(identify_format("PK\x03\x04rest"sv)->category == FormatCategory::Archive);
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  CHECK(identify_format(tar)->name == "tar archive");
  CHECK(identify_format("\xfd" "7zXZ\0rest"sv)->category == FormatCategory::Compressed);
  CHECK(identify_format("\x28\xb5\x2f\xfd rest"sv)->category == FormatCategory::Compressed);
  CHECK(identify_format("\x89PNG\r\n\x1a\nrest"sv)->category == FormatCategory::Media);
  std::string coff(20 + 40 + 16, '\0');
  coff[0] = 0x64, coff[1] = static_cast<char>(0x86), coff[2] = 1, coff[8] = 60;
  CHECK(identify_format(coff)->name == "COFF object");
  CHECK_FALSE(identify_format("int main(void) { return 0; }\n"));
  CHECK_FALSE(identify_format(""));
}

TEST_CASE("identify_format and executable_format: PE headers, and e_lfanew values that point past the blob") {
  // An MZ stub whose e_lfanew (offset 0x3c) points at "PE\0\0"; byte 22 of the COFF header
  // carries IMAGE_FILE_DLL.
  const auto pe = [](std::uint32_t lfanew, std::size_t size, bool dll) {
    std::string b(size, '\0');
    b[0] = 'M', b[1] = 'Z';
    for (int i = 0; i < 4; ++i) b[0x3c + i] = static_cast<char>(lfanew >> (8 * i));
    if (lfanew + 24ull <= size) {
      b.replace(lfanew, 4, "PE\0\0"sv);
      if (dll) b[lfanew + 23] = 0x20;
    }
    return b;
  };
  CHECK(identify_format(pe(0x40, 0x80, false))->name == "PE executable");
  CHECK(identify_format(pe(0x40, 0x80, true))->name == "PE DLL");
  CHECK(executable_format(pe(0x40, 0x80, false)) == "PE");
  CHECK(identify_format(pe(0x68, 0x80, false))->name == "PE executable");  // the header ends at the last byte
  // A blob's own e_lfanew is attacker-chosen: every value near 2^32 once wrapped the bound check
  // around and threw out of a noexcept function (found by fuzz_engines), ending the whole scan.
  for (const std::uint32_t lfanew : {0xffffffffu, 0xfffffffcu, 0xffffffe8u, 0xffffffe9u, 0x80000000u, 0x69u, 0x7du}) {
    CAPTURE(lfanew);
    const std::string b = pe(lfanew, 0x80, false);
    CHECK_FALSE(identify_format(b));
    CHECK_FALSE(executable_format(b));
  }
  // The reproducer itself: "\0MZ" is not an MZ stub, and the rest must not throw either.
  std::string fuzz = "MZ Fixture forp`w)  ==6\0? 0 :"s + std::string(64, '\xff') + " -1;\n}\n"s;
  CHECK_NOTHROW((void)identify_format(fuzz));
  CHECK_FALSE(executable_format(fuzz));
}

TEST_CASE("extension_mismatch: text names holding binaries, binary names without their signature") {
  CHECK(extension_mismatch("docs/a.txt", "\xfd" "7zXZ\0"sv, true, true) == "'.txt' file holds xz compressed data");
  CHECK(extension_mismatch("src/x.json", elf(2), true, true) == "'.json' file holds ELF executable");
  CHECK_FALSE(extension_mismatch("src/x.json", "{\"a\": 1}", true, true));
  CHECK(extension_mismatch("img/a.png", "GIF89a....", true, true) == std::nullopt);  // another image: a slip
  CHECK(extension_mismatch("img/a.png", "#!/bin/sh\n", true, true) == "'.png' file without the PNG signature");
  CHECK(extension_mismatch("lib/x.o", "hello", true, true) == "'.o' file without the object file signature");
  CHECK_FALSE(extension_mismatch("lib/x.o", elf(1), true, true));
  CHECK_FALSE(extension_mismatch("img/a.png", "version https://git-lfs.github.com/spec/v1\noid sha256:x\n", true, true));
  CHECK_FALSE(extension_mismatch("img/a.png", "", true, true));
  CHECK_FALSE(extension_mismatch("img/a.png", "#!/bin/sh\n", true, false));
  CHECK_FALSE(extension_mismatch("README", elf(2), true, true));
}

TEST_CASE("max_window_entropy finds a random window inside text") {
  std::string text;
  while (text.size() < 20000) text += "the same plain line of text\n";
  CHECK(max_window_entropy(text, 4096).bits < 5.0);
  const std::string mixed = text + noise(8192) + text;
  const WindowEntropy w = max_window_entropy(mixed, 4096);
  CHECK(w.bits > 7.5);
  CHECK(w.offset >= 18000);
  CHECK(max_window_entropy("short", 4096).bits == 0.0);
}

TEST_CASE("encoded_run: base64, hex, escapes, data URIs") {
  std::string b64;
  for (int i = 0; i < 80; ++i) b64 += "QUJDRGVm";
  CHECK(encoded_run("x = \"" + b64 + "\"", 512, kBase64 | kHex)->encoding == "base64");
  CHECK(encoded_run("x = \"" + b64 + "\"", 512, kBase64)->column == 6);
  CHECK_FALSE(encoded_run("url(data:font/woff2;base64," + b64 + ")", 512, kBase64));
  CHECK_FALSE(encoded_run(b64, 1024, kBase64));
  std::string hex(1024, 'a');
  for (std::size_t i = 0; i < hex.size(); i += 3) hex[i] = '7';
  CHECK(encoded_run(hex, 1024, kHex)->encoding == "hex");
  CHECK_FALSE(encoded_run(hex, 1024, kBase64));  // hex digits alone are not base64 here
  std::string esc;
  for (int i = 0; i < 300; ++i) esc += "\\x4f";
  CHECK(encoded_run("s = \"" + esc + "\"", 1024, kEscapedBytes)->encoding == "escaped bytes");
  CHECK_FALSE(encoded_run(std::string(2000, 'a'), 1024, kBase64));  // one letter repeated is not base64
}

TEST_CASE("blob engine: new checks report whole files or lines within their paths") {
  const auto set = set_of(R"(rules:
  - {id: b.obj, engine: blob, check: object-or-archive, severity: high, message: m, paths: {include: ["**/src/**"]}}
  - {id: b.mis, engine: blob, check: extension-mismatch, severity: high, message: m}
  - {id: b.ent, engine: blob, check: high-entropy, severity: medium, message: m, options: {window: 1024}}
  - {id: b.enc, engine: blob, check: encoded-string, severity: medium, message: m, options: {min_length: 64}}
)");
  auto engine = make_blob_engine(set);
  auto hits = run(*engine, "src/crc.o", elf(1));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->id == "b.obj");
  CHECK(hits[0].line == 0);
  CHECK(run(*engine, "bin/crc.o", elf(1)).empty());
  hits = run(*engine, "tests/data.txt", "\x1f\x8b\x08\x00"s + noise(2000));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->id == "b.mis");
  hits = run(*engine, "tests/data.bin", noise(3000));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->id == "b.ent");
  hits = run(*engine, "src/a.js", "a\nx = '" + std::string(40, 'A') + std::string(40, '9') + "'\n", false);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->id == "b.enc");
  CHECK(hits[0].line == 2);
}

TEST_CASE("blob checks are linear on a 10 MB single line") {
  std::string huge;
  huge.reserve(10u << 20);
  while (huge.size() < (10u << 20)) huge += "QUJD\\x41\\x4g=== data:;base64,abc 0123456789abcdef ";
  const auto set = set_of(R"(rules:
  - {id: b.enc, engine: blob, check: encoded-string, severity: medium, message: m}
  - {id: b.ent, engine: blob, check: high-entropy, severity: medium, message: m}
)");
  const auto start = std::chrono::steady_clock::now();
  CHECK(run(*make_blob_engine(set), "src/big.js", huge, false).empty());
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10.0);
}

TEST_CASE("blob engine: unknown checks and bad options are rule errors with file:line:col") {
  CHECK_THROWS_WITH_AS(make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: nope, severity: low, message: m}\n")),
                       "t.yaml:2:10: rule b.x: unknown blob check 'nope' (known: compressed-or-high-entropy, "
                       "encoded-string, executable-magic, extension-mismatch, high-entropy, object-or-archive)",
                       InputError);
  CHECK_THROWS_WITH_AS(
      make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: high-entropy, severity: low, message: m, options: {min_entropy: 9}}\n")),
      "t.yaml:2:10: rule b.x: option 'min_entropy' must be a number from 0 to 8, not '9'", InputError);
  CHECK_THROWS_WITH_AS(
      make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: high-entropy, severity: low, message: m, options: {window: 16}}\n")),
      "t.yaml:2:10: rule b.x: option 'window' must be a whole number from 256 to 1073741824, not '16'", InputError);
  CHECK_THROWS_WITH_AS(
      make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: object-or-archive, severity: low, message: m, options: {categories: [executable]}}\n")),
      "t.yaml:2:10: rule b.x: option 'categories': unknown value 'executable' (known: object, shared-library, static-library, archive, compressed)",
      InputError);
  CHECK_THROWS_WITH_AS(
      make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: executable-magic, severity: low, message: m, options: {min_bytes: 1}}\n")),
      "t.yaml:2:10: rule b.x: unknown option 'min_bytes' for blob check 'executable-magic' (known: none)", InputError);
  CHECK_THROWS_WITH_AS(
      make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: high-entropy, severity: low, message: m, options: {skip_known_formats: maybe}}\n")),
      "t.yaml:2:10: rule b.x: option 'skip_known_formats' must be true or false, not 'maybe'", InputError);
  CHECK_THROWS_WITH_AS(
      make_blob_engine(set_of("rules:\n  - {id: b.x, engine: blob, check: encoded-string, severity: low, message: m, options: {min_length: [1, 2]}}\n")),
      "t.yaml:2:10: rule b.x: option 'min_length' must be a single value", InputError);
}
