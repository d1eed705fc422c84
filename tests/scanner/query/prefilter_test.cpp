#include "scanner/query/query_engine.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

#include "scanner/rule_tester.h"
#include "tests/scanner/query/query_rule.h"
#include "tests/support/run_cli.h"

#include "rules/loader.h"
#include "scanner/language.h"
#include "scanner/query/detail/query_detail.h"

namespace provscan::scan {
namespace {

namespace fs = std::filesystem;
using detail::WordSet;

using test::query_rule;

WordSet words(std::vector<std::string> w, bool caseless = false) {
  std::sort(w.begin(), w.end());
  return WordSet{std::move(w), caseless};
}

// The needs of a one-rule query, each pattern's word sets written "a|b & c" (sets sorted),
// patterns separated by "; " and "*" for a pattern that needs nothing.
std::string needs(std::string_view language, std::string query) {
  auto per_pattern = detail::query_needs(query_rule("t.rule", {std::string(language)},
                                                    std::move(query)),
                                         language);
  std::string out;
  for (const auto& sets : per_pattern) {
    std::vector<std::string> parts;
    for (WordSet ws : sets) {
      std::sort(ws.words.begin(), ws.words.end());
      std::string p = ws.caseless ? "(?i)" : "";
      for (std::size_t i = 0; i < ws.words.size(); ++i) p += (i ? "|" : "") + ws.words[i];
      parts.push_back(p);
    }
    std::sort(parts.begin(), parts.end());
    std::string pattern;
    for (const std::string& p : parts) pattern += (pattern.empty() ? "" : " & ") + p;
    out += (out.empty() ? "" : "; ") + (pattern.empty() ? std::string("*") : pattern);
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool contains_one(const std::string& text, const WordSet& ws) {
  const std::string hay = ws.caseless ? lower(text) : text;
  return std::any_of(ws.words.begin(), ws.words.end(), [&](const std::string& w) {
    return hay.find(ws.caseless ? lower(w) : w) != std::string::npos;
  });
}

}  // namespace

// ---- Words of a regex ----------------------------------------------------------------------

TEST_CASE("regex words: literals, alternations and optional parts") {
  CHECK(detail::regex_words("^(b64decode|b32decode|unhexlify)$") ==
        words({"b32decode", "b64decode", "unhexlify"}));
  CHECK(detail::regex_words("NODE_TLS_REJECT_UNAUTHORIZED") ==
        words({"NODE_TLS_REJECT_UNAUTHORIZED"}));
  // An optional character multiplies out; the longest shortest word wins.
  CHECK(detail::regex_words("api_?key") == words({"api_key", "apikey"}));
  CHECK(detail::regex_words("(foo)?barbaz") == words({"barbaz"}));  // "foobarbaz" holds it
  CHECK(detail::regex_words("Download(Data|String)?") == words({"Download"}));
  CHECK(detail::regex_words("^:?(verify|ssl_verify|verify_peer)$") == words({"verify"}));
  CHECK(detail::regex_words("x{0,3}yz") == words({"yz"}));
  CHECK(detail::regex_words("(ab){2}c") == words({"ababc"}));
  CHECK(detail::regex_words("(abc)+") == words({"abc"}));
  CHECK(detail::regex_words(".*[Cc]lient") == words({"Client", "client"}));
  CHECK(detail::regex_words("\\bcurl\\s+-urlcache\\b") == words({"-urlcache"}));
  CHECK(detail::regex_words("\\x41\\x{42}C\\.") == words({"ABC."}));
  CHECK(detail::regex_words("(?<name>evil)\\k<name>") == std::nullopt);  // \k: not read
  CHECK(detail::regex_words("(ab)\\1") == words({"ab"}));
  CHECK(detail::regex_words("[\\]x]yz") == words({"yz"}));
  CHECK(detail::regex_words("\\Qa.b\\E") == words({"a.b"}));
  CHECK(detail::regex_words("\\Qa.bc\\E?") == words({"a.b"}));
  // Alternatives each contribute their best word.
  CHECK(detail::regex_words("(\\bcurl\\b|\\bwget\\b|Invoke-WebRequest)") ==
        words({"Invoke-WebRequest", "curl", "wget"}));
}

TEST_CASE("regex words: case-insensitive regexes give caseless words") {
  CHECK(detail::regex_words("(?i)(pass(word|wd)?|secret)$") == words({"pass", "secret"}, true));
  CHECK(detail::regex_words("^(?i)preg_replace$") == words({"preg_replace"}, true));
  CHECK(detail::regex_words("(?i:abc)d") == words({"abcd"}, true));
  // A (?i) in a later alternative still applies to the rest of its group.
  CHECK(detail::regex_words("(getInputStream|(?i)base64|decode)") ==
        words({"base64", "decode", "getInputStream"}, true));
  CHECK(detail::regex_words("(?-i)abc") == words({"abc"}));
  CHECK(detail::regex_words("(?s)abc") == words({"abc"}));
}

TEST_CASE("regex words: nothing where no word is certain") {
  CHECK(detail::regex_words("foo|") == std::nullopt);  // the empty branch matches anywhere
  CHECK(detail::regex_words("(foo)*") == std::nullopt);
  CHECK(detail::regex_words("a.*b") == std::nullopt);  // words under two bytes are not kept
  CHECK(detail::regex_words("^['\"][^'\"]{4,}['\"]$") == std::nullopt);
  CHECK(detail::regex_words("(?=abc)d") == std::nullopt);  // a lookahead consumes nothing
  CHECK(detail::regex_words("") == std::nullopt);
  // Constructs whose reading is not certain end the analysis.
  CHECK(detail::regex_words("(?x) a b c") == std::nullopt);  // extended: spaces mean nothing
  CHECK(detail::regex_words("(?(1)abc|def)") == std::nullopt);
  CHECK(detail::regex_words("(*UCP)abc") == std::nullopt);
  CHECK(detail::regex_words("abc{,3}") == std::nullopt);  // PCRE2 versions differ on {,n}
  CHECK(detail::regex_words("(?#note)abc") == words({"abc"}));
  // PCRE2 ignores \E and \Q\E, so a quantifier after them binds to the character before:
  // "abc\E*" is "ab" then "c*". Reading that as "abc" would lose matches; nothing is read.
  CHECK(detail::regex_words("abc\\E*") == std::nullopt);
  CHECK(detail::regex_words("abc\\Q\\E?") == std::nullopt);
  CHECK(detail::regex_words("abc(?i)+") == std::nullopt);
  CHECK(detail::regex_words("ab\\b*cd") == std::nullopt);
}

TEST_CASE("regex words: every text a regex matches contains one of its words") {
  // Random texts built from pieces of each regex, checked against PCRE2 itself.
  struct Case {
    std::string regex;
    std::vector<std::string> pieces;
  };
  const std::vector<Case> cases = {
      {"^(b64decode|b32decode)$", {"b64decode", "b32decode", "decode", "x"}},
      {"(?i)(pass(word|wd|phrase)?|pwd|secret|api_?key|(auth|access|admin)_?token|master_?key)$",
       {"pass", "PASS", "word", "wd", "phrase", "pwd", "secret", "api", "_", "key", "KEY", "auth",
        "access", "admin", "token", "master", "x"}},
      {"(\\bcurl\\b|\\bwget\\b|\\|\\s*(ba|z|da)?sh\\b|\\bnc\\s+-e\\b)",
       {"curl", "wget", "|", " ", "sh", "ba", "z", "nc", "-e", "x", "."}},
      {"^\"(/usr)?(/bin/)?(ba|z|da|k)?sh\"$",
       {"\"", "/usr", "/bin/", "ba", "k", "sh"}},
      {"^(Process|WebClient|Assembly|AppDomain|.*[Cc]lient|new )",
       {"Process", "Web", "Client", "client", "Assembly", "App", "Domain", "new ", " ", "x",
        "lient", "C"}},
      {"(Buffer\\.from\\s*\\([^)]*,\\s*['\"`](base64|hex)['\"`]|\\batob\\s*\\()",
       {"Buffer", ".from", "(", "s", ",", "'", "\"", "`", "base64", "hex", "atob", " ", ")"}},
      {"^:?(verify|ssl_verify|verify_ssl|verify_peer)$",
       {":", "verify", "ssl_", "_ssl", "_peer", "x"}},
      {"(?i)ab(c|d)?e+f{2}", {"a", "B", "c", "e", "E", "ff", "F"}},
      {"x(ab){1,2}y?", {"x", "a", "b", "ab", "y"}},
      {"(getInputStream\\s*\\(|(?i)base64|\\bdecode\\w*\\s*\\()",
       {"getInputStream", "Base64", "BASE64", "decode", "decoder", "(", " ", "x"}},
  };
  std::mt19937 rng(20261123);
  for (const Case& c : cases) {
    CAPTURE(c.regex);
    const auto ws = detail::regex_words(c.regex);
    REQUIRE(ws);
    detail::Regex regex(c.regex);
    std::uniform_int_distribution<std::size_t> piece(0, c.pieces.size() - 1), len(1, 6);
    int matched = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string text;
      for (std::size_t n = len(rng); n > 0; --n) text += c.pieces[piece(rng)];
      if (regex.search(text) != true) continue;
      ++matched;
      CAPTURE(text);
      CHECK(contains_one(text, *ws));
    }
    CHECK(matched > 10);  // the pieces do reach the regex
  }
}

// ---- Words of a query ------------------------------------------------------------------------

TEST_CASE("query needs: the words of predicates on captures every match has") {
  CHECK(needs("python",
              "((call function: (identifier) @f arguments: (argument_list (string) @s)) @match\n"
              " (#eq? @f \"exec\") (#match? @s \"curl|wget\"))") == "curl|wget & exec");
  CHECK(needs("python", "((call function: (identifier) @f) @match (#any-of? @f \"exec\" \"eval\"))") ==
        "eval|exec");
  // Top-level predicate groups belong to the pattern before them; each pattern has its own.
  CHECK(needs("python",
              "(call function: (identifier) @f) @match\n(#eq? @f \"exec\")\n"
              "(attribute attribute: (identifier) @a) @match\n(#eq? @a \"system\")\n"
              "(string) @match\n") == "exec; system; *");
  // A capture repeated with + has a node in every match.
  CHECK(needs("python", "((block (expression_statement)+ @e) @match (#match? @e \"import\"))") ==
        "import");
  // (?i) gives caseless words.
  CHECK(needs("php", "((name) @match (#match? @match \"^(?i)eval$\"))") == "(?i)eval");
}

TEST_CASE("query needs: captures that may be absent require nothing") {
  // In one branch of an alternation only: a match through the other branch has no node.
  CHECK(needs("python",
              "(call function: [(identifier) @a (attribute attribute: (identifier) @b)]) @match\n"
              "(#eq? @a \"exec\")\n(#eq? @b \"system\")") == "*");
  // In every branch: required.
  CHECK(needs("python",
              "(call function: [(identifier) @a (attribute attribute: (identifier) @a)]) @match\n"
              "(#eq? @a \"exec\")") == "exec");
  // Optional, and zero-or-more.
  CHECK(needs("ruby",
              "(call receiver: (_)? @recv method: (identifier) @fn) @match\n"
              "(#eq? @fn \"open\")\n(#match? @recv \"^Kernel$\")") == "open");
  CHECK(needs("python", "((block (expression_statement)* @e) @match (#eq? @e \"import\"))") ==
        "*");
  // A capture inside an optional group.
  CHECK(needs("python",
              "(call function: (identifier) @f arguments: (argument_list (string) @s)?) @match\n"
              "(#eq? @s \"\\\"x\\\"\")") == "*");
  // A predicate on a capture of another pattern constrains nothing in this one.
  CHECK(needs("python",
              "(call function: (identifier) @f) @match\n(#eq? @f \"exec\")\n"
              "(string) @match\n(#eq? @f \"exec\")") == "exec; *");
}

TEST_CASE("query needs: negated predicates, capture against capture and short words require nothing") {
  CHECK(needs("python", "((call function: (identifier) @f) @match (#not-eq? @f \"exec\"))") ==
        "*");
  CHECK(needs("python", "((call function: (identifier) @f) @match (#not-match? @f \"exec\"))") ==
        "*");
  CHECK(needs("python",
              "((call function: (identifier) @f) @match (#not-any-of? @f \"exec\" \"eval\"))") ==
        "*");
  CHECK(needs("python",
              "((call function: (identifier) @f arguments: (argument_list (identifier) @g)) @match"
              " (#eq? @f @g))") == "*");
  CHECK(needs("python", "((call function: (identifier) @f) @match (#any-of? @f \"exec\" \"e\"))") ==
        "*");
  CHECK(needs("python", "((call function: (identifier) @f) @match (#match? @f \"^.x\"))") == "*");
}

TEST_CASE("query needs: anonymous nodes require nothing, since error recovery inserts them") {
  CHECK(needs("c", "(binary_expression operator: \"==\") @match") == "*");
  // A declaration without its ';' parses with a zero-width MISSING ";" that a query matches:
  // the text has no ';', yet the pattern naming ";" matches.
  rules::RuleSet set;
  set.rules.push_back(query_rule("t.semi", {"c"}, "(declaration \";\" @semi) @match"));
  auto d = make_query_engine(set)->make_detector();
  std::vector<Hit> hits;
  ScanNotes notes;
  const std::string text = "int x = 1\n";
  d->scan({"a.c", "1", text, "c", false}, hits, notes);
  CHECK(text.find(';') == std::string::npos);
  CHECK(hits.size() == 1);
}

// ---- The engine with and without the prefilter ----------------------------------------------

namespace {

struct Outcome {
  std::vector<std::tuple<std::string, std::uint32_t, std::uint32_t>> hits;  // rule, lines
  std::vector<std::string> notes;                                           // kind: reason
};

Outcome run(Detector& d, const Target& t) {
  std::vector<Hit> hits;
  ScanNotes notes;
  d.scan(t, hits, notes);
  Outcome o;
  for (const Hit& h : hits) o.hits.emplace_back(h.rule->id, h.line, h.end_line);
  std::sort(o.hits.begin(), o.hits.end());
  for (const Skipped& s : notes.skipped) o.notes.push_back(s.kind + ": " + s.reason);
  return o;
}

// The fixtures of the bundled packs (every file but the rule files), sorted. Listed first and
// read after, so a rule being added meanwhile does not break the walk.
std::vector<fs::path> pack_fixtures(bool beside_query_rules_only = false) {
  const fs::path packs = fs::path(PROVSCAN_SOURCE_DIR) / "rules" / "packs";
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(packs, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".yaml" || !fs::is_regular_file(p, ec)) continue;
    if (beside_query_rules_only) {
      const fs::path yaml = fs::path(p).replace_extension(".yaml");
      if (provscan::test::read_text(yaml.string()).find("engine: query") == std::string::npos) continue;
    }
    out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

rules::RuleSet bundled_query_rules() {
  const fs::path packs = fs::path(PROVSCAN_SOURCE_DIR) / "rules" / "packs";
  rules::RuleSet all = rules::load_rules({packs.string()});
  rules::RuleSet set;
  for (const rules::Rule& r : all.rules)
    if (r.engine == rules::Engine::Query) set.rules.push_back(r);
  return set;
}

}  // namespace

TEST_CASE("the prefilter never changes the hits of the bundled query rules") {
  rules::RuleSet set = bundled_query_rules();
  REQUIRE(set.rules.size() >= 40);

  // Nearly every bundled rule names words in every pattern, so the prefilter has work to do.
  std::size_t filtered = 0;
  for (const rules::Rule& r : set.rules) {
    auto per_pattern = detail::query_needs(r, r.languages.front());
    filtered += std::none_of(per_pattern.begin(), per_pattern.end(),
                             [](const auto& sets) { return sets.empty(); });
  }
  CHECK(filtered * 10 >= set.rules.size() * 8);

  QueryLimits off;
  off.prefilter = false;
  off.incremental = false;
  auto with = make_query_engine(set)->make_detector();
  auto without = make_query_engine(set, off)->make_detector();

  // Every fixture of the packs that a grammar reads, whole and with each line left out in
  // turn: dropping lines drops words, so rules are skipped, and the hits must not change.
  std::size_t texts = 0, with_hits = 0;
  for (const fs::path& fixture : pack_fixtures()) {
    const std::string text = provscan::test::read_text(fixture.string());
    const std::string path = provscan::scan::test_path_of(fixture, text);
    const std::string language(detect_language(path, text));
    if (!has_grammar(language)) continue;
    CAPTURE(fixture.string());
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l + "\n");
    for (std::size_t drop = 0; drop <= lines.size(); ++drop) {
      std::string variant;
      for (std::size_t i = 0; i < lines.size(); ++i)
        if (i != drop) variant += lines[i];
      CAPTURE(drop);
      Target t{path, "0123456789abcdef0123456789abcdef01234567", variant, language, false};
      Outcome a = run(*with, t), b = run(*without, t);
      CHECK(a.hits == b.hits);
      CHECK(a.notes == b.notes);
      ++texts;
      with_hits += !b.hits.empty();
    }
  }
  CHECK(texts > 1000);
  CHECK(with_hits > texts / 2);
}

TEST_CASE("incremental parses of edited versions give the hits of fresh parses") {
  // Each fixture of the query packs, repeated until it is large enough to be kept, then edited
  // step by step (a line dropped, doubled, or swapped with the next: often a syntax error) and
  // scanned at the same path, as a history scan sees a file. `(_) @match` per language also
  // compares the trees node by node (up to the hit cap).
  rules::RuleSet set = bundled_query_rules();
  for (const std::string& lang : grammar_languages())
    set.rules.push_back(query_rule("t.nodes." + lang, {lang}, "(_) @match"));
  QueryLimits fresh;
  fresh.prefilter = false;
  fresh.incremental = false;
  auto with = make_query_engine(set)->make_detector();
  auto without = make_query_engine(set, fresh)->make_detector();

  std::mt19937 rng(7);
  std::size_t steps = 0;
  for (const fs::path& fixture : pack_fixtures(true)) {
    const std::string text = provscan::test::read_text(fixture.string());
    const std::string path = provscan::scan::test_path_of(fixture, text);
    const std::string language(detect_language(path, text));
    if (!has_grammar(language) || text.empty()) continue;
    CAPTURE(fixture.string());
    std::vector<std::string> lines;
    for (std::size_t size = 0; size < kMinIncrementalBytes + 2048; size += text.size()) {
      std::istringstream in(text);
      for (std::string l; std::getline(in, l);) lines.push_back(l + "\n");
    }
    for (int step = 0; step < 9; ++step) {
      std::uniform_int_distribution<std::size_t> at(0, lines.size() - 2);
      const std::size_t i = at(rng);
      switch (step % 3) {
        case 0: lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i)); break;
        case 1: lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i), lines[i]); break;
        default: std::swap(lines[i], lines[i + 1]); break;
      }
      std::string version;
      for (const std::string& l : lines) version += l;
      CAPTURE(step);
      Target t{path, "0123456789abcdef0123456789abcdef01234567", version, language, false};
      Outcome a = run(*with, t), b = run(*without, t);
      CHECK(a.hits == b.hits);
      CHECK(a.notes == b.notes);
      ++steps;
    }
  }
  CHECK(steps > 250);
}

TEST_CASE("a blob no rule can match is not parsed") {
  // A 1-microsecond parse bound makes every parse of a large input time out: a note tells
  // whether the engine parsed.
  rules::RuleSet set;
  set.rules.push_back(
      query_rule("t.rule", {"python"}, "((call function: (identifier) @f) @match (#eq? @f \"last\"))"));
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "f(g(h(" + std::to_string(i) + ")))\n";
  QueryLimits fast;
  fast.parse_timeout_micros = 1;
  QueryLimits fast_off = fast;
  fast_off.prefilter = false;
  auto with = make_query_engine(set, fast)->make_detector();
  auto without = make_query_engine(set, fast_off)->make_detector();
  const Target t{"big.py", "1", big, "python", false};
  CHECK(run(*with, t).notes.empty());
  CHECK(run(*without, t).notes == std::vector<std::string>{
                                      "timeout: tree-sitter parse exceeded 1 microseconds"});
  // With the word in the text, the parse happens (and times out).
  const std::string with_word = big + "last()\n";
  const Target t2{"big.py", "1", with_word, "python", false};
  CHECK(run(*with, t2).notes.size() == 1);

  // PROVSCAN_QUERY_PREFILTER=0 turns it off for benchmarks.
  ::setenv("PROVSCAN_QUERY_PREFILTER", "0", 1);
  auto env_off = make_query_engine(set, fast)->make_detector();
  ::unsetenv("PROVSCAN_QUERY_PREFILTER");
  CHECK(run(*env_off, t).notes.size() == 1);
  CHECK(QueryLimits{}.prefilter);
}

TEST_CASE("rules are skipped one by one: the others still run") {
  rules::RuleSet set;
  set.rules.push_back(query_rule("t.exec", {"python"},
                                 "((call function: (identifier) @f) @match (#eq? @f \"exec\"))"));
  set.rules.push_back(query_rule("t.eval", {"python"},
                                 "((call function: (identifier) @f) @match (#eq? @f \"eval\"))"));
  set.rules.push_back(query_rule("t.any", {"python"}, "(call) @match"));
  auto d = make_query_engine(set)->make_detector();
  Outcome o = run(*d, {"a.py", "1", "print(1)\neval(x)\n", "python", false});
  using H = std::tuple<std::string, std::uint32_t, std::uint32_t>;
  CHECK(o.hits == std::vector<H>{{"t.any", 1, 1}, {"t.any", 2, 2}, {"t.eval", 2, 2}});
  Outcome none = run(*d, {"a.py", "1", "print(1)\n", "python", false});
  CHECK(none.hits == std::vector<H>{{"t.any", 1, 1}});
}

}  // namespace provscan::scan
