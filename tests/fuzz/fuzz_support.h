#pragma once
// Shared by the libFuzzer harnesses (one LLVMFuzzerTestOneInput per file). Kept tiny: a private
// scratch folder for loaders that take a path, and the checks the report invariants use.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace provscan::fuzz {

// Aborts with a message: libFuzzer records the input as a crash.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size() > 4000 ? 4000 : detail.size()), detail.data());
  std::abort();
}

// A folder of this process's own under $TMPDIR, created once and removed at exit.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::path d = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") /
                              ("provscan-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return dir;
}

// Writes `bytes` to scratch_dir()/name (replacing it) and returns its path.
inline std::string write_scratch(const std::string& name, std::string_view bytes) {
  const std::filesystem::path p = scratch_dir() / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) fail("cannot write scratch file", p.string());
  return p.string();
}

// Decodes one UTF-8 sequence at s[i] (strict: no overlong forms, surrogates or > U+10FFFF).
// Returns its length, or 0 when the bytes there are not valid UTF-8.
inline std::size_t utf8_at(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// The code points reports/report.h promises never to emit raw (besides the line ends a format
// uses): C0 controls, DEL, C1 controls, bidi controls, U+2028/9, U+200B, U+2060, U+FEFF.
inline bool is_forbidden_code_point(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200B || cp == 0x200E ||
         cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x2060 || cp == 0xFEFF;
}

// Fails unless `out` is valid UTF-8 free of forbidden code points, except '\n' line ends
// (and "\r\n" when `crlf`).
inline void check_clean_text(std::string_view format, std::string_view out, bool crlf = false) {
  for (std::size_t i = 0; i < out.size();) {
    char32_t cp = 0;
    const std::size_t n = utf8_at(out, i, cp);
    const auto around = [&] { return out.substr(i > 200 ? i - 200 : 0, 240); };
    if (n == 0) fail(std::string(format) + ": invalid UTF-8 at byte " + std::to_string(i), around());
    const bool line_end = cp == '\n' || (crlf && cp == '\r' && i + 1 < out.size() && out[i + 1] == '\n');
    if (!line_end && is_forbidden_code_point(cp))
      fail(std::string(format) + ": raw control or hidden character at byte " + std::to_string(i), around());
    i += n;
  }
}

}  // namespace provscan::fuzz
