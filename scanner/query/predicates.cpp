// Predicates of tree-sitter queries, evaluated by provscan: tree-sitter's C library parses
// them but leaves their meaning to the caller.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "common/c_handle.h"
#include <pcre2.h>

#include <algorithm>

#include <fmt/format.h>

#include "scanner/query/detail/query_detail.h"

namespace provscan::scan::detail {

namespace {

using Pcre2Code = std::unique_ptr<pcre2_code, CFree<pcre2_code_free>>;
using Pcre2MatchContext = std::unique_ptr<pcre2_match_context, CFree<pcre2_match_context_free>>;
using Pcre2MatchData = std::unique_ptr<pcre2_match_data, CFree<pcre2_match_data_free>>;

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  if (pcre2_get_error_message(code, buf, sizeof buf) < 0) return fmt::format("error {}", code);
  return reinterpret_cast<const char*>(buf);
}

bool holds_for_all(const std::vector<std::string_view>& nodes, auto&& test) {
  return std::all_of(nodes.begin(), nodes.end(), test);
}

const std::vector<std::string_view>& nodes_of(const CaptureTexts& c, std::uint32_t id) {
  static const std::vector<std::string_view> kNone;
  return id < c.size() ? c[id] : kNone;
}

void expect(bool ok, std::string_view name, std::string_view usage) {
  if (!ok) throw PredicateError(fmt::format("#{} takes {}", name, usage));
}

// What a node's text must contain for `p` to hold on it (see Predicate::needs).
std::optional<WordSet> needs_of(const Predicate& p) {
  if (p.negated || p.other) return std::nullopt;
  if (p.op == Predicate::Op::Match) return p.regex->words();
  const bool short_word = std::any_of(p.values.begin(), p.values.end(), [](const std::string& v) {
    return v.size() < kMinWordBytes;
  });
  if (p.values.empty() || short_word) return std::nullopt;
  return WordSet{p.values, false};
}

}  // namespace

struct Regex::Impl {
  Pcre2Code code;
  Pcre2MatchContext context;
  std::optional<WordSet> words;
};

Regex::Regex(const std::string& pattern) : impl_(std::make_unique<Impl>()) {
  int err = 0;
  PCRE2_SIZE where = 0;
  // Bytes, not UTF: repository text may be any encoding, and a rule's non-ASCII literal still
  // matches its UTF-8 bytes.
  impl_->code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                  0, &err, &where, nullptr));
  if (!impl_->code)
    throw PredicateError(fmt::format("bad regex '{}': {} at offset {}", pattern,
                                     pcre2_message(err), where));
  impl_->words = regex_words(pattern);
  impl_->context.reset(pcre2_match_context_create(nullptr));
  if (!impl_->context) throw std::bad_alloc();
  pcre2_set_match_limit(impl_->context.get(), kRegexMatchLimit);
  pcre2_set_depth_limit(impl_->context.get(), kRegexDepthLimit);
}

Regex::~Regex() = default;

const std::optional<WordSet>& Regex::words() const noexcept { return impl_->words; }

std::optional<bool> Regex::search(std::string_view text) const {
  // Match data is per call so that one Regex serves every thread.
  Pcre2MatchData md(pcre2_match_data_create(1, nullptr));
  if (!md) throw std::bad_alloc();
  int rc = pcre2_match(impl_->code.get(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                       0, 0, md.get(), impl_->context.get());
  if (rc >= 0) return true;  // 0: matched, ovector too small for the groups (we need none)
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  return std::nullopt;  // match/depth/heap limit: hostile or pathological text
}

Predicate make_predicate(std::string_view name, const std::vector<PredicateArg>& args) {
  Predicate p;
  p.name = std::string(name);
  std::string_view base = name;
  if (base.starts_with("not-")) {
    p.negated = true;
    base.remove_prefix(4);
  }
  if (base == "eq?") {
    p.op = Predicate::Op::Eq;
    expect(args.size() == 2 && args[0].is_capture, name, "a capture and a string or capture");
    if (args[1].is_capture)
      p.other = args[1].capture;
    else
      p.values = {args[1].text};
  } else if (base == "match?") {
    p.op = Predicate::Op::Match;
    expect(args.size() == 2 && args[0].is_capture && !args[1].is_capture, name,
           "a capture and a regex string");
    try {
      p.regex = std::make_shared<const Regex>(args[1].text);
    } catch (const PredicateError& e) {
      throw PredicateError(fmt::format("#{}: {}", name, e.what()));
    }
  } else if (base == "any-of?") {
    p.op = Predicate::Op::AnyOf;
    bool strings = args.size() >= 2 && args[0].is_capture &&
                   std::none_of(args.begin() + 1, args.end(),
                                [](const PredicateArg& a) { return a.is_capture; });
    expect(strings, name, "a capture and one or more strings");
    for (auto it = args.begin() + 1; it != args.end(); ++it) p.values.push_back(it->text);
  } else {
    throw PredicateError(fmt::format(
        "unknown predicate '#{}' (provscan evaluates #eq?, #not-eq?, #match?, #not-match?, "
        "#any-of?, #not-any-of?)",
        name));
  }
  p.capture = args[0].capture;
  p.needs = needs_of(p);
  return p;
}

Verdict evaluate(const Predicate& p, const CaptureTexts& captures) {
  const auto& nodes = nodes_of(captures, p.capture);
  switch (p.op) {
    case Predicate::Op::Eq: {
      if (p.other) {
        const auto& others = nodes_of(captures, *p.other);
        bool ok = holds_for_all(nodes, [&](std::string_view a) {
          return holds_for_all(others, [&](std::string_view b) { return (a == b) != p.negated; });
        });
        return ok ? Verdict::Holds : Verdict::Fails;
      }
      bool ok = holds_for_all(nodes, [&](std::string_view a) {
        return (a == p.values.front()) != p.negated;
      });
      return ok ? Verdict::Holds : Verdict::Fails;
    }
    case Predicate::Op::AnyOf: {
      bool ok = holds_for_all(nodes, [&](std::string_view a) {
        bool in = std::find(p.values.begin(), p.values.end(), a) != p.values.end();
        return in != p.negated;
      });
      return ok ? Verdict::Holds : Verdict::Fails;
    }
    case Predicate::Op::Match:
      for (std::string_view text : nodes) {
        std::optional<bool> m = p.regex->search(text);
        if (!m) return Verdict::Unknown;
        if (*m == p.negated) return Verdict::Fails;
      }
      return Verdict::Holds;
  }
  return Verdict::Fails;
}

}  // namespace provscan::scan::detail
