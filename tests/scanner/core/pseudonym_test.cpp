#include "scanner/pseudonym.h"

#include <doctest/doctest.h>

#include "common/error.h"
#include "tests/support/run_cli.h"

using namespace provscan;
using namespace provscan::scan;

namespace {

Roster one_person() {
  Person p;
  p.id = "p-1";
  p.name = "Ann Lee";
  p.names = {"annl"};
  p.emails = {"ann@corp.example"};
  p.role = "employee";
  return Roster({p});
}

}  // namespace

TEST_CASE("pseudonym: keyed, stable, and different under another key") {
  const Pseudonymizer a("key-one-0123456789"), b("key-two-0123456789");
  CHECK(a.name("Ann Lee") == a.name("Ann Lee"));
  CHECK(a.name("Ann Lee") != b.name("Ann Lee"));
  CHECK(a.name("Ann Lee").rfind("person-", 0) == 0);
  CHECK(a.name("Ann Lee").size() == 17);
  CHECK(a.email("Ann@Corp.Example") == a.email("ann@corp.example"));  // e-mails compare case-insensitively
  CHECK(a.identity("Ann Lee <ann@corp.example>") == a.name("Ann Lee") + " <" + a.email("ann@corp.example") + ">");
  CHECK(a.identity("just a name") == a.name("just a name"));
}

TEST_CASE("pseudonym: every structured identity and every mention in free text is replaced") {
  const Pseudonymizer p("0123456789abcdef-key");
  ScanResult r;
  Finding f;
  f.author = {"p-1", "Ann Lee <ann@corp.example>"};
  f.committer = {std::nullopt, "Zed Q <ZED@x.example>"};
  f.relayed_for = PersonRef{std::nullopt, "Zed Q <zed@x.example>"};
  f.co_authors = {{std::nullopt, "annl <other@x.example>"}};
  f.message = "author Ann Lee (p-1) relayed by Zed Q <zed@x.example>; annlee and Annabel stay";
  f.snippet = "# maintainer: ANN@CORP.EXAMPLE, annl";
  r.findings = {f};
  ContributorStats c;
  c.person = "p-1";
  c.identity = "Ann Lee";
  c.identities = {"Ann Lee <ann@corp.example>"};
  c.relayed_by = {{"Zed Q <zed@x.example>", 2}, {"p-1", 1}};
  r.contributors = {c};
  r.skipped = {{"error", "", "x", "", "cannot read blob of Zed Q", true}};

  pseudonymize(r, one_person(), p);
  const Finding& g = r.findings[0];
  CHECK(g.author.person == "p-1");
  CHECK(g.author.identity == p.identity("Ann Lee <ann@corp.example>"));
  CHECK(g.committer.identity == p.identity("Zed Q <zed@x.example>"));
  CHECK(g.relayed_for->identity == g.committer.identity);
  CHECK(g.co_authors[0].identity == p.identity("annl <other@x.example>"));
  CHECK(g.message == "author " + p.name("Ann Lee") + " (p-1) relayed by " + p.name("Zed Q") + " <" +
                         p.email("zed@x.example") + ">; annlee and Annabel stay");
  CHECK(g.snippet == "# maintainer: " + p.email("ann@corp.example") + ", " + p.name("annl"));
  CHECK(r.contributors[0].identity == p.name("Ann Lee"));
  CHECK(r.contributors[0].identities == std::vector<std::string>{p.identity("Ann Lee <ann@corp.example>")});
  CHECK(r.contributors[0].relayed_by.count("p-1") == 1);
  CHECK(r.contributors[0].relayed_by.count(p.identity("Zed Q <zed@x.example>")) == 1);
  CHECK(r.skipped[0].reason == "cannot read blob of " + p.name("Zed Q"));
}

TEST_CASE("pseudonym: key files shorter than 16 bytes are refused") {
  test::TempDir tmp;
  CHECK_THROWS_AS(load_pseudonym_key(tmp.file("k", "  short  \n")), InputError);
  CHECK_THROWS_AS(load_pseudonym_key(tmp.path() + "/missing"), InputError);
  CHECK(load_pseudonym_key(tmp.file("k2", "  0123456789abcdef \n")) == "0123456789abcdef");
}
