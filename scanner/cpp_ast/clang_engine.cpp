// The Clang engine: parses one C/C++ blob from memory and runs the named AST checks of every
// `engine: clang` rule on that one AST.
//
// This is the folder's ONLY translation unit: each check lives in its own checks/*.inc file and is
// #included below, so the Clang headers are parsed once per build (STYLE.md). Compiled with
// -fno-rtti because LLVM is; LLVM-style isa<>/dyn_cast<> need no RTTI.
#include "scanner/cpp_ast/clang_engine.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/Stmt.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Lex/Lexer.h>
#include <clang/Lex/PreprocessorOptions.h>
#include <clang/Sema/ExternalSemaSource.h>
#include <clang/Sema/Lookup.h>
#include <clang/Sema/Sema.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/VirtualFileSystem.h>

#include "common/error.h"

namespace provscan::scan {
namespace {

namespace am = clang::ast_matchers;

#include "scanner/cpp_ast/prelude.inc"
#include "scanner/cpp_ast/check.inc"
#include "scanner/cpp_ast/checks/uid_assignment_in_condition.inc"
#include "scanner/cpp_ast/checks/strcmp_literal_gate.inc"
#include "scanner/cpp_ast/checks/shell_after_dup2.inc"
#include "scanner/cpp_ast/checks/exec_of_env_or_network_data.inc"
#include "scanner/cpp_ast/checks/constructor_or_ifunc.inc"
#include "scanner/cpp_ast/checks/disabled_check.inc"
#include "scanner/cpp_ast/checks/data_cast_to_function_pointer.inc"
#include "scanner/cpp_ast/checks/time_bomb.inc"
#include "scanner/cpp_ast/parse.inc"

// The one registry: matcher name -> factory. Sorted by name.
using CheckFactory = std::unique_ptr<Check> (*)(const rules::Rule&);

template <class C>
std::unique_ptr<Check> make_check(const rules::Rule& r) {
  return std::make_unique<C>(r);
}

const std::map<std::string_view, CheckFactory>& registry() {
  static const std::map<std::string_view, CheckFactory> checks = {
      {ConstructorOrIfunc::kName, &make_check<ConstructorOrIfunc>},
      {DataCastToFunctionPointer::kName, &make_check<DataCastToFunctionPointer>},
      {DisabledCheck::kName, &make_check<DisabledCheck>},
      {ExecOfEnvOrNetworkData::kName, &make_check<ExecOfEnvOrNetworkData>},
      {ShellAfterDup2::kName, &make_check<ShellAfterDup2>},
      {StrcmpLiteralGate::kName, &make_check<StrcmpLiteralGate>},
      {TimeBomb::kName, &make_check<TimeBomb>},
      {UidAssignmentInCondition::kName, &make_check<UidAssignmentInCondition>},
  };
  return checks;
}

std::string known_matchers() {
  std::string s;
  for (const auto& [name, factory] : registry()) {
    if (!s.empty()) s += ", ";
    s += name;
  }
  return s;
}

// Clang parses C and C++ only. An empty `languages` list means both.
bool rule_wants_language(const rules::Rule& r, std::string_view lang) {
  if (r.languages.empty()) return lang == "c" || lang == "cpp";
  return std::find(r.languages.begin(), r.languages.end(), lang) != r.languages.end();
}

class ClangDetector final : public Detector {
 public:
  explicit ClangDetector(const std::vector<std::unique_ptr<Check>>& checks) : checks_(checks) {}

  void scan(const Target& target, std::vector<Hit>& out, ScanNotes& notes) override {
    if (target.binary) return;
    if (target.language != "c" && target.language != "cpp") return;
    std::vector<const Check*> active;
    for (const auto& c : checks_) {
      const rules::Rule& r = c->rule();
      if (!rule_wants_language(r, target.language)) continue;
      if (!r.paths.matches(target.path)) continue;
      if (!c->may_match(target.content)) continue;  // textual prefilter: most blobs stop here
      active.push_back(c.get());
    }
    if (active.empty()) return;

    const bool cplusplus = parse_as_cplusplus(target.path, target.language, target.content);
    ParseOutcome outcome = parse_and_match(target.content, cplusplus, active);
    if (!outcome.parsed || !outcome.failure.empty()) {
      Skipped s;
      s.kind = "parse-error";
      s.object = std::string(target.blob_id);
      s.path = std::string(target.path);
      s.reason = outcome.parsed ? "clang matcher failed: " + outcome.failure
                                : "clang could not build an AST" +
                                      (outcome.failure.empty() ? "" : ": " + outcome.failure);
      s.incomplete = false;
      notes.skipped.push_back(std::move(s));
    }
    out.insert(out.end(), std::make_move_iterator(outcome.hits.begin()),
               std::make_move_iterator(outcome.hits.end()));
  }

 private:
  const std::vector<std::unique_ptr<Check>>& checks_;
};

class ClangEngine final : public Engine {
 public:
  explicit ClangEngine(const rules::RuleSet& rules) {
    for (const rules::Rule& r : rules.rules) {
      if (r.engine != rules::Engine::Clang) continue;
      const auto it = registry().find(r.matcher);
      if (it == registry().end()) {
        throw InputError(r.pos.str() + ": rule " + r.id + ": unknown clang matcher '" +
                         r.matcher + "' (known: " + known_matchers() + ")");
      }
      checks_.push_back(it->second(r));
    }
  }
  std::string_view name() const override { return "clang"; }
  std::unique_ptr<Detector> make_detector() const override {
    return std::make_unique<ClangDetector>(checks_);
  }

 private:
  std::vector<std::unique_ptr<Check>> checks_;  // shared read-only by every detector
};

}  // namespace

std::unique_ptr<Engine> make_clang_engine(const rules::RuleSet& rules) {
  return std::make_unique<ClangEngine>(rules);
}

std::vector<std::string> clang_matcher_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.emplace_back(name);
  return names;
}

}  // namespace provscan::scan
