#include "git/repository.h"

#include <doctest/doctest.h>

#include "tests/support/git_diff.h"
#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "tests/support/fixture_repo.h"

using provscan::Error;
using provscan::Skipped;
using provscan::git::BlobData;
using provscan::git::Change;
using provscan::git::EntryKind;
using provscan::git::Repository;
using provscan::test::Author;
using provscan::test::FixtureOptions;
using provscan::test::FixtureRepo;

using provscan::test::error_of;

namespace {


const Change* find_change(const std::vector<Change>& cs, const std::string& path) {
  auto it = std::find_if(cs.begin(), cs.end(), [&](const Change& c) { return c.path == path; });
  return it == cs.end() ? nullptr : &*it;
}

std::vector<std::string> paths_of(const std::vector<Change>& cs) {
  std::vector<std::string> out;
  for (const Change& c : cs) out.push_back(c.path);
  return out;
}

}  // namespace

TEST_CASE("open: work tree and bare repositories") {
  FixtureRepo work;
  work.commit("one", {{"a.txt", "a\n"}});
  Repository r = Repository::open(work.path());
  CHECK_FALSE(r.is_bare());
  CHECK_FALSE(r.is_shallow());
  CHECK(r.path() == work.path());
  CHECK(r.git_dir() == work.path() + "/.git/");

  FixtureRepo bare(FixtureOptions{.bare = true});
  const std::string c = bare.commit("one", {{"a.txt", "a\n"}});
  Repository b = Repository::open(bare.path());
  CHECK(b.is_bare());
  CHECK(b.resolve_commit("HEAD") == c);
  Repository again = b.reopen();
  CHECK(again.resolve_commit("main") == c);
}

TEST_CASE("open: a directory that is not a repository is an error with its path") {
  FixtureRepo repo;
  const std::string dir = repo.path() + "/plain";
  std::filesystem::create_directories(dir);
  // No upward search: a folder inside a work tree is not the repository.
  CHECK(error_of([&] { Repository::open(dir); }) ==
        "cannot open repository '" + dir + "': could not find repository from '" + dir + "'");
  CHECK(error_of([&] { Repository::open("/nonexistent/provscan"); }).starts_with(
      "cannot open repository '/nonexistent/provscan': "));
}

TEST_CASE("read_commit: header fields from raw bytes") {
  FixtureRepo repo;
  const std::string first = repo.commit("first", {{"a.txt", "a\n"}});
  const Author author{"Bob Builder", "bob@example.com", 1700000000, 60};
  const Author committer{"Carol Committer", "carol@example.com", 1700003600, -330};
  const std::string second =
      repo.commit("second line\n\nSigned-off-by: Bob <bob@example.com>\n", {{"b.txt", "b\n"}},
                  author, committer);
  Repository r = Repository::open(repo.path());
  const auto c = r.read_commit(second);
  CHECK(c.id == second);
  CHECK(c.tree == repo.tree_of(second));
  REQUIRE(c.parents.size() == 1);
  CHECK(c.parents[0] == first);
  CHECK(c.author.name == "Bob Builder");
  CHECK(c.author.email == "bob@example.com");
  CHECK(c.author.time == 1700000000);
  CHECK(c.author.offset_minutes == 60);
  CHECK(c.committer.display() == "Carol Committer <carol@example.com>");
  CHECK(c.committer.time == 1700003600);
  CHECK(c.committer.offset_minutes == -330);
  CHECK(c.message == "second line\n\nSigned-off-by: Bob <bob@example.com>\n");
  CHECK(c.gpgsig.empty());
  CHECK(c.signed_payload.empty());

  const auto root = r.read_commit(first);
  CHECK(root.parents.empty());
  CHECK(root.author.time == FixtureRepo::kBaseTime);
  CHECK(root.message == "first\n");
}

TEST_CASE("read_commit: gpgsig and the signed payload agree with libgit2") {
  FixtureRepo repo;
  repo.commit("base", {{"a.txt", "a\n"}});
  const std::string sig =
      "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----";
  const std::string id = repo.commit_signed("signed change", {{"b.txt", "b\n"}}, sig);
  Repository r = Repository::open(repo.path());
  const auto c = r.read_commit(id);
  CHECK(c.gpgsig == sig);
  CHECK(c.message == "signed change\n");

  git_repository* raw = nullptr;
  REQUIRE(git_repository_open(&raw, repo.path().c_str()) == 0);
  git_oid oid;
  REQUIRE(git_oid_fromstr(&oid, id.c_str()) == 0);
  git_buf signature = GIT_BUF_INIT, signed_data = GIT_BUF_INIT;
  REQUIRE(git_commit_extract_signature(&signature, &signed_data, raw, &oid, "gpgsig") == 0);
  CHECK(c.gpgsig == std::string(signature.ptr, signature.size));
  CHECK(c.signed_payload == std::string(signed_data.ptr, signed_data.size));
  CHECK(c.signed_payload.find("gpgsig") == std::string::npos);
  CHECK(c.signed_payload.ends_with("\nsigned change\n"));
  git_buf_dispose(&signature);
  git_buf_dispose(&signed_data);
  git_repository_free(raw);
}

TEST_CASE("read_commit: missing and malformed commits throw with the id") {
  FixtureRepo repo;
  const std::string tree = repo.make_tree("", {{"a", "a\n"}});
  const std::string bad = repo.write_object(
      "commit", "tree " + tree + "\nauthor no email here 1700000000 +0000\ncommitter C <c@x> 1 +0000\n\nm\n");
  Repository r = Repository::open(repo.path());
  CHECK(error_of([&] { r.read_commit(bad); }) ==
        "malformed commit " + bad + ": bad author line 'author no email here 1700000000 +0000'");
  const std::string missing(40, '1');
  CHECK(error_of([&] { r.read_commit(missing); }).starts_with("cannot read commit " + missing + ": "));
  CHECK(error_of([&] { r.read_commit(tree); }) ==
        "cannot read commit " + tree + ": object " + tree + " is a tree, not a commit");
  CHECK(error_of([&] { r.read_commit("HEAD"); }) == "cannot read commit 'HEAD': not an object id");
}

TEST_CASE("read_blob: the size limit is decided from the object header") {
  FixtureRepo repo;
  const std::string small = repo.write_blob("hello\n");
  const std::string big = repo.write_blob(std::string(5000, 'x'));
  Repository r = Repository::open(repo.path());

  BlobData ok = r.read_blob(small, 100);
  CHECK(ok.status == BlobData::Status::Ok);
  CHECK(ok.size == 6);
  CHECK(ok.bytes == "hello\n");

  BlobData large = r.read_blob(big, 4999);
  CHECK(large.status == BlobData::Status::TooLarge);
  CHECK(large.size == 5000);
  CHECK(large.bytes.empty());
  CHECK(large.error == "blob of 5000 bytes is over the limit of 4999 bytes");
  CHECK(r.read_blob(big, 5000).status == BlobData::Status::Ok);

  BlobData missing = r.read_blob(std::string(40, 'a'), 100);
  CHECK(missing.status == BlobData::Status::Unreadable);
  CHECK(missing.error.starts_with("cannot read blob aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: "));

  const std::string tree = repo.make_tree("", {{"a", "a\n"}});
  BlobData not_blob = r.read_blob(tree, 100);
  CHECK(not_blob.status == BlobData::Status::Unreadable);
  CHECK(not_blob.error == "object " + tree + " is a tree, not a blob");
  CHECK(r.read_blob("zz", 100).status == BlobData::Status::Unreadable);
}

TEST_CASE("diff_trees: added, modified, deleted, nested, mode and kind changes") {
  FixtureRepo repo;
  const std::string old_tree = repo.make_tree(
      "", {{"README", "r\n"},
           {"src/main.c", "int main;\n"},
           {"src/lib/util.c", "u\n"},
           {"src/lib/keep.c", "k\n"},
           {"docs/guide.md", "g\n"},
           {"run.sh", "echo\n"},
           {"gone.txt", "x\n"},
           {"link", "target"},
           {"thing", "file\n"},
           {"dir2file/x", "x\n"}},
      {{"link", 0120000}});
  const std::string new_tree = repo.make_tree(
      old_tree, {{"src/lib/util.c", "u2\n"},
                 {"src/new/deep/n.c", "n\n"},
                 {"gone.txt", std::nullopt},
                 {"run.sh", "echo\n"},
                 {"link", "other-target"},
                 {"thing", std::nullopt},
                 {"thing/inner.c", "i\n"},
                 {"dir2file/x", std::nullopt},
                 {"dir2file", "now a file\n"},
                 {"sub", std::string(40, 'c')}},
      {{"run.sh", 0100755}, {"link", 0120000}, {"sub", 0160000}});
  Repository r = Repository::open(repo.path());
  std::vector<Skipped> skipped;
  const auto changes = r.diff_trees(old_tree, new_tree, skipped);
  CHECK(skipped.empty());
  CHECK(paths_of(changes) == std::vector<std::string>{"dir2file", "link", "run.sh",
                                                      "src/lib/util.c", "src/new/deep/n.c", "sub",
                                                      "thing/inner.c"});
  const Change* util = find_change(changes, "src/lib/util.c");
  REQUIRE(util);
  CHECK(util->old_blob == r.blob_at(old_tree, "src/lib/util.c"));
  CHECK(util->new_blob == r.blob_at(new_tree, "src/lib/util.c"));
  CHECK(util->kind == EntryKind::Blob);
  const Change* added = find_change(changes, "src/new/deep/n.c");
  CHECK(added->old_blob.empty());
  const Change* exec = find_change(changes, "run.sh");  // same blob, now executable
  CHECK(exec->kind == EntryKind::Executable);
  CHECK(exec->old_kind == EntryKind::Blob);
  CHECK(exec->old_blob == exec->new_blob);
  CHECK(find_change(changes, "link")->kind == EntryKind::Symlink);
  CHECK_FALSE(find_change(changes, "link")->old_blob.empty());
  const Change* sub = find_change(changes, "sub");
  CHECK(sub->kind == EntryKind::Submodule);
  CHECK(sub->new_blob == std::string(40, 'c'));
  CHECK(find_change(changes, "dir2file")->old_blob.empty());  // tree -> file: a new file
  CHECK(find_change(changes, "thing/inner.c")->old_blob.empty());

  // From the empty tree, everything is new.
  skipped.clear();
  const auto all = r.diff_trees("", old_tree, skipped);
  CHECK(all.size() == 10);
  CHECK(std::is_sorted(all.begin(), all.end(),
                       [](const Change& a, const Change& b) { return a.path < b.path; }));
}

TEST_CASE("diff_trees: equal subtrees are never read") {
  FixtureRepo repo;
  // Both trees share a subtree id whose object does not exist: reading it would be recorded.
  const std::string ghost(40, 'e');
  const std::string blob1 = repo.write_blob("1\n");
  const std::string blob2 = repo.write_blob("2\n");
  const std::string t1 = repo.write_raw_tree({{"40000", "vendor", ghost}, {"100644", "x", blob1}});
  const std::string t2 = repo.write_raw_tree({{"40000", "vendor", ghost}, {"100644", "x", blob2}});
  Repository r = Repository::open(repo.path());
  std::vector<Skipped> skipped;
  const auto changes = r.diff_trees(t1, t2, skipped);
  CHECK(skipped.empty());
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].path == "x");

  // A changed subtree that cannot be read is recorded, the rest still compared.
  const std::string t3 = repo.write_raw_tree({{"40000", "vendor", std::string(40, 'f')}, {"100644", "x", blob1}});
  const auto changes2 = r.diff_trees(t1, t3, skipped);
  CHECK(changes2.empty());
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].kind == "unreadable-object");
  CHECK(skipped[0].path == "vendor");
  CHECK(skipped[0].object == std::string(40, 'f'));
  CHECK(skipped[0].incomplete);
}

TEST_CASE("diff_trees: unsorted and duplicated entries of a hostile tree") {
  FixtureRepo repo;
  const std::string a = repo.write_blob("a\n");
  const std::string b = repo.write_blob("b\n");
  const std::string c = repo.write_blob("c\n");
  const std::string old_tree = repo.write_raw_tree({{"100644", "z", a}, {"100644", "m", a}});
  const std::string new_tree = repo.write_raw_tree(
      {{"100644", "z", a}, {"100644", "m", b}, {"100644", "m", c}, {"100644", "a", c}});
  Repository r = Repository::open(repo.path());
  std::vector<Skipped> skipped;
  const auto changes = r.diff_trees(old_tree, new_tree, skipped);
  // Both trees are out of git's order (the new one also lists "m" twice): read, and reported.
  REQUIRE(skipped.size() == 2);
  std::sort(skipped.begin(), skipped.end(), [](const Skipped& x, const Skipped& y) { return x.object < y.object; });
  for (const Skipped& s : skipped) {
    CHECK(s.kind == "malformed-tree");
    CHECK_FALSE(s.incomplete);
  }
  const Skipped& of_new = skipped[0].object == new_tree ? skipped[0] : skipped[1];
  CHECK(of_new.reason.starts_with("tree object lists a name twice"));
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].path == "a");
  CHECK(changes[1].path == "m");
  CHECK(changes[2].path == "m");
  CHECK(changes[1].old_blob == a);
  CHECK(changes[2].old_blob == a);
  CHECK(changes[1].new_blob != changes[2].new_blob);
}

TEST_CASE("diff_trees: nesting deeper than the cap is recorded") {
  FixtureRepo repo;
  const std::string tree = repo.make_tree("", {{"a/b/c/d.txt", "d\n"}, {"top.txt", "t\n"}});
  Repository r = Repository::open(repo.path());
  std::vector<Skipped> skipped;
  const auto changes = r.diff_trees("", tree, skipped, 2);
  CHECK(paths_of(changes) == std::vector<std::string>{"top.txt"});
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].kind == "tree-depth");
  CHECK(skipped[0].path == "a/b/c");
  CHECK(skipped[0].incomplete);
  skipped.clear();
  CHECK(r.diff_trees("", tree, skipped, 3).size() == 2);
  CHECK(skipped.empty());
}

TEST_CASE("blob_at") {
  FixtureRepo repo;
  const std::string tree = repo.make_tree("", {{"a/b.txt", "b\n"}, {"c", "c\n"}});
  Repository r = Repository::open(repo.path());
  CHECK(r.blob_at(tree, "a/b.txt") == repo.write_blob("b\n"));
  CHECK(r.blob_at(tree, "c") == repo.write_blob("c\n"));
  CHECK(r.blob_at(tree, "a").empty());
  CHECK(r.blob_at(tree, "a/x").empty());
  CHECK(r.blob_at(tree, "c/d").empty());
}

TEST_CASE("resolve_commit: revision syntax and its errors") {
  FixtureRepo repo;
  const std::string one = repo.commit("one", {{"a", "1\n"}});
  const std::string two = repo.commit("two", {{"a", "2\n"}});
  repo.tag("v1", one, "release 1");
  const std::string tree = repo.tree_of(one);
  repo.tag("tree-tag", tree);
  Repository r = Repository::open(repo.path());
  CHECK(r.resolve_commit("HEAD") == two);
  CHECK(r.resolve_commit("main~1") == one);
  CHECK(r.resolve_commit("v1") == one);
  CHECK(r.resolve_commit(two.substr(0, 10)) == two);
  CHECK(error_of([&] { r.resolve_commit("nope"); }) ==
        "revision 'nope' does not resolve to a commit: no ref or object named 'nope'");
  CHECK(error_of([&] { r.resolve_commit("tree-tag"); })
            .starts_with("revision 'tree-tag' does not resolve to a commit: "));
}

TEST_CASE("refs: each ref on its own; broken ones recorded, the rest returned") {
  FixtureRepo repo;
  const std::string one = repo.commit("one", {{"a", "1\n"}});
  const std::string two = repo.commit("two", {{"a", "2\n"}});
  repo.branch("feature", one);
  repo.tag("v1", one);
  repo.tag("v2", two, "annotated");
  repo.write_git_file("refs/heads/broken", std::string(40, 'd') + "\n");  // missing object
  repo.write_git_file("refs/heads/garbage", "not a ref at all\n");
  repo.tag("tree-tag", repo.tree_of(one));
  Repository r = Repository::open(repo.path());
  std::vector<Skipped> skipped;
  const auto refs = r.refs(skipped);
  std::vector<std::string> names;
  for (const auto& ref : refs) names.push_back(ref.name);
  CHECK(names == std::vector<std::string>{"HEAD", "refs/heads/feature", "refs/heads/main",
                                          "refs/tags/v1", "refs/tags/v2"});
  CHECK(refs[0].commit == two);
  CHECK(refs[1].commit == one);
  CHECK(refs[4].commit == two);  // annotated tag peeled
  std::sort(skipped.begin(), skipped.end());
  REQUIRE(skipped.size() == 3);
  CHECK(skipped[0].path == "refs/heads/broken");
  CHECK(skipped[1].path == "refs/heads/garbage");
  CHECK(skipped[2].path == "refs/tags/tree-tag");
  for (const auto& s : skipped) {
    CHECK(s.kind == "bad-ref");
    CHECK(s.incomplete);
    CHECK_FALSE(s.reason.empty());
  }
}

TEST_CASE("refs: an unborn HEAD is not an error") {
  FixtureRepo repo;
  Repository r = Repository::open(repo.path());
  std::vector<Skipped> skipped;
  CHECK(r.refs(skipped).empty());
  CHECK(skipped.empty());
}

TEST_CASE("shallow roots") {
  FixtureRepo repo;
  const std::string one = repo.commit("one", {{"a", "1\n"}});
  const std::string two = repo.commit("two", {{"a", "2\n"}});
  Repository r = Repository::open(repo.path());
  CHECK(r.shallow_roots().empty());
  // Listed: a root commit (a boundary: nothing behind it) and `two`, whose parent is present
  // (no boundary: its history is walked, and notices() says the file lists it).
  repo.write_git_file("shallow", two + "\n" + one + "\r\n\n  \nnot an id\n");
  Repository s = Repository::open(repo.path());
  CHECK(s.is_shallow());
  CHECK(s.shallow_roots() == std::vector<std::string>{one});
  std::vector<std::string> notices;
  for (const Skipped& n : s.notices())
    if (n.kind == "shallow-file") notices.push_back(n.object);
  CHECK(notices == std::vector<std::string>{two});
  // Once `one` is gone, as in a real shallow clone, `two` is the boundary.
  std::filesystem::remove(std::filesystem::path(repo.git_dir()) / "objects" / one.substr(0, 2) / one.substr(2));
  Repository t = Repository::open(repo.path());
  CHECK(t.shallow_roots() == std::vector<std::string>{std::min(one, two), std::max(one, two)});
}

TEST_CASE("open: a .git file, a .git link and linked objects are refused; nothing is followed out") {
  FixtureRepo real;
  real.commit("one", {{"a", "a\n"}});
  FixtureRepo holder;
  const std::string work = holder.path() + "/pointer";
  std::filesystem::create_directories(work);
  std::ofstream(work + "/.git") << "gitdir: " << real.git_dir() << "\n";
  CHECK(error_of([&] { Repository::open(work); }) ==
        "cannot open repository '" + work + "': '" + work + "/.git' is a file pointing to another git directory "
        "(gitdir: " + real.git_dir() + "); provscan does not follow it out of the folder it was given: pass that "
        "git directory itself");
  CHECK(error_of([&] { Repository::open(work + "/.git"); }).find("pass that git directory itself") != std::string::npos);
  CHECK(Repository::open(real.git_dir()).resolve_commit("HEAD") == real.head());
}

TEST_CASE("notices: alternates, grafts and replace refs are reported, not used") {
  FixtureRepo repo;
  const std::string one = repo.commit("one", {{"a", "1\n"}});
  Repository plain = Repository::open(repo.path());
  CHECK(plain.notices().empty());
  repo.write_git_file("objects/info/alternates", "# a comment\n/elsewhere/objects\n");
  repo.write_git_file("info/grafts", one + "\n");
  repo.write_git_file("refs/replace/" + one, one + "\n");
  Repository r = Repository::open(repo.path());
  const std::vector<Skipped> n = r.notices();
  REQUIRE(n.size() == 3);
  CHECK(n[0].kind == "alternates");
  CHECK(n[0].path == "objects/info/alternates");
  CHECK(n[0].reason.find("1 other object store(s) (first: '/elsewhere/objects')") != std::string::npos);
  CHECK(n[1].kind == "grafts");
  CHECK(n[2].kind == "replace-ref");
  CHECK(n[2].object == one);
  for (const Skipped& s : n) CHECK_FALSE(s.incomplete);
}

TEST_CASE("resolve_commit: ^N, ~N, ^{commit}, @, abbreviated ids, and what is not supported") {
  FixtureRepo repo;
  const std::string one = repo.commit("one", {{"a", "1\n"}});
  repo.branch("side", one);
  repo.checkout_branch("side");
  const std::string side = repo.commit("side", {{"b", "b\n"}});
  repo.checkout_branch("main");
  const std::string merge = repo.merge("merge", {side});
  repo.tag("v1", merge, "annotated");
  Repository r = Repository::open(repo.path());
  CHECK(r.resolve_commit("@") == merge);
  CHECK(r.resolve_commit("HEAD^") == one);
  CHECK(r.resolve_commit("HEAD^2") == side);
  CHECK(r.resolve_commit("HEAD^0") == merge);
  CHECK(r.resolve_commit("v1^{commit}") == merge);
  CHECK(r.resolve_commit("v1^{}~1") == one);
  CHECK(r.resolve_commit("refs/heads/side") == side);
  CHECK(r.resolve_commit(side.substr(0, 7)) == side);
  CHECK(error_of([&] { r.resolve_commit("HEAD^3"); }).ends_with("has no parent number 3"));
  CHECK(error_of([&] { r.resolve_commit("HEAD~5"); }).ends_with("has no parent"));
  CHECK(error_of([&] { r.resolve_commit("HEAD:a"); }).ends_with("unsupported revision syntax (provscan accepts NAME, ID, ~N, ^N, ^{commit})"));
  CHECK(error_of([&] { r.resolve_commit("main@{1}"); }).find("unsupported revision syntax") != std::string::npos);
  // Only upper-case names are looked up at the top of the git directory (as git does): not `config`.
  CHECK(error_of([&] { r.resolve_commit("config"); }) ==
        "revision 'config' does not resolve to a commit: no ref or object named 'config'");
}

TEST_CASE("read_blob: a truncated loose object is an error, not a hang") {
  FixtureRepo repo;
  const std::string id = repo.write_blob(std::string(100000, 'z'));
  const std::filesystem::path file = std::filesystem::path(repo.git_dir()) / "objects" / id.substr(0, 2) / id.substr(2);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
  Repository r = Repository::open(repo.path());
  const BlobData b = r.read_blob(id, 1 << 20);
  CHECK(b.status == BlobData::Status::Unreadable);
  CHECK(b.size == 100000);  // the header was readable
  CHECK(b.error.find("truncated zlib stream") != std::string::npos);
}
