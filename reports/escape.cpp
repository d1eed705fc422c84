#include "reports/escape.h"

#include <cstdint>  // std::uint8_t

#include <fmt/format.h>

namespace provscan::report::detail {

namespace {

std::uint8_t byte_at(std::string_view s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

bool is_continuation(std::string_view s, std::size_t i, std::uint8_t lo = 0x80,
                     std::uint8_t hi = 0xBF) {
  if (i >= s.size()) return false;
  const std::uint8_t b = byte_at(s, i);
  return b >= lo && b <= hi;
}

// Decodes the UTF-8 sequence starting at s[i] (Unicode Table 3-7, well-formed sequences only).
// Returns its length and sets cp, or returns 0 when s[i] does not start a valid sequence.
std::size_t decode_one(std::string_view s, std::size_t i, char32_t& cp) {
  const std::uint8_t b0 = byte_at(s, i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!is_continuation(s, i + 1)) return 0;
    cp = (char32_t{b0} & 0x1F) << 6 | (char32_t{byte_at(s, i + 1)} & 0x3F);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    // E0 needs A0..BF (no overlongs); ED needs 80..9F (no surrogates).
    const std::uint8_t lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const std::uint8_t hi = b0 == 0xED ? 0x9F : 0xBF;
    if (!is_continuation(s, i + 1, lo, hi) || !is_continuation(s, i + 2)) return 0;
    cp = (char32_t{b0} & 0x0F) << 12 | (char32_t{byte_at(s, i + 1)} & 0x3F) << 6 |
         (char32_t{byte_at(s, i + 2)} & 0x3F);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    // F0 needs 90..BF (no overlongs); F4 needs 80..8F (nothing above U+10FFFF).
    const std::uint8_t lo = b0 == 0xF0 ? 0x90 : 0x80;
    const std::uint8_t hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (!is_continuation(s, i + 1, lo, hi) || !is_continuation(s, i + 2) ||
        !is_continuation(s, i + 3))
      return 0;
    cp = (char32_t{b0} & 0x07) << 18 | (char32_t{byte_at(s, i + 1)} & 0x3F) << 12 |
         (char32_t{byte_at(s, i + 2)} & 0x3F) << 6 | (char32_t{byte_at(s, i + 3)} & 0x3F);
    return 4;
  }
  return 0;
}

void append_byte_escape(std::string& out, std::uint8_t b) { out += fmt::format("\\x{:02x}", b); }

void append_control(std::string& out, char32_t cp) {
  switch (cp) {
    case U'\n': out += "\\n"; return;
    case U'\r': out += "\\r"; return;
    case U'\t': out += "\\t"; return;
    default: append_byte_escape(out, static_cast<std::uint8_t>(cp));
  }
}

}  // namespace

bool is_hidden_code_point(char32_t cp) noexcept {
  return (cp >= 0x80 && cp <= 0x9F) ||      // C1 controls (0x9B is a one-byte CSI)
         cp == 0x061C ||                    // arabic letter mark
         cp == 0x200B ||                    // zero width space
         cp == 0x200E || cp == 0x200F ||    // LRM, RLM
         (cp >= 0x2028 && cp <= 0x202E) ||  // line/paragraph separators, bidi embeddings
         cp == 0x2060 ||                    // word joiner
         (cp >= 0x2066 && cp <= 0x2069) ||  // bidi isolates
         cp == 0xFEFF;                      // zero width no-break space / BOM
}

// Walks `s` code point by code point: a byte that starts no valid UTF-8 sequence becomes the
// visible text \xNN; each valid code point goes to `put(out, cp, its bytes)`.
template <class Put>
std::string transcode(std::string_view s, Put put) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_one(s, i, cp);
    if (n == 0) {
      append_byte_escape(out, byte_at(s, i));
      ++i;
      continue;
    }
    put(out, cp, s.substr(i, n));
    i += n;
  }
  return out;
}

std::string valid_utf8(std::string_view s) {
  return transcode(s, [](std::string& out, char32_t, std::string_view bytes) { out.append(bytes); });
}

std::string display(std::string_view s) {
  return transcode(s, [](std::string& out, char32_t cp, std::string_view bytes) {
    if (cp < 0x20 || cp == 0x7F)
      append_control(out, cp);
    else if (is_hidden_code_point(cp))
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
    else
      out.append(bytes);
  });
}

std::string markdown_text(std::string_view s) {
  constexpr std::string_view kActive = "\\`*_[]<>|&~#";
  std::string out;
  for (const char c : display(s)) {
    if (kActive.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string harden_json_text(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size();) {
    char32_t cp = 0;
    std::size_t n = decode_one(json, i, cp);
    if (n == 0) n = 1;  // cannot happen for serialiser output; copy the byte through
    if (n > 1 ? is_hidden_code_point(cp) : byte_at(json, i) == 0x7F)
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(n > 1 ? cp : 0x7F));
    else
      out.append(json.substr(i, n));
    i += n;
  }
  return out;
}

std::string percent_encode_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    const auto b = static_cast<std::uint8_t>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                            (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' ||
                            b == '~' || b == '/';
    if (unreserved)
      out += c;
    else
      out += fmt::format("%{:02X}", b);
  }
  return out;
}

}  // namespace provscan::report::detail
