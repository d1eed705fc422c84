#include "git/blame.h"

#include <doctest/doctest.h>

#include "tests/support/git_diff.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "git/line_diff.h"
#include "tests/support/fixture_repo.h"

using provscan::git::added_lines;
using provscan::git::blame_all;
using provscan::git::BlameOptions;
using provscan::git::BlameResult;
using provscan::git::FileBlame;
using provscan::git::line_origins;
using provscan::git::LineDiffOptions;
using provscan::git::LineRange;
using provscan::git::Repository;
using provscan::test::FixtureRepo;
using provscan::test::Files;

namespace {

namespace fs = std::filesystem;

// The git command line is fine in tests, on repositories we build; the product never runs it.
// No user or system configuration may change git's answer.
void isolate_git() {
  static const bool done = [] {
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    return true;
  }();
  (void)done;
}

std::string run(const std::string& cmd) {
  isolate_git();
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int rc = pclose(p);
  REQUIRE(WIFEXITED(rc));
  REQUIRE(WEXITSTATUS(rc) <= 1);
  return out;
}

// Per final line, the commit `git blame --line-porcelain REV -- PATH` names.
std::vector<std::string> git_blame(const std::string& dir, const std::string& rev,
                                   const std::string& path) {
  const std::string out =
      run("git -C '" + dir + "' blame --line-porcelain " + rev + " -- '" + path + "'");
  static const std::regex header(R"(^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$)");
  std::vector<std::string> commits;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '\t') continue;  // the line's content
    std::smatch m;
    if (!std::regex_match(line, m, header)) continue;
    const std::size_t final_line = std::stoul(m[2]);
    if (commits.size() < final_line) commits.resize(final_line);
    commits[final_line - 1] = m[1];
  }
  return commits;
}

struct Agreement {
  std::size_t lines = 0, same = 0, files = 0, files_same = 0;
};

// Compares every file of blame_all(REV) with git blame; returns the counts.
Agreement compare_with_git(const FixtureRepo& fx, const std::string& rev, bool require = true) {
  const Repository repo = Repository::open(fx.path());
  const BlameResult r = blame_all(repo, rev);
  Agreement a;
  for (const FileBlame& f : r.files) {
    const auto expected = git_blame(fx.path(), rev, f.path);
    ++a.files;
    a.lines += expected.size();
    std::size_t same = 0;
    for (std::size_t i = 0; i < expected.size() && i < f.line_commits.size(); ++i) {
      same += expected[i] == f.line_commits[i];
    }
    a.same += same;
    a.files_same += same == expected.size() && f.line_commits.size() == expected.size();
    if (require && f.line_commits != expected) {
      std::ostringstream diff;
      for (std::size_t i = 0; i < std::max(expected.size(), f.line_commits.size()); ++i) {
        const std::string ours = i < f.line_commits.size() ? f.line_commits[i] : "-";
        const std::string theirs = i < expected.size() ? expected[i] : "-";
        if (ours != theirs) diff << "line " << i + 1 << ": ours " << ours << " git " << theirs << "\n";
      }
      MESSAGE(diff.str());
    }
    if (require) {
      CAPTURE(rev);
      CAPTURE(f.path);
      CHECK(f.line_commits == expected);
    }
  }
  return a;
}

std::vector<std::string> blame_of(const FixtureRepo& fx, const std::string& rev,
                                  const std::string& path) {
  const Repository repo = Repository::open(fx.path());
  const BlameResult r = blame_all(repo, rev);
  for (const FileBlame& f : r.files) {
    if (f.path == path) return f.line_commits;
  }
  FAIL("no blame for " << path);
  return {};
}

std::vector<std::string> repeat(const std::string& id, std::size_t n) {
  return std::vector<std::string>(n, id);
}

// The added lines that line_origins implies (its -1 entries), as ranges.
std::vector<LineRange> added_from_origins(const std::vector<std::int64_t>& o) {
  std::vector<LineRange> out;
  for (std::size_t j = 0; j < o.size(); ++j) {
    if (o[j] >= 0) continue;
    const auto line = static_cast<std::uint32_t>(j + 1);
    if (!out.empty() && out.back().last + 1 == line) {
      out.back().last = line;
    } else {
      out.push_back(LineRange{line, line});
    }
  }
  return out;
}

// `git diff --no-index -U0` (with git's default indent heuristic) on two temp files.
std::vector<LineRange> git_added(const std::string& old_text, const std::string& new_text) {
  return provscan::test::git_diff_added(old_text, new_text, /*indent_heuristic=*/true);
}

std::string lines(std::initializer_list<const char*> ls) {
  std::string s;
  for (const char* l : ls) s += std::string(l) + "\n";
  return s;
}

}  // namespace

TEST_CASE("line_origins: maps kept lines to old lines, -1 for added") {
  CHECK(line_origins("", "").empty());
  CHECK(line_origins("a\nb\n", "a\nx\nb\n") == std::vector<std::int64_t>{0, -1, 1});
  CHECK(line_origins("a\nb\nc\n", "c\n") == std::vector<std::int64_t>{2});
  CHECK(line_origins("a\nb", "a\nb\n") == std::vector<std::int64_t>{0, -1});
  // A moved line is a deletion plus an addition.
  CHECK(line_origins("a\nb\nc\n", "c\na\nb\n") == std::vector<std::int64_t>{-1, 0, 1});
}

TEST_CASE("line_origins: without heuristic and trimming it is exactly added_lines") {
  const std::vector<std::string> alphabet = {"a\n", "b\n", "c\n", "\n", "  d\n", "}\n", "e\n"};
  std::mt19937 rng(7);
  const LineDiffOptions plain{false, false, false, false};
  for (int i = 0; i < 2000; ++i) {
    auto gen = [&](std::size_t n, std::size_t letters) {
      std::string s;
      for (std::size_t k = 0; k < n; ++k) s += alphabet[rng() % letters];
      return s;
    };
    const std::size_t letters = 2 + rng() % (alphabet.size() - 1);
    const std::string o = gen(rng() % 25, letters), n = gen(rng() % 25, letters);
    CAPTURE(o);
    CAPTURE(n);
    const auto origins = line_origins(o, n, plain);
    REQUIRE(added_from_origins(origins) == added_lines(o, n));
    // Kept lines are equal to their old line, in increasing order.
    std::int64_t last = -1;
    std::vector<std::string> ol, nl;
    std::string l;
    for (std::istringstream s(o); std::getline(s, l);) ol.push_back(l);
    for (std::istringstream s(n); std::getline(s, l);) nl.push_back(l);
    for (std::size_t j = 0; j < origins.size(); ++j) {
      if (origins[j] < 0) continue;
      REQUIRE(origins[j] > last);
      REQUIRE(ol[static_cast<std::size_t>(origins[j])] == nl[j]);
      last = origins[j];
    }
  }
}

TEST_CASE("line_origins: the same added lines as git diff with its indent heuristic") {
  const std::vector<std::string> alphabet = {"{\n", "}\n", "\n", "  x();\n", "  y();\n",
                                             "    z();\n", "int f() {\n", "return 0;\n",
                                             "\tw;\n"};
  std::mt19937 rng(11);
  int exact = 0, total = 0;
  for (int i = 0; i < 400; ++i) {
    std::vector<std::string> a;
    const std::size_t n = 3 + rng() % 40;
    for (std::size_t k = 0; k < n; ++k) a.push_back(alphabet[rng() % alphabet.size()]);
    std::vector<std::string> b = a;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = rng() % (b.size() + 1);
      if (rng() % 3 == 0 && pos < b.size()) {
        b.erase(b.begin() + static_cast<long>(pos));
      } else {
        const std::size_t len = 1 + rng() % 4;
        for (std::size_t k = 0; k < len; ++k) {
          b.insert(b.begin() + static_cast<long>(pos), alphabet[rng() % alphabet.size()]);
        }
      }
    }
    std::string o, nw;
    for (const auto& l : a) o += l;
    for (const auto& l : b) nw += l;
    CAPTURE(o);
    CAPTURE(nw);
    const bool same = added_from_origins(line_origins(o, nw)) == git_added(o, nw);
    CHECK(same);
    exact += same;
    ++total;
  }
  MESSAGE("line_origins = git diff (indent heuristic) in " << exact << " of " << total);
}

TEST_CASE("line_origins: large rewrites take xdiff's cost heuristics, as git diff does") {
  // Past 256 edits in one region git stops searching for a minimal diff (xdl_split's
  // heuristics); blame follows that diff, not a minimal one.
  std::mt19937 rng(5);
  int exact = 0, minimal_same = 0;
  for (int round = 0; round < 6; ++round) {
    std::vector<std::string> a;
    for (int i = 0; i < 3000; ++i) {
      a.push_back(rng() % 5 == 0 ? std::string("}\n") : "l" + std::to_string(rng() % 2000) + "\n");
    }
    std::vector<std::string> b;
    for (const std::string& l : a) {
      const unsigned r = rng() % 10;
      if (r < 2) continue;                                        // deleted
      if (r < 4) b.push_back("n" + std::to_string(rng()) + "\n");  // replaced
      b.push_back(l);
      if (r == 9) std::swap(b[b.size() - 1], b[rng() % b.size()]);  // moved
    }
    std::string o, nw;
    for (const auto& l : a) o += l;
    for (const auto& l : b) nw += l;
    const auto git = git_added(o, nw);
    const bool same = added_from_origins(line_origins(o, nw)) == git;
    CHECK(same);
    exact += same;
    LineDiffOptions minimal;
    minimal.xdiff_heuristics = false;
    minimal_same += added_from_origins(line_origins(o, nw, minimal)) == git;
  }
  MESSAGE("line_origins = git diff on " << exact << " of 6 large rewrites (without the cost "
                                        "heuristics: " << minimal_same << ")");
  CHECK(minimal_same < 6);  // the cases do need the heuristics
}

TEST_CASE("line_origins: a common tail beyond 1024 bytes is trimmed as git does") {
  std::string tail;
  for (int i = 0; i < 300; ++i) tail += "x\n";  // 600 bytes of equal lines, then more
  for (int i = 0; i < 300; ++i) tail += "y" + std::to_string(i) + "\n";
  const std::string o = "a\n" + tail;
  const std::string n = "a\nx\n" + tail;
  CHECK(added_from_origins(line_origins(o, n)) == git_added(o, n));
  const auto origins = line_origins(o, n);
  REQUIRE(origins.size() == 602);
  CHECK(origins.back() == 600);
}

TEST_CASE("blame_all: edits, insertions, deletions and moved lines agree with git blame") {
  FixtureRepo fx;
  const std::string c1 = fx.commit("one", {{"a.txt", lines({"l1", "l2", "l3", "l4", "l5", "l6"})},
                                          {"dir/b.c", lines({"int f() {", "  return 1;", "}"})}});
  const std::string c2 = fx.commit("edit", {{"a.txt", lines({"l1", "L2", "l3", "l4", "l5", "l6"})}});
  const std::string c3 = fx.commit("insert", {{"a.txt", lines({"l1", "L2", "new", "l3", "l4", "l5", "l6"})},
                                              {"dir/b.c", lines({"int f() {", "  return 2;", "}", "",
                                                                 "int g() {", "  return 1;", "}"})}});
  const std::string c4 = fx.commit("delete", {{"a.txt", lines({"l1", "L2", "new", "l4", "l5", "l6"})}});
  // l6 moves to the top: git sees one deletion and one addition.
  const std::string c5 = fx.commit("move", {{"a.txt", lines({"l6", "l1", "L2", "new", "l4", "l5"})}});
  CHECK(blame_of(fx, c5, "a.txt") == std::vector<std::string>{c5, c1, c2, c3, c1, c1});
  // The old "  return 1;" and "}" pair with g()'s lines: the new f() body and closing brace
  // are c3's, as git says.
  CHECK(blame_of(fx, c5, "dir/b.c") == std::vector<std::string>{c1, c3, c3, c3, c3, c1, c1});
  for (const std::string& rev : {c1, c2, c3, c4, c5}) compare_with_git(fx, rev);
}

TEST_CASE("blame_all: a merge with changes on both sides, and an evil merge") {
  FixtureRepo fx;
  const std::string base = fx.commit("base", {{"f.c", lines({"a", "b", "c", "d", "e"})},
                                              {"g.c", lines({"1", "2", "3"})}});
  fx.branch("side");
  const std::string m1 = fx.commit("main edit", {{"f.c", lines({"A", "b", "c", "d", "e"})}});
  fx.checkout_branch("side");
  const std::string s1 = fx.commit("side edit", {{"f.c", lines({"a", "b", "c", "d", "E"})},
                                                 {"g.c", lines({"1", "2", "3", "4"})},
                                                 {"side.txt", lines({"only on side"})}});
  fx.checkout_branch("main");
  // Both sides' edits; g.c taken whole from the side; one line that is in no parent.
  const std::string merge = fx.merge("merge side", {s1},
                                     {{"f.c", lines({"A", "b", "evil", "d", "E"})},
                                      {"g.c", lines({"1", "2", "3", "4"})},
                                      {"side.txt", lines({"only on side"})}});
  CHECK(blame_of(fx, merge, "f.c") == std::vector<std::string>{m1, base, merge, base, s1});
  CHECK(blame_of(fx, merge, "g.c") == std::vector<std::string>{base, base, base, s1});
  CHECK(blame_of(fx, merge, "side.txt") == repeat(s1, 1));
  compare_with_git(fx, merge);
  const std::string after = fx.commit("after", {{"f.c", lines({"A", "b", "evil", "d", "E", "f"})}});
  compare_with_git(fx, after);
}

TEST_CASE("blame_all: a line unchanged from the first parent goes to the first parent") {
  // Both parents hold the same line with different histories: git passes it to the first.
  FixtureRepo fx;
  fx.commit("base", {{"f", lines({"x"})}});
  fx.branch("side");
  const std::string m1 = fx.commit("main", {{"f", lines({"x", "same"})}});
  fx.checkout_branch("side");
  const std::string s1 = fx.commit("side", {{"f", lines({"same", "x"})}});
  fx.checkout_branch("main");
  const std::string merge = fx.merge("merge", {s1}, {{"f", lines({"same", "x", "same"})}});
  compare_with_git(fx, merge);
  (void)m1;
}

TEST_CASE("blame_all: the merge result equal to the second parent takes its blame whole") {
  FixtureRepo fx;
  const std::string base = fx.commit("base", {{"f", lines({"a", "b"})}});
  fx.branch("side");
  const std::string m1 = fx.commit("main", {{"f", lines({"a", "b", "c"})}});
  fx.checkout_branch("side");
  const std::string s1 = fx.commit("side", {{"f", lines({"a", "b", "c", "d"})}});
  fx.checkout_branch("main");
  const std::string merge = fx.merge("merge", {s1}, {{"f", lines({"a", "b", "c", "d"})}});
  // Line "c" is unchanged from the first parent, but git passes the whole file to the
  // identical second parent first.
  CHECK(blame_of(fx, merge, "f") == std::vector<std::string>{base, base, s1, s1});
  compare_with_git(fx, merge);
  (void)m1;
}

TEST_CASE("blame_all: a rename keeps the history; a delete and re-add starts afresh") {
  FixtureRepo fx;
  const std::string c1 = fx.commit("one", {{"old/name.c", lines({"a", "b", "c"})},
                                          {"gone.txt", lines({"x", "y"})}});
  const std::string c2 = fx.commit("edit", {{"old/name.c", lines({"a", "B", "c"})}});
  const std::string c3 = fx.commit("rename", {{"old/name.c", std::nullopt},
                                             {"new/name.c", lines({"a", "B", "c"})}});
  const std::string c4 = fx.commit("edit renamed", {{"new/name.c", lines({"a", "B", "c", "d"})}});
  const std::string c5 = fx.commit("delete", {{"gone.txt", std::nullopt}});
  const std::string c6 = fx.commit("re-add", {{"gone.txt", lines({"x", "y", "z"})}});
  CHECK(blame_of(fx, c6, "new/name.c") == std::vector<std::string>{c1, c2, c1, c4});
  CHECK(blame_of(fx, c6, "gone.txt") == repeat(c6, 3));
  for (const std::string& rev : {c3, c4, c6}) compare_with_git(fx, rev);
  (void)c5;
}

TEST_CASE("blame_all: a rename with edits is followed by similarity, as git does") {
  FixtureRepo fx;
  std::string body;
  for (int i = 0; i < 20; ++i) body += "line " + std::to_string(i) + "\n";
  const std::string c1 = fx.commit("one", {{"a.c", body}});
  const std::string c2 = fx.commit("rename and edit", {{"a.c", std::nullopt},
                                                      {"b.c", body + "one more\n"}});
  // git: 20 lines from c1 (inexact rename, similarity > 50%), the last from c2.
  std::vector<std::string> expected = repeat(c1, 20);
  expected.push_back(c2);
  CHECK(git_blame(fx.path(), c2, "b.c") == expected);
  CHECK(blame_of(fx, c2, "b.c") == expected);
  compare_with_git(fx, c2);
}

TEST_CASE("blame_all: similarity renames pick the source git picks") {
  FixtureRepo fx;
  auto body = [](const std::string& tag, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += tag + " line " + std::to_string(i) + "\n";
    return s;
  };
  const std::string c1 = fx.commit("one", {{"src/util.c", body("u", 30)},
                                          {"src/other.c", body("o", 30)},
                                          {"lib/near.c", body("n", 10) + body("u", 20)},
                                          {"small.txt", "a\nb\n"}});
  const std::string c2 = fx.commit("edit", {{"src/util.c", body("u", 30) + "tail\n"}});
  // One commit: util.c moves to another folder with an edit (same base name, > 75%), other.c
  // is renamed and half rewritten (50-75%: found by the full comparison), near.c is deleted
  // (a weaker candidate for both), small.txt is rewritten under a new name (< 50%: new file).
  std::string half = body("o", 16) + body("x", 14);
  const std::string c3 = fx.commit("move", {{"src/util.c", std::nullopt},
                                           {"src/other.c", std::nullopt},
                                           {"lib/near.c", std::nullopt},
                                           {"small.txt", std::nullopt},
                                           {"core/util.c", "head\n" + body("u", 30) + "tail\n"},
                                           {"core/renamed.c", half},
                                           {"tiny.txt", "a\nz\ny\n"}});
  const std::string c4 = fx.commit("edit again", {{"core/renamed.c", half + "end\n"}});
  for (const std::string& rev : {c3, c4}) compare_with_git(fx, rev);
  const auto util = blame_of(fx, c4, "core/util.c");
  REQUIRE(util.size() == 32);
  CHECK(util[0] == c3);
  CHECK(util[1] == c1);
  CHECK(util[31] == c2);
  // A merge whose second parent renamed a file with edits.
  FixtureRepo fm;
  const std::string b1 = fm.commit("base", {{"a.c", body("a", 20)}, {"keep.c", "k\n"}});
  fm.branch("side");
  const std::string m1 = fm.commit("main", {{"keep.c", "k\nk2\n"}});
  fm.checkout_branch("side");
  const std::string s1 = fm.commit("side rename", {{"a.c", std::nullopt},
                                                  {"moved/a.c", body("a", 20) + "side\n"}});
  fm.checkout_branch("main");
  const std::string merge = fm.merge("merge", {s1}, {{"a.c", std::nullopt},
                                                   {"moved/a.c", body("a", 20) + "side\nmerged\n"}});
  compare_with_git(fm, merge);
  (void)b1;
  (void)m1;
}

TEST_CASE("blame_all: binaries, too large files, symlinks and submodules are skipped") {
  FixtureRepo fx;
  const std::string big(2000, 'x');
  const std::string c1 = fx.commit(
      "one", {{"bin.dat", std::string("a\0b", 3)}, {"big.txt", big + "\n"}, {"t.txt", "t\n"},
              {"link", "t.txt"}},
      {}, std::nullopt, std::nullopt, {{"link", 0120000}});
  const Repository repo = Repository::open(fx.path());
  BlameOptions options;
  options.max_blob_bytes = 1000;
  const BlameResult r = blame_all(repo, "HEAD", options);
  CHECK(r.rev == c1);
  REQUIRE(r.files.size() == 1);
  CHECK(r.files[0].path == "t.txt");
  std::map<std::string, std::string> kinds;
  for (const auto& s : r.skipped) kinds[s.path] = s.kind;
  CHECK(kinds["bin.dat"] == "binary");
  CHECK(kinds["big.txt"] == "blob-too-large");
  CHECK(kinds["link"] == "symlink");
}

namespace {

struct RandomRun {
  Agreement agreement;
  std::size_t commits = 0, merges = 0, renames = 0;
};

RandomRun random_history(unsigned seed) {
  RandomRun run;
  FixtureRepo fx;
  std::mt19937 rng(seed);
  const std::vector<std::string> common = {"", "}", "{", "  return 0;", "\tbreak;", "#endif"};
  int serial = 0;
  auto fresh_line = [&] {
    if (rng() % 4 == 0) return common[rng() % common.size()];
    return "line " + std::to_string(serial++) + (rng() % 3 == 0 ? " {" : "");
  };
  using Content = std::vector<std::string>;
  auto join = [](const Content& c) {
    std::string s;
    for (const auto& l : c) s += l + "\n";
    return s;
  };
  auto edit = [&](Content c) {
    const int ops = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < ops; ++k) {
      const unsigned op = rng() % 5;
      const std::size_t pos = c.empty() ? 0 : rng() % c.size();
      if (op == 0 || c.empty()) {  // insert a block
        const std::size_t len = 1 + rng() % 4;
        for (std::size_t i = 0; i < len; ++i) c.insert(c.begin() + static_cast<long>(std::min(pos, c.size())), fresh_line());
      } else if (op == 1) {  // delete a block
        const std::size_t len = std::min<std::size_t>(1 + rng() % 3, c.size() - pos);
        c.erase(c.begin() + static_cast<long>(pos), c.begin() + static_cast<long>(pos + len));
      } else if (op == 2) {  // modify a line
        c[pos] = fresh_line();
      } else if (op == 3) {  // move a block
        const std::size_t len = std::min<std::size_t>(1 + rng() % 3, c.size() - pos);
        Content block(c.begin() + static_cast<long>(pos), c.begin() + static_cast<long>(pos + len));
        c.erase(c.begin() + static_cast<long>(pos), c.begin() + static_cast<long>(pos + len));
        const std::size_t to = c.empty() ? 0 : rng() % (c.size() + 1);
        c.insert(c.begin() + static_cast<long>(to), block.begin(), block.end());
      } else {  // duplicate a line elsewhere
        c.insert(c.begin() + static_cast<long>(rng() % (c.size() + 1)), c[pos]);
      }
    }
    return c;
  };

  const std::vector<std::string> names = {"src/a.c", "src/b.c", "doc/c.txt", "d.h"};
  std::map<std::string, std::map<std::string, Content>> branch_files;  // branch -> path -> lines
  Files init;
  for (const auto& n : names) {
    Content c;
    for (int i = 0; i < 15; ++i) c.push_back(fresh_line());
    branch_files["main"][n] = c;
    init[n] = join(c);
  }
  std::vector<std::string> revs = {fx.commit("init", init)};
  std::string current = "main";
  for (int i = 0; i < 32; ++i) {
    const unsigned what = rng() % 10;
    if (what <= 1 && current == "main" && !branch_files.count("side")) {
      fx.branch("side");
      branch_files["side"] = branch_files["main"];
      fx.checkout_branch("side");
      current = "side";
      continue;
    }
    if ((what == 2 || what == 3) && current == "side") {
      const std::string side_head = fx.head();
      fx.checkout_branch("main");
      current = "main";
      // The merge takes, per file, the main side, the side's, or an edit of either.
      Files files;
      for (const auto& n : names) {
        const unsigned pick = rng() % 4;
        Content c = pick == 0 ? branch_files["main"][n]
                  : pick == 1 ? branch_files["side"][n]
                              : edit(pick == 2 ? branch_files["main"][n] : branch_files["side"][n]);
        branch_files["main"][n] = c;
        files[n] = join(c);
      }
      revs.push_back(fx.merge("merge " + std::to_string(i), {side_head}, files));
      ++run.merges;
      branch_files.erase("side");
      continue;
    }
    Files files;
    const std::size_t touched = 1 + rng() % 2;
    for (std::size_t k = 0; k < touched; ++k) {
      const std::string& n = names[rng() % names.size()];
      auto& c = branch_files[current][n];
      c = edit(c);
      files[n] = join(c);
    }
    if (what == 4) {  // an exact rename of d.h (renames with edits: see the test above)
      auto& bf = branch_files[current];
      if (bf.count("d.h") && !files.count("d.h")) {
        files["d.h"] = std::nullopt;
        bf["e.h"] = bf["d.h"];
        bf.erase("d.h");
        files["e.h"] = join(bf["e.h"]);
        ++run.renames;
      }
    }
    revs.push_back(fx.commit("commit " + std::to_string(i), files));
  }
  if (current == "side") {
    const std::string side_head = fx.head();
    fx.checkout_branch("main");
    revs.push_back(fx.merge("final merge", {side_head}, {}));
    ++run.merges;
  }

  // Every revision of the history, every file, every line.
  for (const std::string& rev : revs) {
    const Agreement a = compare_with_git(fx, rev, false);
    run.agreement.lines += a.lines;
    run.agreement.same += a.same;
    run.agreement.files += a.files;
    run.agreement.files_same += a.files_same;
  }
  compare_with_git(fx, revs.back());  // names the lines on failure
  run.commits = revs.size();
  return run;
}

}  // namespace

TEST_CASE("blame_all: randomized history against git blame (fixed seeds)") {
  Agreement total;
  std::size_t commits = 0, merges = 0, renames = 0;
  for (unsigned seed : {424242u, 1u, 2u, 3u}) {
    const RandomRun r = random_history(seed);
    total.lines += r.agreement.lines;
    total.same += r.agreement.same;
    total.files += r.agreement.files;
    total.files_same += r.agreement.files_same;
    commits += r.commits;
    merges += r.merges;
    renames += r.renames;
  }
  MESSAGE("blame_all = git blame on " << total.same << " of " << total.lines << " lines ("
                                      << total.files_same << " of " << total.files
                                      << " file revisions); " << commits << " commits, " << merges
                                      << " merges, " << renames << " renames, 4 seeds");
  // Also run once with seeds 100..129 (898 commits, 108 merges, 61 exact renames): 64,821 of
  // 64,821 lines agreed.
  CHECK(total.same == total.lines);
}

// Not a test: for bench/blame-vs-git.sh, which compares every line with per-file git blame.
// With PROVSCAN_BLAME_DUMP_REPO and PROVSCAN_BLAME_DUMP_OUT set, writes blame_all(HEAD) as
// "PATH\0COMMIT COMMIT ...\n" per file; otherwise does nothing.
TEST_CASE("blame_all: dump for the benchmark") {
  const char* repo_path = std::getenv("PROVSCAN_BLAME_DUMP_REPO");
  const char* out_path = std::getenv("PROVSCAN_BLAME_DUMP_OUT");
  if (repo_path == nullptr || out_path == nullptr) return;
  const Repository repo = Repository::open(repo_path);
  const BlameResult r = blame_all(repo, "HEAD");
  std::ofstream out(out_path, std::ios::binary);
  for (const FileBlame& f : r.files) {
    out << f.path << '\0';
    for (std::size_t i = 0; i < f.line_commits.size(); ++i) out << (i ? " " : "") << f.line_commits[i];
    out << '\n';
  }
  CHECK(out.good());
}
