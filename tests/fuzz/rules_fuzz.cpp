// Fuzzes the rule file loader (rules::parse_rule_file), then compiles whatever it accepted with
// the engines that take rules from files (signature, text, blob, build): a rule the loader
// accepts must either compile or be refused with InputError before any scan (issue 8, point 8).
// The query engine is left to engines_fuzz (tree-sitter query syntax is its own fuzz target
// there through the bundled packs) and the Clang engine is not fuzzed (libclang-cpp is too
// heavy for libFuzzer's in-process loop).
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>

#include "common/error.h"
#include "rules/loader.h"
#include "tests/fuzz/fuzz_support.h"
#include "scanner/blob/blob_engine.h"
#include "scanner/build/build_engine.h"
#include "scanner/signature/signature_engine.h"
#include "scanner/text/text_engine.h"

using namespace provscan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  rules::RuleSet set;
  try {
    set.rules = rules::parse_rule_file("fuzz.yaml", text);
  } catch (const InputError&) {
    return 0;
  }
  for (const rules::Rule& r : set.rules)
    if (r.id.empty()) fuzz::fail("parse_rule_file accepted a rule without an id", text);
  std::sort(set.rules.begin(), set.rules.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  // Each engine on its own: one refusing a rule must not hide another engine's crash.
  try { (void)scan::make_signature_engine(set); } catch (const InputError&) {}
  try { (void)scan::make_text_engine(set); } catch (const InputError&) {}
  try { (void)scan::make_blob_engine(set); } catch (const InputError&) {}
  try { (void)scan::make_build_engine(set); } catch (const InputError&) {}
  return 0;
}
