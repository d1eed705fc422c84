// CI definitions (GitHub Actions, GitLab CI) and Dockerfiles. YAML is read line by line with its
// indentation, never parsed into a tree: hostile or broken YAML cannot exhaust a parser, and
// every hit keeps its physical line.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "scanner/build/build_checks.h"

namespace provscan::scan::build {

namespace {

constexpr std::size_t npos = std::string_view::npos;

std::size_t indent_of(std::string_view line) noexcept {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

bool starts_with(std::string_view s, std::string_view p) noexcept { return s.substr(0, p.size()) == p; }

// For each physical line: is it shell (or github-script) text, the value of a `run:` /
// `script:` key (GitHub) or `script:`/`before_script:`/`after_script:` (GitLab)?
std::vector<bool> code_lines(const BuildFile& f) {
  const auto& lines = f.lines();
  std::vector<bool> code(lines.size(), false);
  const bool gitlab = f.kind() == Kind::GitlabCi;
  bool in_block = false;
  std::size_t key_indent = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::string_view t = trim(line);
    const std::size_t ind = indent_of(line);
    if (in_block) {
      if (!t.empty() && t.front() == '#') continue;  // a comment neither ends the block nor is code
      if (t.empty() || ind > key_indent || (gitlab && ind == key_indent && starts_with(t, "- "))) {
        code[i] = !t.empty() && t.front() != '#';
        continue;
      }
      in_block = false;
    }
    std::string_view k = t;
    std::size_t col = ind;
    while (starts_with(k, "- ")) k = trim(k.substr(2)), col += 2;
    std::size_t key_len = 0;
    for (std::string_view key : {"run:", "script:", "before_script:", "after_script:"})
      if (starts_with(k, key)) key_len = key.size();
    if (key_len == 0) continue;
    const std::string_view value = trim(k.substr(key_len));
    if (value.empty() || value.front() == '|' || value.front() == '>') {
      in_block = true;
      key_indent = col;
    } else {
      code[i] = true;
    }
  }
  return code;
}

std::string lower_line(const BuildFile& f, std::size_t i) { return lower_ascii(f.lines()[i]); }

// The identifier-like run of a context path starting at `at` (`github.event.issue.title`).
std::string_view context_path(std::string_view s, std::size_t at) noexcept {
  std::size_t e = at;
  while (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || s[e] == '_' || s[e] == '.' || s[e] == '-' ||
                          s[e] == '[' || s[e] == ']' || s[e] == '*'))
    ++e;
  return s.substr(at, e - at);
}

// Contexts whose text whoever opens an issue, a pull request or a branch chooses.
bool untrusted_context(std::string_view p) {
  if (p == "github.head_ref") return true;
  if (!starts_with(p, "github.event.")) return false;
  for (std::string_view trusted : {"github.event.repository.", "github.event.sender.", "github.event.inputs.",
                                   "github.event.organization.", "github.event.installation.", "github.event.client_payload."})
    if (starts_with(p, trusted)) return false;
  if (p.find(".base.") != npos) return false;
  if (std::count(p.begin(), p.end(), '.') < 3) return false;
  const std::string_view last = p.substr(p.rfind('.') + 1);
  for (std::string_view field : {"title", "body", "message", "label", "ref", "head_ref", "head_branch", "page_name",
                                 "default_branch", "display_title", "email", "name"})
    if (last == field) return true;
  return false;
}

bool is_comment(std::string_view line) { return starts_with(trim(line), "#"); }

}  // namespace

// ---- workflow-untrusted-checkout ------------------------------------------------------------

void check_workflow_untrusted_checkout(const BuildFile& f, Hits& out) {
  std::string trigger;
  bool uses_secrets = false;
  for (std::size_t i = 0; i < f.lines().size(); ++i) {
    if (is_comment(f.lines()[i])) continue;
    const std::string s = lower_line(f, i);
    const std::string_view t = trim(s);
    uses_secrets = uses_secrets || s.find("secrets.") != npos;
    for (std::string_view ev : {"pull_request_target", "workflow_run"}) {
      const bool on_line = (starts_with(t, "on:") || starts_with(t, "\"on\":") || starts_with(t, "'on':")) && has_word(t, ev);
      const bool as_key = starts_with(t, ev) && (t.size() == ev.size() || t[ev.size()] == ':');
      const bool as_item = starts_with(t, "- ") && trim(t.substr(2)) == ev;
      if (trigger.empty() && (on_line || as_key || as_item)) trigger = std::string(ev);
    }
  }
  if (trigger.empty()) return;
  for (std::size_t i = 0; i < f.lines().size(); ++i) {
    if (is_comment(f.lines()[i])) continue;
    const std::string s = lower_line(f, i);
    const std::string_view t = trim(s);
    bool head = false;
    for (std::string_view ref : {"github.event.pull_request.head.sha", "github.event.pull_request.head.ref",
                                 "github.event.pull_request.head.repo.full_name", "github.head_ref",
                                 "github.event.workflow_run.head_sha", "github.event.workflow_run.head_branch",
                                 "github.event.workflow_run.head_repository.full_name"})
      head = head || s.find(ref) != npos;
    if (s.find("refs/pull/") != npos && (s.find("github.event.number") != npos || s.find(".pull_request.number") != npos ||
                                         s.find("github.event.workflow_run.pull_requests") != npos))
      head = true;
    const bool checks_out = starts_with(t, "ref:") || starts_with(t, "repository:") || s.find("git fetch") != npos ||
                            s.find("git checkout") != npos || s.find("git switch") != npos || s.find("git pull") != npos;
    if ((head && checks_out) || s.find("gh pr checkout") != npos) {
      const auto n = static_cast<std::uint32_t>(i + 1);
      out.push_back({n, n, fmt::format("{} workflow checks out the pull request's code{}: {}", trigger,
                                       uses_secrets ? " (the workflow uses secrets)" : "", excerpt(f.lines()[i]))});
    }
  }
}

// ---- workflow-script-injection --------------------------------------------------------------

void check_workflow_script_injection(const BuildFile& f, Hits& out) {
  const std::vector<bool> code = code_lines(f);
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (!code[i]) continue;
    const std::string s = lower_line(f, i);
    for (std::size_t open = s.find("${{"); open != npos; open = s.find("${{", open + 3)) {
      const std::size_t close = s.find("}}", open);
      const std::string_view expr = std::string_view(s).substr(open, close == npos ? npos : close - open);
      std::string_view bad;
      for (std::size_t g = expr.find("github."); g != npos && bad.empty(); g = expr.find("github.", g + 1)) {
        const std::string_view p = context_path(expr, g);
        if (untrusted_context(p)) bad = p;
      }
      if (bad.empty()) continue;
      const auto n = static_cast<std::uint32_t>(i + 1);
      out.push_back({n, n, fmt::format("`{}` expanded into a script: {}", bad, excerpt(f.lines()[i]))});
      break;
    }
  }
}

// ---- workflow-permissions -------------------------------------------------------------------

void check_workflow_permissions(const BuildFile& f, Hits& out) {
  for (std::size_t i = 0; i < f.lines().size(); ++i) {
    std::string_view t = trim(f.lines()[i]);
    if (t.substr(0, 2) == "- ") t = trim(t.substr(2));
    if (!starts_with(t, "permissions:")) continue;
    std::string v(trim(t.substr(12)));
    if (auto hash = v.find(" #"); hash != std::string::npos) v = std::string(trim(std::string_view(v).substr(0, hash)));
    v.erase(std::remove(v.begin(), v.end(), '"'), v.end());
    v.erase(std::remove(v.begin(), v.end(), '\''), v.end());
    if (lower_ascii(v) != "write-all") continue;
    const auto n = static_cast<std::uint32_t>(i + 1);
    out.push_back({n, n, "every token scope is writable"});
  }
}

// ---- secret-exfiltration --------------------------------------------------------------------

namespace {

// Positions of secret references on a lower-cased line.
std::vector<std::size_t> secret_refs(std::string_view s) {
  std::vector<std::size_t> at;
  for (std::size_t p = s.find("secrets."); p != npos; p = s.find("secrets.", p + 1)) at.push_back(p);
  for (std::size_t p = s.find("tojson(secrets"); p != npos; p = s.find("tojson(secrets", p + 1)) at.push_back(p);
  for (std::size_t p = s.find('$'); p != npos && at.size() < 64; p = s.find('$', p + 1)) {
    std::size_t b = p + 1;
    if (b < s.size() && s[b] == '{' && !(b + 1 < s.size() && s[b + 1] == '{')) ++b;
    std::size_t e = b;
    while (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || s[e] == '_')) ++e;
    const std::string_view name = s.substr(b, e - b);
    for (std::string_view w : {"token", "secret", "password", "passwd", "api_key", "apikey", "private_key",
                               "access_key", "credential"})
      if (name.find(w) != npos) {
        at.push_back(p);
        break;
      }
  }
  std::sort(at.begin(), at.end());
  return at;
}

// An environment dump used as data (`env |`, `$(printenv)`, /proc/*/environ, toJSON(env)).
bool environment_dump(std::string_view s) {
  if (s.find("/environ") != npos || s.find("tojson(env)") != npos) return true;
  for (std::string_view w : {"env", "printenv"}) {
    for (std::size_t at = find_word(s, w); at != npos; at = find_word(s, w, at + 1)) {
      std::size_t e = at + w.size();
      while (e < s.size() && s[e] == ' ') ++e;
      const bool piped = e < s.size() && s[e] == '|' && !(e + 1 < s.size() && s[e + 1] == '|');
      const bool substituted = (at >= 2 && s.substr(at - 2, 2) == "$(") && e < s.size() && s[e] == ')';
      if (piped || substituted) return true;
    }
  }
  return false;
}

bool network_tool(std::string_view s) {
  for (std::string_view w : {"curl", "wget", "nc", "ncat", "netcat", "socat", "invoke-webrequest", "invoke-restmethod",
                             "nslookup", "dig"})
    if (has_word(s, w)) return true;
  return s.find("/dev/tcp/") != npos || s.find("/dev/udp/") != npos;
}

// base64 (or xxd/od) encoding, not decoding.
bool encodes(std::string_view s) {
  for (std::size_t at = find_word(s, "base64"); at != npos; at = find_word(s, "base64", at + 1)) {
    const std::string_view rest = s.substr(at, 40);
    if (rest.find(" -d") == npos && rest.find("--decode") == npos && rest.find(" -D") == npos) return true;
  }
  return (has_word(s, "xxd") && s.find("xxd -r") == npos) || has_word(s, "od");
}

// Is the secret at `p` passed as a credential (a header, a user option, a login)?
bool credential_use(std::string_view s, std::size_t p) {
  const std::size_t from = p > 60 ? p - 60 : 0;
  const std::string_view before = s.substr(from, p - from);
  for (std::string_view w : {"-h ", "--header", "-u ", "--user", "authorization", "bearer", "token:", "private-token",
                             "job-token", "--password", "-p ", "--token", "-t ", "login", "x-api-key", "api-key:",
                             "apikey:", "--oauth2-bearer", "netrc"})
    if (before.find(w) != npos) return true;
  return false;
}

}  // namespace

void check_secret_exfiltration(const BuildFile& f, Hits& out) {
  const std::vector<bool> code = code_lines(f);
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (!code[i]) continue;
    const std::string s = lower_line(f, i);
    std::optional<std::string> why;
    const bool net = network_tool(s);
    const bool enc = encodes(s);
    if (environment_dump(s) && (net || enc)) {
      why = std::string("the environment dumped ") + (net ? "to the network" : "base64-encoded into the log");
    } else {
      const std::vector<std::size_t> refs = secret_refs(s);
      if (!refs.empty() && enc && s.find("=$(") == npos && s.find("> ") == npos)
        why = std::string("a secret base64-encoded into the log, where masking cannot hide it");
      else if (!refs.empty() && net)
        for (std::size_t p : refs)
          if (!credential_use(s, p)) {
            why = std::string("a secret sent over the network other than as a credential");
            break;
          }
    }
    if (!why) continue;
    const auto n = static_cast<std::uint32_t>(i + 1);
    out.push_back({n, n, fmt::format("{}: {}", *why, excerpt(f.lines()[i]))});
  }
}

// ---- remote-add-exec ------------------------------------------------------------------------

void check_remote_add_exec(const BuildFile& f, Hits& out) {
  struct Added {
    std::uint32_t line;
    std::string dest, file, url;
    bool reported = false;
  };
  std::vector<Added> added;
  for (const LogicalLine& ll : f.logical()) {
    const std::string_view t = trim(ll.lower);
    if (starts_with(t, "add ") && (t.find("http://") != npos || t.find("https://") != npos) &&
        t.find("--checksum") == npos) {
      std::vector<std::string_view> words;
      for (std::size_t p = 4; p < t.size();) {
        while (p < t.size() && t[p] == ' ') ++p;
        std::size_t e = t.find(' ', p);
        if (e == npos) e = t.size();
        if (e > p) words.push_back(t.substr(p, e - p));
        p = e;
      }
      if (words.size() < 2 || words.size() > 64) continue;
      Added a{ll.first, std::string(words.back()), {}, {}};
      for (std::string_view w : words)
        if (starts_with(w, "http://") || starts_with(w, "https://")) a.url = std::string(w);
      a.file = a.url.substr(a.url.rfind('/') + 1);
      if (a.dest.back() != '/') a.file = a.dest.substr(a.dest.rfind('/') + 1);
      if (!a.file.empty() && added.size() < 256) added.push_back(std::move(a));
      continue;
    }
    if (!starts_with(t, "run ") || added.empty()) continue;
    for (Added& a : added) {
      if (a.reported || t.find(a.file) == npos) continue;
      bool runs = t.find("chmod +x") != npos || t.find("./" + a.file) != npos;
      for (std::string_view w : {"sh", "bash", "python", "python3", "perl", "node", "source", "ruby"})
        runs = runs || has_word(t, w);
      if (!runs) continue;
      a.reported = true;
      out.push_back({a.line, ll.last, fmt::format("{} downloaded by ADD without --checksum and executed: {}", a.url,
                                                  excerpt(ll.text))});
    }
  }
}

}  // namespace provscan::scan::build
