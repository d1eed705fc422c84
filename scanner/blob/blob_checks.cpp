#include "scanner/blob/blob_checks.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace provscan::scan {

namespace {
bool starts(std::string_view b, std::string_view magic) noexcept { return b.substr(0, magic.size()) == magic; }

std::uint32_t le32(std::string_view b, std::size_t at) noexcept {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}
}  // namespace

std::optional<std::string> executable_format(std::string_view b) noexcept {
  using namespace std::string_view_literals;
  if (starts(b, "\x7f" "ELF"sv)) return "ELF";
  if (starts(b, "MZ"sv) && b.size() >= 0x40) {
    // The DOS stub's e_lfanew points at "PE\0\0"; "MZ" alone is too common in text.
    const std::uint32_t off = le32(b, 0x3c);
    if (off + 4 <= b.size() && b.substr(off, 4) == "PE\0\0"sv) return "PE";
  }
  if (starts(b, "\xfe\xed\xfa\xce"sv) || starts(b, "\xfe\xed\xfa\xcf"sv) ||
      starts(b, "\xce\xfa\xed\xfe"sv) || starts(b, "\xcf\xfa\xed\xfe"sv))
    return "Mach-O";
  if (starts(b, "\xca\xfe\xba\xbe"sv)) return "Mach-O fat or Java class";
  return std::nullopt;
}

std::optional<std::string> compressed_format(std::string_view b) noexcept {
  using namespace std::string_view_literals;
  if (starts(b, "\xfd" "7zXZ\0"sv)) return "xz";
  if (starts(b, "\x1f\x8b"sv)) return "gzip";
  if (starts(b, "BZh"sv) && b.size() > 3 && b[3] >= '1' && b[3] <= '9') return "bzip2";
  if (starts(b, "\x28\xb5\x2f\xfd"sv)) return "zstd";
  if (starts(b, "PK\x03\x04"sv)) return "zip";
  if (starts(b, "7z\xbc\xaf\x27\x1c"sv)) return "7z";
  if (starts(b, "\x5d\x00\x00"sv) && b.size() > 13) return "lzma";
  return std::nullopt;
}

double shannon_entropy(std::string_view bytes) noexcept {
  if (bytes.empty()) return 0.0;
  std::array<std::uint64_t, 256> counts{};
  for (unsigned char c : bytes) ++counts[c];
  double h = 0.0;
  const double n = static_cast<double>(bytes.size());
  for (std::uint64_t c : counts) {
    if (!c) continue;
    const double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

}  // namespace provscan::scan
