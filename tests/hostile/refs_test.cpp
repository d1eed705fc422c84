// Hostile references: each ref is resolved on its own; a broken one is recorded and the others
// are still scanned.
#include "tests/hostile/hostile.h"

using namespace provscan::test;
using namespace provscan::test::hostile;

TEST_CASE("hostile: a loop between symbolic refs is a bad ref; everything else is scanned") {
  FixtureRepo repo;
  repo.commit("one", {{"a.sh", kPipe}});
  repo.write_git_file("refs/heads/loop-a", "ref: refs/heads/loop-b\n");
  repo.write_git_file("refs/heads/loop-b", "ref: refs/heads/loop-a\n");
  const Run all = scan(repo.path(), {"--all"});
  CHECK(all.cli.exit_code == 1);
  CHECK(commits(all.doc) == 1);
  const auto bad = skipped_of(all.doc, "bad-ref");
  REQUIRE(bad.size() == 2);
  CHECK(bad[0]["path"] == "refs/heads/loop-a");
  CHECK(bad[0]["reason"] == "symbolic reference loop: refs/heads/loop-a -> refs/heads/loop-b -> refs/heads/loop-a");
  CHECK(bad[1]["path"] == "refs/heads/loop-b");
  CHECK(bad[0]["incomplete"] == true);
  // Naming the looping ref is an error (exit 2), never an empty scan.
  const Run named = scan(repo.path(), {"--range", "loop-a"});
  CHECK(named.cli.exit_code == 2);
  CHECK(named.cli.err.find("symbolic reference loop") != std::string::npos);
  // HEAD itself in the loop.
  repo.write_git_file("HEAD", "ref: refs/heads/loop-a\n");
  const Run head = scan(repo.path());
  CHECK(head.cli.exit_code == 2);
  CHECK(head.cli.err.find("revision 'HEAD' does not resolve to a commit: symbolic reference loop") != std::string::npos);
}

TEST_CASE("hostile: refs to a missing object, a blob, a tree, garbage and outside the repository") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.sh", kPipe}});
  repo.write_git_file("refs/heads/missing", std::string(40, 'e') + "\n");
  repo.write_git_file("refs/tags/blob", repo.write_blob("just a blob\n") + "\n");
  repo.write_git_file("refs/tags/tree", repo.tree_of(c1) + "\n");
  repo.write_git_file("refs/heads/garbage", "\x1b[2Jnot a ref\n");
  repo.write_git_file("refs/heads/escape", "ref: refs/../../../etc/passwd\n");
  TempDir outside;
  std::filesystem::create_symlink(outside.file("ref", c1 + "\n"), repo.git_dir() + "refs/heads/link");
  const Run run = scan(repo.path(), {"--all"});
  CHECK(run.cli.exit_code == 1);
  CHECK(commits(run.doc) == 1);
  std::map<std::string, std::string> why;
  for (const json& s : skipped_of(run.doc, "bad-ref")) why[s["path"]] = s["reason"];
  REQUIRE(why.size() == 6);
  CHECK(why["refs/heads/missing"].starts_with("cannot read object eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"));
  CHECK(why["refs/tags/blob"].ends_with("is a blob, not a commit"));
  CHECK(why["refs/tags/tree"].ends_with("is a tree, not a commit"));
  CHECK(why["refs/heads/garbage"] == "reference 'refs/heads/garbage' is corrupt: neither an object id nor 'ref: NAME'");
  CHECK(why["refs/heads/escape"].find("symbolic ref to an invalid name 'refs/../../../etc/passwd'") != std::string::npos);
  CHECK(why["refs/heads/link"].find("a symbolic link (not followed)") != std::string::npos);
  CHECK(skipped_kinds(run.doc).count("bad-ref") == 6);
}

TEST_CASE("hostile: tag chains are followed to their commit, up to a bound") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.sh", kPipe}});
  std::string target = c1, type = "commit";
  for (int i = 0; i < 3; ++i) {
    target = repo.write_object("tag", "object " + target + "\ntype " + type + "\ntag t" + std::to_string(i) +
                                          "\ntagger M <m@x> 1704067200 +0000\n\nchain\n");
    type = "tag";
  }
  repo.write_git_file("refs/tags/chain3", target + "\n");
  for (int i = 3; i < 120; ++i) {
    target = repo.write_object("tag", "object " + target + "\ntype tag\ntag t" + std::to_string(i) +
                                          "\ntagger M <m@x> 1704067200 +0000\n\nchain\n");
  }
  repo.write_git_file("refs/tags/chain120", target + "\n");
  const Run ok = scan(repo.path(), {"--range", "chain3"});
  CHECK(ok.cli.exit_code == 1);
  CHECK(commits(ok.doc) == 1);
  const Run all = scan(repo.path(), {"--all"});
  CHECK(all.cli.exit_code == 1);
  const auto bad = skipped_of(all.doc, "bad-ref");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0]["path"] == "refs/tags/chain120");
  CHECK(bad[0]["reason"].get<std::string>().ends_with("tag chain longer than 100"));
}

TEST_CASE("hostile: twenty thousand refs (fast-import, packed and loose) are each resolved, quickly") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.sh", kPipe}});
  std::string import;
  for (int i = 0; i < 5000; ++i) import += "reset refs/heads/b" + std::to_string(i) + "\nfrom " + c1 + "\n\n";
  git_stdin(repo.git_dir(), "fast-import --quiet", import);
  std::string packed = "# pack-refs with: peeled fully-peeled sorted \n";
  for (int i = 0; i < 15000; ++i) packed += c1 + " refs/tags/p" + std::to_string(i) + "\n";
  packed += "this line is garbage\n";
  repo.write_git_file("packed-refs", packed);
  const Run run = scan(repo.path(), {"--all"});
  CHECK(run.cli.exit_code == 1);  // the finding outranks the bad ref (refs may be missing: incomplete)
  CHECK(run.doc["summary"]["incomplete"] == true);
  CHECK(commits(run.doc) == 1);
  CHECK(run.doc["inputs"]["range"] == "--all (20002 refs)");
  const auto bad = skipped_of(run.doc, "bad-ref");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0]["path"] == "packed-refs");
  CHECK(bad[0]["reason"] == "1 malformed line(s) in packed-refs ignored");
  MESSAGE("20002 refs: ", run.cli.seconds, " s");
}

TEST_CASE("hostile: a branch 70 folders deep under refs/ is reported, not dropped; shallower ones are scanned") {
  // git accepts refs/heads/d/d/…/x at any depth. provscan stops entering folders 64 levels
  // down, and says so: a commit reachable only from such a ref is not scanned, and the gate
  // knows it (bad-ref, incomplete).
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.txt", "a\n"}});
  const std::string hidden = repo.commit("hidden", {{"a.sh", kPipe}});
  std::string deep = "refs/heads";
  for (int i = 0; i < 70; ++i) deep += "/d";
  repo.write_git_file(deep + "/x", hidden + "\n");
  std::string shallow_ref = "refs/heads";
  for (int i = 0; i < 40; ++i) shallow_ref += "/s";
  repo.write_git_file(shallow_ref + "/y", hidden + "\n");
  repo.write_git_file("refs/heads/main", c1 + "\n");
  const Run all = scan(repo.path(), {"--all"});
  CHECK(all.cli.exit_code == 1);  // the 40-deep ref still reaches the hidden commit
  CHECK(commits(all.doc) == 2);
  const auto bad = skipped_of(all.doc, "bad-ref");
  REQUIRE(bad.size() == 1);
  std::string cut = "refs/heads";
  for (int i = 0; i < 63; ++i) cut += "/d";
  CHECK(bad[0]["path"] == cut);
  CHECK(bad[0]["reason"] == "folder nested more than 64 levels under refs/: the refs in it are not read");
  CHECK(bad[0]["incomplete"] == true);
  // Without the shallower ref, the commit behind the deep one is not scanned: incomplete, exit 3.
  std::filesystem::remove_all(std::filesystem::path(repo.git_dir()) / "refs/heads/s");
  const Run only_deep = scan(repo.path(), {"--all", "--fail-on", "critical"});
  CHECK(only_deep.cli.exit_code == 3);
  CHECK(commits(only_deep.doc) == 1);
  CHECK(skipped_of(only_deep.doc, "bad-ref").size() == 1);
}
