// `--help` teaches: every command's help ends with real examples, and every option an example
// uses is one that command has (so the examples cannot go stale silently).
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/support/run_cli.h"

using namespace provscan::test;

namespace {

const std::set<std::string> kCommandWords = {"scan", "audit", "blame", "rules", "test", "lint",
                                             "list", "roster", "check", "policy", "version"};

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) {
    if (w[0] == '#' || w == "|") break;  // a comment, or a pipe into another command
    out.push_back(w);
  }
  return out;
}

// The example lines after "Examples:": "  provscan ...".
std::vector<std::string> examples_of(const std::string& help) {
  std::vector<std::string> out;
  const auto at = help.find("\nExamples:\n");
  if (at == std::string::npos) return out;
  std::istringstream in(help.substr(at + 11));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  provscan", 0) != 0) break;
    out.push_back(line.substr(2));
  }
  return out;
}

}  // namespace

TEST_CASE("every command's --help ends with 2 to 6 real examples") {
  const std::vector<std::vector<std::string>> commands = {
      {},         {"scan"},  {"audit"},           {"blame"},          {"rules"}, {"rules", "test"}, {"rules", "lint"},
      {"rules", "list"}, {"roster", "check"}, {"policy", "check"}, {"version"}};
  for (const auto& cmd : commands) {
    std::vector<std::string> argv = cmd;
    argv.push_back("--help");
    std::string name = "provscan";
    for (const auto& w : cmd) name += " " + w;
    const CliResult res = run_provscan(argv);
    INFO(name << " --help:\n" << res.out << res.err);
    CHECK(res.exit_code == 0);
    const std::vector<std::string> examples = examples_of(res.out);
    CHECK(examples.size() >= 2);
    CHECK(examples.size() <= 6);
    for (const std::string& ex : examples) {
      INFO("example: " << ex);
      // The example's command path and options exist: its own help names each option.
      std::vector<std::string> path;
      std::vector<std::string> options;
      for (const std::string& w : words(ex)) {
        if (w == "provscan") continue;
        if (w.rfind("--", 0) == 0) options.push_back(w.substr(0, w.find('=')));
        else if (options.empty() && kCommandWords.count(w) && path.size() < 2) path.push_back(w);
      }
      std::vector<std::string> help_argv = path;
      help_argv.push_back("--help");
      const CliResult sub = run_provscan(help_argv);
      CHECK(sub.exit_code == 0);
      for (const std::string& o : options) CHECK_MESSAGE(sub.out.find(o) != std::string::npos, o);
    }
  }
}

TEST_CASE("scan --help explains the gate: exit codes, baseline and inline suppressions") {
  const CliResult res = run_provscan({"scan", "--help"});
  CHECK(res.exit_code == 0);
  for (const char* what : {"Exit codes:", "--fail-on-skip", "--baseline", "provscan:ignore", "--range", "sarif"})
    CHECK_MESSAGE(res.out.find(what) != std::string::npos, what);
}
