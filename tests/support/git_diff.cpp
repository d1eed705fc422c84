#include "tests/support/git_diff.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>
#include <stdexcept>

#include "tests/support/run_cli.h"

namespace provscan::test {

std::vector<git::LineRange> git_diff_added(const std::string& old_text, const std::string& new_text,
                                           bool indent_heuristic) {
  TempDir dir;
  const std::string old_path = dir.file("old", old_text), new_path = dir.file("new", new_text);
  const std::string cmd = "env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME='" + dir.path() +
                          "' git diff --no-index -U0 --no-color --no-ext-diff --no-textconv " +
                          (indent_heuristic ? "" : "--no-indent-heuristic ") + "'" + old_path + "' '" + new_path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run git diff");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int rc = pclose(p);
  if (!WIFEXITED(rc) || WEXITSTATUS(rc) > 1) throw std::runtime_error("git diff failed: " + cmd);

  static const std::regex hunk(R"(^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@)");
  std::vector<git::LineRange> ranges;
  for (std::size_t pos = 0; pos < out.size();) {
    std::size_t eol = out.find('\n', pos);
    if (eol == std::string::npos) eol = out.size();
    const std::string line = out.substr(pos, eol - pos);
    pos = eol + 1;
    std::smatch m;
    if (!std::regex_search(line, m, hunk)) continue;
    const auto first = static_cast<std::uint32_t>(std::stoul(m[1]));
    const std::uint32_t count = m[2].matched ? static_cast<std::uint32_t>(std::stoul(m[2])) : 1;
    if (count == 0) continue;
    if (!ranges.empty() && ranges.back().last + 1 == first) ranges.back().last = first + count - 1;
    else ranges.push_back(git::LineRange{first, first + count - 1});
  }
  return ranges;
}

}  // namespace provscan::test
