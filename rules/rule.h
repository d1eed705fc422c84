#pragma once
// A detection rule as loaded from a YAML rule file (see INTERFACE.md). Plain data: engines
// compile what they need from it.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/severity.h"

namespace provscan::rules {

enum class Engine { Signature, Query, Clang, Blob, Build, Text };
std::string_view to_string(Engine e) noexcept;

// Where something stands in a rule file (1-based line and column).
struct SourcePos {
  std::string file;
  int line = 0;
  int col = 0;
  std::string str() const;  // "file:line:col"
};

// Globs over '/'-separated repository paths: `*` and `?` stay inside one path segment,
// `**` spans segments ("**/x" also matches "x"), `[abc]` classes.
bool glob_match(std::string_view pattern, std::string_view path) noexcept;

struct PathFilter {
  std::vector<std::string> include;  // empty = everything
  std::vector<std::string> exclude;
  bool matches(std::string_view path) const noexcept;
};

struct Rule {
  std::string id;
  Engine engine = Engine::Signature;
  Severity severity = Severity::Medium;
  std::string message;
  std::vector<std::string> languages;  // language ids ("c", "cpp", "python", ...)

  // signature
  std::string regex;                  // one regex, or
  std::vector<std::string> literals;  // literal strings (any may match)
  std::vector<std::string> flags;     // caseless, multiline, dotall
  SourcePos pattern_pos;              // position of `regex:`/`literals:` value, for errors

  // query (tree-sitter S-expression with predicates)
  std::string query;
  SourcePos query_pos;  // position of the first character of the query text

  // clang: named matcher; blob/build/text: named check
  std::string matcher;
  // Parameters of a clang matcher or a blob/build/text check. Scalars are stored as a
  // one-element list.
  std::map<std::string, std::vector<std::string>> options;

  PathFilter paths;
  // Rules this one is a more specific form of: where both hit overlapping lines of the same
  // file, only this one is reported (ids not in the loaded set are ignored).
  std::vector<std::string> supersedes;
  std::string cwe;
  std::vector<std::string> references;
  SourcePos pos;  // the rule's `id:` line

  bool applies_to_language(std::string_view lang) const noexcept;  // empty list = all
};

struct RuleSet {
  std::vector<Rule> rules;  // sorted by id; ids are unique
  std::string sha256;       // stable content hash over the canonical rules (not file order)
  std::vector<std::string> files;  // rule files read, sorted
};

}  // namespace provscan::rules
