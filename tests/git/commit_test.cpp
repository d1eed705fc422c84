#include "git/commit.h"

#include <doctest/doctest.h>

#include "tests/support/git_diff.h"

#include "common/error.h"

using provscan::Error;
using provscan::git::Ident;
using provscan::git::parse_commit;
using provscan::git::parse_ident;

using provscan::test::error_of;

namespace {
const std::string kTree(40, 'a');
const std::string kParent(40, 'b');

}  // namespace

TEST_CASE("parse_ident") {
  Ident i;
  REQUIRE(parse_ident("Jane Doe <jane@example.com> 1700000000 +0130", i));
  CHECK(i.name == "Jane Doe");
  CHECK(i.email == "jane@example.com");
  CHECK(i.time == 1700000000);
  CHECK(i.offset_minutes == 90);
  REQUIRE(parse_ident("<nobody@x> 5 -0800", i));
  CHECK(i.name.empty());
  CHECK(i.offset_minutes == -480);
  REQUIRE(parse_ident("X <a>b> 7 +0000", i));  // stray '>' in the email, as git tolerates
  CHECK(i.email == "a");
  CHECK(i.time == 7);
  REQUIRE(parse_ident("X <x@y> 42", i));  // no time zone
  CHECK(i.time == 42);
  CHECK_FALSE(parse_ident("X x@y 42 +0000", i));
  CHECK_FALSE(parse_ident("X <x@y 42 +0000", i));
  CHECK_FALSE(parse_ident("X <x@y>", i));
  CHECK_FALSE(parse_ident("X <x@y> abc +0000", i));
  // An overflowing date is read as 0, as git shows it, and flagged: the commit stays readable.
  REQUIRE(parse_ident("X <x@y> 99999999999999999999999 +0100", i));
  CHECK(i.time == 0);
  CHECK(i.time_overflow);
  CHECK(i.offset_minutes == 60);
  REQUIRE(parse_ident("X <x@y> 1700000000 +0000", i));
  CHECK_FALSE(i.time_overflow);
  CHECK_FALSE(parse_ident("X <x@y> 1 0000", i));
}

TEST_CASE("parse_commit: headers, skipped headers, message") {
  const std::string raw = "tree " + kTree + "\nparent " + kParent + "\nparent " + kTree +
                          "\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 2 +0100\n"
                          "encoding ISO-8859-1\nmergetag object " + kParent +
                          "\n type commit\n\nSubject\n\nBody\n";
  const auto c = parse_commit("id", raw);
  CHECK(c.tree == kTree);
  CHECK(c.parents == std::vector<std::string>{kParent, kTree});
  CHECK(c.author.name == "A");
  CHECK(c.committer.time == 2);
  CHECK(c.message == "Subject\n\nBody\n");
  CHECK(c.gpgsig.empty());
}

TEST_CASE("parse_commit: signature headers removed from the payload as git does") {
  const std::string head = "tree " + kTree + "\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 2 +0000\n";
  const std::string raw = head +
                          "gpgsig -----BEGIN SSH SIGNATURE-----\n abc\n \n -----END SSH SIGNATURE-----\n"
                          "gpgsig-sha256 other\n continued\n"
                          "\nmsg\n gpgsig not a header\n";
  const auto c = parse_commit("id", raw);
  CHECK(c.gpgsig == "-----BEGIN SSH SIGNATURE-----\nabc\n\n-----END SSH SIGNATURE-----");
  CHECK(c.signed_payload == head + "\nmsg\n gpgsig not a header\n");
  CHECK(c.message == "msg\n gpgsig not a header\n");
}

TEST_CASE("parse_commit: malformed objects name the commit") {
  CHECK(error_of([] { parse_commit("c0ffee", "parent " + kParent + "\n"); }) ==
        "malformed commit c0ffee: no valid tree line");
  CHECK(error_of([] { parse_commit("c0ffee", "tree xyz\n"); }) ==
        "malformed commit c0ffee: no valid tree line");
  CHECK(error_of([] { parse_commit("c0ffee", "tree " + kTree + "\ncommitter C <c@x> 2 +0000\n\n"); }) ==
        "malformed commit c0ffee: no author line");
  CHECK(error_of([] { parse_commit("c0ffee", "tree " + kTree + "\nparent 12\n"); }) ==
        "malformed commit c0ffee: bad parent line 'parent 12'");
  CHECK(error_of([] {
          parse_commit("c0ffee", "tree " + kTree + "\nauthor A <a@x> 1 +0000\ncommitter C c@x 2\n\n");
        }) == "malformed commit c0ffee: bad committer line 'committer C c@x 2'");
  // Headers without a message: accepted, empty message.
  CHECK(parse_commit("x", "tree " + kTree + "\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 2 +0000\n")
            .message.empty());
}
