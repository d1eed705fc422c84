#include "git/path_check.h"

#include <doctest/doctest.h>

using provscan::git::hostile_path_reason;

TEST_CASE("hostile_path_reason: names git writes are fine") {
  for (const char* ok : {"a", "src/main.c", ".github/workflows/ci.yml", ".gitignore", ".gitattributes", "git",
                         "x.git", "d/.gitmodules", "caf\xc3\xa9.txt", "\xe2\x82\xac/\xf0\x9f\x98\x80", "..a", "a..b"})
    CHECK_MESSAGE(hostile_path_reason(ok).empty(), ok);
}

TEST_CASE("hostile_path_reason: traversal, .git in any spelling, control bytes, bad UTF-8, backslashes") {
  CHECK(hostile_path_reason("../x") == "a name is '..': the path leaves its folder");
  CHECK(hostile_path_reason("a/./b") == "a name is '.': the path leaves its folder");
  CHECK(hostile_path_reason("a//b") == "a name is empty (or holds '/')");
  CHECK(hostile_path_reason("") == "a name is empty (or holds '/')");
  const std::string dotgit =
      "a name is '.git' to some file system: checking it out would write into the git directory";
  for (const char* name : {".git", ".GIT", "sub/.Git/config", ".git.", ".git ", "GIT~1"}) {
    CHECK_MESSAGE(hostile_path_reason(name) == dotgit, name);
  }
  CHECK(hostile_path_reason("new\nline") == "a name holds the control character 0x0a");
  CHECK(hostile_path_reason("esc\x1b[0m") == "a name holds the control character 0x1b");
  CHECK(hostile_path_reason("del\x7f") == "a name holds the control character 0x7f");
  CHECK(hostile_path_reason("tab\there") == "a name holds the control character 0x09");
  for (const char* bad : {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xe2\x82"}) {
    CHECK_MESSAGE(hostile_path_reason(bad) == "a name is not valid UTF-8", bad);
  }
  CHECK(hostile_path_reason("..\\x") == "a name holds a backslash (a path separator on Windows)");
}
