#pragma once
// A version-2 pack index (git's pack-format.txt) for hand-written packs, shared by the hostile
// tests and the pack fuzz harness. Header only, no dependencies: the harness links no test code.
#include <cstdint>
#include <map>
#include <string>

namespace provscan::test {

inline std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// `offsets`: raw 20-byte id -> entry offset in the pack. The CRCs are zero and the trailer is
// `pack_checksum` then zeros: libgit2 only checks that the index names the pack's trailer, and
// provscan checks neither.
inline std::string pack_index_v2(const std::map<std::string, std::uint32_t>& offsets,
                                 const std::string& pack_checksum = std::string(20, '\0')) {
  std::string idx = std::string("\xfftOc", 4) + be32(2);
  for (int b = 0; b < 256; ++b) {
    std::uint32_t n = 0;
    for (const auto& [id, off] : offsets) n += static_cast<unsigned char>(id[0]) <= b;
    idx += be32(n);
  }
  for (const auto& [id, off] : offsets) idx += id;
  for (std::size_t i = 0; i < offsets.size(); ++i) idx += be32(0);  // CRCs: not checked on reads
  for (const auto& [id, off] : offsets) idx += be32(off);
  idx += pack_checksum;
  idx += std::string(20, '\0');
  return idx;
}

}  // namespace provscan::test
