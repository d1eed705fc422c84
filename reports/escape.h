#pragma once
// Escaping shared by every report writer. Everything a report prints that came from a
// repository (paths, messages, snippets, names, emails) is attacker-controlled: it may hold
// invalid UTF-8, newlines that forge a second annotation or CSV row, or ESC / C1 / bidi
// characters that drive a terminal or hide text (Trojan Source). Writers route such strings
// through exactly one of the functions below.
#include <string>
#include <string_view>

namespace provscan::report::detail {

// Invalid UTF-8 is replaced byte by byte with the four characters `\xNN` (lower-case hex);
// valid UTF-8 passes unchanged. Strict decoding: overlong forms, surrogates and code points
// above U+10FFFF are invalid. Chosen over U+FFFD because it keeps the original bytes visible
// to an auditor; the cost is that a path holding the literal text `\xff` prints like one
// holding the byte 0xFF.
std::string valid_utf8(std::string_view s);

// For text read by people (terminal summary, Markdown, annotations, CSV): valid_utf8(), and
// also every character that can move the cursor, start an escape sequence or reorder text is
// made visible: `\n` `\r` `\t`, other C0 and DEL as `\xNN`, and C1 controls, bidi controls
// (U+061C, U+200E-F, U+202A-E, U+2066-9), line/paragraph separators (U+2028-9) and invisible
// U+200B, U+2060, U+FEFF as `\uNNNN` (lower-case hex). The result is printable, one line.
std::string display(std::string_view s);

// display(), then a backslash before every character CommonMark/GFM would act on inside a
// paragraph or table cell: \ ` * _ [ ] < > | & ~ #. A hostile path cannot open a table cell,
// a code span, a link, an image or an HTML tag.
std::string markdown_text(std::string_view s);

// Post-processes text produced by a JSON serialiser (from valid UTF-8 strings): the code points
// that display() would escape and that JSON leaves raw (DEL, C1, bidi, U+2028-9, invisible) are
// rewritten as `\u00NN`-style JSON escapes. They can occur only inside JSON strings, so the
// document's meaning is unchanged while `cat report.json` cannot drive a terminal.
std::string harden_json_text(std::string_view json);

// True for the code points display() shows as `\uNNNN`.
bool is_hidden_code_point(char32_t cp) noexcept;

// RFC 3986 percent-encoding of a repository path for a URI: unreserved characters and '/' are
// kept; every other byte (including non-ASCII and invalid UTF-8) becomes %XX (upper-case).
std::string percent_encode_path(std::string_view path);

}  // namespace provscan::report::detail
