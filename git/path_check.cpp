#include "git/path_check.h"

#include <fmt/format.h>

namespace provscan::git {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// ".git" as Windows and macOS see it: any case, trailing dots and spaces dropped; "git~1" is
// its 8.3 short name.
bool is_dotgit(std::string_view name) {
  std::string n = lower_ascii(name);
  while (!n.empty() && (n.back() == '.' || n.back() == ' ')) n.pop_back();
  return n == ".git" || n == "git~1";
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xe0) == 0xc0) {
      n = 1, min = 0x80, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, min = 0x800, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

std::string hostile_path_reason(std::string_view path) {
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return fmt::format("a name holds the control character 0x{:02x}", c);
  }
  if (!valid_utf8(path)) return "a name is not valid UTF-8";
  if (path.find('\\') != std::string_view::npos) return "a name holds a backslash (a path separator on Windows)";
  std::size_t pos = 0;
  while (true) {
    const std::size_t slash = path.find('/', pos);
    const std::string_view name = path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (name.empty()) return "a name is empty (or holds '/')";
    if (name == "." || name == "..") return fmt::format("a name is '{}': the path leaves its folder", name);
    if (is_dotgit(name)) return "a name is '.git' to some file system: checking it out would write into the git directory";
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return "";
}

}  // namespace provscan::git
