#pragma once
// Internals of the query engine, exposed for its tests. Names only std types: tree-sitter and
// PCRE2 stay in the .cpp files of scanner/query/.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace provscan::scan::detail {

// ---- Grammars ------------------------------------------------------------------------------

// A bundled grammar's ABI against the linked tree-sitter runtime.
struct GrammarAbi {
  std::uint32_t version = 0;      // ts_language_version() of the grammar
  std::uint32_t runtime_min = 0;  // TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION
  std::uint32_t runtime_max = 0;  // TREE_SITTER_LANGUAGE_VERSION
  bool loads = false;             // ts_parser_set_language() accepted it
};
// nullopt when no grammar is bundled for the language.
std::optional<GrammarAbi> grammar_abi(std::string_view language);

// ---- Query text ----------------------------------------------------------------------------

// Line and column (1-based) of byte `offset` of a query whose byte 0 stands at
// (line0, col0) of the rule file and whose later lines start at column col0 (a YAML block
// scalar strips exactly that indentation). Columns count bytes.
struct TextPos {
  int line = 0;
  int col = 0;
};
TextPos position_in_query(std::string_view query, std::size_t offset, int line0, int col0);

// The token at `offset` for an error message: a name or a run of non-delimiters, or one
// delimiter character; empty at the end of the text.
std::string_view token_at(std::string_view query, std::size_t offset);

// Byte offsets of the '#' of every predicate `(#name ...)` in source order, skipping strings
// and `;` comments. Tree-sitter numbers predicates in the same order.
std::vector<std::size_t> predicate_offsets(std::string_view query);

// A predicate group standing at the top level of a query, after a pattern (INTERFACE.md's
// style). Tree-sitter 0.20.7 would make each such group a pattern without steps, and a query
// cursor crashes on two of them in a row; provscan takes them out of the text it hands to
// tree-sitter (blanked, so offsets stay valid) and reads them itself.
struct RawPredicate {
  struct Arg {
    bool is_capture = false;
    std::string text;  // capture name without '@', or the unescaped string
    std::size_t offset = 0;
  };
  std::size_t offset = 0;  // of the '#'
  std::string name;        // without '#'
  std::vector<Arg> args;
};
// Thrown for a malformed top-level predicate group.
struct QuerySyntaxError {
  std::size_t offset = 0;
};
// Returns the query with every top-level predicate group replaced by spaces (newlines kept)
// and appends the groups, in order, to `out`.
std::string take_top_level_predicates(std::string_view query, std::vector<RawPredicate>& out);

// True when the pattern text has a capture `@name` outside predicates, strings and comments.
bool has_capture(std::string_view pattern_text);

// ---- Predicates ----------------------------------------------------------------------------

// A regex compiled once with PCRE2 (bytes, no UTF), matched under match and depth limits so
// hostile text cannot make it run away. Shared read-only between threads.
class Regex {
 public:
  // Throws PredicateError with PCRE2's message and the offset in the pattern.
  explicit Regex(const std::string& pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  // true/false, or nullopt when a limit stopped the match.
  std::optional<bool> search(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

inline constexpr std::uint32_t kRegexMatchLimit = 100'000;
inline constexpr std::uint32_t kRegexDepthLimit = 1'000;

// A bad predicate in a rule; the engine prefixes the rule file position.
class PredicateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One argument of a predicate as tree-sitter hands it over.
struct PredicateArg {
  bool is_capture = false;
  std::uint32_t capture = 0;  // capture id when is_capture
  std::string text;           // capture name (without @) or string value
};

struct Predicate {
  enum class Op { Eq, Match, AnyOf };
  Op op = Op::Eq;
  bool negated = false;
  std::string name;                      // "eq?", "not-match?", ... for messages
  std::uint32_t capture = 0;             // the first argument
  std::optional<std::uint32_t> other;    // #eq?/#not-eq? against a second capture
  std::vector<std::string> values;       // #eq?: one string; #any-of?: the set
  std::shared_ptr<const Regex> regex;    // #match?/#not-match?
};

// Builds a predicate from its name (without '#') and arguments; throws PredicateError for an
// unknown name, wrong arguments or a bad regex.
Predicate make_predicate(std::string_view name, const std::vector<PredicateArg>& args);

// The texts of every node of every capture of one match, indexed by capture id.
using CaptureTexts = std::vector<std::vector<std::string_view>>;

enum class Verdict { Holds, Fails, Unknown };  // Unknown: a regex limit was hit

// A predicate holds when it holds for every node of its capture (and, capture against
// capture, for every pair of nodes); a capture with no node in the match holds vacuously.
Verdict evaluate(const Predicate& p, const CaptureTexts& captures);

}  // namespace provscan::scan::detail
