#include "rules/rule.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace provscan::rules {

std::string_view to_string(Engine e) noexcept {
  static constexpr std::array<std::string_view, 6> kNames = {"signature", "query", "clang",
                                                             "blob",      "build", "text"};
  return kNames[static_cast<int>(e)];
}

std::string SourcePos::str() const { return fmt::format("{}:{}:{}", file, line, col); }

namespace {

// Matches one bracket class starting at p[0] == '['; returns the index past ']' or npos when
// the class is unterminated (then '[' is literal).
std::size_t match_class(std::string_view p, char c, bool& matched) noexcept {
  std::size_t i = 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool any = false;
  bool first = true;
  for (; i < p.size() && (first || p[i] != ']'); ++i, first = false) {
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      if (c >= p[i] && c <= p[i + 2]) any = true;
      i += 2;
    } else if (p[i] == c) {
      any = true;
    }
  }
  if (i >= p.size()) return std::string_view::npos;
  matched = any != negate;
  return i + 1;
}

// Iterative glob with backtracking for `*` (one segment) and `**` (any segments).
bool glob_impl(std::string_view p, std::string_view s) noexcept {
  std::size_t pi = 0, si = 0;
  std::size_t star_p = std::string_view::npos, star_s = 0;  // last single-segment star
  std::size_t dstar_p = std::string_view::npos, dstar_s = 0;  // last `**`
  while (si < s.size()) {
    if (pi < p.size()) {
      if (p.substr(pi, 2) == "**") {
        // `**/` also matches zero segments; `**` at the end matches the rest.
        std::size_t next = pi + 2;
        if (next < p.size() && p[next] == '/') ++next;
        dstar_p = next;
        dstar_s = si;
        star_p = std::string_view::npos;
        pi = next;
        continue;
      }
      char pc = p[pi];
      if (pc == '*') {
        star_p = ++pi;
        star_s = si;
        continue;
      }
      if (pc == '?' && s[si] != '/') {
        ++pi, ++si;
        continue;
      }
      if (pc == '[') {
        bool m = false;
        std::size_t end = match_class(p.substr(pi), s[si], m);
        if (end != std::string_view::npos) {
          if (m && s[si] != '/') {
            pi += end, ++si;
            continue;
          }
        } else if (s[si] == '[') {
          ++pi, ++si;
          continue;
        }
      } else if (pc == s[si]) {
        ++pi, ++si;
        continue;
      }
    }
    if (star_p != std::string_view::npos && s[star_s] != '/') {
      pi = star_p;
      si = ++star_s;
      continue;
    }
    if (dstar_p != std::string_view::npos) {
      // Let `**` swallow one more segment: advance to just past the next '/'.
      std::size_t slash = s.find('/', dstar_s);
      if (slash == std::string_view::npos) {
        if (dstar_p == p.size()) return true;
        return false;
      }
      dstar_s = slash + 1;
      si = dstar_s;
      pi = dstar_p;
      star_p = std::string_view::npos;
      continue;
    }
    return false;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  if (pi < p.size() && p.substr(pi) == "/**") return true;
  return pi == p.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) noexcept {
  // A pattern without '/' matches the file name anywhere (as .gitignore does).
  if (pattern.find('/') == std::string_view::npos) {
    std::size_t slash = path.rfind('/');
    std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return glob_impl(pattern, base);
  }
  if (!pattern.empty() && pattern.front() == '/') pattern.remove_prefix(1);
  return glob_impl(pattern, path);
}

bool PathFilter::matches(std::string_view path) const noexcept {
  auto hit = [&](const std::string& g) { return glob_match(g, path); };
  if (!include.empty() && std::none_of(include.begin(), include.end(), hit)) return false;
  return std::none_of(exclude.begin(), exclude.end(), hit);
}

bool Rule::applies_to_language(std::string_view lang) const noexcept {
  return languages.empty() || std::find(languages.begin(), languages.end(), lang) != languages.end();
}

}  // namespace provscan::rules
