// The words a query match needs, and a one-pass search for them (see query_engine.h,
// "Prefilter"). Everything here must be sound: a word set is kept only when every match is
// certain to contain one of its words; when in doubt, nothing is derived and the rule runs.
#include "common/c_handle.h"

#include <hs/hs.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include "common/error.h"
#include "scanner/query/detail/query_detail.h"
#include "scanner/signature/hs_cache.h"

namespace provscan::scan::detail {

namespace {

using Words = std::vector<std::string>;

// Larger sets are not worth carrying (and products of sets grow fast).
constexpr std::size_t kMaxSetWords = 64;

// ---- Words of a regex --------------------------------------------------------------------
//
// A recursive-descent reading of the PCRE2 syntax the rules use. For each piece of the regex
// it knows, when it can, the few exact strings the piece matches (`exact`), and a set of
// words one of which every match of the piece contains (`factor`). A match of a sequence is
// the concatenation of its elements' matches, so exact sets multiply along a sequence and any
// element's factor is the sequence's; a match of an alternation is a match of one branch, so
// factors unite. Whatever the reader does not understand for certain ends the whole analysis
// (GiveUp): a wrong reading could drop a match, a missing one only costs a parse.

struct Info {
  std::optional<Words> exact;   // every string the piece can match
  std::optional<Words> factor;  // every match contains one of these
};

struct GiveUp {};

bool usable(const Words& w) {
  return !w.empty() && w.size() <= kMaxSetWords &&
         std::none_of(w.begin(), w.end(), [](const std::string& s) { return s.empty(); });
}

std::size_t shortest(const Words& w) {
  std::size_t n = SIZE_MAX;
  for (const std::string& s : w) n = std::min(n, s.size());
  return n;
}

// Drops every word that contains another word of the set: a text holding the longer word holds
// the shorter, so the set asks the same with fewer words.
void minimize(Words& w) {
  std::sort(w.begin(), w.end(), [](const std::string& x, const std::string& y) {
    return std::pair(x.size(), std::string_view(x)) < std::pair(y.size(), std::string_view(y));
  });
  Words kept;
  for (std::string& x : w)
    if (std::none_of(kept.begin(), kept.end(),
                     [&](const std::string& k) { return x.find(k) != std::string::npos; }))
      kept.push_back(std::move(x));
  std::sort(kept.begin(), kept.end());
  w = std::move(kept);
}

// The better requirement of two: usable, longer shortest word, then fewer words.
std::optional<Words> better(std::optional<Words> a, std::optional<Words> b) {
  if (a && !usable(*a)) a.reset();
  if (b && !usable(*b)) b.reset();
  if (a) minimize(*a);
  if (b) minimize(*b);
  if (!a) return b;
  if (!b) return a;
  if (shortest(*b) != shortest(*a)) return shortest(*b) > shortest(*a) ? b : a;
  return b->size() < a->size() ? b : a;
}

void dedupe(Words& w) {
  std::sort(w.begin(), w.end());
  w.erase(std::unique(w.begin(), w.end()), w.end());
}

std::optional<Words> product(const Words& a, const Words& b) {
  if (a.size() * b.size() > kMaxSetWords) return std::nullopt;
  Words out;
  for (const std::string& x : a)
    for (const std::string& y : b) out.push_back(x + y);
  dedupe(out);
  return out;
}

Info literal(char c) { return {Words{std::string(1, c)}, Words{std::string(1, c)}}; }
Info zero_width() { return {Words{std::string()}, std::nullopt}; }
Info anything() { return {}; }  // one or more characters we do not track

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

class RegexReader {
 public:
  explicit RegexReader(std::string_view re) : re_(re) {}

  std::optional<WordSet> words() {
    try {
      Info top = alternation();
      if (i_ != re_.size()) return std::nullopt;  // a stray ')': PCRE2 rejects it anyway
      std::optional<Words> best = better(top.factor, top.exact);
      if (!best || shortest(*best) < kMinWordBytes) return std::nullopt;
      return WordSet{*best, caseless_};
    } catch (const GiveUp&) {
      return std::nullopt;
    }
  }

 private:
  bool at_end() const { return i_ >= re_.size(); }
  char peek(std::size_t ahead = 0) const {
    return i_ + ahead < re_.size() ? re_[i_ + ahead] : '\0';
  }
  bool has(std::size_t ahead) const { return i_ + ahead < re_.size(); }

  // branch ('|' branch)*, up to ')' or the end.
  Info alternation() {
    std::vector<Info> branches{sequence()};
    while (!at_end() && peek() == '|') {
      ++i_;
      branches.push_back(sequence());
    }
    if (branches.size() == 1) return std::move(branches.front());
    Info out;
    Words exact, factor;
    bool all_exact = true, all_factor = true;
    for (Info& b : branches) {
      if (b.exact) exact.insert(exact.end(), b.exact->begin(), b.exact->end());
      else all_exact = false;
      std::optional<Words> f = better(b.factor, b.exact);
      if (f) factor.insert(factor.end(), f->begin(), f->end());
      else all_factor = false;
    }
    dedupe(exact);
    dedupe(factor);
    if (all_exact && exact.size() <= kMaxSetWords) out.exact = std::move(exact);
    if (all_factor && factor.size() <= kMaxSetWords) out.factor = std::move(factor);
    return out;
  }

  // Quantified atoms up to '|', ')' or the end.
  Info sequence() {
    Info out;
    out.exact = Words{std::string()};
    std::optional<Words> run = Words{std::string()};  // product of the exact elements in a row
    std::optional<Words> best;
    while (!at_end() && peek() != '|' && peek() != ')') {
      Info e = quantified(atom());
      best = better(best, e.factor);
      if (e.exact) {
        if (out.exact) out.exact = product(*out.exact, *e.exact);
        std::optional<Words> longer = run ? product(*run, *e.exact) : std::nullopt;
        if (!longer) {  // too many strings: what we had counts, and a new run starts here
          best = better(best, run);
          longer = e.exact;
        }
        run = std::move(longer);
      } else {
        out.exact.reset();
        best = better(best, run);
        run.reset();
      }
    }
    out.factor = better(best, run);
    return out;
  }

  Info quantified(Info e) {
    for (;;) {
      std::size_t min = 0, max = 0;
      bool bounded = false;
      char c = at_end() ? '\0' : peek();
      // A repeated assertion, or a quantifier after something PCRE2 ignores (\E, (?#...),
      // (?i)) and so binds to the atom before it: read neither.
      if ((c == '?' || c == '*' || c == '+' || c == '{') && e.exact &&
          *e.exact == Words{std::string()})
        throw GiveUp{};
      if (c == '?') {
        ++i_;
        min = 0, max = 1, bounded = true;
      } else if (c == '*') {
        ++i_;
      } else if (c == '+') {
        ++i_;
        min = 1;
      } else if (c == '{') {
        read_braces(min, max, bounded);
      } else {
        return e;
      }
      // A lazy or possessive mark does not change what can match.
      if (!at_end() && (peek() == '?' || peek() == '+')) ++i_;
      Info q;
      if (min == 0) {
        // May match nothing: only an optional single copy keeps an exact set.
        if (bounded && max == 1 && e.exact) {
          Words w = *e.exact;
          w.push_back(std::string());
          dedupe(w);
          q.exact = std::move(w);
        }
      } else {
        q.factor = better(e.factor, e.exact);
        if (bounded && min == max && e.exact) {
          std::optional<Words> w = Words{std::string()};
          for (std::size_t k = 0; k < min && w; ++k) w = product(*w, *e.exact);
          q.exact = std::move(w);
        }
      }
      e = std::move(q);
    }
  }

  // {n}, {n,}, {n,m}: anything else after an atom is read differently by PCRE2 versions.
  void read_braces(std::size_t& min, std::size_t& max, bool& bounded) {
    std::size_t j = i_ + 1;
    auto number = [&](std::size_t& v) {
      std::size_t start = j;
      v = 0;
      while (j < re_.size() && is_digit(re_[j]) && j - start < 6) v = v * 10 + (re_[j++] - '0');
      return j > start && (j >= re_.size() || !is_digit(re_[j]));
    };
    if (!number(min)) throw GiveUp{};
    max = min;
    bounded = true;
    if (j < re_.size() && re_[j] == ',') {
      ++j;
      if (j < re_.size() && re_[j] == '}') bounded = false;
      else if (!number(max)) throw GiveUp{};
    }
    if (j >= re_.size() || re_[j] != '}') throw GiveUp{};
    i_ = j + 1;
  }

  Info atom() {
    char c = peek();
    switch (c) {
      case '(': return group();
      case '[': return char_class();
      case '\\': return escape();
      case '.': ++i_; return anything();
      case '^':
      case '$': ++i_; return zero_width();
      case '?':
      case '*':
      case '+':
      case '{': throw GiveUp{};  // nothing to repeat: PCRE2 rejects or reads it its own way
      default: ++i_; return literal(c);
    }
  }

  Info group() {
    ++i_;  // '('
    bool lookaround = false;
    if (peek() == '*') throw GiveUp{};  // (*VERB), (*pla:...)
    if (peek() == '?') {
      char k = peek(1);
      if (k == ':' || k == '|' || k == '>') {
        i_ += 2;
      } else if (k == '=' || k == '!') {
        i_ += 2;
        lookaround = true;
      } else if (k == '<' && (peek(2) == '=' || peek(2) == '!')) {
        i_ += 3;
        lookaround = true;
      } else if (k == '<' || k == '\'' || (k == 'P' && peek(2) == '<')) {
        // Named group.
        i_ += k == 'P' ? 3 : 2;
        const char close = k == '\'' ? '\'' : '>';
        while (!at_end() && peek() != close) {
          if (!is_alpha(peek()) && !is_digit(peek()) && peek() != '_') throw GiveUp{};
          ++i_;
        }
        if (at_end()) throw GiveUp{};
        ++i_;
      } else if (k == '#') {
        while (!at_end() && peek() != ')') ++i_;
        if (at_end()) throw GiveUp{};
        ++i_;
        return zero_width();
      } else {
        return option_setting();
      }
    }
    Info inner = alternation();
    if (at_end() || peek() != ')') throw GiveUp{};
    ++i_;
    return lookaround ? zero_width() : inner;
  }

  // (?flags) or (?flags:...). Case-insensitivity anywhere makes every word caseless, which
  // only ever weakens the requirement; extended mode (x) would change what a space means.
  Info option_setting() {
    i_ += 1;  // past '?'
    std::size_t start = i_;
    bool unset = false;  // after '-': the flags that follow are turned off
    while (!at_end() && peek() != ')' && peek() != ':') {
      char f = peek();
      if (f == '-') unset = true;
      if (f == 'i') caseless_ = caseless_ || !unset;
      else if (f != 'm' && f != 's' && f != 'n' && f != 'U' && f != 'J' && f != '-' && f != '^')
        throw GiveUp{};  // x, xx, unknown letters, (?R), (?1), (?&name), (?(cond)...), (?C)
      ++i_;
    }
    if (at_end() || i_ == start) throw GiveUp{};
    if (peek() == ')') {
      ++i_;
      return zero_width();
    }
    ++i_;  // ':'
    Info inner = alternation();
    if (at_end() || peek() != ')') throw GiveUp{};
    ++i_;
    return inner;
  }

  // [...]: a few plain characters become a set of one-character strings; anything else is
  // one character we do not track.
  Info char_class() {
    ++i_;  // '['
    bool negated = false, plain = true;
    std::string chars;
    if (peek() == '^') {
      negated = true;
      ++i_;
    }
    bool first = true;
    for (;;) {
      if (at_end()) throw GiveUp{};
      char c = peek();
      if (c == ']' && !first) {
        ++i_;
        break;
      }
      first = false;
      if (c == '\\') {
        if (!has(1) || peek(1) == 'Q' || peek(1) == 'E') throw GiveUp{};
        plain = false;
        i_ += 2;
        continue;
      }
      if (c == '[' && (peek(1) == ':' || peek(1) == '.' || peek(1) == '=')) {
        posix_class();
        plain = false;
        continue;
      }
      if (c == '-') plain = false;
      chars.push_back(c);
      ++i_;
    }
    if (negated || !plain || chars.empty() || chars.size() > 8) return anything();
    Words w;
    for (char c : chars) w.push_back(std::string(1, c));
    dedupe(w);
    return {w, w};
  }

  // [:name:] (also [:^name:]) inside a class; other forms are left to PCRE2 and to no one.
  void posix_class() {
    const char kind = peek(1);
    i_ += 2;
    if (kind == ':' && peek() == '^') ++i_;
    std::size_t start = i_;
    while (!at_end() && is_alpha(peek())) ++i_;
    if (kind != ':' || i_ == start || peek() != ':' || peek(1) != ']') throw GiveUp{};
    i_ += 2;
  }

  Info escape() {
    if (!has(1)) throw GiveUp{};
    char c = peek(1);
    i_ += 2;
    if (!is_alpha(c) && !is_digit(c)) return literal(c);  // \. \\ \( \" ...
    switch (c) {
      case 'n': return literal('\n');
      case 't': return literal('\t');
      case 'r': return literal('\r');
      case 'f': return literal('\f');
      case 'e': return literal('\x1b');
      case 'a': return literal('\x07');
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H':
      case 'v': case 'V': case 'R': case 'X': case 'C':
        return anything();
      case 'N':
        if (peek() == '{') throw GiveUp{};
        return anything();
      case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
        return zero_width();
      case 'E': return zero_width();  // a lone \E is ignored
      case 'Q': return quoted();
      case 'p': case 'P':
        if (peek() == '{') {
          while (!at_end() && peek() != '}') ++i_;
          if (at_end()) throw GiveUp{};
          ++i_;
        } else if (!at_end()) {
          ++i_;
        }
        return anything();
      case 'c':
        if (at_end()) throw GiveUp{};
        ++i_;
        return anything();
      case 'x': return hex();
      case '0': {
        // \0 and up to two more octal digits.
        unsigned v = 0;
        for (int k = 0; k < 2 && !at_end() && peek() >= '0' && peek() <= '7'; ++k)
          v = v * 8 + (re_[i_++] - '0');
        return literal(static_cast<char>(v));
      }
      default:
        if (is_digit(c)) {
          // A backreference or an octal escape, depending on the groups: either way one
          // piece of text we do not track. Digits that follow belong to it or are literal;
          // taking them in only forgets text.
          while (!at_end() && is_digit(peek())) ++i_;
          return anything_or_empty();
        }
        throw GiveUp{};  // \g \k \o \u \L ... : not worth reading
    }
  }

  // A backreference may match the empty string.
  static Info anything_or_empty() { return {}; }

  Info hex() {
    unsigned v = 0;
    if (peek() == '{') {
      ++i_;
      std::size_t start = i_;
      while (!at_end() && is_hex(peek()) && i_ - start < 8) {
        char h = re_[i_++];
        v = v * 16 + (is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      if (i_ == start || at_end() || peek() != '}' || v > 0xff) throw GiveUp{};
      ++i_;
    } else {
      for (int k = 0; k < 2 && !at_end() && is_hex(peek()); ++k) {
        char h = re_[i_++];
        v = v * 16 + (is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
      }
    }
    return literal(static_cast<char>(v));
  }

  // \Q...\E: every character literal. Read as a sequence here, so a quantifier after \E
  // applies to the last character, as in PCRE2.
  Info quoted() {
    std::size_t end = re_.find("\\E", i_);
    std::size_t stop = end == std::string_view::npos ? re_.size() : end;
    if (stop == i_) {
      i_ = end == std::string_view::npos ? stop : stop + 2;
      return zero_width();
    }
    // All but the last character form one exact string; the last stays a separate atom so a
    // following quantifier binds to it alone.
    std::string head(re_.substr(i_, stop - i_ - 1));
    char last = re_[stop - 1];
    i_ = end == std::string_view::npos ? stop : stop + 2;
    if (head.empty()) return literal(last);
    Info tail = quantified(literal(last));
    Info out;
    if (tail.exact) out.exact = product(Words{head}, *tail.exact);
    out.factor = better(Words{head}, tail.factor);
    out.factor = better(out.factor, out.exact);
    return out;
  }

  std::string_view re_;
  std::size_t i_ = 0;
  bool caseless_ = false;
};

}  // namespace

std::optional<WordSet> regex_words(std::string_view pattern) {
  return RegexReader(pattern).words();
}

// ---- Finding words -------------------------------------------------------------------------

using HsScratch = Owned<hs_scratch_t, hs_free_scratch>;

struct WordFinder::Impl {
  HsDatabase db;
  HsScratch prototype;  // cloned for each Scratch
};

struct WordFinder::Scratch::Impl {
  HsScratch scratch;
};

WordFinder::WordFinder(const std::vector<std::pair<std::string, bool>>& words)
    : impl_(std::make_unique<Impl>()), size_(words.size()) {
  if (words.empty()) return;
  HsCompileInput in;
  in.literal = true;
  for (std::size_t i = 0; i < words.size(); ++i) {
    in.expressions.push_back(words[i].first);
    // One report per word is all we need.
    in.flags.push_back(HS_FLAG_SINGLEMATCH | (words[i].second ? HS_FLAG_CASELESS : 0u));
    in.ids.push_back(static_cast<unsigned>(i));
  }
  HsCompiled compiled;
  try {
    compiled = compile_cached(in);
  } catch (const HsCompileError& e) {
    throw Error(fmt::format("query prefilter: Hyperscan rejected the word list: {}", e.what()));
  }
  hs_database_t* db = compiled.db.get();
  impl_->db = std::move(compiled.db);
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) throw std::bad_alloc();
  impl_->prototype.reset(scratch);
}

WordFinder::~WordFinder() = default;

WordFinder::Scratch::Scratch(const WordFinder& finder) : impl_(std::make_unique<Impl>()) {
  if (!finder.impl_->prototype) return;
  hs_scratch_t* clone = nullptr;
  if (hs_clone_scratch(finder.impl_->prototype.get(), &clone) != HS_SUCCESS)
    throw std::bad_alloc();
  impl_->scratch.reset(clone);
}

WordFinder::Scratch::~Scratch() = default;

namespace {

int on_word(unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) noexcept {
  static_cast<std::uint8_t*>(ctx)[id] = 1;
  return 0;
}

}  // namespace

void WordFinder::find(std::string_view text, Scratch& scratch,
                      std::vector<std::uint8_t>& found) const {
  found.assign(size_, 0);
  if (!impl_->db) return;
  if (text.size() > UINT_MAX) {  // hs_scan takes an unsigned length: assume every word
    found.assign(size_, 1);
    return;
  }
  const hs_error_t rc = hs_scan(impl_->db.get(), text.data(), static_cast<unsigned>(text.size()),
                                0, scratch.impl_->scratch.get(), &on_word, found.data());
  if (rc != HS_SUCCESS) throw Error(fmt::format("query prefilter: hs_scan failed with code {}", rc));
}

}  // namespace provscan::scan::detail
