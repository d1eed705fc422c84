#include "scanner/signature/hs_cache.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "rules/loader.h"
#include "scanner/query/detail/query_detail.h"
#include "scanner/signature/signature_engine.h"
#include "tests/support/run_cli.h"

namespace provscan::scan {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// Points the cache at `dir` (nullopt: off) for one test case, and restores the setting after.
class CacheAt {
 public:
  explicit CacheAt(std::optional<fs::path> dir) : saved_(hs_cache_dir()) {
    set_hs_cache_dir(std::move(dir));
    reset_hs_cache_stats();
  }
  ~CacheAt() { set_hs_cache_dir(saved_); }

 private:
  std::optional<fs::path> saved_;
};

const char* kRules = R"(rules:
  - {id: a.pipe, engine: signature, severity: high, message: m, regex: 'curl[^|\n]*\|\s*sh\b'}
  - {id: b.lit, engine: signature, severity: low, message: m, literals: ["eval(", "a.b*c"]}
  - {id: c.case, engine: signature, severity: low, message: m, regex: 'secret', flags: [caseless]}
)";
const char* kText = "line one\ncurl -s x | sh\nx = eval(y)\nA.B*C a.b*c\nSECRET\ncurl x | shell\n";
const std::vector<std::pair<std::string, unsigned>> kExpected = {
    {"a.pipe", 2}, {"b.lit", 3}, {"b.lit", 4}, {"c.case", 5}};

rules::RuleSet set_of(const std::string& yaml) {
  rules::RuleSet s;
  s.rules = rules::parse_rule_file("t.yaml", yaml);
  return s;
}

std::vector<std::pair<std::string, unsigned>> hits_of(const Engine& e, std::string_view text = kText) {
  auto d = e.make_detector();
  std::vector<Hit> hits;
  ScanNotes notes;
  d->scan(Target{"x.sh", "b", text, "bash", false}, hits, notes);
  std::vector<std::pair<std::string, unsigned>> got;
  for (const Hit& h : hits) got.emplace_back(h.rule->id, h.line);
  std::sort(got.begin(), got.end());
  return got;
}

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

HsCompileInput regexes(std::vector<std::string> exprs, unsigned flag = 0) {
  HsCompileInput in;
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    in.expressions.push_back(std::move(exprs[i]));
    in.flags.push_back(flag);
    in.ids.push_back(static_cast<unsigned>(i));
  }
  return in;
}

}  // namespace

TEST_CASE("hs cache: a second engine reads the database the first one stored, with the same matches") {
  TempDir dir;
  const auto set = set_of(kRules);
  std::vector<std::pair<std::string, unsigned>> fresh;
  {
    CacheAt off(std::nullopt);
    fresh = hits_of(*make_signature_engine(set));
    CHECK(hs_cache_stats().misses == 0);  // no cache: nothing counted
  }
  CHECK(fresh == kExpected);

  CacheAt on(fs::path(dir.path()));
  const auto first = make_signature_engine(set);
  HsCacheStats s = hs_cache_stats();
  CHECK(s.misses == 1);
  CHECK(s.hits == 0);
  CHECK(s.stores == 1);
  const auto files = entries(dir.path());
  REQUIRE(files.size() == 1);
  CHECK(files[0].filename().string().starts_with("hs-"));
  CHECK(files[0].filename().string().ends_with(".db"));
  struct stat before{};
  REQUIRE(::stat(files[0].c_str(), &before) == 0);
  CHECK((before.st_mode & 0777) == 0600);

  const auto second = make_signature_engine(set);
  s = hs_cache_stats();
  CHECK(s.hits == 1);
  CHECK(s.misses == 1);
  CHECK(s.stores == 1);  // not written again
  struct stat after{};
  REQUIRE(::stat(files[0].c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(hits_of(*first) == fresh);
  CHECK(hits_of(*second) == fresh);
  CHECK(entries(dir.path()).size() == 1);  // no temporary file left behind
}

TEST_CASE("hs cache: the query prefilter's word list goes through the cache too") {
  TempDir dir;
  CacheAt on(fs::path(dir.path()));
  const std::vector<std::pair<std::string, bool>> words = {{"exec", false}, {"Base64", true}};
  std::vector<std::uint8_t> found;
  for (int round = 0; round < 2; ++round) {
    detail::WordFinder f(words);
    detail::WordFinder::Scratch scratch(f);
    f.find("x = BASE64.decode(y)", scratch, found);
    CHECK(found == std::vector<std::uint8_t>{0, 1});
  }
  CHECK(hs_cache_stats().misses == 1);
  CHECK(hs_cache_stats().hits == 1);
}

TEST_CASE("hs cache: keys differ with every input that changes the database") {
  const HsCompileInput base = regexes({"abc", "d+e"});
  const std::string k = hs_cache_key(base);
  CHECK(k.size() == 64);
  CHECK(hs_cache_key(base) == k);
  HsCompileInput other = base;
  other.expressions[1] = "d+f";
  CHECK(hs_cache_key(other) != k);
  other = base;
  other.flags[0] = HS_FLAG_CASELESS;
  CHECK(hs_cache_key(other) != k);
  other = base;
  std::swap(other.ids[0], other.ids[1]);
  CHECK(hs_cache_key(other) != k);
  other = base;
  other.literal = true;
  CHECK(hs_cache_key(other) != k);
  other = base;
  other.mode = HS_MODE_STREAM;
  CHECK(hs_cache_key(other) != k);
  // no ambiguity between where one expression ends and the next starts
  CHECK(hs_cache_key(regexes({"ab", "c"})) != hs_cache_key(regexes({"a", "bc"})));
  // the limits are not part of the key (they decide only whether an entry is used)
  other = base;
  other.max_compile_seconds = 1;
  CHECK(hs_cache_key(other) == k);

  // two rule sets: two entries
  TempDir dir;
  CacheAt on(fs::path(dir.path()));
  make_signature_engine(set_of(kRules));
  make_signature_engine(set_of("rules:\n  - {id: x.a, engine: signature, severity: low, message: m, literals: [a]}\n"));
  CHECK(entries(dir.path()).size() == 2);
  CHECK(hs_cache_stats().hits == 0);
}

TEST_CASE("hs cache: a damaged, tampered or foreign entry is recompiled and replaced, never trusted") {
  TempDir dir;
  CacheAt on(fs::path(dir.path()));
  const auto set = set_of(kRules);
  make_signature_engine(set);
  const auto files = entries(dir.path());
  REQUIRE(files.size() == 1);
  const fs::path file = files[0];
  const std::string good = provscan::test::read_text(fs::path(file).string());
  REQUIRE(good.size() > 200);

  // An entry of another rule set, renamed to this key: its own header is intact.
  TempDir other_dir;
  {
    CacheAt other(fs::path(other_dir.path()));
    make_signature_engine(set_of("rules:\n  - {id: a.pipe, engine: signature, severity: high, message: m, "
                                 "literals: [zzz]}\n"));
  }
  const auto other_files = entries(other_dir.path());
  REQUIRE(other_files.size() == 1);

  auto flip = [&](std::size_t at) {
    std::string s = good;
    s[at] = static_cast<char>(s[at] ^ 0x20);
    return s;
  };
  // The payload's checksum recomputed after changing the recorded compile time: still caught,
  // the checksum covers the header.
  std::string retimed = good;
  retimed[16 + 64 + 8] = static_cast<char>(retimed[16 + 64 + 8] ^ 1);

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"truncated header", good.substr(0, 100)},
      {"truncated payload", good.substr(0, good.size() - 1)},
      {"extra byte", good + "x"},
      {"magic", flip(2)},
      {"key", flip(20)},
      {"length", flip(16 + 64)},
      {"recorded time", retimed},
      {"checksum", flip(16 + 64 + 24 + 3)},
      {"payload", flip(good.size() / 2)},
      {"payload end", flip(good.size() - 1)},
      {"garbage", std::string(good.size(), 'A')},
      {"another rule set's entry", provscan::test::read_text(fs::path(other_files[0]).string())},
  };
  for (const auto& [case_name, bytes] : cases) {
    const std::string& name = case_name;  // clang 14: CAPTURE's lambda cannot capture a structured binding
    CAPTURE(name);
    spit(file, bytes);
    reset_hs_cache_stats();
    const auto engine = make_signature_engine(set);
    const HsCacheStats s = hs_cache_stats();
    CHECK(s.hits == 0);
    CHECK(s.rejected == 1);
    CHECK(s.stores == 1);
    CHECK(s.last_note.find("rejecting") != std::string::npos);
    CHECK(hits_of(*engine) == kExpected);
    // replaced with a good entry: the same bytes but for the compile time and the checksum
    const std::string now = provscan::test::read_text(fs::path(file).string());
    CHECK(now.size() == good.size());
    CHECK(now.substr(0, 16 + 64 + 8) == good.substr(0, 16 + 64 + 8));
    CHECK(now.substr(168) == good.substr(168));
  }
}

TEST_CASE("hs cache: an entry or folder others can write, or a link, is not used") {
  TempDir dir;
  CacheAt on(fs::path(dir.path()));
  const auto set = set_of(kRules);
  make_signature_engine(set);
  const fs::path file = entries(dir.path()).at(0);

  ::chmod(file.c_str(), 0666);
  reset_hs_cache_stats();
  CHECK(hits_of(*make_signature_engine(set)) == kExpected);
  CHECK(hs_cache_stats().hits == 0);
  CHECK(hs_cache_stats().rejected == 1);
  // replaced by a private entry
  struct stat st{};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  // a symbolic link in place of the entry
  const fs::path elsewhere = fs::path(dir.path()) / "elsewhere";
  fs::rename(file, elsewhere);
  fs::create_symlink(elsewhere, file);
  reset_hs_cache_stats();
  CHECK(hits_of(*make_signature_engine(set)) == kExpected);
  CHECK(hs_cache_stats().hits == 0);
  CHECK(fs::is_regular_file(fs::symlink_status(file)));  // the link was replaced by a file

  // a folder others can write
  ::chmod(dir.path().c_str(), 0777);
  reset_hs_cache_stats();
  CHECK(hits_of(*make_signature_engine(set)) == kExpected);
  CHECK(hs_cache_stats().hits == 0);
  CHECK(hs_cache_stats().stores == 0);
  CHECK(hs_cache_stats().store_failures == 1);
  ::chmod(dir.path().c_str(), 0700);
}

TEST_CASE("hs cache: a cache folder that cannot be created or written costs only the compile") {
  TempDir dir;
  const std::string blocker = dir.file("not-a-folder", "x");
  const auto set = set_of(kRules);
  {
    CacheAt on(fs::path(blocker) / "cache");  // a file stands where a parent folder should be
    CHECK(hits_of(*make_signature_engine(set)) == kExpected);
    CHECK(hits_of(*make_signature_engine(set)) == kExpected);
    CHECK(hs_cache_stats().hits == 0);
    CHECK(hs_cache_stats().store_failures == 2);
  }
  {
    CacheAt on{fs::path(blocker)};  // the cache folder is a file
    CHECK(hits_of(*make_signature_engine(set)) == kExpected);
    CHECK(hs_cache_stats().store_failures == 1);
  }
  if (::geteuid() != 0) {  // root writes anywhere: only meaningful for other users
    const fs::path ro = fs::path(dir.path()) / "ro";
    fs::create_directory(ro);
    ::chmod(ro.c_str(), 0500);
    CacheAt on(ro);
    CHECK(hits_of(*make_signature_engine(set)) == kExpected);
    CHECK(hs_cache_stats().store_failures == 1);
    ::chmod(ro.c_str(), 0700);
  }
  {
    CacheAt on(fs::path(dir.path()) / "a" / "b" / "c");  // missing folders are created (0700)
    make_signature_engine(set);
    CHECK(hs_cache_stats().stores == 1);
    struct stat st{};
    REQUIRE(::stat((fs::path(dir.path()) / "a" / "b" / "c").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
}

TEST_CASE("hs cache: processes racing on one entry each get a working database, and leave one good entry") {
  TempDir dir;
  CacheAt on(fs::path(dir.path()));
  const auto set = set_of(kRules);
  const fs::path file = fs::path(dir.path()) / fmt::format("hs-{}.db", [&] {
    // the key of the engine's input: learn it from the entry one compile writes
    TempDir probe;
    CacheAt p(fs::path(probe.path()));
    make_signature_engine(set);
    const std::string name = entries(probe.path()).at(0).filename().string();
    return name.substr(3, 64);
  }());
  for (int round = 0; round < 3; ++round) {
    CAPTURE(round);
    std::error_code ec;
    fs::remove(file, ec);
    if (round == 2) spit(file, "damaged");  // racing to replace a bad entry
    std::vector<pid_t> kids;
    for (int i = 0; i < 8; ++i) {
      const pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        int status = 0;
        try {
          for (int k = 0; k < 5; ++k)
            if (hits_of(*make_signature_engine(set)) != kExpected) status = 1;
        } catch (...) {
          status = 2;
        }
        ::_exit(status);
      }
      kids.push_back(pid);
    }
    for (pid_t pid : kids) {
      int status = -1;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      CHECK(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
    }
    const auto left = entries(dir.path());
    REQUIRE(left.size() == 1);  // no temporary files
    CHECK(left[0] == file);
    reset_hs_cache_stats();
    CHECK(hits_of(*make_signature_engine(set)) == kExpected);
    CHECK(hs_cache_stats().hits == 1);
  }
}

TEST_CASE("hs cache: the folder comes from PROVSCAN_CACHE_DIR, XDG_CACHE_HOME or HOME") {
  struct Env {
    std::string name;
    std::optional<std::string> saved;
    explicit Env(std::string n) : name(std::move(n)) {
      if (const char* v = std::getenv(name.c_str())) saved = v;
    }
    ~Env() {
      if (saved) ::setenv(name.c_str(), saved->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  } a("PROVSCAN_CACHE_DIR"), b("XDG_CACHE_HOME"), c("HOME");
  ::setenv("HOME", "/home/u", 1);
  ::unsetenv("XDG_CACHE_HOME");
  ::unsetenv("PROVSCAN_CACHE_DIR");
  CHECK(default_hs_cache_dir() == fs::path("/home/u/.cache/provscan"));
  ::setenv("XDG_CACHE_HOME", "relative", 1);  // not absolute: ignored, as XDG says
  CHECK(default_hs_cache_dir() == fs::path("/home/u/.cache/provscan"));
  ::setenv("XDG_CACHE_HOME", "/xdg", 1);
  CHECK(default_hs_cache_dir() == fs::path("/xdg/provscan"));
  ::setenv("PROVSCAN_CACHE_DIR", "/p", 1);
  CHECK(default_hs_cache_dir() == fs::path("/p"));
  ::setenv("PROVSCAN_CACHE_DIR", "", 1);
  CHECK(default_hs_cache_dir() == std::nullopt);
  ::unsetenv("PROVSCAN_CACHE_DIR");
  ::unsetenv("XDG_CACHE_HOME");
  ::unsetenv("HOME");
  CHECK(default_hs_cache_dir() == std::nullopt);

  CacheAt off{fs::path()};  // an empty path disables the cache, as nullopt does
  CHECK(hs_cache_dir() == std::nullopt);
}

TEST_CASE("hs cache: a pattern Hyperscan refuses is reported exactly as without the cache") {
  TempDir dir;
  const auto set = set_of("rules:\n  - id: bad.re\n    engine: signature\n    severity: low\n    message: m\n"
                          "    regex: '(\\w+) \\1'\n");
  for (const std::optional<fs::path>& where : {std::optional<fs::path>(), std::optional<fs::path>(dir.path())}) {
    CacheAt at(where);
    CHECK_THROWS_WITH_AS(make_signature_engine(set),
                         doctest::Contains("t.yaml:6:13: rule bad.re: Hyperscan rejected the pattern:"), InputError);
  }
  CHECK(entries(dir.path()).empty());
}

// ---- provscan's own limits (issue 8 item 8) -------------------------------------------------

TEST_CASE("signature limits: a regex or literal over 8192 bytes is refused at load with its position") {
  const std::string big(8193, 'a');
  CHECK_THROWS_WITH_AS(set_of("rules:\n  - id: long.re\n    engine: signature\n    severity: low\n    message: m\n"
                              "    regex: '" + big + "'\n"),
                       "t.yaml:6:13: rule long.re: regex is 8193 bytes, longer than the limit of 8192 bytes",
                       InputError);
  CHECK_THROWS_WITH_AS(set_of("rules:\n  - id: long.lit\n    engine: signature\n    severity: low\n    message: m\n"
                              "    literals:\n      - ok\n      - '" + big + "'\n"),
                       "t.yaml:8:9: rule long.lit: literal 2 is 8193 bytes; each literal must have 1 to 8192 bytes",
                       InputError);
  CHECK_NOTHROW(set_of("rules:\n  - id: edge.re\n    engine: signature\n    severity: low\n    message: m\n"
                       "    regex: '" + std::string(8192, 'a') + "'\n"));
}

namespace {
// Nested bounded repeats: tiny to write, slow for Hyperscan to compile (about 0.5 s for {40}
// and 3 s for {160} on the 2-core build machine) -- fine for a rule set, but it shows the limit.
const char* kSlowRules = R"(rules:
  - {id: a.fast, engine: signature, severity: low, message: m, literals: [needle]}
  - id: b.slow
    engine: signature
    severity: low
    message: m
    regex: '(a{2,20}b{2,20}){40}'
)";
}  // namespace

TEST_CASE("signature limits: a rule set whose database takes too long to compile names the slow rule") {
  CacheAt off(std::nullopt);
  const auto set = set_of(kSlowRules);
  SignatureLimits limits;
  limits.max_compile_seconds = 0.1;
  try {
    make_signature_engine(set, limits);
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.starts_with("t.yaml:7:13: rule b.slow: pattern takes "));
    CHECK(msg.ends_with(" s to compile (limit 0.1 s)"));
    CHECK(msg.find("a.fast") == std::string::npos);
  }
  // the default limit (20 s) lets it through
  CHECK_NOTHROW(make_signature_engine(set));
}

TEST_CASE("signature limits: an over-limit database is never stored, and a cached one is re-checked") {
  TempDir dir;
  CacheAt on(fs::path(dir.path()));
  const auto set = set_of(kSlowRules);
  SignatureLimits tight;
  tight.max_compile_seconds = 0.1;
  CHECK_THROWS_AS(make_signature_engine(set, tight), InputError);
  CHECK(entries(dir.path()).empty());
  make_signature_engine(set);  // default limits: stored
  CHECK(entries(dir.path()).size() == 1);
  reset_hs_cache_stats();
  // the entry records a compile time over 0.1 s: compiled afresh and refused the same way
  CHECK_THROWS_WITH_AS(make_signature_engine(set, tight), doctest::Contains("rule b.slow: pattern takes"),
                       InputError);
  CHECK(hs_cache_stats().hits == 0);
  make_signature_engine(set);
  CHECK(hs_cache_stats().hits == 1);
}

TEST_CASE("signature limits: a database over the size limit names the rule, or the heaviest when none is alone") {
  CacheAt off(std::nullopt);
  const auto one = set_of(R"(rules:
  - {id: a.small, engine: signature, severity: low, message: m, literals: [needle]}
  - id: b.big
    engine: signature
    severity: low
    message: m
    regex: '(x[^x]{0,300}){20}'
)");
  SignatureLimits limits;
  limits.max_database_bytes = 64 * 1024;
  CHECK_THROWS_WITH_AS(make_signature_engine(one, limits),
                       doctest::Contains("t.yaml:7:13: rule b.big: pattern compiles to a "), InputError);
  CHECK_THROWS_WITH_AS(make_signature_engine(one, limits), doctest::Contains("Hyperscan database (limit 64 KiB)"),
                       InputError);
  CHECK_NOTHROW(make_signature_engine(one));

  // Two rules under the limit alone, over it together.
  const auto two = set_of(R"(rules:
  - {id: a.one, engine: signature, severity: low, message: m, regex: '(x[^x]{0,30}){60}'}
  - {id: b.two, engine: signature, severity: low, message: m, regex: '(y[^y]{0,30}){60}'}
)");
  auto size_of = [](std::vector<std::string> exprs) { return compile_uncached(regexes(std::move(exprs))).bytes; };
  const std::size_t alone = std::max(size_of({"(x[^x]{0,30}){60}"}), size_of({"(y[^y]{0,30}){60}"}));
  const std::size_t together = size_of({"(x[^x]{0,30}){60}", "(y[^y]{0,30}){60}"});
  REQUIRE(together > alone);
  limits.max_database_bytes = alone;
  try {
    make_signature_engine(two, limits);
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.starts_with("signature rules: the Hyperscan database is "));
    CHECK(msg.find("no rule is over the limit on its own; the heaviest alone: t.yaml:") != std::string::npos);
    CHECK(msg.find("a.one") != std::string::npos);
    CHECK(msg.find("b.two") != std::string::npos);
  }
}

}  // namespace provscan::scan
