#pragma once
// Content checks on whole blobs that need no parser. Free functions over bytes, so they are
// tested without the engine. All are linear in the blob's size.
#include <cstddef>
#include <cstdint>
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

// ---- formats --------------------------------------------------------------------------------

enum class FormatCategory { Executable, Object, SharedLibrary, StaticLibrary, Archive, Compressed, Media };
std::string_view to_string(FormatCategory c) noexcept;  // "executable", "object", "shared-library", ...

struct Format {
  std::string name;  // "ELF relocatable object", "ar archive", "zip archive", "PNG image", ...
  FormatCategory category;
};

// What the leading bytes say the blob is: ELF (by e_type), Mach-O (by filetype), PE (EXE or
// DLL), COFF objects, ar archives (static libraries), zip/jar/whl, tar, 7z, rar, gzip, xz,
// zstd, bzip2, lzma, lz4, and media formats (PNG, JPEG, GIF, PDF, WebP, ICO, fonts, wasm, Java
// class) whose compressed bodies are honest entropy.
std::optional<Format> identify_format(std::string_view bytes) noexcept;

// A blob whose content contradicts its file name: a text or source extension holding a binary
// format (`notes.txt` that is ELF, `data.json` that is xz), or a binary-format extension
// (.png, .zip, .gz, ...) without that format's signature (another image format under the wrong
// image extension is let pass; so are empty files and Git LFS pointers). Returns the
// description, or nullopt. `text_holds_binary` / `missing_magic` choose the two halves.
std::optional<std::string> extension_mismatch(std::string_view path, std::string_view bytes, bool text_holds_binary,
                                              bool missing_magic);

// The highest Shannon entropy (bits/byte) of any `window`-byte window, stepped by window/2, and
// where it starts. A blob shorter than the window has no window: bits is 0.
struct WindowEntropy {
  double bits = 0.0;
  std::size_t offset = 0;
};
WindowEntropy max_window_entropy(std::string_view bytes, std::size_t window) noexcept;

// ---- encoded strings ------------------------------------------------------------------------

enum EncodingSet : unsigned { kBase64 = 1, kHex = 2, kEscapedBytes = 4 };

struct EncodedRun {
  std::string_view encoding;  // "base64", "hex", "escaped bytes"
  std::size_t column = 0;     // 1-based byte column
  std::size_t length = 0;     // characters
};

// The first run on one line of at least `min_length` characters of base64 (mixed letters and
// digits, optional `=` padding), hex digits, or `\xNN` escapes. Base64 after `data:...;base64,`
// (inline images and fonts in CSS, HTML, SVG, Markdown) is not counted.
std::optional<EncodedRun> encoded_run(std::string_view line, std::size_t min_length, unsigned encodings) noexcept;

}  // namespace provscan::scan
