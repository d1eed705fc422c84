// Fuzzes provscan's own reading of pack files (git/pack_guard.cpp): the .idx tables and each
// object's delta chain (entry headers, OFS/REF bases, the sizes at the start of each delta), as a
// hostile repository stores them. libgit2's pack reader is not fuzzed here: the chain check runs
// before it, and its findings would be libgit2's.
//
// Input: a flag byte, then
//   - flag bit 0 clear: a list of ids and offsets (1 byte n, then n × {first id byte, 4-byte LE
//     offset}) from which a valid version-2 index is built, then the pack bytes. Most inputs thus
//     reach the chain walk instead of stopping at the index checks;
//   - flag bit 0 set: 2 bytes of index length, the raw index bytes, then the pack bytes.
// Every id the index lists is checked, twice (the second time from the memo), plus one it does
// not list. A verdict must be consistent: an unreadable chain has a reason.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "common/error.h"
#include "git/detail/pack_guard.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/support/pack_index.h"

using namespace provscan;
using provscan::test::be32;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.empty()) return 0;
  const auto flag = static_cast<unsigned char>(in[0]);
  in.remove_prefix(1);
  std::string idx;
  std::map<std::string, std::uint32_t> listed;
  if (!(flag & 1)) {
    if (in.empty()) return 0;
    const std::size_t n = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    for (std::size_t i = 0; i < n && in.size() >= 5; ++i) {
      std::string id(20, '\0');
      id[0] = in[0];
      id[19] = static_cast<char>(i);  // distinct ids
      std::uint32_t off = 0;
      for (int k = 0; k < 4; ++k) off |= std::uint32_t(static_cast<unsigned char>(in[1 + k])) << (8 * k);
      listed[id] = off;
      in.remove_prefix(5);
    }
    idx = test::pack_index_v2(listed);
  } else {
    if (in.size() < 2) return 0;
    const std::size_t len = std::min<std::size_t>(in.size() - 2, static_cast<unsigned char>(in[0]) |
                                                                     (static_cast<std::size_t>(static_cast<unsigned char>(in[1])) << 8));
    idx.assign(in.substr(2, len));
    in.remove_prefix(2 + len);
  }
  const std::string pack = "PACK" + be32(2) + be32(static_cast<std::uint32_t>(listed.size())) + std::string(in);
  static const bool made = std::filesystem::create_directories(fuzz::scratch_dir() / "pack");
  (void)made;
  fuzz::write_scratch("pack/pack-f.idx", idx);
  fuzz::write_scratch("pack/pack-f.pack", pack);

  std::unique_ptr<git::detail::PackChains> chains;
  try {
    chains = git::detail::PackChains::open((fuzz::scratch_dir() / "pack").string(), {"pack-f"});
  } catch (const Error&) {
    return 0;  // an index that makes no sense is refused, with a reason: fine
  }
  auto check = [&](const std::string& raw) {
    git_oid oid;
    std::memcpy(oid.id, raw.data(), GIT_OID_RAWSZ);
    const auto v = chains->check(oid);
    const auto again = chains->check_in_pack(0, oid);
    if (v.found != again.has_value()) fuzz::fail("check and check_in_pack disagree on presence");
    if (v.found && v.ok != v.error.empty()) fuzz::fail("verdict: ok and error disagree", v.error);
    if (again && (again->ok != v.ok || again->peak != v.peak)) fuzz::fail("the memoized verdict differs");
  };
  for (const auto& [id, off] : listed) check(id);
  check(std::string(20, '\xee'));
  return 0;
}
