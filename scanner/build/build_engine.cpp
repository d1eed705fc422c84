#include "scanner/build/build_engine.h"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "common/error.h"
#include "scanner/blob/check_options.h"
#include "scanner/build/build_checks.h"

namespace provscan::scan {

namespace {

using build::BuildFile;
using build::Hits;
using build::Kind;

struct CompiledRule {
  const rules::Rule* rule;
  bool any_kind = false;
  std::vector<Kind> kinds;
  std::function<void(const BuildFile&, Hits&)> run;
};

struct CheckSpec {
  std::vector<std::string_view> default_kinds;  // empty = all kinds
  std::vector<std::string_view> options;        // besides `kinds`
  std::function<std::function<void(const BuildFile&, Hits&)>(const CheckOptions&)> make;
};

unsigned mask_of(const std::vector<std::string>& names, std::initializer_list<std::pair<std::string_view, unsigned>> bits) {
  unsigned m = 0;
  for (const std::string& n : names)
    for (auto [name, bit] : bits)
      if (n == name) m |= bit;
  return m;
}

std::vector<std::string> lowered(std::vector<std::string> v) {
  for (auto& s : v) s = build::lower_ascii(s);
  return v;
}

const std::map<std::string, CheckSpec, std::less<>>& specs() {
  static const std::map<std::string, CheckSpec, std::less<>> m = {
      {"fetch-pipe-to-shell",
       {{}, {"fetchers", "interpreters"}, [](const CheckOptions& o) {
          build::FetchOptions f;
          f.fetchers = lowered(o.list("fetchers", f.fetchers));
          f.interpreters = lowered(o.list("interpreters", f.interpreters));
          return [f](const BuildFile& b, Hits& h) { build::check_fetch_pipe_to_shell(b, f, h); };
        }}},
      {"decode-exec", {{}, {}, [](const CheckOptions&) {
                         return [](const BuildFile& b, Hits& h) { build::check_decode_exec(b, h); };
                       }}},
      {"test-data-in-build",
       {{"cmake", "make", "autotools"}, {"test_dirs", "data_extensions"}, [](const CheckOptions& o) {
          build::TestDataOptions t;
          t.test_dirs = o.list("test_dirs", t.test_dirs);
          t.data_extensions = o.list("data_extensions", t.data_extensions);
          for (const auto& d : t.test_dirs)
            if (d.find_first_of("/ ") != std::string::npos)
              o.fail(fmt::format("option 'test_dirs': '{}' must be a single folder name", d));
          return [t](const BuildFile& b, Hits& h) { build::check_test_data_in_build(b, t, h); };
        }}},
      {"sabotaged-feature-check", {{"cmake", "autotools"}, {}, [](const CheckOptions&) {
                                     return [](const BuildFile& b, Hits& h) { build::check_sabotaged_feature_check(b, h); };
                                   }}},
      {"injected-flags",
       {{}, {"groups", "writable_dirs"}, [](const CheckOptions& o) {
          build::FlagOptions f;
          f.groups = mask_of(o.choices("groups", {"hardening-off", "symbol-override", "preload", "writable-rpath"},
                                       {"hardening-off", "symbol-override", "preload", "writable-rpath"}),
                             {{"hardening-off", build::kHardeningOff}, {"symbol-override", build::kSymbolOverride},
                              {"preload", build::kPreload}, {"writable-rpath", build::kWritableRpath}});
          f.writable_dirs = o.list("writable_dirs", f.writable_dirs);
          for (const auto& d : f.writable_dirs)
            if (d.front() != '/' && d.front() != '$' && d.front() != '~')
              o.fail(fmt::format("option 'writable_dirs': '{}' must be an absolute path", d));
          return [f](const BuildFile& b, Hits& h) { build::check_injected_flags(b, f, h); };
        }}},
      {"insecure-download", {{}, {}, [](const CheckOptions&) {
                               return [](const BuildFile& b, Hits& h) { build::check_insecure_download(b, h); };
                             }}},
      {"npm-lifecycle-script",
       {{"npm"}, {"hooks"}, [](const CheckOptions& o) {
          build::NpmOptions n;
          n.hooks = o.list("hooks", n.hooks);
          return [n](const BuildFile& b, Hits& h) { build::check_npm_lifecycle_script(b, n, h); };
        }}},
      {"python-build-exec",
       {{"python"}, {"categories", "allow_commands"}, [](const CheckOptions& o) {
          build::PythonOptions p;
          p.categories = mask_of(o.choices("categories", {"network", "dynamic-code", "process"},
                                           {"network", "dynamic-code", "process"}),
                                 {{"network", build::kPyNetwork}, {"dynamic-code", build::kPyDynamicCode},
                                  {"process", build::kPyProcess}});
          p.allow_commands = lowered(o.list("allow_commands", p.allow_commands));
          return [p](const BuildFile& b, Hits& h) { build::check_python_build_exec(b, p, h); };
        }}},
      {"workflow-untrusted-checkout",
       {{"github-actions"}, {}, [](const CheckOptions&) {
          return [](const BuildFile& b, Hits& h) { build::check_workflow_untrusted_checkout(b, h); };
        }}},
      {"workflow-script-injection",
       {{"github-actions"}, {}, [](const CheckOptions&) {
          return [](const BuildFile& b, Hits& h) { build::check_workflow_script_injection(b, h); };
        }}},
      {"workflow-permissions", {{"github-actions"}, {}, [](const CheckOptions&) {
                                  return [](const BuildFile& b, Hits& h) { build::check_workflow_permissions(b, h); };
                                }}},
      {"secret-exfiltration", {{"github-actions", "gitlab-ci"}, {}, [](const CheckOptions&) {
                                 return [](const BuildFile& b, Hits& h) { build::check_secret_exfiltration(b, h); };
                               }}},
      {"remote-add-exec", {{"dockerfile"}, {}, [](const CheckOptions&) {
                             return [](const BuildFile& b, Hits& h) { build::check_remote_add_exec(b, h); };
                           }}},
  };
  return m;
}

CompiledRule compile(const rules::Rule& r) {
  auto it = specs().find(r.matcher);
  if (it == specs().end())
    throw InputError(fmt::format("{}: rule {}: unknown build check '{}' (known: {})", r.pos.str(), r.id, r.matcher,
                                 fmt::join(build_check_names(), ", ")));
  const CheckSpec& spec = it->second;
  // CheckOptions takes the known keys as an initializer_list; check them here first.
  for (const auto& [key, values] : r.options)
    if (key != "kinds" && std::find(spec.options.begin(), spec.options.end(), key) == spec.options.end()) {
      std::vector<std::string_view> known = spec.options;
      known.insert(known.begin(), "kinds");
      throw InputError(fmt::format("{}: rule {}: unknown option '{}' for build check '{}' (known: {})", r.pos.str(),
                                   r.id, key, r.matcher, fmt::join(known, ", ")));
    }
  const CheckOptions o(r, "build",
                       {"kinds", "fetchers", "interpreters", "test_dirs", "data_extensions", "groups", "writable_dirs",
                        "hooks", "categories", "allow_commands"});
  CompiledRule c{&r, false, {}, spec.make(o)};
  std::vector<std::string> defaults(spec.default_kinds.begin(), spec.default_kinds.end());
  if (defaults.empty()) defaults = {"cmake", "make", "autotools", "python", "npm", "github-actions", "gitlab-ci", "dockerfile"};
  for (const std::string& k : o.choices("kinds", defaults,
                                            {"any", "cmake", "make", "autotools", "python", "npm", "github-actions",
                                             "gitlab-ci", "dockerfile"})) {
    if (k == "any") c.any_kind = true;
    else c.kinds.push_back(build::kind_from_name(k));
  }
  return c;
}

class BuildDetector final : public Detector {
 public:
  explicit BuildDetector(const std::vector<CompiledRule>& rules) : rules_(rules) {}

  void scan(const Target& t, std::vector<Hit>& out, ScanNotes& notes) override {
    if (t.binary || rules_.empty()) return;
    const Kind kind = build::kind_of(t.path);
    std::optional<BuildFile> file;  // built only for a file some rule looks at
    bool capped = false;
    for (const CompiledRule& c : rules_) {
      if (!c.any_kind && std::find(c.kinds.begin(), c.kinds.end(), kind) == c.kinds.end()) continue;
      if (kind == Kind::None && !c.any_kind) continue;
      if (!c.rule->paths.matches(t.path) || !c.rule->applies_to_language(t.language)) continue;
      if (!file) file.emplace(t.path, t.content, kind);
      Hits hits;
      c.run(*file, hits);
      if (hits.size() > kMaxBuildHitsPerRulePerBlob) {
        hits.resize(kMaxBuildHitsPerRulePerBlob);
        capped = true;
      }
      for (auto& h : hits) out.push_back(Hit{c.rule, h.line, std::max(h.line, h.end_line), std::move(h.detail)});
    }
    if (capped)
      notes.skipped.push_back({"match-cap", {}, std::string(t.path), std::string(t.blob_id),
                               fmt::format("a build rule matched more than {} lines: further hits not reported",
                                           kMaxBuildHitsPerRulePerBlob),
                               false});
  }

 private:
  const std::vector<CompiledRule>& rules_;
};

}  // namespace

std::vector<std::string> build_check_names() {
  std::vector<std::string> names;
  for (const auto& [name, spec] : specs()) names.push_back(name);
  return names;
}

std::unique_ptr<Engine> make_build_engine(const rules::RuleSet& set) {
  return std::make_unique<CheckEngine<CompiledRule, BuildDetector>>(set, rules::Engine::Build, "build", compile);
}

}  // namespace provscan::scan
