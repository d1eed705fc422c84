#include "rules/loader.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"

using namespace provscan;
using namespace provscan::rules;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_rule_file("r.yaml", text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("glob: ** spans segments, * stays in one, bare names match anywhere") {
  CHECK(glob_match("**/*.sh", "install.sh"));
  CHECK(glob_match("**/*.sh", "a/b/install.sh"));
  CHECK_FALSE(glob_match("**/*.sh", "a/b/install.shx"));
  CHECK(glob_match("deploy/**", "deploy/k8s/app.yaml"));
  CHECK_FALSE(glob_match("deploy/**", "src/deploy/x"));
  CHECK(glob_match("src/*.c", "src/a.c"));
  CHECK_FALSE(glob_match("src/*.c", "src/sub/a.c"));
  CHECK(glob_match("*.tf", "infra/main.tf"));
  CHECK(glob_match("Makefile", "sub/dir/Makefile"));
  CHECK(glob_match("**/tests/**", "pkg/tests/files/x.xz"));
  CHECK(glob_match("**/tests/**", "tests/x.xz"));
  CHECK_FALSE(glob_match("**/tests/**", "contests/x"));
  CHECK(glob_match(".github/workflows/**", ".github/workflows/ci.yml"));
  CHECK(glob_match("file?.[ch]", "x/file1.h"));
  CHECK_FALSE(glob_match("file?.[ch]", "x/file1.o"));
  CHECK(glob_match("a/**/b", "a/b"));
  CHECK(glob_match("a/**/b", "a/x/y/b"));
}

TEST_CASE("path filter: include then exclude") {
  PathFilter f{{"**/*.c"}, {"third_party/**"}};
  CHECK(f.matches("src/a.c"));
  CHECK_FALSE(f.matches("third_party/z/a.c"));
  CHECK_FALSE(f.matches("src/a.py"));
  CHECK(PathFilter{}.matches("anything"));
}

TEST_CASE("a valid signature rule loads with every field") {
  auto rules = parse_rule_file("r.yaml", R"(rules:
  - id: sh.fetch-pipe
    engine: signature
    severity: high
    message: "pipe"
    regex: 'curl.*\|\s*sh'
    flags: [caseless]
    paths: { include: ["**/*.sh"], exclude: ["vendor/**"] }
    metadata: { cwe: CWE-494, references: [a, b] }
)");
  REQUIRE(rules.size() == 1);
  const Rule& r = rules[0];
  CHECK(r.id == "sh.fetch-pipe");
  CHECK(r.engine == Engine::Signature);
  CHECK(r.severity == Severity::High);
  CHECK(r.regex == "curl.*\\|\\s*sh");
  CHECK(r.flags == std::vector<std::string>{"caseless"});
  CHECK(r.paths.include == std::vector<std::string>{"**/*.sh"});
  CHECK(r.cwe == "CWE-494");
  CHECK(r.references.size() == 2);
  CHECK(r.pos.str() == "r.yaml:2:9");
  CHECK(r.pattern_pos.str() == "r.yaml:6:13");
}

TEST_CASE("query text position points at the first character of a block scalar") {
  auto rules = parse_rule_file("q.yaml", R"(rules:
  - id: py.x
    engine: query
    languages: [python]
    severity: low
    message: m
    query: |
      (call) @c
)");
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].query == "(call) @c\n");
  CHECK(rules[0].query_pos.str() == "q.yaml:8:7");
}

TEST_CASE("errors carry file:line:col and say what is wrong") {
  CHECK(error_of("rules:\n  - id: x\n    engine: magic\n    severity: high\n    message: m\n") ==
        "r.yaml:3:13: rule x: unknown engine 'magic' (known: signature, query, clang, blob, build, text)");
  CHECK(error_of("rules:\n  - id: x\n    engine: signature\n    severity: urgent\n    message: m\n    regex: a\n") ==
        "r.yaml:4:15: rule x: unknown severity 'urgent' (known: info, low, medium, high, critical)");
  CHECK(error_of("rules:\n  - id: x\n    engine: signature\n    severity: high\n    message: m\n") ==
        "r.yaml:2:9: rule x: a signature rule needs 'regex' or 'literals'");
  CHECK(error_of("rules:\n  - id: x\n    engine: signature\n    severity: high\n    message: m\n    regex: a\n"
                 "    colour: red\n") ==
        "r.yaml:7:5: unknown key 'colour' in rule (allowed: id, engine, severity, message, languages, regex, "
        "literals, flags, query, matcher, check, options, paths, supersedes, metadata)");
  CHECK(error_of("rules:\n  - id: Bad Id\n    engine: signature\n    severity: high\n    message: m\n    regex: a\n") ==
        "r.yaml:2:9: rule id 'Bad Id' must be lower-case words joined by '.', '-' or '_'");
  CHECK(error_of("rules:\n  - id: x\n    engine: query\n    severity: high\n    message: m\n    languages: [c]\n") ==
        "r.yaml:2:5: rule x: missing 'query' (a tree-sitter query)");
  CHECK(error_of("rules: [\n") .rfind("r.yaml:2:1: YAML syntax error", 0) == 0);
  CHECK(error_of("") == "r.yaml:1:1: empty rule file (expected 'rules:')");
}

TEST_CASE("rule set: duplicate ids across files are rejected; hash ignores file order") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "provscan-loader-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  auto write = [](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };
  const std::string a = "rules:\n  - {id: a.one, engine: signature, severity: low, message: m, regex: x}\n";
  const std::string b = "rules:\n  - {id: b.two, engine: signature, severity: low, message: m, literals: [y]}\n";
  write(dir / "a.yaml", a);
  write(dir / "sub" / "b.yaml", b);
  write(dir / "sub" / "b.test.yaml", "not: a rule file\n");  // a fixture of b.yaml
  std::filesystem::create_directories(dir / "sub" / "b.ok");
  write(dir / "sub" / "b.ok" / "c.yaml", "not: a rule file either\n");
  const RuleSet s1 = load_rules({dir.string()});
  CHECK(s1.rules.size() == 2);
  CHECK(s1.rules[0].id == "a.one");
  CHECK(s1.sha256.size() == 64);
  const RuleSet s2 = load_rules({(dir / "sub" / "b.yaml").string(), (dir / "a.yaml").string()});
  CHECK(s1.sha256 == s2.sha256);
  write(dir / "dup.yaml", a);
  CHECK_THROWS_WITH_AS(load_rules({dir.string()}),
                       doctest::Contains("rule a.one: duplicate id (first defined at"), InputError);
  CHECK_THROWS_WITH_AS(load_rules({(dir / "missing").string()}),
                       doctest::Contains("missing: no such rule file or folder"), InputError);
  fs::remove_all(dir);
}

TEST_CASE("the bundled packs load") {
  const RuleSet set = load_rules({std::string(PROVSCAN_SOURCE_DIR) + "/rules/packs"});
  CHECK(set.rules.size() >= 20);
}

TEST_CASE("supersedes: loaded, hashed into the rule-set sha256, and a rule cannot supersede itself") {
  const auto rules = parse_rule_file("r.yaml", R"(rules:
  - id: t.specific
    engine: signature
    severity: high
    message: "m"
    regex: 'x'
    supersedes: [t.general, t.other]
)");
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].supersedes == std::vector<std::string>{"t.general", "t.other"});
  CHECK(error_of(R"(rules:
  - id: t.self
    engine: signature
    severity: high
    message: "m"
    regex: 'x'
    supersedes: [t.self]
)") == "r.yaml:7:17: rule t.self: a rule cannot supersede itself");

  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "provscan-supersedes-hash";
  std::filesystem::create_directories(dir);
  auto sha_with = [&](const std::string& extra) {
    std::ofstream(dir / "r.yaml") << "rules:\n  - id: t.a\n    engine: signature\n    severity: high\n"
                                     "    message: m\n    regex: 'x'\n" << extra;
    return load_rules({(dir / "r.yaml").string()}).sha256;
  };
  CHECK(sha_with("") != sha_with("    supersedes: [t.b]\n"));
  std::filesystem::remove_all(dir);
}
