// Fuzzes the tree-entry parser through git/'s public interface: the tree parser is private to
// git/repository.cpp, so the input is stored as loose tree objects of a scratch repository and
// Repository::diff_trees reads them (provscan's own bounded loose-object reader, then the
// parser, then the diff). The input holds up to three trees separated by the byte string
// "\n--\n"; they are stored under the fixed ids 1111..., 2222..., 3333... (the loose reader
// does not re-hash, like git when it trusts its own object store), so an entry whose 20-byte
// id is 0x11 x 20 points back to the first tree: cycles, deep nesting, duplicate and unsorted
// names are all reachable. Every returned path is then classified by hostile_path_reason.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "git/commit.h"
#include "git/path_check.h"
#include "git/repository.h"
#include "tests/fuzz/fuzz_support.h"

using namespace provscan;

namespace {

const std::string kIds[] = {std::string(40, '1'), std::string(40, '2'), std::string(40, '3')};
constexpr std::uint64_t kPathBudget = 1u << 20;  // about 4,000 entries

// A bare repository with no refs; only its objects/ folder changes between inputs.
const std::filesystem::path& repo_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d = fuzz::scratch_dir() / "repo.git";
    std::filesystem::create_directories(d / "objects");
    std::filesystem::create_directories(d / "refs" / "heads");
    fuzz::write_scratch("repo.git/HEAD", "ref: refs/heads/main\n");
    return d;
  }();
  return dir;
}

void store_tree(const std::string& id, std::string_view body) {
  std::string object = "tree " + std::to_string(body.size()) + '\0';
  object.append(body);
  uLongf len = compressBound(object.size());
  std::string deflated(len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(deflated.data()), &len, reinterpret_cast<const Bytef*>(object.data()),
                object.size(), 1) != Z_OK)
    fuzz::fail("compress2 failed");
  deflated.resize(len);
  std::filesystem::create_directories(repo_dir() / "objects" / id.substr(0, 2));
  fuzz::write_scratch("repo.git/objects/" + id.substr(0, 2) + "/" + id.substr(2), deflated);
}

void check(const std::vector<git::Change>& changes, const std::vector<Skipped>& skipped) {
  for (const git::Change& c : changes) {
    (void)git::hostile_path_reason(c.path);
    if (c.new_blob.size() != 40 && !c.new_blob.empty()) fuzz::fail("diff_trees: bad new_blob", c.new_blob);
  }
  for (const Skipped& s : skipped)
    if (s.kind.empty()) fuzz::fail("diff_trees: skipped entry without a kind", s.reason);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::filesystem::path& dir = repo_dir();
  std::size_t n = 0;
  for (; n < 3; ++n) {
    const std::size_t sep = in.find("\n--\n");
    store_tree(kIds[n], in.substr(0, sep));
    if (sep == std::string_view::npos) {
      ++n;
      break;
    }
    in.remove_prefix(sep + 4);
  }
  // Trees of a previous input that this one does not define must not linger.
  for (std::size_t i = n; i < 3; ++i)
    std::filesystem::remove(dir / "objects" / kIds[i].substr(0, 2) / kIds[i].substr(2));

  try {
    const git::Repository repo = git::Repository::open(dir.string());
    std::vector<Skipped> skipped;
    std::vector<git::Change> deleted;
    // A small depth cap keeps cycles cheap; the default (4096) is exercised by tests/hostile.
    // A small path budget: tree bombs (trees listing the one below twice) stop in
    // milliseconds, not the seconds the full budget takes under the sanitizers.
    check(repo.diff_trees("", kIds[0], skipped, 64, nullptr, kPathBudget), skipped);
    skipped.clear();
    check(repo.diff_trees(kIds[1], kIds[0], skipped, 64, &deleted, kPathBudget), skipped);
    check(deleted, skipped);
    (void)repo.blob_at(kIds[0], "a/b");
  } catch (const Error&) {
  }
  return 0;
}
