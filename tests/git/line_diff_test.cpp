#include "git/line_diff.h"

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

using provscan::git::added_lines;
using provscan::git::LineRange;
using provscan::git::looks_binary;

namespace {

namespace fs = std::filesystem;

// The reference: `git diff -U0 --no-index` (tests/support/git_diff.h).
struct GitDiff {
  std::vector<LineRange> added(const std::string& old_text, const std::string& new_text,
                               bool indent_heuristic) const {
    return provscan::test::git_diff_added(old_text, new_text, indent_heuristic);
  }
};

GitDiff& git_diff() {
  static GitDiff g;
  return g;
}

std::uint32_t count(const std::vector<LineRange>& rs) {
  std::uint32_t n = 0;
  for (const auto& r : rs) n += r.last - r.first + 1;
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::size_t next = eol == std::string::npos ? text.size() : eol + 1;
    out.push_back(text.substr(pos, next - pos));
    pos = next;
  }
  return out;
}

// For every line content, at least (occurrences in new - occurrences in old) of its new
// occurrences are marked: nothing that is certainly added goes unreported.
bool covers_unmatched(const std::string& old_text, const std::string& new_text,
                      const std::vector<LineRange>& rs) {
  std::map<std::string, long> excess;
  for (const auto& l : lines_of(new_text)) ++excess[l];
  for (const auto& l : lines_of(old_text)) --excess[l];
  const auto nl = lines_of(new_text);
  for (const auto& r : rs) {
    for (std::uint32_t i = r.first; i <= r.last; ++i) --excess[nl[i - 1]];
  }
  for (const auto& [line, n] : excess) {
    if (n > 0) return false;
  }
  return true;
}

void check_against_git(const std::string& old_text, const std::string& new_text) {
  CAPTURE(old_text);
  CAPTURE(new_text);
  const auto ours = added_lines(old_text, new_text);
  CHECK(ours == git_diff().added(old_text, new_text, false));
  const auto with_heuristic = git_diff().added(old_text, new_text, true);
  CHECK(count(ours) == count(with_heuristic));
  CHECK(covers_unmatched(old_text, new_text, ours));
}

}  // namespace

TEST_CASE("added_lines: basic cases") {
  CHECK(added_lines("", "").empty());
  CHECK(added_lines("a\n", "a\n").empty());
  CHECK(added_lines("", "a\nb\n") == std::vector<LineRange>{{1, 2}});
  CHECK(added_lines("a\nb\n", "").empty());
  CHECK(added_lines("a\nc\n", "a\nb\nc\n") == std::vector<LineRange>{{2, 2}});
  CHECK(added_lines("a\nb\nc\n", "x\nb\ny\nz\n") == std::vector<LineRange>{{1, 1}, {3, 4}});
  // The last line without '\n' counts, and differs from the same text with one.
  CHECK(added_lines("a\nb", "a\nb\n") == std::vector<LineRange>{{2, 2}});
  CHECK(added_lines("a\nb\n", "a\nb\nc") == std::vector<LineRange>{{3, 3}});
  CHECK(added_lines("a\r\nb\r\n", "a\nb\r\n") == std::vector<LineRange>{{1, 1}});
}

TEST_CASE("added_lines: the same lines as git diff -U0") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"", "x"},
      {"x", ""},
      {"a\n", "a\na\n"},
      {"a\na\n", "a\na\na\na\n"},
      {"a\nb\na\nb\n", "a\nb\na\nb\na\nb\n"},
      {"a\nb\nc\n", "c\nb\na\n"},
      {"a\nb\nc\nd\n", "d\nc\nb\na\n"},
      {"a\nb", "a\nb\n"},
      {"a\nb\n", "a\nb"},
      {"line\r\nother\r\n", "line\nother\r\n"},
      {"x\n\ny\n", "x\n\n\ny\n\n"},
      {"{\n}\n", "{\n}\n{\n}\n"},
      {"int f() {\n  return 0;\n}\n",
       "int f() {\n  return 0;\n}\n\nint g() {\n  return 0;\n}\n"},
      {"if (x) {\n  a();\n}\nif (y) {\n  b();\n}\n",
       "if (x) {\n  a();\n}\nif (z) {\n  c();\n}\nif (y) {\n  b();\n}\n"},
      {"a\nb\nc\nd\ne\nf\n", "a\nx\nc\ny\ne\nz\n"},
      {"same\nsame\nsame\n", "same\nnew\nsame\nsame\n"},
  };
  for (const auto& [o, n] : cases) check_against_git(o, n);
}

TEST_CASE("added_lines: randomized against git (fixed seed)") {
  // Small alphabets make many duplicate lines, the hard case for choosing which copy is new.
  const std::vector<std::string> alphabet = {"a\n", "b\n", "c\n", "\n", "  d\n", "}\n",
                                             "a\r\n", "e\n", "    f\n"};
  std::mt19937 rng(20240101);
  int exact = 0, total = 0;
  for (int i = 0; i < 300; ++i) {
    auto gen = [&](int max_len, std::size_t letters) {
      std::string s;
      const int n = static_cast<int>(rng() % static_cast<unsigned>(max_len + 1));
      for (int k = 0; k < n; ++k) s += alphabet[rng() % letters];
      if (!s.empty() && rng() % 5 == 0) s.pop_back();  // sometimes no final newline
      return s;
    };
    const std::size_t letters = 2 + rng() % (alphabet.size() - 1);
    std::string old_text = gen(30, letters);
    // The new file is often an edit of the old one: keep, drop or insert lines.
    std::string new_text;
    if (rng() % 4 == 0) {
      new_text = gen(30, letters);
    } else {
      for (const auto& l : lines_of(old_text)) {
        const unsigned r = rng() % 10;
        if (r == 0) continue;
        if (r == 1) new_text += alphabet[rng() % letters];
        new_text += l;
      }
      if (rng() % 2) new_text += alphabet[rng() % letters];
    }
    CAPTURE(old_text);
    CAPTURE(new_text);
    const auto ours = added_lines(old_text, new_text);
    const auto git_plain = git_diff().added(old_text, new_text, false);
    const auto git_default = git_diff().added(old_text, new_text, true);
    ++total;
    if (ours == git_plain) ++exact;
    // Always: the same number of added lines as git (both minimal here), and every line that
    // cannot be matched is marked.
    CHECK(count(ours) == count(git_default));
    CHECK(covers_unmatched(old_text, new_text, ours));
  }
  MESSAGE("identical to git --no-indent-heuristic in " << exact << " of " << total << " cases");
  CHECK(exact * 100 >= total * 90);
}

TEST_CASE("added_lines: a pathological input falls back without missing a line") {
  // Two long files with no common line order: D is huge. Lines of the new file are a
  // shuffled copy of the old plus some new ones.
  std::string old_text, new_text;
  std::mt19937 rng(7);
  std::vector<int> order(60000);
  for (int i = 0; i < 60000; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (int i = 0; i < 60000; ++i) old_text += "line " + std::to_string(i) + "\n";
  for (int i = 0; i < 60000; ++i) {
    new_text += "line " + std::to_string(order[i]) + "\n";
    if (i % 1000 == 0) new_text += "fresh " + std::to_string(i) + "\n";
  }
  const auto ours = added_lines(old_text, new_text);
  CHECK(covers_unmatched(old_text, new_text, ours));
  // The fallback is the multiset difference: exactly the 60 lines absent from the old file
  // (a minimal diff of a shuffle would mark tens of thousands).
  CHECK(count(ours) == 60);
}

TEST_CASE("added_lines: larger files with scattered edits, against git") {
  std::mt19937 rng(99);
  for (int round = 0; round < 5; ++round) {
    std::string old_text, new_text;
    std::vector<std::string> lines;
    for (int i = 0; i < 3000; ++i) {
      switch (rng() % 6) {
        case 0: lines.push_back("\n"); break;
        case 1: lines.push_back("}\n"); break;
        case 2: lines.push_back("  return x;\n"); break;
        default: lines.push_back("  call(" + std::to_string(rng() % 400) + ");\n");
      }
    }
    for (const auto& l : lines) old_text += l;
    for (const auto& l : lines) {
      const unsigned r = rng() % 100;
      if (r < 2) continue;
      if (r < 4) new_text += "  inserted(" + std::to_string(rng() % 50) + ");\n";
      if (r == 4) new_text += "}\n";
      new_text += l;
    }
    const auto ours = added_lines(old_text, new_text);
    CHECK(ours == git_diff().added(old_text, new_text, false));
    CHECK(covers_unmatched(old_text, new_text, ours));
  }
}

TEST_CASE("looks_binary") {
  CHECK_FALSE(looks_binary(""));
  CHECK_FALSE(looks_binary("text\n"));
  CHECK(looks_binary(std::string("a\0b", 3)));
  std::string late(9000, 'x');
  late[8500] = '\0';
  CHECK_FALSE(looks_binary(late));
  late[7999] = '\0';
  CHECK(looks_binary(late));
}
