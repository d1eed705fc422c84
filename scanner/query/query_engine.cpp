#include "scanner/query/query_engine.h"

#include "common/c_handle.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "common/error.h"
#include "scanner/query/detail/query_detail.h"

// The grammars compiled into this library (see CMakeLists.txt): PROVSCAN_GRAMMAR(id, symbol)
// for language `id` with C entry point tree_sitter_<symbol>().
extern "C" {
#define PROVSCAN_GRAMMAR(id, symbol) const TSLanguage* tree_sitter_##symbol(void);
#include "grammar_table.inc"
#undef PROVSCAN_GRAMMAR
}

namespace provscan::scan {

namespace {

using TsParser = Owned<TSParser, ts_parser_delete>;
using TsTree = Owned<TSTree, ts_tree_delete>;
using TsQuery = Owned<TSQuery, ts_query_delete>;
using TsQueryCursor = Owned<TSQueryCursor, ts_query_cursor_delete>;

struct Grammar {
  std::string_view id;
  const TSLanguage* (*language)();
};

constexpr Grammar kGrammars[] = {
#define PROVSCAN_GRAMMAR(id, symbol) {#id, &tree_sitter_##symbol},
#include "grammar_table.inc"
#undef PROVSCAN_GRAMMAR
};

const Grammar* find_grammar(std::string_view language) noexcept {
  for (const Grammar& g : kGrammars)
    if (g.id == language) return &g;
  return nullptr;
}

// ---- Compiling rules --------------------------------------------------------------------

// One rule's query compiled for one language.
struct CompiledQuery {
  const rules::Rule* rule = nullptr;
  std::string text;  // the query as tree-sitter saw it: top-level predicate groups blanked
  TsQuery query;
  // Indexed by pattern; top-level predicate groups join the pattern before them.
  std::vector<std::vector<detail::Predicate>> predicates;
  std::optional<std::uint32_t> match_capture;  // id of @match, if the query names it
  std::uint32_t capture_count = 0;
  // The prefilter: per pattern, the word sets (ids into Compiled::word_sets) that must all
  // have a member in a file for the pattern to match there (detail::query_needs).
  std::vector<std::vector<std::uint32_t>> needs;
  bool anywhere = false;  // some pattern needs no word
};

struct Compiled {
  std::vector<CompiledQuery> queries;
  // Language id -> indices into `queries`, in rule-set order.
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_language;
  // Every distinct word of every rule, found in one pass over a file, and each distinct word
  // set as the ids of its words.
  std::unique_ptr<detail::WordFinder> words;
  std::vector<std::vector<std::uint32_t>> word_sets;
};

std::string_view error_kind(TSQueryError e) {
  switch (e) {
    case TSQueryErrorSyntax: return "syntax error";
    case TSQueryErrorNodeType: return "unknown node type";
    case TSQueryErrorField: return "unknown field";
    case TSQueryErrorCapture: return "unknown capture";
    case TSQueryErrorStructure: return "impossible pattern";
    case TSQueryErrorLanguage: return "grammar not supported by the runtime";
    case TSQueryErrorNone: break;
  }
  return "error";
}

// "file:line:col: rule ID: " for byte `offset` of the rule's query text.
std::string where(const rules::Rule& r, std::size_t offset) {
  auto p = detail::position_in_query(r.query, offset, r.query_pos.line, r.query_pos.col);
  return fmt::format("{}:{}:{}: rule {}: ", r.query_pos.file, p.line, p.col, r.id);
}

std::string rule_where(const rules::Rule& r) {
  return fmt::format("{}:{}:{}: rule {}: ", r.pos.file, r.pos.line, r.pos.col, r.id);
}

[[noreturn]] void throw_query_error(const rules::Rule& r, std::string_view lang,
                                    TSQueryError e, std::uint32_t offset) {
  std::size_t at = std::min<std::size_t>(offset, r.query.size());
  // Tree-sitter points just past the '@' of an unknown capture; show the capture as written.
  if (e == TSQueryErrorCapture && at > 0 && r.query[at - 1] == '@') --at;
  std::string_view tok = detail::token_at(r.query, at);
  std::string what = tok.empty() ? std::string("at end of query")
                                 : fmt::format("at '{}'", tok);
  // A rule for several languages may compile for one grammar and not another: say which.
  std::string in = r.languages.size() > 1 ? fmt::format(" (language {})", lang) : "";
  throw InputError(
      fmt::format("{}query error: {} {}{}", where(r, at), error_kind(e), what, in));
}

// Tree-sitter returns a name's length through an out-parameter: read it only after the call.
std::string_view string_value(const TSQuery* q, std::uint32_t id) {
  std::uint32_t len = 0;
  const char* s = ts_query_string_value_for_id(q, id, &len);
  return {s, len};
}

std::string_view capture_name(const TSQuery* q, std::uint32_t id) {
  std::uint32_t len = 0;
  const char* s = ts_query_capture_name_for_id(q, id, &len);
  return {s, len};
}

std::vector<detail::PredicateArg> predicate_args(const TSQuery* q, const TSQueryPredicateStep* s,
                                                 std::uint32_t n) {
  std::vector<detail::PredicateArg> args;
  for (std::uint32_t i = 0; i < n; ++i) {
    detail::PredicateArg a;
    if (s[i].type == TSQueryPredicateStepTypeCapture) {
      a.is_capture = true;
      a.capture = s[i].value_id;
      a.text = std::string(capture_name(q, s[i].value_id));
    } else {
      a.text = std::string(string_value(q, s[i].value_id));
    }
    args.push_back(std::move(a));
  }
  return args;
}

// The text of pattern `i` of the query: from its start to the next pattern's start.
std::string_view pattern_text(const CompiledQuery& cq, std::uint32_t i, std::uint32_t count) {
  const std::string& text = cq.text;
  std::size_t begin = std::min<std::size_t>(ts_query_start_byte_for_pattern(cq.query.get(), i),
                                            text.size());
  std::size_t end = i + 1 < count ? ts_query_start_byte_for_pattern(cq.query.get(), i + 1)
                                  : text.size();
  end = std::clamp(end, begin, text.size());
  return std::string_view(text).substr(begin, end - begin);
}

detail::Predicate make_predicate_at(const rules::Rule& r, std::size_t at, std::string_view name,
                                    const std::vector<detail::PredicateArg>& args) {
  try {
    return detail::make_predicate(name, args);
  } catch (const detail::PredicateError& err) {
    throw InputError(where(r, at) + err.what());
  }
}

// Predicates tree-sitter parsed itself: those inside a pattern's parentheses.
void compile_inline_predicates(CompiledQuery& cq) {
  const rules::Rule& r = *cq.rule;
  const TSQuery* q = cq.query.get();
  const std::uint32_t count = ts_query_pattern_count(q);
  const std::vector<std::size_t> offsets = detail::predicate_offsets(cq.text);
  std::size_t ordinal = 0;  // predicates seen so far; tree-sitter numbers them in text order
  for (std::uint32_t i = 0; i < count; ++i) {
    if (!detail::has_capture(pattern_text(cq, i, count)))
      throw InputError(where(r, ts_query_start_byte_for_pattern(q, i)) +
                       "query error: pattern has no capture; name the node to report with "
                       "@match");
    std::uint32_t n = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(q, i, &n);
    for (std::uint32_t b = 0; b < n; ++ordinal) {
      std::uint32_t e = b;
      while (e < n && steps[e].type != TSQueryPredicateStepTypeDone) ++e;
      std::size_t at = ordinal < offsets.size() ? offsets[ordinal]
                                                : ts_query_start_byte_for_pattern(q, i);
      if (e == b || steps[b].type != TSQueryPredicateStepTypeString)
        throw InputError(where(r, at) + "query error: predicate without a name");
      cq.predicates[i].push_back(make_predicate_at(r, at, string_value(q, steps[b].value_id),
                                                   predicate_args(q, steps + b + 1, e - b - 1)));
      b = e + 1;
    }
  }
}

// Top-level predicate groups, taken out of the text before tree-sitter saw it: each applies
// to the pattern before it.
void compile_top_level_predicates(CompiledQuery& cq,
                                  const std::vector<detail::RawPredicate>& raw) {
  const rules::Rule& r = *cq.rule;
  const TSQuery* q = cq.query.get();
  const std::uint32_t count = ts_query_pattern_count(q);
  for (const detail::RawPredicate& p : raw) {
    std::uint32_t owner = count;
    for (std::uint32_t i = 0; i < count && ts_query_start_byte_for_pattern(q, i) < p.offset; ++i)
      owner = i;
    if (owner == count)
      throw InputError(where(r, p.offset) + "query error: predicate before any pattern");
    std::vector<detail::PredicateArg> args;
    for (const auto& a : p.args) {
      detail::PredicateArg arg{a.is_capture, 0, a.text};
      if (a.is_capture) {
        std::uint32_t id = 0;
        while (id < cq.capture_count && capture_name(q, id) != a.text) ++id;
        if (id == cq.capture_count)
          throw InputError(fmt::format("{}query error: unknown capture at '@{}'",
                                       where(r, a.offset), a.text));
        arg.capture = id;
      }
      args.push_back(std::move(arg));
    }
    cq.predicates[owner].push_back(make_predicate_at(r, p.offset, p.name, args));
  }
}

CompiledQuery compile_query(const rules::Rule& r, const Grammar& g) {
  CompiledQuery cq;
  cq.rule = &r;
  std::vector<detail::RawPredicate> raw;
  try {
    cq.text = detail::take_top_level_predicates(r.query, raw);
  } catch (const detail::QuerySyntaxError& e) {
    throw_query_error(r, g.id, TSQueryErrorSyntax, static_cast<std::uint32_t>(e.offset));
  }
  std::uint32_t offset = 0;
  TSQueryError err = TSQueryErrorNone;
  cq.query.reset(ts_query_new(g.language(), cq.text.data(),
                              static_cast<std::uint32_t>(cq.text.size()), &offset, &err));
  if (!cq.query) throw_query_error(r, g.id, err, offset);
  const std::uint32_t count = ts_query_pattern_count(cq.query.get());
  if (count == 0) throw InputError(where(r, 0) + "query error: no pattern");
  cq.capture_count = ts_query_capture_count(cq.query.get());
  for (std::uint32_t id = 0; id < cq.capture_count; ++id)
    if (capture_name(cq.query.get(), id) == "match") cq.match_capture = id;
  cq.predicates.assign(count, {});
  compile_inline_predicates(cq);
  compile_top_level_predicates(cq, raw);
  return cq;
}

// A predicate constrains only matches in which its capture has a node: an optional capture, or
// one in some branches of an alternation only, may be absent, and then the predicate holds
// without any text. Tree-sitter computes, per pattern, how often a capture occurs in a match
// (through alternations, quantifiers and nesting); only One and OneOrMore promise a node.
std::vector<std::vector<detail::WordSet>> pattern_needs(const CompiledQuery& cq) {
  std::vector<std::vector<detail::WordSet>> out(cq.predicates.size());
  for (std::uint32_t i = 0; i < cq.predicates.size(); ++i) {
    for (const detail::Predicate& p : cq.predicates[i]) {
      if (!p.needs) continue;
      TSQuantifier q = ts_query_capture_quantifier_for_id(cq.query.get(), i, p.capture);
      if (q != TSQuantifierOne && q != TSQuantifierOneOrMore) continue;
      out[i].push_back(*p.needs);
    }
  }
  return out;
}

// Numbers words and word sets across all rules, fills each query's needs and compiles the
// word finder.
void compile_prefilter(Compiled& c) {
  std::map<std::pair<std::string, bool>, std::uint32_t> word_ids;
  std::map<std::vector<std::uint32_t>, std::uint32_t> set_ids;
  for (CompiledQuery& cq : c.queries) {
    for (const auto& pattern : pattern_needs(cq)) {
      if (pattern.empty()) cq.anywhere = true;
      std::vector<std::uint32_t> sets;
      for (const detail::WordSet& ws : pattern) {
        std::vector<std::uint32_t> ids;
        for (const std::string& w : ws.words)
          ids.push_back(word_ids.emplace(std::pair(w, ws.caseless), word_ids.size()).first->second);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        auto [it, added] = set_ids.emplace(std::move(ids), c.word_sets.size());
        if (added) c.word_sets.push_back(it->first);
        sets.push_back(it->second);
      }
      cq.needs.push_back(std::move(sets));
    }
  }
  std::vector<std::pair<std::string, bool>> words(word_ids.size());
  for (const auto& [word, id] : word_ids) words[id] = word;
  c.words = std::make_unique<detail::WordFinder>(words);
}

std::shared_ptr<const Compiled> compile_rules(const rules::RuleSet& set) {
  auto c = std::make_shared<Compiled>();
  for (const rules::Rule& r : set.rules) {
    if (r.engine != rules::Engine::Query) continue;
    if (r.languages.empty())
      throw InputError(rule_where(r) + "a query rule must list its languages");
    if (r.query.empty()) throw InputError(rule_where(r) + "a query rule needs a query");
    if (r.query.size() > UINT32_MAX) throw InputError(rule_where(r) + "query too long");
    for (const std::string& lang : r.languages) {
      const Grammar* g = find_grammar(lang);
      if (!g)
        throw InputError(rule_where(r) +
                         fmt::format("no tree-sitter grammar for language '{}' (have: {})",
                                     lang, fmt::join(grammar_languages(), ", ")));
      c->by_language[lang].push_back(c->queries.size());
      c->queries.push_back(compile_query(r, *g));
    }
  }
  compile_prefilter(*c);
  return c;
}

// ---- Scanning -----------------------------------------------------------------------------

// Where byte `offset` of `text` stands, as tree-sitter counts: rows from 0, columns in bytes.
TSPoint point_at(std::string_view text, std::size_t offset) {
  TSPoint p{0, 0};
  std::size_t line_start = 0;
  for (std::size_t i = text.find('\n'); i != std::string_view::npos && i < offset;
       i = text.find('\n', i + 1)) {
    ++p.row;
    line_start = i + 1;
  }
  p.column = static_cast<std::uint32_t>(offset - line_start);
  return p;
}

// The edit that turns `before` into `after`: one replaced span between their common prefix and
// common suffix.
TSInputEdit edit_between(std::string_view before, std::string_view after) {
  const std::size_t shorter = std::min(before.size(), after.size());
  std::size_t prefix = 0;
  while (prefix < shorter && before[prefix] == after[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < shorter - prefix &&
         before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix])
    ++suffix;
  TSInputEdit e;
  e.start_byte = static_cast<std::uint32_t>(prefix);
  e.old_end_byte = static_cast<std::uint32_t>(before.size() - suffix);
  e.new_end_byte = static_cast<std::uint32_t>(after.size() - suffix);
  e.start_point = point_at(after, e.start_byte);
  e.old_end_point = point_at(before, e.old_end_byte);
  e.new_end_point = point_at(after, e.new_end_byte);
  return e;
}

std::uint32_t first_line(TSNode n) { return ts_node_start_point(n).row + 1; }

// A node ending at column 0 ends with the previous line's newline: that line is its last.
std::uint32_t last_line(TSNode n) {
  TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
  if (e.column == 0 && e.row > s.row) return e.row;
  return e.row + 1;
}

class QueryDetector final : public Detector {
 public:
  QueryDetector(std::shared_ptr<const Compiled> compiled, const QueryLimits& limits)
      : compiled_(std::move(compiled)),
        limits_(limits),
        parser_(ts_parser_new()),
        cursor_(ts_query_cursor_new()),
        scratch_(*compiled_->words) {
    if (!parser_ || !cursor_) throw std::bad_alloc();
    ts_parser_set_timeout_micros(parser_.get(), limits_.parse_timeout_micros);
    ts_query_cursor_set_match_limit(cursor_.get(), kQueryCursorMatchLimit);
  }

  void scan(const Target& t, std::vector<Hit>& out, ScanNotes& notes) override {
    if (t.binary) return;
    auto lang = compiled_->by_language.find(t.language);
    if (lang == compiled_->by_language.end()) return;
    std::vector<const CompiledQuery*> queries;
    for (std::size_t i : lang->second)
      if (compiled_->queries[i].rule->paths.matches(t.path))
        queries.push_back(&compiled_->queries[i]);
    if (queries.empty()) return;
    if (limits_.prefilter) {
      compiled_->words->find(t.content, scratch_, found_);
      std::erase_if(queries, [&](const CompiledQuery* cq) { return !may_match(*cq); });
    }
    if (queries.empty()) return;
    if (t.content.size() > kMaxQueryParseBytes) {
      note(notes, t, "blob-too-large",
           fmt::format("{} bytes is over the tree-sitter parse limit of {} bytes",
                       t.content.size(), kMaxQueryParseBytes),
           true);
      return;
    }
    TsTree tree = parse(t, *find_grammar(t.language));
    if (!tree) {
      const std::uint64_t us = limits_.parse_timeout_micros;
      note(notes, t, "timeout",
           us % 1'000'000 == 0
               ? fmt::format("tree-sitter parse exceeded {} s", us / 1'000'000)
               : fmt::format("tree-sitter parse exceeded {} microseconds", us),
           true);
      return;
    }
    for (const CompiledQuery* cq : queries) run(*cq, tree.get(), t, out, notes);
  }

 private:
  // A parse kept for the next version of the same path (see QueryLimits::incremental).
  struct Kept {
    std::string path;
    const Grammar* grammar = nullptr;
    std::string content;
    TsTree tree;
  };

  TsTree parse(const Target& t, const Grammar& g) {
    if (current_ != &g) {
      if (!ts_parser_set_language(parser_.get(), g.language()))
        throw Error(fmt::format("tree-sitter runtime rejected the {} grammar", g.id));
      current_ = &g;
    }
    const bool keep = limits_.incremental && t.content.size() >= kMinIncrementalBytes &&
                      t.content.size() <= kMaxKeptBytes;
    auto kept = std::find_if(kept_.begin(), kept_.end(), [&](const Kept& k) {
      return k.path == t.path && k.grammar == &g;
    });
    TsTree tree;
    // A version with errors is likely followed by one with errors, which would be parsed twice.
    if (keep && kept != kept_.end() && !ts_node_has_error(ts_tree_root_node(kept->tree.get()))) {
      TsTree edited(ts_tree_copy(kept->tree.get()));
      const TSInputEdit e = edit_between(kept->content, t.content);
      ts_tree_edit(edited.get(), &e);
      tree = parse_string(t.content, edited.get());
      // Error recovery depends on the way the parser came: where it had to recover, the tree
      // is taken from a fresh parse, the one a scan without history gets.
      if (tree && ts_node_has_error(ts_tree_root_node(tree.get())))
        tree = parse_string(t.content, nullptr);
    } else {
      tree = parse_string(t.content, nullptr);
    }
    if (kept != kept_.end()) kept_.erase(kept);
    if (keep && tree) {
      kept_.push_back(Kept{std::string(t.path), &g, std::string(t.content),
                           TsTree(ts_tree_copy(tree.get()))});
      // Bounded memory: a tree takes some twenty times its text.
      auto bytes = [&] {
        std::size_t n = 0;
        for (const Kept& k : kept_) n += k.content.size();
        return n;
      };
      while (kept_.size() > kKeptParses || bytes() > kMaxKeptBytes) kept_.erase(kept_.begin());
    }
    return tree;
  }

  TsTree parse_string(std::string_view content, const TSTree* old) {
    TsTree tree(ts_parser_parse_string(parser_.get(), old, content.data(),
                                       static_cast<std::uint32_t>(content.size())));
    // A halted parse would otherwise resume on the next call, on another blob.
    if (!tree) ts_parser_reset(parser_.get());
    return tree;
  }

  // False when some word set of every pattern has no member in the text found_ was made for.
  bool may_match(const CompiledQuery& cq) const {
    if (cq.anywhere) return true;
    auto set_found = [&](std::uint32_t set) {
      const auto& ids = compiled_->word_sets[set];
      return std::any_of(ids.begin(), ids.end(), [&](std::uint32_t w) { return found_[w] != 0; });
    };
    return std::any_of(cq.needs.begin(), cq.needs.end(), [&](const auto& sets) {
      return std::all_of(sets.begin(), sets.end(), set_found);
    });
  }

  void run(const CompiledQuery& cq, const TSTree* tree, const Target& t, std::vector<Hit>& out,
           ScanNotes& notes) {
    ts_query_cursor_exec(cursor_.get(), cq.query.get(), ts_tree_root_node(tree));
    std::set<std::pair<std::uint32_t, std::uint32_t>> spans;  // one hit per span, in line order
    bool regex_limit = false;
    TSQueryMatch m;
    while (ts_query_cursor_next_match(cursor_.get(), &m)) {
      if (!collect(cq, m, t.content)) continue;
      switch (check_predicates(cq, m.pattern_index)) {
        case detail::Verdict::Fails: continue;
        case detail::Verdict::Unknown: regex_limit = true; continue;
        case detail::Verdict::Holds: break;
      }
      const auto sp = span(cq, m);
      if (spans.contains(sp)) continue;
      if (spans.size() == kMaxQueryHitsPerRulePerBlob) {
        note(notes, t, "match-cap",
             fmt::format("rule {}: more than {} matches; the rest were not reported",
                         cq.rule->id, kMaxQueryHitsPerRulePerBlob),
             false);
        break;
      }
      spans.insert(sp);
    }
    for (auto [first, last] : spans) out.push_back(Hit{cq.rule, first, last, {}});
    if (ts_query_cursor_did_exceed_match_limit(cursor_.get()))
      note(notes, t, "match-limit",
           fmt::format("rule {}: tree-sitter dropped matches past {} in progress", cq.rule->id,
                       kQueryCursorMatchLimit),
           false);
    if (regex_limit)
      note(notes, t, "regex-limit",
           fmt::format("rule {}: a #match? regex hit its match limit; those matches were not "
                       "reported",
                       cq.rule->id),
           false);
  }

  // Fills texts_ with the nodes of each capture; false when the match has no capture.
  bool collect(const CompiledQuery& cq, const TSQueryMatch& m, std::string_view content) {
    texts_.assign(cq.capture_count, {});
    for (std::uint16_t i = 0; i < m.capture_count; ++i) {
      TSNode n = m.captures[i].node;
      std::uint32_t b = std::min<std::uint32_t>(ts_node_start_byte(n), content.size());
      std::uint32_t e = std::clamp<std::uint32_t>(ts_node_end_byte(n), b, content.size());
      texts_[m.captures[i].index].push_back(content.substr(b, e - b));
    }
    return m.capture_count > 0;
  }

  detail::Verdict check_predicates(const CompiledQuery& cq, std::uint32_t pattern) const {
    for (const detail::Predicate& p : cq.predicates[pattern]) {
      detail::Verdict v = detail::evaluate(p, texts_);
      if (v != detail::Verdict::Holds) return v;
    }
    return detail::Verdict::Holds;
  }

  // The lines of the @match capture if the match has it, else of all its captures.
  static std::pair<std::uint32_t, std::uint32_t> span(const CompiledQuery& cq,
                                                      const TSQueryMatch& m) {
    bool use_match = false;
    if (cq.match_capture)
      for (std::uint16_t i = 0; i < m.capture_count; ++i)
        use_match = use_match || m.captures[i].index == *cq.match_capture;
    std::uint32_t lo = UINT32_MAX, hi = 0;
    for (std::uint16_t i = 0; i < m.capture_count; ++i) {
      if (use_match && m.captures[i].index != *cq.match_capture) continue;
      lo = std::min(lo, first_line(m.captures[i].node));
      hi = std::max(hi, last_line(m.captures[i].node));
    }
    return {lo, std::max(lo, hi)};
  }

  static void note(ScanNotes& notes, const Target& t, std::string kind, std::string reason,
                   bool incomplete) {
    Skipped s;
    s.kind = std::move(kind);
    s.path = std::string(t.path);
    s.object = std::string(t.blob_id);
    s.reason = std::move(reason);
    s.incomplete = incomplete;
    notes.skipped.push_back(std::move(s));
  }

  std::shared_ptr<const Compiled> compiled_;
  QueryLimits limits_;
  TsParser parser_;  // one per thread: a TSParser is not re-entrant
  TsQueryCursor cursor_;
  const Grammar* current_ = nullptr;
  detail::CaptureTexts texts_;  // scratch, reused across matches
  detail::WordFinder::Scratch scratch_;
  std::vector<std::uint8_t> found_;  // per word id: found in the current blob
  std::vector<Kept> kept_;           // least recently parsed first
};

class QueryEngine final : public Engine {
 public:
  QueryEngine(const rules::RuleSet& rules, const QueryLimits& limits)
      : compiled_(compile_rules(rules)), limits_(limits) {}
  std::string_view name() const override { return "query"; }
  std::unique_ptr<Detector> make_detector() const override {
    return std::make_unique<QueryDetector>(compiled_, limits_);
  }

 private:
  std::shared_ptr<const Compiled> compiled_;  // TSQuery is immutable: shared by all threads
  QueryLimits limits_;
};

}  // namespace

std::unique_ptr<Engine> make_query_engine(const rules::RuleSet& rules, const QueryLimits& limits) {
  QueryLimits l = limits;
  if (const char* v = std::getenv("PROVSCAN_QUERY_PREFILTER"); v && std::string_view(v) == "0")
    l.prefilter = false;
  if (const char* v = std::getenv("PROVSCAN_QUERY_INCREMENTAL"); v && std::string_view(v) == "0")
    l.incremental = false;
  return std::make_unique<QueryEngine>(rules, l);
}

namespace detail {

std::vector<std::vector<WordSet>> query_needs(const rules::Rule& rule, std::string_view language) {
  if (rule.query.size() > UINT32_MAX) throw InputError(rule_where(rule) + "query too long");
  const Grammar* g = find_grammar(language);
  if (!g)
    throw InputError(rule_where(rule) +
                     fmt::format("no tree-sitter grammar for language '{}'", language));
  return pattern_needs(compile_query(rule, *g));
}

}  // namespace detail

std::vector<std::string> grammar_languages() {
  std::vector<std::string> out;
  for (const Grammar& g : kGrammars) out.emplace_back(g.id);
  std::sort(out.begin(), out.end());
  return out;
}

bool has_grammar(std::string_view language) noexcept { return find_grammar(language) != nullptr; }

namespace detail {

std::optional<GrammarAbi> grammar_abi(std::string_view language) {
  const Grammar* g = find_grammar(language);
  if (!g) return std::nullopt;
  GrammarAbi abi;
  abi.version = ts_language_version(g->language());
  abi.runtime_min = TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION;
  abi.runtime_max = TREE_SITTER_LANGUAGE_VERSION;
  TsParser parser(ts_parser_new());
  abi.loads = parser && ts_parser_set_language(parser.get(), g->language());
  return abi;
}

}  // namespace detail

}  // namespace provscan::scan
