// The contribution-to-finding path: the bundled rule packs are compiled once for the
// signature, query (tree-sitter), blob, build and text engines, then the input is scanned as a
// file at one of several paths (the first byte picks it), exactly as the pipeline hands a blob
// to each detector. Hits must name a rule of the set and lie inside the file.
// The Clang engine is not fuzzed here: it links libclang-cpp, parses far too slowly for an
// in-process fuzzer, and runs in bounded worker processes in scans (issue 8, point 1).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "git/line_diff.h"
#include "rules/loader.h"
#include "scanner/blob/blob_engine.h"
#include "scanner/build/build_engine.h"
#include "scanner/detector.h"
#include "scanner/language.h"
#include "scanner/query/query_engine.h"
#include "scanner/signature/signature_engine.h"
#include "scanner/text/text_engine.h"
#include "tests/fuzz/fuzz_support.h"

using namespace provscan;

namespace {

// A path per language or build system the packs cover, so each input reaches a different set
// of rules (and grammars).
constexpr std::string_view kPaths[] = {
    "src/auth.c", "lib/net.cpp", "tool.py", "web/app.js", "web/app.ts", "ui/view.tsx", "cmd/main.go",
    "src/Main.java", "src/lib.rs", "app/x.rb", "www/index.php", "Svc/Program.cs", "scripts/install.sh",
    "CMakeLists.txt", "configure.ac", "Makefile", "build.m4", "setup.py", "package.json", "Dockerfile",
    ".github/workflows/ci.yml", ".gitlab-ci.yml", "README.md", "assets/blob.bin", "test/data.tar.gz",
    "docs/notes.txt", "a", "x.h"};

struct Engines {
  rules::RuleSet rules;
  std::vector<std::unique_ptr<scan::Engine>> engines;
  std::vector<std::unique_ptr<scan::Detector>> detectors;
};

Engines& engines() {
  static Engines* e = [] {
    auto* out = new Engines;
    out->rules = rules::load_rules({rules::default_packs_dir()});
    std::erase_if(out->rules.rules, [](const rules::Rule& r) { return r.engine == rules::Engine::Clang; });
    out->engines.push_back(scan::make_signature_engine(out->rules));
    out->engines.push_back(scan::make_query_engine(out->rules));
    out->engines.push_back(scan::make_blob_engine(out->rules));
    out->engines.push_back(scan::make_build_engine(out->rules));
    out->engines.push_back(scan::make_text_engine(out->rules));
    for (const auto& engine : out->engines) out->detectors.push_back(engine->make_detector());
    return out;
  }();
  return *e;
}

}  // namespace

// Compiles the packs before the first input: the compile (about 2 s of CPU under ASan) is not
// charged to an input's -timeout, which on a busy machine it could exceed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)engines();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Engines& e = engines();
  const std::string_view path = kPaths[data[0] % std::size(kPaths)];
  const std::string content(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t lines = static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')) + 1;

  scan::Target t;
  t.path = path;
  t.blob_id = "0123456789abcdef0123456789abcdef01234567";
  t.content = content;
  t.language = scan::detect_language(path, content);
  t.binary = git::looks_binary(content);
  for (const auto& d : e.detectors) {
    std::vector<scan::Hit> hits;
    scan::ScanNotes notes;
    d->scan(t, hits, notes);
    for (const scan::Hit& h : hits) {
      if (!h.rule) fuzz::fail("hit without a rule", path);
      const bool known = std::any_of(e.rules.rules.begin(), e.rules.rules.end(),
                                     [&](const rules::Rule& r) { return &r == h.rule; });
      if (!known) fuzz::fail("hit names a rule outside the set", h.rule->id);
      if (h.line == 0 ? h.end_line != 0 : (h.end_line < h.line || h.end_line > lines))
        fuzz::fail("hit outside the file: " + h.rule->id + " lines " + std::to_string(h.line) + "-" +
                       std::to_string(h.end_line) + " of " + std::to_string(lines),
                   path);
    }
  }
  return 0;
}
