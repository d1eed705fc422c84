#include "scanner/blob/blob_checks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace provscan::scan {

namespace {
bool starts(std::string_view b, std::string_view magic) noexcept { return b.substr(0, magic.size()) == magic; }

std::uint32_t le32(std::string_view b, std::size_t at) noexcept {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

std::uint32_t be32(std::string_view b, std::size_t at) noexcept {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

std::uint16_t le16(std::string_view b, std::size_t at) noexcept {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}

std::uint16_t be16(std::string_view b, std::size_t at) noexcept {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

double entropy_of(const std::array<std::uint64_t, 256>& counts, double n) noexcept {
  double h = 0.0;
  for (std::uint64_t c : counts) {
    if (!c) continue;
    const double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}
// The offset of the "PE\0\0" signature that an MZ stub's e_lfanew (at 0x3c) points at, when at
// least `need` bytes of it are in the blob. e_lfanew is the blob's own word: up to 0xffffffff, so
// the bound is checked without adding to it (an overflow once let 0xffffffff through).
std::optional<std::size_t> pe_header(std::string_view b, std::size_t need) noexcept {
  if (b.size() < 0x40) return std::nullopt;
  const std::size_t off = le32(b, 0x3c);
  if (off > b.size() || b.size() - off < need || b.substr(off, 4) != std::string_view("PE\0\0", 4))
    return std::nullopt;
  return off;
}
}  // namespace

std::optional<std::string> executable_format(std::string_view b) noexcept {
  using namespace std::string_view_literals;
  if (starts(b, "\x7f" "ELF"sv)) return "ELF";
  if (starts(b, "MZ"sv) && b.size() >= 0x40) {
    // The DOS stub's e_lfanew points at "PE\0\0"; "MZ" alone is too common in text.
    if (pe_header(b, 4)) return "PE";
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
  return entropy_of(counts, static_cast<double>(bytes.size()));
}

// ---- formats --------------------------------------------------------------------------------

std::string_view to_string(FormatCategory c) noexcept {
  switch (c) {
    case FormatCategory::Executable: return "executable";
    case FormatCategory::Object: return "object";
    case FormatCategory::SharedLibrary: return "shared-library";
    case FormatCategory::StaticLibrary: return "static-library";
    case FormatCategory::Archive: return "archive";
    case FormatCategory::Compressed: return "compressed";
    case FormatCategory::Media: return "media";
  }
  return "";
}

namespace {

std::optional<Format> elf(std::string_view b) {
  if (b.size() < 18) return Format{"ELF", FormatCategory::Executable};
  const bool big = b[5] == 2;
  switch (big ? be16(b, 16) : le16(b, 16)) {
    case 1: return Format{"ELF relocatable object", FormatCategory::Object};
    case 2: return Format{"ELF executable", FormatCategory::Executable};
    case 3: return Format{"ELF shared object or PIE executable", FormatCategory::SharedLibrary};
    default: return Format{"ELF", FormatCategory::Executable};
  }
}

std::optional<Format> mach_o(std::string_view b, bool big) {
  if (b.size() < 16) return Format{"Mach-O", FormatCategory::Executable};
  switch (big ? be32(b, 12) : le32(b, 12)) {
    case 1: return Format{"Mach-O object", FormatCategory::Object};
    case 2: return Format{"Mach-O executable", FormatCategory::Executable};
    case 6: return Format{"Mach-O dynamic library", FormatCategory::SharedLibrary};
    case 8: return Format{"Mach-O bundle", FormatCategory::SharedLibrary};
    default: return Format{"Mach-O", FormatCategory::Executable};
  }
}

// A COFF object (.obj) has no magic: a known machine, a sane section count, no optional header,
// and a symbol table inside the file.
bool coff_object(std::string_view b) noexcept {
  if (b.size() < 20) return false;
  const std::uint16_t machine = le16(b, 0);
  if (machine != 0x014c && machine != 0x8664 && machine != 0xaa64 && machine != 0x01c4 && machine != 0x0200)
    return false;
  const std::uint16_t sections = le16(b, 2);
  const std::uint32_t symtab = le32(b, 8);
  return sections >= 1 && sections <= 96 && le16(b, 16) == 0 && 20u + 40u * sections <= b.size() &&
         symtab >= 20u + 40u * sections && symtab < b.size();
}

}  // namespace

std::optional<Format> identify_format(std::string_view b) noexcept {
  using namespace std::string_view_literals;
  using C = FormatCategory;
  if (starts(b, "\x7f" "ELF"sv)) return elf(b);
  if (starts(b, "\xfe\xed\xfa\xce"sv) || starts(b, "\xfe\xed\xfa\xcf"sv)) return mach_o(b, true);
  if (starts(b, "\xce\xfa\xed\xfe"sv) || starts(b, "\xcf\xfa\xed\xfe"sv)) return mach_o(b, false);
  if (starts(b, "\xca\xfe\xba\xbe"sv) && b.size() >= 8)
    return be32(b, 4) < 40 ? Format{"Mach-O universal binary", C::Executable} : Format{"Java class file", C::Object};
  if (starts(b, "MZ"sv) && b.size() >= 0x40) {
    if (const auto off = pe_header(b, 24))
      return (le16(b, *off + 22) & 0x2000) ? Format{"PE DLL", C::SharedLibrary} : Format{"PE executable", C::Executable};
  }
  if (starts(b, "!<arch>\n"sv) || starts(b, "!<thin>\n"sv)) return Format{"ar archive (static library)", C::StaticLibrary};
  if (starts(b, "PK\x03\x04"sv) || starts(b, "PK\x05\x06"sv)) return Format{"zip archive", C::Archive};
  if (b.size() >= 262 && b.substr(257, 5) == "ustar"sv) return Format{"tar archive", C::Archive};
  if (starts(b, "7z\xbc\xaf\x27\x1c"sv)) return Format{"7z archive", C::Archive};
  if (starts(b, "Rar!\x1a\x07"sv)) return Format{"rar archive", C::Archive};
  if (starts(b, "\x04\x22\x4d\x18"sv)) return Format{"lz4 compressed data", C::Compressed};
  if (auto c = compressed_format(b)) return Format{*c + " compressed data", C::Compressed};
  if (starts(b, "\x89PNG\r\n\x1a\n"sv)) return Format{"PNG image", C::Media};
  if (starts(b, "\xff\xd8\xff"sv)) return Format{"JPEG image", C::Media};
  if (starts(b, "GIF87a"sv) || starts(b, "GIF89a"sv)) return Format{"GIF image", C::Media};
  if (starts(b, "%PDF-"sv)) return Format{"PDF document", C::Media};
  if (starts(b, "RIFF"sv) && b.size() >= 12 && b.substr(8, 4) == "WEBP"sv) return Format{"WebP image", C::Media};
  if (starts(b, "\0\0\1\0"sv) && b.size() >= 22) return Format{"ICO image", C::Media};
  if (starts(b, "wOFF"sv)) return Format{"WOFF font", C::Media};
  if (starts(b, "wOF2"sv)) return Format{"WOFF2 font", C::Media};
  if (starts(b, "OTTO"sv) || (starts(b, "\0\1\0\0"sv) && b.size() >= 12)) return Format{"OpenType/TrueType font", C::Media};
  if (starts(b, "\0asm"sv)) return Format{"WebAssembly module", C::Object};
  if (coff_object(b)) return Format{"COFF object", C::Object};
  return std::nullopt;
}

std::optional<std::string> extension_mismatch(std::string_view path, std::string_view bytes, bool text_holds_binary,
                                              bool missing_magic) {
  using namespace std::string_view_literals;
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || bytes.empty()) return std::nullopt;
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::optional<Format> actual = identify_format(bytes);

  static constexpr std::array kText = {
      "txt"sv, "md"sv,   "rst"sv,  "c"sv,    "h"sv,    "cc"sv,   "cpp"sv,  "cxx"sv,  "hpp"sv,  "hh"sv,   "py"sv,
      "js"sv,  "mjs"sv,  "cjs"sv,  "ts"sv,   "java"sv, "go"sv,   "rs"sv,   "rb"sv,   "php"sv,  "cs"sv,   "sh"sv,
      "bash"sv, "json"sv, "yaml"sv, "yml"sv, "xml"sv,  "html"sv, "htm"sv,  "css"sv,  "csv"sv,  "tsv"sv,  "toml"sv,
      "ini"sv, "cfg"sv,  "conf"sv, "in"sv,   "am"sv,   "ac"sv,   "m4"sv,   "cmake"sv, "mk"sv,  "sql"sv,  "pl"sv,
      "lua"sv, "swift"sv, "kt"sv,  "scala"sv, "s"sv,   "asm"sv,  "tex"sv,  "po"sv,   "svg"sv,  "log"sv};
  if (text_holds_binary && std::find(kText.begin(), kText.end(), ext) != kText.end()) {
    if (actual) return fmt::format("'.{}' file holds {}", ext, actual->name);
    return std::nullopt;
  }
  if (!missing_magic) return std::nullopt;
  if (bytes.substr(0, 40).find("version https://git-lfs") != std::string_view::npos) return std::nullopt;
  struct Expect {
    std::string_view ext, format_prefix;
  };
  static constexpr std::array kBinary = {
      Expect{"png", "PNG"},    Expect{"jpg", "JPEG"},   Expect{"jpeg", "JPEG"},  Expect{"gif", "GIF"},
      Expect{"pdf", "PDF"},    Expect{"webp", "WebP"},  Expect{"ico", "ICO"},    Expect{"woff", "WOFF font"},
      Expect{"woff2", "WOFF2"}, Expect{"wasm", "WebAssembly"}, Expect{"class", "Java class"}, Expect{"zip", "zip"},
      Expect{"jar", "zip"},    Expect{"whl", "zip"},    Expect{"apk", "zip"},    Expect{"nupkg", "zip"},
      Expect{"egg", "zip"},    Expect{"war", "zip"},    Expect{"docx", "zip"},   Expect{"xlsx", "zip"},
      Expect{"gz", "gzip"},    Expect{"tgz", "gzip"},   Expect{"xz", "xz"},      Expect{"txz", "xz"},
      Expect{"zst", "zstd"},   Expect{"bz2", "bzip2"},  Expect{"7z", "7z"},      Expect{"a", "ar archive"},
      Expect{"o", "*object"},  Expect{"so", "ELF"},     Expect{"dll", "PE"},     Expect{"exe", "PE"}};
  for (const Expect& e : kBinary) {
    if (e.ext != ext) continue;
    if (actual) {
      if (e.format_prefix == "*object" ? actual->category == FormatCategory::Object
                                       : actual->name.rfind(e.format_prefix, 0) == 0)
        return std::nullopt;
      // Another image or font under an image or font name is a naming slip, not a disguise.
      static constexpr std::array kMediaExt = {"png"sv, "jpg"sv, "jpeg"sv, "gif"sv, "webp"sv, "ico"sv, "woff"sv, "woff2"sv};
      if (actual->category == FormatCategory::Media && std::find(kMediaExt.begin(), kMediaExt.end(), ext) != kMediaExt.end())
        return std::nullopt;
      return fmt::format("'.{}' file holds {}", ext, actual->name);
    }
    return fmt::format("'.{}' file without the {} signature", ext, e.format_prefix == "*object" ? "object file" : e.format_prefix);
  }
  return std::nullopt;
}

WindowEntropy max_window_entropy(std::string_view bytes, std::size_t window) noexcept {
  WindowEntropy best;
  if (window < 2 || bytes.size() < window) return best;
  const std::size_t step = window / 2;
  std::array<std::uint64_t, 256> counts{};
  for (std::size_t i = 0; i < window; ++i) ++counts[static_cast<unsigned char>(bytes[i])];
  for (std::size_t start = 0;;) {
    const double h = entropy_of(counts, static_cast<double>(window));
    if (h > best.bits) best = {h, start};
    if (start + window + step > bytes.size()) break;
    for (std::size_t i = 0; i < step; ++i) {
      --counts[static_cast<unsigned char>(bytes[start + i])];
      ++counts[static_cast<unsigned char>(bytes[start + window + i])];
    }
    start += step;
  }
  return best;
}

// ---- encoded strings ------------------------------------------------------------------------

namespace {
bool b64_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '-' || c == '_';
}
bool hex_char(char c) noexcept { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
}  // namespace

std::optional<EncodedRun> encoded_run(std::string_view line, std::size_t min_length, unsigned encodings) noexcept {
  for (std::size_t i = 0; i < line.size();) {
    // A run of \xNN escapes (shellcode and payloads spelt in string literals).
    if ((encodings & kEscapedBytes) && line[i] == '\\' && i + 3 < line.size() && line[i + 1] == 'x') {
      std::size_t j = i;
      while (j + 3 < line.size() && line[j] == '\\' && line[j + 1] == 'x' && hex_char(line[j + 2]) &&
             hex_char(line[j + 3]))
        j += 4;
      if (j - i >= min_length) return EncodedRun{"escaped bytes", i + 1, j - i};
      if (j > i) {
        i = j;
        continue;
      }
    }
    if (!b64_char(line[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool upper = false, lower = false, digit = false, all_hex = true;
    while (j < line.size() && b64_char(line[j])) {
      const char c = line[j];
      upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
      lower |= std::islower(static_cast<unsigned char>(c)) != 0;
      digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
      all_hex &= hex_char(c);
      ++j;
    }
    std::size_t end = j;
    while (end < line.size() && end < j + 2 && line[end] == '=') ++end;
    const std::size_t len = end - i;
    if (len >= min_length) {
      if ((encodings & kHex) && all_hex) return EncodedRun{"hex", i + 1, len};
      const std::string_view before = line.substr(i >= 200 ? i - 200 : 0, i >= 200 ? 200 : i);
      const bool data_uri = before.size() >= 7 && before.substr(before.size() - 7) == "base64," &&
                            before.find("data:") != std::string_view::npos;
      if ((encodings & kBase64) && !all_hex && !data_uri && (upper + lower + digit) >= 2)
        return EncodedRun{"base64", i + 1, len};
    }
    i = end > i ? end : i + 1;
  }
  return std::nullopt;
}

}  // namespace provscan::scan
