// The Clang engine: parses one C/C++ blob from memory and runs the named AST checks of every
// `engine: clang` rule on that one AST.
//
// This is the folder's ONLY translation unit: each check lives in its own checks/*.inc file and is
// #included below, so the Clang headers are parsed once per build (STYLE.md). Compiled with
// -fno-rtti because LLVM is; LLVM-style isa<>/dyn_cast<> need no RTTI.
#include "scanner/cpp_ast/clang_engine.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
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
#include <unordered_set>
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
#include <clang/Lex/Preprocessor.h>
#include <clang/Lex/PreprocessorOptions.h>
#include <clang/Sema/ExternalSemaSource.h>
#include <clang/Sema/Lookup.h>
#include <clang/Sema/Scope.h>
#include <clang/Sema/Sema.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/VirtualFileSystem.h>

#include "common/error.h"

namespace provscan::scan {
namespace {

namespace am = clang::ast_matchers;

#include "scanner/cpp_ast/prelude.inc"
#include "scanner/cpp_ast/check.inc"
#include "scanner/cpp_ast/text_index.inc"
#include "scanner/cpp_ast/checks/uid_assignment_in_condition.inc"
#include "scanner/cpp_ast/checks/strcmp_literal_gate.inc"
#include "scanner/cpp_ast/checks/shell_after_dup2.inc"
#include "scanner/cpp_ast/checks/exec_of_env_or_network_data.inc"
#include "scanner/cpp_ast/checks/constructor_or_ifunc.inc"
#include "scanner/cpp_ast/checks/disabled_check.inc"
#include "scanner/cpp_ast/checks/data_cast_to_function_pointer.inc"
#include "scanner/cpp_ast/checks/time_bomb.inc"
#include "scanner/cpp_ast/checks/ignored_security_result.inc"
#include "scanner/cpp_ast/checks/truncated_comparison.inc"
#include "scanner/cpp_ast/checks/auth_bypass_on_environment.inc"
#include "scanner/cpp_ast/checks/function_pointer_overwrite.inc"
#include "scanner/cpp_ast/parse.inc"

// The one registry: matcher name -> factory. Sorted by name.
using CheckFactory = std::unique_ptr<Check> (*)(const rules::Rule&);

template <class C>
std::unique_ptr<Check> make_check(const rules::Rule& r) {
  return std::make_unique<C>(r);
}

const std::map<std::string_view, CheckFactory>& registry() {
  static const std::map<std::string_view, CheckFactory> checks = {
      {AuthBypassOnEnvironment::kName, &make_check<AuthBypassOnEnvironment>},
      {ConstructorOrIfunc::kName, &make_check<ConstructorOrIfunc>},
      {DataCastToFunctionPointer::kName, &make_check<DataCastToFunctionPointer>},
      {DisabledCheck::kName, &make_check<DisabledCheck>},
      {ExecOfEnvOrNetworkData::kName, &make_check<ExecOfEnvOrNetworkData>},
      {FunctionPointerOverwrite::kName, &make_check<FunctionPointerOverwrite>},
      {IgnoredSecurityResult::kName, &make_check<IgnoredSecurityResult>},
      {ShellAfterDup2::kName, &make_check<ShellAfterDup2>},
      {StrcmpLiteralGate::kName, &make_check<StrcmpLiteralGate>},
      {TimeBomb::kName, &make_check<TimeBomb>},
      {TruncatedComparison::kName, &make_check<TruncatedComparison>},
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
  ClangDetector(const std::vector<std::unique_ptr<Check>>& checks, const ClangLimits& limits)
      : checks_(checks), limits_(limits) {}

  void scan(const Target& target, std::vector<Hit>& out, ScanNotes& notes) override {
    if (target.binary) return;
    if (target.language != "c" && target.language != "cpp") return;
    std::vector<const Check*> wanted;
    for (const auto& c : checks_) {
      const rules::Rule& r = c->rule();
      if (rule_wants_language(r, target.language) && r.paths.matches(target.path))
        wanted.push_back(c.get());
    }
    if (wanted.empty()) return;
    const bool cplusplus = parse_as_cplusplus(target.path, target.language, target.content);
    std::vector<const Check*> active;
    {
      const TextIndex text(target.content, cplusplus);
      for (const Check* c : wanted)
        if (c->may_match(text)) active.push_back(c);  // most blobs stop here
    }
    if (active.empty()) return;
    if (target.content.size() > limits_.max_parse_bytes) {
      note(notes, target, "parse-limit",
           std::to_string(target.content.size()) + " bytes is over the clang parse limit of " +
               std::to_string(limits_.max_parse_bytes) + " bytes",
           true);
      return;
    }

    ParseOutcome outcome = parse_and_match(target.content, cplusplus, active,
                                           std::chrono::milliseconds(limits_.parse_timeout_ms));
    if (outcome.timed_out) {
      note(notes, target, "parse-timeout",
           "clang parse and match exceeded " + std::to_string(limits_.parse_timeout_ms) +
               " ms; stopped",
           true);
      return;
    }
    if (!outcome.parsed || !outcome.failure.empty()) {
      note(notes, target, "parse-error",
           outcome.parsed ? "clang matcher failed: " + outcome.failure
                          : "clang could not build an AST" +
                                (outcome.failure.empty() ? "" : ": " + outcome.failure),
           false);
    }
    out.insert(out.end(), std::make_move_iterator(outcome.hits.begin()),
               std::make_move_iterator(outcome.hits.end()));
  }

 private:
  static void note(ScanNotes& notes, const Target& target, std::string kind, std::string reason,
                   bool incomplete) {
    Skipped s;
    s.kind = std::move(kind);
    s.object = std::string(target.blob_id);
    s.path = std::string(target.path);
    s.reason = std::move(reason);
    s.incomplete = incomplete;
    notes.skipped.push_back(std::move(s));
  }

  const std::vector<std::unique_ptr<Check>>& checks_;
  const ClangLimits limits_;
};

class ClangEngine final : public Engine {
 public:
  ClangEngine(const rules::RuleSet& rules, ClangLimits limits) : limits_(limits) {
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
    return std::make_unique<ClangDetector>(checks_, limits_);
  }

 private:
  std::vector<std::unique_ptr<Check>> checks_;  // shared read-only by every detector
  ClangLimits limits_;
};

}  // namespace

std::unique_ptr<Engine> make_clang_engine(const rules::RuleSet& rules, ClangLimits limits) {
  return std::make_unique<ClangEngine>(rules, limits);
}

std::vector<std::string> clang_matcher_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.emplace_back(name);
  return names;
}

}  // namespace provscan::scan
