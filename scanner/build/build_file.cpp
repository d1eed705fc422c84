#include "scanner/build/build_file.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace provscan::scan::build {

namespace {

constexpr std::array<std::pair<Kind, std::string_view>, 8> kKindNames = {{
    {Kind::CMake, "cmake"},
    {Kind::Make, "make"},
    {Kind::Autotools, "autotools"},
    {Kind::Python, "python"},
    {Kind::Npm, "npm"},
    {Kind::GithubActions, "github-actions"},
    {Kind::GitlabCi, "gitlab-ci"},
    {Kind::Dockerfile, "dockerfile"},
}};

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) noexcept { return s.substr(0, prefix.size()) == prefix; }

bool word_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

}  // namespace

std::string_view kind_name(Kind k) noexcept {
  for (const auto& [kind, name] : kKindNames)
    if (kind == k) return name;
  return "none";
}

Kind kind_from_name(std::string_view name) noexcept {
  for (const auto& [kind, n] : kKindNames)
    if (n == name) return kind;
  return Kind::None;
}

Kind kind_of(std::string_view path) noexcept {
  const std::size_t slash = path.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
  const std::string name = lower_ascii(slash == std::string_view::npos ? path : path.substr(slash + 1));
  const bool yaml = ends_with(name, ".yml") || ends_with(name, ".yaml");
  if (name == "cmakelists.txt" || ends_with(name, ".cmake")) return Kind::CMake;
  if (name == "makefile" || name == "gnumakefile" || starts_with(name, "makefile.") || ends_with(name, ".mk") ||
      ends_with(name, ".make"))
    return Kind::Make;
  if (name == "configure.ac" || name == "configure.in" || name == "configure" || ends_with(name, ".m4") ||
      name == "autogen.sh" || name == "bootstrap" || name == "bootstrap.sh")
    return Kind::Autotools;
  if (name == "setup.py" || name == "pyproject.toml" || name == "setup.cfg") return Kind::Python;
  if (name == "package.json") return Kind::Npm;
  if (yaml && (ends_with(dir, ".github/workflows/") || dir == ".github/workflows/")) return Kind::GithubActions;
  if (name == "action.yml" || name == "action.yaml") return Kind::GithubActions;
  if (name == ".gitlab-ci.yml" || ends_with(name, ".gitlab-ci.yml") ||
      (yaml && (starts_with(dir, ".gitlab/ci/") || dir.find("/.gitlab/ci/") != std::string_view::npos)))
    return Kind::GitlabCi;
  if (starts_with(name, "dockerfile") || ends_with(name, ".dockerfile") || starts_with(name, "containerfile"))
    return Kind::Dockerfile;
  return Kind::None;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool comment_line(std::string_view t, Kind kind) noexcept {
  if (kind == Kind::Npm) return false;
  if (starts_with(t, "#")) return true;
  return kind == Kind::Autotools && (t == "dnl" || starts_with(t, "dnl ") || starts_with(t, "dnl\t"));
}

BuildFile::BuildFile(std::string_view path, std::string_view content, Kind kind)
    : path_(path), content_(content), kind_(kind) {
  for (std::size_t pos = 0; pos < content.size();) {
    std::size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    std::string_view l = content.substr(pos, nl - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    starts_.push_back(pos);
    lines_.push_back(l);
    pos = nl + 1;
  }
  // package.json and YAML do not continue lines with a backslash; a JSON string ending in `\`
  // must not swallow the next key.
  const bool joins = kind != Kind::Npm;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    LogicalLine ll;
    ll.first = static_cast<std::uint32_t>(i + 1);
    std::string_view l = lines_[i];
    while (joins && !l.empty() && l.back() == '\\' && i + 1 < lines_.size()) {
      ll.text.append(l.substr(0, l.size() - 1));
      ll.text.push_back(' ');
      l = lines_[++i];
    }
    ll.text.append(l);
    ll.last = static_cast<std::uint32_t>(i + 1);
    ll.lower = lower_ascii(ll.text);
    logical_.push_back(std::move(ll));
  }
}

std::uint32_t BuildFile::line_of(std::size_t offset) const noexcept {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<std::uint32_t>(it - starts_.begin());
}

std::size_t find_word(std::string_view s, std::string_view word, std::size_t from) noexcept {
  for (std::size_t at = s.find(word, from); at != std::string_view::npos; at = s.find(word, at + 1)) {
    const bool before_ok = at == 0 || !word_char(s[at - 1]) || !word_char(word.front());
    const std::size_t end = at + word.size();
    const bool after_ok = end >= s.size() || !word_char(s[end]) || !word_char(word.back());
    if (before_ok && after_ok && !(at > 0 && s[at - 1] == '.' && word_char(word.front()))) return at;
  }
  return std::string_view::npos;
}

bool has_word(std::string_view s, std::string_view word) noexcept { return find_word(s, word) != std::string_view::npos; }

std::string_view command_at(std::string_view s, std::size_t pos) noexcept {
  for (int tokens = 0; tokens < 8 && pos < s.size(); ++tokens) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '"' || s[pos] == '\'' || s[pos] == '('))
      ++pos;
    std::size_t end = pos;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t' && s[end] != '"' && s[end] != '\'' && s[end] != ';' &&
           s[end] != '|' && s[end] != ')' && s[end] != '&')
      ++end;
    std::string_view w = s.substr(pos, end - pos);
    if (w.empty()) return {};
    if (w == "sudo" || w == "env" || w == "exec" || w == "command" || w.front() == '-' ||
        w.find('=') != std::string_view::npos) {
      pos = end;
      continue;
    }
    if (auto slash = w.rfind('/'); slash != std::string_view::npos) w.remove_prefix(slash + 1);
    return w;
  }
  return {};
}

std::string excerpt(std::string_view s, std::size_t max) {
  s = trim(s);
  std::string out;
  for (char c : s.substr(0, max)) out.push_back(c == '\t' ? ' ' : c);
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace provscan::scan::build
