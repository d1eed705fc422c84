#include "rules/loader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "rules/yaml_util.h"

namespace provscan::rules {

namespace fs = std::filesystem;
using yaml::fail;
using yaml::pos_of;

namespace {

// One signature regex or literal (provscan's own limit; Hyperscan's compile time and database
// size are limited by the signature engine, scanner/signature/signature_engine.h).
constexpr std::size_t kMaxPatternBytes = 8192;
constexpr std::size_t kMaxQueryBytes = 65536;

std::optional<Engine> parse_engine(std::string_view s) {
  for (Engine e : {Engine::Signature, Engine::Query, Engine::Clang, Engine::Blob, Engine::Build,
                   Engine::Text})
    if (to_string(e) == s) return e;
  return std::nullopt;
}

bool valid_id(const std::string& id) {
  static const std::regex kId("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)*");
  return id.size() <= 128 && std::regex_match(id, kId);
}

// The position of the first character of a scalar's text. For a block scalar (`|`, `>`) the
// text starts on the next line at its indentation; yaml-cpp's mark points at the indicator.
SourcePos text_pos(const std::string& file, const std::string& text, const YAML::Node& n) {
  SourcePos p = pos_of(file, n);
  const std::size_t at = static_cast<std::size_t>(n.Mark().pos);
  if (at < text.size() && (text[at] == '|' || text[at] == '>')) {
    std::size_t nl = text.find('\n', at);
    while (nl != std::string::npos) {
      std::size_t start = nl + 1;
      std::size_t indent = 0;
      while (start + indent < text.size() && text[start + indent] == ' ') ++indent;
      ++p.line;
      if (start + indent < text.size() && text[start + indent] != '\n') {
        p.col = static_cast<int>(indent) + 1;
        return p;
      }
      nl = text.find('\n', start);
    }
    return p;
  }
  if (at < text.size() && (text[at] == '"' || text[at] == '\'')) ++p.col;
  return p;
}

PathFilter parse_paths(const std::string& file, const YAML::Node& n) {
  yaml::check_keys(file, n, {"include", "exclude"}, "paths");
  PathFilter f;
  if (n["include"]) f.include = yaml::string_list(file, n["include"], "paths.include");
  if (n["exclude"]) f.exclude = yaml::string_list(file, n["exclude"], "paths.exclude");
  return f;
}

void parse_metadata(const std::string& file, const YAML::Node& n, Rule& r) {
  if (!n.IsMap()) fail(pos_of(file, n), "metadata must be a mapping");
  // Free-form beyond these: security engineers attach their own keys.
  if (n["cwe"]) r.cwe = yaml::scalar(file, n["cwe"], "metadata.cwe");
  if (n["references"]) r.references = yaml::string_list(file, n["references"], "metadata.references");
}

void require(const std::string& file, const YAML::Node& rule, const char* key,
             const std::string& id, const std::string& why) {
  if (!rule[key]) fail(pos_of(file, rule), fmt::format("rule {}: missing '{}' ({})", id, key, why));
}

Rule parse_rule(const std::string& file, const std::string& text, const YAML::Node& n) {
  yaml::check_keys(file, n,
                   {"id", "engine", "severity", "message", "languages", "regex", "literals",
                    "flags", "query", "matcher", "check", "options", "paths", "supersedes", "metadata"},
                   "rule");
  Rule r;
  r.pos = pos_of(file, n);
  if (!n["id"]) fail(r.pos, "rule without 'id'");
  r.id = yaml::scalar(file, n["id"], "id");
  r.pos = pos_of(file, n["id"]);
  if (!valid_id(r.id))
    fail(pos_of(file, n["id"]),
         fmt::format("rule id '{}' must be lower-case words joined by '.', '-' or '_'", r.id));
  require(file, n, "engine", r.id, "signature, query, clang, blob, build or text");
  const std::string engine = yaml::scalar(file, n["engine"], "engine");
  auto e = parse_engine(engine);
  if (!e)
    fail(pos_of(file, n["engine"]),
         fmt::format("rule {}: unknown engine '{}' (known: signature, query, clang, blob, build, text)",
                     r.id, engine));
  r.engine = *e;
  require(file, n, "severity", r.id, "info, low, medium, high or critical");
  const std::string sev = yaml::scalar(file, n["severity"], "severity");
  auto s = parse_severity(sev);
  if (!s)
    fail(pos_of(file, n["severity"]),
         fmt::format("rule {}: unknown severity '{}' (known: info, low, medium, high, critical)", r.id, sev));
  r.severity = *s;
  require(file, n, "message", r.id, "what a reviewer is told");
  r.message = yaml::scalar(file, n["message"], "message");
  if (n["languages"]) r.languages = yaml::string_list(file, n["languages"], "languages");
  if (n["paths"]) r.paths = parse_paths(file, n["paths"]);
  if (n["supersedes"]) {
    r.supersedes = yaml::string_list(file, n["supersedes"], "supersedes");
    for (const auto& id : r.supersedes)
      if (id == r.id) fail(pos_of(file, n["supersedes"]), fmt::format("rule {}: a rule cannot supersede itself", r.id));
  }
  if (n["metadata"]) parse_metadata(file, n["metadata"], r);
  if (n["flags"]) {
    r.flags = yaml::string_list(file, n["flags"], "flags");
    for (const auto& f : r.flags)
      if (f != "caseless" && f != "multiline" && f != "dotall")
        fail(pos_of(file, n["flags"]),
             fmt::format("rule {}: unknown flag '{}' (known: caseless, multiline, dotall)", r.id, f));
  }
  if (n["options"]) {
    const YAML::Node& o = n["options"];
    if (!o.IsMap()) fail(pos_of(file, o), fmt::format("rule {}: options must be a mapping", r.id));
    for (const auto& kv : o) {
      const std::string name = yaml::scalar(file, kv.first, fmt::format("rule {}: option name", r.id));
      r.options[name] = yaml::string_list(file, kv.second, "option " + name);
    }
  }

  auto forbid = [&](std::initializer_list<const char*> keys) {
    for (const char* k : keys)
      if (n[k])
        fail(pos_of(file, n[k]),
             fmt::format("rule {}: '{}' does not apply to engine {}", r.id, k, engine));
  };
  switch (r.engine) {
    case Engine::Signature: {
      forbid({"query", "matcher", "check"});
      if (n["regex"] && n["literals"])
        fail(pos_of(file, n["literals"]), fmt::format("rule {}: give 'regex' or 'literals', not both", r.id));
      if (n["regex"]) {
        r.regex = yaml::scalar(file, n["regex"], "regex");
        r.pattern_pos = text_pos(file, text, n["regex"]);
        if (r.regex.empty()) fail(r.pattern_pos, fmt::format("rule {}: empty regex", r.id));
        if (r.regex.size() > kMaxPatternBytes)
          fail(r.pattern_pos, fmt::format("rule {}: regex is {} bytes, longer than the limit of {} bytes", r.id,
                                          r.regex.size(), kMaxPatternBytes));
      } else if (n["literals"]) {
        r.literals = yaml::string_list(file, n["literals"], "literals");
        r.pattern_pos = pos_of(file, n["literals"]);
        if (r.literals.empty()) fail(r.pattern_pos, fmt::format("rule {}: empty literals list", r.id));
        for (std::size_t i = 0; i < r.literals.size(); ++i)
          if (r.literals[i].empty() || r.literals[i].size() > kMaxPatternBytes)
            fail(n["literals"].IsSequence() ? pos_of(file, n["literals"][i]) : r.pattern_pos,
                 fmt::format("rule {}: literal {} is {} bytes; each literal must have 1 to {} bytes", r.id, i + 1,
                             r.literals[i].size(), kMaxPatternBytes));
      } else {
        fail(r.pos, fmt::format("rule {}: a signature rule needs 'regex' or 'literals'", r.id));
      }
      break;
    }
    case Engine::Query:
      forbid({"regex", "literals", "flags", "matcher", "check"});
      require(file, n, "query", r.id, "a tree-sitter query");
      require(file, n, "languages", r.id, "which grammars the query is for");
      r.query = yaml::scalar(file, n["query"], "query");
      r.query_pos = text_pos(file, text, n["query"]);
      if (r.query.size() > kMaxQueryBytes)
        fail(r.query_pos, fmt::format("rule {}: query longer than {} bytes", r.id, kMaxQueryBytes));
      break;
    case Engine::Clang:
      forbid({"regex", "literals", "flags", "query", "check"});
      require(file, n, "matcher", r.id, "a named clang check; see `provscan rules list`");
      r.matcher = yaml::scalar(file, n["matcher"], "matcher");
      break;
    case Engine::Blob:
    case Engine::Build:
    case Engine::Text:
      forbid({"regex", "literals", "flags", "query", "matcher"});
      require(file, n, "check", r.id, "a named check of the engine");
      r.matcher = yaml::scalar(file, n["check"], "check");
      break;
  }
  return r;
}

// Canonical text of a rule for the rule-set hash: every field that changes behaviour.
void hash_rule(Sha256& h, const Rule& r) {
  auto put = [&](std::string_view s) {
    h.update(std::to_string(s.size()));
    h.update(":");
    h.update(s);
  };
  auto put_list = [&](const std::vector<std::string>& v) {
    put(std::to_string(v.size()));
    for (const auto& s : v) put(s);
  };
  put(r.id);
  put(to_string(r.engine));
  put(to_string(r.severity));
  put(r.message);
  put_list(r.languages);
  put(r.regex);
  put_list(r.literals);
  put_list(r.flags);
  put(r.query);
  put(r.matcher);
  put(std::to_string(r.options.size()));
  for (const auto& [k, v] : r.options) {
    put(k);
    put_list(v);
  }
  put_list(r.supersedes);
  put_list(r.paths.include);
  put_list(r.paths.exclude);
  put(r.cwe);
  put_list(r.references);
}

bool is_fixture_dir(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".match" || ext == ".ok";
}

}  // namespace

std::vector<std::string> rule_files(const std::string& path) {
  std::vector<std::string> out;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) throw InputError(fmt::format("{}: no such rule file or folder", path));
  if (!fs::is_directory(st)) return {path};
  std::vector<fs::path> found;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory() && is_fixture_dir(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".yaml") found.push_back(it->path());
  }
  if (ec) throw InputError(fmt::format("{}: cannot list folder: {}", path, ec.message()));
  std::sort(found.begin(), found.end());
  // `x.yaml` is a rule file; `x.anything.yaml` beside it is one of its fixtures.
  for (const fs::path& f : found) {
    const std::string name = f.filename().string();
    bool fixture = false;
    for (const fs::path& other : found) {
      if (other.parent_path() != f.parent_path() || other == f) continue;
      const std::string stem = other.stem().string();
      fixture = fixture || name.rfind(stem + ".", 0) == 0;
    }
    if (!fixture) out.push_back(f.string());
  }
  return out;
}

namespace {
}  // namespace

std::vector<Rule> parse_rule_file(const std::string& file, const std::string& text) {
  YAML::Node doc = yaml::parse_document(file, text);
  if (!doc || doc.IsNull()) fail(SourcePos{file, 1, 1}, "empty rule file (expected 'rules:')");
  yaml::check_keys(file, doc, {"rules"}, "rule file");
  const YAML::Node& list = doc["rules"];
  if (!list || !list.IsSequence()) fail(pos_of(file, doc), "'rules' must be a list of rules");
  std::vector<Rule> out;
  for (const auto& n : list) out.push_back(parse_rule(file, text, n));
  return out;
}

RuleSet load_rules(const std::vector<std::string>& paths) {
  RuleSet set;
  for (const auto& p : paths)
    for (auto& f : rule_files(p)) set.files.push_back(std::move(f));
  std::sort(set.files.begin(), set.files.end());
  set.files.erase(std::unique(set.files.begin(), set.files.end()), set.files.end());
  std::map<std::string, SourcePos> seen;
  for (const auto& f : set.files) {
    for (Rule& r : parse_rule_file(f, yaml::read_file(f))) {
      auto [it, fresh] = seen.emplace(r.id, r.pos);
      if (!fresh)
        fail(r.pos, fmt::format("rule {}: duplicate id (first defined at {})", r.id, it->second.str()));
      set.rules.push_back(std::move(r));
    }
  }
  std::sort(set.rules.begin(), set.rules.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
  Sha256 h;
  h.update("provscan-rules/1\n");
  for (const Rule& r : set.rules) hash_rule(h, r);
  set.sha256 = h.hex();
  return set;
}

std::string default_packs_dir() {
  if (const char* env = std::getenv("PROVSCAN_PACKS"); env && *env) return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& cand : {self.parent_path() / "../share/provscan/packs",
                                 self.parent_path() / "../rules/packs",
                                 self.parent_path() / "../../rules/packs"}) {
      if (fs::is_directory(cand, ec)) return fs::weakly_canonical(cand, ec).string();
    }
  }
#ifdef PROVSCAN_SOURCE_PACKS
  return PROVSCAN_SOURCE_PACKS;
#else
  return "rules/packs";
#endif
}

}  // namespace provscan::rules
