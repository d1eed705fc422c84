// Hostile history: commits that libgit2's revision walk refuses, shallow clones, and the ways
// git lets a repository show other history than the one recorded (replace refs, grafts,
// alternates). provscan walks the recorded objects and says what it did not follow.
#include "tests/hostile/hostile.h"

using namespace provscan::test;
using namespace provscan::test::hostile;

TEST_CASE("hostile: a commit whose date overflows is scanned (as git shows it, date 0) and reported") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.txt", "a\n"}});
  const std::string tree = repo.make_tree(repo.tree_of(c1), {{"i.sh", kPipe}});
  const std::string c2 = repo.write_object("commit", commit_text(tree, {c1}, "from the future", "99999999999999999999999 +0000"));
  const std::string tree3 = repo.make_tree(tree, {{"b.txt", "b\n"}});
  repo.set_head_commit(repo.write_object("commit", commit_text(tree3, {c2}, "three")));
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  CHECK(commits(run.doc) == 3);
  const auto f = findings_of(run.doc, "t.pipe-to-shell");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["commit"] == c2);
  const auto d = skipped_of(run.doc, "bad-date");
  REQUIRE(d.size() == 1);
  CHECK(d[0]["commit"] == c2);
  CHECK(d[0]["incomplete"] == false);
}

TEST_CASE("hostile: commits with a NUL byte, no tree line or a garbage header are recorded, the rest scanned") {
  using namespace std::string_literals;
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.sh", kPipe}});
  const std::string tree = repo.tree_of(c1);
  // git hash-object --literally: git itself would refuse to write these.
  TempDir tmp;
  auto literally = [&](const std::string& name, const std::string& bytes) {
    return git(repo.git_dir(), {"hash-object", "--literally", "-t", "commit", "-w", tmp.file(name, bytes)});
  };
  const std::string no_tree = literally("no-tree", "parent " + c1 + "\nauthor M <m@x> 1 +0000\ncommitter M <m@x> 1 +0000\n\nx\n");
  const std::string garbage = literally("garbage", "\x01\x02garbage header\xff\n\nmessage\n"s);
  const std::string nul_in_tree = literally("nul", "tree " + tree + "\0\nauthor M <m@x> 1 +0000\ncommitter M <m@x> 1 +0000\n\nx\n"s);
  // A NUL in the message is legal for git: that commit is scanned.
  const std::string nul_message = literally("nul-msg", commit_text(tree, {c1}, "message with a \0 NUL byte"s));
  const std::string top = repo.write_object("commit", commit_text(repo.make_tree(tree, {{"b.sh", kPipe}}), {nul_message}, "top"));
  repo.set_head_commit(top);
  repo.write_git_file("refs/heads/no-tree", no_tree + "\n");
  repo.write_git_file("refs/heads/garbage", garbage + "\n");
  repo.write_git_file("refs/heads/nul", nul_in_tree + "\n");
  const Run run = scan(repo.path(), {"--all"});
  CHECK(run.cli.exit_code == 1);
  CHECK(commits(run.doc) == 3);  // top, the commit with a NUL in its message, c1
  std::set<std::string> bad;
  for (const json& s : skipped_of(run.doc, "bad-commit")) bad.insert(s["commit"].get<std::string>());
  CHECK(bad == std::set<std::string>{no_tree, garbage, nul_in_tree});
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 2);
  CHECK(run.doc["summary"]["incomplete"] == true);
}

TEST_CASE("hostile: a merge with 100 parents is one commit charged only with lines of its own") {
  FixtureRepo repo;
  const std::string base = repo.commit("base", {{"a.txt", "a\n"}});
  std::vector<std::string> others;
  for (int i = 0; i < 99; ++i) {
    others.push_back(repo.commit("side " + std::to_string(i), {{"f" + std::to_string(i) + ".txt", "side\n"}},
                                 {}, std::nullopt, std::vector<std::string>{base}));
  }
  repo.set_head_commit(base);
  repo.merge("octopus of 100", others, {{"evil.sh", kPipe}});
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  CHECK(commits(run.doc) == 101);
  const auto f = findings_of(run.doc, "t.pipe-to-shell");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["path"] == "evil.sh");
}

TEST_CASE("hostile: shallow clone, HEAD scanned: the boundary is visible and the gate says incomplete") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.txt", "a\n"}});
  const std::string c2 = repo.commit("two", {{"a.sh", kPipe}});
  const std::string c3 = repo.commit("three", {{"b.txt", "b\n"}});
  repo.write_git_file("shallow", c2 + "\n");
  // The parent of the boundary commit is absent from a real shallow clone.
  REQUIRE(std::filesystem::remove(std::filesystem::path(repo.git_dir()) / "objects" / c1.substr(0, 2) / c1.substr(2)));
  const Run run = scan(repo.path(), {"--fail-on", "critical"});
  CHECK(run.cli.exit_code == 3);
  CHECK(commits(run.doc) == 2);
  const auto b = skipped_of(run.doc, "shallow-boundary");
  REQUIRE(b.size() == 1);
  CHECK(b[0]["object"] == c2);
  CHECK(b[0]["incomplete"] == false);
  CHECK(b[0]["reason"].get<std::string>().find("fetch-depth: 0") != std::string::npos);
  (void)c3;
}

TEST_CASE("hostile: shallow clone, a range past the boundary or a base that is not there: exit 2, how to fix it") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.txt", "a\n"}});
  const std::string c2 = repo.commit("two", {{"a.txt", "b\n"}});
  const std::string c3 = repo.commit("three", {{"a.txt", "c\n"}});
  const std::string c4 = repo.commit("four", {{"a.sh", kPipe}});
  repo.branch("side", c1);
  // A real shallow clone: the boundary commit's parent is not in the repository.
  repo.write_git_file("shallow", c3 + "\n");
  REQUIRE(std::filesystem::remove(std::filesystem::path(repo.git_dir()) / "objects" / c2.substr(0, 2) / c2.substr(2)));
  // The base (c1) is present but the walk from HEAD stops at c3 before reaching it.
  const Run past = scan(repo.path(), {"--range", "side..main"});
  CHECK(past.cli.exit_code == 2);
  CHECK(past.cli.err.find("shallow clone's history stops at " + c3) != std::string::npos);
  CHECK(past.cli.err.find("fetch-depth: 0") != std::string::npos);
  CHECK(past.cli.err.find("git fetch --deepen=N / git fetch --unshallow") != std::string::npos);
  // A base that does not resolve in a shallow clone: the same advice.
  const Run missing = scan(repo.path(), {"--range", std::string(40, 'a') + "..main"});
  CHECK(missing.cli.exit_code == 2);
  CHECK(missing.cli.err.find("the repository is a shallow clone") != std::string::npos);
  CHECK(missing.cli.err.find("--unshallow") != std::string::npos);
  // A range closed inside the shallow history is fine.
  const Run closed = scan(repo.path(), {"--range", c3 + "..main"});
  CHECK(closed.cli.exit_code == 1);
  CHECK(commits(closed.doc) == 1);
  CHECK(skipped_of(closed.doc, "shallow-boundary").empty());
  (void)c4;
}

TEST_CASE("hostile: a shallow file that lies cannot hide history: listed commits whose parents are present are walked through") {
  // git believes `shallow` and shows no history behind the commits it lists; a hostile one
  // listing the newest commit would hide everything older from a scan that did the same.
  FixtureRepo repo;
  repo.commit("one", {{"a.txt", "a\n"}});
  repo.commit("two", {{"a.sh", kPipe}});
  const std::string c3 = repo.commit("three", {{"b.txt", "b\n"}});
  repo.write_git_file("shallow", c3 + "\n");
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);  // the finding; the notice itself is not an incomplete scan
  CHECK(commits(run.doc) == 3);
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);
  CHECK(skipped_of(run.doc, "shallow-boundary").empty());
  const auto notice = skipped_of(run.doc, "shallow-file");
  REQUIRE(notice.size() == 1);
  CHECK(notice[0]["object"] == c3);
  CHECK(notice[0]["reason"].get<std::string>().find("shallow lists 1 commit(s) whose parents are all in the repository") !=
        std::string::npos);
  // A shallow file too large to be real (here 17 MiB of junk lines, which once became one string
  // per line) is reported and not believed: everything is still scanned.
  repo.write_git_file("shallow", std::string(17u << 20, '\n'));
  const Run big = scan(repo.path());
  CHECK(big.cli.exit_code == 1);
  CHECK(commits(big.doc) == 3);
  const auto unreadable = skipped_of(big.doc, "shallow-file");
  REQUIRE(unreadable.size() == 1);
  CHECK(unreadable[0]["reason"].get<std::string>().find("present but unreadable") != std::string::npos);
}

TEST_CASE("hostile: a replace ref is reported and ignored: the recorded commit is scanned") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.txt", "a\n"}});
  const std::string evil = repo.commit("evil", {{"a.sh", kPipe}});
  // git would show `clean` in place of `evil` (git replace evil clean).
  const std::string clean = repo.write_object("commit", commit_text(repo.tree_of(c1), {c1}, "nothing to see"));
  repo.write_git_file("refs/replace/" + evil, clean + "\n");
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  CHECK(commits(run.doc) == 2);
  const auto f = findings_of(run.doc, "t.pipe-to-shell");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["commit"] == evil);
  const auto r = skipped_of(run.doc, "replace-ref");
  REQUIRE(r.size() == 1);
  CHECK(r[0]["path"] == "refs/replace/" + evil);
  CHECK(r[0]["object"] == evil);
  CHECK(r[0]["incomplete"] == false);
}

TEST_CASE("hostile: info/grafts is reported and ignored: the recorded parents are walked") {
  FixtureRepo repo;
  repo.commit("one", {{"a.sh", kPipe}});
  const std::string c2 = repo.commit("two", {{"b.txt", "b\n"}});
  // git would see c2 as a root commit, hiding c1.
  repo.write_git_file("info/grafts", c2 + "\n");
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  CHECK(commits(run.doc) == 2);
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);
  const auto g = skipped_of(run.doc, "grafts");
  REQUIRE(g.size() == 1);
  CHECK(g[0]["path"] == "info/grafts");
  CHECK(g[0]["incomplete"] == false);
}

TEST_CASE("hostile: objects/info/alternates is not followed; what lives only there is missing, and reported") {
  FixtureRepo other;
  const std::string c1 = other.commit("one", {{"a.sh", kPipe}});
  FixtureRepo repo;
  // A commit whose parent and tree live only in `other`.
  const std::string tree = other.make_tree(other.tree_of(c1), {{"b.txt", "b\n"}});
  const std::string c2 = repo.write_object("commit", commit_text(tree, {c1}, "borrowed"));
  repo.set_head_commit(c2);
  repo.write_git_file("objects/info/alternates", other.git_dir() + "objects\n");
  repo.write_git_file("objects/info/http-alternates", "https://example.invalid/objects\n");
  const Run run = scan(repo.path(), {"--fail-on", "critical"});
  CHECK(run.cli.exit_code == 3);
  CHECK(findings_of(run.doc, "t.pipe-to-shell").empty());  // nothing read from the other repository
  const auto a = skipped_of(run.doc, "alternates");
  REQUIRE(a.size() == 2);
  CHECK(a[0]["path"] == "objects/info/alternates");
  CHECK(a[0]["reason"].get<std::string>().find(other.git_dir() + "objects") != std::string::npos);
  CHECK(a[1]["path"] == "objects/info/http-alternates");
  // c1 (only in the other repository) cannot be read, so c2 cannot be compared with it.
  std::set<std::string> bad;
  for (const json& s : skipped_of(run.doc, "bad-commit")) bad.insert(s["commit"].get<std::string>());
  CHECK(bad == std::set<std::string>{c1, c2});
}
