#include "git/history.h"

#include <doctest/doctest.h>

#include "tests/support/git_diff.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "common/error.h"
#include "tests/support/fixture_repo.h"

using provscan::Error;
using provscan::git::Commit;
using provscan::git::parse_range;
using provscan::git::Repository;
using provscan::git::walk;
using provscan::git::WalkResult;
using provscan::git::WalkSpec;
using provscan::test::Author;
using provscan::test::FixtureRepo;

using provscan::test::error_of;

namespace {

std::vector<std::string> ids(const WalkResult& r) {
  std::vector<std::string> out;
  for (const Commit& c : r.commits) out.push_back(c.id);
  return out;
}

// Every commit comes after all of its parents that are in the result.
bool parents_first(const WalkResult& r) {
  std::map<std::string, std::size_t> pos;
  for (std::size_t i = 0; i < r.commits.size(); ++i) pos[r.commits[i].id] = i;
  for (std::size_t i = 0; i < r.commits.size(); ++i) {
    for (const auto& p : r.commits[i].parents) {
      if (pos.count(p) && pos[p] > i) return false;
    }
  }
  return true;
}


}  // namespace

TEST_CASE("parse_range") {
  CHECK(parse_range("").include == std::vector<std::string>{"HEAD"});
  CHECK(parse_range("").exclude.empty());
  const WalkSpec b = parse_range("main");
  CHECK(b.include == std::vector<std::string>{"main"});
  CHECK(b.exclude.empty());
  const WalkSpec ab = parse_range("v1..main");
  CHECK(ab.include == std::vector<std::string>{"main"});
  CHECK(ab.exclude == std::vector<std::string>{"v1"});
  CHECK(parse_range("..main").exclude == std::vector<std::string>{"HEAD"});
  CHECK(parse_range("v1..").include == std::vector<std::string>{"HEAD"});
  CHECK(error_of([] { parse_range("a...b"); }) ==
        "range 'a...b': 'A...B' (symmetric difference) is not supported");
  CHECK(error_of([] { parse_range(".."); }) == "range '..' names no revision");
  CHECK(error_of([] { parse_range("a..b..c"); }) == "malformed range 'a..b..c'");
}

TEST_CASE("walk: HEAD by default, parents before children") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  const std::string c2 = repo.commit("2", {{"a", "2\n"}});
  const std::string c3 = repo.commit("3", {{"a", "3\n"}});
  Repository r = Repository::open(repo.path());
  const WalkResult w = walk(r, parse_range(""));
  CHECK(ids(w) == std::vector<std::string>{c1, c2, c3});
  CHECK(w.skipped.empty());
  CHECK(w.description == "HEAD");
  CHECK(w.commits[2].message == "3\n");
}

TEST_CASE("walk: A..B excludes everything reachable from A") {
  FixtureRepo repo;
  const std::string base = repo.commit("base", {{"a", "1\n"}});
  repo.branch("feature");
  const std::string m1 = repo.commit("main 1", {{"a", "2\n"}});
  repo.checkout_branch("feature");
  const std::string f1 = repo.commit("feature 1", {{"f", "1\n"}});
  const std::string f2 = repo.commit("feature 2", {{"f", "2\n"}});
  repo.checkout_branch("main");
  const std::string merge = repo.merge("merge feature", {f2});
  Repository r = Repository::open(repo.path());

  const WalkResult w = walk(r, parse_range("feature..main"));
  CHECK(ids(w) == std::vector<std::string>{m1, merge});
  CHECK(w.description == "feature..main");

  const WalkResult w2 = walk(r, parse_range(base + ".." + f2));
  CHECK(ids(w2) == std::vector<std::string>{f1, f2});

  const WalkResult all_main = walk(r, parse_range("main"));
  CHECK(all_main.commits.size() == 5);
  CHECK(all_main.commits.front().id == base);
  CHECK(all_main.commits.back().id == merge);
  CHECK(parents_first(all_main));
}

TEST_CASE("walk: ties between unrelated commits are broken by id") {
  FixtureRepo repo;
  const std::string root = repo.commit("root", {{"a", "0\n"}});
  std::vector<std::string> tips;
  for (int i = 0; i < 6; ++i) {
    repo.branch("b" + std::to_string(i), root);
    repo.checkout_branch("b" + std::to_string(i));
    tips.push_back(repo.commit("side " + std::to_string(i), {{"s", std::to_string(i) + "\n"}}));
  }
  repo.checkout_branch("main");
  const std::string merge = repo.merge("octopus", tips);
  Repository r = Repository::open(repo.path());
  const WalkResult w = walk(r, parse_range(""));
  std::vector<std::string> sorted_tips = tips;
  std::sort(sorted_tips.begin(), sorted_tips.end());
  std::vector<std::string> expected{root};
  expected.insert(expected.end(), sorted_tips.begin(), sorted_tips.end());
  expected.push_back(merge);
  CHECK(ids(w) == expected);
  // Deterministic: a second walk on a fresh handle gives the same sequence.
  CHECK(ids(walk(r.reopen(), parse_range(""))) == expected);
}

TEST_CASE("walk: --all covers branches, tags and HEAD, each commit once") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  const std::string c2 = repo.commit("2", {{"a", "2\n"}});
  repo.branch("side", c1);
  repo.checkout_branch("side");
  const std::string s1 = repo.commit("side", {{"s", "1\n"}});
  repo.checkout_branch("main");
  // A tag on a commit that no branch contains.
  const std::string orphan = repo.commit("orphan", {{"o", "1\n"}}, {}, std::nullopt,
                                         std::vector<std::string>{});
  repo.set_head_commit(c2);
  repo.tag("v-orphan", orphan, "annotated");
  repo.tag("v1", c1);
  Repository r = Repository::open(repo.path());
  WalkSpec spec;
  spec.all_refs = true;
  const WalkResult w = walk(r, spec);
  const std::vector<std::string> got_ids = ids(w);
  const std::set<std::string> got(got_ids.begin(), got_ids.end());
  CHECK(w.commits.size() == 4);
  CHECK(got == std::set<std::string>{c1, c2, s1, orphan});
  CHECK(w.description == "--all (5 refs)");
  CHECK(parents_first(w));
  CHECK(w.skipped.empty());
}

TEST_CASE("walk: since/until bound the committer time") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});  // day 0
  const std::string c2 = repo.commit("2", {{"a", "2\n"}});  // day 1
  const std::string c3 = repo.commit("3", {{"a", "3\n"}});  // day 2
  // Author time says day 9, the committer says day 3: committer time counts.
  const Author author{.time = FixtureRepo::kBaseTime + 9 * FixtureRepo::kDay};
  const Author committer{"Carol", "carol@example.com", FixtureRepo::kBaseTime + 3 * FixtureRepo::kDay};
  const std::string c4 = repo.commit("4", {{"a", "4\n"}}, author, committer);
  Repository r = Repository::open(repo.path());
  WalkSpec spec = parse_range("");
  spec.since = FixtureRepo::kBaseTime + FixtureRepo::kDay;
  spec.until = FixtureRepo::kBaseTime + 2 * FixtureRepo::kDay;
  CHECK(ids(walk(r, spec)) == std::vector<std::string>{c2, c3});
  spec.until.reset();
  CHECK(ids(walk(r, spec)) == std::vector<std::string>{c2, c3, c4});
  spec.since = FixtureRepo::kBaseTime + 4 * FixtureRepo::kDay;
  CHECK(walk(r, spec).commits.empty());
  (void)c1;
}

TEST_CASE("walk: a bad ref is recorded and the rest is scanned") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  repo.write_git_file("refs/heads/broken", std::string(40, '7') + "\n");
  Repository r = Repository::open(repo.path());
  WalkSpec spec;
  spec.all_refs = true;
  const WalkResult w = walk(r, spec);
  CHECK(ids(w) == std::vector<std::string>{c1});
  REQUIRE(w.skipped.size() == 1);
  CHECK(w.skipped[0].kind == "bad-ref");
  CHECK(w.skipped[0].path == "refs/heads/broken");
  CHECK(w.skipped[0].incomplete);
}

TEST_CASE("walk: an explicitly named revision that does not resolve is an error") {
  FixtureRepo repo;
  repo.commit("1", {{"a", "1\n"}});
  Repository r = Repository::open(repo.path());
  CHECK(error_of([&] { walk(r, parse_range("mian")); }) ==
        "revision 'mian' does not resolve to a commit: no ref or object named 'mian'");
  CHECK(error_of([&] { walk(r, parse_range("nope..main")); }) ==
        "revision 'nope' does not resolve to a commit: no ref or object named 'nope'");
  FixtureRepo empty;
  Repository e = Repository::open(empty.path());
  CHECK(error_of([&] { walk(e, parse_range("")); }).starts_with(
      "revision 'HEAD' does not resolve to a commit: "));
}

TEST_CASE("walk: an unreadable commit is recorded and the walk goes on") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  const std::string tree = repo.tree_of(c1);
  const std::string missing(40, '5');
  // A merge whose second parent is absent, and a malformed commit on top.
  const std::string m = repo.write_object(
      "commit", "tree " + tree + "\nparent " + c1 + "\nparent " + missing +
                    "\nauthor A <a@x> 1704067200 +0000\ncommitter A <a@x> 1704067200 +0000\n\nm\n");
  const std::string bad = repo.write_object(
      "commit", "tree " + tree + "\nparent " + m + "\nauthor A <a@x>\ncommitter A <a@x> 1 +0000\n\nbad\n");
  const std::string top = repo.write_object(
      "commit", "tree " + tree + "\nparent " + bad + "\nparent " + m +
                    "\nauthor A <a@x> 1704067300 +0000\ncommitter A <a@x> 1704067300 +0000\n\ntop\n");
  repo.set_head_commit(top);
  Repository r = Repository::open(repo.path());
  const WalkResult w = walk(r, parse_range(""));
  CHECK(ids(w) == std::vector<std::string>{c1, m, top});
  REQUIRE(w.skipped.size() == 2);
  std::set<std::string> skipped_ids;
  for (const auto& s : w.skipped) {
    CHECK(s.kind == "bad-commit");
    CHECK(s.incomplete);
    skipped_ids.insert(s.commit);
  }
  CHECK(skipped_ids == std::set<std::string>{missing, bad});
}

namespace {
// Makes `commit` unreadable as a shallow clone has it: not in the repository at all.
void drop_object(FixtureRepo& repo, const std::string& id) {
  REQUIRE(std::filesystem::remove(std::filesystem::path(repo.git_dir()) / "objects" / id.substr(0, 2) / id.substr(2)));
}
}  // namespace

TEST_CASE("walk: a shallow boundary stops the walk and is recorded once") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  const std::string c2 = repo.commit("2", {{"a", "2\n"}});
  const std::string c3 = repo.commit("3", {{"a", "3\n"}});
  repo.write_git_file("shallow", c2 + "\n");
  drop_object(repo, c1);
  Repository r = Repository::open(repo.path());
  const WalkResult w = walk(r, parse_range(""));
  CHECK(ids(w) == std::vector<std::string>{c2, c3});
  REQUIRE(w.skipped.size() == 1);
  CHECK(w.skipped[0].kind == "shallow-boundary");
  CHECK_FALSE(w.skipped[0].incomplete);
}

TEST_CASE("walk: in a shallow clone, a range that runs into the boundary is an error saying how to fix it") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  const std::string c2 = repo.commit("2", {{"a", "2\n"}});
  const std::string c3 = repo.commit("3", {{"a", "3\n"}});
  const std::string c4 = repo.commit("4", {{"a", "4\n"}});
  repo.write_git_file("shallow", c3 + "\n");
  drop_object(repo, c2);
  Repository r = Repository::open(repo.path());
  const std::string past = error_of([&] { walk(r, parse_range(c1 + "..main")); });
  CHECK(past.starts_with("range " + c1 + "..main: the shallow clone's history stops at " + c3));
  CHECK(past.ends_with("(actions/checkout with fetch-depth: 0, GIT_DEPTH: \"0\" in GitLab CI, or git fetch "
                       "--deepen=N / git fetch --unshallow)"));
  const std::string missing = error_of([&] { walk(r, parse_range("nope..main")); });
  CHECK(missing.starts_with("revision 'nope' does not resolve to a commit: no ref or object named 'nope' (the "
                            "repository is a shallow clone: fetch more history"));
  // Without exclusion the boundary is recorded, not an error.
  const WalkResult head = walk(r, parse_range(""));
  CHECK(ids(head) == std::vector<std::string>{c3, c4});
  REQUIRE(head.skipped.size() == 1);
  CHECK(head.skipped[0].kind == "shallow-boundary");
  // A range closed at or above the boundary is fine.
  CHECK(ids(walk(r, parse_range(c3 + "..main"))) == std::vector<std::string>{c4});
}

TEST_CASE("walk: a commit listed in shallow whose parents are present is no boundary") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  const std::string c2 = repo.commit("2", {{"a", "2\n"}});
  repo.write_git_file("shallow", c2 + "\n");
  Repository r = Repository::open(repo.path());
  CHECK(r.shallow_roots().empty());
  CHECK_FALSE(r.is_shallow());
  CHECK(ids(walk(r, parse_range(""))) == std::vector<std::string>{c1, c2});
  CHECK(ids(walk(r, parse_range(c1 + "..main"))) == std::vector<std::string>{c2});
}

TEST_CASE("walk: an overflowing date does not hide the commit or its history") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("1", {{"a", "1\n"}});
  const std::string c2 = repo.write_object(
      "commit", "tree " + repo.tree_of(c1) + "\nparent " + c1 +
                    "\nauthor A <a@x> 99999999999999999999 +0000\ncommitter A <a@x> 1704067200 +0000\n\nm\n");
  repo.set_head_commit(c2);
  Repository r = Repository::open(repo.path());
  const WalkResult w = walk(r, parse_range(""));
  CHECK(ids(w) == std::vector<std::string>{c1, c2});
  REQUIRE(w.skipped.size() == 1);
  CHECK(w.skipped[0].kind == "bad-date");
  CHECK(w.skipped[0].commit == c2);
  CHECK_FALSE(w.skipped[0].incomplete);
}
