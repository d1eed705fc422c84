// Install-time code of language packages: npm lifecycle scripts (ua-parser-js 2021,
// event-stream 2018, Shai-Hulud 2025) and setup.py (PyTorch torchtriton 2022, ...).
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "scanner/build/build_checks.h"

namespace provscan::scan::build {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool any_of_in(std::string_view s, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) { return s.find(n) != npos; });
}

// What makes an install hook more than "build my package": the reason, or nullopt.
std::optional<std::string> suspicious_script(std::string_view v) {
  if (any_of_in(v, {"http://", "https://", "/dev/tcp/", "invoke-webrequest", "downloadstring"}) || has_word(v, "curl") ||
      has_word(v, "wget") || has_word(v, "nc") || has_word(v, "ncat"))
    return std::string("downloads or connects");
  if (any_of_in(v, {"base64", "buffer.from(", "atob(", "fromcharcode", "\\x", "-encodedcommand"}))
    return std::string("decodes a payload");
  const bool inline_code = any_of_in(v, {"node -e", "node --eval", "node -p", "node --print", "python -c",
                                         "python3 -c", "perl -e", "ruby -e"});
  if (inline_code && any_of_in(v, {"child_process", "exec", "spawn", "http", "socket", "eval(", "process.env",
                                   "os.system", "subprocess", "urllib", "require('net')", "require(\"net\")"}))
    return std::string("runs inline code with process or network access");
  for (std::size_t q = v.find('|'); q != npos; q = v.find('|', q + 1)) {
    if (q + 1 < v.size() && v[q + 1] == '|') {
      ++q;
      continue;
    }
    const std::string_view cmd = command_at(v, q + 1);
    if (cmd == "sh" || cmd == "bash" || cmd == "node" || cmd == "python" || cmd == "python3" || cmd == "iex")
      return fmt::format("pipes into {}", cmd);
  }
  if (any_of_in(v, {"start /b", "nohup ", "setsid ", "disown"}))
    return std::string("detaches a process into the background");
  for (std::size_t a = v.find('&'); a != npos; a = v.find('&', a + 1)) {
    if ((a + 1 < v.size() && v[a + 1] == '&') || (a > 0 && v[a - 1] == '&')) continue;
    if (a > 0 && v[a - 1] == '>') continue;  // 2>&1
    if (a + 1 < v.size() && v[a + 1] == '>') continue;
    return std::string("detaches a process into the background");
  }
  if ((has_word(v, "powershell") || has_word(v, "pwsh")) && any_of_in(v, {"-enc", "iex", "hidden", "bypass"}))
    return std::string("runs hidden or encoded PowerShell");
  return std::nullopt;
}

}  // namespace

void check_npm_lifecycle_script(const BuildFile& f, const NpmOptions& o, Hits& out) {
  // A small JSON walk: strings, nesting, and the key of each value, enough to find the
  // top-level "scripts" object and its string members. Malformed JSON just ends the walk.
  const std::string_view s = f.content();
  int depth = 0, scripts_depth = -1;
  std::string_view key;
  int key_depth = -1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      const std::size_t start = i + 1;
      std::size_t j = start;
      while (j < s.size() && s[j] != '"') j += s[j] == '\\' ? 2 : 1;
      if (j >= s.size()) return;
      const std::string_view str = s.substr(start, j - start);
      std::size_t k = j + 1;
      while (k < s.size() && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n')) ++k;
      if (k < s.size() && s[k] == ':') {
        key = str;
        key_depth = depth;
        i = k;
        continue;
      }
      if (depth == scripts_depth && key_depth == depth &&
          std::find(o.hooks.begin(), o.hooks.end(), key) != o.hooks.end()) {
        std::string value;  // JSON escapes that matter here: \" and \\ .
        for (std::size_t p = 0; p < str.size(); ++p) {
          if (str[p] == '\\' && p + 1 < str.size() && (str[p + 1] == '"' || str[p + 1] == '\\')) ++p;
          value.push_back(str[p]);
        }
        const std::string lower = lower_ascii(value);
        if (auto why = suspicious_script(lower)) {
          const std::uint32_t line = f.line_of(static_cast<std::size_t>(key.data() - s.data()));
          out.push_back({line, f.line_of(j), fmt::format("\"{}\" script {}: {}", key, *why, excerpt(value))});
        }
      }
      key_depth = -1;
      i = j;
    } else if (c == '{' || c == '[') {
      if (c == '{' && depth == 1 && key_depth == 1 && key == "scripts") scripts_depth = depth + 1;
      ++depth;
      key_depth = -1;
    } else if (c == '}' || c == ']') {
      if (depth == scripts_depth) scripts_depth = -1;
      --depth;
      key_depth = -1;
    } else if (c == ',') {
      key_depth = -1;
    }
  }
}

// ---- python-build-exec ----------------------------------------------------------------------

namespace {

// The first string literal after position `p` of `text` (skipping blanks, brackets and the
// opening of a list), within a short distance: the command a process call runs.
std::string_view first_literal(std::string_view text, std::size_t p) {
  const std::size_t limit = std::min(text.size(), p + 200);
  while (p < limit && std::string_view(" \t\r\n([").find(text[p]) != npos) ++p;
  if (p >= limit || (text[p] != '"' && text[p] != '\'')) return {};
  const char q = text[p];
  const std::size_t start = p + 1;
  const std::size_t end = text.substr(0, limit).find(q, start);
  if (end == npos) return {};
  std::string_view lit = text.substr(start, end - start);
  lit = lit.substr(0, lit.find(' '));
  if (auto slash = lit.rfind('/'); slash != npos) lit.remove_prefix(slash + 1);
  return lit;
}

bool builtin_call(std::string_view s, std::string_view name) {
  for (std::size_t at = s.find(name); at != npos; at = s.find(name, at + 1))
    if (at == 0 || !(std::isalnum(static_cast<unsigned char>(s[at - 1])) || s[at - 1] == '_' || s[at - 1] == '.'))
      return true;
  return false;
}

std::size_t indent_of(std::string_view line) {
  std::size_t col = 0;
  for (char c : line) {
    if (c == ' ') ++col;
    else if (c == '\t') col = (col / 8 + 1) * 8;
    else break;
  }
  return col;
}

// The block headers enclosing line `i` (innermost first), found by indentation: the lines a
// Python reader would see as `if ...:`, `with ...:`, `def ...:` around it.
std::vector<std::string_view> enclosing_headers(const std::vector<std::string_view>& lines, std::size_t i) {
  std::vector<std::string_view> out;
  std::size_t cur = indent_of(lines[i]);
  for (std::size_t j = i; j-- > 0 && cur > 0;) {
    const std::string_view t = trim(lines[j]);
    if (t.empty() || t.front() == '#') continue;
    const std::size_t ind = indent_of(lines[j]);
    if (ind >= cur) continue;
    out.push_back(t);
    cur = ind;
  }
  return out;
}

// The string literals of one line (quotes stripped).
std::vector<std::string_view> literals_of(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t p = 0; p < s.size(); ++p) {
    if (s[p] != '"' && s[p] != '\'') continue;
    const std::size_t end = s.find(s[p], p + 1);
    if (end == npos) break;
    out.push_back(s.substr(p + 1, end - p - 1));
    p = end;
  }
  return out;
}

// `if sys.argv[-1] == "publish":` and the like: a block only a maintainer's own command line
// reaches. pip runs setup.py with the commands below, so a guard naming one of them (or
// negated, or in an `else`) still runs at install time.
bool runs_only_for_a_custom_command(const std::vector<std::string_view>& headers) {
  static constexpr std::string_view kPipCommands[] = {
      "install", "develop", "build", "build_ext", "build_py", "build_clib", "build_scripts", "bdist",
      "bdist_wheel", "bdist_egg", "sdist", "egg_info", "dist_info", "editable_wheel", "install_lib",
      "install_scripts", "install_data", "install_headers", "install_egg_info", "clean", "--version"};
  for (std::string_view h : headers) {
    const std::string l = lower_ascii(h);
    if (!(l.starts_with("if ") || l.starts_with("elif ")) || l.find("sys.argv") == npos) continue;
    if (l.find("!=") != npos || l.find("not ") != npos || l.find(" or ") != npos) continue;
    const auto lits = literals_of(h);
    if (lits.empty()) continue;
    bool custom = true;
    for (std::string_view lit : lits)
      for (std::string_view c : kPipCommands) custom = custom && lower_ascii(lit) != c;
    if (custom) return true;
  }
  return false;
}

// `exec(f.read(), ns)` inside `with open("pkg/__version__.py") as f:`: the package's own
// Python file, the usual way to read a version without importing the package.
bool evaluates_own_python_file(std::string_view s, const std::vector<std::string_view>& headers) {
  const std::size_t at = s.find("exec(");
  if (at == npos) return false;
  std::size_t p = at + 5;
  const std::size_t name_start = p;
  while (p < s.size() && (std::isalnum(static_cast<unsigned char>(s[p])) || s[p] == '_')) ++p;
  const std::string_view name = s.substr(name_start, p - name_start);
  if (name.empty() || s.substr(p, 7) != ".read()") return false;
  for (std::string_view h : headers) {
    const std::string l = lower_ascii(h);
    if (!l.starts_with("with ") || l.find("open(") == npos) continue;
    if (l.find(fmt::format(" as {}:", name)) == npos && l.find(fmt::format(" as {} :", name)) == npos) continue;
    for (std::string_view lit : literals_of(h))
      if (lit.size() > 3 && lit.ends_with(".py") && lit.find("://") == npos) return true;
  }
  return false;
}

}  // namespace

void check_python_build_exec(const BuildFile& f, const PythonOptions& o, Hits& out) {
  const std::string_view path = f.path();
  if (path.size() < 3 || path.substr(path.size() - 3) != ".py") return;  // pyproject.toml/setup.cfg run nothing
  const std::string_view text = f.content();
  for (std::size_t i = 0; i < f.lines().size(); ++i) {
    const std::string_view line = f.lines()[i];
    const std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    const std::string s = lower_ascii(line);
    const std::vector<std::string_view> headers = enclosing_headers(f.lines(), i);
    if (runs_only_for_a_custom_command(headers)) continue;  // never reached by pip
    std::optional<std::string> why;
    if (o.categories & kPyNetwork) {
      for (std::string_view n : {"urlopen(", "urlretrieve(", "requests.get(", "requests.post(", "requests.request(",
                                 "httpconnection(", "httpsconnection(", "socket.socket(", "create_connection(",
                                 "httpx.get(", "httpx.post(", "urllib.request.request(", "ftplib.ftp(", "pycurl."})
        if (s.find(n) != npos) {
          why = fmt::format("network access at install time ({})", n);
          break;
        }
    }
    if (!why && (o.categories & kPyDynamicCode)) {
      const bool decodes = any_of_in(s, {"b64decode(", "a85decode(", "b32decode(", "b16decode(", "fromhex(",
                                         "zlib.decompress(", "lzma.decompress(", "marshal.loads(", "codecs.decode(",
                                         "pickle.loads("});
      const bool evaluates = builtin_call(s, "exec(") || builtin_call(s, "eval(");
      // exec(open("pkg/version.py").read()) reads the package's own version: ordinary.
      const bool reads_own_file =
          (s.find("open(") != npos && s.find(".read()") != npos) || evaluates_own_python_file(s, headers);
      if (decodes && evaluates) why = std::string("evaluates decoded data at install time");
      else if (evaluates && !reads_own_file) why = std::string("evaluates dynamic code at install time");
      else if (s.find("marshal.loads(") != npos || s.find("pickle.loads(") != npos)
        why = std::string("deserialises code objects at install time");
    }
    if (!why && (o.categories & kPyProcess)) {
      for (std::string_view n : {"subprocess.call(", "subprocess.run(", "subprocess.popen(", "subprocess.check_call(",
                                 "subprocess.check_output(", "subprocess.getoutput(", "subprocess.getstatusoutput(",
                                 "os.system(", "os.popen(", "os.execv", "os.execl", "os.spawn", "pty.spawn(",
                                 "check_call(", "check_output(", "popen("}) {
        const std::size_t at = s.find(n);
        if (at == npos) continue;
        const std::size_t offset = static_cast<std::size_t>(line.data() - text.data()) + at + n.size();
        const std::string_view cmd = first_literal(text, offset);
        if (cmd.empty()) break;  // a computed command: nothing to judge by
        if (std::find(o.allow_commands.begin(), o.allow_commands.end(), lower_ascii(cmd)) != o.allow_commands.end())
          break;
        why = fmt::format("runs '{}' at install time", cmd);
        break;
      }
    }
    if (why) {
      const auto n = static_cast<std::uint32_t>(i + 1);
      out.push_back({n, n, fmt::format("{}: {}", *why, excerpt(line))});
    }
  }
}

}  // namespace provscan::scan::build
