#pragma once
// Content checks on whole blobs that need no parser. Free functions over bytes, so they are
// tested without the engine.
#include <optional>
#include <string>
#include <string_view>

namespace provscan::scan {

// "ELF", "PE", "Mach-O", "Mach-O fat or Java class" when the bytes start with an executable
// format's magic (PE is confirmed through its header offset), else nullopt.
std::optional<std::string> executable_format(std::string_view bytes) noexcept;

// "xz", "gzip", "bzip2", "zstd", "zip", "7z", "lzma" from the magic bytes, else nullopt.
std::optional<std::string> compressed_format(std::string_view bytes) noexcept;

// Shannon entropy in bits per byte (0..8) over the whole buffer.
double shannon_entropy(std::string_view bytes) noexcept;

}  // namespace provscan::scan
