#include "scanner/roster.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "tests/support/run_cli.h"
#include "scanner/attribution.h"
#include "scanner/mailmap.h"

using namespace provscan;
using namespace provscan::scan;
using provscan::test::scratch_file;

namespace {
std::string roster_error(const std::string& text) {
  const std::string f = scratch_file("provscan-roster-test.yaml", text);
  try {
    load_roster(f);
  } catch (const InputError& e) {
    std::string msg = e.what();
    for (std::size_t at; (at = msg.find(f)) != std::string::npos;) msg.replace(at, f.size(), "R");
    return msg;
  }
  return "no error";
}
const char* kRoster = R"(people:
  - id: p-2
    name: Bob Builder
    emails: [Bob@Contractor.example]
    role: contractor
    valid_from: 2023-06-01
    valid_to: 2025-06-30
  - id: p-1
    name: Alice Example
    names: [alice]
    emails: [alice@corp.example, 1+alice@users.noreply.example]
    citizenship: [US]
    role: employee
  - id: p-3
    name: Sam Same
    emails: [sam1@corp.example]
  - id: p-4
    name: Sam Same
    emails: [sam2@corp.example]
)";
}  // namespace

TEST_CASE("roster: email (any case) and unique names resolve; nothing else does") {
  const Roster r = load_roster(scratch_file("provscan-roster-ok.yaml", kRoster));
  REQUIRE(r.people().size() == 4);
  CHECK(r.people()[0].id == "p-1");  // sorted by id
  CHECK(r.find("whoever", "BOB@contractor.EXAMPLE")->id == "p-2");
  CHECK(r.find("", "1+alice@users.noreply.example")->id == "p-1");
  CHECK(r.find("alice", "unknown@elsewhere.example")->id == "p-1");
  CHECK(r.find("Sam Same", "sam3@corp.example") == nullptr);  // two people share the name: no guess
  CHECK(r.find("Nobody", "nobody@corp.example") == nullptr);  // same domain says nothing
  CHECK(r.sha256().size() == 64);
  const Person* bob = r.by_id("p-2");
  REQUIRE(bob);
  CHECK(bob->valid_on(*parse_date("2024-01-01")));
  CHECK_FALSE(bob->valid_on(*parse_date("2025-07-01")));
}

TEST_CASE("roster: every problem is reported with file:line:col") {
  CHECK(roster_error("people:\n  - id: a\n    emails: [x@y]\n    colour: red\n") ==
        "R:4:5: unknown key 'colour' in person (allowed: id, name, names, emails, citizenship, residency, location, "
        "employer, role, clearance, valid_from, valid_to, signing_keys, note)");
  CHECK(roster_error("people:\n  - id: a\n    emails: [x@y]\n    valid_from: 2024-02-30\n") ==
        "R:4:17: valid_from '2024-02-30' is not a date (YYYY-MM-DD)");
  CHECK(roster_error("people:\n  - id: a\n    emails: [x@y]\n  - id: a\n    emails: [X@Y]\n") ==
        "R:4:5: duplicate person id 'a' (first at R:2:5)\nR:4:5: email 'x@y' belongs to both a and a");
  CHECK(roster_error("people:\n  - id: a\n    emails: [x@y]\n    citizenship: [usa]\n") ==
        "R:4:18: citizenship 'usa' is not an ISO 3166-1 alpha-2 code");
  CHECK(roster_error("staff: []\n") == "R:1:1: a roster needs a top-level 'people:' list");
  // An e-mail that is empty matches nobody. fuzz_roster found one made by a YAML tag: in
  // `[!rin@corp.example]` the `!…` is a tag and the value is empty.
  CHECK(roster_error("people:\n  - id: a\n    emails: [!rin@corp.example]\n") ==
        "R:3:13: person a has an empty e-mail in 'emails'");
  CHECK(roster_error("people:\n  - id: a\n    emails: [x@y, \"  \"]\n") == "R:3:13: person a has an empty e-mail in 'emails'");
}

TEST_CASE("dates") {
  CHECK(parse_date("1970-01-01") == 0);
  CHECK(parse_date("2024-02-29") == 19782);
  CHECK_FALSE(parse_date("2023-02-29"));
  CHECK_FALSE(parse_date("2024-13-01"));
  CHECK_FALSE(parse_date("24-01-01"));
  CHECK(day_of(86399) == 0);
  CHECK(day_of(86400) == 1);
  CHECK(day_of(-1) == -1);
}

TEST_CASE("trailers and relays") {
  const auto t = parse_trailers("subject\n\nbody text\n\nSigned-off-by: A <a@x>\nOn-behalf-of: Dev O <dev@p.example>\n");
  REQUIRE(t.size() == 2);
  CHECK(t[1].key == "On-behalf-of");
  CHECK(t[1].value == "Dev O <dev@p.example>");
  CHECK(parse_trailers("subject only: not a trailer\n").empty());
  CHECK(parse_trailers("s\n\nprose line\nKey: v\n").empty());
  CHECK(split_identity(" Dev O <dev@p.example> ") == std::pair<std::string, std::string>{"Dev O", "dev@p.example"});

  auto person = [](std::string id, std::string name, std::string email, std::string role) {
    Person p;
    p.id = std::move(id);
    p.name = std::move(name);
    p.emails = {std::move(email)};
    p.role = std::move(role);
    return p;
  };
  const Roster r(std::vector<Person>{person("p-e", "Erin", "erin@corp.example", "escort"),
                                     person("p-d", "Dev", "dev@p.example", "contractor")});
  git::Commit c;
  c.author = {"Erin", "erin@corp.example", 0, 0};
  c.committer = c.author;
  c.message = "fix\n\nOn-behalf-of: Dev <dev@p.example>\n";
  Attribution a = attribute(c, r);
  CHECK(a.author.person == "p-e");
  CHECK(a.relay);
  REQUIRE(a.relayed_for);
  CHECK(a.relayed_for->person == "p-d");
  c.message = "fix\n";
  a = attribute(c, r);
  CHECK(a.relay);  // an escort's commit is a relay even when it names no origin
  CHECK_FALSE(a.relayed_for);
  c.author = {"Mallory", "m@unknown.example", 0, 0};
  c.committer = c.author;
  a = attribute(c, r);
  CHECK_FALSE(a.author.person);
  CHECK(a.author.identity == "Mallory <m@unknown.example>");
  CHECK_FALSE(a.relay);
}

TEST_CASE("roster: a CSV export with the same column names loads the same people") {
  const std::string csv = scratch_file("provscan-roster.csv",
                                    "id,name,emails,citizenship,role,valid_from,valid_to\r\n"
                                    "p-1,Alice Example,alice@corp.example; 1+alice@users.noreply.example,US,employee,,\r\n"
                                    "p-2,\"Builder, Bob\",bob@contractor.example,US;CA,contractor,2023-06-01,2025-06-30\r\n");
  const Roster r = load_roster(csv);
  REQUIRE(r.people().size() == 2);
  CHECK(r.find("", "1+ALICE@users.noreply.example")->id == "p-1");
  const Person* bob = r.by_id("p-2");
  REQUIRE(bob);
  CHECK(bob->name == "Builder, Bob");
  CHECK(bob->citizenship == std::vector<std::string>{"US", "CA"});
  CHECK(bob->valid_to == parse_date("2025-06-30"));
}

TEST_CASE("roster: CSV problems point at the cell") {
  const std::string f = scratch_file("provscan-roster-bad.csv",
                                  "id,name,emails,colour,valid_to\n"
                                  "p-1,A,a@x,red,2024-13-01\n"
                                  "p-1,B,a@x,,\n");
  try {
    load_roster(f);
    FAIL("no error");
  } catch (const InputError& e) {
    std::string msg = e.what();
    for (std::size_t at; (at = msg.find(f)) != std::string::npos;) msg.replace(at, f.size(), "R");
    CHECK(msg ==
          "R:1:16: unknown column 'colour' (allowed: id, name, names, emails, citizenship, residency, location, "
          "employer, role, clearance, valid_from, valid_to, signing_keys, note)\n"
          "R:2:15: valid_to '2024-13-01' is not a date (YYYY-MM-DD)\n"
          "R:3:1: duplicate person id 'p-1' (first at R:2:1)\n"
          "R:3:1: email 'a@x' belongs to both p-1 and p-1");
  }
}

TEST_CASE("mailmap: the forms of gitmailmap(5)") {
  const Mailmap m = Mailmap::parse(
      "# comment\n"
      "Proper Name <commit@x.example>\n"
      "<proper@x.example> <Old@X.example>\n"
      "Joe Dev <joe@x.example> Joe <joe@old.example>\n"
      "not a line\n");
  CHECK(m.size() == 3);
  CHECK(m.map("anything", "commit@x.example") == std::pair<std::string, std::string>{"Proper Name", "commit@x.example"});
  CHECK(m.map("Who", "old@x.example") == std::pair<std::string, std::string>{"Who", "proper@x.example"});
  CHECK(m.map("Joe", "joe@old.example") == std::pair<std::string, std::string>{"Joe Dev", "joe@x.example"});
  CHECK_FALSE(m.map("Other", "joe@old.example"));  // the entry names the commit name too
  CHECK_FALSE(m.map("x", "nobody@x.example"));
}
