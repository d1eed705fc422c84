// sabotaged-feature-check: a configure-time compile test whose program can never compile, so
// the feature it probes (Landlock in xz-utils 5.6.0's CMakeLists.txt) is silently disabled.
#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "scanner/build/build_checks.h"

namespace provscan::scan::build {

namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxSourceBytes = 64 * 1024;

bool ident_char(char c) noexcept { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A line that no C or C++ translation unit can hold outside a comment or literal.
bool stray_line(std::string_view t) noexcept {
  if (t.empty()) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return c == '.' || c == '@' || c == '`'; });
}

struct SourceProblem {
  std::uint32_t line;  // physical line of the build file
  std::string what;
};

// Lexes a test program just enough to find stray lines and unbalanced braces or parentheses
// outside comments, strings and character literals. `escaped_quotes`: CMake quoted arguments
// spell `"` as `\"`. `count_parens`: autoconf sources may spell parentheses as quadrigraphs.
std::optional<SourceProblem> analyse_source(std::string_view src, std::uint32_t first_line, bool escaped_quotes,
                                            bool count_parens) {
  enum class St { Code, LineComment, BlockComment, String, Char } st = St::Code;
  long braces = 0, parens = 0;
  bool negative = false;
  std::uint32_t line = first_line;
  std::size_t line_start = 0;
  bool line_starts_in_code = true;
  auto end_line = [&](std::size_t at) -> std::optional<SourceProblem> {
    const std::string_view t = trim(src.substr(line_start, at - line_start));
    if (line_starts_in_code && stray_line(t))
      return SourceProblem{line, fmt::format("test program line '{}' cannot compile", t)};
    return std::nullopt;
  };
  for (std::size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    if (escaped_quotes && c == '\\' && i + 1 < src.size() && (src[i + 1] == '"' || src[i + 1] == '\\')) c = src[++i];
    if (c == '\n') {
      if (auto p = end_line(i)) return p;
      if (st == St::LineComment) st = St::Code;
      ++line;
      line_start = i + 1;
      line_starts_in_code = st == St::Code;
      continue;
    }
    const char next = i + 1 < src.size() ? src[i + 1] : '\0';
    switch (st) {
      case St::Code:
        if (c == '/' && next == '/') st = St::LineComment, ++i;
        else if (c == '/' && next == '*') st = St::BlockComment, ++i;
        else if (c == '"') st = St::String;
        else if (c == '\'' && !(i > 0 && ident_char(src[i - 1]))) st = St::Char;
        else if (c == '{') ++braces;
        else if (c == '}') negative |= --braces < 0;
        else if (count_parens && c == '(') ++parens;
        else if (count_parens && c == ')') negative |= --parens < 0;
        break;
      case St::BlockComment:
        if (c == '*' && next == '/') st = St::Code, ++i;
        break;
      case St::String:
      case St::Char:
        if (c == '\\') ++i;
        else if ((c == '"' && st == St::String) || (c == '\'' && st == St::Char)) st = St::Code;
        break;
      case St::LineComment:
        break;
    }
  }
  if (auto p = end_line(src.size())) return p;
  if (negative || braces != 0 || parens != 0)
    return SourceProblem{first_line, fmt::format("test program has unbalanced {}", braces != 0 || negative ? "braces" : "parentheses")};
  return std::nullopt;
}

// Successive calls of any of `names` (lower-case, followed by optional blanks and `(`) in
// `lower`. Each name's next occurrence is remembered, so walking a whole file stays linear.
class CallFinder {
 public:
  CallFinder(std::string_view lower, std::initializer_list<std::string_view> names)
      : lower_(lower), names_(names) {
    for (std::string_view n : names_) next_.push_back(find(n, 0));
  }

  // The position just after the `(` of the first call at or after `from`, npos when none;
  // `name_at` receives where the name starts.
  std::size_t next(std::size_t from, std::size_t* name_at) {
    std::size_t best = npos;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (next_[i] != npos && next_[i] < from) next_[i] = find(names_[i], from);
      if (next_[i] < best) best = next_[i];
    }
    if (best == npos) return npos;
    *name_at = best;
    return lower_.find('(', best) + 1;
  }

 private:
  std::size_t find(std::string_view n, std::size_t from) const {
    for (std::size_t at = lower_.find(n, from); at != npos; at = lower_.find(n, at + 1)) {
      if (at > 0 && ident_char(lower_[at - 1])) continue;
      std::size_t p = at + n.size();
      while (p < lower_.size() && (lower_[p] == ' ' || lower_[p] == '\t')) ++p;
      if (p < lower_.size() && lower_[p] == '(') return at;
    }
    return npos;
  }
  std::string_view lower_;
  std::vector<std::string_view> names_;
  std::vector<std::size_t> next_;
};

std::size_t skip_blanks(std::string_view s, std::size_t p) noexcept {
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r')) ++p;
  return p;
}

void check_cmake(const BuildFile& f, Hits& out) {
  const std::string_view text = f.content();
  const std::string lower = lower_ascii(text);
  CallFinder calls(lower, {"check_c_source_compiles", "check_cxx_source_compiles", "check_c_source_runs",
                           "check_cxx_source_runs", "check_source_compiles", "check_source_runs",
                           "check_objc_source_compiles"});
  std::size_t name_at = 0;
  for (std::size_t p = calls.next(0, &name_at); p != npos; p = calls.next(p, &name_at)) {
    const bool generic = lower.compare(name_at, 13, "check_source_") == 0;
    p = skip_blanks(text, p);
    if (generic) {  // check_source_compiles(<lang> <code> <var>)
      while (p < text.size() && ident_char(text[p])) ++p;
      p = skip_blanks(text, p);
    }
    if (p >= text.size()) break;
    std::size_t begin = 0, end = npos;
    bool quoted = false;
    if (text[p] == '"') {
      begin = p + 1;
      quoted = true;
      for (std::size_t i = begin; i < text.size() && i < begin + kMaxSourceBytes; ++i) {
        if (text[i] == '\\') ++i;
        else if (text[i] == '"') {
          end = i;
          break;
        }
      }
    } else if (text[p] == '[') {  // bracket argument [[...]] or [=[...]=]
      std::size_t q = p + 1;
      while (q < text.size() && text[q] == '=') ++q;
      if (q < text.size() && text[q] == '[') {
        const std::string close = "]" + std::string(q - p - 1, '=') + "]";
        begin = q + 1;
        const std::size_t c = text.substr(0, std::min(text.size(), begin + kMaxSourceBytes)).find(close, begin);
        if (c != npos) end = c;
      }
    }
    if (end == npos) continue;  // a variable, or an argument we cannot delimit
    if (auto problem = analyse_source(text.substr(begin, end - begin), f.line_of(begin), quoted, true))
      out.push_back({problem->line, problem->line,
                     fmt::format("{} in {}()", problem->what, f.content().substr(name_at, lower.find('(', name_at) - name_at))});
    p = end;
  }
}

// The m4-quoted argument starting at `p` ([...] with nested brackets): [begin, end) of its text.
bool m4_argument(std::string_view s, std::size_t p, std::size_t* begin, std::size_t* end) {
  p = skip_blanks(s, p);
  if (p >= s.size() || s[p] != '[') return false;
  int depth = 0;
  for (std::size_t i = p; i < s.size() && i < p + kMaxSourceBytes; ++i) {
    if (s[i] == '[') ++depth;
    else if (s[i] == ']' && --depth == 0) {
      *begin = p;
      *end = i + 1;
      return true;
    }
  }
  return false;
}

void check_autoconf(const BuildFile& f, Hits& out) {
  const std::string_view text = f.content();
  const std::string lower = lower_ascii(text);
  CallFinder calls(lower, {"ac_compile_ifelse", "ac_link_ifelse", "ac_run_ifelse", "ac_try_compile", "ac_try_link",
                           "ac_try_run"});
  std::size_t name_at = 0;
  for (std::size_t p = calls.next(0, &name_at); p != npos; p = calls.next(p, &name_at)) {
    const bool old_style = lower.compare(name_at, 7, "ac_try_") == 0;
    // AC_*_IFELSE(program, ...): the first argument. AC_TRY_*(includes, body, ...): the first two.
    std::size_t b = 0, e = 0, at = p;
    for (int arg = 0; arg < (old_style ? 2 : 1); ++arg) {
      if (!m4_argument(text, at, &b, &e)) break;
      const std::string_view name = text.substr(name_at, lower.find('(', name_at) - name_at);
      // Only the code counts; m4 quote brackets and macro names around it are balanced anyway.
      if (auto problem = analyse_source(text.substr(b, e - b), f.line_of(b), false, false)) {
        out.push_back({problem->line, problem->line, fmt::format("{} in {}()", problem->what, name)});
        break;
      }
      at = skip_blanks(text, e);
      if (at < text.size() && text[at] == ',') ++at;
      p = e;
    }
  }
}

}  // namespace

void check_sabotaged_feature_check(const BuildFile& f, Hits& out) {
  if (f.kind() == Kind::CMake) check_cmake(f, out);
  else if (f.kind() == Kind::Autotools) check_autoconf(f, out);
  else {
    check_cmake(f, out);  // a rule may point the check at other files: try both spellings
    check_autoconf(f, out);
  }
}

}  // namespace provscan::scan::build
