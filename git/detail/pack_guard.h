#pragma once
// provscan's own look at a pack object's delta chain, taken before libgit2's pack reader touches
// the object. Only .cpp files include this.
//
// libgit2 1.5.1 trusts a pack's delta chains: a REF_DELTA whose base is (through other deltas)
// itself makes `git_odb_read_header` loop forever and `git_odb_read` grow its chain array
// without end; and only the declared size of the *result* is known up front, so a 10-byte blob
// delta'd over a 2 GiB zlib bomb inflates the whole base. git's index-pack would reject such a
// pack, but a repository that arrives on disk never went through index-pack. So each chain is
// walked here from the pack's own bytes (the .idx for offsets, the entry headers, the first
// bytes of each delta for its sizes), once per entry (memoized), and:
//   - a chain that loops, is deeper than kMaxDeltaChain, or points outside its pack is refused;
//   - the peak size of every object the chain builds on the way (bases, delta data, each
//     intermediate result) is known, so callers bound it with the same limit as the object.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "git/detail/libgit2.h"

namespace provscan::git::detail {

// git's pack-objects never writes a chain deeper than 4095 (pack.depth's maximum).
inline constexpr unsigned kMaxDeltaChain = 4096;

class PackChains {
 public:
  struct Verdict {
    bool found = false;       // the object is in one of the packs
    bool ok = false;          // its chain can be resolved (meaningful when found)
    std::uint64_t peak = 0;   // the largest object or delta the chain builds or inflates
    std::string error;        // why not, when !ok
  };

  struct Pack;  // one pack file and its mapped index (pack_guard.cpp)

  // Opens pack_dir/NAME.pack and maps pack_dir/NAME.idx for each of `names`, in that order (the
  // caller lists the folder and has refused anything but regular files in it). Throws Error,
  // naming the file, when one cannot be read or its index makes no sense.
  static std::unique_ptr<PackChains> open(const std::string& pack_dir, const std::vector<std::string>& names);
  ~PackChains();
  PackChains(const PackChains&) = delete;
  PackChains& operator=(const PackChains&) = delete;

  // Every pack that lists `oid` (libgit2 reads it from one of them): found, resolvable, peak.
  // Thread-safe, like the rest.
  Verdict check(const git_oid& oid);
  // The same for pack number `pack` (of `names`) alone; nullopt when its index does not list it.
  std::optional<Verdict> check_in_pack(std::size_t pack, const git_oid& oid);

 private:
  PackChains() = default;
  Verdict check_in(Pack& p, std::uint64_t offset);
  std::vector<std::unique_ptr<Pack>> packs_;
  std::mutex mu_;
};

}  // namespace provscan::git::detail
