// The checks that read build scripts as shell-like command lines: fetch-pipe-to-shell,
// decode-exec, insecure-download, injected-flags and test-data-in-build.
#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "scanner/build/build_checks.h"

namespace provscan::scan::build {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool in(const std::vector<std::string>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// The end of the shell command that starts at `pos`: the next pipe, list operator or
// substitution close.
// Bounded, so that many words on one huge line stay linear.
std::size_t segment_end(std::string_view s, std::size_t pos) noexcept {
  const std::size_t limit = std::min(s.size(), pos + 4096);
  const std::size_t e = s.substr(0, limit).find_first_of("|;&)`", pos);
  return e == npos ? limit : e;
}

// A short option cluster (`-dc`, `-fsSLk`) in s[from, to) that holds `letter`.
bool short_flag_with(std::string_view s, std::size_t from, std::size_t to, char letter) noexcept {
  for (std::size_t i = from; i + 1 < to; ++i) {
    if (s[i] != '-' || (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t' && s[i - 1] != '"' && s[i - 1] != '\''))
      continue;
    if (s[i + 1] == '-') continue;
    for (std::size_t j = i + 1; j < to && std::isalpha(static_cast<unsigned char>(s[j])); ++j)
      if (s[j] == letter) return true;
  }
  return false;
}

bool word_in(std::string_view s, std::size_t from, std::size_t to, std::string_view w) noexcept {
  return find_word(s.substr(0, to), w, from) != npos;
}

bool skip_line(const BuildFile& f, const LogicalLine& ll) {
  return comment_line(trim(ll.text), f.kind());
}

// ---- pipes into interpreters ----------------------------------------------------------------

// Positions of `|` (not `||`) after `from` whose command is one of `cmds`.
std::size_t pipe_into(std::string_view s, std::size_t from, const std::vector<std::string>& cmds,
                      std::string_view* which = nullptr) {
  for (std::size_t q = s.find('|', from); q != npos; q = s.find('|', q + 1)) {
    if ((q + 1 < s.size() && s[q + 1] == '|') || (q > 0 && s[q - 1] == '|')) continue;
    const std::string_view cmd = command_at(s, q + 1);
    if (!cmd.empty() && in(cmds, cmd)) {
      if (which) *which = cmd;
      return q;
    }
  }
  return npos;
}

// Does the text just before a substitution opener at `open` run what the substitution yields?
// (`bash <(`, `sh -c "$(`, `eval "$(`, `source <(`, `. <(`, `iex (`)
bool runs_substitution(std::string_view s, std::size_t open, const std::vector<std::string>& interpreters) {
  const std::size_t from = open > 40 ? open - 40 : 0;
  std::string_view before = s.substr(from, open - from);
  if (auto cut = before.find_last_of("|;&"); cut != npos) before.remove_prefix(cut + 1);
  std::string_view t = trim(before);
  while (!t.empty() && (t.back() == '"' || t.back() == '\'')) t.remove_suffix(1);
  t = trim(t);
  if (t.size() >= 2 && t.substr(t.size() - 2) == "-c") t = trim(t.substr(0, t.size() - 2));
  for (const std::string& w : interpreters)
    if (w != "." && t.size() >= w.size() && t.substr(t.size() - w.size()) == w &&
        (t.size() == w.size() || !std::isalnum(static_cast<unsigned char>(t[t.size() - w.size() - 1]))))
      return true;
  if (t.size() >= 4 && t.substr(t.size() - 4) == "eval") return true;
  return t == "." || (t.size() >= 2 && t.substr(t.size() - 2) == " .");
}

// Where a substitution opening right before `pos` starts (`$(`, `<(`, `` ` ``, `(`), or npos.
std::size_t substitution_before(std::string_view s, std::size_t pos) noexcept {
  std::size_t i = pos;
  while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '"' || s[i - 1] == '\'')) --i;
  if (i == 0) return npos;
  if (s[i - 1] == '`') return i - 1;
  if (s[i - 1] != '(') return npos;
  if (i >= 2 && (s[i - 2] == '$' || s[i - 2] == '<')) return i - 2;
  return i - 1;
}

}  // namespace

void check_fetch_pipe_to_shell(const BuildFile& f, const FetchOptions& o, Hits& out) {
  for (const LogicalLine& ll : f.logical()) {
    if (skip_line(f, ll)) continue;
    const std::string_view s = ll.lower;
    std::size_t first = npos;
    std::string_view fetcher;
    for (const std::string& w : o.fetchers) {
      for (std::size_t at = find_word(s, w); at != npos; at = find_word(s, w, at + 1)) {
        if (at < first) first = at, fetcher = w;
        // `sh <(curl ..)`, `sh -c "$(curl ..)"`, `iex (iwr ..)`: the interpreter runs the download.
        const std::size_t open = substitution_before(s, at);
        if (open != npos && runs_substitution(s, open, o.interpreters)) {
          out.push_back({ll.first, ll.last, fmt::format("`{}` output run by an interpreter: {}", w, excerpt(ll.text))});
          first = npos - 1;  // reported
          break;
        }
      }
      if (first == npos - 1) break;
    }
    if (first == npos || first == npos - 1) continue;
    std::string_view shell;
    if (pipe_into(s, first, o.interpreters, &shell) != npos) {
      out.push_back({ll.first, ll.last, fmt::format("{} piped into {}: {}", fetcher, shell, excerpt(ll.text))});
      continue;
    }
    // Download to a file, then run it in the same command list, with no checksum in between.
    const bool saves = short_flag_with(s, first, s.size(), 'o') || s.find("--output", first) != npos ||
                       s.find(" > ", first) != npos || fetcher == "wget";
    if (!saves || s.find("sha256sum", first) != npos || s.find("shasum", first) != npos ||
        s.find("sha512sum", first) != npos || s.find("gpg --verify", first) != npos)
      continue;
    for (std::size_t q = s.find_first_of(";&", first); q != npos; q = s.find_first_of(";&", q + 1)) {
      const std::string_view cmd = command_at(s, q + 1);
      if (cmd.empty() || !(in(o.interpreters, cmd) && cmd != "." && cmd != "source")) continue;
      out.push_back({ll.first, ll.last, fmt::format("{} download run by {} without a checksum: {}", fetcher, cmd,
                                                    excerpt(ll.text))});
      break;
    }
  }
}

// ---- decode-exec ----------------------------------------------------------------------------

namespace {

const std::vector<std::string> kExecSinks = {"sh", "bash", "zsh", "dash", "ksh", "eval", "python", "python3",
                                             "perl", "node", "ruby", "source", "."};

// The first strong decoder at or after `from`, with its name.
std::size_t strong_decoder(std::string_view s, std::size_t from, std::string* name) {
  std::size_t best = npos;
  auto take = [&](std::size_t at, std::string_view n) {
    if (at != npos && at < best) best = at, *name = std::string(n);
  };
  for (std::string_view w : {"uudecode", "gunzip", "zcat", "xzcat", "unxz", "unlzma", "lzcat", "bunzip2", "bzcat",
                             "zstdcat", "unzstd"})
    take(find_word(s, w, from), w);
  for (std::string_view w : {"base64", "xxd", "openssl", "xz", "gzip", "lzma", "bzip2", "zstd", "lz4", "brotli"}) {
    for (std::size_t at = find_word(s, w, from); at != npos && at < best; at = find_word(s, w, at + 1)) {
      const std::size_t end = segment_end(s, at);
      bool decodes = false;
      if (w == "base64") decodes = short_flag_with(s, at, end, 'd') || word_in(s, at, end, "--decode");
      else if (w == "xxd") decodes = short_flag_with(s, at, end, 'r') || word_in(s, at, end, "-revert");
      else if (w == "openssl") decodes = word_in(s, at, end, "-d") || word_in(s, at, end, "-base64") || word_in(s, at, end, "base64");
      else decodes = short_flag_with(s, at, end, 'd') || word_in(s, at, end, "--decompress");
      if (decodes) {
        take(at, w);
        break;
      }
    }
  }
  // A decompressor named by a variable (`$gl_prefix -d`), and bytes spelt as \x escapes.
  for (std::size_t at = s.find('$', from); at != npos && at < best; at = s.find('$', at + 1)) {
    std::size_t e = at + 1;
    if (e < s.size() && s[e] == '{') ++e;
    while (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || s[e] == '_' || s[e] == '[' || s[e] == ']')) ++e;
    if (e < s.size() && s[e] == '}') ++e;
    if (e > at + 1 && s.substr(e, 3) == " -d" && (e + 3 == s.size() || !std::isalnum(static_cast<unsigned char>(s[e + 3])))) {
      take(at, "a decompressor held in a variable");
      break;
    }
  }
  for (std::string_view w : {"printf", "echo"}) {
    const std::size_t at = find_word(s, w, from);
    if (at != npos && s.substr(at, segment_end(s, at) - at).find("\\x") != npos) take(at, std::string(w) + " \\x..");
  }
  return best;
}

std::size_t weak_transform(std::string_view s, std::size_t from, std::string* name) {
  std::size_t best = npos;
  for (std::string_view w : {"tr", "sed", "rev", "awk", "cut"}) {
    const std::size_t at = find_word(s, w, from);
    if (at != npos && at < best) best = at, *name = std::string(w);
  }
  return best;
}

}  // namespace

void check_decode_exec(const BuildFile& f, Hits& out) {
  for (const LogicalLine& ll : f.logical()) {
    if (skip_line(f, ll)) continue;
    const std::string_view s = ll.lower;
    if (s.find('|') == npos && s.find("eval") == npos && s.find("-c") == npos && s.find("<(") == npos) continue;
    std::string strong, weak;
    const std::size_t d = strong_decoder(s, 0, &strong);
    const std::size_t w = weak_transform(s, 0, &weak);
    std::string_view sink;
    std::optional<std::string> why;
    // decoder ... | sh
    if (d != npos && pipe_into(s, d, kExecSinks, &sink) != npos) {
      why = fmt::format("{} output piped into {}", strong, sink);
    } else if (w != npos) {
      const std::size_t q = pipe_into(s, w, {"eval"}, &sink);
      const std::size_t q2 = pipe_into(s, w, kExecSinks, &sink);
      if (q != npos || (q2 != npos && s.find('|') < q2 && weak != "cut"))
        why = fmt::format("{} output piped into {}", weak, sink);
    }
    // eval "$(... decoder ...)", sh -c "$(...)", source <(...)
    if (!why) {
      for (std::size_t open = s.find('('); open != npos && !why; open = s.find('(', open + 1)) {
        const std::size_t start = (open > 0 && (s[open - 1] == '$' || s[open - 1] == '<')) ? open - 1 : npos;
        if (start == npos || !runs_substitution(s, start, kExecSinks)) continue;
        // Only real decoders here: `eval "$(tool | sed ...)"` is an everyday idiom.
        std::string n;
        if (strong_decoder(s, open, &n) != npos) why = fmt::format("{} output executed through a command substitution", n);
      }
    }
    // `| eval $cmd |`: eval as a middle stage runs a command kept in a variable, on streamed data.
    if (!why) {
      for (std::size_t q = pipe_into(s, 0, {"eval"}); q != npos; q = pipe_into(s, q + 1, {"eval"})) {
        const std::size_t next = s.find('|', q + 1);
        if (next != npos && next + 1 < s.size() && s[next + 1] != '|') {
          why = std::string("eval in the middle of a pipeline runs a command held in a variable");
          break;
        }
      }
    }
    if (why) out.push_back({ll.first, ll.last, fmt::format("{}: {}", *why, excerpt(ll.text))});
  }
}

// ---- insecure-download ----------------------------------------------------------------------

void check_insecure_download(const BuildFile& f, Hits& out) {
  for (const LogicalLine& ll : f.logical()) {
    if (skip_line(f, ll)) continue;
    const std::string_view s = ll.lower;
    std::optional<std::string_view> why;
    for (std::size_t at = find_word(s, "curl"); at != npos && !why; at = find_word(s, "curl", at + 1)) {
      const std::size_t end = segment_end(s, at);
      if (short_flag_with(s, at, end, 'k') || word_in(s, at, end, "--insecure")) why = "curl without certificate checks";
    }
    if (!why && has_word(s, "--no-check-certificate")) why = "wget --no-check-certificate";
    if (!why && has_word(s, "--trusted-host")) why = "pip --trusted-host";
    if (!why && s.find("strict-ssl") != npos && has_word(s, "false")) why = "npm strict-ssl false";
    if (!why && s.find("git_ssl_no_verify") != npos) why = "GIT_SSL_NO_VERIFY";
    if (!why && s.find("sslverify") != npos && has_word(s, "false")) why = "git http.sslVerify false";
    if (!why && (s.find("node_tls_reject_unauthorized=0") != npos || s.find("node_tls_reject_unauthorized: 0") != npos ||
                 s.find("node_tls_reject_unauthorized: '0'") != npos || s.find("node_tls_reject_unauthorized: \"0\"") != npos))
      why = "NODE_TLS_REJECT_UNAUTHORIZED=0";
    if (!why && s.find("pythonhttpsverify=0") != npos) why = "PYTHONHTTPSVERIFY=0";
    if (!why && has_word(s, "-skipcertificatecheck")) why = "-SkipCertificateCheck";
    if (!why && f.kind() == Kind::Python && s.find("verify=false") != npos) why = "requests verify=False";
    if (why) out.push_back({ll.first, ll.last, fmt::format("{}: {}", *why, excerpt(ll.text))});
  }
}

// ---- injected-flags -------------------------------------------------------------------------

namespace {

// `needle` found with one of `before` characters (or the line start) in front of it.
bool flag_at(std::string_view s, std::string_view needle, std::string_view before = " ,=\"'(") {
  for (std::size_t at = s.find(needle); at != npos; at = s.find(needle, at + 1))
    if (at == 0 || before.find(s[at - 1]) != npos) return true;
  return false;
}

}  // namespace

void check_injected_flags(const BuildFile& f, const FlagOptions& o, Hits& out) {
  std::vector<std::string> dirs;
  for (const auto& d : o.writable_dirs) dirs.push_back(lower_ascii(d));
  for (const LogicalLine& ll : f.logical()) {
    if (skip_line(f, ll)) continue;
    const std::string_view s = ll.lower;
    std::vector<std::string> found;
    if (o.groups & kHardeningOff) {
      for (std::string_view flag : {"-fno-stack-protector", "-u_fortify_source", "-d_fortify_source=0",
                                    "-fcf-protection=none", "-fno-stack-clash-protection", "execstack", "norelro"})
        if (flag_at(s, flag, flag.front() == '-' ? " ,=\"'(" : " ,=\"'(")) found.emplace_back(flag);
    }
    if (o.groups & kSymbolOverride) {
      for (std::string_view flag : {"--wrap=", "--wrap,", "--defsym", "--allow-multiple-definition", "muldefs"})
        if (flag_at(s, flag)) found.emplace_back(flag);
    }
    if (o.groups & kPreload) {
      bool sanitizer = false;  // sanitizer runtimes are preloaded on purpose
      for (std::string_view w : {"asan", "tsan", "ubsan", "msan", "lsan", "sanitizer", "valgrind"})
        sanitizer = sanitizer || s.find(w) != npos;
      for (std::string_view v : {"ld_preload", "dyld_insert_libraries", "/etc/ld.so.preload"})
        if (s.find(v) != npos && !sanitizer && !has_word(s, "unset")) found.emplace_back(v);
    }
    if (o.groups & kWritableRpath) {
      for (std::string_view key : {"rpath", "runpath", "ld_library_path"}) {
        for (std::size_t at = s.find(key); at != npos; at = s.find(key, at + 1)) {
          const std::string_view after = s.substr(at, 160);
          const auto dir = std::find_if(dirs.begin(), dirs.end(), [&](const std::string& d) { return after.find(d) != npos; });
          if (dir != dirs.end()) {
            found.push_back(fmt::format("{} into {}", key, *dir));
            break;
          }
        }
      }
    }
    if (!found.empty())
      out.push_back({ll.first, ll.last, fmt::format("{}: {}", fmt::join(found, ", "), excerpt(ll.text))});
  }
}

// ---- test-data-in-build ---------------------------------------------------------------------

namespace {

// The end of the path token that contains position `at`.
std::size_t token_end(std::string_view s, std::size_t at) noexcept {
  const std::size_t e = s.find_first_of(" \t\"')`;|<>,", at);
  return e == npos ? s.size() : e;
}

// First reference to a file under a test folder at or after `from`: the position of the folder
// name, and the end of the path token.
std::size_t test_path(std::string_view s, const std::vector<std::string>& dirs, std::size_t from, std::size_t* end) {
  std::size_t best = npos;
  for (const std::string& d : dirs) {
    const std::string needle = d + "/";
    for (std::size_t at = s.find(needle, from); at != npos; at = s.find(needle, at + 1)) {
      if (at == 0 || std::string_view("/ \t\"'${}(=:").find(s[at - 1]) != npos) {
        if (at < best) best = at, *end = token_end(s, at);
        break;
      }
    }
  }
  return best;
}

bool has_data_extension(std::string_view token, const std::vector<std::string>& exts) {
  const std::size_t dot = token.rfind('.');
  if (dot == npos || token.find('/', dot) != npos) return false;
  const std::string_view ext = token.substr(dot + 1);
  return std::any_of(exts.begin(), exts.end(), [&](const std::string& e) { return ext == e || ext == e + "*"; });
}

bool reads_data(std::string_view s) {
  for (std::string_view w : {"cat", "head", "tail", "dd", "od", "xxd", "hexdump", "tr", "sed", "awk", "xz", "unxz",
                             "xzcat", "lzma", "gzip", "gunzip", "zcat", "bzip2", "bunzip2", "bzcat", "zstd", "base64",
                             "strings"})
    if (has_word(s, w)) return true;
  return s.find("file(read") != npos || s.find("file(strings") != npos || s.find("$(<") != npos ||
         s.find(" < ") != npos;
}

}  // namespace

void check_test_data_in_build(const BuildFile& f, const TestDataOptions& o, Hits& out) {
  std::vector<std::string> dirs, exts;
  for (const auto& d : o.test_dirs) dirs.push_back(lower_ascii(d));
  for (const auto& e : o.data_extensions) exts.push_back(lower_ascii(e));
  bool test_target = false;  // make: inside the recipe of a check/test target
  int add_test_depth = 0;    // cmake: inside add_test( ... )
  for (const LogicalLine& ll : f.logical()) {
    const std::string_view s = ll.lower;
    if (f.kind() == Kind::Make && !s.empty() && s.front() != '\t' && s.front() != '#') {
      const std::size_t colon = s.find(':');
      if (colon != npos && (colon + 1 >= s.size() || s[colon + 1] != '=')) {
        const std::string_view targets = s.substr(0, colon);
        test_target = targets.find("check") != npos || targets.find("test") != npos;
      } else if (s.find('=') == npos) {
        test_target = false;
      }
    }
    if (f.kind() == Kind::CMake) {
      if (add_test_depth == 0 && s.find("add_test") != npos) {
        const std::size_t at = s.find("add_test");
        add_test_depth = 0;
        for (char c : s.substr(at)) add_test_depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        if (add_test_depth < 0) add_test_depth = 0;
        continue;
      }
      if (add_test_depth > 0) {
        for (char c : s) add_test_depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        if (add_test_depth < 0) add_test_depth = 0;
        continue;
      }
    }
    if (test_target || skip_line(f, ll)) continue;
    std::optional<std::string> why;
    for (std::string_view fn : {"file(read", "file(strings"}) {
      const std::size_t at = s.find(fn);
      std::size_t end = 0;
      if (at != npos) {
        const std::size_t p = test_path(s, dirs, at, &end);
        if (p != npos && p < at + 300) why = fmt::format("CMake {} of a test file", ll.text.substr(at, fn.size()));
      }
    }
    std::size_t end = 0;
    int paths = 0;  // a bounded number of test paths per line keeps hostile lines linear
    for (std::size_t p = test_path(s, dirs, 0, &end); !why && p != npos && ++paths <= 64;
         p = test_path(s, dirs, end, &end)) {
      const std::string_view token = s.substr(p, end - p);
      if (has_data_extension(token, exts) && reads_data(s))
        why = fmt::format("build step reads test data file '{}'", ll.text.substr(p, end - p));
      else if (find_word(s, "cat") < p && s.find('|', end) != npos)
        why = fmt::format("build step pipes test file '{}' into a command", ll.text.substr(p, end - p));
      if (end <= p) break;
    }
    for (std::size_t at = find_word(s, "grep"); !why && at != npos; at = find_word(s, "grep", at + 1)) {
      const std::size_t e = segment_end(s, at);
      if (short_flag_with(s, at, e, 'a') && (short_flag_with(s, at, e, 'r') || short_flag_with(s, at, e, 'l')))
        why = std::string("grep -a searching files for a binary marker");
    }
    if (why) out.push_back({ll.first, ll.last, fmt::format("{}: {}", *why, excerpt(ll.text))});
  }
}

}  // namespace provscan::scan::build
