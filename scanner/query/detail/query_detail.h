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
#include <utility>
#include <vector>

#include "rules/rule.h"

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

// ---- Prefilter -------------------------------------------------------------------------------
//
// A query match is possible only where its predicates can hold, and most predicates name text
// a node must have: that text then stands in the file. The engine looks for such words in one
// pass over a file and skips rules (and the parse) that cannot match; see query_engine.h.

// Words a text must contain at least one of: compared byte for byte, or ignoring ASCII case
// when `caseless`.
struct WordSet {
  std::vector<std::string> words;
  bool caseless = false;
  bool operator==(const WordSet&) const = default;
};

// A word set with a shorter word is dropped: such a word stands in almost every file, so
// looking for it costs and skips nothing.
inline constexpr std::size_t kMinWordBytes = 2;

// Words one of which every text matched by the regex contains (PCRE2 as Regex compiles it:
// bytes, no options), derived only from constructs whose meaning is certain: literals,
// groups, alternation, quantifiers, classes of a few single characters. nullopt when no set
// of words of kMinWordBytes or more can be derived soundly: constructs such as (?x),
// backreferences, conditionals or verbs give nullopt. Any (?i) makes every word caseless.
std::optional<WordSet> regex_words(std::string_view pattern);

// A set of words found in a text in one pass (a Hyperscan literal database): compiled once,
// shared read-only between threads; each thread scans with its own Scratch.
class WordFinder {
 public:
  // Word ids are indices into `words`.
  explicit WordFinder(const std::vector<std::pair<std::string, bool>>& words);  // (word, caseless)
  ~WordFinder();
  WordFinder(const WordFinder&) = delete;
  WordFinder& operator=(const WordFinder&) = delete;

  std::size_t size() const noexcept { return size_; }

  class Scratch {
   public:
    explicit Scratch(const WordFinder& finder);
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
   private:
    friend class WordFinder;
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };
  // found[id] = 1 for every word that occurs in `text`, 0 for the others.
  void find(std::string_view text, Scratch& scratch, std::vector<std::uint8_t>& found) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t size_ = 0;
};

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
  // regex_words() of the pattern.
  const std::optional<WordSet>& words() const noexcept;

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
  // Words the text of any node the predicate holds for contains one of: the string of #eq?,
  // the set of #any-of?, regex_words() of #match?; none for the negated forms and for
  // capture against capture.
  std::optional<WordSet> needs;
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

// For each pattern of `rule`'s query compiled for `language`, the word sets that must all have
// a member in a file for the pattern to match there: those of the predicates on captures that
// every match of the pattern has (tree-sitter's capture quantifier One or OneOrMore). A
// pattern with no set can match anywhere. Throws InputError like make_query_engine.
std::vector<std::vector<WordSet>> query_needs(const rules::Rule& rule, std::string_view language);

}  // namespace provscan::scan::detail
