#pragma once
// A strict, total UTF-8 decoder for hostile text: every call consumes at least one byte, so no
// input can make a caller loop, and anything that is not well-formed UTF-8 (stray continuation
// bytes, truncated or overlong sequences, surrogates, values past U+10FFFF) decodes as
// kInvalidCodePoint one byte at a time.
#include <cstddef>
#include <string_view>

namespace provscan::scan::utf8 {

inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point at `pos` and advances `pos` past it (by 1 to 4 bytes).
// Precondition: pos < s.size().
char32_t next(std::string_view s, std::size_t& pos) noexcept;

}  // namespace provscan::scan::utf8
