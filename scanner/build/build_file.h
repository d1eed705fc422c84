#pragma once
// A build script or CI definition as the build checks see it: its kind (from the path alone),
// its physical lines and its logical lines (backslash continuations joined, as sh, make and
// Dockerfile read them), with lower-cased copies for case-insensitive matching. Plus the small
// word helpers the checks share. Everything is linear in the file's size: hostile files may be
// one 10 MB line.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provscan::scan::build {

enum class Kind { None, CMake, Make, Autotools, Python, Npm, GithubActions, GitlabCi, Dockerfile };

// "cmake", "make", "autotools", "python", "npm", "github-actions", "gitlab-ci", "dockerfile".
std::string_view kind_name(Kind k) noexcept;
Kind kind_from_name(std::string_view name) noexcept;  // Kind::None when unknown
// From the file name and folder: CMakeLists.txt, *.cmake, Makefile*, *.mk, GNUmakefile,
// configure.ac/.in, *.m4, configure, autogen.sh, setup.py, pyproject.toml, setup.cfg,
// package.json, .github/workflows/*.yml, action.yml, .gitlab-ci.yml, Dockerfile*, ...
Kind kind_of(std::string_view path) noexcept;

struct LogicalLine {
  std::uint32_t first = 0, last = 0;  // 1-based physical lines it spans
  std::string text;                   // continuations joined by a space
  std::string lower;                  // ASCII lower-case copy of text
};

class BuildFile {
 public:
  BuildFile(std::string_view path, std::string_view content, Kind kind);

  std::string_view path() const noexcept { return path_; }
  std::string_view content() const noexcept { return content_; }
  Kind kind() const noexcept { return kind_; }
  const std::vector<std::string_view>& lines() const noexcept { return lines_; }  // without '\n' or '\r'
  const std::vector<LogicalLine>& logical() const noexcept { return logical_; }
  std::uint32_t line_of(std::size_t offset) const noexcept;  // 1-based line holding a content offset

 private:
  std::string_view path_, content_;
  Kind kind_;
  std::vector<std::string_view> lines_;
  std::vector<std::size_t> starts_;
  std::vector<LogicalLine> logical_;
};

std::string lower_ascii(std::string_view s);
std::string_view trim(std::string_view s) noexcept;
// A comment line of the file's language (`#`, m4 `dnl`, `//` in package.json never occurs).
bool comment_line(std::string_view trimmed, Kind kind) noexcept;

// Where `word` stands on its own at or after `from` (a command or option name: the characters
// around it are not letters, digits, '_' or '-'; a '/' before it is allowed, so /usr/bin/curl
// is curl). npos when absent.
std::size_t find_word(std::string_view s, std::string_view word, std::size_t from = 0) noexcept;
bool has_word(std::string_view s, std::string_view word) noexcept;

// The command word that a pipe or substitution at `pos` runs: skips blanks, quotes, `sudo`,
// `env`, options and VAR=value assignments, and drops a leading path. Empty when none.
std::string_view command_at(std::string_view s, std::size_t pos) noexcept;

// Short, single-line excerpt for a hit's detail.
std::string excerpt(std::string_view s, std::size_t max = 80);

}  // namespace provscan::scan::build
